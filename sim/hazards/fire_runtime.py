"""A wildland–urban fire in a drill: the arrival-time fire kernel, fought by crews.

Once a minute the runtime spreads the fire with the current wind, closes
roads through burning cells, loses shelters and depots that burn, and harms
the people whose homes the front reaches. When the front comes within reach
of a community it opens a *wildfire* incident there: fire engines on scene
put out burning cells near it (water-limited), excavators cut a firebreak
around it. The incident is over when nothing burns near it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim import events as ev
from sim.hazards.fire import FireModel
from sim.hazards.harm import (
    Harm,
    any_on_the_way,
    cells_on_the_way,
    harm_on_the_move,
    harm_zone,
    people_on_the_move,
    share_of,
)
from sim.hazards.runtime import HazardRuntime
from sim.incidents import Incident
from sim.landuse import LandUse, starts_in_wildland
from sim.scenario.schema import FireHazard, IncidentKind
from sim.units import Capability
from sim.world.geometry import cell_centres, point_cell

STEP_MIN = 1.0
# A fire engine's pump delivers ~2,000 L/min through two attack lines
# (GB 7956 / typical Chinese urban pumper: 30–40 L/s at 1.0 MPa); hose-laying
# and refilling halve the average.
ENGINE_WATER_L_PER_MIN = 1000.0
SUPPRESSION_RADIUS_M = 250.0  # crews work the burning edge within hose reach of the position
FIREBREAK_CELLS_PER_MIN = 0.4  # a dozer clears ~1 ha/h of brush (USFS dozer line production)
FIREBREAK_RING_M = (250.0, 400.0)  # a cleared ring ahead of the community
THREAT_DISTANCE_M = 3000.0  # communities within this of a burning cell are threatened
INCIDENT_DISTANCE_M = 800.0  # a wildfire incident opens when the front is this close
# Harm to people whose home cell the front reaches, by what they were doing.
# Engineering assumptions informed by Australian bushfire fatality studies
# (Haynes et al. 2010: most deaths among those who stayed or left late).
HARM_UNAWARE = Harm(dead=0.04, injured=0.12, trapped=0.10)
HARM_WARNED = Harm(dead=0.01, injured=0.05, trapped=0.03)
# Smoke: dense smoke reaches about a kilometre downwind of an active front
# (visibility and PM2.5 far above WHO limits); we assume 0.2 % an hour of those
# outdoors under it need treatment for smoke inhalation, a quarter of that
# indoors with windows shut. Engineering assumptions, not from a source.
SMOKE_REACH_M = 1000.0
# Drill doctrine, not physics: a road a fire burnt across stays closed until this long after
# the last flames on it went out (mop-up and a check of the carriageway before traffic is let
# back). The drill's fires keep these holds together: each fire used to reopen the stretches
# another had just closed (700 road events in a 4 h drill with two fires).
FIRE_ROAD_REOPEN_AFTER_MIN = 30.0
SMOKE_INJURY_PER_MIN = 0.002 / 60.0
SMOKE_INDOOR_FACTOR = 0.25
HARM_SHELTERING = Harm(dead=0.03, injured=0.10, trapped=0.10)  # a house is no refuge from a front
# People on the move (on the road, or outside a shelter) caught by burning cells
# are caught by the front in the open, as the unaware are: each step they spend
# among burning cells, ``HARM_UNAWARE`` (Haynes et al. 2010: late evacuation, on
# the road or outdoors, is the deadliest place to meet a bushfire front).


class FireRuntime(HazardRuntime):
    kind = "fire"

    def __init__(self, drill: Any, spec: FireHazard) -> None:
        super().__init__(drill, spec)
        world = drill.world
        self.model = FireModel(
            world.land_use,
            world.elevation_m,
            world.cell_m,
            dead_moisture=spec.dead_fuel_moisture,
            live_moisture=spec.live_fuel_moisture,
            fuel_models={LandUse[name.name]: code for name, code in spec.fuel_models.items()},
        )
        self.x, self.y = cell_centres(world.shape, world.cell_m)
        self.was_burning = np.zeros(world.shape, dtype=bool)
        self._smoke = np.zeros(world.shape, dtype=bool)
        self.zone_incident: dict[int, str] = {}
        self.zone_distance_m = {z.index: math.inf for z in world.zones}
        self.road_flames_until = drill.fire_roads_until  # shared by the drill's fires
        points = [ignition.at for ignition in spec.ignitions]
        self.wildland = starts_in_wildland(world.land_use, world.cell_m, points)

    def _run(self, delay_min: float) -> Any:
        env = self.drill.env
        if delay_min:
            yield env.timeout(delay_min)
        self.drill.emit(ev.HAZARD_STARTED, hazard=self.id, kind=self.kind, wildland=self.wildland)
        started = env.now
        pending = sorted(self.spec.ignitions, key=lambda i: i.at_min)
        while True:
            while pending and pending[0].at_min <= env.now - started:
                self._ignite(pending.pop(0).at)
            weather = self.drill.weather.current(env.now)
            self._fight_fire()
            self.model.run_one_step(
                STEP_MIN * 60.0, weather.wind_speed_m_per_s, weather.wind_from_deg
            )
            self._smoke = self._plume()
            self._measure_zones()
            self._milestones()
            self._roads()
            self._facilities()
            self._incidents()
            yield env.timeout(STEP_MIN)

    def _ignite(self, xy: tuple[float, float]) -> None:
        row, col = point_cell(xy, self.drill.world.shape, self.drill.world.cell_m)
        self.model.ignite(np.array([[row, col]]))
        self.milestone(
            "ignition",
            x=float(xy[0]),
            y=float(xy[1]),
        )

    # -- crews -------------------------------------------------------------
    def _fight_fire(self) -> None:
        for zone, ident in list(self.zone_incident.items()):
            incident = self.drill.incidents[ident]
            if not incident.is_open:
                continue
            near = self._near(incident.xy, SUPPRESSION_RADIUS_M)
            del zone
            for unit_id in sorted(incident.units):
                unit = self.drill.units[unit_id]
                if Capability.FIREFIGHTING in unit.spec.capabilities:
                    self.model.suppress(near, ENGINE_WATER_L_PER_MIN, STEP_MIN * 60.0)
                if Capability.FIREBREAK in unit.spec.capabilities:
                    self._cut_firebreak(incident)

    def _cut_firebreak(self, incident: Incident) -> None:
        d = np.hypot(self.x - incident.xy[0], self.y - incident.xy[1])
        ring = (d >= FIREBREAK_RING_M[0]) & (d <= FIREBREAK_RING_M[1])
        ring &= ~self.model.burning & ~self.model.burnt
        cells = np.flatnonzero(ring)
        if cells.size == 0:
            return
        incident.rescue_carry += FIREBREAK_CELLS_PER_MIN * STEP_MIN
        whole = int(incident.rescue_carry)
        incident.rescue_carry -= whole
        if whole:
            front = np.flatnonzero(self.model.burning)
            if front.size:  # cut first where the fire is nearest
                fx, fy = self.x.ravel()[front].mean(), self.y.ravel()[front].mean()
                order = np.argsort(np.hypot(self.x.ravel()[cells] - fx, self.y.ravel()[cells] - fy))
                cells = cells[order]
            mask = np.zeros(self.drill.world.shape, dtype=bool)
            mask.ravel()[cells[:whole]] = True
            self.model.cut_firebreak(mask)

    def _near(self, xy: tuple[float, float], radius_m: float) -> np.ndarray:
        return np.hypot(self.x - xy[0], self.y - xy[1]) <= radius_m

    # -- effects -----------------------------------------------------------
    def _measure_zones(self) -> None:
        burning = np.flatnonzero(self.model.burning)
        if burning.size == 0:
            return
        bx, by = self.x.ravel()[burning], self.y.ravel()[burning]
        for zone in self.drill.world.zones:
            cx, cy = zone.centroid_xy
            self.zone_distance_m[zone.index] = float(np.hypot(bx - cx, by - cy).min())

    def _incidents(self) -> None:
        for zone in self.drill.world.zones:
            ident = self.zone_incident.get(zone.index)
            incident = self.drill.incidents.get(ident) if ident else None
            near = self.zone_distance_m[zone.index] <= INCIDENT_DISTANCE_M
            if incident is not None and incident.is_open:
                around = self._near(incident.xy, 2 * INCIDENT_DISTANCE_M)
                if not (self.model.burning & around).any():
                    self.drill.close_incident(incident)
            elif near and self.model.burning.any():
                count = sum(1 for i in self.drill.incidents if i.startswith(f"wildfire-{zone.id}"))
                incident = self.drill.create_incident(
                    IncidentKind.WILDFIRE,
                    zone.centroid_xy,
                    ident=f"wildfire-{zone.id}-{count + 1}",
                    zone=zone.index,
                    source=self.id,
                )
                incident.managed = True
                self.zone_incident[zone.index] = incident.id

    def _roads(self) -> None:
        """Close the roads the fire burns across; reopen one only when its last flames (of
        any fire of the drill) have been out for :data:`FIRE_ROAD_REOPEN_AFTER_MIN`."""
        roads, now = self.drill.world.roads, self.drill.now
        hit = roads.edges_hit(self.model.burning.ravel()[roads.road_cells])
        edges, until = roads.edge_list, self.road_flames_until  # (edges join as incidents open)
        for index in np.flatnonzero(hit).tolist():
            until[edges[index].key] = now + FIRE_ROAD_REOPEN_AFTER_MIN
        if until:
            hit = np.fromiter((until.get(e.key, -math.inf) > now for e in edges), bool, len(edges))
        self.close_roads_hit(hit, "fire")

    def _facilities(self) -> None:
        burning, burnt = self.model.burning, self.model.burnt  # at the facilities' cells
        self.lose_facilities_by(lambda cell: bool(burning[cell] or burnt[cell]))

    def _milestones(self) -> None:
        burning, burnt = self.model.burning.ravel(), self.model.burnt.ravel()  # at the zones'
        self.reach_zones_by(
            lambda cells: np.count_nonzero(burning[cells]) > 0 or np.count_nonzero(burnt[cells]) > 0
        )

    def smoke(self) -> np.ndarray:
        """Cells under the smoke plume: up to ``SMOKE_REACH_M`` downwind of a burning cell.

        Made once at the end of each fire step (see ``_run``) and reused by harm
        and by every snapshot.
        """
        return self._smoke

    def _plume(self) -> np.ndarray:
        weather = self.drill.weather.current(self.drill.now)
        to = math.radians((weather.wind_from_deg + 180.0) % 360.0)
        step_col, step_row = math.sin(to), -math.cos(to)  # row grows southward
        burning = self.model.burning
        plume = np.zeros_like(burning)
        rows, cols = np.flatnonzero(burning.any(axis=1)), np.flatnonzero(burning.any(axis=0))
        if not rows.size:
            return plume  # nothing burns: no smoke
        # Smoke reaches at most ``reach`` cells from a burning cell: the plume is drawn in the
        # burning cells' bounding box grown by that much (the same cells as on the whole map).
        reach = int(SMOKE_REACH_M / self.drill.world.cell_m)
        ny, nx = burning.shape
        r0, r1 = max(0, int(rows[0]) - reach), min(ny, int(rows[-1]) + 1 + reach)
        c0, c1 = max(0, int(cols[0]) - reach), min(nx, int(cols[-1]) + 1 + reach)
        offsets = [(round(k * step_row), round(k * step_col)) for k in range(1, reach + 1)]
        burning_rows, burning_cols = np.nonzero(burning[r0:r1, c0:c1])
        if offsets and 4 * burning_rows.size < (r1 - r0) * (c1 - c0):
            # A thin front in a wide box: the smoke is drawn from each burning cell along the
            # wind instead (every cell within reach downwind on the map: the same cells).
            dr, dc = np.array(offsets, dtype=np.int64).T
            to_row = burning_rows[:, None] + (r0 + dr)[None, :]
            to_col = burning_cols[:, None] + (c0 + dc)[None, :]
            inside = (to_row >= 0) & (to_row < ny) & (to_col >= 0) & (to_col < nx)
            plume[to_row[inside], to_col[inside]] = True
            plume &= ~burning
            return plume
        fire, smoke = burning[r0:r1, c0:c1], plume[r0:r1, c0:c1]
        ny, nx = fire.shape
        for dr, dc in offsets:
            src = fire[max(0, -dr) : ny - max(0, dr), max(0, -dc) : nx - max(0, dc)]
            smoke[max(0, dr) : ny - max(0, -dr), max(0, dc) : nx - max(0, -dc)] |= src
        smoke &= ~fire
        return plume

    def harm_people(self, dt_min: float) -> None:
        if not self.started:
            return
        self._harm_by_smoke(dt_min)
        reached = (self.model.burning | self.model.burnt) & ~self.was_burning
        self.was_burning |= reached
        flat = reached.ravel()
        for zone in self.drill.world.zones:
            if not zone.cells.size:
                continue
            here = flat[zone.cells]
            share = share_of(here)
            if share <= 0:
                continue
            cells = zone.cells[here]
            rows, cols = np.divmod(cells, self.drill.world.shape[1])
            cell = self.drill.world.cell_m
            xy = (float((cols.mean() + 0.5) * cell), float((rows.mean() + 0.5) * cell))
            harm_zone(
                self.drill,
                zone.index,
                HARM_UNAWARE.scaled(share),
                HARM_SHELTERING.scaled(share),
                self.id,
                xy,
                warned=HARM_WARNED.scaled(share),
            )
        self._harm_on_the_move(dt_min)

    def _harm_on_the_move(self, dt_min: float) -> None:
        """Evacuees among burning cells meet the front in the open; under smoke, breathe it."""
        burning = self.model.burning.ravel()
        plume = self.smoke().ravel()
        everyone = people_on_the_move(self.drill, dt_min)
        cells, starts = cells_on_the_way(everyone)
        met = any_on_the_way(burning[cells] | plume[cells], starts)
        moving = []
        for where, hit in zip(everyone, met, strict=True):
            if not hit:  # neither front nor smoke on its way: no harm, left out
                continue
            front = HARM_UNAWARE if np.count_nonzero(burning[where.cells]) else Harm()
            smoke = share_of(plume[where.cells]) * SMOKE_INJURY_PER_MIN * dt_min
            moving.append((where, Harm(front.dead, front.injured + smoke, front.trapped)))
        harm_on_the_move(self.drill, moving, self.id)

    def _harm_by_smoke(self, dt_min: float) -> None:
        plume = self.smoke().ravel()
        for zone in self.drill.world.zones:
            here = plume[zone.cells]
            if not zone.cells.size or not np.count_nonzero(here):
                continue
            share = share_of(here)
            outdoors = Harm(injured=share * SMOKE_INJURY_PER_MIN * dt_min)
            indoors = Harm(injured=share * SMOKE_INJURY_PER_MIN * SMOKE_INDOOR_FACTOR * dt_min)
            harm_zone(self.drill, zone.index, outdoors, indoors, self.id, zone.centroid_xy)

    # -- forecast and reporting ----------------------------------------------
    def zone_threats(self) -> dict[int, tuple[float, str]]:
        if not self.started or not self.model.burning.any():
            return {}
        weather = self.drill.weather.current(self.drill.now)
        to_deg = (weather.wind_from_deg + 180.0) % 360.0
        burning = np.flatnonzero(self.model.burning)
        fx, fy = self.x.ravel()[burning].mean(), self.y.ravel()[burning].mean()
        threats = {}
        for zone in self.drill.world.zones:
            distance = self.zone_distance_m[zone.index]
            if distance > THREAT_DISTANCE_M:
                continue
            cx, cy = zone.centroid_xy
            bearing = math.degrees(math.atan2(cx - fx, -(cy - fy))) % 360.0
            downwind = math.cos(math.radians(bearing - to_deg))
            level = (1.0 - distance / THREAT_DISTANCE_M) * (0.6 + 0.4 * max(0.0, downwind))
            level = min(1.0, level + (0.3 if distance < INCIDENT_DISTANCE_M else 0.0))
            if level > 0.05:
                threats[zone.index] = (level, "evacuate")
        return threats

    def footprint(self) -> np.ndarray | None:
        return (self.was_burning | self.model.burning | self.model.burnt) if self.started else None

    def displaced_share(self, zone: int) -> float:
        cells = self.drill.world.zones[zone].cells
        if not self.started or not cells.size:
            return 0.0
        burning, burnt = self.model.burning.ravel(), self.model.burnt.ravel()
        return share_of(burning[cells] | burnt[cells])  # at its cells, not the grid's

    def displaced_shares(self) -> list[float]:
        if not self.started:
            return [0.0] * len(self.drill.world.zones)
        cells = self._zone_cells()[0]  # one gather of each for every zone
        burning, burnt = self.model.burning.ravel(), self.model.burnt.ravel()
        return self._shares_by_zone(burning[cells] | burnt[cells])

    def fields(self) -> dict[str, np.ndarray]:
        return {
            "fire_burning": self.model.burning,
            "fire_burnt": self.model.burnt,
            "fire_smoke": self.smoke(),
        }

    def metrics(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "active": self.started,
            "burning_area_m2": round(self.model.burning_area_m2(), 3),
            "burnt_area_m2": round(self.model.burnt_area_m2(), 3),
        }


RUNTIME = FireRuntime
