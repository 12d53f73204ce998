"""Absolute figures of a drill, computed from its log alone.

Each function takes a :class:`DrillData` and returns a :class:`Kpi`: the value,
its unit, the target, and a status — ``met``, ``missed``, ``info`` (no
target), ``n/a`` (nothing in this drill to judge, e.g. no casualties) or
``not_observable`` (the log does not carry the evidence; never guessed).
``evidence`` holds the plain figures behind the judgement, for the report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.drilldata import DrillData, unit_type
from analysis.targets import (
    REJECTED_ORDERS_MAX,
    REPORT_WITHIN_MIN,
    Targets,
    first_unit_targets,
    targets_for,
)
from analysis.waiting import idle_while_waiting, response_times, unreachable
from sim.grades import harm_rank, reach_rank
from sim.people import CHANNELS, PEOPLE_STEP_MIN

UNAWARE, EVACUATED, SHELTERING = 0, 3, 4  # PersonState order in StateSampled "zones"
LEVEL_RANK = {"none": 0, "IV": 1, "III": 2, "II": 3, "I": 4}
RANK_LEVEL = {v: k for k, v in LEVEL_RANK.items()}
IDLE_WAIT_MAX_MIN = 10.0  # two bot decision cycles: longer is an incident left waiting
COMPLIANCE_SHARE = 0.9  # NFPA 1710 §4.1.2.4: time objectives met on ≥90 % of incidents


@dataclass(frozen=True)
class Kpi:
    id: str
    value: float | None
    unit: str
    status: str  # met | missed | info | n/a | not_observable
    target: float | None = None
    source: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    target_unit: str = ""  # when the target is in other units than the value (default: same)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "value": self.value,
            "unit": self.unit,
            "status": self.status,
            "target": self.target,
            "source": self.source,
            "evidence": self.evidence,
            "target_unit": self.target_unit or self.unit,
        }


def _judge(ok: bool) -> str:
    return "met" if ok else "missed"


def hazard_known_min(drill: DrillData) -> float | None:
    """When the first hazard began (HazardStarted), or None if the drill has none."""
    started = drill.of("HazardStarted")
    return min(e.t_min for e in started) if started else None


def hazard_reach(drill: DrillData) -> dict[tuple[str, str], float]:
    """(zone id, hazard id) -> the first minute that hazard reached that zone.

    A ``zone_reached`` milestone where the hazard model emits one; otherwise
    the first harm the hazard did to people living in the zone (not to
    evacuees hurt on the road) — the earliest evidence in the log that it was
    there. One reading of the log for every "when did it arrive" question.
    """
    hazards = {str(e.data.get("hazard")) for e in drill.of("HazardStarted")}
    reach: dict[tuple[str, str], float] = {}
    for event in drill.events:
        if event.kind == "HazardMilestone" and event.data.get("milestone") == "zone_reached":
            hazard = str(event.data.get("hazard"))
        elif event.kind == "PeopleHarmed" and not event.data.get("evacuees"):
            hazard = str(event.data.get("cause"))
            if hazard not in hazards:  # an incident's waiting deaths, not a hazard's reach
                continue
        else:
            continue
        zone = event.data.get("zone")
        if zone is not None:
            reach.setdefault((str(zone), hazard), event.t_min)
    return reach


def arrivals_by_hazard(drill: DrillData) -> dict[str, tuple[float, str]]:
    """Zone id -> (minute, hazard id) of the first hazard to reach it (:func:`hazard_reach`)."""
    arrivals: dict[str, tuple[float, str]] = {}
    for (zone, hazard), t in hazard_reach(drill).items():  # in log order: the first wins
        arrivals.setdefault(zone, (t, hazard))
    return arrivals


def hazard_arrivals(drill: DrillData) -> dict[str, float]:
    """Zone id -> when a hazard first reached it (see :func:`arrivals_by_hazard`)."""
    return {z: t for z, (t, _) in arrivals_by_hazard(drill).items()}


def hazard_starts(drill: DrillData) -> dict[str, float]:
    """Hazard id -> when it began (its first ``HazardStarted``)."""
    starts: dict[str, float] = {}
    for event in drill.of("HazardStarted"):
        starts.setdefault(str(event.data.get("hazard")), event.t_min)
    return starts


def zone_counts_at(drill: DrillData, t_min: float) -> dict[str, list[int]]:
    """People by zone and state at the last sample at or before ``t_min``."""
    best: dict[str, list[int]] = {}
    for sample in drill.samples:
        if sample.t_min > t_min:
            break
        best = dict(sample.data.get("zones", {}))
    return best


def warning_delay(drill: DrillData, targets: Targets) -> Kpi:
    known = hazard_known_min(drill)
    source = "warning"
    if known is None:
        return Kpi("warning_delay", None, "min", "n/a", targets.warning_within_min, source)
    warning = drill.first("WarningIssued")
    if warning is None:
        return Kpi(
            "warning_delay",
            None,
            "min",
            "missed",
            targets.warning_within_min,
            source,
            {"known_min": known},
        )
    delay = max(0.0, warning.t_min - known)
    return Kpi(
        "warning_delay",
        round(delay, 2),
        "min",
        _judge(delay <= targets.warning_within_min),
        targets.warning_within_min,
        source,
        {"known_min": known, "warned_min": warning.t_min, "zone": warning.data.get("zone")},
    )


# The least notice in which any warning channel reaches its people (SMS: 2 min delay +
# 10 min spread, sim.people.CHANNELS): a zone reached sooner had no notice to act on.
MIN_NOTICE_MIN = min(c.delay_min + c.spread_min for c in CHANNELS.values())


def notice_min(drill: DrillData) -> dict[str, float]:
    """Zone id -> minutes between the hazard that reached it beginning and its reaching the zone.

    Each hazard counts from its own start: a chlorine store that fails when the
    flood reaches it gives notice from the leak, not from the first rain.
    """
    known = hazard_known_min(drill) or 0.0
    starts = hazard_starts(drill)
    return {z: t - starts.get(h, known) for z, (t, h) in arrivals_by_hazard(drill).items()}


def gas_arrivals(drill: DrillData) -> dict[str, tuple[float, float]]:
    """Zone id -> (when a gas cloud first reached it, when that gas's release began)."""
    starts = hazard_starts(drill)
    gases = {str(h.id) for h in drill.scenario.hazards if str(h.kind) == "gas"}
    out: dict[str, tuple[float, float]] = {}
    for (zone, hazard), t in hazard_reach(drill).items():
        if hazard in gases and hazard in starts:
            out.setdefault(zone, (t, starts[hazard]))
    return out


def gas_notice_min(drill: DrillData) -> dict[str, float]:
    """Zone id -> minutes from a gas release beginning to its cloud reaching the zone.

    Counted per gas hazard from its own start, whatever reached the zone
    before: a flooded town hit by the chlorine of a flooded plant had no
    notice of the chlorine, however long it had of the water.
    """
    return {zone: t - began for zone, (t, began) in gas_arrivals(drill).items()}


def _share_at_arrival(drill: DrillData, states: tuple[int, ...], aware: bool) -> dict[str, Any]:
    """People at arrival, per reached zone: warned (aware) or out of harm's way (states).

    Zones the hazard reached with less notice than any warning channel needs are
    listed under ``no_notice`` and left out: nobody could have warned them in time.
    """
    per_zone: dict[str, float] = {}
    total = good = 0
    notice = notice_min(drill)
    no_notice = sorted(z for z, n in notice.items() if n < MIN_NOTICE_MIN)
    for zone, t in sorted(hazard_arrivals(drill).items()):
        if zone in no_notice:
            continue
        counts = zone_counts_at(drill, t).get(zone)
        if counts is None:
            continue
        people = sum(counts)
        ok = people - counts[UNAWARE] if aware else sum(counts[s] for s in states)
        per_zone[zone] = round(ok / people, 4) if people else 1.0
        total, good = total + people, good + ok
    found: dict[str, Any] = {"zones": per_zone, "people": total, "ok": good}
    if no_notice:
        found["no_notice"] = no_notice
    return found


def _arrival_share(
    drill: DrillData,
    kpi_id: str,
    states: tuple[int, ...],
    aware: bool,
    target: float,
    source: str,
) -> Kpi:
    """A share of the people in reached zones, judged at the moment the hazard arrived."""
    found = _share_at_arrival(drill, states, aware=aware)
    if not found["zones"]:
        evidence = {"no_notice": found["no_notice"]} if "no_notice" in found else {}
        return Kpi(kpi_id, None, "share", "n/a", target, source, evidence)
    share = round(found["ok"] / found["people"], 4) if found["people"] else 1.0
    return Kpi(kpi_id, share, "share", _judge(share >= target), target, source, found)


def warning_coverage(drill: DrillData, targets: Targets) -> Kpi:
    """Share of the people in zones a hazard reached who had heard a warning by then."""
    return _arrival_share(drill, "warning_coverage", (), True, targets.coverage_share, "coverage")


def evacuation_before_arrival(drill: DrillData, targets: Targets) -> Kpi:
    """Share of people evacuated or sheltering in place when the hazard reached their zone,
    judged from when it could be done.

    The target is :attr:`Targets.evacuation_share` (90 %) of what the quickest
    commander could have had out of harm's way by then
    (:mod:`analysis.achievable`: warned on every channel and ordered out, or to
    shelter where the hazard's doctrine allows it, the minute the hazard began),
    not 90 % of everyone: water that reaches a zone half an hour after the
    release leaves no commander time to empty it, and people a warning system
    never reaches or who ignore a red warning are not the commander's to move.
    Zones where nobody could have been out in time are listed under
    ``no_time`` and left out; where that is every zone, the item is not
    applicable.
    """
    from analysis.achievable import achievable_shares
    from analysis.rubric import PROTECTIVE_ACTIONS

    found = _share_at_arrival(drill, (EVACUATED, SHELTERING), aware=False)
    kinds = {str(h.id): str(h.kind) for h in drill.scenario.hazards}
    known = hazard_known_min(drill) or 0.0
    starts = hazard_starts(drill)
    arrived = {z: t for z, (t, _) in arrivals_by_hazard(drill).items() if z in found["zones"]}
    windows = {}
    for zone, (t, hazard) in arrivals_by_hazard(drill).items():
        if zone in arrived:  # judged on the last sample before the arrival, as the share is
            judged_at = max(s.t_min for s in drill.samples if s.t_min <= t)
            # A sample is taken before that minute's people step (sim.engine's sampler
            # process starts first), so it shows the steps of the minutes before it.
            steps_min = judged_at - starts.get(hazard, known) - PEOPLE_STEP_MIN
            windows[zone] = (steps_min, kinds.get(hazard, ""))
    best = achievable_shares(drill, windows, PROTECTIVE_ACTIONS)
    population = drill.zone_population
    no_time = sorted(z for z, b in best.items() if b * population.get(z, 0) < 1.0)
    judged = [z for z in found["zones"] if z not in no_time]
    evidence: dict[str, Any] = {k: v for k, v in found.items() if k == "no_notice"}
    if no_time:
        evidence["no_time"] = no_time
    target = targets.evacuation_share
    if not judged:
        return Kpi("evacuation", None, "share", "n/a", target, "evacuation", evidence)
    counts = {z: zone_counts_at(drill, arrived[z])[z] for z in judged}
    people = sum(sum(c) for c in counts.values())
    ok = sum(c[EVACUATED] + c[SHELTERING] for c in counts.values())
    possible = sum(best[z] * sum(counts[z]) for z in judged)
    share = round(ok / people, 4) if people else 1.0
    allowed = round(target * possible / people, 4) if people else target
    evidence.update(
        {
            "zones": {z: found["zones"][z] for z in judged},
            "people": people,
            "ok": ok,
            "achievable": {z: best[z] for z in judged},
            "achievable_share": round(possible / people, 4) if people else 1.0,
        }
    )
    return Kpi(
        "evacuation", share, "share", _judge(share >= allowed), allowed, "evacuation", evidence
    )


def _compliance(
    kpi_id: str,
    times: dict[str, float | None],
    target: float,
    source: str,
    out_of_reach: set[str] | frozenset[str] = frozenset(),
    allowed: Mapping[str, float] | None = None,
    kinds: tuple[str, ...] | None = None,
    drill: DrillData | None = None,
) -> Kpi:
    """Share of incidents answered within ``target`` (unanswered ones count as late).

    Incidents (of ``kinds``, if given) ``out_of_reach`` of every capable unit in the
    force (see :func:`analysis.waiting.unreachable`) are listed in the evidence, not
    judged.
    """
    made = {
        str(e.data["incident"])
        for e in (drill.of("IncidentCreated") if drill else [])
        if kinds is None or e.data.get("kind") in kinds
    }
    beyond = sorted(i for i in made | set(times) if i in out_of_reach)
    times = {i: t for i, t in times.items() if i not in out_of_reach}
    if not times:
        evidence = {"unreachable": beyond} if beyond else {}
        return Kpi(kpi_id, None, "share", "n/a", target, source, evidence, "min")
    allowed = {i: allowed[i] for i in times} if allowed else {i: target for i in times}
    within = sum(1 for i, t in times.items() if t is not None and t <= allowed[i])
    share = round(within / len(times), 4)
    answered = [t for t in times.values() if t is not None]
    evidence = {
        "incidents": {k: (None if v is None else round(v, 2)) for k, v in sorted(times.items())},
        "within": within,
        "worst_min": round(max(answered), 2) if answered else None,  # of those answered
        "never": len(times) - len(answered),  # never answered: later than any "slowest"
    }
    if beyond:
        evidence["unreachable"] = beyond
    if any(a != target for a in allowed.values()):
        evidence["allowed_min"] = dict(sorted(allowed.items()))
    return Kpi(
        kpi_id, share, "share", _judge(share >= COMPLIANCE_SHARE), target, source, evidence, "min"
    )


def first_unit_on_scene(drill: DrillData, targets: Targets) -> Kpi:
    """Incidents whose first unit arrived within the (map-scaled) fire-service target."""
    allowed = first_unit_targets(drill)
    times = response_times(drill, "UnitArrived", allowed, None)
    return _compliance(
        "first_unit",
        times,
        targets.first_unit_on_scene_min,
        "first_unit",
        unreachable(drill),
        allowed,
        drill=drill,
    )


def ambulance_dispatch(drill: DrillData, targets: Targets) -> Kpi:
    """Casualty incidents with an ambulance (or helicopter) dispatched within the target."""
    times = response_times(
        drill, "UnitDispatched", targets.ambulance_dispatch_min, ("ambulance", "helicopter")
    )
    return _compliance(
        "ambulance",
        times,
        targets.ambulance_dispatch_min,
        "ambulance",
        unreachable(drill),
        kinds=("casualties",),
        drill=drill,
    )


def disaster_start_min(drill: DrillData) -> float:
    """When the disaster began: the first hazard, else the first incident, else 0."""
    known = hazard_known_min(drill)
    if known is not None:
        return known
    first = drill.first("IncidentCreated")
    return first.t_min if first else 0.0


def needs_met(drill: DrillData, targets: Targets) -> Kpi:
    """Were sheltered people's basic needs all met by the deadline (no unmet need accruing)?"""
    deadline = disaster_start_min(drill) + targets.basic_needs_within_h * 60.0
    samples = [s for s in drill.samples if s.t_min <= deadline]
    sheltered_ever = any(sum(s.data.get("shelters", {}).values()) for s in drill.samples)
    displaced_ever = any(s.data.get("unmet_need_person_h", 0) > 0 for s in drill.samples)
    if not sheltered_ever and not displaced_ever:  # nobody lost a home: nothing to meet
        return Kpi("needs_met", None, "share", "n/a", 1.0, "needs")
    if len(samples) < 2:
        return Kpi("needs_met", None, "share", "not_observable", 1.0, "needs")
    before, last = samples[-2], samples[-1]
    hours = (last.t_min - before.t_min) / 60.0
    accrued = last.data["unmet_need_person_h"] - before.data["unmet_need_person_h"]
    sheltered = sum(last.data.get("shelters", {}).values())
    if sheltered == 0:  # nobody in a shelter: all met if no need accrues, else none
        share = 1.0 if accrued <= 1e-6 else 0.0
    else:
        share = max(0.0, 1.0 - accrued / hours / sheltered)
    evidence = {
        "deadline_min": deadline,
        "judged_at_min": last.t_min,
        "drill_ended_first": deadline > drill.end_min,
        "sheltered": sheltered,
        "unmet_rate_person_h_per_h": round(accrued / hours, 3),
    }
    met = accrued <= 1e-6
    # Still short when the drill ended before the deadline: whether the target would have
    # been met is unknown, so it goes to the evaluator, unjudged, if supplies were on their
    # way to every shelter with people in it; a shelter nobody sent anything to fails it.
    status = _judge(met)
    if not met and deadline > drill.end_min:
        unsupplied = sorted(_occupied_shelters(last) - _supplied(drill))
        status = "missed" if unsupplied else "not_observable"
        if unsupplied:
            evidence["unsupplied"] = unsupplied
    # A share short of the target by less than the rounding keeps its digits: a value shown
    # as the target beside a failed verdict would contradict it.
    value = round(share, 4) if met or round(share, 4) < 1.0 else share
    return Kpi("needs_met", value, "share", status, 1.0, "needs", evidence)


def _occupied_shelters(sample: Any) -> set[str]:
    return {s for s, n in sample.data.get("shelters", {}).items() if n}


def _supplied(drill: DrillData) -> set[str]:
    """Shelters that supplies were sent or delivered to during the drill."""
    sent = {
        str(e.data["command"].get("destination"))
        for e in drill.of("CommandIssued")
        if e.data.get("accepted") and e.data["command"].get("type") == "move_supplies"
    }
    return sent | {str(e.data.get("facility")) for e in drill.of("SuppliesDelivered")}


def unmet_need(drill: DrillData, targets: Targets) -> Kpi:
    del targets
    value = drill.outcome.get("unmet_need_person_h")
    if value is None and drill.samples:
        value = drill.samples[-1].data.get("unmet_need_person_h")
    status = "info" if value is not None else "not_observable"
    return Kpi("unmet_need", value, "person_h", status, None, "needs")


def deaths(drill: DrillData, targets: Targets) -> Kpi:
    del targets
    people = drill.outcome.get("people") or (
        drill.samples[-1].data["people"] if drill.samples else {}
    )
    value = people.get("dead")
    return Kpi("deaths", value, "people", "info" if value is not None else "not_observable")


def injuries(drill: DrillData, targets: Targets) -> Kpi:
    """Everyone injured during the drill, whatever became of them.

    Hazards report their injured in PeopleHarmed; a casualty incident made by an
    inject brings its injured with it (IncidentCreated ``people``). Hazard-made
    casualty incidents start empty, so no one is counted twice.
    """
    del targets
    value = sum(int(e.data.get("injured", 0)) for e in drill.of("PeopleHarmed"))
    value += sum(
        int(e.data.get("people", 0))
        for e in drill.of("IncidentCreated")
        if e.data.get("kind") == "casualties"
    )
    return Kpi("injuries", value, "people", "info")


def above_aegl2(drill: DrillData, targets: Targets) -> Kpi:
    """People exposed above AEGL-2 (each zone's peak), from the gas hazards' sampled metrics.

    As for warning coverage, a zone the cloud reached with less notice than any
    warning channel needs is listed under ``no_notice`` with its exposure, not
    judged: nobody could have told its people to take cover in time.
    """
    del targets
    if not any(str(h.kind) == "gas" for h in drill.scenario.hazards):
        return Kpi("above_aegl2", None, "people", "n/a", 0.0, "aegl2")
    peak: dict[str, int] = {}
    totals: list[int] = []
    for s in drill.samples:
        gases = [m for m in s.data.get("hazards", {}).values() if "people_above_aegl2" in m]
        if not gases:
            continue
        totals.append(sum(int(m["people_above_aegl2"]) for m in gases))
        for m in gases:
            for zone, n in m.get("people_above_aegl2_by_zone", {}).items():
                peak[zone] = max(peak.get(zone, 0), int(n))
    if not totals:
        return Kpi("above_aegl2", None, "people", "not_observable", 0.0, "aegl2")
    if not peak:  # a log from before the metric had zones: the total is all there is
        value = max(totals)
        evidence = {"unwarnable": 0}
        return Kpi("above_aegl2", value, "people", _judge(value == 0), 0.0, "aegl2", evidence)
    notice = gas_notice_min(drill)
    late = {z: n for z, n in peak.items() if notice.get(z, math.inf) < MIN_NOTICE_MIN}
    value = sum(n for z, n in peak.items() if z not in late)
    warnable = sum(
        drill.zone_population.get(z, 0)
        for z in set(notice) | set(peak)
        if z not in late and notice.get(z, math.inf) >= MIN_NOTICE_MIN
    )
    allowed = math.floor(AEGL2_RESIDUAL_SHARE * warnable)
    evidence: dict[str, Any] = {
        "zones": {z: n for z, n in sorted(peak.items()) if z not in late},
        "unwarnable": sum(late.values()),
        "people_warnable": warnable,
    }
    if late:
        evidence["no_notice"] = dict(sorted(late.items()))
    return Kpi("above_aegl2", value, "people", _judge(value <= allowed), allowed, "aegl2", evidence)


# People a warning system never reaches, whatever the commander does: sirens, broadcast and
# cell alerts together reach 95-99 % of a population, never all (Sorensen 2000, Nat. Hazards
# Rev. 1(2), table 2). Exposure above AEGL-2 up to 1 % of the people in the zones a warning
# could reach in time is held to be that residue, not a failure to protect.
AEGL2_RESIDUAL_SHARE = 0.01


def reporting_upward(drill: DrillData, targets: Targets) -> Kpi:
    """Minutes from the event becoming known to the first report upward (Decree 493 §9: 1 h)."""
    del targets
    began = drill.of("HazardStarted", "IncidentCreated")
    if not began:
        return Kpi("reporting_upward", None, "min", "n/a", REPORT_WITHIN_MIN, "report_1h")
    known = min(e.t_min for e in began)
    reports = [e.t_min for e in drill.of("ReportSubmitted") if e.t_min >= known]
    if not reports:  # never reported: the whole drill went by without a word upward
        return Kpi(
            "reporting_upward",
            None,
            "min",
            "missed",
            REPORT_WITHIN_MIN,
            "report_1h",
            {"reports": 0},
        )
    delay = min(reports) - known
    return Kpi(
        "reporting_upward",
        round(delay, 2),
        "min",
        _judge(delay <= REPORT_WITHIN_MIN),
        REPORT_WITHIN_MIN,
        "report_1h",
        {"reports": len(reports)},
    )


def warranted_level(drill: DrillData, forecast: Mapping[str, Any] | None = None) -> str:
    """The response level the event calls for, by the grade tables (:mod:`sim.grades`).

    Judged on the forecast — what the event does unchecked (the idle drill on
    the same scenario, over several seeds): its harm by Decree 493 §3 and its reach by
    the people in the zones it reaches — so the trainee's own results never
    set the bar they are judged by. Without a forecast (a crafted log), the
    harm and reach this drill shows.
    """
    happened = bool(drill.of("HazardStarted", "IncidentCreated"))
    if forecast:
        dead, hurt = forecast.get("deaths", 0), forecast.get("injuries", 0)
        reached = int(forecast.get("people_reached", 0))
    else:
        dead = deaths(drill, targets_for(drill)).value or 0
        hurt = injuries(drill, targets_for(drill)).value or 0
        reached = people_reached(drill)
    rank = max(harm_rank(int(dead), int(hurt), happened), reach_rank(reached) if happened else 0)
    return RANK_LEVEL[rank]


def people_reached(drill: DrillData) -> int:
    """People living in the zones the hazards reached (plus people caught in incidents)."""
    population = drill.zone_population
    reached = set(hazard_arrivals(drill))
    caught = sum(
        int(e.data.get("people", 0))
        for e in drill.of("IncidentCreated")
        if str(e.data.get("zone")) not in reached
    )
    return sum(population.get(z, 0) for z in reached) + caught


def response_level(
    drill: DrillData, targets: Targets, forecast: Mapping[str, Any] | None = None
) -> Kpi:
    """Highest level set, in proportion to the forecast event: within one grade of it.

    One step below the grade is sound when the grade is reached only late or
    at the edge; more is under-reaction, and more than one step above (level I
    for a level IV event) is over-reaction.
    """
    del targets
    set_levels = [LEVEL_RANK[e.data["level"]] for e in drill.of("ResponseLevelSet")]
    highest = max(set_levels, default=0)
    want = LEVEL_RANK[warranted_level(drill, forecast)]
    if want == 0 and highest == 0:
        return Kpi("response_level", 0, "rank", "n/a", 0, "severity")
    floor, ceiling = max(1, want - 1), min(4, want + 1)
    reached = int(forecast.get("people_reached", 0)) if forecast else people_reached(drill)
    evidence = {
        "set": RANK_LEVEL[highest],
        "warranted": RANK_LEVEL[want],
        "lowest": RANK_LEVEL[floor],
        "ceiling": RANK_LEVEL[ceiling],
        "people_reached": reached,
        "forecast": bool(forecast),
    }
    return Kpi(
        "response_level",
        highest,
        "rank",
        _judge(floor <= highest <= ceiling),
        want,
        "severity",
        evidence,
    )


def idle_units(drill: DrillData, targets: Targets) -> Kpi:
    """Longest time an incident waited for a dispatch while a capable unit stood available."""
    del targets
    waits = idle_while_waiting(drill)
    if not waits:
        return Kpi("idle_units", None, "min", "n/a", IDLE_WAIT_MAX_MIN)
    worst = max(waits.values())
    evidence = {"incidents": {k: round(v, 2) for k, v in sorted(waits.items())}}
    return Kpi(
        "idle_units",
        round(worst, 2),
        "min",
        _judge(worst <= IDLE_WAIT_MAX_MIN),
        IDLE_WAIT_MAX_MIN,
        "",
        evidence,
    )


def units_used(drill: DrillData, targets: Targets) -> Kpi:
    del targets
    total = sum(g.count for g in drill.scenario.forces.units)
    total += sum(len(e.data.get("units", [])) for e in drill.of("ReinforcementArrived"))
    used = {e.data["unit"] for e in drill.of("UnitDispatched")}
    types = sorted({unit_type(u) for u in used})
    share = round(len(used) / total, 4) if total else None
    return Kpi(
        "units_used",
        share,
        "share",
        "info",
        None,
        "",
        {"used": len(used), "total": total, "types": types},
    )


def orders_rejected(drill: DrillData, targets: Targets) -> Kpi:
    del targets
    orders = drill.of("CommandIssued")
    if not orders:
        return Kpi("orders_rejected", None, "share", "n/a", REJECTED_ORDERS_MAX)
    rejected = [e for e in orders if not e.data.get("accepted")]
    reasons: dict[str, int] = {}
    for e in rejected:
        reasons[str(e.data.get("reason"))] = reasons.get(str(e.data.get("reason")), 0) + 1
    share = round(len(rejected) / len(orders), 4)
    return Kpi(
        "orders_rejected",
        share,
        "share",
        _judge(share <= REJECTED_ORDERS_MAX),
        REJECTED_ORDERS_MAX,
        "",
        {
            "orders": len(orders),
            "rejected": len(rejected),
            "reasons": dict(sorted(reasons.items())),
        },
    )


KPIS: tuple[Callable[[DrillData, Targets], Kpi], ...] = (
    warning_delay,
    warning_coverage,
    evacuation_before_arrival,
    first_unit_on_scene,
    ambulance_dispatch,
    needs_met,
    unmet_need,
    deaths,
    injuries,
    above_aegl2,
    reporting_upward,
    response_level,
    idle_units,
    units_used,
    orders_rejected,
)


def all_kpis(drill: DrillData, forecast: Mapping[str, Any] | None = None) -> dict[str, Kpi]:
    """Every KPI of the drill, by id, in report order.

    ``forecast`` is what the event does unchecked (:func:`analysis.scoring.forecast`),
    against which the response level is judged.
    """
    targets = targets_for(drill)
    kpis = {k.id: k for k in (f(drill, targets) for f in KPIS)}
    kpis["response_level"] = response_level(drill, targets, forecast)
    return kpis
