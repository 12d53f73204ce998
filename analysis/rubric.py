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

from collections.abc import Callable
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


def threatened_zones_acted(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
    """Every zone the hazard reached was ordered to evacuate or shelter before it arrived.

    Zones reached with less notice than any warning needs are left out (named).
    """
    del kpis
    from analysis.kpis import MIN_NOTICE_MIN, hazard_arrivals, notice_min

    notice = notice_min(drill)
    arrivals = {z: t for z, t in hazard_arrivals(drill).items() if notice[z] >= MIN_NOTICE_MIN}
    if not arrivals:
        return "n/a", {}
    ordered: dict[str, float] = {}
    for e in drill.of("EvacuationOrdered", "ShelterInPlaceOrdered"):
        ordered.setdefault(str(e.data["zone"]), e.t_min)
    late = sorted(z for z, t in arrivals.items() if ordered.get(z, float("inf")) > t)
    return _yes_no(not late, zones=", ".join(late) or "-")


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
        return "n/a", {}
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
    """No injured person was left waiting for an ambulance at the end."""
    if not kpis["injuries"].value:
        return "n/a", {}
    left = int((drill.outcome.get("people") or {}).get("injured", 0))
    return _yes_no(left == 0, left=left)


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
    or gets through after all (UnitArrived, UnitReturned).
    """
    since: dict[str, float] = {}
    left: set[str] = set()
    for event in drill.events:
        unit = str(event.data.get("unit", ""))
        if event.kind == "UnitStranded":
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
    if not drill.of("UnitDispatched"):
        return "n/a", {}
    stranded = left_stranded(drill)
    return _yes_no(not stranded, units=", ".join(stranded) or "-", grace_min=STRANDED_GRACE_MIN)


def kpi_check(kpi_id: str) -> Check:
    def check(drill: DrillData, kpis: dict[str, Kpi]) -> tuple[str, dict[str, Any]]:
        del drill
        return _from_kpi(kpis[kpi_id])

    check.kpi_id = kpi_id  # type: ignore[attr-defined]
    return check


# (item id, dimension, severity, check), in Annex A order.
ITEMS: tuple[tuple[str, str, str, Check], ...] = (
    ("warning_in_time", "warning_reporting", "critical", kpi_check("warning_delay")),
    ("warning_coverage", "warning_reporting", "critical", kpi_check("warning_coverage")),
    ("reporting_upward", "warning_reporting", "major", kpi_check("reporting_upward")),
    ("level_set", "mobilisation", "major", level_set),
    ("reinforcements", "mobilisation", "major", reinforcements),
    ("threatened_zones_acted", "monitoring", "critical", threatened_zones_acted),
    ("level_in_proportion", "command", "major", kpi_check("response_level")),
    ("no_idle_units", "command", "major", kpi_check("idle_units")),
    ("orders_valid", "command", "minor", kpi_check("orders_rejected")),
    ("first_unit_in_time", "handling", "critical", kpi_check("first_unit")),
    ("needs_met_10h", "resources", "major", kpi_check("needs_met")),
    ("multichannel_warning", "public_information", "minor", multichannel),
    ("evacuated_before_arrival", "protection", "critical", kpi_check("evacuation")),
    ("no_aegl2_exposure", "protection", "critical", kpi_check("above_aegl2")),
    ("responders_safe", "protection", "major", responders_safe),
    ("traffic_teams", "cordon", "minor", traffic_teams),
    ("ambulance_in_time", "medical", "major", kpi_check("ambulance")),
    ("injured_hospitalised", "medical", "major", injured_hospitalised),
    ("incidents_resolved", "recovery", "major", incidents_resolved),
)


ITEM_KPI: dict[str, str] = {
    item: check.kpi_id for item, _, _, check in ITEMS if hasattr(check, "kpi_id")
}


def judge_all(drill: DrillData, kpis: dict[str, Kpi]) -> list[Judgement]:
    """Every observable item of Annex A judged from the log, in the standard's order."""
    judged = []
    for item, dimension, severity, check in ITEMS:
        result, params = check(drill, kpis)
        judged.append(Judgement(item, dimension, result, severity, params))
    return judged
