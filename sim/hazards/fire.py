"""Wildland and urban fire spread on the map grid by minimum travel time.

The fire front moves from cell to cell by *arrival times*, not by coin flips:
a cell ignites when the fastest path of the front reaches it, where crossing
an edge of a 16-neighbour stencil (8 neighbours plus knight moves, which keeps
the grid-orientation bias to a few per cent) takes ``distance / R(direction)``.
``R`` is the Rothermel surface fire rate of spread shaped by an Anderson
(1983) ellipse for vegetation, or Hamada's (1951) building-to-building rate
for built-up cells (see ``sim.hazards.rothermel``).  The model advances in
steps: ``run_one_step(dt_s, wind, direction)`` settles every cell the front
reaches by ``t + dt`` with the current weather; cells reached later stay
tentative and are re-timed from the burning cells whenever the weather (or
suppression, a firebreak, drying of wetted fuel) changes.  Re-timing treats
the new weather as if it had held since each burning cell ignited, never
earlier than now, so a weather change is felt within one cell crossing
time.  A step costs in
proportion to the active front, not to the grid.  Burning cells burn out once
their residence time is over and the front has left all their neighbours.
Fire engines extinguish burning cells at a rate limited by their water flow
(``suppress``) and crews cut firebreaks (``cut_firebreak``); non-burnable
cells never ignite.

Grid conventions: arrays (ny, nx), row i grows southward, column j eastward,
square cells of ``cell_m``; wind is the 10-m speed (m/s) and the direction it
blows FROM, clockwise from north.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.hazards import fuels
from sim.hazards import rothermel as ros
from sim.hazards.rothermel import (
    DEFAULT_URBAN_BLOCKS,
    FUEL_MODEL_BY_LAND_USE,
    SHELTERED_WAF_BY_LAND_USE,
    UrbanBlock,
    fuel_model_for_land_use,
    length_to_breadth,
    rothermel_ros_m_per_min,
)
from sim.landuse import LAND_USE_COUNT, LandUse

__all__ = [
    "CRITICAL_FLOW_BUILDING_L_PER_MIN_M2",
    "CRITICAL_FLOW_VEGETATION_L_PER_MIN_M2",
    "DEFAULT_URBAN_BLOCKS",
    "KNOCKDOWN_TIME_MIN",
    "REWET_DURATION_S",
    "FireModel",
    "UrbanBlock",
    "fuel_model_for_land_use",
    "length_to_breadth",
    "rothermel_ros_m_per_min",
]

# Critical application rates of water: 5 L/min per m2 of fire area (UK NFCC
# control measure "Flow rates", fire-ground rule optimum flow = area x 5); for
# buildings the National Fire Academy fire-flow formula, 1 US gal/min per 3 ft2
# = 13.6 L/min per m2 of involved floor area.
CRITICAL_FLOW_VEGETATION_L_PER_MIN_M2 = 5.0
CRITICAL_FLOW_BUILDING_L_PER_MIN_M2 = 3.785411784 / (3.0 * 0.09290304)
# Assumption: the rule-of-thumb flows knock a fire down in about one minute, so
# extinguishing an area takes flow x 1 min of water.
KNOCKDOWN_TIME_MIN = 1.0
# Wetted fine fuel cannot re-ignite for one 1-h timelag, the time constant of
# fine dead fuel moisture (Fosberg & Deeming 1971, NFDRS 1-h timelag class).
REWET_DURATION_S = 3600.0
SECONDS_PER_MIN = 60.0
URBAN_FUEL_MODEL = 91  # NB1 urban/developed (Scott & Burgan 2005): burns by Hamada's model
_PAD = 2  # border of non-burnable cells so knight moves need no bounds checks


def _stencil() -> tuple[np.ndarray, ...]:
    """16-neighbour moves (di, dj) and the two cells each move passes between."""
    moves = [(0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1)]
    moves += [(a * p, b * q) for p, q in ((1, 2), (2, 1)) for a in (1, -1) for b in (1, -1)]
    di, dj = (np.array(v) for v in zip(*moves, strict=True))
    # corner cells: diagonal moves pass between (di, 0) and (0, dj); a knight move
    # (1, 2) crosses cells (0, 1) and (1, 1); axis moves cross nothing (use self).
    c1 = np.zeros((16, 2), dtype=int)
    c2 = np.zeros((16, 2), dtype=int)
    mode = np.zeros(16, dtype=int)  # 0 axis, 1 diagonal (either corner), 2 knight (both)
    for k, (a, b) in enumerate(moves):
        if abs(a) == 1 and abs(b) == 1:
            c1[k], c2[k], mode[k] = (a, 0), (0, b), 1
        elif abs(b) == 2:
            c1[k], c2[k], mode[k] = (0, b // 2), (a, b // 2), 2
        elif abs(a) == 2:
            c1[k], c2[k], mode[k] = (a // 2, 0), (a // 2, b), 2
    return di, dj, c1, c2, mode


class FireModel:
    """Fire spread over a land-use grid by arrival times (seconds since model start).

    Parameters: ``land_use`` (ny, nx) ``LandUse`` codes; ``elevation_m`` (ny, nx)
    terrain height (m); ``cell_m`` cell side (m); ``dead_moisture`` 1-h dead fuel
    moisture (fraction of dry weight); ``live_moisture`` live fuel moisture;
    ``urban_blocks`` building stock per built land use (defaults
    ``DEFAULT_URBAN_BLOCKS``); ``fuel_models`` a standard fuel model number
    (``sim.hazards.fuels``) per land use, overriding ``FUEL_MODEL_BY_LAND_USE``
    (built cells keep burning building to building while their model is NB1
    urban; given a burnable model they burn as vegetation, given another
    non-burnable model not at all).  Raises ValueError on mismatched
    shapes, unknown codes or fuel models, non-finite elevation or non-positive
    cell size.

    Public state (read-only views, shape (ny, nx)): ``arrival_time_s`` (inf where
    the front has not arrived yet), ``burning`` (on fire now), ``burnt`` (burnt
    out); ``time_s`` the model time (s).
    """

    def __init__(
        self,
        land_use: np.ndarray,
        elevation_m: np.ndarray,
        cell_m: float,
        *,
        dead_moisture: float = 0.08,
        live_moisture: float = 1.0,
        urban_blocks: Mapping[LandUse, UrbanBlock] | None = None,
        fuel_models: Mapping[LandUse, int] | None = None,
    ) -> None:
        lu = np.asarray(land_use)
        elev = np.asarray(elevation_m, dtype=float)
        _validate_grid(lu, elev, cell_m)
        self.cell_m = float(cell_m)
        self.cell_area_m2 = self.cell_m**2
        self.time_s = 0.0
        self._ny, self._nx = lu.shape
        self._w = self._nx + 2 * _PAD
        self._blocks = dict(DEFAULT_URBAN_BLOCKS if urban_blocks is None else urban_blocks)
        self.fuel_models = dict(FUEL_MODEL_BY_LAND_USE)
        for code, ref in (fuel_models or {}).items():
            number = fuels.fuel_model_number(ref)
            self.fuel_models[LandUse(code)] = number
            if number != URBAN_FUEL_MODEL:  # vegetation (or nothing) instead of buildings
                self._blocks.pop(LandUse(code), None)
        self._init_tables(dead_moisture, live_moisture)
        self._init_grids(lu, elev)
        self._init_stencil()
        self._burning_idx = np.empty(0, dtype=np.intp)
        self._tentative = np.empty(0, dtype=np.intp)
        self._pending: list[np.ndarray] = []
        self._wet_idx = np.empty(0, dtype=np.intp)
        self._weather: tuple[float, float] | None = None
        self._dirty = False
        self._n_burnt = 0

    # ------------------------------------------------------------------ set-up
    def _init_tables(self, dead_moisture: float, live_moisture: float) -> None:
        """Per-land-use constants: Rothermel fuel beds, WAF, residence, water need."""
        n = LAND_USE_COUNT
        self._beds: list[ros.Fuelbed | None] = [None] * n
        self._is_urban = np.zeros(n, dtype=bool)
        self._r0_m_per_s = np.zeros(n)
        self._waf = np.zeros(n)
        self._residence_s = np.zeros(n)
        self._water_need_l = np.zeros(n)
        need_per_m2 = KNOCKDOWN_TIME_MIN * self.cell_area_m2
        for code in LandUse:
            fm = self.fuel_models[code]
            if fuels.is_burnable(fm):
                bed = ros.fuelbed(fm, dead_moisture, live_moisture)
                self._beds[code] = bed
                self._r0_m_per_s[code] = bed.r0_ft_per_min * ros.M_PER_FT / SECONDS_PER_MIN
                unsheltered = ros.wind_adjustment_factor_unsheltered(ros.fuel_bed_depth_m(fm))
                self._waf[code] = SHELTERED_WAF_BY_LAND_USE.get(code, unsheltered)
                self._residence_s[code] = bed.residence_time_min * SECONDS_PER_MIN
                self._water_need_l[code] = CRITICAL_FLOW_VEGETATION_L_PER_MIN_M2 * need_per_m2
            elif code in self._blocks:
                block = self._blocks[code]
                self._is_urban[code] = True
                self._residence_s[code] = block.burn_duration_s
                floor = block.coverage_ratio * need_per_m2
                self._water_need_l[code] = CRITICAL_FLOW_BUILDING_L_PER_MIN_M2 * floor
        beds = [b if b is not None else ros.fuelbed(1, 0.0) for b in self._beds]  # dummies
        self._wind_c = np.array([b.wind_c for b in beds])
        self._wind_b = np.array([b.wind_b for b in beds])
        self._wind_e = np.array([b.wind_e for b in beds])
        self._beta_ratio = np.array([b.beta_ratio for b in beds])
        self._phi_max = np.array([b.phi_max for b in beds])
        self._wind_bounds_rate = beds[0].wind_bounds_rate
        self._phi_w = np.zeros(n)
        self._hamada = np.ones((3, n))  # downwind, crosswind, upwind rates (m/s)

    def _init_grids(self, lu: np.ndarray, elev: np.ndarray) -> None:
        """Padded state grids (allocated once) and static slope factors."""
        shape = (self._ny + 2 * _PAD, self._nx + 2 * _PAD)
        inner = (slice(_PAD, -_PAD), slice(_PAD, -_PAD))
        lu_pad = np.full(shape, LandUse.WATER, dtype=np.intp)
        lu_pad[inner] = lu
        self._lu = lu_pad.ravel()
        burnable = self._r0_m_per_s[lu_pad] > 0
        self._burnable = (burnable | self._is_urban[lu_pad]).ravel()
        # slope: tan = |grad z|, upslope unit vector (east, south); phi_s = k_s tan^2
        dz_south, dz_east = np.gradient(elev, self.cell_m)
        tan = np.hypot(dz_east, dz_south)
        grids = {}
        for name, values in (("sx", dz_east), ("sy", dz_south)):
            grid = np.zeros(shape)
            grid[inner] = np.divide(values, tan, out=np.zeros_like(tan), where=tan > 0)
            grids[name] = grid.ravel()
        self._sx, self._sy = grids["sx"], grids["sy"]
        slope_k = np.array([b.slope_k if b else 0.0 for b in self._beds])
        phi_s = np.zeros(shape)
        phi_s[inner] = slope_k[lu] * tan**2  # Rothermel 1972 eq. 51
        self._phi_s = phi_s.ravel()
        self._label = np.full(shape[0] * shape[1], np.inf)  # settled or tentative arrival
        arrival = np.full(shape, np.inf)
        burning = np.zeros(shape, dtype=bool)
        burnt = np.zeros(shape, dtype=bool)
        self._arrival, self._burning, self._burnt = (g.ravel() for g in (arrival, burning, burnt))
        self._wet_until = np.full(self._label.shape, -np.inf)
        self._water_applied_l = np.zeros(self._label.shape)
        self.arrival_time_s = _read_only(arrival[inner])
        self.burning = _read_only(burning[inner])
        self.burnt = _read_only(burnt[inner])

    def _init_stencil(self) -> None:
        di, dj, c1, c2, mode = _stencil()
        length = np.hypot(di, dj)
        self._off = di * self._w + dj
        self._c1 = c1[:, 0] * self._w + c1[:, 1]
        self._c2 = c2[:, 0] * self._w + c2[:, 1]
        self._mode = mode
        self._ux, self._uy = dj / length, di / length  # unit vectors (east, south)
        self._half_m = 0.5 * length * self.cell_m

    # ----------------------------------------------------------------- physics
    def _set_weather(self, speed_m_per_s: float, from_deg: float) -> None:
        """Per-land-use wind factors and Hamada rates for a 10-m wind."""
        if self._weather != (speed_m_per_s, from_deg % 360.0):
            self._dirty = self._dirty or self._weather is not None
        self._weather = (speed_m_per_s, from_deg % 360.0)
        theta = np.deg2rad(from_deg)
        self._wx, self._wy = -np.sin(theta), np.cos(theta)  # toward-vector (east, south)
        self._calm = speed_m_per_s == 0.0
        # midflame = WAF x 20-ft wind, 20-ft wind = 10-m wind / 1.15 (Andrews 2012)
        midflame = self._waf * speed_m_per_s / ros.WIND_10M_PER_20FT
        u_ft = midflame * ros.FT_PER_MIN_PER_M_PER_S
        # phi_w = C U^B (beta/beta_op)^-E (Rothermel 1972 eq. 47); the limit (ros.WIND_LIMIT,
        # none) applies to the combined phi_E in _rate_m_per_s, as in Behave
        self._phi_w = self._wind_c * u_ft**self._wind_b * self._beta_ratio ** (-self._wind_e)
        for code, block in self._blocks.items():
            rates = ros.hamada_rates_m_per_min(
                block.building_side_m, block.separation_m, block.fire_resistant_ratio, speed_m_per_s
            )
            self._hamada[:, code] = np.array(rates) / SECONDS_PER_MIN

    def _rate_m_per_s(self, cells: np.ndarray, ux: np.ndarray, uy: np.ndarray) -> np.ndarray:
        """Spread rate (m/s) of the fire in ``cells`` toward unit vectors (ux, uy)."""
        lu = self._lu[cells]
        # wind and slope effect vectors add (Rothermel 1983 vectoring, as BehavePlus)
        vx = self._phi_w[lu] * self._wx + self._phi_s[cells] * self._sx[cells]
        vy = self._phi_w[lu] * self._wy + self._phi_s[cells] * self._sy[cells]
        norm = np.hypot(vx, vy)
        phi_e = np.minimum(norm, self._phi_max[lu])
        cos = np.divide(
            ux * vx + uy * vy, norm, out=np.zeros(np.broadcast(norm, ux).shape), where=norm > 0
        )
        # effective wind U_E = (phi_E (beta/beta_op)^E / C)^(1/B) ft/min -> m/s for LB
        u_eff = (phi_e * self._beta_ratio[lu] ** self._wind_e[lu] / self._wind_c[lu]) ** (
            1.0 / self._wind_b[lu]
        )
        lb = ros.length_to_breadth(u_eff / ros.FT_PER_MIN_PER_M_PER_S)
        r0 = self._r0_m_per_s[lu]
        head = r0 * (1.0 + phi_e)  # R = R0 (1 + phi_E), eq. 52
        if self._wind_bounds_rate:  # R <= max(R0, U_E), Andrews et al. 2013 (ros.WIND_LIMIT)
            head = np.minimum(head, np.maximum(r0, u_eff / ros.FT_PER_MIN_PER_M_PER_S))
        veg = ros.ellipse_rate(head, ros.eccentricity(lb), cos)
        k = 1.0 if self._calm else ux * self._wx + uy * self._wy
        urban = ros.hamada_rate_toward(*self._hamada[:, lu], k)
        return np.where(self._is_urban[lu], urban, veg)

    # ----------------------------------------------------------- propagation
    def _relax(self, src: np.ndarray, t0: float) -> tuple[np.ndarray, np.ndarray]:
        """Candidate arrival times from burning ``src`` cells to their 16 neighbours."""
        dst = src[:, None] + self._off
        p1, p2 = (self._passable(src[:, None] + c, t0) for c in (self._c1, self._c2))
        # diagonal moves need one open corner, knight moves both crossed cells open
        open_edge = np.where(self._mode == 1, p1 | p2, p1 & p2) | (self._mode == 0)
        ok = open_edge & self._burnable[dst] & (self._label[dst] > t0)
        src_b, dst_ok = np.broadcast_to(src[:, None], dst.shape)[ok], dst[ok]
        ux, uy, half = (
            np.broadcast_to(v, dst.shape)[ok] for v in (self._ux, self._uy, self._half_m)
        )
        # travel time = half the edge at the source's rate + half at the target's rate
        with np.errstate(divide="ignore"):
            travel = half / self._rate_m_per_s(src_b, ux, uy)
            travel += half / self._rate_m_per_s(dst_ok, ux, uy)
        cand = np.maximum(self._label[src_b] + travel, t0)
        keep = (cand < self._label[dst_ok]) & (self._wet_until[dst_ok] <= cand)
        return dst_ok[keep], cand[keep]

    def _passable(self, cells: np.ndarray, t0: float) -> np.ndarray:
        return self._burnable[cells] & (self._wet_until[cells] <= t0)

    def _propagate(self, sources: np.ndarray, t0: float, t1: float) -> np.ndarray:
        """Label-correcting relaxation until no arrival <= t1 improves; returns settled cells."""
        frontier, settled, tentative = sources, [sources], [self._tentative]
        while frontier.size:
            dst, cand = self._relax(frontier, t0)
            before = self._label[dst]
            np.minimum.at(self._label, dst, cand)
            improved = np.unique(dst[self._label[dst] < before])
            arrival = self._label[improved]
            frontier = improved[arrival <= t1]
            settled.append(frontier)
            tentative.append(improved[arrival > t1])
        self._tentative = np.concatenate(tentative)
        return np.unique(np.concatenate(settled))

    def _initial_sources(self, t0: float, t1: float) -> np.ndarray:
        """Cells whose outgoing edges must be relaxed in this step."""
        tent = self._tentative
        label = self._label[tent]
        if self._dirty:  # re-time every unsettled cell from the cells burning now
            self._label[tent[label > t0]] = np.inf
            self._tentative = np.empty(0, dtype=np.intp)
            self._dirty = False
            sources = self._burning_idx
        else:
            reached = tent[(label > t0) & (label <= t1)]
            self._tentative = np.unique(tent[(label > t1) & np.isfinite(label)])
            sources = np.concatenate([reached, *self._pending])
        self._pending = []
        return np.unique(sources)

    def _settle(self, cells: np.ndarray) -> None:
        new = cells[~self._burning[cells]]
        self._arrival[new] = self._label[new]
        self._burning[new] = True
        self._burning_idx = np.concatenate([self._burning_idx, new])

    def _burn_out(self, t1: float) -> None:
        """Burning cells burn out after their residence time once no neighbour awaits the front."""
        b = self._burning_idx
        label = self._label[b[:, None] + self._off]
        awaited = ((label > t1) & np.isfinite(label)).any(axis=1)
        done = (t1 >= self._arrival[b] + self._residence_s[self._lu[b]]) & ~awaited
        self._burning[b[done]] = False
        self._burnt[b[done]] = True
        self._n_burnt += int(done.sum())
        self._burning_idx = b[~done]

    def _dry_out(self, t0: float) -> None:
        """Re-time the front when wetted cells have dried and can burn again."""
        dry = self._wet_until[self._wet_idx] <= t0
        if dry.any():
            self._dirty = True
            self._wet_idx = self._wet_idx[~dry]

    # -------------------------------------------------------------- public API
    def ignite(self, cells: np.ndarray) -> None:
        """Set cells (k, 2) of (row, col) on fire at the current model time.

        Non-burnable, firebreak, wetted, burning or burnt cells are left as they
        are.  Raises ValueError if ``cells`` is not (k, 2) integers inside the grid.
        """
        flat = self._flat_indices(cells)
        ok = (
            self._burnable[flat]
            & ~self._burning[flat]
            & ~self._burnt[flat]
            & (self._wet_until[flat] <= self.time_s)
        )
        flat = np.unique(flat[ok])
        self._label[flat] = self.time_s
        self._settle(flat)
        self._pending.append(flat)

    def run_one_step(self, dt_s: float, wind_speed_m_per_s: float, wind_from_deg: float) -> None:
        """Advance the fire from ``time_s`` to ``time_s + dt_s`` under one weather.

        ``wind_speed_m_per_s`` is the 10-m wind (>= 0), ``wind_from_deg`` where it
        blows from (clockwise from north).  Every cell the front reaches by the end
        of the step ignites at its arrival time; later arrivals stay tentative and
        are re-timed if the weather differs next step.  Raises ValueError for a
        negative or non-finite step or wind.
        """
        values = (dt_s, wind_speed_m_per_s, wind_from_deg)
        if not all(np.isfinite(values)) or dt_s < 0 or wind_speed_m_per_s < 0:
            raise ValueError("need finite dt_s >= 0, wind speed >= 0 and wind direction")
        t0, t1 = self.time_s, self.time_s + float(dt_s)
        self._set_weather(float(wind_speed_m_per_s), float(wind_from_deg))
        self._dry_out(t0)
        sources = self._initial_sources(t0, t1)
        self._settle(self._propagate(sources, t0, t1))
        self._burn_out(t1)
        self.time_s = t1

    def suppress(self, mask: np.ndarray, water_l_per_min: float, dt_s: float) -> float:
        """Apply ``water_l_per_min`` for ``dt_s`` to burning cells in ``mask``; return m2 put out.

        Water goes to the most recently ignited burning cells first (the active
        edge).  A cell is out once it has received its critical application rate
        times the knock-down time (5 L/min/m2 of vegetation, 13.6 L/min/m2 of
        building floor, for 1 min); part-wetted cells keep their water for the next
        call.  Extinguished cells are wet for ``REWET_DURATION_S`` and cannot
        re-ignite meanwhile.  Does not advance time.  Raises ValueError for a mask
        of the wrong shape or negative water or duration.
        """
        mask = self._check_mask(mask)
        if not (water_l_per_min >= 0 and dt_s >= 0):
            raise ValueError("water flow and duration must be >= 0")
        b = self._burning_idx
        rows, cols = np.divmod(b, self._w)
        target = b[mask[rows - _PAD, cols - _PAD]]
        target = target[np.lexsort((target, -self._arrival[target]))]
        need = np.cumsum(self._water_need_l[self._lu[target]] - self._water_applied_l[target])
        budget = water_l_per_min * dt_s / SECONDS_PER_MIN
        n_out = int(np.searchsorted(need, budget, side="right"))
        if n_out < target.size:
            self._water_applied_l[target[n_out]] += budget - (need[n_out - 1] if n_out else 0.0)
        self._extinguish(target[:n_out])
        return n_out * self.cell_area_m2

    def _extinguish(self, cells: np.ndarray) -> None:
        if not cells.size:
            return
        self._burning[cells] = False
        self._arrival[cells] = np.inf
        self._label[cells] = np.inf
        self._water_applied_l[cells] = 0.0
        self._wet_until[cells] = self.time_s + REWET_DURATION_S
        self._wet_idx = np.concatenate([self._wet_idx, cells])
        self._burning_idx = self._burning_idx[self._burning[self._burning_idx]]
        self._dirty = True

    def cut_firebreak(self, mask: np.ndarray) -> None:
        """Make unburnt cells in ``mask`` non-burnable for good (burning cells cannot be cut).

        Raises ValueError for a mask of the wrong shape.
        """
        mask = self._check_mask(mask)
        rows, cols = np.nonzero(mask)
        flat = (rows + _PAD) * self._w + cols + _PAD
        flat = flat[~self._burning[flat] & ~self._burnt[flat]]
        self._burnable[flat] = False
        self._label[flat] = np.inf
        self._dirty = True

    def burning_area_m2(self) -> float:
        """Area of the cells on fire now (m2)."""
        return self._burning_idx.size * self.cell_area_m2

    def burnt_area_m2(self) -> float:
        """Area of the burnt-out cells (m2)."""
        return self._n_burnt * self.cell_area_m2

    # ------------------------------------------------------------------ helpers
    def _flat_indices(self, cells: np.ndarray) -> np.ndarray:
        rc = np.asarray(cells)
        if rc.ndim != 2 or rc.shape[1] != 2 or not np.issubdtype(rc.dtype, np.integer):
            raise ValueError("cells must be a (k, 2) integer array of (row, col)")
        r, c = rc[:, 0], rc[:, 1]
        if np.any((r < 0) | (r >= self._ny) | (c < 0) | (c >= self._nx)):
            raise ValueError("cells outside the grid")
        return ((r + _PAD) * self._w + c + _PAD).astype(np.intp)

    def _check_mask(self, mask: np.ndarray) -> np.ndarray:
        m = np.asarray(mask, dtype=bool)
        if m.shape != (self._ny, self._nx):
            raise ValueError(f"mask shape {m.shape} != grid shape {(self._ny, self._nx)}")
        return m


def _validate_grid(lu: np.ndarray, elev: np.ndarray, cell_m: float) -> None:
    if lu.ndim != 2 or min(lu.shape) < 3:
        raise ValueError("land_use must be a 2-D grid of at least 3 x 3 cells")
    if elev.shape != lu.shape:
        raise ValueError(f"elevation shape {elev.shape} != land-use shape {lu.shape}")
    if not np.issubdtype(lu.dtype, np.integer) or lu.min() < 0 or lu.max() >= LAND_USE_COUNT:
        raise ValueError(f"land_use must hold integer codes 0..{LAND_USE_COUNT - 1}")
    if not np.all(np.isfinite(elev)):
        raise ValueError("elevation must be finite")
    if not (np.isfinite(cell_m) and cell_m > 0):
        raise ValueError("cell_m must be > 0")


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view
