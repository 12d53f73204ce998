"""Toxic gas release on the map grid: a leaking tank and its drifting, spreading cloud.

`GasRelease` is the gas hazard's numpy kernel (landlab style: arrays allocated once,
`run_one_step(dt)` advances it). A tank discharges at a constant rate until it is empty
or a hazmat team plugs it (`stop()`); or the whole inventory escapes at once
(`instantaneous=True`). Each step's discharge becomes one Gaussian *slug* (a puff
stretched along the wind over the distance the wind carried it during the step). Every
slug then drifts with the wind of each later step and grows with its travel distance
(Briggs σ, σx = σy), so the cloud follows wind shifts; in a steady wind the chain of
slugs reproduces the steady Gaussian plume. Ground-level concentration at breathing
height (1.5 m) is the sum over slugs; each slug is split into point puffs at most 1.5σ
apart (so their sum is a smooth line) and each puff is evaluated only on its ±4σ window.

Model choices and limits (see also `sim.hazards.dispersion`):

- Dense-gas effects are ignored: chlorine, ~2.5× denser than air, is dispersed as a
  passive (neutral) gas. This is a screening approximation, poorest near the source.
- Discharge: `rate_kg_per_s` is the mass rate into the air, held constant until the
  inventory is gone: Q(t) = Q for t < M0/Q, then 0. Both substances (chlorine,
  ammonia) are stored as liquids under their own vapour pressure; the liquid leaving
  a hole flows at ṁ = C_o·A·√(2ρ·Δp) with Δp the (constant, at constant temperature)
  vapour pressure above ambient (Crowl & Louvar 2011 eq. 4-6; CCPS 1999 §2.1), so the
  rate does not fall as the tank empties, unlike a vessel of compressed gas (ṁ ∝ p ∝ m).
  Each step releases min(Q·Δt, remaining); so the released mass is exactly the integral
  of the rate, and the 60 t, 8 kg/s ammonia leak empties after 7,500 s (125 min).
  The whole discharge is taken as airborne (flashed vapour plus the entrained aerosol);
  no pool forms (screening assumption; CCPS 1999 §2.2 discusses rainout).
- One stability class per step and one urban/rural choice per release (pick it from the
  land use at the source with `is_urban_source`). The transport speed is the 10 m wind,
  clipped below at 1 m/s where Gaussian models break down (US EPA ISC3 sets calms to
  1 m/s). The slugs of a continuous release use the plume (10-min averaged) Briggs
  sigmas of their travel distance, so their chain is the Gaussian plume; the single puff
  of an instantaneous release uses the CCPS (1999) puff sigmas (`puff_sigmas`).
- Urban or rural sigmas: Auer's (1978) land-use rule as US EPA prescribes it (40 CFR 51
  Appendix W, Guideline on Air Quality Models, §7.2.1.1): urban if built land use
  covers at least half of the circle of 3 km radius around the source
  (`is_urban_source`). A plant on its own in farmland is rural.
- Sub-grid smoothing: horizontal σ is floored at half a cell so that a young, narrow
  puff cannot slip between cell centres; this conserves mass but lowers the peak within
  the first cell or two of the source.
- Slugs whose whole window has left the map, or whose peak is below 1 % of the
  substance's AEGL-1, are dropped (peaks only fall with travel; a slug that has left the
  map is not brought back should the wind later reverse).
  At most `max_puffs` slugs live; beyond that the two neighbours closest together (in
  units of their σ) are merged, conserving mass and centre of mass.
"""

from __future__ import annotations

import math

import numpy as np

from sim.hazards.dispersion import (
    STABILITY_CLASSES,
    TWO_PI,
    TWO_PI_POW_1_5,
    add_ground_puffs,
    briggs_sigmas,
    plume_concentration_kg_per_m3,
    puff_concentration_kg_per_m3,
    puff_sigmas,
    solar_altitude_deg,
    stability_class,
    turner_stability_class,
    vertical_factor,
)
from sim.hazards.toxicity import (
    AEGL_DURATIONS_MIN,
    DEFAULT_AIR_CHANGES_PER_H,
    SUBSTANCES,
    Substance,
    ToxicExposure,
    aegl_ppm,
    get_substance,
    indoor_concentration,
    kg_per_m3_to_ppm,
    ppm_to_kg_per_m3,
    probit_fraction,
    toxic_load_increment,
)
from sim.landuse import LandUse

__all__ = [
    "AEGL_DURATIONS_MIN",
    "BREATHING_HEIGHT_M",
    "DEFAULT_AIR_CHANGES_PER_H",
    "STABILITY_CLASSES",
    "SUBSTANCES",
    "GasRelease",
    "Substance",
    "ToxicExposure",
    "aegl_ppm",
    "briggs_sigmas",
    "indoor_concentration",
    "is_urban_source",
    "kg_per_m3_to_ppm",
    "plume_concentration_kg_per_m3",
    "ppm_to_kg_per_m3",
    "probit_fraction",
    "puff_concentration_kg_per_m3",
    "puff_sigmas",
    "solar_altitude_deg",
    "stability_class",
    "toxic_load_increment",
    "turner_stability_class",
]

BREATHING_HEIGHT_M = 1.5  # receptor height for the ground-level field
MIN_WIND_M_PER_S = 1.0  # calm threshold of US EPA ISC3 (1995), Gaussian models invalid below
WINDOW_SIGMAS = 4.0  # evaluate a puff within ±4σ (exp(−8) ≈ 3e-4 of its peak at the edge)
# Sub-puffs along a slug at most 1.5σ apart: ripple 2·exp(−2π²σ²/d²) ≈ 3e-4 (Poisson sum).
SUBPUFF_SPACING_SIGMAS = 1.5
MAX_SUBPUFFS_PER_PUFF = 256
SIGMA_FLOOR_CELLS = 0.5  # horizontal σ ≥ half a cell (sub-grid smoothing)
MIN_TRAVEL_M = 1.0  # sigmas are evaluated at ≥ 1 m of travel (σ(0) = 0)
EMPTY_FRACTION = 1.0e-6  # the tank counts as empty below this fraction of its inventory
CULL_FRACTION_OF_AEGL1 = 0.01  # drop slugs whose peak is below 1 % of the lowest AEGL-1
# Sub-puffs 1.5σ apart overlap: a line of them peaks at ≈ √(2π)/1.5 ≈ 1.7× one of them.
SUBPUFF_CULL_FRACTION = 0.25
REFLECTION_MAX = 2.0  # the ground-reflected vertical factor is at most 2
DEFAULT_MAX_PUFFS = 400
# Auer's (1978) urban types (heavy and light industrial I1/I2, commercial C1, compact
# residential R2/R3) as the map's land uses.
URBAN_LAND_USES = frozenset({LandUse.RESIDENTIAL, LandUse.INDUSTRIAL, LandUse.PAVED})
AUER_RADIUS_M = 3000.0  # 40 CFR 51 App. W §7.2.1.1(b)(i): circle of 3 km radius
AUER_URBAN_SHARE = 0.5  # … urban if the urban types cover ≥ 50 % of it


def is_urban_source(
    land_use: np.ndarray, source_cell: tuple[int, int], cell_m: float | None = None
) -> bool:
    """True if the surroundings of `source_cell` (row, col) call for urban Briggs sigmas.

    Auer's (1978) land-use procedure (US EPA, 40 CFR 51 Appendix W §7.2.1.1): urban if
    `URBAN_LAND_USES` cover at least half of the circle of 3 km radius about the source.
    The land use of the source cell alone does not decide: a plant in open country
    disperses over the fields around it. Only the part of the circle on the map is
    counted. Without `cell_m` the circle cannot be drawn and the whole map stands for
    it (the drills' maps are a few km across, about the circle's size).
    """
    ny, nx = land_use.shape
    urban = np.isin(land_use, np.array([int(u) for u in URBAN_LAND_USES]))
    if cell_m is None:
        share = float(urban.mean())
    else:
        row, col = (int(k) for k in source_cell)
        di = (np.arange(ny) - row)[:, None] * float(cell_m)
        dj = (np.arange(nx) - col)[None, :] * float(cell_m)
        circle = di * di + dj * dj <= AUER_RADIUS_M * AUER_RADIUS_M
        share = float(urban[circle].mean())
    return share >= AUER_URBAN_SHARE


class GasRelease:
    """One toxic gas release: tank discharge plus the cloud it makes on the grid.

    Grid: arrays (ny, nx), row i southward, column j eastward, square cells of `cell_m`
    metres, cell centres at ((j + 0.5)·cell_m, (i + 0.5)·cell_m). Internal x is east (m),
    y is south (m).

    Attributes (read them, do not write them):
        concentration_ppm: (ny, nx) concentration at 1.5 m above ground, now (ppm).
        remaining_kg: mass still in the tank (kg). released_kg: mass let out so far (kg);
            released_kg + remaining_kg == inventory_kg.
        rate_kg_per_s: current discharge rate (kg/s); 0 once stopped or empty.
        active: True while the source can still discharge.
        time_s: simulated seconds since the release began.
        puff_count, subpuff_count, evaluated_cells: cost diagnostics of the last step.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        cell_m: float,
        source_cell: tuple[int, int],
        substance: str,
        *,
        inventory_kg: float,
        rate_kg_per_s: float,
        release_height_m: float = 1.0,
        urban: bool = False,
        instantaneous: bool = False,
        max_puffs: int = DEFAULT_MAX_PUFFS,
    ) -> None:
        """Create a release at `source_cell` (row, col).

        Args:
            shape: (ny, nx) grid shape. cell_m: cell side (m), > 0.
            substance: key of SUBSTANCES ('chlorine', 'ammonia').
            inventory_kg: mass in the tank at the start (kg), > 0.
            rate_kg_per_s: discharge rate Q into the air (kg/s), > 0 for a continuous
                release, constant until the inventory is gone (after M0/Q seconds);
                ignored for an instantaneous one (the inventory goes at once).
            release_height_m: height of the hole above ground (m), ≥ 0.
            urban: urban (True) or open-country (False) Briggs sigmas.
            instantaneous: release the whole inventory as one puff in the first step.
            max_puffs: cap on live slugs (≥ 2); neighbours are merged beyond it.

        Raises:
            ValueError: bad shape, cell size, source cell, masses, rates or heights.
            KeyError: unknown substance.
        """
        ny, nx = (int(n) for n in shape)
        if ny <= 0 or nx <= 0 or cell_m <= 0.0:
            raise ValueError("grid shape and cell size must be positive")
        row, col = (int(k) for k in source_cell)
        if not (0 <= row < ny and 0 <= col < nx):
            raise ValueError(f"source cell {source_cell} is outside the grid {shape}")
        if inventory_kg <= 0.0 or release_height_m < 0.0 or max_puffs < 2:
            raise ValueError("need inventory > 0 kg, release height ≥ 0 m and max_puffs ≥ 2")
        if rate_kg_per_s < 0.0 or (not instantaneous and rate_kg_per_s <= 0.0):
            raise ValueError("a continuous release needs an initial rate > 0 kg/s")
        self.shape = (ny, nx)
        self.cell_m = float(cell_m)
        self.source_cell = (row, col)
        self.substance: Substance = get_substance(substance)
        self.inventory_kg = float(inventory_kg)
        self.release_height_m = float(release_height_m)
        self.urban = bool(urban)
        self.instantaneous = bool(instantaneous)
        self.max_puffs = int(max_puffs)
        self.remaining_kg = self.inventory_kg
        self.rate_kg_per_s = 0.0 if instantaneous else float(rate_kg_per_s)
        self.active = True
        self.time_s = 0.0
        self._nominal_rate_kg_per_s = float(rate_kg_per_s)
        self._source_x_m = (col + 0.5) * self.cell_m
        self._source_y_m = (row + 0.5) * self.cell_m
        self._sigma_floor_m = SIGMA_FLOOR_CELLS * self.cell_m
        lowest_aegl1_ppm = min(self.substance.aegl_ppm[0])
        self._cull_kg_per_m3 = float(
            ppm_to_kg_per_m3(
                CULL_FRACTION_OF_AEGL1 * lowest_aegl1_ppm, self.substance.molar_mass_g_per_mol
            )
        )
        self._ppm_per_kg_per_m3 = float(kg_per_m3_to_ppm(1.0, self.substance.molar_mass_g_per_mol))
        # Slug state, oldest first, one row per quantity (capacity: one new slug before
        # merging): centre east and south (m), travel of the centre (m), length along the
        # axis (m; 0 = point puff), downstream unit axis (east, south), mass (kg).
        self._slugs = np.zeros((7, self.max_puffs + 1))
        (
            self._x_m,
            self._y_m,
            self._travel_m,
            self._length_m,
            self._axis_x,
            self._axis_y,
            self._mass_kg,
        ) = self._slugs
        self.puff_count = 0
        self.subpuff_count = 0
        self.evaluated_cells = 0
        self.concentration_ppm = np.zeros(self.shape)
        self._field_kg_per_m3 = np.zeros(self.shape)
        self._tile = np.zeros(self.shape)

    @property
    def released_kg(self) -> float:
        """Mass discharged so far (kg) = inventory − remaining."""
        return self.inventory_kg - self.remaining_kg

    def stop(self) -> None:
        """Plug the leak (hazmat team): no further discharge; the cloud keeps drifting."""
        self.active = False
        self.rate_kg_per_s = 0.0

    def run_one_step(
        self, dt_s: float, wind_speed_m_per_s: float, wind_from_deg: float, stability: str
    ) -> None:
        """Advance the release and its cloud by `dt_s` seconds.

        Args:
            dt_s: step length (s), > 0.
            wind_speed_m_per_s: wind speed at 10 m (m/s), ≥ 0 (clipped to ≥ 1 m/s).
            wind_from_deg: direction the wind blows FROM, clockwise from north (deg).
            stability: Pasquill class 'A'..'F' for this step.

        Raises:
            ValueError: non-positive step, negative/non-finite wind, unknown class.
        """
        if not (dt_s > 0.0 and math.isfinite(dt_s)):
            raise ValueError(f"time step must be finite and > 0 s, got {dt_s}")
        if not (wind_speed_m_per_s >= 0.0 and math.isfinite(wind_speed_m_per_s)):
            raise ValueError(f"wind speed must be finite and ≥ 0 m/s, got {wind_speed_m_per_s}")
        if not math.isfinite(wind_from_deg) or stability not in STABILITY_CLASSES:
            raise ValueError(f"bad wind direction {wind_from_deg} or stability {stability!r}")
        speed_m_per_s = max(wind_speed_m_per_s, MIN_WIND_M_PER_S)
        # Downwind unit vector in (east, south): from θ the air goes toward θ + 180°.
        theta = math.radians(wind_from_deg)
        east, south = -math.sin(theta), math.cos(theta)
        step_m = speed_m_per_s * dt_s
        n = self.puff_count
        # Every existing slug moves with this step's wind: x += u·Δt·e
        self._x_m[:n] += east * step_m
        self._y_m[:n] += south * step_m
        self._travel_m[:n] += step_m
        mass_kg = self._discharge(dt_s)
        if mass_kg > 0.0:
            self._emit(mass_kg, east, south, step_m)
        while self.puff_count > self.max_puffs:
            self._merge_closest_pair(stability)
        self._cull(stability)
        self._update_field(stability)
        self.time_s += dt_s

    # --- source -------------------------------------------------------------------

    def _discharge(self, dt_s: float) -> float:
        """Mass (kg) let out during this step; updates the tank state."""
        if not self.active:
            return 0.0
        if self.instantaneous:
            mass_kg = self.remaining_kg
        else:
            # constant Q while liquid is left: released = ∫ Q dt = min(Q·Δt, M)
            mass_kg = min(self._nominal_rate_kg_per_s * dt_s, self.remaining_kg)
            if self.remaining_kg - mass_kg <= EMPTY_FRACTION * self.inventory_kg:
                mass_kg = self.remaining_kg
        self.remaining_kg -= mass_kg
        if self.remaining_kg <= 0.0:
            self.remaining_kg = 0.0
            self.stop()
        return mass_kg

    def _emit(self, mass_kg: float, east: float, south: float, step_m: float) -> None:
        """Append this step's slug (or the instantaneous puff), positioned at step end."""
        k = self.puff_count
        if self.instantaneous:
            # A point puff released at the start of the step, carried u·Δt since.
            centre_m, length_m = step_m, 0.0
        else:
            # Material released uniformly over the step lies on [0, u·Δt] downwind.
            centre_m, length_m = 0.5 * step_m, step_m
        self._x_m[k] = self._source_x_m + east * centre_m
        self._y_m[k] = self._source_y_m + south * centre_m
        self._travel_m[k] = centre_m
        self._length_m[k] = length_m
        self._axis_x[k] = east
        self._axis_y[k] = south
        self._mass_kg[k] = mass_kg
        self.puff_count = k + 1

    # --- slug bookkeeping -------------------------------------------------------------

    def _sigmas(self, travel_m: np.ndarray, stability: str) -> tuple[np.ndarray, np.ndarray]:
        """(σh, σz) at `travel_m`: plume sigmas for the slugs of a continuous release
        (their chain is the plume), CCPS puff sigmas for one instantaneous puff."""
        if self.instantaneous:
            return puff_sigmas(travel_m, stability)
        return briggs_sigmas(travel_m, stability, self.urban)

    def _merge_closest_pair(self, stability: str) -> None:
        """Merge the neighbouring slugs closest together in units of the younger's σy."""
        n = self.puff_count
        x, y, s = self._x_m[:n], self._y_m[:n], self._travel_m[:n]
        sigma_y_m, _ = self._sigmas(np.maximum(s[1:], MIN_TRAVEL_M), stability)
        gap = np.hypot(x[:-1] - x[1:], y[:-1] - y[1:]) / np.maximum(sigma_y_m, self._sigma_floor_m)
        i = int(np.argmin(gap))  # merge i (older) with i + 1 (younger) into i
        m_old, m_young = self._mass_kg[i], self._mass_kg[i + 1]
        m = m_old + m_young
        chord_x, chord_y = x[i] - x[i + 1], y[i] - y[i + 1]
        chord_m = math.hypot(chord_x, chord_y)
        if chord_m > 0.0:
            # Collinear touching slugs of equal mass merge exactly: L = |Δc| + (L1 + L2)/2.
            axis_x, axis_y = chord_x / chord_m, chord_y / chord_m
            length_m = chord_m + 0.5 * (self._length_m[i] + self._length_m[i + 1])
        else:
            axis_x, axis_y = self._axis_x[i], self._axis_y[i]
            length_m = max(self._length_m[i], self._length_m[i + 1])
        self._x_m[i] = (m_old * x[i] + m_young * x[i + 1]) / m
        self._y_m[i] = (m_old * y[i] + m_young * y[i + 1]) / m
        self._travel_m[i] = (m_old * s[i] + m_young * s[i + 1]) / m
        self._length_m[i] = length_m
        self._axis_x[i], self._axis_y[i] = axis_x, axis_y
        self._mass_kg[i] = m
        self._slugs[:, i + 1 : n - 1] = self._slugs[:, i + 2 : n]
        self.puff_count = n - 1

    def _cull(self, stability: str) -> None:
        """Drop slugs that are wholly off the map or too dilute to matter."""
        n = self.puff_count
        if n == 0:
            return
        length = self._length_m[:n]
        rear_m = np.maximum(self._travel_m[:n] - 0.5 * length, MIN_TRAVEL_M)
        sigma_y_m, sigma_z_m = self._sigmas(rear_m, stability)
        sigma_h_m = np.maximum(sigma_y_m, self._sigma_floor_m)
        # Peak ≤ M / (max(L, √(2π)σh) · 2π σh σz) · 2   (line or point puff at its axis)
        peak = (
            self._mass_kg[:n]
            * REFLECTION_MAX
            / (np.maximum(length, math.sqrt(TWO_PI) * sigma_h_m) * TWO_PI * sigma_h_m * sigma_z_m)
        )
        reach_m = 0.5 * length + WINDOW_SIGMAS * sigma_h_m
        ny, nx = self.shape
        x, y = self._x_m[:n], self._y_m[:n]
        on_map = (
            (x + reach_m > 0.0)
            & (x - reach_m < nx * self.cell_m)
            & (y + reach_m > 0.0)
            & (y - reach_m < ny * self.cell_m)
        )
        keep = on_map & (peak >= self._cull_kg_per_m3)
        if keep.all():
            return
        m = int(keep.sum())
        self._slugs[:, :m] = self._slugs[:, :n][:, keep]
        self.puff_count = m

    # --- field ------------------------------------------------------------------------

    def _subpuffs(self, stability: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Split every slug into point puffs ≤ 1.5σ apart: (x_m, y_m, σh_m, peak_kg_per_m3)."""
        n = self.puff_count
        length, travel = self._length_m[:n], self._travel_m[:n]
        rear_sigma_m, _ = self._sigmas(np.maximum(travel - 0.5 * length, MIN_TRAVEL_M), stability)
        spacing_m = SUBPUFF_SPACING_SIGMAS * np.maximum(rear_sigma_m, self._sigma_floor_m)
        counts = np.clip(np.ceil(length / spacing_m), 1, MAX_SUBPUFFS_PER_PUFF).astype(np.int64)
        owner = np.repeat(np.arange(n), counts)
        first = np.cumsum(counts) - counts
        rank = np.arange(owner.size) - first[owner]
        # offset a ∈ (−L/2, L/2) along the axis; the downstream end has travelled further
        offset_m = ((rank + 0.5) / counts[owner] - 0.5) * length[owner]
        x_m = self._x_m[owner] + offset_m * self._axis_x[owner]
        y_m = self._y_m[owner] + offset_m * self._axis_y[owner]
        sigma_y_m, sigma_z_m = self._sigmas(
            np.maximum(travel[owner] + offset_m, MIN_TRAVEL_M), stability
        )
        sigma_h_m = np.maximum(sigma_y_m, self._sigma_floor_m)
        # C_peak = (M/n) / ((2π)^(3/2) σh² σz) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]
        peak = (
            self._mass_kg[owner]
            / counts[owner]
            / (TWO_PI_POW_1_5 * sigma_h_m * sigma_h_m * sigma_z_m)
            * vertical_factor(BREATHING_HEIGHT_M, self.release_height_m, sigma_z_m)
        )
        return x_m, y_m, sigma_h_m, peak

    def _update_field(self, stability: str) -> None:
        """Ground-level field (kg/m³ → ppm) = sum of every sub-puff over its ±4σ window."""
        field = self._field_kg_per_m3
        field.fill(0.0)
        self.subpuff_count = 0
        self.evaluated_cells = 0
        if self.puff_count > 0:
            x_m, y_m, sigma_h_m, peak = self._subpuffs(stability)
            keep = peak >= SUBPUFF_CULL_FRACTION * self._cull_kg_per_m3
            self.subpuff_count, self.evaluated_cells = add_ground_puffs(
                field, self.cell_m, x_m[keep], y_m[keep], sigma_h_m[keep], peak[keep],
                window_sigmas=WINDOW_SIGMAS, scratch=self._tile,
            )  # fmt: skip
        np.multiply(field, self._ppm_per_kg_per_m3, out=self.concentration_ppm)
