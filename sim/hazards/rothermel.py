"""Fire rate-of-spread physics: Rothermel surface fire, Anderson ellipse, Hamada urban fire.

This module holds the point physics that the grid model in ``sim.hazards.fire``
propagates: the head-fire rate of spread of a surface fire by Rothermel (1972)
with the changes of Albini (1976) in the 13 fuel models of Anderson (1982) and
the 40 of Scott & Burgan (2005) with their dynamic herbaceous load transfer
(tables in ``sim.hazards.fuels``), as implemented in BehavePlus (the
formulation read from the public source of firelab/behave, ``surfaceFuelbedIntermediates.cpp`` and
``surfaceFireReactionIntensity.cpp``; summarised in Andrews 2018,
RMRS-GTR-371); the wind adjustment factor of Albini & Baughman (1979); the
elliptical fire shape of Anderson (1983); the building-to-building spread
rate of Hamada (1951); and the tables that turn the map's land use into a
fuel model, a wind adjustment and a building stock.  Rothermel's correlations
are dimensional and stay in their published US customary units inside this
module; every public function takes and returns SI units named in its
signature.

Checked against Behave's own engine: tests/hazards/test_fire_behave.py compares
head rates, reaction intensities and length-to-breadth ratios (from Behave's
backing rates) for all 53 models with tests/data/behave_oracle.json, written by
tools/fire_oracle.py through pyrothermel.

Wind limit: none.  Rothermel (1972) capped the effective wind at 0.9 I_R, and
Behave's engine still does; Andrews, Cruz & Rothermel (2013) revised it to
96.8 I_R^(1/3), found both too restrictive (the 1967 Tasmanian grass fires
behind it were probably not in fully cured continuous grass; later grassfire
data show no limit) and recommend bounding the rate of spread by the effective
midflame wind speed instead.  That is what the grid does (``WIND_LIMIT`` =
"effective_wind": R <= max(R0, U_E)); Behave's cap would slow sparse grass
(GR1) in a 10 km/h mid-flame wind sixteen-fold, while with no bound at all FM1
would outrun a 12 m/s wind.  The other limits stay available to ``fuelbed``
for comparison with Behave.

References
----------
Albini 1976, Estimating wildfire behavior and effects, USDA FS GTR INT-30.
Albini & Baughman 1979, Estimating windspeeds for predicting wildland fire
    behavior, USDA FS RP INT-221.
Anderson 1969, Heat transfer and fire spread, USDA FS RP INT-69.
Anderson 1982, Aids to determining fuel models for estimating fire behavior,
    USDA FS GTR INT-122.
Anderson 1983, Predicting wind-driven wild land fire size and shape, USDA FS
    RP INT-305.
Andrews 2012, Modeling wind adjustment factor and midflame wind speed for
    Rothermel's surface fire spread model, USDA FS RMRS-GTR-266.
Andrews, Cruz & Rothermel 2013, Examination of the wind speed limit function in
    the Rothermel surface fire spread model, Int. J. Wildland Fire 22:959-969.
Hamada 1951, On fire spreading velocity in disasters, Sagami Shobo (Tokyo), as
    given in Himoto & Tanaka 2008, Fire Safety Journal 43:477-494, and
    transcribed in FireBench (wirc-sjsu/firebench, ``Hamada_1``).
Rothermel 1983, How to predict the spread and intensity of forest and range
    fires, USDA FS GTR INT-143.
Rothermel 1972, A mathematical model for predicting fire spread in wildland
    fuels, USDA FS RP INT-115.
Scott & Burgan 2005, Standard fire behavior fuel models, USDA FS RMRS-GTR-153.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.hazards import fuels
from sim.landuse import LAND_USE_COUNT, LandUse

# --- unit conversions (exact) ---
M_PER_FT = 0.3048
FT_PER_MIN_PER_M_PER_S = 60.0 / M_PER_FT  # 1 m/s = 196.85 ft/min
FT_PER_MIN_PER_MI_PER_H = 5280.0 / 60.0  # 1 mi/h = 88 ft/min

# --- Rothermel (1972) / Albini (1976) fuel particle constants ---
PARTICLE_DENSITY_LB_PER_FT3 = 32.0  # rho_p, Albini 1976 p. 91
TOTAL_MINERAL_CONTENT = 0.0555  # S_T, Rothermel 1972 Table 1
EFFECTIVE_MINERAL_CONTENT = 0.010  # S_e, Rothermel 1972 Table 1
# Dead-moisture scenario step: 10-h and 100-h fuels are 1 and 2 points wetter
# than 1-h fuel in every dead fuel moisture scenario (D1-D4) of Scott & Burgan 2005.
MOISTURE_STEP_10H = 0.01
MOISTURE_STEP_100H = 0.02
# Albini (1976) size-class bins (1/ft) for weighting net fuel load, as in BehavePlus.
SIZE_CLASS_EDGES_PER_FT = (1200.0, 192.0, 96.0, 48.0, 16.0)
# Flame residence time tau = 384 / sigma min (sigma in 1/ft), Anderson 1969.
RESIDENCE_TIME_NUMERATOR_MIN_PER_FT = 384.0
# Wind-speed limits on the effective midflame wind (ft/min, I_R in Btu/ft2/min):
# Rothermel 1972 U_lim = 0.9 I_R (applied by Behave's engine, firelab/behave
# SurfaceFire::calculateWindSpeedLimit); the revision of Andrews, Cruz &
# Rothermel 2013, U_lim = 96.8 I_R^(1/3).  The grid uses neither (see WIND_LIMIT).
ROTHERMEL_1972_LIMIT_PER_I_R = 0.9
ANDREWS_2013_LIMIT_COEFF = 96.8
# The wind limit the spread uses: "effective_wind", i.e. no wind-speed limit and
# the head rate bounded by the effective midflame wind speed instead (never below
# the no-wind rate).  Andrews, Cruz & Rothermel (2013) derived the limit anew and
# found both the 1972 limit and their revision too restrictive (the 1967 Tasmanian
# grass fires behind it were probably not in fully cured continuous grass, and
# later grassfire data show no such limit); they recommend this bound in its
# place.  Behave's 1972 limit cuts GR1 at 10 km/h midflame to a 16th of its rate;
# with no bound at all FM1 would outrun a 12 m/s wind (tests/hazards/test_fire_behave.py).
WIND_LIMITS = ("effective_wind", "none", "rothermel1972", "andrews2013")
WIND_LIMIT = "effective_wind"
# 10-m wind = 1.15 x 20-ft wind (conversion used by Andrews 2012).
WIND_10M_PER_20FT = 1.15
# Behave's largest fire length-to-breadth ratio (firelab/behave FireSize, "maximum eccentricity").
MAX_LENGTH_TO_BREADTH = 8.0

ANDERSON_FUEL_MODELS = fuels.ANDERSON_FUEL_MODELS
NON_BURNABLE_FUEL_MODELS = tuple(fuels.NON_BURNABLE_FUEL_MODELS)


def fuel_model_name(fuel_model: int) -> str:
    """Published name of a burnable fuel model (1-13, 101-204); raises ValueError otherwise."""
    _check_fuel_model(fuel_model, allow_non_burnable=False)
    return fuels.FUEL_MODELS[fuel_model].name


def fuel_bed_depth_m(fuel_model: int) -> float:
    """Fuel bed depth (m) of a standard fuel model (0 for non-burnable codes)."""
    _check_fuel_model(fuel_model, allow_non_burnable=True)
    fm = fuels.FUEL_MODELS.get(fuel_model)
    return fm.depth_ft * M_PER_FT if fm else 0.0


def _check_fuel_model(fuel_model: int, *, allow_non_burnable: bool) -> None:
    ok = fuel_model in fuels.FUEL_MODELS or (
        allow_non_burnable and fuel_model in fuels.NON_BURNABLE_FUEL_MODELS
    )
    if not ok:
        raise ValueError(
            f"unknown fuel model {fuel_model!r}: expected 1-13, 101-204 or a NB code 9x"
        )


@dataclass(frozen=True)
class Fuelbed:
    """Moisture-conditioned Rothermel intermediates of one fuel model (US units inside).

    ``r0_ft_per_min`` is the no-wind, no-slope rate of spread; the wind and slope
    factors are ``phi_w = wind_c * U**wind_b * beta_ratio**-wind_e`` (U midflame
    wind, ft/min; Rothermel 1972 eq. 47, 48-50) and ``phi_s = slope_k * tan**2``
    (eq. 51).  ``phi_max`` is phi_w at the wind-speed limit chosen when the bed
    was made (infinite for no limit); ``wind_bounds_rate`` whether the head
    rate is bounded by the effective wind speed (Andrews et al. 2013).
    """

    r0_ft_per_min: float
    reaction_intensity_btu_per_ft2_min: float
    beta_ratio: float
    wind_c: float
    wind_b: float
    wind_e: float
    slope_k: float
    phi_max: float
    residence_time_min: float
    wind_bounds_rate: bool = False

    def phi_wind(self, midflame_ft_per_min: np.ndarray | float) -> np.ndarray:
        """Wind factor phi_w (dimensionless) for midflame wind (ft/min, >= 0)."""
        u = np.asarray(midflame_ft_per_min, dtype=float)
        # phi_w = C U^B (beta/beta_op)^-E, Rothermel 1972 eq. 47
        return self.wind_c * u**self.wind_b * self.beta_ratio ** (-self.wind_e)

    def effective_wind_ft_per_min(self, phi_e: np.ndarray | float) -> np.ndarray:
        """Effective wind speed (ft/min) giving the combined factor phi_e (Albini 1976)."""
        phi = np.asarray(phi_e, dtype=float)
        # U_E = [phi_E (beta/beta_op)^E / C]^(1/B), inverse of eq. 47
        return (phi * self.beta_ratio**self.wind_e / self.wind_c) ** (1.0 / self.wind_b)


def _size_class_weights(savr: np.ndarray, area_frac: np.ndarray) -> np.ndarray:
    """Albini (1976) size-sorted surface-area weights g_ij for the net fuel load."""
    cls = np.full(savr.shape, len(SIZE_CLASS_EDGES_PER_FT), dtype=int)
    for k, edge in reversed(list(enumerate(SIZE_CLASS_EDGES_PER_FT))):
        cls[savr >= edge] = k
    summed = np.array([area_frac[cls == k].sum() for k in range(len(SIZE_CLASS_EDGES_PER_FT) + 1)])
    g = summed[cls]
    g[cls == len(SIZE_CLASS_EDGES_PER_FT)] = 0.0
    return g


def _eta_m(moisture: float, extinction: float) -> float:
    """Moisture damping coefficient, Rothermel 1972 eq. 29."""
    r = moisture / extinction if extinction > 0 else 1.0
    if r >= 1.0:
        return 0.0
    return 1.0 - 2.59 * r + 5.11 * r**2 - 3.52 * r**3


def _particles(
    fm: fuels.FuelModel, moist: tuple[float, float, float, float, float]
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """(load, SAV, moisture) arrays of the dead and live particles that hold fuel.

    Dead: 1-h, 10-h, 100-h and (dynamic models) cured herbs; live: herbs, woody.
    The cured share of the herbs moves to dead fuel with the herb SAV and the
    1-h moisture (Scott & Burgan 2005 dynamic transfer, BehavePlus form).
    """
    w1, w10, w100, wh, ww = fm.loads_lb_per_ft2
    s1, sh, sw = fm.savr_per_ft
    m1, m10, m100, mh, mw = moist
    cured = wh * fm.cured_share(mh)
    dead = [(w1, s1, m1), (w10, fuels.SAVR_10H_PER_FT, m10), (w100, fuels.SAVR_100H_PER_FT, m100)]
    dead.append((cured, sh, m1))
    live = [(wh - cured, sh, mh), (ww, sw, mw)]
    out = []
    for group in (dead, live):
        kept = [p for p in group if p[0] > 0.0]
        out.append(tuple(np.array([p[k] for p in kept], dtype=float) for k in range(3)))
    return tuple(out)  # type: ignore[return-value]


def fuelbed(
    fuel_model: int,
    dead_moisture: float,
    live_moisture: float = 1.0,
    *,
    moisture_10h: float | None = None,
    moisture_100h: float | None = None,
    herb_moisture: float | None = None,
    woody_moisture: float | None = None,
    wind_limit: str = WIND_LIMIT,
) -> Fuelbed:
    """Rothermel fuel-bed intermediates of a standard fuel model (1-13, 101-204).

    ``dead_moisture`` is the 1-h dead fuel moisture (fraction of dry weight); the
    10-h and 100-h moistures default to 1 and 2 points higher (Scott & Burgan 2005
    scenarios).  ``live_moisture`` applies to live herb and woody fuel unless
    ``herb_moisture`` / ``woody_moisture`` are given; the herb moisture sets the
    cured share of a dynamic model.  ``wind_limit`` is one of ``WIND_LIMITS``.
    Raises ValueError for an unknown fuel model or limit, or a negative moisture.
    """
    _check_fuel_model(fuel_model, allow_non_burnable=False)
    if wind_limit not in WIND_LIMITS:
        raise ValueError(f"unknown wind limit {wind_limit!r}: expected one of {WIND_LIMITS}")
    moist5 = (
        dead_moisture,
        dead_moisture + MOISTURE_STEP_10H if moisture_10h is None else moisture_10h,
        dead_moisture + MOISTURE_STEP_100H if moisture_100h is None else moisture_100h,
        live_moisture if herb_moisture is None else herb_moisture,
        live_moisture if woody_moisture is None else woody_moisture,
    )
    if not all(m >= 0.0 for m in moist5):
        raise ValueError("fuel moistures must be >= 0 (fraction of dry weight)")
    fm = fuels.FUEL_MODELS[fuel_model]
    mx_dead, heat = fm.extinction_moisture, fm.heat_btu_per_lb
    (load_d, savr_d, moist_d), (load_l, savr_l, moist_l) = _particles(fm, moist5)
    load, savr, moist = (load_d, load_l), (savr_d, savr_l), (moist_d, moist_l)
    # surface area per unit bed area a_ij = sigma_ij w_ij / rho_p (Rothermel eq. 53)
    area = [s * w / PARTICLE_DENSITY_LB_PER_FT3 for s, w in zip(savr, load, strict=True)]
    area_tot = np.array([a.sum() for a in area])
    f_ij = [a / t if t > 0 else np.zeros_like(a) for a, t in zip(area, area_tot, strict=True)]
    f_i = area_tot / area_tot.sum()
    sigma_i = np.array([(f * s).sum() for f, s in zip(f_ij, savr, strict=True)])
    sigma = float((f_i * sigma_i).sum())  # characteristic SAV, eq. 71-72
    moist_i = np.array([(f * m).sum() for f, m in zip(f_ij, moist, strict=True)])
    net_load_i = np.array(
        [
            (_size_class_weights(s, f) * w * (1 - TOTAL_MINERAL_CONTENT)).sum()
            for s, f, w in zip(savr, f_ij, load, strict=True)
        ]
    )
    # live moisture of extinction, Albini 1976 p. 89 (only when live fuel exists)
    mx_live = mx_dead
    if load[1].sum() > 0:
        fine_dead = (load[0] * np.exp(-138.0 / savr[0])).sum()
        mf_dead = (load[0] * np.exp(-138.0 / savr[0]) * moist[0]).sum() / fine_dead
        fine_live = (load[1] * np.exp(-500.0 / savr[1])).sum()
        mx_live = max(mx_dead, 2.9 * fine_dead / fine_live * (1 - mf_dead / mx_dead) - 0.226)
    bulk_density = (load[0].sum() + load[1].sum()) / fm.depth_ft  # rho_b, eq. 40
    beta = bulk_density / PARTICLE_DENSITY_LB_PER_FT3  # packing ratio, eq. 31
    beta_op = 3.348 * sigma**-0.8189  # optimum packing ratio, eq. 37
    ratio = beta / beta_op
    a_exp = 133.0 * sigma**-0.7913  # Albini 1976 revision of eq. 39
    gamma_max = sigma**1.5 / (495.0 + 0.0594 * sigma**1.5)  # eq. 36
    gamma = gamma_max * ratio**a_exp * np.exp(a_exp * (1 - ratio))  # eq. 38
    eta_s = min(1.0, 0.174 * EFFECTIVE_MINERAL_CONTENT**-0.19)  # eq. 30
    eta_m = np.array([_eta_m(moist_i[0], mx_dead), _eta_m(moist_i[1], mx_live)])
    # I_R = Gamma' sum_i w_n,i h eta_M,i eta_s (eq. 27, Albini 1976 form)
    i_r = float(gamma * (net_load_i * heat * eta_m * eta_s).sum())
    # propagating flux ratio xi, eq. 42
    xi = np.exp((0.792 + 0.681 * sigma**0.5) * (beta + 0.1)) / (192.0 + 0.2595 * sigma)
    # heat sink rho_b sum_i f_i sum_j f_ij exp(-138/sigma_ij) Q_ig,ij; Q_ig = 250 + 1116 M
    heat_sink = bulk_density * sum(
        fi * (f * np.exp(-138.0 / s) * (250.0 + 1116.0 * m)).sum()
        for fi, f, s, m in zip(f_i, f_ij, savr, moist, strict=True)
    )
    wind_c = 7.47 * np.exp(-0.133 * sigma**0.55)  # eq. 48
    wind_b = 0.02526 * sigma**0.54  # eq. 49
    wind_e = 0.715 * np.exp(-3.59e-4 * sigma)  # eq. 50
    u_lim = {
        "none": np.inf,
        "effective_wind": np.inf,
        "rothermel1972": ROTHERMEL_1972_LIMIT_PER_I_R * i_r,
        "andrews2013": ANDREWS_2013_LIMIT_COEFF * i_r ** (1.0 / 3.0),
    }[wind_limit]
    r0 = float(i_r * xi / heat_sink) if heat_sink > 0 else 0.0
    return Fuelbed(
        r0_ft_per_min=r0,  # R = I_R xi (1 + phi) / heat sink, eq. 52
        reaction_intensity_btu_per_ft2_min=i_r,
        beta_ratio=float(ratio),
        wind_c=float(wind_c),
        wind_b=float(wind_b),
        wind_e=float(wind_e),
        slope_k=float(5.275 * beta**-0.3),  # eq. 51
        phi_max=float(wind_c * u_lim**wind_b * ratio**-wind_e),
        residence_time_min=RESIDENCE_TIME_NUMERATOR_MIN_PER_FT / sigma,
        wind_bounds_rate=wind_limit == "effective_wind",
    )


def head_ros_m_per_min(bed: Fuelbed, phi_w: np.ndarray, phi_s: np.ndarray) -> np.ndarray:
    """Head rate (m/min) with wind and slope factors along one line, limit applied.

    The effective factor phi_E = phi_w + phi_s is capped at the bed's wind-limit
    factor, as Behave caps the effective wind speed (firelab/behave
    ``SurfaceFire::applyWindSpeedLimit``); with ``effective_wind`` the rate is
    at most max(R0, U_E) instead (Andrews et al. 2013).
    """
    phi_e = np.minimum(np.asarray(phi_w + phi_s, dtype=float), bed.phi_max)
    head = bed.r0_ft_per_min * (1.0 + phi_e)  # ft/min
    if bed.wind_bounds_rate:
        u_eff = bed.effective_wind_ft_per_min(phi_e)
        head = np.minimum(head, np.maximum(bed.r0_ft_per_min, u_eff))
    return head * M_PER_FT


def rothermel_ros_m_per_min(
    fuel_model: int,
    dead_moisture: float,
    midflame_wind_m_per_s: float | np.ndarray,
    slope_tan: float | np.ndarray,
    live_moisture: float = 1.0,
    **moistures_and_limit: Any,
) -> float | np.ndarray:
    """Head-fire rate of spread (m/min) with wind blowing upslope (BehavePlus surface).

    R = R0 (1 + phi_w + phi_s) (Rothermel 1972 eq. 52), limited as ``WIND_LIMIT``
    says (by default no wind limit, the rate bounded by the effective wind).  ``dead_moisture``
    is the 1-h dead moisture (fraction); ``slope_tan`` the slope rise/run; wind
    and slope may be arrays (broadcast); further keywords go to ``fuelbed``.
    Non-burnable codes (91-99) give 0.  Raises ValueError for an unknown fuel
    model, negative wind or negative moisture.
    """
    wind = np.asarray(midflame_wind_m_per_s, dtype=float)
    tan = np.asarray(slope_tan, dtype=float)
    if np.any(wind < 0):
        raise ValueError("midflame wind speed must be >= 0 m/s")
    _check_fuel_model(fuel_model, allow_non_burnable=True)
    if fuel_model not in fuels.FUEL_MODELS:
        out = np.zeros(np.broadcast(wind, tan).shape)
    else:
        bed = fuelbed(fuel_model, dead_moisture, live_moisture, **moistures_and_limit)
        phi_w = bed.phi_wind(wind * FT_PER_MIN_PER_M_PER_S)
        out = head_ros_m_per_min(bed, phi_w, bed.slope_k * tan**2)
    return float(out) if out.ndim == 0 else out


def wind_adjustment_factor_unsheltered(fuel_bed_depth_m: float) -> float:
    """Midflame / 20-ft wind ratio for unsheltered fuel (Albini & Baughman 1979).

    WAF = 1.83 / ln((20 + 0.36 H) / (0.13 H)), H fuel bed depth in ft (Andrews
    2012 eq. 6).  Gives 0.36 for FM1, 0.44 for FM3, 0.55 for FM4.
    """
    if fuel_bed_depth_m <= 0:
        raise ValueError("fuel bed depth must be > 0 m")
    h_ft = fuel_bed_depth_m / M_PER_FT
    return float(1.83 / np.log((20.0 + 0.36 * h_ft) / (0.13 * h_ft)))


def length_to_breadth(effective_wind_m_per_s: float | np.ndarray) -> float | np.ndarray:
    """Fire length-to-breadth ratio for the effective midflame wind (m/s), as Behave.

    LB = 0.936 e^(0.2566 U) + 0.461 e^(-0.1548 U) - 0.397 with U in m/s
    (Anderson 1983), at most 8.  Behave's engine writes the same curve per mi/h,
    0.936 e^(0.1147 U_mph) + 0.461 e^(-0.0692 U_mph) - 0.397 (firelab/behave
    ``FireSize::calculateSurfaceFireLengthToWidthRatio``; 0.1147 mph^-1 x
    2.2369 mph/(m/s) = 0.2566), and the backing rates of its runs invert to
    this LB (tests/hazards/test_fire_behave.py).  10 km/h gives 1.81; LB(0) = 1.
    """
    u = np.asarray(effective_wind_m_per_s, dtype=float)
    lb = 0.936 * np.exp(0.2566 * u) + 0.461 * np.exp(-0.1548 * u) - 0.397
    lb = np.minimum(lb, MAX_LENGTH_TO_BREADTH)
    return float(lb) if lb.ndim == 0 else lb


def eccentricity(length_to_breadth_ratio: float | np.ndarray) -> np.ndarray:
    """Ellipse eccentricity e = sqrt(LB^2 - 1) / LB (LB >= 1)."""
    lb = np.maximum(np.asarray(length_to_breadth_ratio, dtype=float), 1.0)
    return np.sqrt(lb**2 - 1.0) / lb


def ellipse_rate(
    head_rate: np.ndarray | float, ecc: np.ndarray | float, cos_from_head: np.ndarray | float
) -> np.ndarray:
    """Spread rate at angle theta from the head, fire ellipse with ignition at a focus.

    R(theta) = R_head (1 - e) / (1 - e cos theta) (polar ellipse about its focus,
    as in FARSITE/Richards 1990 for a point ignition): R(0) = R_head, the backing
    rate R(pi) = R_head (1 - e)/(1 + e).  Same units as ``head_rate``.
    """
    e = np.asarray(ecc, dtype=float)
    return np.asarray(head_rate) * (1.0 - e) / (1.0 - e * np.asarray(cos_from_head))


def hamada_rates_m_per_min(
    building_side_m: float,
    separation_m: float,
    fire_resistant_ratio: float,
    wind_m_per_s: float,
) -> tuple[float, float, float]:
    """Hamada (1951) urban fire spread rates (downwind, crosswind, upwind), m/min.

    Variant: Hamada's formula as given in Himoto & Tanaka (2008) and transcribed
    in FireBench ``Hamada_1``.  With a = building side (m), d = separation (m),
    r = ratio of fire-resistant buildings, V = wind speed (m/s), the time (min)
    for the fire to advance one building unit a + d is

      T(g, c) = [(1-r)(3 + 3a/8 + 8d/g) + r(5 + 5a/8 + 16d/g)] / c
      downwind:  g = 25 + 2.5V,  c = 1.5 (1 + 0.1V + 0.007V^2)
      crosswind: g = 5 + 0.25V,  c = 1 + 0.005V^2
      upwind:    g = 5 + 0.2V,   c = 1 + 0.002V^2

    and each rate is (a + d) / T.  Raises ValueError for non-positive sizes,
    a ratio outside [0, 1] or negative wind.
    """
    a, d, r, v = building_side_m, separation_m, fire_resistant_ratio, wind_m_per_s
    if a <= 0 or d < 0 or not 0 <= r <= 1 or v < 0:
        raise ValueError("need building side > 0 m, separation >= 0 m, 0 <= ratio <= 1, V >= 0")

    def unit_time_min(gap_speed: float, divisor: float) -> float:
        plain = 3.0 + 3.0 * a / 8.0 + 8.0 * d / gap_speed  # bare wooden buildings
        resistant = 5.0 + 5.0 * a / 8.0 + 16.0 * d / gap_speed  # fire-protected buildings
        return ((1.0 - r) * plain + r * resistant) / divisor

    t_down = unit_time_min(25.0 + 2.5 * v, 1.5 * (1.0 + 0.1 * v + 0.007 * v**2))
    t_side = unit_time_min(5.0 + 0.25 * v, 1.0 + 0.005 * v**2)
    t_up = unit_time_min(5.0 + 0.2 * v, 1.0 + 0.002 * v**2)
    return (a + d) / t_down, (a + d) / t_side, (a + d) / t_up


def hamada_rate_toward(
    down: np.ndarray | float,
    side: np.ndarray | float,
    up: np.ndarray | float,
    cos_from_downwind: np.ndarray | float,
) -> np.ndarray:
    """Urban spread rate in a direction from the three Hamada rates (FireBench form).

    Downwind half (k = cos >= 0): focal ellipse through the downwind and crosswind
    rates, e = (R_d - R_s)/R_d, A = R_d^2/(2R_d - R_s), R = A(1 - e^2)/(1 - e k).
    Upwind half: R = R_s R_u / sqrt(R_u^2 (1 - k^2) + R_s^2 k^2).  In calm wind
    pass k = 1 (FireBench: the downwind rate in every direction).
    """
    rd, rs, ru = (np.asarray(x, dtype=float) for x in (down, side, up))
    k = np.asarray(cos_from_downwind, dtype=float)
    e = (rd - rs) / rd
    semi = rd**2 / (2.0 * rd - rs)
    front = semi * (1.0 - e**2) / (1.0 - e * k)
    back = rs * ru / np.sqrt(ru**2 * (1.0 - k**2) + rs**2 * k**2)
    return np.where(k >= 0.0, front, back)


# ------------------------------------------------- land use -> fuel and buildings
# Land use -> surface fuel model.  Vegetation: Anderson (1982) descriptions;
# non-burnable: Scott & Burgan (2005) NB codes (NB1 urban/developed 91, NB8 open
# water 98, NB9 bare ground 99).  Built cells are NB1 for the *surface* model and
# burn through the Hamada urban model instead.
FUEL_MODEL_BY_LAND_USE: Mapping[LandUse, int] = {
    LandUse.WATER: 98,
    LandUse.GRASSLAND: 1,  # FM1 short grass: pasture, meadow (Anderson 1982)
    LandUse.FARMLAND: 3,  # FM3 tall grass, incl. unharvested cereal (cured crops assumed)
    LandUse.SHRUB: 5,  # FM5 brush about 2 ft high (Anderson 1982)
    LandUse.FOREST: 9,  # FM9 hardwood / long-needle litter under closed stands
    LandUse.RESIDENTIAL: 91,
    LandUse.INDUSTRIAL: 91,
    LandUse.PAVED: 91,
    LandUse.BARE: 99,
}
# Closed woodland shelters its litter: WAF 0.1 for fully sheltered dense stands
# (Rothermel 1983 table, Andrews 2012); the others are unsheltered (Albini & Baughman 1979).
SHELTERED_WAF_BY_LAND_USE: Mapping[LandUse, float] = {LandUse.FOREST: 0.1}


@dataclass(frozen=True)
class UrbanBlock:
    """Building stock of one built land-use class for Hamada's model.

    ``burn_duration_s`` is how long one cell's buildings burn.  Defaults (see
    ``DEFAULT_URBAN_BLOCKS``) are drill assumptions, to be set per scenario.
    """

    building_side_m: float
    separation_m: float
    fire_resistant_ratio: float
    burn_duration_s: float

    @property
    def coverage_ratio(self) -> float:
        """Building coverage ratio a^2 / (a + d)^2 of a regular block."""
        return self.building_side_m**2 / (self.building_side_m + self.separation_m) ** 2


# Drill defaults (assumptions, not from Hamada): dense low-rise housing, 10 m
# houses 5 m apart (coverage 0.44), 40 % fire-resistant (FireBench Hamada_1
# default), a house burns out in about 30 min; industrial: 30 m sheds 15 m
# apart, 80 % fire-resistant, 60 min (a 1-h fire-resistance rating).
DEFAULT_URBAN_BLOCKS: Mapping[LandUse, UrbanBlock] = {
    LandUse.RESIDENTIAL: UrbanBlock(10.0, 5.0, 0.4, 1800.0),
    LandUse.INDUSTRIAL: UrbanBlock(30.0, 15.0, 0.8, 3600.0),
}


def fuel_model_for_land_use(land_use: np.ndarray) -> np.ndarray:
    """Surface fuel model number (uint8) for each land-use code of ``land_use``.

    Vegetation maps to Anderson (1982) models 1-13, everything else to a
    Scott & Burgan (2005) non-burnable code (91, 98, 99); see
    ``FUEL_MODEL_BY_LAND_USE``.  Raises ValueError for an unknown code.
    """
    codes = np.asarray(land_use)
    if codes.size and (codes.min() < 0 or codes.max() >= LAND_USE_COUNT):
        raise ValueError(f"land-use codes must be in 0..{LAND_USE_COUNT - 1}")
    table = np.array([FUEL_MODEL_BY_LAND_USE[LandUse(k)] for k in range(LAND_USE_COUNT)])
    return table[codes.astype(np.intp)].astype(np.uint8)
