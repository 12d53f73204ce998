"""The Drill: one playable exercise — world, people, units, supplies, time.

A Drill is a function of (scenario, seed, commands). The front end and bots
drive it through four doors only: :meth:`Drill.advance` (time),
:meth:`Drill.submit` (commands), :meth:`Drill.snapshot` (a read-only view)
and :attr:`Drill.events` (what happened). Everything that happens is emitted
as an event and, when a log is attached, written to the drill log at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.commands import Command, CommandResult, Reason, Role, WarningLevel, command_to_json
from sim.incidents import Incident
from sim.people import EVACUATION_KMH, PERSONS_PER_VEHICLE, civil_population
from sim.population import Evacuees, PersonState, Population
from sim.responders import Order, person_state_of, rescue_unit
from sim.rng import DrillRandom
from sim.scenario.loader import LoadedScenario
from sim.scenario.schema import FacilityType, IncidentKind, ResponseLevel, SupplyItem, UnitType
from sim.supplies import Stocks
from sim.tally import Tally
from sim.units import CATALOG, WAY_IGNORES, Capability, Unit, straight_minutes
from sim.world.roads import joined
from sim.world.world import World

if TYPE_CHECKING:
    from sim.snapshot import Snapshot

SAMPLE_EVERY_MIN = 5.0
EventListener = Callable[[ev.Event], None]


@dataclass
class ShelterState:
    """A shelter's doors, residents (by zone) and those waiting outside."""

    capacity: int
    open: bool
    residents: dict[int, int] = field(default_factory=dict)
    waiting: dict[int, int] = field(default_factory=dict)
    issued: dict[SupplyItem, int] = field(default_factory=dict)
    ran_out: set[SupplyItem] = field(default_factory=set)
    full_reported: bool = False
    lost: bool = False

    @property
    def occupants(self) -> int:
        return sum(self.residents.values())

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.occupants)


@dataclass
class HospitalState:
    beds: int
    patients: dict[int, int] = field(default_factory=dict)

    @property
    def free_beds(self) -> int:
        return self.beds - sum(self.patients.values())


def _runs(mask: Any) -> list[list[int]]:
    """Run-length encoding of a boolean grid: [[first flat index, length], ...]."""
    import numpy as np

    flat = np.concatenate(([False], mask.ravel(), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(flat))
    return [[int(a), int(b - a)] for a, b in zip(edges[::2], edges[1::2], strict=True)]


class Drill:
    """One drill in progress. Not thread-safe; one per process or task."""

    def __init__(
        self, loaded: LoadedScenario, seed: int, listeners: list[EventListener] | None = None
    ) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.rng = DrillRandom(seed)
        self.tally = Tally()  # harm as expected counts, fractions carried (sim.tally)
        self.world = World(self.scenario, loaded.base_dir)
        self.end_min = self.scenario.meta.duration_h * 60.0
        self.events: list[ev.Event] = []
        self.listeners: list[EventListener] = list(listeners or [])
        self.finished = False
        self._command_seq = 0
        self._started = False
        self.map_view_cache: object | None = None  # the snapshot's static map, built once
        self.closed_edges_cache: tuple[int, Any] | None = None  # by the road network's version
        # joined_by_road's answers, for (roads version, units): (node, needs) -> joined
        self._joined: tuple[int, int, dict[tuple[int, frozenset], bool]] = (-1, 0, {})
        self._road_parts: dict[str, tuple[int, dict[int, int]]] = {}  # by roads_version
        self.by_road: dict[tuple[str, str], bool] = {}  # last logged road access of places
        self._access_checked_version = -1
        # Where the evacuees went over the last harm step, for each hazard that asks
        # (sim.hazards.harm.people_on_the_move): ((now, dt), the groups, their places).
        self.on_the_move_cache: tuple[tuple[float, float], tuple, list] | None = None
        self.route_xy_cache: dict[str, tuple[list[int], tuple]] = {}  # the snapshot's, by unit
        # The snapshot's views of units and incidents, kept with what they show and handed
        # out again while that stays the same, and its travel times by road (sim.snapshot).
        self.view_cache: dict[str, Any] = {"units": {}, "incidents": {}}
        # Road stretch -> minute it may reopen after flames on it, kept by every fire of the
        # drill together: they close roads for the same reason ("fire"), so one fire must not
        # reopen what another still holds (sim.hazards.fire_runtime).
        self.fire_roads_until: dict[tuple[int, int], float] = {}
        self._build_state()
        self._start_processes()

    # -- state ----------------------------------------------------------------
    def _build_state(self) -> None:
        world, scenario = self.world, self.scenario
        zones = len(world.zones)
        self.population = Population([z.population for z in world.zones])
        self.zone_warning: list[WarningLevel | None] = [None] * zones
        self.evacuation_target: list[str | None] = [None] * zones
        self.evacuation_blocked = [False] * zones
        self.evacuation_flow_carry = [0.0] * zones
        self.shelter_in_place = [False] * zones
        self.zone_teams: list[set[str]] = [set() for _ in range(zones)]
        self.in_transit: list[Evacuees] = []
        self.shelters = {
            f.id: ShelterState(f.capacity, f.open_at_start)
            for f in scenario.facilities
            if f.type == FacilityType.SHELTER
        }
        self.hospitals = {
            f.id: HospitalState(f.beds)
            for f in scenario.facilities
            if f.type == FacilityType.HOSPITAL
        }
        self.stocks = Stocks({f.id: dict(f.stocks) for f in scenario.facilities})
        self.incidents: dict[str, Incident] = {}
        self.zone_incident: dict[tuple[int, IncidentKind], str] = {}
        self.zone_incident_count: dict[tuple[int, IncidentKind], int] = {}
        self.response_level = ResponseLevel.NONE
        self.reinforcements_requested: set[str] = set()
        self.reinforcement_extra_min: dict[str, float] = {}
        self.injects_fired: set[str] = set()
        self.injects_held: set[str] = set()  # fire only when the instructor says (HoldInject)
        self.orders: dict[str, Order] = {}
        self.delivered: dict[str, float] = {}
        self.unmet_person_min = 0.0
        self.warnings_issued = 0
        self.reports = 0
        self.roads_version = 0
        self._route_cache: dict[tuple[int, str], tuple[float, float, list[int]] | None] = {}
        self.units: dict[str, Unit] = {}
        for group in scenario.forces.units:
            for _ in range(group.count):
                self.add_unit(group.type, group.base)
        from sim.weather import WeatherState

        self.weather = WeatherState(self.scenario)
        from sim.hazards.runtime import build_hazards

        self.hazards = build_hazards(self)

    def add_unit(self, unit_type: UnitType, base: str) -> Unit:
        """Create a unit of ``unit_type`` at ``base`` (ids count up per type)."""
        number = 1 + sum(1 for u in self.units.values() if u.spec.type == unit_type)
        node = self.world.facilities[base].node
        unit = Unit(f"{unit_type.value}-{number}", CATALOG[unit_type], base, node, node)
        self.units[unit.id] = unit
        if self._started:  # reinforcements join a running drill
            unit.process = self.env.process(rescue_unit(self.env, self, unit))
        return unit

    def _start_processes(self) -> None:
        from sim.injects import start_injects
        from sim.weather import weather_clock

        self._started = True
        for unit in self.units.values():
            unit.process = self.env.process(rescue_unit(self.env, self, unit))
        self.env.process(civil_population(self.env, self))
        self.env.process(self._sampler())
        self.env.process(weather_clock(self.env, self))
        for hazard in self.hazards.values():
            hazard.start()
        start_injects(self)

    # -- the four doors -------------------------------------------------------
    @property
    def now(self) -> float:
        """Sim minutes since the drill began."""
        return float(self.env.now)

    def advance(self, until: float) -> None:
        """Process every event before ``until`` (minutes); afterwards ``now == until``.

        ``until`` beyond the drill's end stops at the end. Each slice lands on
        ``until`` exactly (no float drift), so a command submitted after it is
        applied at a time a replay can reproduce: ``run`` schedules its stop at
        ``now + (until - now)``, which is exact when ``until <= 2 * now``
        (Sterbenz) or ``now == 0``; longer jumps are made in doubling steps.
        """
        until = min(float(until), self.end_min)
        while self.env.now < until:
            now = self.env.now
            step_to = until if (now == 0 or until <= 2 * now) else 2 * now
            self.env.run(until=step_to)
        if self.env.now >= self.end_min and not self.finished:
            self.finish()

    def submit(self, command: Command) -> CommandResult:
        """Apply ``command`` now; the result says accepted or why not. Logged either way."""
        from sim.orders import handle

        if self.finished:
            return CommandResult.reject(Reason.DRILL_OVER)
        outcome = handle(self, command)
        result = outcome if isinstance(outcome, CommandResult) else CommandResult.ok()
        self._command_seq += 1
        self.emit(
            ev.COMMAND_ISSUED,
            seq=self._command_seq,
            command=command_to_json(command),
            accepted=result.accepted,
            reason=result.reason.value if result.reason else None,
        )
        if not isinstance(outcome, CommandResult):
            outcome()
        return result

    def snapshot(self, viewer: Role = Role.COMMANDER) -> Snapshot:
        """A read-only view of the drill now, for ``viewer`` (see :mod:`sim.snapshot`)."""
        from sim.snapshot import take_snapshot

        return take_snapshot(self, viewer)

    def emit(self, kind: str, /, **data: Any) -> ev.Event:
        """Record an event at the current sim time and tell the listeners."""
        event = ev.Event(self.now, kind, data)
        self.events.append(event)
        for listener in self.listeners:
            listener(event)
        return event

    def finish(self, aborted: bool = False) -> None:
        """End the drill: emit the outcome (once)."""
        if self.finished:
            return
        for hazard_id, hazard in self.hazards.items():
            reach = hazard.footprint()
            if reach is not None:
                self.emit(
                    ev.HAZARD_FOOTPRINT,
                    hazard=hazard_id,
                    kind=hazard.kind,
                    shape=list(reach.shape),
                    cell_m=self.world.cell_m,
                    runs=_runs(reach),
                )
        self.emit(ev.DRILL_ABORTED if aborted else ev.DRILL_ENDED, **self.outcome())
        self.finished = True

    def outcome(self) -> dict[str, Any]:
        totals = self.population.totals()
        return {
            "people": totals,
            "unmet_need_person_h": round(self.unmet_person_min / 60.0, 6),
            "warnings_issued": self.warnings_issued,
            "response_level": self.response_level.value,
            "incidents_open": sum(1 for i in self.incidents.values() if i.is_open),
        }

    def _sampler(self) -> Any:
        while True:
            self.emit(ev.STATE_SAMPLED, **self.sample())
            yield self.env.timeout(SAMPLE_EVERY_MIN)

    def sample(self) -> dict[str, Any]:
        """What the after-action review reads: people, units, hazards, supplies, and the
        official forecast threat per zone (what the commander was told at the time)."""
        from sim.snapshot import forecast_threats

        by_zone = {
            zone.id: [int(v) for v in self.population.counts[zone.index]]
            for zone in self.world.zones
        }
        units: dict[str, int] = {}
        for unit in self.units.values():
            units[unit.status.value] = units.get(unit.status.value, 0) + 1
        stocks = {
            place: {item.value: round(amount, 6) for item, amount in stock.items() if amount}
            for place, stock in self.stocks.at.items()
            if any(stock.values())
        }
        return {
            "people": self.population.totals(),
            "zones": by_zone,
            "units": units,
            "hazards": {h_id: h.metrics() for h_id, h in self.hazards.items()},
            "stocks": stocks,
            "shelters": {s: st.occupants for s, st in self.shelters.items()},
            "unmet_need_person_h": round(self.unmet_person_min / 60.0, 6),
            "threats": {z: [lvl, advice] for z, (lvl, advice) in forecast_threats(self).items()},
        }

    # -- services used by the processes ---------------------------------------
    def roads_changed(self) -> None:
        self.roads_version += 1
        self._route_cache.clear()

    def set_road_closed(self, road_id: str, reason: str, closed: bool) -> None:
        """Close or reopen every stretch of a named road for ``reason`` (a trainee's command,
        an inject, a lost bridge), logged by the rule of :meth:`set_edges_closed`.

        The log says what changed on the road, never a change that did not happen:
        ``RoadClosed`` only if the road was open, ``RoadOpened`` only if it is open again.
        An inject that closes a road the water has already shut, a trainee's order to close
        it too, or to reopen a road the water still holds, add or lift their reason (the
        road's closures, which the panel lists) and say nothing more: the road is "open
        again" when its last reason goes, in the log of that minute. The trainee's order is
        on record whatever the road did: its ``CommandIssued`` (accepted or refused, with
        the road), which is what the score and the review read of the trainee's actions.
        """
        self.set_edges_closed(list(self.world.roads.road_edges[road_id]), reason, closed)

    def set_edges_closed(self, keys: list[tuple[int, int]], reason: str, closed: bool) -> None:
        """Close or reopen road stretches for ``reason``. A road is news when it closes (its
        first stretch shut) and when it is open again (its last stretch open), not each time
        one of its stretches changes while another stays shut: the log said "open again"
        twice in a row, or "closed" then "open again" in one minute, of a road still shut.
        (Driveways, the ``access:`` links, are never news.)"""
        network = self.world.roads
        roads: set[str] = set()
        was_open: dict[str, bool] = {}
        version = network.version  # moves when a stretch's reasons change
        for key in keys:
            road = network.edges[key].road_id
            if road not in was_open:
                was_open[road] = self._road_open(road)
            if network.set_closure(key, reason, closed):
                roads.add(road)
        if network.version != version:  # a boat's way changes with the reasons, not the state
            self.roads_changed()
        if roads:
            kind = ev.ROAD_CLOSED if closed else ev.ROAD_OPENED
            for road in sorted(r for r in roads if not r.startswith("access:")):
                if self._road_open(road) != was_open[road]:  # driveways are not news
                    self.emit(kind, road=road, reason=reason)

    def _road_open(self, road: str) -> bool:
        """Whether every stretch of ``road`` is open."""
        edges = self.world.roads.edges
        return all(edges[key].is_open for key in self.world.roads.road_edges.get(road, ()))

    def lose_facility(self, facility: str, cause: str) -> None:
        """A shelter or depot is overrun: stores are destroyed, no one new gets in."""
        shelter = self.shelters.get(facility)
        if shelter is not None:
            shelter.lost = True
            shelter.open = False
            for zone, target in enumerate(self.evacuation_target):
                if target == facility:
                    self.evacuation_target[zone] = None
        self.stocks.lose(facility)
        self.emit(ev.FACILITY_LOST, facility=facility, cause=cause)

    def water_depth_at(self, facility: str) -> float:
        """Flood water depth (m) at a facility's cell; 0 without a flood."""
        row, col = self.world.facilities[facility].cell
        return max((h.water_depth(row, col) for h in self.hazards.values()), default=0.0)

    def evacuation_route(self, zone: int, shelter: str) -> tuple[float, float] | None:
        """(travel minutes, people per minute) from a zone to a shelter, or None if cut off."""
        found = self._evacuation(zone, shelter)
        return None if found is None else found[:2]

    def evacuation_path(self, zone: int, shelter: str) -> list[int]:
        """The road nodes evacuees of ``zone`` drive through to ``shelter`` ([] if cut off)."""
        found = self._evacuation(zone, shelter)
        return [] if found is None else found[2]

    def _evacuation(self, zone: int, shelter: str) -> tuple[float, float, list[int]] | None:
        key = (zone, shelter)
        if key not in self._route_cache:
            roads = self.world.roads
            found = roads.route(
                self.world.zones[zone].node, self.world.facilities[shelter].node, EVACUATION_KMH
            )
            if found is None:
                self._route_cache[key] = None
            else:
                path, minutes = found
                first = roads.edge(path[0], path[1]) if len(path) > 1 else None
                vehicles_per_h = roads.exit_capacity_veh_per_h(path[0]) or (
                    first.capacity_veh_per_h if first else 1e9
                )
                per_min = vehicles_per_h * PERSONS_PER_VEHICLE / 60.0
                self._route_cache[key] = (minutes, per_min, path)
        return self._route_cache[key]

    def nearest_by_road(
        self, node: int, places: list[str], speed_kmh: float
    ) -> tuple[float, str] | None:
        """(minutes, id) of the facility among ``places`` fastest to reach from ``node``."""
        best: tuple[float, str] | None = None
        for place in sorted(places):
            found = self.world.roads.route(node, self.world.facilities[place].node, speed_kmh)
            if found and (best is None or found[1] < best[0]):
                best = (found[1], place)
        return best

    def nearest_hospital(self, unit: Unit, beds: int) -> str | None:
        """The hospital with ``beds`` free beds that ``unit`` would reach soonest, its own
        way (an aircraft flies straight; a boat floats over flooded roads)."""
        best: tuple[float, str] | None = None
        for hospital, state in sorted(self.hospitals.items()):
            if state.free_beds < beds:
                continue
            minutes = self.travel_minutes(unit, self.world.facilities[hospital].node)
            if minutes is not None and (best is None or minutes < best[0]):
                best = (minutes, hospital)
        return best[1] if best else None

    def travel_minutes(self, unit: Unit, node: int) -> float | None:
        """Minutes for ``unit`` to go from where it stands to ``node``; None if no way."""
        roads = self.world.roads
        if unit.spec.way == "air":
            return straight_minutes(roads.xy(unit.node), roads.xy(node), unit.spec.air_kmh)
        found = roads.route(unit.node, node, unit.spec.road_kmh, unit.spec.ignores)
        return found[1] if found else None

    def nearest_open_shelter(self, zone: int, people: int) -> str | None:
        """The open shelter with room for ``people`` nearest (by road) to a zone."""
        times = [
            (route[0], shelter_id)
            for shelter_id, state in sorted(self.shelters.items())
            if state.open
            and state.room >= people
            and (route := self.evacuation_route(zone, shelter_id)) is not None
        ]
        return min(times)[1] if times else None  # evacuation routes are cached per zone

    def hospitalise(self, zone: int, hospital: str, people: int, unit: str) -> None:
        self.population.move(zone, PersonState.INJURED, PersonState.HOSPITALISED, people)
        patients = self.hospitals[hospital].patients
        patients[zone] = patients.get(zone, 0) + people
        self.emit(
            ev.PEOPLE_HOSPITALISED,
            zone=self.world.zones[zone].id,
            hospital=hospital,
            people=people,
            unit=unit,
        )

    def door_to_door(self, zone: int, people: int, unit: str) -> None:
        """A team goes house to house: people hear the warning in person."""
        del unit
        self.population.move(zone, PersonState.UNAWARE, PersonState.WARNED, people)

    # -- incidents ------------------------------------------------------------
    def create_incident(
        self,
        kind: IncidentKind,
        xy: tuple[float, float],
        *,
        ident: str | None = None,
        people: int = 0,
        work_min: float = 0.0,
        zone: int | None = None,
        source: str = "",
    ) -> Incident:
        """Open an incident; its people are taken from the zone's people at home."""
        zone_index = self.world.zone_at(xy).index if zone is None else zone
        count = sum(1 for i in self.incidents.values() if i.kind == kind) + 1
        ident = ident or f"{kind.value}-{count}"
        while ident in self.incidents:
            ident += "b"
        incident = Incident(
            id=ident,
            kind=kind,
            xy=xy,
            node=self.world.connect(xy, ident),
            zone=zone_index,
            created_min=self.now,
            work_min=work_min,
            source=source,
        )
        self.roads_changed()
        for hazard in self.hazards.values():
            hazard.recheck_roads()  # the new access links meet the water and fire at once
        target = person_state_of(kind)
        for state in (PersonState.UNAWARE, PersonState.WARNED, PersonState.SHELTERING):
            incident.people += self.population.move(
                zone_index, state, target, people - incident.people
            )
        self.incidents[ident] = incident
        self.emit(
            ev.INCIDENT_CREATED,
            incident=ident,
            kind=kind.value,
            x=round(xy[0], 3),
            y=round(xy[1], 3),
            zone=self.world.zones[zone_index].id,
            people=incident.people,
            work_min=round(work_min, 6),
            source=source,
        )
        self.check_incident_access()
        return incident

    def road_parts(self, way: str = "ground") -> dict[int, int]:
        """Road network parts joined by roads open to vehicles travelling ``way`` ("ground",
        or "afloat": boats float over flooded roads); cached until a road changes."""
        cached = self._road_parts.get(way)
        if cached is None or cached[0] != self.roads_version:
            cached = (self.roads_version, self.world.roads.parts(WAY_IGNORES[way]))
            self._road_parts[way] = cached
        return cached[1]

    def can_reach(self, unit: Unit, node: int) -> bool:
        """Whether ``unit`` would find a route to ``node`` now (aircraft always do)."""
        way = unit.spec.way
        return way == "air" or joined(self.road_parts(way), unit.next_node, node)

    def joined_by_road(self, node: int, needs: frozenset[Capability]) -> bool:
        """Whether an open road joins ``node`` to the base of a ground unit with one of ``needs``.

        Boats and aircraft aside, this is the only way help gets there; the
        snapshot shows it to the commander and the log records its changes.
        """
        # Asked for every incident in every snapshot: the answer stands until a road changes
        # or a unit joins (units keep their base and capabilities).
        joined = self._joined
        if joined[0] != self.roads_version or joined[1] != len(self.units):
            joined = self._joined = (self.roads_version, len(self.units), {})
        known = joined[2]
        found = known.get((node, needs))
        if found is None:
            part = self.road_parts()
            here = part.get(node, -1)
            found = here >= 0 and any(
                part.get(u.base_node) == here
                for u in self.units.values()
                if u.spec.capabilities & needs and u.spec.air_kmh == 0
            )
            known[(node, needs)] = found
        return found

    def incident_joined_by_road(self, incident: Incident) -> bool:
        """Whether a ground unit able to answer ``incident`` could drive there from its base."""
        return self.joined_by_road(incident.node, incident.needs)

    def check_incident_access(self) -> None:
        """Log each open incident, and each zone, that lost or regained its road access.

        An incident needs a road from the base of a unit able to answer it; a
        zone, from the base of a team able to go door to door and direct the
        traffic. The review needs to know when help could not get there by road,
        to tell idleness from impossibility.
        """
        if self._access_checked_version == self.roads_version:
            return
        self._access_checked_version = self.roads_version
        for ident, incident in sorted(self.incidents.items()):
            if incident.is_open:
                self._log_access(
                    ev.INCIDENT_ACCESS, "incident", ident, incident.node, incident.needs
                )
        teams = frozenset({Capability.DOOR_TO_DOOR})
        for zone in self.world.zones:
            self._log_access(ev.ZONE_ACCESS, "zone", zone.id, zone.node, teams)

    def _log_access(
        self, kind: str, key: str, ident: str, node: int, needs: frozenset[Capability]
    ) -> None:
        by_road = self.joined_by_road(node, needs)
        if self.by_road.get((key, ident), True) != by_road:
            self.by_road[(key, ident)] = by_road
            self.emit(kind, **{key: ident, "by_road": by_road})

    def add_to_zone_incident(
        self, zone: int, kind: IncidentKind, people: int, xy: tuple[float, float], source: str
    ) -> None:
        """People newly trapped or injured by a hazard join the zone's open incident."""
        ident = self.zone_incident.get((zone, kind))
        incident = self.incidents.get(ident) if ident else None
        if incident is None or not incident.is_open:
            count = self.zone_incident_count.get((zone, kind), 0) + 1
            self.zone_incident_count[(zone, kind)] = count
            zone_id = self.world.zones[zone].id
            incident = self.create_incident(
                kind, xy, ident=f"{kind.value}-{zone_id}-{count}", zone=zone, source=source
            )
            self.zone_incident[(zone, kind)] = incident.id
        incident.people += people

    def close_incident(self, incident: Incident) -> None:
        """A hazard declares its incident over (the front is out, the leak is stopped)."""
        incident.managed = False
        incident.work_min = 0.0
        self.update_incident(incident)

    def update_incident(self, incident: Incident) -> None:
        if incident.is_open and incident.done():
            incident.resolved_min = self.now
            self.emit(
                ev.INCIDENT_RESOLVED,
                incident=incident.id,
                kind=incident.kind.value,
                created_min=incident.created_min,
                first_unit_min=incident.first_unit_min,
            )
            for hazard in self.hazards.values():
                hazard.on_incident_resolved(incident)

    def rescue(self, incident: Incident, people: int, unit: str) -> None:
        """Free ``people`` from a trapped incident; they go to a shelter if one has room."""
        people = min(people, incident.people)
        if people <= 0:
            return
        incident.people -= people
        zone = incident.zone
        shelter = self.nearest_open_shelter(zone, people)
        if shelter is None:
            self.population.move(zone, PersonState.TRAPPED, PersonState.WARNED, people)
        else:
            self.population.move(zone, PersonState.TRAPPED, PersonState.EVACUATED, people)
            residents = self.shelters[shelter].residents
            residents[zone] = residents.get(zone, 0) + people
        self.emit(
            ev.PEOPLE_RESCUED,
            incident=incident.id,
            people=people,
            unit=unit,
            shelter=shelter,
        )
        self.update_incident(incident)

    def work_on(self, incident: Incident, crew_min: float, unit: str) -> None:
        incident.work_min = max(0.0, incident.work_min - crew_min)
        if incident.work_min <= 0 and incident.people > 0:
            # The fire is out or the rubble cleared: those inside walk free.
            self.population.move(
                incident.zone, PersonState.TRAPPED, PersonState.WARNED, incident.people
            )
            self.emit(
                ev.PEOPLE_RESCUED,
                incident=incident.id,
                people=incident.people,
                unit=unit,
                shelter=None,
            )
            incident.people = 0
        self.update_incident(incident)

    def incident_deaths(self, incident: Incident, deaths: int) -> None:
        deaths = min(deaths, incident.people)
        state = person_state_of(incident.kind)
        self.population.move(incident.zone, state, PersonState.DEAD, deaths)
        incident.people -= deaths
        self.emit(
            ev.PEOPLE_HARMED,
            zone=self.world.zones[incident.zone].id,
            cause=incident.id,
            dead=deaths,
            injured=0,
            trapped=0,
        )
        if incident.is_people:
            self.update_incident(incident)

    # -- hazards and injects ----------------------------------------------------
    def apply_hazard_harm(self, dt_min: float) -> None:
        for hazard in self.hazards.values():
            hazard.harm_people(dt_min)

    def check_conditional_injects(self) -> None:
        from sim.injects import check_conditions

        check_conditions(self)

    def check_invariants(self) -> None:
        """Raise AssertionError if people or supplies are not conserved (for tests)."""
        in_shelters = sum(s.occupants for s in self.shelters.values())
        in_hospitals = sum(sum(h.patients.values()) for h in self.hospitals.values())
        self.population.check(in_shelters, in_hospitals)
        cargo: dict[SupplyItem, float] = {}
        for unit in self.units.values():
            for item, amount in unit.cargo.items():
                cargo[item] = cargo.get(item, 0.0) + amount
        self.stocks.check(cargo)
        away = [0] * len(self.world.zones)  # each zone's evacuees on the road or at a door
        for shelter in self.shelters.values():
            for zone, people in shelter.waiting.items():
                away[zone] += people
        for group in self.in_transit:
            away[group.zone] += group.people
        evacuating = self.population.counts[:, PersonState.EVACUATING].tolist()
        assert away == evacuating, "evacuees lost between zone and shelter"
        for state, kinds in (
            (PersonState.TRAPPED, ("trapped", "building_fire")),
            (PersonState.INJURED, ("casualties",)),
        ):
            owned = sum(i.people for i in self.incidents.values() if i.kind.value in kinds)
            carried = (
                sum(u.carrying_people for u in self.units.values())
                if state == PersonState.INJURED
                else 0
            )
            total = int(self.population.counts[:, state].sum())
            assert owned + carried == total, f"{state.name} people not owned by incidents"
