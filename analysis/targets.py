"""Official targets the review judges against, each with the source it comes from.

Defaults are the official figures; a scenario may override them in
``scoring.targets`` (see :class:`sim.scenario.schema.ScoringTargets`). The
fire-service arrival standard is 5 minutes to the edge of a station district
of at most 7 km²; an incident farther than that from the nearest base of the
force gets a target scaled by its distance (see :func:`first_unit_target`),
unless the scenario sets ``first_unit_on_scene_min`` itself.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from analysis.drilldata import DrillData
from sim.scenario.schema import IncidentKind
from sim.units import CATALOG, INCIDENT_NEEDS

# Sources, named in code and in the report (locale keys ``source.<id>``).
SOURCES: dict[str, str] = {
    "warning": "DrillCommand default (scenario scoring.targets.warning_within_min); "
    "cf. 《中华人民共和国突发事件应对法》 §64 on timely warning",
    "coverage": "DrillCommand default: every person at risk warned before impact",
    "first_unit": "建标152-2017《城市消防站建设标准》: 5-min turnout and travel "
    "to the edge of a district of ≤7 km², scaled to the map",
    "ambulance": "DrillCommand default 3 min from the call to an ambulance dispatched "
    "(院前医疗急救调度 practice; scenario may override)",
    "needs": "《国家自然灾害救助应急预案》: basic needs of displaced people met "
    "within 10 h of the disaster",
    "aegl2": "US EPA / NRC Acute Exposure Guideline Levels: AEGL-2, 60-min value",
    "severity": "《生产安全事故报告和调查处理条例》 (State Council Decree 493) §3: "
    "accident grades by deaths and serious injuries; by reach, 《国家自然灾害救助应急预案》 "
    "grading by people needing relocation, scaled to a county (sim.grades)",
    "report_1h": "《生产安全事故报告和调查处理条例》 (State Council Decree 493) §9: "
    "report to the county government within 1 h of the event",
    "evacuation": "DrillCommand default: ≥90 % of a zone's people out of harm's way "
    "before the hazard reaches it",
}

STATION_DISTRICT_KM2 = 7.0  # 建标152-2017 §2: district of a standard station, upper bound
COVERAGE_TARGET = 0.9  # share of people at risk warned before impact (DrillCommand default)
EVACUATION_TARGET = 0.9  # share of a zone out of harm's way when the hazard arrives
REPORT_WITHIN_MIN = 60.0  # Decree 493 §9: first report upward within one hour
REJECTED_ORDERS_MAX = 0.1  # share of orders rejected still judged competent
UNITS_USED_MIN = 0.5  # share of units deployed at least once, where incidents waited


@dataclass(frozen=True)
class Targets:
    """The targets for one drill (minutes and hours as named)."""

    warning_within_min: float
    first_unit_on_scene_min: float
    ambulance_dispatch_min: float
    basic_needs_within_h: float
    coverage_share: float = COVERAGE_TARGET
    evacuation_share: float = EVACUATION_TARGET

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


DISTRICT_REACH_KM = math.sqrt(STATION_DISTRICT_KM2 / math.pi)  # edge of a round 7 km² district


def unit_bases(drill: DrillData, kind: str) -> list[tuple[float, float]]:
    """Where the units able to answer an incident of ``kind`` start from (bases, arrival points)."""
    needs = INCIDENT_NEEDS.get(IncidentKind(kind), frozenset()) if kind else frozenset()
    places = {f.id: f.at for f in drill.scenario.facilities}
    forces = drill.scenario.forces
    groups = [(g.type, g.base) for g in forces.units]
    groups += [(r.type, r.arrive_at) for r in forces.reinforcements]
    ids = {at for t, at in groups if not needs or CATALOG[t].capabilities & needs}
    return [(float(places[i][0]), float(places[i][1])) for i in sorted(ids) if i in places]


def first_unit_target(drill: DrillData, xy: tuple[float, float], kind: str = "") -> float:
    """Minutes allowed for the first unit to reach an incident of ``kind`` at ``xy``.

    建标152-2017 allows 5 min to the edge of a district of ≤7 km² (1.49 km from
    a station at its centre). An incident farther from the nearest base of a
    capable unit gets the same time per kilometre; the scenario's own figure,
    if it sets one, applies everywhere as written.
    """
    base = drill.scenario.scoring.targets.first_unit_on_scene_min
    given = (drill.raw_scenario.get("scoring") or {}).get("targets") or {}
    bases = unit_bases(drill, kind)
    if "first_unit_on_scene_min" in given or not bases:
        return base
    nearest_km = min(math.dist(xy, b) for b in bases) / 1000.0
    return round(base * max(1.0, nearest_km / DISTRICT_REACH_KM), 1)


def first_unit_targets(drill: DrillData) -> dict[str, float]:
    """Incident id -> minutes allowed for its first unit (:func:`first_unit_target`)."""
    return {
        str(e.data["incident"]): first_unit_target(
            drill, (float(e.data.get("x", 0.0)), float(e.data.get("y", 0.0))), str(e.data["kind"])
        )
        for e in drill.of("IncidentCreated")
    }


# The scenario's field for each figure it may set, and the figure's unit.
SET_BY_SCENARIO: dict[str, tuple[str, str]] = {
    "warning": ("warning_within_min", "min"),
    "first_unit": ("first_unit_on_scene_min", "min"),
    "ambulance": ("ambulance_dispatch_min", "min"),
    "needs": ("basic_needs_within_h", "h"),
}


def sources_for(drill: DrillData) -> dict[str, str]:
    """:data:`SOURCES`, each figure the scenario sets itself said first ("Set by the scenario:
    5 min (scoring.targets.ambulance_dispatch_min). Default: …"), for the score card."""
    given = (drill.raw_scenario.get("scoring") or {}).get("targets") or {}
    targets = drill.scenario.scoring.targets
    out = dict(SOURCES)
    for key, (field, unit) in SET_BY_SCENARIO.items():
        if field in given:
            value = f"{getattr(targets, field):g} {unit} (scoring.targets.{field})"
            out[key] = f"Set by the scenario: {value}. Default: {out[key]}"
    return out


def targets_for(drill: DrillData) -> Targets:
    """The scenario's targets: its overrides, else the official defaults (scaled where noted)."""
    official = drill.scenario.scoring.targets
    return Targets(
        warning_within_min=official.warning_within_min,
        first_unit_on_scene_min=official.first_unit_on_scene_min,
        ambulance_dispatch_min=official.ambulance_dispatch_min,
        basic_needs_within_h=official.basic_needs_within_h,
    )
