"""The AQ/T 9009-2015 Annex A evaluation items the drill log can show, judged yes or no.

Each dimension of Annex A (预警与信息报告 … 现场控制及恢复) lists the items the
engine observes, each judged from the log with the figures behind it, and
the items it cannot observe, which go to the human evaluator unjudged.
A judgement is ``yes``, ``no``, ``n/a`` (nothing of the kind happened) or
``not_observable`` (the evidence is not in the log). Severity grades a
failed item as a finding: ``critical`` → 不足项, ``major`` → 整改项,
``minor`` → 改进项.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.drilldata import DrillData
from analysis.kpis import Kpi

DIMENSIONS = (
    "warning_reporting",  # 预警与信息报告
    "mobilisation",  # 紧急动员
    "monitoring",  # 事故监测与研判
    "command",  # 指挥和协调
    "handling",  # 事故处置
    "resources",  # 应急资源管理
    "communications",  # 应急通讯
    "public_information",  # 信息公开
    "protection",  # 人员保护
    "cordon",  # 警戒与管制
    "medical",  # 医疗救护
    "recovery",  # 现场控制及恢复
)

# Items no event in the log can show: listed for the human evaluator.
HUMAN_ITEMS: dict[str, tuple[str, ...]] = {
    "warning_reporting": ("report_content",),  # its timing is judged from the log
    "mobilisation": ("staff_assembled",),
    "monitoring": ("monitoring_network", "expert_consultation"),
    "command": ("command_post", "joint_meeting"),
    "handling": ("tactics_safe",),
    "resources": ("resource_ledger",),
    "communications": ("comms_links", "comms_backup"),
    "public_information": ("press_release", "rumour_control"),
    "protection": ("responder_ppe",),
    "cordon": ("cordon_set",),
    "medical": ("triage",),
    "recovery": ("aftercare", "plan_review"),
}


@dataclass(frozen=True)
class Judgement:
    item: str
    dimension: str
    result: str  # yes | no | n/a | not_observable
    severity: str  # critical | major | minor
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "dimension": self.dimension,
            "result": self.result,
            "severity": self.severity,
            "params": self.params,
        }


RESULT_OF_STATUS = {"met": "yes", "missed": "no", "n/a": "n/a", "not_observable": "not_observable"}


def _from_kpi(kpi: Kpi) -> tuple[str, dict[str, Any]]:
    params = {"value": kpi.value, "target": kpi.target, **kpi.evidence}
    return RESULT_OF_STATUS.get(kpi.status, "n/a"), params


Check = Callable[[DrillData, dict[str, Kpi]], tuple[str, dict[str, Any]]]


def _yes_no(ok: bool, **params: Any) -> tuple[str, dict[str, Any]]:
    return ("yes" if ok else "no"), params


def level_set(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """A response level was declared once anything happened."""
    del kpis
    if not drill.of("HazardStarted", "IncidentCreated"):
        return "n/a", {}
    first = drill.first("ResponseLevelSet")
    return _yes_no(first is not None, at_min=first.t_min if first else None)


def reinforcements(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Reinforcements were requested when the situation warranted level III or above."""
    warranted = kpis["response_level"].target or 0
    if not drill.scenario.forces.reinforcements or warranted < 2:
        return "n/a", {}
    asked = sorted({str(e.data["reinforcement"]) for e in drill.of("ReinforcementRequested")})
    return _yes_no(bool(asked), asked=", ".join(asked) or "-")


# A toxic cloud due sooner than this after the order: evacuees would still be leaving or
# on the road when it came (households take 30-60 min to set off, Lindell & Prater 2007;
# the engine's own forecast advises shelter when the cloud is within 30 min,
# sim.hazards.gas_runtime.SHELTER_IF_WITHIN_MIN), so shelter in place is the action.
GAS_EVACUATION_LEAD_MIN = 30.0

PROTECTIVE_ACTIONS = {
    # Doctrine: what protects people from each hazard. Water and fire destroy or cut off
    # homes: people must leave before they come (《国家防汛抗旱应急预案》 §4 转移避险;
    # 《森林防灭火条例》 evacuation of threatened residents). A toxic cloud passes:
    # staying indoors with windows shut protects during a short passage, and leaving is
    # right only ahead of it (US EPA/FEMA shelter-in-place guidance; Sorensen & Vogt 2006,
    # "Will duct tape and plastic really work?", ORNL).
    "flood": ("EvacuationOrdered",),
    "fire": ("EvacuationOrdered",),
    "gas": ("EvacuationOrdered", "ShelterInPlaceOrdered"),
}


def _hazard_kinds(drill: DrillData) -> dict[str, str]:
    return {str(h.id): str(h.kind) for h in drill.scenario.hazards}


def arrival_kinds(drill: DrillData) -> dict[str, tuple[float, str]]:
    """Zone id -> (minute, hazard kind) of the first hazard to reach it."""
    from analysis.kpis import arrivals_by_hazard

    kinds = _hazard_kinds(drill)
    return {z: (t, kinds.get(h, "")) for z, (t, h) in arrivals_by_hazard(drill).items()}


def threatened_zones_acted(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Every zone a hazard reached got the protective action that fits it, in time.

    Each hazard that reached a zone is judged on its own (a zone a toxic cloud
    reaches and then the water is judged for both), on the zone's last
    protective order by its deadline: the hazard's arrival, or, where it came
    with less notice than any warning needs, the warning target after it
    became known. That order must fit the hazard (:data:`PROTECTIVE_ACTIONS`):
    shelter from a toxic cloud and then evacuation ahead of the water is right,
    shelter still standing when the water comes is not, unless leaving then
    would have meant going out into gas (:func:`leaving_into_gas`). An
    evacuation ordered once a release had begun is wrong for its cloud if the
    cloud was due within :data:`GAS_EVACUATION_LEAD_MIN`; ordered after a
    cloud that gave no notice had come, it is right only once the zone has
    taken cover (its order before, at an earlier minute, was shelter in place)
    and no gas above AEGL-2 stands there: people leave a passing cloud's zone
    after sheltering from it, not through it. An order countermanded in the
    minute it was given protected nobody, so an order spammed both ways
    earns nothing.
    """
    from analysis.kpis import (
        MIN_NOTICE_MIN,
        gas_arrivals,
        hazard_known_min,
        hazard_reach,
        hazard_starts,
    )

    reach = hazard_reach(drill)
    if not reach:
        return "n/a", {}
    kinds = _hazard_kinds(drill)
    starts = hazard_starts(drill)
    known = hazard_known_min(drill) or 0.0
    prompt = kpis["warning_delay"].target or 10.0
    gassed = gas_arrivals(drill)
    orders: dict[str, list[tuple[float, str]]] = {}
    for e in drill.of("EvacuationOrdered", "ShelterInPlaceOrdered"):
        orders.setdefault(str(e.data["zone"]), []).append((e.t_min, e.kind))
    late, wrong, into_gas, surprise = set(), set(), set(), set()
    for (zone, hazard), t in sorted(reach.items(), key=lambda item: (item[1], item[0])):
        kind = kinds.get(hazard, "")
        began = starts.get(hazard, known)
        deadline = t
        if t - began < MIN_NOTICE_MIN:
            surprise.add(zone)
            deadline = max(t, began + prompt)
        given = [(at, k) for at, k in orders.get(zone, []) if at <= deadline]
        if not given:
            late.add(zone)
            continue
        at, action = given[-1]
        if action not in PROTECTIVE_ACTIONS.get(kind, (action,)):
            # Shelter from water or fire stands only if it was chosen, and still held,
            # when leaving meant going out into gas.
            chosen = _held_since(given)
            if not (
                leaving_into_gas(drill, zone, chosen, gassed)
                and leaving_into_gas(drill, zone, deadline, gassed)
            ):
                wrong.add(zone)
        elif kind == "gas" and action == "EvacuationOrdered" and at >= began:
            if at <= t:  # on the road as the cloud came
                sent_into_it = t < at + GAS_EVACUATION_LEAD_MIN
            else:  # after a cloud that gave no notice came: take cover first, then leave
                earlier = [k for when, k in orders[zone] if when < at]
                sheltered = bool(earlier) and earlier[-1] == "ShelterInPlaceOrdered"
                sent_into_it = not sheltered or _gas_above_aegl2(drill, zone, at)
            if sent_into_it:
                into_gas.add(zone)
    return _yes_no(
        not late and not wrong and not into_gas,
        zones=", ".join(sorted(late)) or "-",
        wrong=", ".join(sorted(wrong)) or "-",
        into_gas=", ".join(sorted(into_gas)) or "-",
        no_notice=", ".join(sorted(surprise)) or "-",
    )


def _held_since(given: list[tuple[float, str]]) -> float:
    """When the last order of ``given`` (time, kind; in log order) was first chosen: the start
    of the run of orders of its kind it ends, counting each minute by its last order (an
    order countermanded in the minute it was given never stood)."""
    last: dict[float, str] = {}
    for at, kind in given:
        last[at] = kind
    times = sorted(last)
    since = times[-1]
    for at in reversed(times):
        if last[at] != last[times[-1]]:
            break
        since = at
    return since


def leaving_into_gas(
    drill: DrillData,
    zone: str,
    t_min: float,
    gassed: Mapping[str, tuple[float, float]] | None = None,
) -> bool:
    """Would people ordered out of ``zone`` at ``t_min`` have gone out into gas?

    A cloud due within :data:`GAS_EVACUATION_LEAD_MIN` once its release had
    begun (people on the road have no walls around them), or gas above AEGL-2
    standing in the zone (:func:`_gas_above_aegl2`). A cloud already over the
    zone counts by what stands there now, not by its arrival: once it has
    passed, leaving is the rule. ``gassed``: :func:`analysis.kpis.gas_arrivals`.
    """
    if gassed is None:
        from analysis.kpis import gas_arrivals

        gassed = gas_arrivals(drill)
    arrival, began = gassed.get(zone, (math.inf, math.inf))
    cloud_due = began <= t_min <= arrival < t_min + GAS_EVACUATION_LEAD_MIN
    return cloud_due or _gas_above_aegl2(drill, zone, t_min)


def evacuation_safe(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """No evacuation was ordered into the hazard as it stood when the order was given: out
    of a zone the water had reached and not yet left (:func:`water_standing`), while gas
    above AEGL-2 stood in it (:func:`_gas_above_aegl2`), or with a toxic cloud due within
    :data:`GAS_EVACUATION_LEAD_MIN` (people on the road have no walls around them).

    The route itself is the engine's to check: it refuses an evacuation no open
    road leads from. Once the water has gone down and the zone's roads are open
    again, moving the people who sat it out is recovery, not a march into the flood;
    likewise once a toxic cloud has passed.
    """
    del kpis
    kinds = set(_hazard_kinds(drill).values())
    if not kinds & {"flood", "gas"}:
        return "n/a", {}
    from analysis.kpis import gas_arrivals

    gassed = gas_arrivals(drill)
    unsafe = set()
    for order in drill.of("EvacuationOrdered"):
        zone = str(order.data["zone"])
        # A cloud counts once its release had begun (an evacuation ordered for a fire
        # before a tank failed could not know of the gas to come).
        if water_standing(drill, zone, order.t_min) or leaving_into_gas(
            drill, zone, order.t_min, gassed
        ):
            unsafe.add(zone)
    return _yes_no(not unsafe, zones=", ".join(sorted(unsafe)) or "-")


def water_standing(drill: DrillData, zone: str, t_min: float) -> bool:
    """Was flood water in ``zone`` at ``t_min``, as far as the log shows?

    From the first ``zone_reached`` of a flood until it is seen to have gone:
    the water cut the zone off from the roads (``ZoneAccess`` false) after it
    came, the zone was joined to the roads again by ``t_min``, and no resident
    has been harmed by the flood since then. The log holds no depth per zone,
    so this is the evidence a dispatcher would have: roads passable again and
    nobody hurt.
    """
    floods = {h for h, k in _hazard_kinds(drill).items() if k == "flood"}
    came = min(
        (
            e.t_min
            for e in drill.of("HazardMilestone")
            if e.data.get("milestone") == "zone_reached"
            and e.data.get("kind") == "flood"
            and str(e.data.get("zone")) == zone
        ),
        default=math.inf,
    )
    if came >= t_min:
        return False
    cut, rejoined = False, None
    for event in drill.of("ZoneAccess"):
        if str(event.data.get("zone")) != zone or event.t_min < came or event.t_min > t_min:
            continue
        if not event.data["by_road"]:
            cut, rejoined = True, None
        elif cut:
            rejoined = event.t_min
    if rejoined is None:
        return True
    return any(
        rejoined <= e.t_min <= t_min
        and str(e.data.get("zone")) == zone
        and str(e.data.get("cause")) in floods
        and not e.data.get("evacuees")
        for e in drill.of("PeopleHarmed")
    )


def _gas_above_aegl2(drill: DrillData, zone: str, t_min: float) -> bool:
    """Did gas above AEGL-2 stand in ``zone`` at ``t_min``, by the last sample before it?

    A gas hazard's ``people_above_aegl2_by_zone`` counts the people whose dose
    passed AEGL-2, and they stay counted after the cloud is gone; so the zone
    counts as under the cloud only while that gas still has an area above
    AEGL-2 somewhere on the map (``aegl2_area_m2``, where the log carries it).
    """
    last = None
    for sample in drill.samples:
        if sample.t_min > t_min:
            break
        last = sample
    if last is None:
        return False
    return any(
        int(m.get("people_above_aegl2_by_zone", {}).get(zone, 0)) > 0
        and float(m.get("aegl2_area_m2", 1.0)) > 0
        for m in last.data.get("hazards", {}).values()
    )


FORECAST_THREAT_MIN = 0.3  # the forecast threat at which the plans call for protective action


def forecast_threatened(drill: DrillData) -> dict[str, float]:
    """Zone id -> the first minute the official forecast (logged in each sample) rated it a
    threat worth acting on."""
    first: dict[str, float] = {}
    for sample in drill.samples:
        for zone, (level, _advice) in sample.data.get("threats", {}).items():
            if level >= FORECAST_THREAT_MIN:
                first.setdefault(zone, sample.t_min)
    return first


OVERREACTION_SHARE_MAX = 0.25  # DrillCommand default: a quarter of evacuation effort unneeded


def not_over_reacting(
    drill: DrillData, kpis: dict[str, Kpi], forecast: Mapping[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    """Evacuation effort went where the event reaches or the forecast said it might: at most
    a quarter of the person-hours evacuated (on the road or in shelters) were spent by zones
    neither the unchecked event nor the official forecast ever threatened. Moving people
    costs them (and the shelters) dearly."""
    del kpis
    if not drill.first("HazardStarted"):
        return "n/a", {}
    # Needed where the unchecked event reaches (the idle drill), where it reached here, and
    # wherever the official forecast had warned of a threat by then: acting on the forecast
    # is never over-reaction, even if the event then stayed away; acting hours before it
    # said anything, on a zone the event never reaches, is.
    reached = set((forecast or {}).get("arrivals") or {}) | set(arrival_kinds(drill))
    warned_of = forecast_threatened(drill)
    needed = unneeded = 0.0
    last_t, last_zones = 0.0, {}
    for sample in drill.samples:
        hours = (sample.t_min - last_t) / 60.0
        for zone, counts in last_zones.items():
            moved = counts[2] + counts[3]  # evacuating + evacuated (PersonState order)
            if zone in reached or warned_of.get(zone, float("inf")) <= sample.t_min:
                needed += moved * hours
            else:
                unneeded += moved * hours
        last_t, last_zones = sample.t_min, sample.data.get("zones", {})
    total = needed + unneeded
    share = unneeded / total if total else 0.0
    return _yes_no(
        share <= OVERREACTION_SHARE_MAX,
        unneeded_person_h=round(unneeded),
        share=round(share, 3),
    )


def multichannel(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Warnings reached the public through at least two channels."""
    del kpis
    if drill.first("HazardStarted") is None:
        return "n/a", {}
    channels = sorted({str(e.data["channel"]) for e in drill.of("WarningIssued")})
    return _yes_no(len(channels) >= 2, channels=", ".join(channels) or "-")


def traffic_teams(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """A police or volunteer team worked in (or was sent to) every zone ordered to evacuate.

    A zone no road joined to any team's base for longer than a dispatcher's
    turnaround after the order could not be given one: it is named, not counted.
    """
    del kpis
    from analysis.waiting import TURNAROUND_MIN, minutes_by_road

    ordered: dict[str, float] = {}
    for event in drill.of("EvacuationOrdered"):
        ordered.setdefault(str(event.data["zone"]), event.t_min)
    if not ordered:
        # Judged wherever evacuation is the doctrine (water, fire reached people):
        # ordering none is no excuse.
        must = sorted(z for z, (_, k) in arrival_kinds(drill).items() if k in ("flood", "fire"))
        return ("no", {"zones": ", ".join(must), "cut_off": "-"}) if must else ("n/a", {})
    teamed = {str(e.data["zone"]) for e in drill.of("UnitArrived") if "zone" in e.data}
    # A team sent but refused for want of an open road: the commander tried; the road failed.
    teamed |= {
        str(e.data["command"].get("target"))
        for e in drill.of("CommandIssued")
        if e.data.get("reason") == "no_route" and e.data["command"].get("type") == "dispatch"
    }
    cut_off = {z for z, t in ordered.items() if minutes_by_road(drill, z, t) <= TURNAROUND_MIN}
    missing = sorted(set(ordered) - teamed - cut_off)
    return _yes_no(
        not missing,
        zones=", ".join(missing) or "-",
        cut_off=", ".join(sorted(cut_off - teamed)) or "-",
    )


def injured_hospitalised(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Casualties were carried to care as fast as the carriers allowed.

    Met when nobody injured was left waiting at the end, or when every
    carrier (ambulance, casualty bus, helicopter) able to take them was at
    work then and no casualty report waited for its first carrier longer than
    :data:`analysis.kpis.IDLE_WAIT_MAX_MIN` while one stood free. More
    casualties than the whole force can lift is the event's doing; a carrier
    left standing is the commander's.
    """
    from analysis.kpis import IDLE_WAIT_MAX_MIN
    from analysis.waiting import idle_while_waiting

    if not kpis["injuries"].value:
        return "n/a", {}
    people = drill.outcome.get("people") or (
        drill.samples[-1].data.get("people", {}) if drill.samples else {}
    )
    left = int(people.get("injured", 0))
    kinds = {str(e.data["incident"]): e.data.get("kind") for e in drill.of("IncidentCreated")}
    waits = {i: w for i, w in idle_while_waiting(drill).items() if kinds.get(i) == "casualties"}
    slow = sorted(i for i, w in waits.items() if w > IDLE_WAIT_MAX_MIN)
    idle_carriers = _idle_carriers(drill)
    return _yes_no(
        left == 0 or (not slow and not idle_carriers),
        left=left,
        idle_carriers=", ".join(idle_carriers) or "-",
        waited=", ".join(slow) or "-",
    )


def _idle_carriers(drill: DrillData) -> list[str]:
    """Carriers that could have taken casualties still waiting at the end but stood free:
    any free carrier if a road led to one of them, else boats and aircraft only; and the
    reinforcements able to carry them that were never asked for."""
    from analysis.waiting import free_at_end, never_requested

    waiting = _waiting_at_end(drill)
    if not waiting:
        return []
    cut = _cut_off_at_end(drill, "casualties", count_offered=False)
    by_road = any(i not in cut for i in waiting)
    free = sorted(free_at_end(drill, "casualties", by_road))
    return free + [f"{r} (not requested)" for r in never_requested(drill, "casualties", by_road)]


def _waiting_at_end(drill: DrillData) -> list[str]:
    """Casualty reports still open at the end that a carrier could have reached, in time."""
    from analysis.targets import first_unit_targets
    from analysis.waiting import unreachable

    closed = {str(e.data["incident"]) for e in drill.of("IncidentResolved")}
    beyond = unreachable(drill) | _cut_off_at_end(drill, "casualties")
    allowed = first_unit_targets(drill)
    return sorted(
        str(e.data["incident"])
        for e in drill.of("IncidentCreated")
        if e.data.get("kind") == "casualties"
        and str(e.data["incident"]) not in closed | beyond
        and e.t_min <= drill.end_min - allowed[str(e.data["incident"])]
    )


def _cut_off_at_end(drill: DrillData, kind: str, count_offered: bool = True) -> set[str]:
    """Incidents no road joined to a base when the drill ended, unless (``count_offered``) a
    boat or aircraft of the force, or on offer as a reinforcement, could answer them."""
    from analysis.waiting import capable, potential_units

    if count_offered and any(capable(u, kind, by_road=False) for u in potential_units(drill)):
        return set()
    joined: dict[str, bool] = {}
    for e in drill.of("IncidentAccess"):
        joined[str(e.data["incident"])] = bool(e.data["by_road"])
    return {i for i, ok in joined.items() if not ok}


SOURCE_KINDS = ("leak", "levee_damage", "wildfire")  # incidents that feed a hazard


def source_controlled(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Every hazard source within reach (a leak, a failing levee, a fire front) was brought
    under control, or had capable units working it when the drill ended."""
    del kpis
    from analysis.waiting import unreachable

    made = {
        str(e.data["incident"]): e
        for e in drill.of("IncidentCreated")
        if e.data.get("kind") in SOURCE_KINDS
    }
    if not made:
        return "n/a", {}
    closed = {str(e.data["incident"]) for e in drill.of("IncidentResolved")}
    beyond = unreachable(drill)
    if set(made) <= beyond:  # no source any unit could reach: nothing for command to do
        return "n/a", {"unreachable": ", ".join(sorted(made))}
    left = sorted(i for i in made if i not in closed | beyond | worked_at_end(drill))
    return _yes_no(
        not left,
        open=", ".join(left) or "-",
        unreachable=", ".join(sorted(set(made) & beyond - closed)) or "-",
    )


def incidents_resolved(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Every incident within reach was closed, or still being worked, when the drill ended.

    A wildfire front or a leak may outlast the drill; what the commander owes
    it is units on it. Incidents no unit of the force could reach (cut off by
    road, no capable boat or aircraft) are left out and named, and so are
    incidents made so late that their first unit was not yet due (as for the
    response times).
    """
    del kpis
    from analysis.targets import first_unit_targets
    from analysis.waiting import unreachable

    made = {str(e.data["incident"]): e for e in drill.of("IncidentCreated")}
    if not made:
        return "n/a", {}
    closed = {str(e.data["incident"]) for e in drill.of("IncidentResolved")}
    beyond = unreachable(drill)
    worked = worked_at_end(drill)
    allowed = first_unit_targets(drill)
    not_due = {i for i, e in made.items() if e.t_min > drill.end_min - allowed[i]}
    left = [i for i in made if i not in closed | beyond | worked | not_due]
    return _yes_no(
        not left,
        open=len(left),
        total=len(made),
        unreachable=", ".join(sorted((set(made) - closed) & beyond)) or "-",
    )


def worked_at_end(drill: DrillData) -> set[str]:
    """Incidents some unit was sent to, or on, when the drill ended."""
    task: dict[str, str] = {}
    for event in drill.events:
        unit = str(event.data.get("unit", ""))
        if event.kind == "UnitDispatched":
            task[unit] = (
                str(event.data.get("target")) if event.data.get("order") == "incident" else ""
            )
        elif event.kind in ("UnitReturned", "UnitResting", "UnitStranded", "UnitAvailable"):
            task.pop(unit, None)
    return {t for t in task.values() if t}


STRANDED_GRACE_MIN = 15.0  # DrillCommand default: time to recall or re-task a cut-off crew


def left_stranded(drill: DrillData) -> list[str]:
    """Units left stranded (no open road to their task) longer than the grace time.

    A stranding ends when the unit is recalled or re-tasked (UnitDispatched),
    or gets through after all (UnitArrived, UnitReturned). A unit that strands
    again on its way home after a recall is waiting for a road, not for an
    order: the commander has done what can be done, and calling it back again
    each minute would change nothing.
    """
    since: dict[str, float] = {}
    homeward: set[str] = set()  # recalled and not re-tasked since
    left: set[str] = set()
    for event in drill.events:
        unit = str(event.data.get("unit", ""))
        if event.kind == "UnitDispatched":
            if event.data.get("order") == "base":
                homeward.add(unit)
            else:
                homeward.discard(unit)
        if event.kind == "UnitStranded":
            if unit not in homeward:
                since.setdefault(unit, event.t_min)
        elif event.kind in ("UnitDispatched", "UnitArrived", "UnitReturned") and unit in since:
            waited = event.t_min - since.pop(unit)
            if waited > STRANDED_GRACE_MIN:
                left.add(unit)
    left.update(u for u, t in since.items() if drill.end_min - t > STRANDED_GRACE_MIN)
    return sorted(left)


def responders_safe(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """No unit was left stranded by the hazard: a cut-off crew is recalled or re-tasked at once."""
    del kpis
    if not drill.of("IncidentCreated", "HazardStarted", "UnitDispatched"):
        return "n/a", {}
    stranded = left_stranded(drill)
    return _yes_no(not stranded, units=", ".join(stranded) or "-", grace_min=STRANDED_GRACE_MIN)


def kpi_check(kpi_id: str) -> Check:
    def check(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
        del drill
        return _from_kpi(kpis[kpi_id])

    check.kpi_id = kpi_id  # type: ignore[attr-defined]
    return check


def orders_valid(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Few orders refused (≤ 10 %). With no order given there is nothing refused to judge:
    not applicable. Doing nothing fails the items that ask for action (warning, protective
    action, response level, dispatch), where it belongs."""
    del drill
    kpi = kpis["orders_rejected"]
    if kpi.status == "n/a":
        return "n/a", {"orders": 0}
    return _from_kpi(kpi)


# (item id, dimension, severity, check), in Annex A order. The critical items are the
# tasks without which people come to harm: warn in time, protect the threatened zones
# with the action that fits, keep people out of toxic gas, carry the injured to care,
# control the hazard's source.
ITEMS: tuple[tuple[str, str, str, Check], ...] = (
    ("warning_in_time", "warning_reporting", "critical", kpi_check("warning_delay")),
    ("warning_coverage", "warning_reporting", "major", kpi_check("warning_coverage")),
    ("reporting_upward", "warning_reporting", "major", kpi_check("reporting_upward")),
    ("level_set", "mobilisation", "major", level_set),
    ("reinforcements", "mobilisation", "major", reinforcements),
    ("threatened_zones_acted", "monitoring", "critical", threatened_zones_acted),
    ("level_in_proportion", "command", "major", kpi_check("response_level")),
    ("not_over_reacting", "command", "major", not_over_reacting),
    ("no_idle_units", "command", "major", kpi_check("idle_units")),
    ("orders_valid", "command", "minor", orders_valid),
    ("first_unit_in_time", "handling", "major", kpi_check("first_unit")),
    ("source_controlled", "handling", "critical", source_controlled),
    ("needs_met_10h", "resources", "major", kpi_check("needs_met")),
    ("multichannel_warning", "public_information", "minor", multichannel),
    ("evacuated_before_arrival", "protection", "major", kpi_check("evacuation")),
    ("no_aegl2_exposure", "protection", "critical", kpi_check("above_aegl2")),
    ("evacuation_safe", "protection", "major", evacuation_safe),
    ("responders_safe", "protection", "major", responders_safe),
    ("traffic_teams", "cordon", "minor", traffic_teams),
    ("ambulance_in_time", "medical", "major", kpi_check("ambulance")),
    ("injured_hospitalised", "medical", "critical", injured_hospitalised),
    ("incidents_resolved", "recovery", "major", incidents_resolved),
)
NEEDS_FORECAST = frozenset({not_over_reacting})


ITEM_KPI: dict[str, str] = {
    item: check.kpi_id for item, _, _, check in ITEMS if hasattr(check, "kpi_id")
}


def judge_all(
    drill: DrillData, kpis: dict[str, Kpi], forecast: Mapping[str, Any] | None = None
) -> list[Judgement]:
    """Every observable item of Annex A judged from the log, in the standard's order.

    ``forecast`` (what the event does unchecked, :func:`analysis.scoring.forecast`)
    tells over-reaction from need; without it, what this drill shows.
    """
    judged = []
    for item, dimension, severity, check in ITEMS:
        if check in NEEDS_FORECAST:
            result, params = check(drill, kpis, forecast)  # type: ignore[call-arg]
        else:
            result, params = check(drill, kpis)
        judged.append(Judgement(item, dimension, result, severity, params))
    return judged
