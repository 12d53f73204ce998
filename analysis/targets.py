"""Official targets the review judges against, each with the source it comes from.

Defaults are the official figures; a scenario may override them in
``scoring.targets`` (see :class:`sim.scenario.schema.ScoringTargets`). The
fire-service arrival standard is written for a station district of at most
7 km²; on a map where each station must cover more, the target is scaled by
the linear size of the district (travel distance grows with its square root),
unless the scenario sets ``first_unit_on_scene_min`` itself.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from analysis.drilldata import DrillData

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
    "accident grades by deaths and serious injuries",
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


def station_scale(drill: DrillData) -> float:
    """How much farther than the standard district each fire station must reach (≥ 1)."""
    spec = drill.scenario.map
    area_km2 = spec.width_cells * spec.height_cells * (spec.cell_m / 1000.0) ** 2
    stations = sum(1 for f in drill.scenario.facilities if f.type.value == "fire_station")
    per_station = area_km2 / max(1, stations)
    return max(1.0, math.sqrt(per_station / STATION_DISTRICT_KM2))


def targets_for(drill: DrillData) -> Targets:
    """The scenario's targets: its overrides, else the official defaults (scaled where noted)."""
    given = (drill.raw_scenario.get("scoring") or {}).get("targets") or {}
    official = drill.scenario.scoring.targets
    first_unit = official.first_unit_on_scene_min
    if "first_unit_on_scene_min" not in given:
        first_unit = round(first_unit * station_scale(drill), 1)
    return Targets(
        warning_within_min=official.warning_within_min,
        first_unit_on_scene_min=first_unit,
        ambulance_dispatch_min=official.ambulance_dispatch_min,
        basic_needs_within_h=official.basic_needs_within_h,
    )
