"""The engine's own work around the hazard kernels, done the short way, gives the long way's
answers to the bit.

The flood forecast asks every river cell's rating at once, the flood's roads are not closed
again while the same stretches stand deep, facilities and zones are read in one gather, the
zones' displaced shares are counted for all zones at once, and a snapshot keeps the views of
units and facilities that show the same. A drill played with the long way patched in (what
the engine did before) must log the same events, carry the same harm fractions and show the
same snapshots.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import Drill, ExpertBot, load_scenario
from sim.hazards import flood_runtime, gas_runtime
from sim.hazards.flood import (
    ROAD_IMPASSABLE_DEPTH_M,
    flood_harm_rates_per_h,
    flood_hazard_rating,
)
from sim.hazards.flood_runtime import (
    FACILITY_LOST_DEPTH_M,
    INDOOR_FACTOR,
    TRAP_RATE_PER_H,
    TRAPPING_DEPTH_M,
    WET_M,
    FloodRuntime,
)
from sim.hazards.gas_runtime import GasRuntime
from sim.hazards.harm import (
    Harm,
    any_on_the_way,
    cells_on_the_way,
    harm_on_the_move,
    harm_zone,
    people_on_the_move,
    share_of,
)
from sim.hazards.rating import STAGE_SPAN_M, ReachRating, SectionRating, StageTable
from sim.snapshot import (
    _STATE_NAMES,
    FacilityView,
    UnitView,
    ZoneView,
    _capabilities,
    _facilities,
    _units,
    _zones,
)
from tests.conftest import DATA

CASCADE = DATA / "trial_cascade.yaml"  # a flood that rises and falls, a levee, a gas leak
MINUTES = 240


def _sections(rng: np.random.Generator, count: int) -> list[SectionRating]:
    """Valley sections: a channel between banks, levees or ridges at random."""
    sections = []
    for _ in range(count):
        width = int(rng.integers(15, 60))
        centre = int(rng.integers(3, width - 3))
        bed = 10.0 + np.abs(np.arange(width) - centre) * rng.uniform(0.05, 0.6)
        bed[centre] -= rng.uniform(1.0, 4.0)
        bed += rng.uniform(0.0, 0.8, width)
        n = rng.choice([0.03, 0.05, 0.1], width)
        sections.append(SectionRating(bed, n, centre, 50.0, float(rng.uniform(1e-5, 3e-3))))
    return sections


def test_the_stage_table_gives_each_ratings_own_stage_to_the_bit() -> None:
    rng = np.random.default_rng(11)
    sections = _sections(rng, 12)
    ratings = [
        ReachRating(9.0, sections[0:3]),
        ReachRating(8.5, sections[3:12]),  # nine sections: numpy sums them in blocks
        ReachRating(7.0, sections[5:6]),
        ReachRating(6.5, sections[2:11]),  # as many as the second: their means in one matrix
    ]
    table = StageTable(ratings)
    top = max(float(s.conveyance[-1] * np.sqrt(s.slope)) for s in sections)
    asked = [0.0, 1e-300, 5.0, top, 10 * top, *rng.uniform(0.0, top, 300).tolist()]
    # Discharges that fall on a row of a section's table (the interpolation's knot case).
    asked += [float(s.conveyance[k] * np.sqrt(s.slope)) for s in sections for k in (1, 7, 400)]
    for q in asked:
        discharges = np.array([q, 0.7 * q, 1.3 * q, 0.9 * q])
        want = [r.normal_stage(float(d)) for r, d in zip(ratings, discharges, strict=True)]
        assert table.normal_stages(discharges) == want
        assert table.normal_stages(discharges.copy()) == want  # the kept answer
    assert max(table.normal_stages(np.full(4, 10 * top))) <= 9.0 + STAGE_SPAN_M
    # A flood rising and falling minute by minute: each section's last row is tried first.
    for q in [*np.linspace(0.0, 1.2 * top, 700), *np.linspace(1.2 * top, 0.0, 700)]:
        discharges = np.array([q, 0.7 * q, 1.3 * q, 0.9 * q])
        want = [r.normal_stage(float(d)) for r, d in zip(ratings, discharges, strict=True)]
        assert table.normal_stages(discharges) == want


@pytest.mark.parametrize("values", [np.arange(37), np.arange(11) > 4, np.linspace(0, 1, 1001)])
def test_a_mean_without_numpys_wrapper_is_numpys_mean(values: np.ndarray) -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        part = rng.permutation(values)[: rng.integers(1, values.size + 1)]
        if part.dtype == float:
            part = part * rng.uniform(0.0, 3.0)
        assert flood_runtime._mean(part) == part.mean()


# -- the long way, as the engine did it before ------------------------------------------------
def _forecast_cell_by_cell(self: FloodRuntime) -> dict[int, float]:
    self._check_ratings()
    elapsed = self.drill.now - self.t0 if hasattr(self, "t0") else 0.0
    stages = {}
    for zone, cell in self.river_cell.items():
        rating, travel_min = self._rating(cell)
        at = elapsed - travel_min
        later = self.hydro_q[self.hydro_t > at]
        now = float(np.interp(at, self.hydro_t, self.hydro_q))
        discharge = max(now, float(later.max())) if later.size else now
        water = self.model.bed_elevation_m.ravel()[cell] + self.model.depth_m.ravel()[cell]
        stages[zone] = max(rating.normal_stage(discharge), float(water))
    return stages


def _roads_every_step(self: FloodRuntime) -> None:
    roads = self.drill.world.roads
    deep = self.model.depth_m.ravel()[roads.road_cells] > ROAD_IMPASSABLE_DEPTH_M
    self.close_roads_hit(roads.edges_hit(deep), "flood")


def _facilities_one_by_one(self: FloodRuntime) -> None:
    depth = self.model.depth_m
    self.lose_facilities_by(lambda cell: bool(depth[cell] > FACILITY_LOST_DEPTH_M))


def _milestones_zone_by_zone(self: FloodRuntime) -> None:
    depth = self.model.depth_m.ravel()
    self.reach_zones_by(lambda cells: bool((depth[cells] > WET_M).any()))


def _displaced_zone_by_zone(self: FloodRuntime) -> list[float]:
    return [self.displaced_share(zone.index) for zone in self.drill.world.zones]


def _harm_zone_by_zone(self: FloodRuntime, dt_min: float) -> None:
    """harm_people with numpy's means, two any() and a divmod a zone."""
    if not self.started:
        return
    depth_m, hours, world = self.model.depth_m.ravel(), dt_min / 60.0, self.drill.world

    def rates(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        depth = depth_m[cells]
        injury, death = flood_harm_rates_per_h(
            flood_hazard_rating(depth, self.model.speed_at(cells))
        )
        return depth, injury, death, (depth > TRAPPING_DEPTH_M).astype(float)

    def over(injury: np.ndarray, death: np.ndarray, deep: np.ndarray) -> Harm:
        return Harm(
            dead=float(death.mean()) * hours,
            injured=float(injury.mean()) * hours,
            trapped=float(deep.mean()) * TRAP_RATE_PER_H * hours,
        )

    cells, bounds = self._zone_cells()
    depth, injury, death, deep = rates(cells)
    for zone, (a, b) in zip(world.zones, bounds, strict=True):
        if a == b or (not deep[a:b].any() and not injury[a:b].any()):
            continue
        at_home = over(injury[a:b], death[a:b], deep[a:b])
        wet = zone.cells[depth[a:b] > WET_M]
        rows, cols = np.divmod(wet if wet.size else zone.cells, world.shape[1])
        cell = world.cell_m
        xy = (float((cols.mean() + 0.5) * cell), float((rows.mean() + 0.5) * cell))
        harm_zone(self.drill, zone.index, at_home, at_home.scaled(INDOOR_FACTOR), self.id, xy)
    everyone = people_on_the_move(self.drill, dt_min)
    cells, starts = cells_on_the_way(everyone)
    _, injury, death, deep = rates(cells)
    met = any_on_the_way((injury > 0) | (death > 0) | (deep > 0), starts)
    ends = [*starts.tolist()[1:], cells.size][: starts.size]
    moving = [
        (where, over(injury[a:b], death[a:b], deep[a:b]))
        for where, a, b, hit in zip(everyone, starts.tolist(), ends, met, strict=True)
        if hit
    ]
    harm_on_the_move(self.drill, moving, self.id)


def _gas_harm_zone_by_zone(self: GasRuntime, dt_min: float) -> None:
    """The gas's harm_people with the air above AEGL-2 compared over the whole grid and
    counted zone by zone."""
    if not self.started:
        return
    lethal_out = self.exposure.lethal_fraction_outdoor()
    lethal_in = self.exposure.lethal_fraction_indoor()
    above_out = (self.release.concentration_ppm > self.aegl2).ravel()
    above_in = (self.exposure.indoor_ppm > self.aegl2).ravel()
    injure = 1.0 - (1.0 - gas_runtime.INJURY_PER_MIN_ABOVE_AEGL2) ** dt_min
    ppm, n = self.release.concentration_ppm.ravel(), self.exposure.substance.probit_n
    moving, exposed_moving = [], {}
    everyone = people_on_the_move(self.drill, dt_min)
    cells, starts = cells_on_the_way(everyone)
    for where, hit in zip(everyone, any_on_the_way(ppm[cells] != 0.0, starts), strict=True):
        if not hit and where.group is not None:
            where.group.toxic_load[self.id] = where.group.toxic_load.get(self.id, 0.0)
            continue
        share_above = share_of(above_out[where.cells])
        if where.group is None:
            dead = gas_runtime._newly(lethal_out, self.lethal_out, where.cells)
        else:
            before = where.group.toxic_load.get(self.id, 0.0)
            load = before + float(np.mean(ppm[where.cells] ** n)) * dt_min
            where.group.toxic_load[self.id] = load
            dead = gas_runtime._probit_rise(self.substance, before, load)
        if share_above:
            exposed_moving[where.zone] = exposed_moving.get(where.zone, 0.0) + (
                share_above * where.people
            )
        moving.append((where, Harm(dead=dead, injured=share_above * injure)))
    for zone in self.drill.world.zones:
        cells = zone.cells
        above_here = above_out[cells]
        above = np.count_nonzero(above_here)
        touched = bool(cells.size) and bool(above or np.count_nonzero(lethal_out.ravel()[cells]))
        exposed = exposed_moving.get(zone.index, 0.0)
        if touched:
            share_above = above / above_here.size
            exposed += round(share_above * gas_runtime._at_home(self.drill, zone.index))
        if touched or exposed:
            self.people_above_aegl2[zone.index] = max(
                self.people_above_aegl2.get(zone.index, 0), round(exposed)
            )
        if not touched:
            continue
        home = Harm(
            dead=gas_runtime._newly(lethal_out, self.lethal_out, cells),
            injured=share_above * injure,
        )
        indoors = Harm(
            dead=gas_runtime._newly(lethal_in, self.lethal_in, cells),
            injured=share_of(above_in[cells]) * injure,
        )
        harm_zone(self.drill, zone.index, home, indoors, self.id, zone.centroid_xy)
    harm_on_the_move(self.drill, moving, self.id)
    self.lethal_out[...] = lethal_out
    self.lethal_in[...] = lethal_in


def _gas_threats_zone_by_zone(self: GasRuntime) -> dict[int, tuple[float, str]]:
    """The gas's zone_threats with each zone's share in the cloud taken zone by zone."""
    if not self.started:
        return {}
    now = self.drill.now
    weather = self.drill.weather.current(now)
    stability = self.drill.weather.stability_class(now)
    winds = [(now, weather.wind_speed_m_per_s, weather.wind_from_deg, 1.0)]
    winds += [
        (at, speed, from_deg, gas_runtime.FORECAST_WEIGHT)
        for at, speed, from_deg in self.drill.weather.forecast_winds(
            now, gas_runtime.FORECAST_HORIZON_MIN
        )
    ]
    if not self.release.active or self.release.rate_kg_per_s <= 0.0:
        winds = []
    ppm = self.release.concentration_ppm.ravel()
    threats = {}
    for zone in self.drill.world.zones:
        in_cloud = share_of(ppm[zone.cells] > self.aegl1) if zone.cells.size else 0.0
        level, arrive_min = in_cloud, 0.0 if in_cloud > 0 else np.inf
        for at, speed, from_deg, weight in winds:
            reach = self._plume_at(zone, speed, from_deg, stability)
            if reach is None:
                continue
            near, peak = reach
            if peak < self.aegl1:
                continue
            share = min(1.0, (peak - self.aegl1) / max(self.aegl2 - self.aegl1, 1e-9))
            level = max(level, weight * (0.4 + 0.6 * share))
            arrive_min = min(arrive_min, at - now + near / (max(speed, 1.0) * 60.0))
        if level > 0.05:
            soon = arrive_min < gas_runtime.SHELTER_IF_WITHIN_MIN
            threats[zone.index] = (min(1.0, level), "shelter" if soon else "evacuate")
    return threats


def _units_afresh(drill: Drill) -> tuple[UnitView, ...]:
    views = []
    for unit in drill.units.values():
        at = unit.position(drill.now, drill.world.roads.xy(unit.node))
        spec = unit.spec
        views.append(
            UnitView(
                id=unit.id,
                type=spec.type.value,
                status=unit.status.value,
                x=at[0],
                y=at[1],
                base=unit.base,
                task=unit.task,
                capabilities=_capabilities(spec.type),
                carrying_people=unit.carrying_people,
                route_xy=tuple(map(drill.world.roads.xy, unit.route)),
                node=unit.next_node,
                payload_units=spec.payload_units,
                carry_persons=spec.carry_persons,
                shift_left_min=unit.duty_left_min(drill.now),
                way=spec.way,
            )
        )
    return tuple(views)


def _facilities_afresh(drill: Drill) -> tuple[FacilityView, ...]:
    views = []
    for facility in drill.world.facilities.values():
        shelter = drill.shelters.get(facility.id)
        hospital = drill.hospitals.get(facility.id)
        stock = drill.stocks.at.get(facility.id, {})
        views.append(
            FacilityView(
                id=facility.id,
                type=facility.type.value,
                name_en=facility.name.en,
                name_zh=facility.name.zh,
                x=facility.xy[0],
                y=facility.xy[1],
                tier=facility.tier.value if facility.tier else None,
                is_open=bool(shelter and shelter.open and not shelter.lost),
                occupants=shelter.occupants if shelter else 0,
                waiting=sum(shelter.waiting.values()) if shelter else 0,
                capacity=facility.capacity,
                beds=facility.beds,
                patients=sum(hospital.patients.values()) if hospital else 0,
                stocks={item.value: amount for item, amount in stock.items() if amount > 0},
                node=facility.node,
                lost=bool(shelter and shelter.lost),
            )
        )
    return tuple(views)


def _zones_afresh(drill: Drill) -> tuple[ZoneView, ...]:
    views = []
    for zone in drill.world.zones:
        counts = drill.population.counts[zone.index].tolist()
        warning = drill.zone_warning[zone.index]
        views.append(
            ZoneView(
                id=zone.id,
                name_en=zone.name.en,
                name_zh=zone.name.zh,
                x=zone.centroid_xy[0],
                y=zone.centroid_xy[1],
                people=dict(zip(_STATE_NAMES, counts, strict=True)),
                warning=warning.value if warning else None,
                evacuating_to=drill.evacuation_target[zone.index],
                sheltering_in_place=drill.shelter_in_place[zone.index],
                teams=tuple(sorted(drill.zone_teams[zone.index])),
                node=zone.node,
            )
        )
    return tuple(views)


def _play(drill: Drill, check: bool = False) -> None:
    bot = ExpertBot(drill.scenario)
    clouded = 0  # minutes the gas forecast threatened a zone
    gas = next(h for h in drill.hazards.values() if h.kind == "gas")
    for minute in range(1, MINUTES + 1):
        snapshot = drill.snapshot()
        if check:  # the forecast and the kept views are the long way's (types too)
            threats = gas.zone_threats()
            assert repr(threats) == repr(_gas_threats_zone_by_zone(gas))
            clouded += bool(threats)
            assert _units(drill) == _units_afresh(drill) == snapshot.units
            assert _facilities(drill) == _facilities_afresh(drill) == snapshot.facilities
            assert _zones(drill) == _zones_afresh(drill) == snapshot.zones
        for command in bot.decide(snapshot):
            drill.submit(command)
        drill.advance(float(minute))
    assert clouded or not check


def test_a_flood_drill_plays_the_same_as_the_long_way_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = load_scenario(CASCADE)
    short = Drill(loaded, 3)
    _play(short, check=True)

    for name, long_way in (
        ("forecast_stage_m", _forecast_cell_by_cell),
        ("_roads", _roads_every_step),
        ("_facilities", _facilities_one_by_one),
        ("_milestones", _milestones_zone_by_zone),
        ("displaced_shares", _displaced_zone_by_zone),
        ("harm_people", _harm_zone_by_zone),
    ):
        monkeypatch.setattr(FloodRuntime, name, long_way)
    monkeypatch.setattr(GasRuntime, "harm_people", _gas_harm_zone_by_zone)
    monkeypatch.setattr(GasRuntime, "zone_threats", _gas_threats_zone_by_zone)
    long = Drill(loaded, 3)
    _play(long)

    kinds = {event.kind for event in short.events}
    assert {"RoadClosed", "HazardMilestone", "PeopleHarmed"} <= kinds  # all of it was asked
    assert short.events == long.events
    assert short.tally._carry == long.tally._carry  # the harm's chances, to the bit
    assert short.unmet_person_min == long.unmet_person_min
    gas = next(h for h in short.hazards.values() if h.kind == "gas")
    assert gas.people_above_aegl2 == long.hazards[gas.id].people_above_aegl2
    assert any(e.data.get("cause") == gas.id for e in short.events)  # the cloud harmed
    flood = next(h for h in short.hazards.values() if h.kind == "flood")
    assert flood.forecast_stage_m() == _forecast_cell_by_cell(flood)


def _plume_in_the_box(burning: np.ndarray, step_row: float, step_col: float, reach: int):
    """The smoke plume as the fire runtime drew it before: the burning cells' box shifted
    along the wind one cell of reach at a time."""
    plume = np.zeros_like(burning)
    rows, cols = np.flatnonzero(burning.any(axis=1)), np.flatnonzero(burning.any(axis=0))
    if not rows.size:
        return plume
    ny, nx = burning.shape
    r0, r1 = max(0, int(rows[0]) - reach), min(ny, int(rows[-1]) + 1 + reach)
    c0, c1 = max(0, int(cols[0]) - reach), min(nx, int(cols[-1]) + 1 + reach)
    fire, smoke = burning[r0:r1, c0:c1], plume[r0:r1, c0:c1]
    ny, nx = fire.shape
    for k in range(1, reach + 1):
        dr, dc = round(k * step_row), round(k * step_col)
        src = fire[max(0, -dr) : ny - max(0, dr), max(0, -dc) : nx - max(0, dc)]
        smoke[max(0, dr) : ny - max(0, -dr), max(0, dc) : nx - max(0, -dc)] |= src
    smoke &= ~fire
    return plume


def test_the_smoke_plume_of_a_thin_front_is_the_boxs_plume(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import math
    from types import SimpleNamespace

    from sim.hazards import fire_runtime

    drill = Drill(load_scenario(DATA / "trial_fire.yaml"), 1)
    fire = next(h for h in drill.hazards.values() if h.kind == "fire")
    reach = int(fire_runtime.SMOKE_REACH_M / drill.world.cell_m)
    rng = np.random.default_rng(8)
    shape, smoky = drill.world.shape, 0
    for trial in range(60):
        burning = np.zeros(shape, dtype=bool)
        row, col = rng.integers(0, shape[0]), rng.integers(0, shape[1])  # near an edge too
        spots = rng.integers(1, 400 if trial % 2 else 6)
        rows = np.clip(row + rng.integers(-15, 16, spots), 0, shape[0] - 1)
        cols = np.clip(col + rng.integers(-15, 16, spots), 0, shape[1] - 1)
        burning[rows, cols] = True
        if trial % 5 == 0:
            burning[:] = rng.random(shape) < 0.5  # a dense fire: the box is drawn
        wind_from = float(rng.uniform(0, 360))
        weather = SimpleNamespace(wind_from_deg=wind_from)
        monkeypatch.setattr(fire.drill.weather, "current", lambda now, w=weather: w)
        monkeypatch.setattr(fire, "model", SimpleNamespace(burning=burning))
        to = math.radians((wind_from + 180.0) % 360.0)
        want = _plume_in_the_box(burning, -math.cos(to), math.sin(to), reach)
        assert np.array_equal(fire._plume(), want)
        smoky += bool(want.any())
    assert smoky > 40  # (a fire at the map's edge may blow all its smoke off the map)


def _route_by_networkx(roads, source: int, target: int, speed_kmh: float, ignores: frozenset):
    """The route as networkx's Dijkstra finds it, with the weight the engine gave it."""
    import networkx as nx

    def minutes(a: int, b: int, data: dict) -> float | None:
        edge = data["edge"]
        if edge.closures and not edge.closures <= ignores:
            return None
        return edge.length_m / 1000.0 / min(edge.speed_kmh, speed_kmh) * 60.0

    try:
        time_min, path = nx.single_source_dijkstra(roads.graph, source, target, weight=minutes)
    except nx.NetworkXNoPath:
        return None
    return path, float(time_min)


@pytest.mark.parametrize("name", ["trial_cascade.yaml", "trial_fire.yaml", "mini.yaml"])
def test_a_route_is_the_one_networkx_finds_to_the_bit(name: str) -> None:
    roads = Drill(load_scenario(DATA / name), 1).world.roads
    rng = np.random.default_rng(4)
    nodes = sorted(roads.graph.nodes)
    keys = sorted(roads.edges)
    for trial in range(40):
        for key in keys:  # some closed, for a flood or a fire; boats ignore the flood
            roads.edges[key].closures.clear()
            if rng.random() < 0.15 * (trial % 3):
                roads.edges[key].closures.add(str(rng.choice(["flood", "fire"])))
        for _ in range(25):
            source, target = (int(n) for n in rng.choice(nodes, 2))
            speed = float(rng.choice([20.0, 50.0, 60.0, 90.0]))
            ignores = frozenset({"flood"}) if rng.random() < 0.3 else frozenset()
            want = _route_by_networkx(roads, source, target, speed, ignores)
            assert roads._search(source, target, speed, ignores) == want


@pytest.mark.parametrize("name", ["trial_cascade.yaml", "trial_fire.yaml", "mini.yaml"])
def test_road_parts_are_networkxs_to_the_label_and_order(name: str) -> None:
    import networkx as nx

    roads = Drill(load_scenario(DATA / name), 1).world.roads
    rng = np.random.default_rng(6)
    keys = sorted(roads.edges)
    for trial in range(40):
        for key in keys:  # from a few closures to most roads shut (parts of one node)
            roads.edges[key].closures.clear()
            if rng.random() < 0.3 * (trial % 4):
                roads.edges[key].closures.add(str(rng.choice(["flood", "fire"])))
        for ignores in (frozenset(), frozenset({"flood"})):
            graph = roads.graph.edge_subgraph(
                key for key, edge in roads.edges.items() if not edge.closures - ignores
            )
            want = {n: i for i, nodes in enumerate(nx.connected_components(graph)) for n in nodes}
            got = roads.parts(ignores)
            assert list(got.items()) == list(want.items())


def test_stores_in_deep_water_are_lost_as_when_asked_one_by_one() -> None:
    loaded = load_scenario(CASCADE)
    rng = np.random.default_rng(9)
    for _ in range(3):
        short, long = Drill(loaded, 3), Drill(loaded, 3)
        depth = rng.uniform(0.0, 1.0, short.world.shape)
        flood = next(h for h in short.hazards.values() if h.kind == "flood")
        flood.lose_facilities_above(depth.ravel(), FACILITY_LOST_DEPTH_M)
        twin = long.hazards[flood.id]
        twin.lose_facilities_by(lambda cell, d=depth: bool(d[cell] > FACILITY_LOST_DEPTH_M))
        assert flood.lost == twin.lost and flood.lost
        assert short.events == long.events
        flood.lose_facilities_above(depth.ravel(), FACILITY_LOST_DEPTH_M)  # lost once only
        assert short.events == long.events


def test_the_rivers_discharge_is_numpys_interpolation_of_the_hydrograph() -> None:
    flood = next(h for h in Drill(load_scenario(CASCADE), 3).hazards.values() if h.kind == "flood")
    rng = np.random.default_rng(12)
    knots = flood.hydro_t.astype(float)
    asked = [*knots, *np.nextafter(knots, np.inf), *np.nextafter(knots, -np.inf), -5.0, 1e6]
    asked += rng.uniform(-10.0, float(knots[-1]) + 50.0, 500).tolist()
    for t0 in (0.0, 37.25):
        flood.t0 = t0
        for at in asked:
            now = float(at) + t0
            want = float(np.interp(now - t0, flood.hydro_t, flood.hydro_q))
            assert flood.discharge(now) == want
