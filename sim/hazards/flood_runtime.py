"""A river flood in a drill: the LISFLOOD-FP kernel driven by a hydrograph and rain.

Once a minute the runtime feeds the river its discharge and the weather's
rain, steps the kernel, and then lets the water act on the drill: roads
deeper than ``ROAD_IMPASSABLE_DEPTH_M`` close (boats still pass), levees
overtopped beyond their margin breach, a levee close to overtopping opens a
"levee at risk" incident (sandbagging raises its crest), shelters and depots
in deep water are lost, and people in wet cells are harmed by the flood
hazard rating.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from sim import events as ev
from sim.hazards.flood import (
    ROAD_IMPASSABLE_DEPTH_M,
    FloodModel,
    flood_harm_rates_per_h,
    flood_hazard_rating,
    manning_n_for_land_use,
)
from sim.hazards.harm import (
    Harm,
    any_on_the_way,
    cells_on_the_way,
    harm_on_the_move,
    harm_zone,
    people_on_the_move,
)
from sim.hazards.rating import (
    ReachRating,
    RiverGeometry,
    SectionRating,
    StageTable,
    rate_cell,
)
from sim.hazards.runtime import HazardRuntime
from sim.incidents import Incident
from sim.scenario.schema import FloodHazard, IncidentKind
from sim.world.geometry import (
    chainage,
    distance_to_polyline,
    point_to_polyline_m,
    polyline_cells,
)

STEP_MIN = 0.25  # short steps keep a 120× frame under its budget (the kernel sub-steps anyway)
RIVER_START_DEPTH_M = 1.5  # the channel starts part-full, at its base flow
WET_M = 0.1  # a cell counts as flooded above this depth (ankle deep)
TRAPPING_DEPTH_M = 0.5  # above this, ground-floor residents can no longer walk out
TRAP_RATE_PER_H = 0.3  # share of residents of deep cells who become trapped per hour (assumed)
INDOOR_FACTOR = 0.3  # sheltering upstairs cuts flood harm (vertical evacuation)
FACILITY_LOST_DEPTH_M = 0.5  # a ground-floor shelter or store is unusable above this
LEVEE_ALERT_FREEBOARD_M = 0.5  # crews are called when water is this close to the crest
SANDBAG_RAISE_M = 0.5  # a sandbag wall (2–3 courses) raises the crest by about this much
LEVEE_WORK_CREW_MIN = 240.0  # crew-minutes to sandbag a threatened stretch
BREACH_HALF_WIDTH_M = 150.0  # breach width grows to ~300 m in hours (Verheij 2003)
# Around a breach the flood is solved by shock-capturing finite volumes
# (sim.hazards.flood_fv) within this distance of the breach centre. The
# local-inertial scheme drops advection and is only accurate where the Froude
# number stays below about 0.5 (de Almeida & Bates 2013, Water Resour. Res. 49:
# 4833-4844): near the gap the breach wave is a dam-break flow (Froude 1 and
# above); a kilometre out, over the rough ground behind a levee (Manning n
# 0.04-0.1), friction has slowed it to a spreading flood the cheaper scheme
# handles (an engineering judgement, checked against the drills' timing).
BREACH_SHOCK_RADIUS_M = 1000.0
# The forecast's margin for its own error: ground up to this far above the forecast peak
# stage counts as reached. Measured on the shipped drills (benchmarks/forecast_skill.py,
# forecast - realised peak stage) the forecast runs from 0.56 m low to 0.61 m high; a zone
# counts as reached once WET_M (0.1 m) stands on its ground, so 0.5 m of margin plus that
# 0.1 m covers the worst under-forecast measured (0.6 m > 0.56 m).
FORECAST_MARGIN_M = 0.5


@dataclass
class LeveeState:
    id: str
    cells: np.ndarray  # (k, 2) rows, cols
    crest_m: np.ndarray  # absolute crest elevation per cell
    overtop_margin_m: float
    breached: bool = False
    incident: str | None = None


class FloodRuntime(HazardRuntime):
    kind = "flood"

    def __init__(self, drill: Any, spec: FloodHazard) -> None:
        super().__init__(drill, spec)
        world = drill.world
        bed = world.elevation_m.copy()
        self.levees: dict[str, LeveeState] = {}
        for levee in spec.levees:
            cells = polyline_cells(levee.points, world.shape, world.cell_m)
            rows, cols = cells[:, 0], cells[:, 1]
            bed[rows, cols] += levee.crest_height_m
            self.levees[levee.id] = LeveeState(
                levee.id, cells, bed[rows, cols].copy(), levee.breach_overtop_m
            )
        self.ground_m = world.elevation_m
        self.river_distance_m = _river_distance(drill)
        depth = np.where(world.river_mask, RIVER_START_DEPTH_M, 0.0)
        self.model = FloodModel(
            bed, world.cell_m, manning_n_for_land_use(world.land_use), initial_depth_m=depth
        )
        self.inflow_cells = polyline_cells(spec.inflow_at, world.shape, world.cell_m)
        self.hydro_t = np.array([p.at_min for p in spec.hydrograph])
        self.hydro_q = np.array([p.discharge_m3_per_s for p in spec.hydrograph])
        # (times, discharges) as floats, for discharge(): np.interp reads them as doubles
        self._hydrograph = (
            [float(t) for t in self.hydro_t.tolist()],
            [float(q) for q in self.hydro_q.tolist()],
        )
        self.max_depth_m = np.zeros(world.shape)
        self.river_cell = self._nearest_river_cells()
        self._beside: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # _levee_neighbours
        self._zone_ground: list[float] | None = None  # zone_threats: each zone's lowest
        self._ratings: dict[int, tuple[ReachRating, float]] = {}  # forecast_stage_m
        self._sections: dict[int, tuple[SectionRating, np.ndarray]] = {}
        self._rated_bed = (np.zeros(0, np.int64), np.zeros(0))  # cells the ratings read
        self._rivers: dict[int, RiverGeometry] = {}
        self._stage_table: StageTable | None = None  # the ratings above, asked at once
        self._later_max: np.ndarray | None = None  # _discharges_to_come
        self._roads_seen: tuple[list, int, np.ndarray] | None = None  # _roads
        self._rows_cols: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # _zone_rows_cols

    # -- the process -------------------------------------------------------
    def _run(self, delay_min: float) -> Any:
        env = self.drill.env
        if delay_min:
            yield env.timeout(delay_min)
        self.drill.emit(ev.HAZARD_STARTED, hazard=self.id, kind=self.kind)
        self.t0 = env.now
        while True:
            rain_mm_per_h = self.drill.weather.rain_mm_per_h(env.now)
            self.model.set_inflow(self.inflow_cells, self.discharge(env.now))
            self.model.run_one_step(STEP_MIN * 60.0, rain_mm_per_h)
            np.maximum(self.max_depth_m, self.model.depth_m, out=self.max_depth_m)
            self._roads()
            self._levees()
            self._facilities()
            self._milestones()
            yield env.timeout(STEP_MIN)

    def discharge(self, now_min: float) -> float:
        """River discharge (m³/s) from the hydrograph, linear between its points.

        ``np.interp``'s own arithmetic on one number (arr_interp,
        numpy/_core/src/multiarray/compiled_base.c), in Python floats: the same IEEE
        operations in the same order, without numpy's wrapper, every quarter-minute step.
        """
        at = now_min - getattr(self, "t0", 0.0)
        times, flows = self._hydrograph
        j = bisect.bisect_right(times, at) - 1  # the last point at or before ``at``
        if j < 0:
            return flows[0]
        if j >= len(times) - 1 or times[j] == at:
            return flows[j]
        slope = (flows[j + 1] - flows[j]) / (times[j + 1] - times[j])
        return slope * (at - times[j]) + flows[j]

    # -- effects -----------------------------------------------------------
    def _roads(self) -> None:
        roads = self.drill.world.roads  # the depth at the roads' cells only, not the grid
        deep = self.model.depth_m.ravel()[roads.road_cells] > ROAD_IMPASSABLE_DEPTH_M
        # Most steps the same stretches stand deep as the step before. If so, and no closure
        # of any road changed since (the roads' version), nor an edge was added, closing them
        # again would change nothing: this flood's hold is the same, and the closures are
        # what the holds made them at the end of that step (another flood that held
        # otherwise since would have changed a closure, and the version). Not asked again.
        seen = self._roads_seen
        if (
            seen is not None
            and seen[0] is roads.edge_list
            and seen[1] == roads.version
            and np.array_equal(seen[2], deep)
        ):
            return
        self.close_roads_hit(roads.edges_hit(deep), "flood")
        self._roads_seen = (roads.edge_list, roads.version, deep)

    def _levees(self) -> None:
        for levee in self.levees.values():
            if levee.breached:
                continue
            water = self._water_beside(levee)
            freeboard = levee.crest_m - water
            weak = 0.3 if self._damage_open(levee) else 0.0  # piping weakens an unworked levee
            worst = int(np.argmin(freeboard))
            if freeboard[worst] < -(levee.overtop_margin_m - weak):
                self._breach_at(levee, worst, cause="overtopping")
            elif freeboard[worst] < LEVEE_ALERT_FREEBOARD_M and levee.incident is None:
                row, col = levee.cells[worst]
                xy = ((col + 0.5) * self.drill.world.cell_m, (row + 0.5) * self.drill.world.cell_m)
                incident = self.drill.create_incident(
                    IncidentKind.LEVEE_DAMAGE,
                    xy,
                    ident=f"levee-{levee.id}",
                    work_min=LEVEE_WORK_CREW_MIN,
                    source=self.id,
                )
                levee.incident = incident.id

    def _water_surface(self) -> np.ndarray:
        """Water surface elevation where there is water beside a levee; -inf elsewhere."""
        depth = self.model.depth_m
        eta = np.where(depth > 0.01, self.model.bed_elevation_m + depth, -np.inf)
        for levee in self.levees.values():
            eta[
                levee.cells[:, 0], levee.cells[:, 1]
            ] = -np.inf  # a levee is not water beside itself
        return eta

    def _water_beside(self, levee: LeveeState) -> np.ndarray:
        """``_neighbour_max(self._water_surface(), ...)`` for one levee, read at its
        neighbours only (the same numbers, without the water surface of the whole grid)."""
        near = self._beside.get(levee.id)
        if near is None:
            near = self._beside[levee.id] = self._levee_neighbours(levee)
        index, counts = near
        depth = self.model.depth_m.ravel()[index]
        eta = np.where(depth > 0.01, self.model.bed_elevation_m.ravel()[index] + depth, -np.inf)
        eta[~counts] = -np.inf
        return eta.max(axis=0)

    def _levee_neighbours(self, levee: LeveeState) -> tuple[np.ndarray, np.ndarray]:
        """(flat cells of the eight neighbours of each levee cell, (8, k); whether each counts:
        on the river side and not itself a levee cell), as :func:`_neighbour_max` and
        :meth:`_water_surface` read them."""
        ny, nx = self.drill.world.shape
        on_levee = np.zeros(ny * nx, dtype=bool)
        for other in self.levees.values():
            on_levee[other.cells[:, 0] * nx + other.cells[:, 1]] = True
        rows, cols = levee.cells[:, 0], levee.cells[:, 1]
        own = self.river_distance_m[rows, cols]
        index, counts = [], []
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr == dc == 0:
                    continue
                r, c = np.clip(rows + dr, 0, ny - 1), np.clip(cols + dc, 0, nx - 1)
                index.append(r * nx + c)
                counts.append((self.river_distance_m[r, c] < own) & ~on_levee[r * nx + c])
        return np.array(index, dtype=np.int64), np.array(counts, dtype=bool)

    def _damage_open(self, levee: LeveeState) -> bool:
        incident = self.drill.incidents.get(levee.incident or "")
        return bool(incident and incident.is_open)

    def on_incident_resolved(self, incident: Incident) -> None:
        for levee in self.levees.values():
            if incident.id == levee.incident and not levee.breached:
                mask = np.zeros(self.drill.world.shape, dtype=bool)
                mask[levee.cells[:, 0], levee.cells[:, 1]] = True
                self.model.raise_bed(mask, SANDBAG_RAISE_M)
                levee.crest_m += SANDBAG_RAISE_M
                self.milestone("levee_raised", levee=levee.id)

    def breach(self, levee: str, cause: str) -> None:
        state = self.levees[levee]
        if not state.breached:
            water = _neighbour_max(
                self._water_surface(), state.cells[:, 0], state.cells[:, 1], self.river_distance_m
            )
            self._breach_at(state, int(np.argmax(water - state.crest_m)), cause)

    def _breach_at(self, levee: LeveeState, index: int, cause: str) -> None:
        centre = levee.cells[index].astype(float)
        distance = np.hypot(*(levee.cells - centre).T) * self.drill.world.cell_m
        gap = levee.cells[distance <= BREACH_HALF_WIDTH_M]
        mask = np.zeros(self.drill.world.shape, dtype=bool)
        mask[gap[:, 0], gap[:, 1]] = True
        self.model.set_bed(mask, self.ground_m[mask])
        self.model.use_shock_capturing(self._near(centre, BREACH_SHOCK_RADIUS_M))
        levee.breached = True
        row, col = levee.cells[index]
        cell = self.drill.world.cell_m
        self.drill.emit(
            ev.LEVEE_BREACHED,
            hazard=self.id,
            levee=levee.id,
            cause=cause,
            x=float((col + 0.5) * cell),
            y=float((row + 0.5) * cell),
        )

    def _near(self, cell: np.ndarray, radius_m: float) -> np.ndarray:
        """Mask of the cells whose centres lie within ``radius_m`` of ``cell`` (row, col)."""
        rows, cols = np.indices(self.drill.world.shape)
        distance = np.hypot(rows - cell[0], cols - cell[1]) * self.drill.world.cell_m
        return distance <= radius_m

    def _facilities(self) -> None:
        # Read at the shelters' and depots' cells (one gather), not as a grid.
        self.lose_facilities_above(self.model.depth_m.ravel(), FACILITY_LOST_DEPTH_M)

    def _milestones(self) -> None:
        self.reach_zones_above(self.model.depth_m.ravel(), WET_M)  # at the zones' cells

    # -- people ------------------------------------------------------------
    def harm_people(self, dt_min: float) -> None:
        """Harm people in wet cells: at home, upstairs (``INDOOR_FACTOR``) and on the move.

        People on the move meet the water where they are, on the road or
        outside a shelter, at the full hazard-rating rates of people caught in
        the open (FD2321; no upstairs to climb to); in deep water their car or
        they are stuck (trapped) at the residents' rate.
        """
        if not self.started:
            return
        depth_m, speed_at = self.model.depth_m.ravel(), self.model.speed_at
        hours = dt_min / 60.0
        world = self.drill.world
        # The rates only where people are: the zones' cells, end to end (elementwise, the
        # same numbers as over the whole grid; each zone's are one slice of them).
        cells, bounds = self._zone_cells()
        depth = depth_m[cells]
        injury_per_h, death_per_h = flood_harm_rates_per_h(
            flood_hazard_rating(depth, speed_at(cells))
        )
        deep = (depth > TRAPPING_DEPTH_M).astype(float)
        # Which zones have deep water or an injury rate anywhere: one segmented reduction
        # (exact: booleans) instead of two any() per zone.
        starts = [a for a, b in bounds if b > a]
        touched = iter(
            np.logical_or.reduceat((deep != 0) | (injury_per_h != 0), starts).tolist()
            if starts
            else []
        )
        cell = world.cell_m
        for zone, (a, b) in zip(world.zones, bounds, strict=True):
            if a == b or not next(touched):
                continue
            at_home = _harm_over(injury_per_h[a:b], death_per_h[a:b], deep[a:b], hours)
            wet = depth[a:b] > WET_M
            rows, cols = self._zone_rows_cols(zone.index, a, b)
            if np.count_nonzero(wet):  # where the water is; else the whole zone
                rows, cols = rows[wet], cols[wet]
            xy = (float((_mean(cols) + 0.5) * cell), float((_mean(rows) + 0.5) * cell))
            harm_zone(self.drill, zone.index, at_home, at_home.scaled(INDOOR_FACTOR), self.id, xy)
        everyone = people_on_the_move(self.drill, dt_min)
        cells, starts = cells_on_the_way(everyone)
        depth = depth_m[cells]
        injury_per_h, death_per_h = flood_harm_rates_per_h(
            flood_hazard_rating(depth, speed_at(cells))
        )
        deep = (depth > TRAPPING_DEPTH_M).astype(float)
        met = any_on_the_way((injury_per_h > 0) | (death_per_h > 0) | (deep > 0), starts)
        bounds = pairwise([*starts.tolist(), cells.size])
        # A group that met no harmful water has no harm (all its chances are 0): left out.
        moving = [
            (where, _harm_over(injury_per_h[a:b], death_per_h[a:b], deep[a:b], hours))
            for where, (a, b), hit in zip(everyone, bounds, met, strict=True)
            if hit
        ]
        harm_on_the_move(self.drill, moving, self.id)

    def _zone_rows_cols(self, zone: int, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows and columns of a zone's cells (``_zone_cells()[0][a:b]``), made once."""
        found = self._rows_cols.get(zone)
        if found is None:
            found = self._rows_cols[zone] = np.divmod(
                self._zone_cells()[0][a:b], self.drill.world.shape[1]
            )
        return found

    # -- forecast and reporting ---------------------------------------------
    def _nearest_river_cells(self) -> dict[int, int]:
        """For each zone, the river cell nearest its centre (flat index)."""
        world = self.drill.world
        river = np.flatnonzero(world.river_mask)
        if river.size == 0:
            return {}
        rows, cols = np.divmod(river, world.shape[1])
        nearest = {}
        for zone in world.zones:
            cx, cy = zone.centroid_xy
            d = np.hypot((cols + 0.5) * world.cell_m - cx, (rows + 0.5) * world.cell_m - cy)
            nearest[zone.index] = int(river[np.argmin(d)])
        return nearest

    def forecast_stage_m(self) -> dict[int, float]:
        """Forecast peak water level (m) in the river beside each zone (at its river cell).

        The hydrological forecast is the scenario's hydrograph, the discharge the
        bureau expects where the river enters; a river cell turns the highest
        discharge still to reach it into a stage by its own rating curve (Manning
        over the valley's cross-sections, :mod:`sim.hazards.rating`). The discharge
        reaches the cell a flood wave's travel time after it enters, so the
        hydrograph is read that much earlier. Never below the water there now.

        Every river cell is asked at once (:class:`StageTable`, the same numbers as
        asking each rating in turn).
        """
        self._check_ratings()
        cells = list(dict.fromkeys(self.river_cell.values()))  # made in the zones' order
        made = [self._rating(cell) for cell in cells]
        table = self._stage_table
        if table is None or any(
            a is not b for a, b in zip(table.ratings, (r for r, _ in made), strict=True)
        ):
            table = self._stage_table = StageTable([rating for rating, _ in made])
        elapsed = self.drill.now - self.t0 if hasattr(self, "t0") else 0.0
        travel_min = np.array([travel for _, travel in made], dtype=float)
        rated = table.normal_stages(self._discharges_to_come(elapsed - travel_min))
        at = np.array(cells, dtype=np.int64)
        now = (self.model.bed_elevation_m.ravel()[at] + self.model.depth_m.ravel()[at]).tolist()
        stage_of = {
            cell: max(stage, water) for cell, stage, water in zip(cells, rated, now, strict=True)
        }
        return {zone: stage_of[cell] for zone, cell in self.river_cell.items()}

    def _discharges_to_come(self, at_min: np.ndarray) -> np.ndarray:
        """The highest discharge (m³/s) of the hydrograph from each of ``at_min`` (minutes
        after it starts) on: the discharge then, or a later point's if higher (the same
        numbers as ``max(np.interp(at), hydro_q[hydro_t > at].max())`` asked one by one)."""
        if self._later_max is None:  # the highest discharge from each point of it on
            self._later_max = np.maximum.accumulate(self.hydro_q[::-1].astype(float))[::-1]
        now = np.interp(at_min, self.hydro_t, self.hydro_q)
        first_later = np.searchsorted(self.hydro_t, at_min, side="right")  # hydro_t > at
        has_later = first_later < self.hydro_t.size
        later = self._later_max[np.minimum(first_later, self.hydro_t.size - 1)]
        return np.where(has_later & (later > now), later, now)

    def _check_ratings(self) -> None:
        """Forget every rating once the bed any of them read has changed (a levee
        sandbagged or breached): they are made again, on the new bed, when next asked."""
        cells, bed = self._rated_bed
        if cells.size and not np.array_equal(self.model.bed_elevation_m.ravel()[cells], bed):
            self._ratings.clear()
            self._sections.clear()
            self._rated_bed = (np.zeros(0, np.int64), np.zeros(0))

    def _rating(self, cell: int) -> tuple[ReachRating, float]:
        """The rating of flat river ``cell`` and the flood wave's travel time (min) to it
        from the inflow, made once (see :meth:`_check_ratings`)."""
        made = self._ratings.get(cell)
        if made is not None:
            return made
        bed = self.model.bed_elevation_m.ravel()
        river = self._river_geometry(cell)
        n = manning_n_for_land_use(self.drill.world.land_use).ravel()
        rating, read = rate_cell(river, bed, n, cell, self._sections)
        inflow = self.inflow_cells[:, 0] * self.drill.world.shape[1] + self.inflow_cells[:, 1]
        distance_m = abs(river.chainage_m[cell] - river.chainage_m[inflow].min())
        celerity = rating.celerity_m_per_s(float(self.hydro_q.max()))
        travel_min = distance_m / celerity / 60.0 if celerity > 0.0 else 0.0
        self._ratings[cell] = (rating, travel_min)
        cells = np.union1d(self._rated_bed[0], read)
        self._rated_bed = (cells, bed[cells].copy())
        return rating, travel_min

    def _river_geometry(self, cell: int) -> RiverGeometry:
        """The river that flat ``cell`` lies in (the nearest centreline), made once each."""
        world = self.drill.world
        rivers = getattr(self.drill.scenario.map.terrain, "rivers", [])
        row, col = divmod(cell, world.shape[1])
        xy = ((col + 0.5) * world.cell_m, (row + 0.5) * world.cell_m)
        index = min(range(len(rivers)), key=lambda i: point_to_polyline_m(xy, rivers[i].points))
        if index not in self._rivers:
            river = rivers[index]
            distance = distance_to_polyline(river.points, world.shape, world.cell_m)
            own = distance <= max(river.width_m / 2, world.cell_m / 2)  # as the terrain cuts it
            self._rivers[index] = RiverGeometry(
                world.shape,
                world.cell_m,
                river.points,
                np.flatnonzero(own & world.river_mask),
                chainage(river.points, world.shape, world.cell_m).ravel(),
            )
        return self._rivers[index]

    def zone_threats(self) -> dict[int, tuple[float, str]]:
        """Evacuate (threat 1) every zone the forecast water reaches at all: its lowest
        ground lies below the forecast peak stage beside it plus :data:`FORECAST_MARGIN_M`,
        or water already stands in it. That is the question the after-action review asks
        of a flood (any cell wetter than :data:`WET_M` is the flood reaching the zone), so
        a zone whose low corner alone will flood is told to leave before the water comes,
        and a zone wholly above the forecast and its margin is not threatened at all."""
        if not self.started:
            return {}
        stages = self.forecast_stage_m()
        cells, bounds = self._zone_cells()
        depth = self.model.depth_m.ravel()[cells]
        if self._zone_ground is None:  # each zone's lowest ground (the bed does not sink)
            ground = self.drill.world.elevation_m.ravel()[cells]
            self._zone_ground = [float(ground[a:b].min()) if b > a else np.inf for a, b in bounds]
        threats = {}
        zones = self.drill.world.zones
        for zone, (a, b), lowest in zip(zones, bounds, self._zone_ground, strict=True):
            if a == b:
                continue
            stage = stages.get(zone.index, -np.inf)
            if lowest < stage + FORECAST_MARGIN_M or depth[a:b].max() > WET_M:
                threats[zone.index] = (1.0, "evacuate")
        return threats

    def footprint(self) -> np.ndarray | None:
        return (self.max_depth_m > WET_M) & ~self.drill.world.river_mask if self.started else None

    def displaced_share(self, zone: int) -> float:
        cells = self.drill.world.zones[zone].cells
        if not self.started or not cells.size:
            return 0.0
        return float((self.model.depth_m.ravel()[cells] > ROAD_IMPASSABLE_DEPTH_M).mean())

    def displaced_shares(self) -> list[float]:
        if not self.started:
            return [0.0] * len(self.drill.world.zones)
        cells = self._zone_cells()[0]  # one gather for every zone
        return self._shares_by_zone(self.model.depth_m.ravel()[cells] > ROAD_IMPASSABLE_DEPTH_M)

    def water_depth(self, row: int, col: int) -> float:
        return float(self.model.depth_m[row, col]) if self.started else 0.0

    def fields(self) -> dict[str, np.ndarray]:
        return {"depth_m": self.model.depth_m}

    def metrics(self) -> dict[str, Any]:
        depth = self.model.depth_m
        flooded = (depth > WET_M) & ~self.drill.world.river_mask
        cell_area = self.drill.world.cell_m**2
        return {
            "kind": self.kind,
            "active": self.started,
            "flooded_area_m2": round(float(flooded.sum()) * cell_area, 3),
            "max_depth_m": round(float(depth[flooded].max(initial=0.0)), 4),
            "discharge_m3_per_s": round(self.discharge(self.drill.now), 3),
            "volume_m3": round(self.model.volume_m3(), 1),
            "levees_breached": sorted(k for k, v in self.levees.items() if v.breached),
        }


def _harm_over(
    injury_per_h: np.ndarray, death_per_h: np.ndarray, deep: np.ndarray, hours: float
) -> Harm:
    """Chances over ``hours`` for a person in cells of these rates (each cell an equal share
    of the time, at least one): the rates gathered over those cells."""
    return Harm(
        dead=float(_mean(death_per_h)) * hours,
        injured=float(_mean(injury_per_h)) * hours,
        trapped=float(_mean(deep)) * TRAP_RATE_PER_H * hours,
    )


def _mean(values: np.ndarray) -> np.floating:
    """``values.mean()`` of a non-empty array, to the bit, without numpy's Python wrapper
    (asked some ten times a minute): the same sum (in float64, integers cast to it first, as
    the mean sums them) divided once by the count."""
    if values.dtype.kind in "biu":
        return np.add.reduce(values, dtype=np.float64) / values.size
    if values.dtype == np.float64:
        return np.add.reduce(values) / values.size
    return values.mean()


def _neighbour_max(
    field: np.ndarray, rows: np.ndarray, cols: np.ndarray, river_distance_m: np.ndarray
) -> np.ndarray:
    """Highest water beside each levee cell, among its river-side neighbours only.

    A neighbour is on the river side when it is nearer the river than the levee
    cell itself; ponded rain behind a levee does not overtop it.
    """
    ny, nx = field.shape
    best = np.full(rows.shape, -np.inf)
    own = river_distance_m[rows, cols]
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == dc == 0:
                continue
            r, c = np.clip(rows + dr, 0, ny - 1), np.clip(cols + dc, 0, nx - 1)
            riverside = river_distance_m[r, c] < own
            np.maximum(best, np.where(riverside, field[r, c], -np.inf), out=best)
    return best


def _river_distance(drill: Any) -> np.ndarray:
    """Distance (m) of each cell from the nearest river line (0 everywhere if none)."""
    world = drill.world
    rivers = getattr(drill.scenario.map.terrain, "rivers", [])
    distance = np.full(world.shape, np.inf)
    for river in rivers:
        np.minimum(
            distance, distance_to_polyline(river.points, world.shape, world.cell_m), out=distance
        )
    return np.where(np.isfinite(distance), distance, 0.0)


RUNTIME = FloodRuntime
