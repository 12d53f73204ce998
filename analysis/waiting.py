"""Incidents against units: how fast each was answered, and how long it waited needlessly.

Unit availability is rebuilt from the events (dispatched, returned, resting,
available again, stranded); unit capabilities come from the engine's unit
catalogue, and an incident's needs from its kind, exactly as the engine
matches them.
"""

from __future__ import annotations

from analysis.drilldata import DrillData, unit_type
from sim.scenario.schema import IncidentKind, UnitType
from sim.units import CATALOG, INCIDENT_NEEDS

BUSY = ("UnitDispatched", "UnitResting", "UnitStranded")
FREE = ("UnitReturned", "UnitAvailable")


def response_times(
    drill: DrillData,
    event_kind: str,
    target_min: float,
    unit_types: tuple[str, ...] | None,
    incident_kinds: tuple[str, ...] | None = None,
) -> dict[str, float | None]:
    """Incident id -> minutes from its creation to the first ``event_kind`` for it (or None).

    ``UnitArrived`` names the incident in ``incident``, ``UnitDispatched`` in
    ``target``. Incidents made too late to be answered within ``target_min``
    before the drill ended are left out (they cannot be judged).
    """
    if unit_types and incident_kinds is None:
        incident_kinds = ("casualties",)
    key = "incident" if event_kind == "UnitArrived" else "target"
    times: dict[str, float | None] = {}
    for created in drill.of("IncidentCreated"):
        ident = str(created.data["incident"])
        if incident_kinds and created.data.get("kind") not in incident_kinds:
            continue
        answer = next(
            (
                e
                for e in drill.events
                if e.kind == event_kind
                and e.data.get(key) == ident
                and (not unit_types or unit_type(str(e.data["unit"])) in unit_types)
            ),
            None,
        )
        if answer is None and created.t_min > drill.end_min - target_min:
            continue
        times[ident] = None if answer is None else answer.t_min - created.t_min
    return times


def _capable(unit_id: str, incident_kind: str) -> bool:
    try:
        spec = CATALOG[UnitType(unit_type(unit_id))]
        needs = INCIDENT_NEEDS[IncidentKind(incident_kind)]
    except (ValueError, KeyError):
        return False
    return bool(spec.capabilities & needs)


def _initial_units(drill: DrillData) -> set[str]:
    units: set[str] = set()
    for group in drill.scenario.forces.units:
        have = sum(1 for u in units if unit_type(u) == group.type.value)
        units.update(f"{group.type.value}-{have + n}" for n in range(1, group.count + 1))
    return units


def idle_while_waiting(drill: DrillData) -> dict[str, float]:
    """Incident id -> minutes it waited for its first dispatch while a capable unit was free."""
    free = _initial_units(drill)
    waiting: dict[str, str] = {}  # incident id -> kind, until its first dispatch
    idle: dict[str, float] = {}
    last_t = 0.0
    for event in drill.events:
        dt = event.t_min - last_t
        for ident, kind in waiting.items():
            if dt > 0 and any(_capable(u, kind) for u in free):
                idle[ident] += dt
        last_t = event.t_min
        data = event.data
        if event.kind == "IncidentCreated":
            waiting[str(data["incident"])] = str(data["kind"])
            idle[str(data["incident"])] = 0.0
        elif event.kind == "IncidentResolved":
            waiting.pop(str(data["incident"]), None)
        elif event.kind == "ReinforcementArrived":
            free.update(str(u) for u in data.get("units", []))
        elif event.kind in BUSY:
            free.discard(str(data["unit"]))
            if event.kind == "UnitDispatched":
                waiting.pop(str(data.get("target")), None)
        elif event.kind == "CommandIssued" and data.get("reason") == "no_route":
            # The commander tried: from here on the wait is the road's fault, not idleness.
            waiting.pop(str(data.get("command", {}).get("target")), None)
        elif event.kind in FREE:
            free.add(str(data["unit"]))
    return idle
