"""Incidents against units: how fast each was answered, and how long it waited needlessly.

Unit availability is rebuilt from the events (dispatched, returned, resting,
available again, stranded); unit capabilities come from the engine's unit
catalogue, and an incident's needs from its kind, exactly as the engine
matches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from analysis.drilldata import DrillData, unit_type
from sim.events import Event
from sim.scenario.schema import IncidentKind, UnitType
from sim.units import CATALOG, INCIDENT_NEEDS

BUSY = ("UnitDispatched", "UnitResting", "UnitStranded")
FREE = ("UnitReturned", "UnitAvailable")


def response_times(
    drill: DrillData,
    event_kind: str,
    target_min: float | Mapping[str, float],
    unit_types: tuple[str, ...] | None,
    incident_kinds: tuple[str, ...] | None = None,
) -> dict[str, float | None]:
    """Incident id -> minutes from its creation to the first ``event_kind`` for it (or None).

    ``UnitArrived`` names the incident in ``incident``, ``UnitDispatched`` in
    ``target``. Incidents made too late to be answered within ``target_min``
    on the clock before the drill ended are left out (they cannot be judged); the
    clock stops while nobody able to answer could get there
    (:func:`cut_off_minutes`); ``target_min``
    is one figure for all, or one per incident id.
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
        allowed = target_min if isinstance(target_min, float | int) else target_min[ident]
        until = answer.t_min if answer is not None else drill.end_min
        # The minutes nobody able to answer could get there are not the commander's.
        waited = until - created.t_min - cut_off_minutes(drill, ident, until)
        if answer is None and waited < allowed:
            continue  # its clock had not run out when the drill ended
        times[ident] = None if answer is None else waited
    return times


def cut_off_minutes(drill: DrillData, incident: str, until_min: float) -> float:
    """Minutes before ``until_min`` in which no unit able to answer ``incident`` could get there.

    Response times run only while help could have been on its way: a minute
    counts against the commander when an open road joined the incident to a
    capable unit's base (``IncidentAccess``), or when a capable unit that
    needs no road (a boat over flood water, an aircraft) was on the map, or
    would have been had the commander asked for it as early as the scenario
    allows (:func:`earliest_arrivals`), and was not busy at another incident
    only such units could reach. A site cut off by water for three hours is
    not three hours late; a village only the level-II helicopter can reach
    waits on the commander's clock from the minute that helicopter could
    first have been there (asked for or not: reach is judged against the
    force the scenario offers), and a second village waits on it only while
    that helicopter is free, since one aircraft cannot be in two places.
    """
    created = drill.first("IncidentCreated", incident=incident)
    if created is None:
        return 0.0
    if not any(
        e.data.get("incident") == incident and not e.data["by_road"]
        for e in drill.of("IncidentAccess")
    ):
        return 0.0  # never cut off: every minute counts
    cover = _RoadFreeCover(drill, str(created.data.get("kind")))
    joined = True
    shut, last = 0.0, created.t_min
    for event in drill.events:
        end = min(event.t_min, until_min)
        if end > last:
            shut += 0.0 if joined else cover.busy_minutes(incident, last, end)
            last = end
        if event.t_min >= until_min:
            break
        if event.kind == "IncidentAccess" and event.data.get("incident") == incident:
            joined = bool(event.data["by_road"])
        cover.note(event)
    if until_min > last and not joined:
        shut += cover.busy_minutes(incident, last, until_min)
    return shut


class _RoadFreeCover:
    """The boats and aircraft able to answer one kind of incident, minute by minute.

    Read along the log in order (:meth:`note` each event): which such units
    are on the map and whether each is busy at an incident no road reaches
    just now. A reinforcement group of them counts from its earliest possible
    arrival (:func:`earliest_arrivals`) until its real units arrive, as a
    unit standing free: not having asked for it is the commander's doing.
    """

    def __init__(self, drill: DrillData, kind: str) -> None:
        self.kind = kind
        self.units = {u for u in initial_units(drill) if capable(u, kind, by_road=False)}
        self.task: dict[str, str] = {}  # unit -> the incident it was sent to
        self.cut_off: set[str] = set()
        due = earliest_arrivals(drill)
        self.offered = {
            r.id: due[r.id]
            for r in drill.scenario.forces.reinforcements
            if capable(f"{r.type.value}-offered", kind, by_road=False)
        }

    def note(self, event: Event) -> None:
        data = event.data
        unit = str(data.get("unit", ""))
        if event.kind == "IncidentAccess":
            _note_access(self.cut_off, data)
        elif event.kind == "ReinforcementArrived":
            self.offered.pop(str(data.get("reinforcement")), None)
            self.units.update(
                str(u) for u in data.get("units", []) if capable(str(u), self.kind, False)
            )
        elif event.kind == "UnitDispatched" and unit in self.units:
            if data.get("order") == "incident":
                self.task[unit] = str(data.get("target"))
            else:
                self.task.pop(unit, None)
        elif unit in self.task and (_frees(event) or event.kind in ("UnitResting",)):
            self.task.pop(unit, None)

    def free(self, incident: str, now: float) -> bool:
        """Could one of them have been sent to ``incident`` at ``now``?"""
        if any(t <= now for t in self.offered.values()):
            return True
        return any(
            self.task.get(u) in (None, incident) or self.task[u] not in self.cut_off
            for u in self.units
        )

    def busy_minutes(self, incident: str, start: float, end: float) -> float:
        """Minutes between two events in which none of them could have gone to ``incident``."""
        cuts = sorted({start, end, *(t for t in self.offered.values() if start < t < end)})
        return sum(b - a for a, b in pairwise(cuts) if not self.free(incident, a))


def earliest_arrivals(drill: DrillData) -> dict[str, float]:
    """Reinforcement id -> the first minute its units could have been on the map.

    Asked for the moment the event began (the first hazard, else the first
    incident; any response level may be declared at once), they arrive after
    their ``delay_min`` plus every delay an inject or the instructor laid on
    them before then, as the engine counts it (:mod:`sim.reinforcements`).
    An earlier real arrival (asked for before the event) stands.
    """
    begun = drill.of("HazardStarted", "IncidentCreated")
    start = min((e.t_min for e in begun), default=0.0)
    due = {r.id: start + r.delay_min for r in drill.scenario.forces.reinforcements}
    delays: list[tuple[float, str, float]] = []
    actions = {i.id: i.actions for i in drill.scenario.injects}
    for event in drill.of("InjectFired"):
        for action in actions.get(str(event.data.get("inject")), []):
            if getattr(action, "type", "") == "delay_reinforcement":
                delays.append((event.t_min, action.reinforcement, action.extra_delay_min))
    for event in drill.of("CommandIssued"):
        command = event.data.get("command") or {}
        if event.data.get("accepted") and command.get("type") == "delay_reinforcement":
            delays.append(
                (event.t_min, str(command["reinforcement"]), float(command["extra_delay_min"]))
            )
    for t, ident, extra in sorted(delays):
        if ident in due and t < due[ident]:
            due[ident] += extra
    for event in drill.of("ReinforcementArrived"):
        ident = str(event.data.get("reinforcement"))
        if ident in due:
            due[ident] = min(due[ident], event.t_min)
    return due


def capable(unit_id: str, incident_kind: str, by_road: bool = True) -> bool:
    """Can this unit answer this kind of incident (and reach it, if it is cut off by road)?

    A cut-off incident can still be reached by units that ignore flood water
    (boats, helicopters), as the engine routes them.
    """
    try:
        spec = CATALOG[UnitType(unit_type(unit_id))]
        needs = INCIDENT_NEEDS[IncidentKind(incident_kind)]
    except (ValueError, KeyError):
        return False
    return bool(spec.capabilities & needs) and (by_road or spec.ignores_flood)


TURNAROUND_MIN = 2.0  # NFPA 1221 call processing ≈ 1 min, plus one look at the board


def _add_minutes(waits: dict[str, float], except_: set[str], minutes: float) -> None:
    for ident in waits:
        if ident not in except_:
            waits[ident] += minutes


def unreachable(drill: DrillData) -> set[str]:
    """Incidents nobody in the force could have reached while they waited.

    Between their creation and their first unit's arrival (or closure, or the
    end of the drill) they were joined to the roads for at most a dispatcher's
    turnaround, and no capable boat or aircraft was in the force, nor could have
    been by then among the reinforcements the scenario offers, asked for as early
    as it allows (:func:`earliest_arrivals`: a helicopter the commander never asked
    for does not make a cut-off village unreachable, but one that could not have
    come before the village was reached or the drill ended does not make it
    reachable either). A unit sent
    in that moment that found the road gone behind it does not make them
    reachable: a levee breach that floods its own access road is an example. Their
    response times are not the commander's to meet; they are listed, not judged.
    """
    start = initial_units(drill)
    due = earliest_arrivals(drill)
    kinds: dict[str, str] = {}
    by_road_min: dict[str, float] = {}  # still-waiting incident -> minutes it was reachable
    cut_off: set[str] = set()
    within_reach: set[str] = set()
    last_t = 0.0

    helps: dict[str, float] = {}  # incident kind -> when a boat or aircraft could answer it

    def airborne_help(kind: str) -> bool:
        if kind not in helps:
            helps[kind] = min(
                [0.0 for u in start if capable(u, kind, by_road=False)]
                + [
                    due[r.id]
                    for r in drill.scenario.forces.reinforcements
                    if capable(f"{r.type.value}-offered", kind, by_road=False)
                ],
                default=float("inf"),
            )
        return helps[kind] <= last_t

    def settle() -> None:
        for ident in list(by_road_min):
            if by_road_min[ident] > TURNAROUND_MIN or airborne_help(kinds[ident]):
                del by_road_min[ident]
                within_reach.add(ident)

    for event in drill.events:
        _add_minutes(by_road_min, cut_off, event.t_min - last_t)
        last_t = event.t_min
        settle()  # reachable long enough by now, whatever this event says
        data = event.data
        if event.kind == "IncidentCreated":
            kinds[str(data["incident"])] = str(data["kind"])
            by_road_min[str(data["incident"])] = 0.0
        elif event.kind == "IncidentAccess":
            _note_access(cut_off, data)
        elif event.kind == "UnitArrived" and str(data.get("incident")) in by_road_min:
            del by_road_min[str(data["incident"])]
            within_reach.add(str(data["incident"]))  # reached: judged on its times
        elif event.kind == "IncidentResolved":
            by_road_min.pop(str(data["incident"]), None)
        settle()
    return set(kinds) - within_reach


def minutes_by_road(drill: DrillData, zone: str, start_min: float) -> float:
    """Minutes from ``start_min`` to the drill's end that a road joined ``zone`` to a team's base.

    Read from the engine's ``ZoneAccess`` events (a zone is joined until one says not).
    """
    joined, since, total = True, start_min, 0.0
    for event in drill.of("ZoneAccess"):
        if event.data["zone"] != zone or bool(event.data["by_road"]) == joined:
            continue
        if joined:
            total += max(0.0, event.t_min - since)
        joined, since = bool(event.data["by_road"]), max(start_min, event.t_min)
    if joined:
        total += max(0.0, drill.end_min - since)
    return total


def potential_units(drill: DrillData) -> set[str]:
    """The force at the start and a stand-in for each reinforcement group the scenario offers
    (``<type>-offered<n>``): what the commander could have had, by asking."""
    offered = {
        f"{r.type.value}-offered{n}" for n, r in enumerate(drill.scenario.forces.reinforcements)
    }
    return initial_units(drill) | offered


def initial_units(drill: DrillData) -> set[str]:
    units: set[str] = set()
    for group in drill.scenario.forces.units:
        have = sum(1 for u in units if unit_type(u) == group.type.value)
        units.update(f"{group.type.value}-{have + n}" for n in range(1, group.count + 1))
    return units


def _note_access(cut_off: set[str], data: dict) -> None:
    """Keep ``cut_off`` (incidents no road reaches) up to date from an IncidentAccess."""
    if data["by_road"]:
        cut_off.discard(str(data["incident"]))
    else:
        cut_off.add(str(data["incident"]))


def idle_while_waiting(drill: DrillData) -> dict[str, float]:
    """Incident id -> minutes it waited for its first dispatch while a capable unit was free.

    While an incident is cut off by road only boats and aircraft count as able to answer.
    """
    free = initial_units(drill)
    waiting: dict[str, str] = {}  # incident id -> kind, until its first dispatch
    idle: dict[str, float] = {}
    cut_off: set[str] = set()  # incidents no road reaches just now
    last_t = 0.0
    for event in drill.events:
        dt = event.t_min - last_t
        for ident, kind in waiting.items():
            if dt > 0 and any(capable(u, kind, ident not in cut_off) for u in free):
                idle[ident] += dt
        last_t = event.t_min
        data = event.data
        if event.kind == "IncidentCreated":
            waiting[str(data["incident"])] = str(data["kind"])
            idle[str(data["incident"])] = 0.0
        elif event.kind == "IncidentResolved":
            waiting.pop(str(data["incident"]), None)
        elif event.kind == "IncidentAccess":
            _note_access(cut_off, data)
        elif event.kind == "ReinforcementArrived":
            free.update(str(u) for u in data.get("units", []))
        elif event.kind in BUSY:
            free.discard(str(data["unit"]))
            if event.kind == "UnitDispatched":
                waiting.pop(str(data.get("target")), None)
        elif event.kind == "CommandIssued" and data.get("reason") == "no_route":
            # The commander tried: from here on the wait is the road's fault, not idleness.
            waiting.pop(str(data.get("command", {}).get("target")), None)
        elif _frees(event):
            free.add(str(data["unit"]))
    return idle


def free_at_end(drill: DrillData, incident_kind: str, by_road: bool = True) -> set[str]:
    """Units able to answer ``incident_kind`` that stood free (ready) when the drill ended;
    with ``by_road`` False, only those that need no road (boats, aircraft)."""
    free = initial_units(drill)
    for event in drill.events:
        if event.kind == "ReinforcementArrived":
            free.update(str(u) for u in event.data.get("units", []))
        elif event.kind in BUSY:
            free.discard(str(event.data["unit"]))
        elif _frees(event):
            free.add(str(event.data["unit"]))
    return {u for u in free if capable(u, incident_kind, by_road)}


def _frees(event: Event) -> bool:
    """The unit is free for a task from here: back at base, rested, or arrived where it was
    sent to stand by (staged units are ready for the next order as units at base are)."""
    return event.kind in FREE or (event.kind == "UnitArrived" and "at" in event.data)


def never_requested(drill: DrillData, incident_kind: str, by_road: bool = True) -> list[str]:
    """Reinforcement groups able to answer ``incident_kind`` (without a road, if ``by_road``
    is False) that the commander never asked for."""
    asked = {str(e.data.get("reinforcement")) for e in drill.of("ReinforcementRequested")}
    return sorted(
        r.id
        for r in drill.scenario.forces.reinforcements
        if r.id not in asked and capable(f"{r.type.value}-offered", incident_kind, by_road)
    )
