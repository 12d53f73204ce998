"""Flood hazard: LISFLOOD-FP local-inertial shallow-water kernel and flood harm.

The flood model moves water over the map grid with the local inertial
formulation of Bates, Horritt & Fewtrell (2010, J. Hydrol. 387: 33-45), the
scheme of LISFLOOD-FP: discharges per unit width live on cell faces, depths at
cell centres, and the two are updated explicitly with a CFL-limited time step.
Rain, river inflow, open map edges and levee works (sandbags, breaches) act on
the same arrays. Two harm helpers turn depth and speed into the Defra /
Environment Agency flood hazard rating and into injury and death rates for the
population model.

Around a levee breach the full shallow-water equations are solved instead, by
the shock-capturing finite volumes of ``sim.hazards.flood_fv`` (the local-inertial
scheme runs a dam-break wave at about half its speed). Each substep runs either
through numpy (the reference, kept for the tests) or through the same
arithmetic compiled by numba (``sim.hazards.flood_kernel``, the default).

Grid conventions: arrays have shape (ny, nx); row i grows southward, column j
eastward; cells are squares of side ``cell_m``. Face discharge ``q`` is positive
eastward on x faces and southward on y faces. No clock, no random state, no I/O.
"""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np

from sim.hazards.flood_fv import ShockZone
from sim.landuse import LAND_USE_COUNT, LandUse

# Standard gravity (m/s^2), CGPM 1901 conventional value.
GRAVITY_M_PER_S2 = 9.80665
# Faces whose flow depth is below this carry no flux: the default depth
# threshold of LISFLOOD-FP (0.001 m, LISFLOOD-FP user manual).
FLOW_DEPTH_MIN_M = 1e-3
# Courant number alpha of dt = alpha*dx/sqrt(g*h_max); Bates et al. (2010)
# recommend 0.2-0.7, de Almeida et al. (2012, Water Resour. Res. 48) use 0.7.
ALPHA_DEFAULT = 0.7
# Weight theta of the q-centred local-inertial scheme of de Almeida, Bates, Freer
# & Souvignet (2012, Water Resour. Res. 48, W05528): q* = theta q + (1 - theta)/2
# (q_up + q_down). theta < 1 adds the diffusion that removes the grid-scale
# (checkerboard) oscillation of the Bates et al. (2010) scheme on smooth
# surfaces; they recommend theta = 0.7. (LISFLOOD-FP's own default, in its solver
# defaults, is theta = 1: the weighting switched off, which would not cure it.)
THETA_DEFAULT = 0.7
# Exponent of h_flow in the Manning friction term (Bates et al. 2010).
FRICTION_DEPTH_EXPONENT = 7.0 / 3.0
# Outflow limiter keeps this relative sliver in a draining cell so round-off can
# never take a depth below zero (see FloodModel._limit_outflow).
OUTFLOW_LIMIT_MARGIN = 1e-12
MM_PER_H_TO_M_PER_S = 1.0 / (1000.0 * 3600.0)

# Road vehicles stop above this standing-water depth: the depth-disruption
# function of Pregnolato et al. (2017, Transp. Res. D 55: 67-81) brings vehicle
# speed to ~0 at 300 mm, the depth they take as impassable.
ROAD_IMPASSABLE_DEPTH_M = 0.3

# Manning's n (s/m^(1/3)) by land use: "normal" values of Chow (1959, Open-Channel
# Hydraulics, Table 5-6); see Arcement & Schneider (1989, USGS WSP 2339) for
# choosing flood-plain n from such base values.
MANNING_N_BY_LAND_USE: dict[LandUse, float] = {
    LandUse.WATER: 0.030,  # Chow: natural main channel, clean, straight, full stage
    LandUse.GRASSLAND: 0.035,  # Chow: flood plain, pasture, no brush, high grass
    LandUse.FARMLAND: 0.040,  # Chow: flood plain, cultivated, mature field crops
    LandUse.SHRUB: 0.060,  # Chow: flood plain, light brush and trees, in summer
    LandUse.FOREST: 0.100,  # Chow: heavy stand of timber, flood stage below branches
    # Buildings are not in the bed, so built blocks act as roughness; 2-D flood
    # model practice (e.g. TUFLOW studies) uses n ~ 0.10 for urban residential
    # and light-industrial lots.
    LandUse.RESIDENTIAL: 0.100,
    LandUse.INDUSTRIAL: 0.100,
    LandUse.PAVED: 0.015,  # Chow: concrete, float finish (roads, squares)
    LandUse.BARE: 0.030,  # Chow: flood plain, cultivated area, no crop (bare soil)
}

# Flood hazard rating HR = d*(v + 0.5) + DF: Defra/EA FD2320/TR2 (2005) and
# FD2321/TR1-TR2 (2006), "Flood Risks to People" (HR Wallingford et al.).
HR_VELOCITY_OFFSET_M_PER_S = 0.5
# Debris factor, FD2321/TR1 Table 3.1 (depth bands d<=0.25, 0.25-0.75,
# d>0.75 m or v>2 m/s) by dominant land use: pasture/arable, woodland, urban.
DEBRIS_DEPTH_LOW_M = 0.25
DEBRIS_DEPTH_HIGH_M = 0.75
DEBRIS_SPEED_HIGH_M_PER_S = 2.0
DEBRIS_FACTOR_TABLE = {  # (0.25-0.75 m band, deep-or-fast band)
    "pasture_arable": (0.0, 0.5),
    "woodland": (0.5, 1.0),
    "urban": (1.0, 1.0),
}
DEBRIS_CLASS_BY_LAND_USE: dict[LandUse, str] = {
    LandUse.WATER: "pasture_arable",
    LandUse.GRASSLAND: "pasture_arable",
    LandUse.FARMLAND: "pasture_arable",
    LandUse.BARE: "pasture_arable",
    LandUse.SHRUB: "woodland",
    LandUse.FOREST: "woodland",
    LandUse.RESIDENTIAL: "urban",
    LandUse.INDUSTRIAL: "urban",
    LandUse.PAVED: "urban",
}
# Default (no land use given): the conservative planning values of FD2320/TR2
# Table 13.1 as clarified by the EA/HR Wallingford supplementary note (2008):
# DF = 0.5 for wet cells up to 0.25 m, 1.0 deeper.
DEBRIS_FACTOR_SHALLOW_DEFAULT = 0.5
DEBRIS_FACTOR_DEEP_DEFAULT = 1.0

# Hazard classes (FD2320/TR2 Table 13.1, FD2321/TR1): HR < 0.75 "low - caution",
# 0.75-1.25 "danger for some", 1.25-2.0 "danger for most", > 2.0 "danger for all".
HAZARD_CLASS_BOUNDS = (0.75, 1.25, 2.0)
HR_DANGER_THRESHOLD = HAZARD_CLASS_BOUNDS[0]
# FD2321 Risk-to-People: fatalities = injuries * 2*HR/100.
FATAL_SHARE_PER_UNIT_HR = 2.0 / 100.0
# Engineering assumption (a calibration parameter, not a published constant):
# share of exposed people harmed in an event, per unit HR. FD2321 makes the
# harmed share grow with HR, scaled by area- and people-vulnerability scores;
# 0.06 reads it as HR*AV/100 at a mid-range area vulnerability AV = 6 (scale
# 3-9) and people vulnerability 1. Check against FD2321/TR1 when calibrating.
HARM_SHARE_PER_UNIT_HR = 0.06
# Engineering assumption: the FD2321 per-event share is what one reference
# duration of exposure to the hazard does; used to turn it into a rate.
EXPOSURE_REFERENCE_H = 1.0


def manning_n_for_land_use(land_use: np.ndarray) -> np.ndarray:
    """Manning's n (s/m^(1/3)) for every cell of a land-use grid.

    Args:
        land_use: integer array of ``LandUse`` codes, any shape.

    Returns:
        float64 array of the same shape (values in ``MANNING_N_BY_LAND_USE``).

    Raises:
        ValueError: if a code is not a ``LandUse`` value.
    """
    return _lookup_by_land_use(land_use, MANNING_N_BY_LAND_USE)


def debris_factor_for_land_use(
    depth_m: np.ndarray, speed_m_per_s: np.ndarray, land_use: np.ndarray
) -> np.ndarray:
    """Debris factor DF of FD2321/TR1 Table 3.1 by depth band and land use.

    Dry cells get 0. Land use maps to the table's columns through
    ``DEBRIS_CLASS_BY_LAND_USE`` (open land -> pasture/arable, shrub and forest
    -> woodland, built and paved -> urban).

    Raises:
        ValueError: on an unknown land-use code or mismatched shapes.
    """
    d = np.asarray(depth_m, dtype=np.float64)
    v = np.asarray(speed_m_per_s, dtype=np.float64)
    if d.shape != v.shape or d.shape != np.shape(land_use):
        raise ValueError("depth_m, speed_m_per_s and land_use must have the same shape")
    mid = {lu: DEBRIS_FACTOR_TABLE[c][0] for lu, c in DEBRIS_CLASS_BY_LAND_USE.items()}
    high = {lu: DEBRIS_FACTOR_TABLE[c][1] for lu, c in DEBRIS_CLASS_BY_LAND_USE.items()}
    deep_or_fast = (d > DEBRIS_DEPTH_HIGH_M) | ((v > DEBRIS_SPEED_HIGH_M_PER_S) & (d > 0.0))
    df = np.where(d > DEBRIS_DEPTH_LOW_M, _lookup_by_land_use(land_use, mid), 0.0)
    return np.where(deep_or_fast, _lookup_by_land_use(land_use, high), df)


def flood_hazard_rating(
    depth_m: np.ndarray,
    speed_m_per_s: np.ndarray,
    debris_factor: np.ndarray | float | None = None,
) -> np.ndarray:
    """Flood hazard rating HR = d*(v + 0.5) + DF (Defra/EA FD2320/TR2, FD2321).

    Args:
        depth_m: water depth d (m), >= 0.
        speed_m_per_s: depth-averaged speed v (m/s), >= 0, same shape.
        debris_factor: DF per cell (array or scalar), e.g. from
            ``debris_factor_for_land_use``. ``None`` uses the conservative
            FD2320/TR2 Table 13.1 values: 0.5 for 0 < d <= 0.25 m, 1.0 deeper.
            Dry cells (d = 0) always get HR = 0.

    Returns:
        HR (dimensionless), float64 array of the input shape.

    Raises:
        ValueError: on mismatched shapes or negative depth/speed.
    """
    d = np.asarray(depth_m, dtype=np.float64)
    v = np.asarray(speed_m_per_s, dtype=np.float64)
    if d.shape != v.shape:
        raise ValueError("depth_m and speed_m_per_s must have the same shape")
    if np.any(d < 0.0) or np.any(v < 0.0):
        raise ValueError("depth and speed must be non-negative")
    if debris_factor is None:
        df = np.where(
            d > DEBRIS_DEPTH_LOW_M, DEBRIS_FACTOR_DEEP_DEFAULT, DEBRIS_FACTOR_SHALLOW_DEFAULT
        )
    else:
        df = np.broadcast_to(np.asarray(debris_factor, dtype=np.float64), d.shape)
    hr = d * (v + HR_VELOCITY_OFFSET_M_PER_S) + df  # HR = d (v + 0.5) + DF
    return np.where(d > 0.0, hr, 0.0)


def flood_harm_rates_per_h(hazard_rating: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Injury and death rates (fraction of exposed people per hour) from HR.

    Derivation (FD2321 Risk-to-People method, turned into rates):

    1. Below HR 0.75 (class "low - caution") nobody is harmed; both rates are 0,
       so dry cells (HR = 0) are harmless.
    2. From HR 0.75 up, the share of exposed people harmed in a flood event is
       ``P = HARM_SHARE_PER_UNIT_HR * HR`` (FD2321 makes harm proportional to
       HR; the coefficient is an engineering assumption, see the constant).
    3. FD2321: fatalities = harmed * 2*HR/100, so the fatal share of the harmed
       is ``min(1, 0.02*HR)``; the rest are (non-fatal) injuries.
    4. Engineering assumption: an event's share P is what
       ``EXPOSURE_REFERENCE_H`` (1 h) of exposure does, read as a constant
       hazard rate ``lambda = P / 1 h``. Over t hours a cohort loses
       ``1 - exp(-lambda t)``, which equals P to first order at t = 1 h and
       never exceeds 1 for long or severe exposure.

    The two returned rates are for disjoint outcomes (competing exits from
    "exposed"): ``injury + death = HARM_SHARE_PER_UNIT_HR * HR / 1 h``.
    Injury rate rises with HR up to HR = 25 (far beyond real floods), after
    which deaths take the larger share; the death rate rises monotonically.

    Args:
        hazard_rating: HR array (dimensionless, >= 0).

    Returns:
        (injury_fraction_per_h, death_fraction_per_h), float64 arrays.

    Raises:
        ValueError: on negative HR.
    """
    hr = np.asarray(hazard_rating, dtype=np.float64)
    if np.any(hr < 0.0):
        raise ValueError("hazard_rating must be non-negative")
    dangerous = hr >= HR_DANGER_THRESHOLD
    harm_per_h = np.where(dangerous, HARM_SHARE_PER_UNIT_HR * hr, 0.0) / EXPOSURE_REFERENCE_H
    fatal_share = np.minimum(1.0, FATAL_SHARE_PER_UNIT_HR * hr)  # fatalities/harmed = 2 HR/100
    death_per_h = harm_per_h * fatal_share
    return harm_per_h - death_per_h, death_per_h


def _lookup_by_land_use(land_use: np.ndarray, table: dict[LandUse, float]) -> np.ndarray:
    codes = np.asarray(land_use)
    if codes.size and (
        not np.issubdtype(codes.dtype, np.integer)
        or codes.min() < 0
        or codes.max() >= LAND_USE_COUNT
    ):
        raise ValueError(f"land-use codes must be integers in 0..{LAND_USE_COUNT - 1}")
    values = np.array([table[LandUse(k)] for k in range(LAND_USE_COUNT)], dtype=np.float64)
    return values[codes]


class FloodModel:
    """LISFLOOD-FP local-inertial flood model on a square grid.

    Scheme (Bates, Horritt & Fewtrell 2010): for every face between cells
    i (west/north) and j (east/south), per unit width,

        h_flow = max(eta_i, eta_j) - max(z_i, z_j)                   (eta = z + h)
        q*     = theta q + (1 - theta)/2 (q_up + q_down)    (de Almeida et al. 2012)
        q_new  = (q* - g h_flow dt (eta_j - eta_i)/dx)
                 / (1 + g dt n^2 |q| / h_flow^(7/3))

    with q_up, q_down the old discharges of the faces before and after along the
    same axis (where q_new would run against the surface slope, q* = q, the
    Bates et al. 2010 flux, as in LISFLOOD-FP);
    faces with h_flow <= ``FLOW_DEPTH_MIN_M`` carry no flux; then depths follow
    continuity h += dt (sum q_in - sum q_out)/dx plus rain and inflow. The
    substep is dt = alpha dx / sqrt(g h_max), shortened so sources
    cannot outrun it; substeps are hidden inside ``run_one_step``.

    Mass: water is never created or destroyed. Where a cell's outgoing face
    fluxes would drain more than it holds in a substep, all of its outgoing
    fluxes are scaled down together (depths are never clipped), so depths stay
    >= 0 and every cubic metre is booked in ``inflow_total_m3``,
    ``rain_total_m3`` or ``outflow_total_m3``.

    Layout: face arrays are flat so every numpy pass runs over contiguous
    memory. x face k joins flat cells k and k+1; the faces that would join the
    end of one row to the start of the next are kept permanently dry (their
    bed is +inf). y face k joins flat cells k and k+nx.

    Attributes:
        depth_m: (ny, nx) water depth (m), updated in place. Writing it directly
            bypasses the mass-balance counters.
        speed_m_per_s: (ny, nx) read-only cell-centred speed (m/s): magnitude of
            (mean of the two x-face velocities, mean of the two y-face
            velocities), face velocity q/h_flow; refreshed by ``run_one_step``.
        bed_elevation_m: (ny, nx) read-only bed (m), including levees and
            sandbags; change it with ``raise_bed`` / ``set_bed``.
        inflow_total_m3, rain_total_m3, outflow_total_m3: cumulative volumes.
        substeps_taken: cumulative number of numerical substeps.
    """

    def __init__(
        self,
        bed_elevation_m: np.ndarray,
        cell_m: float,
        manning_n: np.ndarray | float,
        *,
        initial_depth_m: np.ndarray | None = None,
        open_boundary: bool = True,
        alpha: float = ALPHA_DEFAULT,
        theta: float = THETA_DEFAULT,
        kernel: str = "compiled",
    ) -> None:
        """Set up the grids and allocate every work array once.

        Args:
            bed_elevation_m: (ny, nx) bed elevation (m), ny, nx >= 2, finite.
            cell_m: cell side (m), > 0.
            manning_n: Manning's n (s/m^(1/3)), scalar or (ny, nx), > 0; see
                ``manning_n_for_land_use``. Face n is the mean of its two cells.
            initial_depth_m: (ny, nx) initial depth (m), >= 0; default dry.
            open_boundary: True lets water leave freely over the map edges
                (counted in ``outflow_total_m3``); False makes edges walls.
            alpha: Courant number of the adaptive step, 0 < alpha <= 1.
            theta: q-centring weight of de Almeida et al. (2012), 0 < theta <= 1
                (1 is the plain Bates et al. 2010 scheme).
            kernel: "compiled" (numba, ``sim.hazards.flood_kernel``) or "numpy"
                (the reference the compiled kernel is tested against). A drill
                always uses the default, so its replays take the same path.

        Raises:
            ValueError: on bad shapes or non-physical values.
        """
        z = _checked_grid(bed_elevation_m, "bed_elevation_m")
        ny, nx = z.shape
        if ny < 2 or nx < 2:
            raise ValueError("the grid needs at least 2 rows and 2 columns")
        if not (np.isfinite(cell_m) and cell_m > 0.0):
            raise ValueError("cell_m must be a positive number")
        if not (0.0 < alpha <= 1.0):
            raise ValueError("alpha must be in (0, 1]")
        if not (0.0 < theta <= 1.0):
            raise ValueError("theta must be in (0, 1]")
        n = np.broadcast_to(np.asarray(manning_n, dtype=np.float64), z.shape).ravel()
        if not np.all(np.isfinite(n) & (n > 0.0)):
            raise ValueError("manning_n must be positive and finite")
        h = np.zeros_like(z) if initial_depth_m is None else _checked_grid(initial_depth_m, "")
        if h.shape != z.shape or np.any(h < 0.0):
            raise ValueError("initial_depth_m must be a non-negative (ny, nx) array")

        self.cell_m = float(cell_m)
        self.alpha = float(alpha)
        self.theta = float(theta)
        self.open_boundary = bool(open_boundary)
        self._nx = nx
        self._z = z.copy()
        self.depth_m = h.copy()
        self.bed_elevation_m = _read_only_view(self._z)
        self._speed = np.zeros_like(z)
        self._speed_view = _read_only_view(self._speed)
        self._speed_stale = False  # the faces moved since the speed was last worked out
        self.inflow_total_m3 = 0.0
        self.rain_total_m3 = 0.0
        self.outflow_total_m3 = 0.0
        self.substeps_taken = 0

        # g n^2 on faces (face n = mean of its two cells) and on edge cells.
        self._g_n2_x = GRAVITY_M_PER_S2 * (0.5 * (n[:-1] + n[1:])) ** 2
        self._g_n2_y = GRAVITY_M_PER_S2 * (0.5 * (n[:-nx] + n[nx:])) ** 2
        self._g_n2_cell = GRAVITY_M_PER_S2 * n.reshape(ny, nx) ** 2
        n_x, n_y = ny * nx - 1, (ny - 1) * nx
        self._fx = _FaceSet(n_x, 1)
        self._fy = _FaceSet(n_y, nx)
        # Outward discharge per unit width (m^2/s, >= 0) on the four map edges.
        # One row per edge (west, east, north, south), padded to the longer side.
        self._edges = np.zeros((4, max(ny, nx)))
        self._q_out = {
            name: self._edges[row, : ny if name in ("west", "east") else nx]
            for row, name in enumerate(_EDGES)
        }
        self._eta = np.empty(ny * nx)
        self._cell_buf = np.empty(ny * nx)
        self._rain_m_per_s = np.empty_like(z)
        self._limited = np.empty(ny * nx, dtype=bool)
        self._inflow_flat = np.empty(0, dtype=np.intp)
        self._inflow_m_per_s = 0.0
        self._inflow_m3_per_s = 0.0
        self._shock = ShockZone((ny, nx))
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {', '.join(KERNELS)}")
        self.kernel = kernel
        self._compiled = _CompiledState(ny, nx) if kernel == "compiled" else None
        self._update_face_beds()

    def set_inflow(self, cells: np.ndarray, discharge_m3_per_s: float) -> None:
        """Feed a river discharge into the map, held until changed.

        Args:
            cells: (k, 2) integer array of (row, col); duplicates count once.
                The discharge is shared equally among the distinct cells.
            discharge_m3_per_s: inflow (m^3/s), >= 0; 0 switches it off.

        Raises:
            ValueError: on out-of-grid cells, a bad shape or a negative value.
        """
        q = float(discharge_m3_per_s)
        cells = np.asarray(cells)
        if not (np.isfinite(q) and q >= 0.0):
            raise ValueError("discharge_m3_per_s must be finite and >= 0")
        if cells.ndim != 2 or cells.shape[1] != 2 or not np.issubdtype(cells.dtype, np.integer):
            raise ValueError("cells must be a (k, 2) integer array of (row, col)")
        ny, nx = self._z.shape
        inside = (cells[:, 0] >= 0) & (cells[:, 0] < ny) & (cells[:, 1] >= 0) & (cells[:, 1] < nx)
        if not np.all(inside):
            raise ValueError("inflow cells must lie inside the grid")
        if q > 0.0 and len(cells) == 0:
            raise ValueError("a positive inflow needs at least one cell")
        flat = np.unique(np.ravel_multi_index((cells[:, 0], cells[:, 1]), (ny, nx)))
        self._inflow_flat = flat
        self._inflow_m3_per_s = q if len(flat) else 0.0
        # depth rate in each inflow cell: Q / (k dx^2)
        self._inflow_m_per_s = self._inflow_m3_per_s / (max(len(flat), 1) * self.cell_m**2)

    def run_one_step(self, dt_s: float, rain_mm_per_h: float | np.ndarray = 0.0) -> None:
        """Advance the flood by ``dt_s`` seconds in stable substeps.

        Args:
            dt_s: time to advance (s), >= 0.
            rain_mm_per_h: rain intensity (mm/h), scalar or (ny, nx), >= 0,
                held constant over the step.

        Raises:
            ValueError: on a negative/non-finite step or bad rain.
        """
        if not (np.isfinite(dt_s) and dt_s >= 0.0):
            raise ValueError("dt_s must be finite and >= 0")
        rain_m_per_s, rain_max_m_per_s = self._rain_rate(rain_mm_per_h)
        source_max_m_per_s = rain_max_m_per_s + self._inflow_m_per_s
        remaining_s = float(dt_s)
        h_max = float(self.depth_m.max())
        compiled = self._compiled
        if compiled is not None:
            compiled.cover(self.depth_m, self._inflow_flat, rain_max_m_per_s > 0.0)
            np.add(self._z.ravel(), self.depth_m.ravel(), out=self._eta)  # kept up by the kernel
            if remaining_s > 0.0:
                self._substeps_compiled(remaining_s, h_max, source_max_m_per_s, rain_m_per_s)
        else:
            while remaining_s > 0.0:
                dt = self._stable_dt(remaining_s, source_max_m_per_s, h_max)
                h_max = self._substep(dt, rain_m_per_s)
                remaining_s -= dt
                if remaining_s <= 1e-9 * dt_s:  # float residue of the step split
                    remaining_s = 0.0
        self._speed_stale = dt_s > 0.0 or self._speed_stale

    @property
    def speed_m_per_s(self) -> np.ndarray:
        """(ny, nx) read-only cell speed (m/s) after the last step (see the class doc).

        Worked out when first read after a step, not at every step: a drill reads
        it only when it weighs harm, and it costs as much as a few substeps.
        """
        self._settle_speed()
        return self._speed_view

    def _settle_speed(self) -> None:
        if self._speed_stale:
            self._update_speed()
            self._speed_stale = False

    def speed_at(self, cells: np.ndarray) -> np.ndarray:
        """``speed_m_per_s.ravel()[cells]`` for flat cell indices ``cells``, the same to the
        bit, worked out at those cells only when the last step moved the water (a drill
        weighs harm where people are, a small part of the map; the hypot of every cell
        is most of what the whole grid costs)."""
        cells = np.asarray(cells, dtype=np.intp)
        if not self._speed_stale:
            return self._speed.ravel()[cells]
        h, nx = self.depth_m.ravel(), self._nx
        # As _update_speed: the half face velocity q/h_flow/2 of each face of the cell, the
        # cell's own face (towards +x, +y) plus the one before it; none past the map's ends.
        ux, uy = (
            self._cell_velocity(f, cells, step) for f, step in ((self._fx, 1), (self._fy, nx))
        )
        if self.open_boundary:
            ny = h.size // nx
            rows, cols = np.divmod(cells, nx)
            on_edge = {"west": cols == 0, "east": cols == nx - 1}
            on_edge |= {"north": rows == 0, "south": rows == ny - 1}
            for name, where in on_edge.items():
                axis, outward_sign = _EDGE_DIRECTION[name]
                along = rows[where] if axis == "x" else cols[where]
                u_edge = self._q_out[name][along] / np.maximum(h[cells[where]], FLOW_DEPTH_MIN_M)
                (ux if axis == "x" else uy)[where] += 0.5 * outward_sign * u_edge
        flowing = h[cells] > FLOW_DEPTH_MIN_M
        speed = np.zeros(cells.size)
        np.hypot(ux, uy, out=speed, where=flowing)
        if self._shock.active:
            idx = self._shock.cell_index  # sorted
            pos = np.minimum(np.searchsorted(idx, cells), idx.size - 1)
            inside = idx[pos] == cells
            if inside.any():  # (the zone's speeds are worked out only if one is asked for)
                speed[inside] = self._shock.speed(h)[pos[inside]]
        return speed

    @staticmethod
    def _cell_velocity(f: _FaceSet, cells: np.ndarray, step: int) -> np.ndarray:
        """Sum of the half velocities of the two faces of ``cells`` along one axis (``step``
        apart in the flat grid): the cell's own face, then the one before it."""
        last = f.q.size - 1
        own = np.minimum(cells, last)
        before = np.maximum(cells - step, 0)
        u = np.where(cells <= last, (f.q[own] / f.hf[own]) * 0.5, 0.0)
        u += np.where(cells >= step, (f.q[before] / f.hf[before]) * 0.5, 0.0)
        return u

    def use_shock_capturing(self, mask: np.ndarray) -> None:
        """Solve the full shallow-water equations in the cells of ``mask`` from now on.

        Those cells (but for a two-cell border) join the finite-volume zone of
        ``sim.hazards.flood_fv`` (HLL fluxes, hydrostatic reconstruction), which
        carries a dam-break or breach wave at its true speed; everywhere else
        the local-inertial scheme goes on. Cells never leave the zone. Water
        volume is unchanged; the cells' momentum starts from their faces' flow.

        Raises:
            ValueError: on a bad mask.
        """
        mask = self._checked_mask(mask)
        self._settle_speed()  # the last step's speed, before the zone changes how it is read
        self._shock.add(mask, self._fx.q, self._fy.q, self.depth_m.ravel())

    @property
    def shock_capturing_mask(self) -> np.ndarray:
        """(ny, nx) read-only mask of the cells solved by finite volumes."""
        return _read_only_view(self._shock.cells.reshape(self._z.shape))

    def raise_bed(self, mask: np.ndarray, by_m: float) -> None:
        """Raise the bed under ``mask`` by ``by_m`` metres (sandbags, levee works).

        Water volume is conserved exactly: depths are left unchanged, so water
        standing on the raised cells is lifted with the bed and drains off in
        the following substeps. (Pushing it sideways at once would need a
        redistribution rule; lifting it is simple and mass-exact.)

        Raises:
            ValueError: on a bad mask or a negative/non-finite ``by_m``
                (use ``set_bed`` to lower a crest).
        """
        mask = self._checked_mask(mask)
        if not (np.isfinite(by_m) and by_m >= 0.0):
            raise ValueError("by_m must be finite and >= 0")
        self._z[mask] += by_m
        self._update_face_beds()

    def set_bed(self, mask: np.ndarray, elevation_m: float | np.ndarray) -> None:
        """Set the bed under ``mask`` to ``elevation_m`` (e.g. a levee breach).

        ``elevation_m`` is a scalar, an (ny, nx) array read under the mask, or
        one value per masked cell (row-major order, like ``bed[mask]``).
        Depths are left unchanged, so the water volume is conserved exactly.

        Raises:
            ValueError: on a bad mask, a bad shape or non-finite elevations.
        """
        mask = self._checked_mask(mask)
        elev = np.asarray(elevation_m, dtype=np.float64)
        if elev.shape == self._z.shape:
            elev = elev[mask]
        elif elev.ndim and elev.shape != (int(mask.sum()),):
            raise ValueError("elevation_m must be a scalar, (ny, nx) or one value per masked cell")
        if not np.all(np.isfinite(elev)):
            raise ValueError("elevation_m must be finite")
        self._z[mask] = elev
        self._update_face_beds()

    def volume_m3(self) -> float:
        """Water volume on the map (m^3)."""
        return float(self.depth_m.sum()) * self.cell_m**2

    # -- numerics ---------------------------------------------------------------

    def _stable_dt(self, remaining_s: float, source_max_m_per_s: float, h_max: float) -> float:
        """CFL step dt = alpha dx / sqrt(g h_max) (Bates et al. 2010), h_max the deepest cell.

        Sources can deepen a cell within the step, so the depth they could add
        over the first estimate is included in a second, shorter estimate. In
        the finite-volume zone the step also keeps its own CFL limit. (The
        compiled path does the same in ``flood_kernel._stable_dt``.)
        """
        dt = remaining_s
        if h_max > 0.0:
            dt = min(dt, self.alpha * self.cell_m / math.sqrt(GRAVITY_M_PER_S2 * h_max))
        shock = self._shock
        if shock.active:
            dt = min(dt, shock.stable_dt(self.depth_m.ravel(), self.cell_m))
        if source_max_m_per_s > 0.0:
            h_reach = h_max + source_max_m_per_s * dt
            dt = min(dt, self.alpha * self.cell_m / math.sqrt(GRAVITY_M_PER_S2 * h_reach))
        return float(dt)

    def _substep(self, dt: float, rain_m_per_s: float | np.ndarray) -> float:
        """One numpy substep; returns the deepest cell's depth (m) after it."""
        eta, nx, dx = self._eta, self._nx, self.cell_m
        np.add(self._z.ravel(), self.depth_m.ravel(), out=eta)  # eta = z + h
        self._fill_neighbour_flux()
        shock = self._shock
        if shock.active:  # velocities from the state at the start of the step
            u, v = shock.velocities(self.depth_m.ravel(), self._fx.q, self._fy.q)
        theta = self.theta
        _update_face_discharge(self._fx, eta[:-1], eta[1:], self._g_n2_x, dt, dx, theta)
        _update_face_discharge(self._fy, eta[:-nx], eta[nx:], self._g_n2_y, dt, dx, theta)
        if shock.active:
            x, y = self._shock_fluxes(eta, u, v)
        if self.open_boundary:
            self._update_edge_discharge(dt)
        self._limit_outflow(dt)
        self._apply_continuity(dt, rain_m_per_s)
        if shock.active:
            self._shock_momentum(x, y, dt)
        self.substeps_taken += 1
        return float(self.depth_m.max())

    def _substeps_compiled(
        self, dt_s: float, h_max: float, source_max_m_per_s: float,
        rain_m_per_s: float | np.ndarray,
    ) -> None:  # fmt: skip
        """Every substep of ``dt_s`` through the compiled kernels, in one call of
        ``flood_kernel.run_substeps`` (the numpy path's loop and substep, fused)."""
        k = _kernel()
        h, z, nx = self.depth_m.ravel(), self._z.ravel(), self._nx
        fx, fy, shock, compiled = self._fx, self._fy, self._shock, self._compiled
        n_bands = compiled.bands(_THREADS[0])
        if n_bands > 1 and not _POOL_SEEN:  # which pool numba has, before the first step
            k.start_pool(np.zeros(n_bands))
            _settle_threads()
            n_bands = compiled.bands(_THREADS[0])
        sources = compiled.sources(self._inflow_flat, self._inflow_m_per_s, rain_m_per_s)
        if isinstance(rain_m_per_s, np.ndarray):  # m^3/s over the map (the rain is held)
            rain_m3_per_s = float(rain_m_per_s.sum()) * self.cell_m**2
        else:
            rain_m3_per_s = rain_m_per_s * self.depth_m.size * self.cell_m**2
        faces = (self._eta, (fx.padded, fy.padded), (fx.zmax, fx.hf, self._g_n2_x),
                 (fy.zmax, fy.hf, self._g_n2_y), self._edges, self.open_boundary,
                 compiled.box, nx)  # fmt: skip
        cells = ((h, z, self._eta, self._g_n2_cell.ravel()), (fx.padded, fy.padded), self._edges,
                 self.open_boundary, compiled.box, nx)  # fmt: skip
        zone = (shock.active, (shock.cells, shock.hu, shock.hv), shock.touched, shock.uv,
                (fx.zmax, shock.x_faces, fy.zmax, shock.y_faces), (shock.x_out, shock.y_out),
                (shock.cell_index, shock.x_faces, shock.y_faces, shock.hu, shock.hv),
                shock.scratch, self._g_n2_cell.ravel(), (fx.q, fy.q))  # fmt: skip
        totals = compiled.totals
        totals[:] = (self.inflow_total_m3, self.rain_total_m3, self.outflow_total_m3)
        books = (totals, self._inflow_m3_per_s, rain_m3_per_s)
        self.substeps_taken += k.run_substeps(
            dt_s, h_max, source_max_m_per_s, (self.alpha, self.theta, self.cell_m), faces,
            compiled.face_bufs, cells, sources, compiled.work, zone, n_bands, books,
        )  # fmt: skip
        self.inflow_total_m3, self.rain_total_m3, self.outflow_total_m3 = (float(v) for v in totals)

    def _shock_momentum(
        self, x: tuple[np.ndarray, ...], y: tuple[np.ndarray, ...], dt: float
    ) -> None:
        """Finite-volume momentum after the step, its fluxes limited as their mass flux was."""
        shock = self._shock
        x_kept = _limited_share(self._fx.q[shock.x_faces], x[0])
        y_kept = _limited_share(self._fy.q[shock.y_faces], y[0])
        shock.update_momentum(
            tuple(f * x_kept for f in x[1:]),
            tuple(f * y_kept for f in y[1:]),
            self.depth_m.ravel(),
            self._g_n2_cell.ravel(),
            dt,
            self.cell_m,
        )

    def _shock_fluxes(
        self, eta: np.ndarray, u: np.ndarray, v: np.ndarray
    ) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
        """HLL fluxes on the zone's faces; their mass flux becomes the face q."""
        shock, h = self._shock, self.depth_m.ravel()
        x = shock.face_fluxes(eta, self._fx.zmax, h, u, v, shock.x_faces, 1)
        y = shock.face_fluxes(eta, self._fy.zmax, h, v, u, shock.y_faces, self._nx)
        self._fx.q[shock.x_faces] = x[0]
        self._fy.q[shock.y_faces] = y[0]
        return x, y

    def _fill_neighbour_flux(self) -> None:
        """Old q of the faces before (up) and after (down) each face along its axis.

        Inside the map these are the neighbouring faces of the same row (x) or
        column (y); at the map edge the edge face's own outflow stands in (its
        sign turned to the axis direction), as LISFLOOD-FP reads its boundary
        faces. Beside a wall the face's own q stands in (no centring from that
        side): a wall's q = 0 would brake every flow leaving a cell next to it.
        """
        nx, fx, fy = self._nx, self._fx, self._fy
        fx.up[1:] = fx.q[:-1]
        fx.down[:-1] = fx.q[1:]
        fy.up[nx:] = fy.q[:-nx]
        fy.down[:-nx] = fy.q[nx:]
        if self.open_boundary:
            out = self._q_out
            fx.up[::nx] = -out["west"]  # the west edge face carries q_out westward
            fx.down[nx - 2 :: nx] = out["east"]
            fy.up[:nx] = -out["north"]
            fy.down[-nx:] = out["south"]
        else:
            fx.up[::nx] = fx.q[::nx]
            fx.down[nx - 2 :: nx] = fx.q[nx - 2 :: nx]
            fy.up[:nx] = fy.q[:nx]
            fy.down[-nx:] = fy.q[-nx:]

    def _update_edge_discharge(self, dt: float) -> None:
        """Free outflow over open edges: a ghost cell continues the surface slope.

        The outward water-surface gradient across an edge face equals that of
        the first interior face (zero-gradient slope, i.e. normal-depth-like
        outflow); the face then follows the same local-inertial update with
        h_flow = edge depth. A surface rising towards the edge decelerates the
        outflow; the flux is clipped at zero, so nothing flows in from outside.

        The slope is only continued where the first interior face is wet: across
        dry ground that stands above the water there is no surface to continue,
        so the edge face gets no push (its old flux decays by friction). Using
        the bed of dry ground as if it were water surface drained lakes at rest.
        """
        h, eta, z = self.depth_m, self._eta.reshape(self._z.shape), self._z
        for name, (edge, inner) in _EDGES.items():
            q = self._q_out[name]
            h_edge = h[edge]
            h_inner_face = np.maximum(eta[edge], eta[inner]) - np.maximum(z[edge], z[inner])
            grad_out = (eta[edge] - eta[inner]) / self.cell_m  # outward d(eta)/dn
            grad_out *= h_inner_face > FLOW_DEPTH_MIN_M  # no surface to continue over dry ground
            h_flow = np.maximum(h_edge, FLOW_DEPTH_MIN_M)
            friction = 1.0 + self._g_n2_cell[edge] * dt * q / h_flow**FRICTION_DEPTH_EXPONENT
            q -= GRAVITY_M_PER_S2 * h_flow * dt * grad_out  # q - g h dt d(eta)/dn
            q /= friction
            q *= h_edge > FLOW_DEPTH_MIN_M
            np.maximum(q, 0.0, out=q)

    def _limit_outflow(self, dt: float) -> None:
        """Scale the outgoing fluxes of cells that would drain below zero.

        need = dt/dx * sum(outgoing q) is the depth a cell would lose; where it
        exceeds the depth h held, every outgoing flux of that cell is scaled by
        h/need (each face has one donor, so no face is scaled twice). A margin
        of ``OUTFLOW_LIMIT_MARGIN`` keeps round-off from going below zero.
        """
        h, need, nx = self.depth_m.ravel(), self._cell_buf, self._nx
        np.maximum(self._fx.q, 0.0, out=need[:-1])  # positive flux leaves the west cell
        need[-1] = 0.0
        np.minimum(self._fx.q, 0.0, out=self._fx.tmp)  # negative flux leaves the east cell
        need[1:] -= self._fx.tmp
        np.maximum(self._fy.q, 0.0, out=self._fy.tmp)  # positive flux leaves the north cell
        need[:-nx] += self._fy.tmp
        np.minimum(self._fy.q, 0.0, out=self._fy.tmp)  # negative flux leaves the south cell
        need[nx:] -= self._fy.tmp
        if self.open_boundary:
            need2d = need.reshape(self._z.shape)
            for name, (edge, _) in _EDGES.items():
                need2d[edge] += self._q_out[name]
        need *= dt / self.cell_m * (1.0 + OUTFLOW_LIMIT_MARGIN)
        np.greater(need, h, out=self._limited)
        if not self._limited.any():
            return
        idx = np.flatnonzero(self._limited)
        self._scale_donor_faces(idx, h[idx] / need[idx])

    def _scale_donor_faces(self, idx: np.ndarray, ratio: np.ndarray) -> None:
        ny, nx = self._z.shape
        qx, qy = self._fx.q, self._fy.q
        _scale_where(qx, idx, ratio, idx < qx.size, positive=True)  # east face
        _scale_where(qx, idx - 1, ratio, idx >= 1, positive=False)  # west face
        _scale_where(qy, idx, ratio, idx < qy.size, positive=True)  # south face
        _scale_where(qy, idx - nx, ratio, idx >= nx, positive=False)  # north face
        if self.open_boundary:
            r, c = np.divmod(idx, nx)
            for name, on_edge, along in (
                ("west", c == 0, r),
                ("east", c == nx - 1, r),
                ("north", r == 0, c),
                ("south", r == ny - 1, c),
            ):
                self._q_out[name][along[on_edge]] *= ratio[on_edge]

    def _apply_continuity(self, dt: float, rain_m_per_s: float | np.ndarray) -> None:
        """h += dt/dx (q_in - q_out) + rain dt + inflow dt, with volume books."""
        h, dh, nx, dx = self.depth_m.ravel(), self._cell_buf, self._nx, self.cell_m
        qx, qy = self._fx.q, self._fy.q
        np.negative(qx, out=dh[:-1])  # -q_east
        dh[-1] = 0.0
        dh[1:] += qx  # + q_west
        dh[:-nx] -= qy  # - q_south
        dh[nx:] += qy  # + q_north
        if self.open_boundary:
            dh2d = dh.reshape(self._z.shape)
            for name, (edge, _) in _EDGES.items():
                dh2d[edge] -= self._q_out[name]
        dh *= dt / dx
        h += dh
        if self._inflow_m3_per_s > 0.0:
            h[self._inflow_flat] += self._inflow_m_per_s * dt
            self.inflow_total_m3 += self._inflow_m3_per_s * dt
        if isinstance(rain_m_per_s, np.ndarray):
            np.multiply(rain_m_per_s.ravel(), dt, out=dh)
            h += dh
            self.rain_total_m3 += float(rain_m_per_s.sum()) * dx**2 * dt
        elif rain_m_per_s > 0.0:
            h += rain_m_per_s * dt
            self.rain_total_m3 += rain_m_per_s * h.size * dx**2 * dt
        if self.open_boundary:
            edge_q_sum = sum(float(q.sum()) for q in self._q_out.values())
            self.outflow_total_m3 += edge_q_sum * dx * dt

    def _update_speed(self) -> None:
        """Cell speed |(mean x-face velocity, mean y-face velocity)|, u = q/h_flow.

        h_flow is the clamped flow depth the last substep computed q with (both
        kernels keep it in ``hf``; faces the compiled kernel skipped carry q = 0).
        """
        h, nx = self.depth_m, self._nx
        ux, uy = self._cell_buf, self._speed.ravel()
        for f in (self._fx, self._fy):
            np.divide(f.q, f.hf, out=f.tmp)  # face velocity; q = 0 where h_flow is tiny
            f.tmp *= 0.5
        # Each cell: the sum of its two faces' halves (one face at the ends of the axis).
        tx, ty = self._fx.tmp, self._fy.tmp
        ux[0], ux[-1] = tx[0], tx[-1]
        np.add(tx[1:], tx[:-1], out=ux[1:-1])
        uy[:nx], uy[-nx:] = ty[:nx], ty[-nx:]
        np.add(ty[nx:], ty[:-nx], out=uy[nx:-nx])
        if self.open_boundary:
            u2d = {"x": ux.reshape(h.shape), "y": uy.reshape(h.shape)}
            for name, (edge, _) in _EDGES.items():
                axis, outward_sign = _EDGE_DIRECTION[name]
                u_edge = self._q_out[name] / np.maximum(h[edge], FLOW_DEPTH_MIN_M)
                u2d[axis][edge] += 0.5 * outward_sign * u_edge
        # uy is the storage of speed_m_per_s; |u| only where water flows (hypot is the
        # dear part), 0 elsewhere.
        flowing = h.ravel() > FLOW_DEPTH_MIN_M
        np.hypot(ux, uy, out=uy, where=flowing)
        np.copyto(uy, 0.0, where=~flowing)
        if self._shock.active:
            idx = self._shock.cell_index
            self._speed.ravel()[idx] = self._shock.speed(h.ravel())

    # -- checks and bookkeeping ------------------------------------------------------

    def _rain_rate(self, rain_mm_per_h: float | np.ndarray) -> tuple[float | np.ndarray, float]:
        rain = np.asarray(rain_mm_per_h, dtype=np.float64)
        if not np.all(np.isfinite(rain) & (rain >= 0.0)):
            raise ValueError("rain_mm_per_h must be finite and >= 0")
        if rain.ndim == 0:
            return float(rain) * MM_PER_H_TO_M_PER_S, float(rain) * MM_PER_H_TO_M_PER_S
        if rain.shape != self._z.shape:
            raise ValueError("rain_mm_per_h must be a scalar or an (ny, nx) array")
        np.multiply(rain, MM_PER_H_TO_M_PER_S, out=self._rain_m_per_s)
        return self._rain_m_per_s, float(self._rain_m_per_s.max())

    def _checked_mask(self, mask: np.ndarray) -> np.ndarray:
        mask = np.asarray(mask)
        if mask.shape != self._z.shape or mask.dtype != bool:
            raise ValueError("mask must be a boolean (ny, nx) array")
        return mask

    def _update_face_beds(self) -> None:
        z, nx = self._z.ravel(), self._nx
        np.maximum(z[:-1], z[1:], out=self._fx.zmax)  # max(z_i, z_j)
        self._fx.zmax[nx - 1 :: nx] = np.inf  # row-wrap faces: never wet
        np.maximum(z[:-nx], z[nx:], out=self._fy.zmax)


KERNELS = ("compiled", "numpy")
_COMPILED: list[ModuleType] = []  # [flood_kernel], filled on first use
_THREADS = [1]  # threads one compiled substep runs on: see use_threads()
_POOL_SEEN: list[str] = []  # numba's thread pool, once a threaded substep has started it
THREADED_LAYERS = ("omp", "tbb")  # numba's pools that run a substep faster on two threads


def use_threads(threads: int) -> int:
    """Run each compiled flood substep on up to ``threads`` threads, in bands of rows.

    For one drill on a machine of its own (``python -m sim run``, the
    benchmarks): on two cores a 256^2 substep takes half its time on one.
    Not for drills sharing the cores with other work (a batch's workers, the
    game beside its debrief worker): a thread that waits for a core holds up
    every substep. The result is the same to the bit on any number of
    threads. Threads stay in use only where numba's pool is OpenMP or TBB
    (its fallback pool, workqueue, measured slower than one thread): that is
    known after the first threaded substep. 1 turns it off. Returns the
    number asked for before, to put back.
    """
    before, _THREADS[0] = _THREADS[0], max(1, int(threads))
    if _POOL_SEEN:
        _settle_threads()
    return before


def _settle_threads() -> None:
    """After a threaded substep: keep threads only on a pool that pays, and no more than it has."""
    import numba

    if not _POOL_SEEN:
        _POOL_SEEN.append(numba.threading_layer())
    if _POOL_SEEN[0] not in THREADED_LAYERS:
        _THREADS[0] = 1
    _THREADS[0] = min(_THREADS[0], numba.config.NUMBA_NUM_THREADS)


def _kernel() -> ModuleType:
    """The compiled kernel (``flood_kernel``, which brings the finite-volume zone's with it),
    imported on first use: numba loads with it, so a numpy-only user never pays for it."""
    if not _COMPILED:
        from sim.hazards import flood_kernel

        _COMPILED.append(flood_kernel)
    return _COMPILED[0]


class _CompiledState:
    """Scratch of the compiled kernel and the box it steps: every cell ever wet, plus one.

    The box only grows, so a face outside it has never carried water and its
    discharge is still 0: skipping it changes nothing. Water moves at most one
    cell per CFL-limited substep, so a margin of one cell is enough.
    """

    def __init__(self, ny: int, nx: int) -> None:
        self.shape = (ny, nx)
        self.box = np.array([0, -1, 0, -1], dtype=np.int64)  # r0, r1, c0, c1 (empty)
        self.wet_box = np.zeros(4, dtype=np.int64)
        self.edge_q = np.zeros(ny * nx)  # edge outflow of each rim cell (m^2/s)
        self.ratio = np.ones(ny * nx)
        self.row_limited = np.zeros(ny, dtype=np.bool_)
        self.rain = np.zeros(1)
        self.totals = np.zeros(3)  # inflow, rain, outflow (m^3), carried through a step
        self._scratch_bands(1)

    def bands(self, threads: int) -> int:
        """Bands of rows the kernel may run at once (one per thread), scratch sized for them."""
        if threads > self.face_bufs[0].shape[0]:
            self._scratch_bands(threads)
        return threads

    def _scratch_bands(self, n: int) -> None:
        """Per band: a row of scratch for each pass, column maxima and wet rows."""
        nx = self.shape[1]
        self.face_bufs = (np.zeros((n, nx + 1)), np.zeros((n, 3, nx)), np.zeros((n, nx)),
                          np.zeros((n, nx), dtype=np.float32))  # fmt: skip
        self.col_max = np.zeros((n, nx))
        self.wet_rows = np.zeros((n, 2), dtype=np.int64)
        self.work = (self.ratio, self.edge_q, self.col_max, self.wet_box, self.row_limited,
                     self.wet_rows)  # fmt: skip

    def cover(self, depth_m: np.ndarray, inflow_flat: np.ndarray, raining: bool) -> None:
        """Grow the box over wet cells and inflow cells (everything while it rains)."""
        ny, nx = self.shape
        if raining:
            self._include(0, ny - 1, 0, nx - 1)
            return
        rows = np.flatnonzero((depth_m > 0.0).any(axis=1))
        cols = np.flatnonzero((depth_m > 0.0).any(axis=0))
        if rows.size:
            self._include(rows[0] - 1, rows[-1] + 1, cols[0] - 1, cols[-1] + 1)
        if inflow_flat.size:
            r, c = np.divmod(inflow_flat, nx)
            self._include(r.min() - 1, r.max() + 1, c.min() - 1, c.max() + 1)

    def sources(
        self, inflow_flat: np.ndarray, inflow_m_per_s: float, rain_m_per_s: float | np.ndarray
    ) -> tuple[np.ndarray, float, np.ndarray, bool]:
        """(inflow cells, their depth rate, rain rate(s), rain given per cell?) for the kernel."""
        cells = inflow_flat.astype(np.int64, copy=False)
        if isinstance(rain_m_per_s, np.ndarray):
            return cells, inflow_m_per_s, rain_m_per_s.ravel(), True
        self.rain[0] = rain_m_per_s
        return cells, inflow_m_per_s, self.rain, False

    def _include(self, r0: int, r1: int, c0: int, c1: int) -> None:
        ny, nx = self.shape
        r0, r1, c0, c1 = max(r0, 0), min(r1, ny - 1), max(c0, 0), min(c1, nx - 1)
        box = self.box
        if box[1] < box[0]:  # empty
            box[:] = (r0, r1, c0, c1)
        else:
            box[:] = (min(box[0], r0), max(box[1], r1), min(box[2], c0), max(box[3], c1))


# Edge name -> (edge cells, first interior cells) as 2-D slices.
_EDGES = {
    "west": (np.s_[:, 0], np.s_[:, 1]),
    "east": (np.s_[:, -1], np.s_[:, -2]),
    "north": (np.s_[0, :], np.s_[1, :]),
    "south": (np.s_[-1, :], np.s_[-2, :]),
}
# Edge name -> (velocity component, sign of the outward direction).
_EDGE_DIRECTION = {
    "west": ("x", -1.0),
    "east": ("x", 1.0),
    "north": ("y", -1.0),
    "south": ("y", 1.0),
}


class _FaceSet:
    """Work arrays for one family of faces (x or y), flat, allocated once."""

    __slots__ = ("down", "fric", "grad", "hf", "padded", "q", "tmp", "up", "wet", "zmax")

    def __init__(self, size: int, pad: int) -> None:
        # Discharge per unit width (m^2/s). ``padded`` adds ``pad`` faces that
        # are never wet at each end (the compiled kernel's loops need no bounds
        # tests then); ``q`` is the view of the real faces.
        self.padded = np.zeros(size + 2 * pad)
        self.q = self.padded[pad : pad + size]
        self.zmax = np.empty(size)  # max(z_i, z_j) (m)
        self.hf = np.full(size, FLOW_DEPTH_MIN_M)  # h_flow (m), clamped, of the last substep
        self.tmp = np.zeros(size)
        self.grad = np.empty(size)
        self.fric = np.empty(size)
        self.wet = np.empty(size, dtype=bool)
        self.up = np.zeros(size)  # old q of the previous face along the axis (m^2/s)
        self.down = np.zeros(size)  # old q of the next face along the axis (m^2/s)


def _update_face_discharge(
    f: _FaceSet,
    eta_lo: np.ndarray,
    eta_hi: np.ndarray,
    g_n2: np.ndarray,
    dt: float,
    dx: float,
    theta: float,
) -> None:
    """Local-inertial face update with de Almeida et al. (2012) q-centring, in place on f.q.

    f.up and f.down hold the old discharge of the faces before and after this
    one along the flow axis (filled by ``FloodModel._fill_neighbour_flux``).
    """
    hf = f.hf
    np.maximum(eta_lo, eta_hi, out=hf)
    hf -= f.zmax  # h_flow = max(eta_i, eta_j) - max(z_i, z_j)
    np.greater(hf, FLOW_DEPTH_MIN_M, out=f.wet)
    np.maximum(hf, FLOW_DEPTH_MIN_M, out=hf)
    # h_flow^(-7/3) in float64 on wet faces only (dry faces keep fric = 1): the
    # compiled kernel computes the same power, so the two paths agree to round-off.
    f.tmp.fill(1.0)
    np.power(hf, -FRICTION_DEPTH_EXPONENT, out=f.tmp, where=f.wet)
    np.abs(f.q, out=f.fric)
    f.fric *= g_n2
    f.fric *= f.tmp
    f.fric *= dt
    f.fric += 1.0  # 1 + g n^2 dt |q| / h_flow^(7/3)
    np.subtract(eta_hi, eta_lo, out=f.grad)
    f.grad *= hf
    f.grad *= GRAVITY_M_PER_S2 * dt / dx  # g h_flow dt (eta_j - eta_i)/dx
    # q-centred numerator theta q + (1 - theta)/2 (q_up + q_down) (de Almeida et al. 2012)
    np.add(f.up, f.down, out=f.tmp)
    f.tmp *= 0.5 * (1.0 - theta)
    f.tmp += theta * f.q
    f.tmp -= f.grad
    f.tmp /= f.fric
    # Where the centred flux runs against the surface slope it is dropped for the
    # semi-implicit Bates et al. (2010) flux, as LISFLOOD-FP does (its fp_acc
    # "correction for situations where centred scheme introduces mass errors").
    f.q -= f.grad
    f.q /= f.fric
    np.subtract(eta_lo, eta_hi, out=f.grad)  # eta_i - eta_j: positive pushes q > 0
    f.grad *= f.tmp
    np.copyto(f.q, f.tmp, where=f.grad >= 0.0)
    f.q *= f.wet  # no flux through (nearly) dry faces


def _limited_share(kept: np.ndarray, flux: np.ndarray) -> np.ndarray:
    """Share of each face's mass flux the outflow limiter kept (1 where it was 0)."""
    nonzero = flux != 0.0
    return np.where(nonzero, kept / np.where(nonzero, flux, 1.0), 1.0)


def _scale_where(
    q: np.ndarray, face: np.ndarray, ratio: np.ndarray, exists: np.ndarray, *, positive: bool
) -> None:
    """Multiply q[face] by ratio where the face exists and flows out of the donor."""
    face, ratio = face[exists], ratio[exists]
    vals = q[face]
    leaving = vals > 0.0 if positive else vals < 0.0
    q[face] = np.where(leaving, vals * ratio, vals)


def _checked_grid(values: np.ndarray, name: str) -> np.ndarray:
    grid = np.asarray(values, dtype=np.float64)
    if grid.ndim != 2 or not np.all(np.isfinite(grid)):
        raise ValueError(f"{name or 'grid'} must be a finite 2-D array")
    return grid


def _read_only_view(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view
