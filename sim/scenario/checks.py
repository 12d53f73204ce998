"""Rules that relate one part of a scenario to another.

The schema checks each value on its own; these checks catch what only the
whole file shows: references to things that do not exist, duplicate ids,
geometry outside the map, weather and hydrographs out of time order, and
image files that cannot be read. Each problem is a (YAML path, message) pair
so the loader can position it in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sim.scenario.messages import say
from sim.scenario.schema import (
    BreachLevee,
    CloseRoad,
    DelayReinforcement,
    FacilityType,
    FloodHazard,
    GasHazard,
    LoseBridge,
    NewIncident,
    Scenario,
    StartHazard,
)

Problem = tuple[tuple[str | int, ...], str]

# Where units may be based: places with crews, garages or helipads.
BASE_TYPES = {
    FacilityType.FIRE_STATION,
    FacilityType.POLICE_STATION,
    FacilityType.HOSPITAL,
    FacilityType.DEPOT,
    FacilityType.COMMAND_POST,
}


def check_references(scenario: Scenario, base_dir: Path | None) -> list[Problem]:
    """Every cross-reference and geometry problem of ``scenario``, in file order."""
    problems: list[Problem] = []
    for check in (_unique_ids, _geometry, _forces, _hazards, _injects, _time_order):
        problems.extend(check(scenario))
    problems.extend(_images(scenario, base_dir))
    if not problems:
        problems.extend(_road_network(scenario))
    return problems


def _road_network(s: Scenario) -> Iterator[Problem]:
    """Every road must join the others: a road cut off from the network is a typo."""
    import networkx as nx

    from sim.world.roads import RoadNetwork

    shape = (s.map.height_cells, s.map.width_cells)
    network = RoadNetwork(list(s.roads), shape, s.map.cell_m)
    parts = sorted(nx.connected_components(network.graph), key=len, reverse=True)
    if len(parts) <= 1:
        return
    main = parts[0]
    for index, road in enumerate(s.roads):
        first = network.road_edges[road.id][0][0]
        if first not in main:
            yield (
                ("roads", index, "points"),
                say("road.not_joined", road=road.id),
            )


def _duplicates(section: str, ids: Iterable[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            yield (section, index, "id"), say("id.twice", ident=ident)
        seen.add(ident)


def _unique_ids(s: Scenario) -> Iterator[Problem]:
    yield from _duplicates("zones", (z.id for z in s.zones))
    yield from _duplicates("roads", (r.id for r in s.roads))
    yield from _duplicates("facilities", (f.id for f in s.facilities))
    yield from _duplicates("hazards", (h.id for h in s.hazards))
    yield from _duplicates("injects", (i.id for i in s.injects))


def _outside(s: Scenario, points: Iterable[tuple[float, float]]) -> Iterator[int]:
    width_m = s.map.width_cells * s.map.cell_m
    height_m = s.map.height_cells * s.map.cell_m
    for index, (x, y) in enumerate(points):
        if not (0 <= x <= width_m and 0 <= y <= height_m):
            yield index


def _map_size(s: Scenario) -> str:
    return f"{s.map.width_cells * s.map.cell_m:g} × {s.map.height_cells * s.map.cell_m:g} m"


def _shapes(s: Scenario) -> list[tuple[tuple[str | int, ...], list[tuple[float, float]]]]:
    """Every polyline, polygon and point of the file, with its YAML path."""
    shapes: list[tuple[tuple[str | int, ...], list[tuple[float, float]]]] = []
    shapes += [(("zones", i, "polygon"), z.polygon) for i, z in enumerate(s.zones)]
    shapes += [(("roads", i, "points"), r.points) for i, r in enumerate(s.roads)]
    shapes += [(("map", "land_use", i, "polygon"), a.polygon) for i, a in enumerate(s.map.land_use)]
    shapes += [(("facilities", i, "at"), [f.at]) for i, f in enumerate(s.facilities)]
    for h_index, hazard in enumerate(s.hazards):
        if isinstance(hazard, FloodHazard):
            shapes.append((("hazards", h_index, "inflow_at"), hazard.inflow_at))
            for l_index, levee in enumerate(hazard.levees):
                shapes.append((("hazards", h_index, "levees", l_index, "points"), levee.points))
        elif hasattr(hazard, "ignitions"):
            for i_index, ignition in enumerate(hazard.ignitions):
                shapes.append((("hazards", h_index, "ignitions", i_index, "at"), [ignition.at]))
    for index, inject in enumerate(s.injects):
        for a_index, action in enumerate(inject.actions):
            if isinstance(action, NewIncident):
                shapes.append((("injects", index, "actions", a_index, "at"), [action.at]))
    return shapes


def _geometry(s: Scenario) -> Iterator[Problem]:
    size = _map_size(s)
    for path, points in _shapes(s):
        for index in _outside(s, points):
            where = path if path[-1] == "at" else (*path, index)
            yield where, say("map.outside", point=str(list(points[index])), size=size)


def _forces(s: Scenario) -> Iterator[Problem]:
    facilities = {f.id: f for f in s.facilities}
    bases = sorted(f.id for f in s.facilities if f.type in BASE_TYPES)
    for index, group in enumerate(s.forces.units):
        base = facilities.get(group.base)
        if base is None:
            yield ("forces", "units", index, "base"), _missing("facility", group.base, bases)
        elif base.type not in BASE_TYPES:
            yield (
                ("forces", "units", index, "base"),
                say("base.not_a_base", ident=group.base, type=base.type.value),
            )
    yield from _duplicates("forces.reinforcements", (r.id for r in s.forces.reinforcements))
    for index, reinforcement in enumerate(s.forces.reinforcements):
        if reinforcement.arrive_at not in facilities:
            yield (
                ("forces", "reinforcements", index, "arrive_at"),
                _missing("facility", reinforcement.arrive_at, sorted(facilities)),
            )


def _missing(kind: str, ident: str, known: list[str]) -> str:
    import difflib

    term = say("term." + kind.replace(" ", "_"))
    close = difflib.get_close_matches(ident, known, n=1)
    if close:
        return say("ref.missing.did_you_mean", kind=term, ident=ident, close=close[0])
    return say("ref.missing", kind=term, ident=ident)


def _hazards(s: Scenario) -> Iterator[Problem]:
    facilities = {f.id: f for f in s.facilities}
    for index, hazard in enumerate(s.hazards):
        if isinstance(hazard, GasHazard):
            source = facilities.get(hazard.source)
            sources = sorted(f.id for f in s.facilities if f.type == FacilityType.HAZARD_SOURCE)
            if source is None:
                yield ("hazards", index, "source"), _missing("facility", hazard.source, sources)
            elif source.type != FacilityType.HAZARD_SOURCE:
                yield (
                    ("hazards", index, "source"),
                    say("gas.not_a_source", ident=hazard.source, type=source.type.value),
                )
        if isinstance(hazard, FloodHazard):
            yield from _duplicates(f"hazards[{index}].levees", (lv.id for lv in hazard.levees))


def _injects(s: Scenario) -> Iterator[Problem]:
    roads = {r.id: r for r in s.roads}
    reinforcements = sorted(r.id for r in s.forces.reinforcements)
    hazards = {h.id: h for h in s.hazards}
    facilities = sorted(f.id for f in s.facilities)
    zones = sorted(z.id for z in s.zones)
    for index, inject in enumerate(s.injects):
        if inject.when is not None:
            if inject.when.water_depth_at not in facilities:
                path = ("injects", index, "when", "water_depth_at")
                yield path, _missing("facility", inject.when.water_depth_at, facilities)
            if not any(isinstance(h, FloodHazard) for h in s.hazards):
                yield ("injects", index, "when"), say("inject.when_needs_flood")
        for a_index, action in enumerate(inject.actions):
            path = ("injects", index, "actions", a_index)
            yield from _action_refs(action, path, roads, reinforcements, hazards, zones)


def _action_refs(action, path, roads, reinforcements, hazards, zones) -> Iterator[Problem]:  # noqa: ANN001
    if isinstance(action, CloseRoad | LoseBridge):
        road = roads.get(action.road)
        if road is None:
            yield (*path, "road"), _missing("road", action.road, sorted(roads))
        elif isinstance(action, LoseBridge) and not road.bridge:
            yield (*path, "road"), say("road.not_bridge", road=action.road)
    elif isinstance(action, DelayReinforcement) and action.reinforcement not in reinforcements:
        yield (
            (*path, "reinforcement"),
            _missing("reinforcement", action.reinforcement, reinforcements),
        )
    elif isinstance(action, StartHazard) and action.hazard not in hazards:
        yield (*path, "hazard"), _missing("hazard", action.hazard, sorted(hazards))
    elif isinstance(action, BreachLevee):
        hazard = hazards.get(action.hazard)
        if not isinstance(hazard, FloodHazard):
            floods = sorted(h for h, v in hazards.items() if isinstance(v, FloodHazard))
            yield (*path, "hazard"), _missing("flood hazard", action.hazard, floods)
        elif action.levee not in {lv.id for lv in hazard.levees}:
            levees = sorted(lv.id for lv in hazard.levees)
            yield (*path, "levee"), _missing("levee", action.levee, levees)
    elif isinstance(action, NewIncident) and action.zone is not None and action.zone not in zones:
        yield (*path, "zone"), _missing("zone", action.zone, zones)


def _time_order(s: Scenario) -> Iterator[Problem]:
    if s.weather[0].at_min != 0:
        yield ("weather", 0, "at_min"), say("weather.first_at_zero")
    for index in range(1, len(s.weather)):
        if s.weather[index].at_min <= s.weather[index - 1].at_min:
            yield ("weather", index, "at_min"), say("weather.order")
    for h_index, hazard in enumerate(s.hazards):
        if isinstance(hazard, FloodHazard):
            points = hazard.hydrograph
            for index in range(1, len(points)):
                if points[index].at_min <= points[index - 1].at_min:
                    path = ("hazards", h_index, "hydrograph", index, "at_min")
                    yield path, say("hydrograph.order")
    duration_min = s.meta.duration_h * 60
    for index, inject in enumerate(s.injects):
        if inject.at_min is not None and inject.at_min > duration_min:
            yield (
                ("injects", index, "at_min"),
                say("inject.after_end", at=f"{inject.at_min:g}", end=f"{duration_min:g}"),
            )
    yield from _ignitions_after_end(s, duration_min)


def _hazard_starts(s: Scenario) -> dict[str, float | None]:
    """The minute each hazard starts at the earliest: its start_min, else the first
    timed inject that starts it (None when only a water-depth trigger does, or nothing)."""
    by_inject: dict[str, float] = {}
    for inject in s.injects:
        for action in inject.actions:
            if isinstance(action, StartHazard) and inject.at_min is not None:
                first = by_inject.get(action.hazard, inject.at_min)
                by_inject[action.hazard] = min(first, inject.at_min)
    return {
        h.id: h.start_min if h.start_min is not None else by_inject.get(h.id) for h in s.hazards
    }


def _ignitions_after_end(s: Scenario, duration_min: float) -> Iterator[Problem]:
    """An ignition timed after the drill's end never burns (its ``at_min`` counts from
    the hazard's start, as the fire runtime counts it)."""
    starts = _hazard_starts(s)
    for h_index, hazard in enumerate(s.hazards):
        start = starts.get(hazard.id) or 0.0
        if hazard.start_min is not None and hazard.start_min > duration_min:
            yield (
                ("hazards", h_index, "start_min"),
                say("inject.after_end", at=f"{hazard.start_min:g}", end=f"{duration_min:g}"),
            )
        if start > duration_min:
            continue  # the hazard itself starts too late: said once, where it starts
        for i_index, ignition in enumerate(getattr(hazard, "ignitions", [])):
            when = start + ignition.at_min
            if when <= duration_min:
                continue
            path = ("hazards", h_index, "ignitions", i_index, "at_min")
            if start:
                yield (
                    path,
                    say(
                        "ignition.after_end.started",
                        at=f"{ignition.at_min:g}",
                        start=f"{start:g}",
                        when=f"{when:g}",
                        end=f"{duration_min:g}",
                        hazard=hazard.id,
                    ),
                )
            else:
                yield (
                    path,
                    say(
                        "ignition.after_end",
                        at=f"{ignition.at_min:g}",
                        end=f"{duration_min:g}",
                        hazard=hazard.id,
                    ),
                )


def _images(s: Scenario, base_dir: Path | None) -> Iterator[Problem]:
    from sim.world.terrain import PgmError, read_pgm

    terrain = s.map.terrain
    for field in ("elevation_pgm", "land_use_pgm"):
        name = getattr(terrain, field, None)
        if not name:
            continue
        path = ("map", "terrain", field)
        if base_dir is None:
            yield path, say("image.needs_file")
            continue
        try:
            read_pgm(base_dir / name)
        except PgmError as exc:
            yield path, str(exc)
