"""Snapshots: a read-only view of a drill for drawing and for bots.

A snapshot is frozen dataclasses and read-only numpy arrays; taking one never
changes the drill. It is taken *for a viewer* (a role): today every viewer
sees the truth; a later fog of war gives the trainee the reported picture
while the instructor keeps the truth, without changing this interface.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from sim.commands import Role
from sim.population import PersonState
from sim.scenario.schema import UnitType
from sim.units import CATALOG, INCIDENT_NEEDS, WAY_IGNORES
from sim.weather import Weather
from sim.world.roads import ACCESS_SPEED_KMH, SPEED_KMH, joined

if TYPE_CHECKING:
    from sim.engine import Drill


@dataclass(frozen=True)
class UnitView:
    id: str
    type: str
    status: str
    x: float
    y: float
    base: str
    task: str | None
    capabilities: tuple[str, ...]
    carrying_people: int
    route_xy: tuple[tuple[float, float], ...]
    node: int  # where its next route starts: where it is, or the end of the road it is on
    way: str  # how it travels: "ground", "afloat" (over flooded roads too) or "air"
    shift_left_min: float | None  # duty time left before the crew must rest; None: not on shift
    payload_units: float  # supply it carries per trip, in truck-loads (0: none)
    carry_persons: int  # casualties it carries per trip (0: none)


@dataclass(frozen=True)
class IncidentView:
    id: str
    kind: str
    x: float
    y: float
    zone: str
    people: int
    work_min: float
    is_open: bool
    created_min: float
    first_unit_min: float | None
    units: tuple[str, ...]
    needs: tuple[str, ...]
    node: int
    reachable_by_road: bool  # an open road joins it to the base of a capable ground unit


@dataclass(frozen=True)
class ZoneView:
    id: str
    name_en: str
    name_zh: str
    x: float
    y: float
    people: Mapping[str, int]
    warning: str | None
    evacuating_to: str | None
    sheltering_in_place: bool
    teams: tuple[str, ...]
    node: int


@dataclass(frozen=True)
class FacilityView:
    id: str
    type: str
    name_en: str
    name_zh: str
    x: float
    y: float
    tier: str | None
    is_open: bool
    occupants: int
    waiting: int
    capacity: int
    beds: int
    patients: int
    stocks: Mapping[str, float]
    node: int
    lost: bool = False  # a shelter the hazard has destroyed: it cannot be opened again


@dataclass(frozen=True)
class MapView:
    """The static map: built once per drill, shared by every snapshot."""

    cell_m: float
    elevation_m: np.ndarray
    land_use: np.ndarray
    zone_index: np.ndarray
    node_xy: np.ndarray
    edges: tuple[tuple[int, int, str, str], ...]  # (node a, node b, road id, class)


@dataclass(frozen=True)
class Snapshot:
    """The drill at one moment, as one viewer may see it."""

    viewer: Role
    t_min: float
    end_min: float
    clock_min: float  # minutes after midnight
    finished: bool
    response_level: str
    weather: Weather
    people: Mapping[str, int]
    unmet_need_person_h: float
    warnings_issued: int
    units: tuple[UnitView, ...]
    incidents: tuple[IncidentView, ...]
    zones: tuple[ZoneView, ...]
    facilities: tuple[FacilityView, ...]
    closed_edges: Mapping[tuple[int, int], tuple[str, ...]]
    fields: Mapping[str, np.ndarray]
    map: MapView
    reinforcements_requested: tuple[str, ...]
    threats: Mapping[str, tuple[float, str]]  # zone id -> (0..1 forecast threat, advice)
    road_parts: Mapping[str, Mapping[int, int]]  # "ground"/"afloat" -> node -> joined part
    # Each hazard's own forecast: hazard id -> zone id -> (0..1 threat, advice); ``threats``
    # is the worst of these per zone. A commander weighs a cloud and a flood apart.
    hazard_threats: Mapping[str, Mapping[str, tuple[float, str]]] = field(default_factory=dict)
    # Travel times over this snapshot's roads, shared with the other snapshots of the same
    # roads and closures (None: worked out here, each time asked).
    road_times: RoadTimes | None = field(default=None, compare=False, repr=False)

    def joined(self, a: int, b: int, way: str = "ground") -> bool:
        """Whether open roads join nodes ``a`` and ``b`` for a vehicle travelling ``way``.

        The commander sees every closure on the map, so this is theirs to know;
        it is exactly when a dispatch or a supply run finds a route.
        """
        return way == "air" or joined(self.road_parts[way], a, b)

    def can_reach(self, unit: UnitView, node: int) -> bool:
        """Whether ``unit`` would find a route to ``node`` now."""
        return self.joined(unit.node, node, unit.way)

    def unit(self, unit_id: str) -> UnitView:
        return next(u for u in self.units if u.id == unit_id)

    def travel_minutes(self, unit: UnitView, node: int) -> float | None:
        """Estimated minutes for ``unit`` to reach road node ``node`` now; None if no way.

        Read-only, for the commander's screen: the fastest route on roads open
        to the unit (as dispatch routes it), plus the rest of the stretch it is
        driving; an aircraft flies straight. The same figures as the engine's
        routing, but taken from this snapshot, so closures after it are unknown.
        """
        return self.travel_minutes_to(node, (unit,)).get(unit.id)

    def travel_minutes_to(self, node: int, units: Iterable[UnitView]) -> dict[str, float | None]:
        """:meth:`travel_minutes` of each of ``units`` to ``node`` (one search per speed)."""
        times = self.road_times or RoadTimes(self.map, self.closed_edges)
        node_xy = times.node_xy
        tx, ty = node_xy[node]
        searched: dict[tuple[float, str], dict[int, float]] = {}
        result: dict[str, float | None] = {}
        for unit in units:
            spec = CATALOG[UnitType(unit.type)]
            if unit.way == "air":
                result[unit.id] = math.hypot(tx - unit.x, ty - unit.y) / 1000 / spec.air_kmh * 60
                continue
            key = (spec.road_kmh, unit.way)
            if key not in searched:
                searched[key] = times.minutes_from(node, spec.road_kmh, WAY_IGNORES[unit.way])
            minutes = searched[key].get(unit.node)
            if minutes is None:
                result[unit.id] = None
                continue
            nx_, ny_ = node_xy[unit.node]
            leg_m = math.hypot(nx_ - unit.x, ny_ - unit.y)
            result[unit.id] = minutes + leg_m / 1000 / spec.road_kmh * 60
        return result

    def zone(self, zone_id: str) -> ZoneView:
        return next(z for z in self.zones if z.id == zone_id)


class RoadTimes:
    """Minutes by road over one state of the network (a map and its closures), shared by
    every snapshot taken while that state holds: the road links are drawn once, and each
    search (from a node, at a top speed, for what closures a vehicle ignores) is kept. The
    commander's screen asks for the same arrival times every frame, and the bots every
    minute; they used to draw the links and search afresh each time, for the same answers.
    """

    def __init__(
        self, map_view: MapView, closed: Mapping[tuple[int, int], tuple[str, ...]]
    ) -> None:
        self.map, self.closed = map_view, closed
        self._node_xy: list[list[float]] | None = None
        self._links: dict[int, list[tuple[int, float, float, frozenset[str]]]] | None = None
        self._searched: dict[tuple[int, float, frozenset[str]], dict[int, float]] = {}

    @property
    def node_xy(self) -> list[list[float]]:
        if self._node_xy is None:
            self._node_xy = self.map.node_xy.tolist()
        return self._node_xy

    def minutes_from(
        self, source: int, speed_kmh: float, ignores: frozenset[str]
    ) -> dict[int, float]:
        """:func:`_minutes_from` over these roads (do not change the answer)."""
        key = (source, speed_kmh, ignores)
        found = self._searched.get(key)
        if found is None:
            found = self._searched[key] = _minutes_from(
                self._road_links(), source, speed_kmh, ignores
            )
        return found

    def _road_links(self) -> dict[int, list[tuple[int, float, float, frozenset[str]]]]:
        """node -> (neighbour, length m, road speed km/h, closure reasons) for every road."""
        if self._links is not None:
            return self._links
        node_xy = self.node_xy
        links: dict[int, list[tuple[int, float, float, frozenset[str]]]] = {}
        closed = self.closed
        for a, b, _road, cls in self.map.edges:
            road_kmh = ACCESS_SPEED_KMH if cls == "access" else SPEED_KMH[cls]
            (xa, ya), (xb, yb) = node_xy[a], node_xy[b]
            link = (math.hypot(xb - xa, yb - ya), road_kmh, frozenset(closed.get((a, b), ())))
            links.setdefault(a, []).append((b, *link))
            links.setdefault(b, []).append((a, *link))
        self._links = links
        return links


def _minutes_from(
    links: Mapping[int, list[tuple[int, float, float, frozenset[str]]]],
    source: int,
    speed_kmh: float,
    ignores: frozenset[str],
) -> dict[int, float]:
    """Minutes from ``source`` to every node joined to it by roads a vehicle of top speed
    ``speed_kmh`` may use (closures in ``ignores`` do not stop it): Dijkstra's search."""
    best = {source: 0.0}
    queue = [(0.0, source)]
    while queue:
        here_min, here = heapq.heappop(queue)
        if here_min > best[here]:
            continue
        for there, length_m, road_kmh, closures in links.get(here, ()):
            if closures - ignores:
                continue
            arrive = here_min + length_m / 1000.0 / min(road_kmh, speed_kmh) * 60.0
            if arrive < best.get(there, math.inf):
                best[there] = arrive
                heapq.heappush(queue, (arrive, there))
    return best


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def map_view(drill: Drill) -> MapView:
    cached = drill.map_view_cache
    # An incident placed off the roads joins them by a new access link: the map grows.
    if cached is None or len(cached.edges) != len(drill.world.roads.edges):
        world = drill.world
        edges = tuple(
            (a, b, e.road_id, e.road_class) for (a, b), e in sorted(world.roads.edges.items())
        )
        cached = MapView(
            cell_m=world.cell_m,
            elevation_m=_read_only(world.elevation_m),
            land_use=_read_only(world.land_use),
            zone_index=_read_only(world.zone_index),
            node_xy=_read_only(world.roads.node_xy),
            edges=edges,
        )
        drill.map_view_cache = cached
    return cached


_CAPABILITIES: dict[UnitType, tuple[str, ...]] = {}  # a unit type's, sorted, as shown
_STATE_NAMES = tuple(state.name.lower() for state in PersonState)


def _capabilities(unit_type: UnitType) -> tuple[str, ...]:
    shown = _CAPABILITIES.get(unit_type)
    if shown is None:
        shown = tuple(sorted(c.value for c in CATALOG[unit_type].capabilities))
        _CAPABILITIES[unit_type] = shown
    return shown


_NEEDS: dict[frozenset, tuple[str, ...]] = {}  # an incident kind's needs, sorted, as shown


def _needs(needs: frozenset) -> tuple[str, ...]:
    shown = _NEEDS.get(needs)
    if shown is None:
        shown = _NEEDS[needs] = tuple(sorted(n.value for n in needs))
    return shown


def _units(drill: Drill) -> tuple[UnitView, ...]:
    """Every unit's view. A unit standing still off duty shows the same every minute (most
    of them, most of the time): its view is made again only when something it shows
    changed. What :meth:`Unit.position`, :attr:`Unit.next_node` and
    :meth:`Unit.duty_left_min` say is read here in line (the same numbers, asked of every
    unit every minute), and a route's points are drawn again only when the unit takes a
    new route (a route is replaced, never changed in place)."""
    now = drill.now
    xy = drill.world.roads.xy
    known = drill.view_cache["units"]
    routes = drill.route_xy_cache
    views = []
    for unit in drill.units.values():
        leg = unit.leg
        kept = known.get(unit.id)
        if (
            kept is not None
            and kept[2] == unit.changes
            and leg is None
            and unit.shift_started_min is None
        ):
            # Standing still off duty, nothing assigned to it since its view was checked:
            # its view shows the same (where it stands and its route do not move with time).
            views.append(kept[1])
            continue
        if leg is None:
            at, next_node = xy(unit.node), unit.node
        else:
            at, next_node = leg.position(now), leg.end_node
        route = routes.get(unit.id)
        if route is None or route[0] is not unit.route:
            route = routes[unit.id] = (unit.route, tuple(map(xy, unit.route)))
        route_xy = route[1]
        spec = unit.spec
        if unit.shift_started_min is None:
            duty = None
        else:
            clock = unit.grounded_since_min if unit.grounded_since_min is not None else now
            duty = unit.shift_started_min + spec.shift_h * 60.0 - clock
        shown = (
            spec,
            unit.base,
            unit.status,
            unit.task,
            at,
            next_node,
            route_xy,
            unit.carrying_people,
            duty,
        )
        if kept is not None and kept[0] == shown:
            known[unit.id] = (shown, kept[1], unit.changes)
            views.append(kept[1])
            continue
        view = UnitView(
            id=unit.id,
            type=spec.type.value,
            status=unit.status.value,
            x=at[0],
            y=at[1],
            base=unit.base,
            task=unit.task,
            capabilities=_capabilities(spec.type),
            carrying_people=unit.carrying_people,
            route_xy=route_xy,
            node=next_node,
            payload_units=spec.payload_units,
            carry_persons=spec.carry_persons,
            shift_left_min=duty,
            way=spec.way,
        )
        known[unit.id] = (shown, view, unit.changes)
        views.append(view)
    return tuple(views)


def _incidents(drill: Drill) -> tuple[IncidentView, ...]:
    """Every incident's view. Most incidents are closed and stay as they are: a view is
    made again only when something it shows changed."""
    zones = drill.world.zones
    known = drill.view_cache["incidents"]
    joined = drill.joined_by_road  # as incident_joined_by_road asks it
    views = []
    for i in drill.incidents.values():
        units = tuple(sorted(i.units)) if i.units else ()
        reachable = joined(i.node, INCIDENT_NEEDS[i.kind])  # i.needs
        shown = (
            i.kind,
            i.xy,
            i.zone,
            i.people,
            i.work_min,
            i.resolved_min,
            i.created_min,
            i.first_unit_min,
            units,
            i.node,
            reachable,
        )
        kept = known.get(i.id)
        if kept is not None and kept[0] == shown:
            views.append(kept[1])
            continue
        view = IncidentView(
            id=i.id,
            kind=i.kind.value,
            x=i.xy[0],
            y=i.xy[1],
            zone=zones[i.zone].id,
            people=i.people,
            work_min=i.work_min,
            is_open=i.is_open,
            created_min=i.created_min,
            first_unit_min=i.first_unit_min,
            units=units,
            needs=_needs(i.needs),
            node=i.node,
            reachable_by_road=reachable,
        )
        known[i.id] = (shown, view)
        views.append(view)
    return tuple(views)


def _zones(drill: Drill) -> tuple[ZoneView, ...]:
    """Every zone's view; made again only when something it shows changed (most zones,
    most minutes, nobody moves between states)."""
    known = drill.view_cache.setdefault("zones", {})
    views = []
    counts_by_zone = drill.population.counts.tolist()
    for zone in drill.world.zones:
        counts = counts_by_zone[zone.index]
        warning = drill.zone_warning[zone.index]
        shown = (
            tuple(counts),
            warning,
            drill.evacuation_target[zone.index],
            drill.shelter_in_place[zone.index],
            tuple(sorted(drill.zone_teams[zone.index])),
        )
        kept = known.get(zone.index)
        if kept is not None and kept[0] == shown:
            views.append(kept[1])
            continue
        view = ZoneView(
            id=zone.id,
            name_en=zone.name.en,
            name_zh=zone.name.zh,
            x=zone.centroid_xy[0],
            y=zone.centroid_xy[1],
            people=dict(zip(_STATE_NAMES, counts, strict=True)),
            warning=warning.value if warning else None,
            evacuating_to=shown[2],
            sheltering_in_place=shown[3],
            teams=shown[4],
            node=zone.node,
        )
        known[zone.index] = (shown, view)
        views.append(view)
    return tuple(views)


def _facilities(drill: Drill) -> tuple[FacilityView, ...]:
    """Every facility's view. Most of them show the same minute after minute (a depot's
    stocks, a closed shelter): a view is made again only when something it shows changed."""
    known = drill.view_cache.setdefault("facilities", {})
    shelters, hospitals, stocks = drill.shelters, drill.hospitals, drill.stocks.at
    views = []
    for facility in drill.world.facilities.values():
        shelter = shelters.get(facility.id)
        hospital = hospitals.get(facility.id)
        stock = stocks.get(facility.id)
        held = tuple((i, a) for i, a in stock.items() if a > 0) if stock else ()
        shown = (
            bool(shelter and shelter.open and not shelter.lost),
            shelter.occupants if shelter else 0,
            sum(shelter.waiting.values()) if shelter else 0,
            sum(hospital.patients.values()) if hospital else 0,
            held,
            bool(shelter and shelter.lost),
        )
        kept = known.get(facility.id)
        if kept is not None and kept[0] == shown:
            views.append(kept[1])
            continue
        is_open, occupants, waiting, patients, _, lost = shown
        view = FacilityView(
            id=facility.id,
            type=facility.type.value,
            name_en=facility.name.en,
            name_zh=facility.name.zh,
            x=facility.xy[0],
            y=facility.xy[1],
            tier=facility.tier.value if facility.tier else None,
            is_open=is_open,
            occupants=occupants,
            waiting=waiting,
            capacity=facility.capacity,
            beds=facility.beds,
            patients=patients,
            stocks={item.value: amount for item, amount in held},
            node=facility.node,
            lost=lost,
        )
        known[facility.id] = (shown, view)
        views.append(view)
    return tuple(views)


def take_snapshot(drill: Drill, viewer: Role = Role.COMMANDER) -> Snapshot:
    """The drill now, for ``viewer`` (today: the truth for everyone)."""
    fields: dict[str, np.ndarray] = {}
    seen: dict[str, int] = {}  # hazards of each kind so far
    for hazard in drill.hazards.values():
        n = seen[hazard.kind] = seen.get(hazard.kind, 0) + 1
        prefix = "" if n == 1 else f"{hazard.kind}:" if n == 2 else f"{hazard.kind}{n}:"
        for name, array in hazard.fields().items():  # the first of a kind: plain names,
            fields[prefix + name] = _read_only(array)  # the second "fire:…", then "fire3:…"
    incidents = _incidents(drill)
    closed = _closed_edges(drill)
    by_hazard = hazard_threats(drill)
    the_map = map_view(drill)
    times = drill.view_cache.get("road_times")
    if times is None or times.map is not the_map or times.closed is not closed:
        times = drill.view_cache["road_times"] = RoadTimes(the_map, closed)
    return Snapshot(
        viewer=viewer,
        t_min=drill.now,
        end_min=drill.end_min,
        clock_min=drill.weather.time_of_day_min(drill.now),
        finished=drill.finished,
        response_level=drill.response_level.value,
        weather=drill.weather.current(drill.now),
        people=drill.population.totals(),
        unmet_need_person_h=drill.unmet_person_min / 60.0,
        warnings_issued=drill.warnings_issued,
        units=_units(drill),
        incidents=incidents,
        zones=_zones(drill),
        facilities=_facilities(drill),
        closed_edges=closed,
        fields=fields,
        map=the_map,
        reinforcements_requested=tuple(sorted(drill.reinforcements_requested)),
        threats=forecast_threats(drill, by_hazard),
        hazard_threats=MappingProxyType(
            {
                hazard: MappingProxyType({z: (round(v, 3), a) for z, (v, a) in zones.items()})
                for hazard, zones in by_hazard.items()
            }
        ),
        road_parts={way: MappingProxyType(drill.road_parts(way)) for way in ("ground", "afloat")},
        road_times=times,
    )


def _closed_edges(drill: Drill) -> Mapping[tuple[int, int], tuple[str, ...]]:
    """Each closed edge's reasons, read-only; rebuilt only when a closure changed."""
    roads = drill.world.roads
    cached = drill.closed_edges_cache
    if cached is None or cached[0] != roads.version:
        closed = {
            key: tuple(sorted(edge.closures)) for key, edge in roads.edges.items() if edge.closures
        }
        cached = (roads.version, MappingProxyType(closed))
        drill.closed_edges_cache = cached
    return cached[1]


def hazard_threats(drill: Drill) -> dict[str, dict[str, tuple[float, str]]]:
    """Each hazard's forecast: hazard id -> zone id -> (threat, advice), unrounded."""
    zones = drill.world.zones
    return {
        hazard_id: {zones[zone].id: threat for zone, threat in hazard.zone_threats().items()}
        for hazard_id, hazard in drill.hazards.items()
    }


def forecast_threats(
    drill: Drill, by_hazard: Mapping[str, Mapping[str, tuple[float, str]]] | None = None
) -> dict[str, tuple[float, str]]:
    """The official forecast: each zone's worst threat over all hazards, and the advice
    (from ``by_hazard``, :func:`hazard_threats`, when the caller has it already)."""
    worst: dict[str, tuple[float, str]] = {}
    for threats in (hazard_threats(drill) if by_hazard is None else by_hazard).values():
        for zone_id, (level, advice) in threats.items():
            if level > worst.get(zone_id, (0.0, ""))[0]:
                worst[zone_id] = (round(level, 3), advice)
    return worst
