"""A toxic gas release in a drill: Gaussian puffs that follow the wind, and their harm.

Once a minute the runtime releases and moves the puffs with the current wind
and Pasquill–Gifford stability, accumulates each cell's toxic load for people
outdoors and for people sheltering indoors (air exchange), and turns the
rise in probit lethality into deaths. People in air above AEGL-2 are injured
(disabling effects, by definition of AEGL-2). A leak incident at the source
lets a hazmat team stop the release. Dense-gas slumping is not modelled: the
cloud disperses as a neutral gas (see :mod:`sim.hazards.gas`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import events as ev
from sim.hazards.dispersion import plume_concentration_kg_per_m3
from sim.hazards.gas import GasRelease, aegl_ppm, is_urban_source
from sim.hazards.harm import (
    Harm,
    OnTheMove,
    any_on_the_way,
    cells_on_the_way,
    harm_on_the_move,
    harm_zone,
    people_on_the_move,
    share_of,
)
from sim.hazards.runtime import HazardRuntime
from sim.hazards.toxicity import ToxicExposure, get_substance, kg_per_m3_to_ppm, probit_fraction
from sim.incidents import Incident
from sim.scenario.schema import GasHazard, IncidentKind

if TYPE_CHECKING:
    from sim.world.world import ZoneInfo

STEP_MIN = 1.0
LEAK_WORK_CREW_MIN = 60.0  # a hazmat team needs about an hour to plug a tank leak (assumed)
# Injury: share per minute of people in air above AEGL-2 who become casualties.
# AEGL-2 marks the onset of irreversible or escape-impairing effects (US EPA/NRC
# AEGL definitions); we assume a one-in-ten chance per minute at that level.
INJURY_PER_MIN_ABOVE_AEGL2 = 0.10
# The forecast's threat zone is where the steady plume of the leak as it is now would
# exceed AEGL-1 (60 min) at ground level, as ALOHA draws its threat zones (NOAA/EPA
# ALOHA 5.4 Technical Documentation, 2013, §4.4: "threat zones" at the AEGL levels).
THREAT_MIN_DOWNWIND_M = 50.0  # a zone's nearest point is taken at least this far out
# Households take 30-60 min to set off once told to leave (Lindell & Prater 2007,
# "Critical behavioral assumptions in evacuation time estimate analysis for private
# vehicles", J. Urban Planning and Development 133(1), 18-29): a cloud due sooner than
# the lower bound would meet them leaving, so the advice is to shelter in place. The
# after-action review holds evacuations to the same lead (analysis.rubric).
SHELTER_IF_WITHIN_MIN = 30.0
FORECAST_HORIZON_MIN = 60.0  # wind changes forecast this far ahead count as threats
FORECAST_WEIGHT = 0.8  # a forecast wind is less certain than the wind now


class GasRuntime(HazardRuntime):
    kind = "gas"

    def __init__(self, drill: Any, spec: GasHazard) -> None:
        super().__init__(drill, spec)
        world = drill.world
        source = world.facilities[spec.source]
        self.source_cell = source.cell
        self.source_xy = source.xy
        self.release = GasRelease(
            world.shape,
            world.cell_m,
            source.cell,
            spec.substance.value,
            inventory_kg=spec.inventory_kg,
            rate_kg_per_s=spec.rate_kg_per_s,
            release_height_m=spec.release_height_m,
            urban=is_urban_source(world.land_use, source.cell, world.cell_m),
            instantaneous=spec.instantaneous,
        )
        self.exposure = ToxicExposure(world.shape, spec.substance.value)
        self.substance = spec.substance.value
        self.molar_mass = get_substance(self.substance).molar_mass_g_per_mol
        self.aegl1 = aegl_ppm(self.substance, 1, 60.0)
        self.aegl2 = aegl_ppm(self.substance, 2, 60.0)
        self.aegl3 = aegl_ppm(self.substance, 3, 60.0)
        self.lethal_out = np.zeros(world.shape)
        self.lethal_in = np.zeros(world.shape)
        self.max_ppm = np.zeros(world.shape)
        self.people_above_aegl2: dict[int, int] = {}
        self._plumes: dict[tuple, tuple[float, float] | None] = {}  # see _plume_at
        self.leak: str | None = None

    def _run(self, delay_min: float) -> Any:
        env = self.drill.env
        if delay_min:
            yield env.timeout(delay_min)
        self.drill.emit(ev.HAZARD_STARTED, hazard=self.id, kind=self.kind, substance=self.substance)
        leak = self.drill.create_incident(
            IncidentKind.LEAK,
            self.source_xy,
            ident=f"leak-{self.id}",
            work_min=LEAK_WORK_CREW_MIN,
            source=self.id,
        )
        self.leak = leak.id
        while True:
            weather = self.drill.weather.current(env.now)
            stability = self.drill.weather.stability_class(env.now)
            self.release.run_one_step(
                STEP_MIN * 60.0, weather.wind_speed_m_per_s, weather.wind_from_deg, stability
            )
            self.exposure.accumulate(self.release.concentration_ppm, STEP_MIN * 60.0)
            np.maximum(self.max_ppm, self.release.concentration_ppm, out=self.max_ppm)
            # Read at the cells of the zones not reached yet only.
            self.reach_zones_above(self.release.concentration_ppm.ravel(), self.aegl1)
            yield env.timeout(STEP_MIN)

    def on_incident_resolved(self, incident: Incident) -> None:
        if incident.id == self.leak and self.release.active:
            self.release.stop()
            self.milestone(
                "release_stopped",
                released_kg=round(self.release.released_kg, 3),
            )

    def harm_people(self, dt_min: float) -> None:
        """Harm people at home, indoors and on the move; note each zone's peak above AEGL-2.

        People on the move breathe outdoor air wherever they are (no building
        between them and the cloud): on the road each group carries its own
        toxic load along its way; those waiting outside a shelter breathe the
        air at its door like people at home there. Their count in air above
        AEGL-2 joins their zone's (``people_above_aegl2``).
        """
        if not self.started:
            return
        lethal_out = self.exposure.lethal_fraction_outdoor()
        lethal_in = self.exposure.lethal_fraction_indoor()
        # Air above AEGL-2 is read where people are (the zones' cells, the groups' ways), not
        # compared over the whole grid.
        ppm = self.release.concentration_ppm.ravel()
        indoor_ppm = self.exposure.indoor_ppm.ravel()
        injure = 1.0 - (1.0 - INJURY_PER_MIN_ABOVE_AEGL2) ** dt_min
        moving, exposed_moving = self._on_the_move(dt_min, lethal_out, injure)
        lethal_out_flat = lethal_out.ravel()
        # Each zone's cells above AEGL-2 and with a lethal fraction: counted for every zone in
        # one gather and one segmented sum (whole counts, as count_nonzero's).
        all_cells, bounds = self._zone_cells()
        starts = [a for a, b in bounds if b > a]
        if starts:
            above_by = np.add.reduceat(ppm[all_cells] > self.aegl2, starts, dtype=np.intp)
            lethal_by = np.add.reduceat(lethal_out_flat[all_cells] != 0, starts, dtype=np.intp)
        k = -1  # the zone's place among the zones with cells
        for zone in self.drill.world.zones:
            cells = zone.cells
            above, touched = 0, False
            if cells.size:
                k += 1
                above = above_by[k]
                touched = bool(above or lethal_by[k])
            exposed = exposed_moving.get(zone.index, 0.0)
            if touched:
                share_above = above / cells.size  # float((ppm[cells] > aegl2).mean())
                exposed += round(share_above * _at_home(self.drill, zone.index))
            if touched or exposed:
                self.people_above_aegl2[zone.index] = max(
                    self.people_above_aegl2.get(zone.index, 0), round(exposed)
                )
            if not touched:
                continue
            home = Harm(
                dead=_newly(lethal_out, self.lethal_out, cells),
                injured=share_above * injure,
            )
            indoors = Harm(
                dead=_newly(lethal_in, self.lethal_in, cells),
                injured=share_of(indoor_ppm[cells] > self.aegl2) * injure,
            )
            harm_zone(self.drill, zone.index, home, indoors, self.id, zone.centroid_xy)
        harm_on_the_move(self.drill, moving, self.id)
        self.lethal_out[...] = lethal_out
        self.lethal_in[...] = lethal_in

    def _on_the_move(
        self, dt_min: float, lethal_out: np.ndarray, injure: float
    ) -> tuple[list[tuple[OnTheMove, Harm]], dict[int, float]]:
        """Each group of evacuees' harm this step, and how many per zone are above AEGL-2."""
        ppm = self.release.concentration_ppm.ravel()
        n = self.exposure.substance.probit_n
        harmed, exposed = [], {}
        everyone = people_on_the_move(self.drill, dt_min)
        cells, starts = cells_on_the_way(everyone)
        met = any_on_the_way(ppm[cells] != 0.0, starts)
        for where, hit in zip(everyone, met, strict=True):
            if not hit and where.group is not None:
                # No gas on its way (nor air above AEGL-2): its load gains 0 and its chances
                # are 0, as the sums below would say; left out of the harm.
                where.group.toxic_load[self.id] = where.group.toxic_load.get(self.id, 0.0)
                continue
            share_above = share_of(ppm[where.cells] > self.aegl2)
            if where.group is None:  # standing at a shelter's door, as at home there
                dead = _newly(lethal_out, self.lethal_out, where.cells)
            else:  # Σ Cⁿ·Δt along the way (ppm, min), the probit's toxic load
                before = where.group.toxic_load.get(self.id, 0.0)
                load = before + float(np.mean(ppm[where.cells] ** n)) * dt_min
                where.group.toxic_load[self.id] = load
                dead = _probit_rise(self.substance, before, load)
            if share_above:
                exposed[where.zone] = exposed.get(where.zone, 0.0) + share_above * where.people
            harmed.append((where, Harm(dead=dead, injured=share_above * injure)))
        return harmed, exposed

    def zone_threats(self) -> dict[int, tuple[float, str]]:
        """Zones in the cloud or in the leak's threat zone, now or under the forecast wind.

        The threat zone is where the steady ground-level plume of the release as it
        is now (rate, height, stability, urban or rural air) exceeds AEGL-1: a zone is
        threatened from 0.4 at AEGL-1 up to 1.0 at AEGL-2 at its nearest point. A wind
        change forecast within the hour counts like the wind now, at
        ``FORECAST_WEIGHT`` (less certain), with the time until it comes added to the
        cloud's travel time when choosing shelter or evacuation.
        """
        if not self.started:
            return {}
        now = self.drill.now
        weather = self.drill.weather.current(now)
        stability = self.drill.weather.stability_class(now)
        winds = [(now, weather.wind_speed_m_per_s, weather.wind_from_deg, 1.0)]
        winds += [
            (at, speed, from_deg, FORECAST_WEIGHT)
            for at, speed, from_deg in self.drill.weather.forecast_winds(now, FORECAST_HORIZON_MIN)
        ]
        if not self.release.active or self.release.rate_kg_per_s <= 0.0:
            winds = []  # a stopped leak threatens only where the cloud already is
        ppm = self.release.concentration_ppm.ravel()
        # Each zone's cells above AEGL-1: one gather and one segmented sum for every zone;
        # the share is the count over the size, as share_of's (a numpy float).
        all_cells, bounds = self._zone_cells()
        starts = [a for a, b in bounds if b > a]
        if starts:
            above_by = np.add.reduceat(ppm[all_cells] > self.aegl1, starts, dtype=np.intp)
        k = -1  # the zone's place among the zones with cells
        threats = {}
        for zone in self.drill.world.zones:
            in_cloud = 0.0
            if zone.cells.size:
                k += 1
                in_cloud = above_by[k] / zone.cells.size
            level, arrive_min = in_cloud, 0.0 if in_cloud > 0 else math.inf
            for at, speed, from_deg, weight in winds:
                reach = self._plume_at(zone, speed, from_deg, stability)
                if reach is None:
                    continue  # upwind
                near, peak = reach
                if peak < self.aegl1:
                    continue
                share = min(1.0, (peak - self.aegl1) / max(self.aegl2 - self.aegl1, 1e-9))
                level = max(level, weight * (0.4 + 0.6 * share))
                arrive_min = min(arrive_min, at - now + near / (max(speed, 1.0) * 60.0))
            if level > 0.05:
                soon = arrive_min < SHELTER_IF_WITHIN_MIN
                threats[zone.index] = (min(1.0, level), "shelter" if soon else "evacuate")
        return threats

    def _plume_at(
        self, zone: ZoneInfo, wind: float, from_deg: float, stability: str
    ) -> tuple[float, float] | None:
        """(metres downwind to the zone's near edge, the steady plume's ppm there) under a
        wind, or None if the zone lies upwind. A pure function of these and of the release's
        rate, height and terrain, which hold for hours (the wind follows the scenario's
        schedule): each answer is remembered (``_plumes``) rather than worked out every
        minute for every zone."""
        release = self.release
        key = (
            zone.index,
            wind,
            from_deg,
            stability,
            release.rate_kg_per_s,
            release.release_height_m,
            release.urban,
        )
        if key in self._plumes:
            return self._plumes[key]
        radius = math.sqrt(zone.area_m2 / math.pi)
        along, across = downwind(self.source_xy, zone.centroid_xy, from_deg)
        found = None
        if along + radius > 0.0:
            near = max(along - radius, THREAT_MIN_DOWNWIND_M)
            found = (near, self._plume_ppm(near, max(across - radius, 0.0), wind, stability))
        self._plumes[key] = found
        return found

    def _plume_ppm(self, along_m: float, across_m: float, wind: float, stability: str) -> float:
        """Ground-level ppm of the steady plume of the release now, at a point downwind."""
        kg_per_m3 = plume_concentration_kg_per_m3(
            self.release.rate_kg_per_s,
            max(wind, 1.0),
            along_m,
            across_m,
            0.0,
            self.release.release_height_m,
            stability,
            self.release.urban,
        )
        return float(kg_per_m3_to_ppm(float(kg_per_m3), self.molar_mass))

    def footprint(self) -> np.ndarray | None:
        return self.max_ppm > self.aegl2 if self.started else None

    def fields(self) -> dict[str, np.ndarray]:
        return {"gas_ppm": self.release.concentration_ppm}

    def metrics(self) -> dict[str, Any]:
        ppm = self.release.concentration_ppm
        cell_area = self.drill.world.cell_m**2
        return {
            "kind": self.kind,
            "active": self.release.active,
            "substance": self.substance,
            "released_kg": round(self.release.released_kg, 3),
            "rate_kg_per_s": round(self.release.rate_kg_per_s, 6),
            "max_ppm": round(float(ppm.max()), 3),
            "aegl1_area_m2": round(float((ppm > self.aegl1).sum()) * cell_area, 1),
            "aegl2_area_m2": round(float((ppm > self.aegl2).sum()) * cell_area, 1),
            "aegl3_area_m2": round(float((ppm > self.aegl3).sum()) * cell_area, 1),
            "people_above_aegl2": sum(self.people_above_aegl2.values()),
            "people_above_aegl2_by_zone": {
                self.drill.world.zones[z].id: n
                for z, n in sorted(self.people_above_aegl2.items())
                if n
            },
        }


def _newly(now: np.ndarray, before: np.ndarray, cells: np.ndarray) -> float:
    """Zone-average chance of dying this step given survival so far (probit rise)."""
    f_now, f_before = now.ravel()[cells], before.ravel()[cells]
    return float(np.mean(np.clip((f_now - f_before) / np.maximum(1.0 - f_before, 1e-9), 0, 1)))


def _probit_rise(substance: str, load_before: float, load_now: float) -> float:
    """Chance of dying this step given survival so far, as the toxic load grows."""
    if load_now == load_before:  # nothing breathed this step: the same 0, without the probit
        return 0.0
    before = float(probit_fraction(substance, load_before))
    now = float(probit_fraction(substance, load_now))
    return min(1.0, max(0.0, (now - before) / max(1.0 - before, 1e-9)))


def _at_home(drill: Any, zone: int) -> int:
    from sim.population import AT_HOME

    return sum(drill.population.count(zone, state) for state in AT_HOME)


RUNTIME = GasRuntime


def downwind(
    source: tuple[float, float], place: tuple[float, float], wind_from_deg: float
) -> tuple[float, float]:
    """(metres downwind, metres across the wind) of ``place`` from ``source``."""
    to_rad = math.radians((wind_from_deg + 180.0) % 360.0)
    dx, dy = place[0] - source[0], place[1] - source[1]
    along = dx * math.sin(to_rad) - dy * math.cos(to_rad)
    across = abs(dx * math.cos(to_rad) + dy * math.sin(to_rad))
    return along, across
