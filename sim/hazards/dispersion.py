"""Gaussian dispersion of a passive gas: stability class, Briggs sigmas, plume and puff.

This module holds the closed-form pieces of the gas hazard: the Pasquill stability
class from the weather, the Briggs (1973) dispersion coefficients σy(x), σz(x), and the
ground-reflected Gaussian plume (continuous release) and Gaussian puff (instantaneous
release), and `add_ground_puffs`, which sums many puffs onto the map grid, each on its
own ±4σ window. `sim.hazards.gas` builds the moving, time-varying cloud out of puffs.

Scope and limits (say them plainly):

- The gas is treated as **passive (neutrally buoyant)**. Chlorine (molar mass 70.9
  g/mol, about 2.5 times as dense as air) really slumps and spreads as a dense cloud near
  the source; we approximate it with neutral Gaussian dispersion. Near the source this
  overestimates vertical mixing and lateral travel time; far downwind (once the cloud has
  been diluted, typically beyond a few hundred metres) the passive model is the usual
  screening approximation (CCPS 2000 §2.1; Crowl & Louvar 2011 ch. 5).
- Briggs' fits are for 100 m ≤ x ≤ 10 km (Gifford 1976); outside that range they are
  extrapolated. They are 10-minute-averaged *plume* sigmas: they include the meander of
  the plume over ten minutes. A continuous release is built from many puffs that use
  them (σx = σy, functions of the travel distance), which is what makes the chain of
  puffs converge to the plume. A single *instantaneous* puff spreads only by the eddies
  smaller than itself and is much more compact: it uses the puff coefficients of CCPS
  (1999), σx = σy = a·x^b, σz = c·x^d (`puff_sigmas`), which are for open country
  (CCPS gives no urban puff set; we use them for urban sources too).
- Flat terrain, uniform wind in space, no deposition, no chemical decay, no inversion lid.
- Stability: `stability_class` reads Pasquill's table with the insolation guessed from
  the cloud cover alone, which assumes a high sun; `turner_stability_class` is Turner's
  (1964) scheme from the sun's altitude (`solar_altitude_deg`), for callers that know
  the date and latitude. On a November afternoon the two differ by two classes (B, D).

References:
    Pasquill F. (1961) The estimation of the dispersion of windborne material.
        Meteorol. Mag. 90, 33–49.
    Turner D.B. (1964) A diffusion model for an urban area. J. Appl. Meteorol. 3, 83–91.
    Turner D.B. (1970) Workbook of Atmospheric Dispersion Estimates, US EPA AP-26.
    US EPA (2000) Meteorological Monitoring Guidance for Regulatory Modeling
        Applications, EPA-454/R-99-005, §6.4.1 (Turner's method, Tables 6-4 to 6-6).
    Cooper P.I. (1969) The absorption of radiation in solar stills. Solar Energy 12, 333.
    Briggs G.A. (1973) Diffusion estimation for small emissions, ATDL-106, NOAA.
    Gifford F.A. (1976) Turbulent diffusion-typing schemes: a review. Nucl. Saf. 17, 68–86.
    CCPS (2000) Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed.
    CCPS (1999) Guidelines for Consequence Analysis of Chemical Releases, AIChE, ch. 2
        (Gaussian puff model and its Pasquill–Gifford puff dispersion coefficients).
    Slade D.H., ed. (1968) Meteorology and Atomic Energy, TID-24190 (source of those
        puff coefficients).
    Crowl D.A., Louvar J.F. (2011) Chemical Process Safety, 3rd ed., ch. 5 (Tables 5-1, 5-2).
"""

from __future__ import annotations

import math

import numpy as np

STABILITY_CLASSES = "ABCDEF"

# Pasquill (1961) / Turner (1970) table, as reprinted in Crowl & Louvar (2011) Table 5-1.
# Rows: surface wind speed at 10 m (m/s) below each upper bound; the last row is ≥ 6 m/s.
# Day columns: strong, moderate, slight incoming solar radiation.
# Night columns: thinly overcast or ≥ 4/8 low cloud, ≤ 3/8 cloud.
# Split classes (A–B, B–C, C–D) are resolved to the more unstable letter; this agrees in
# most cells with Turner's (1964) objective scheme, which has no split classes.
# The table leaves night at < 2 m/s blank; we extend the 2–3 m/s row (E cloudy, F clear).
PASQUILL_WIND_UPPER_M_PER_S = (2.0, 3.0, 5.0, 6.0, math.inf)
PASQUILL_DAY = {
    "strong": ("A", "A", "B", "C", "C"),
    "moderate": ("A", "B", "B", "C", "D"),
    "slight": ("B", "C", "C", "D", "D"),
}
PASQUILL_NIGHT_CLOUDY = ("E", "E", "D", "D", "D")
PASQUILL_NIGHT_CLEAR = ("F", "F", "E", "D", "D")
# Pasquill (1961) note 3: neutral class D for overcast skies, day or night.
OVERCAST_OKTAS = 8.0
# Night split between the two night columns: "≥ 4/8 low cloud" vs "≤ 3/8 cloud".
NIGHT_CLOUDY_MIN_OKTAS = 4.0
# Daytime insolation from cloud cover alone (assumption: sun high, near midday; pass
# `insolation=` explicitly when the scenario knows better). Turner (1964) lowers the
# net-radiation index when cloud cover exceeds about half the sky.
DAY_STRONG_MAX_OKTAS = 3.0
DAY_MODERATE_MAX_OKTAS = 5.0

# Turner's (1964) objective scheme, as US EPA (2000) EPA-454/R-99-005 §6.4.1 gives it:
# the class follows from the wind and a net radiation index (NRI) that the sun's altitude,
# the cloud cover and the ceiling set. Table 6-5: insolation class number by solar
# altitude (deg): > 60 → 4, (35, 60] → 3, (15, 35] → 2, ≤ 15 → 1.
TURNER_INSOLATION_ALTITUDES_DEG = (15.0, 35.0, 60.0)
# Table 6-6: ceilings that lower the daytime index under more than 5/10 cloud (ft).
TURNER_LOW_CEILING_FT = 7000.0
TURNER_MID_CEILING_FT = 16000.0
FEET_PER_M = 1.0 / 0.3048
KNOTS_PER_M_PER_S = 3600.0 / 1852.0
# Table 6-4: class number (1 = A … 7 = G) by wind (knots, rows: upper bounds of 0–1, 2–3,
# 4–5, 6, 7, 8–9, 10, 11, ≥ 12) and NRI (columns 4, 3, 2, 1, 0, −1, −2). US EPA merges
# classes 6 and 7 (F and G) into F.
TURNER_WIND_UPPER_KNOTS = (1, 3, 5, 6, 7, 9, 10, 11, math.inf)
TURNER_TABLE = (
    (1, 1, 2, 3, 4, 6, 7),
    (1, 2, 2, 3, 4, 6, 7),
    (1, 2, 3, 4, 4, 5, 6),
    (2, 2, 3, 4, 4, 5, 6),
    (2, 2, 3, 4, 4, 4, 5),
    (2, 3, 3, 4, 4, 4, 5),
    (3, 3, 4, 4, 4, 4, 5),
    (3, 3, 4, 4, 4, 4, 4),
    (3, 4, 4, 4, 4, 4, 4),
)
TENTHS_PER_OKTA = 10.0 / 8.0

# Briggs (1973) coefficients, as tabulated by Gifford (1976) and in Crowl & Louvar (2011)
# Table 5-2 (x in m, σ in m):
#   σy = a·x·(1 + b·x)^(-1/2)
#   σz = c·x·(1 + d·x)^e
# Open country (rural): (a, b, c, d, e)
BRIGGS_RURAL = {
    "A": (0.22, 1.0e-4, 0.20, 0.0, 0.0),
    "B": (0.16, 1.0e-4, 0.12, 0.0, 0.0),
    "C": (0.11, 1.0e-4, 0.08, 2.0e-4, -0.5),
    "D": (0.08, 1.0e-4, 0.06, 1.5e-3, -0.5),
    "E": (0.06, 1.0e-4, 0.03, 3.0e-4, -1.0),
    "F": (0.04, 1.0e-4, 0.016, 3.0e-4, -1.0),
}
# Urban (McElroy–Pooler St Louis data fitted by Briggs): A–B and E–F share a row.
BRIGGS_URBAN = {
    "A": (0.32, 4.0e-4, 0.24, 1.0e-3, 0.5),
    "B": (0.32, 4.0e-4, 0.24, 1.0e-3, 0.5),
    "C": (0.22, 4.0e-4, 0.20, 0.0, 0.0),
    "D": (0.16, 4.0e-4, 0.14, 3.0e-4, -0.5),
    "E": (0.11, 4.0e-4, 0.08, 1.5e-3, -0.5),
    "F": (0.11, 4.0e-4, 0.08, 1.5e-3, -0.5),
}

# Puff (instantaneous release) coefficients, CCPS (1999) ch. 2 after Slade (1968), also
# reprinted in Crowl & Louvar (2011) ch. 5 (x in m, σ in m):
#   σx = σy = a·x^b,   σz = c·x^d
# (a, b, c, d) by Pasquill class; open country.
CCPS_PUFF = {
    "A": (0.18, 0.92, 0.60, 0.75),
    "B": (0.14, 0.92, 0.53, 0.73),
    "C": (0.10, 0.92, 0.34, 0.71),
    "D": (0.06, 0.92, 0.15, 0.70),
    "E": (0.04, 0.92, 0.10, 0.65),
    "F": (0.02, 0.89, 0.05, 0.61),
}

TWO_PI = 2.0 * math.pi
TWO_PI_POW_1_5 = TWO_PI**1.5


def _check_stability(stability: str) -> None:
    if stability not in BRIGGS_RURAL:
        raise ValueError(f"stability class must be one of {STABILITY_CLASSES!r}, got {stability!r}")


def stability_class(
    wind_speed_m_per_s: float,
    is_day: bool,
    cloud_cover_oktas: float,
    *,
    insolation: str | None = None,
) -> str:
    """Pasquill–Gifford stability class 'A' (very unstable) … 'F' (stable).

    Args:
        wind_speed_m_per_s: wind speed at 10 m (m/s), ≥ 0.
        is_day: True between one hour after sunrise and one hour before sunset.
        cloud_cover_oktas: total cloud cover, 0 (clear) … 8 (overcast).
        insolation: optional 'strong' | 'moderate' | 'slight' for daytime; if omitted it
            is inferred from the cloud cover (≤ 3 oktas strong, ≤ 5 moderate, else slight).

    Returns:
        One letter of 'ABCDEF'. Overcast (8 oktas) gives 'D' day or night.

    Raises:
        ValueError: negative wind, cloud cover outside 0..8, unknown insolation.
    """
    if wind_speed_m_per_s < 0.0 or not math.isfinite(wind_speed_m_per_s):
        raise ValueError(f"wind speed must be finite and ≥ 0 m/s, got {wind_speed_m_per_s}")
    if not 0.0 <= cloud_cover_oktas <= OVERCAST_OKTAS:
        raise ValueError(f"cloud cover must be within 0..8 oktas, got {cloud_cover_oktas}")
    if insolation is not None and insolation not in PASQUILL_DAY:
        raise ValueError(f"insolation must be one of {sorted(PASQUILL_DAY)}, got {insolation!r}")
    row = next(i for i, u in enumerate(PASQUILL_WIND_UPPER_M_PER_S) if wind_speed_m_per_s < u)
    if cloud_cover_oktas >= OVERCAST_OKTAS:
        return "D"
    if not is_day:
        cloudy = cloud_cover_oktas >= NIGHT_CLOUDY_MIN_OKTAS
        return (PASQUILL_NIGHT_CLOUDY if cloudy else PASQUILL_NIGHT_CLEAR)[row]
    if insolation is None:
        if cloud_cover_oktas <= DAY_STRONG_MAX_OKTAS:
            insolation = "strong"
        elif cloud_cover_oktas <= DAY_MODERATE_MAX_OKTAS:
            insolation = "moderate"
        else:
            insolation = "slight"
    return PASQUILL_DAY[insolation][row]


def turner_stability_class(
    wind_speed_m_per_s: float,
    is_day: bool,
    cloud_cover_oktas: float,
    solar_altitude_deg: float,
    *,
    ceiling_m: float | None = None,
) -> str:
    """Pasquill class by Turner's (1964) net radiation index (US EPA 2000 §6.4.1).

    Unlike `stability_class`, which has only the cloud cover to guess the strength of
    the sun from, this takes the sun's altitude: a clear winter afternoon (sun at 25°)
    is slightly unstable at most, a clear summer noon very unstable.

    Args:
        wind_speed_m_per_s: wind speed at 10 m (m/s), ≥ 0 (Turner's table is in knots,
            rounded to the nearest knot).
        is_day: False from one hour before sunset to one hour after sunrise (Turner's
            night); the solar altitude is then not used.
        cloud_cover_oktas: total cloud cover, 0..8 oktas (converted to tenths).
        solar_altitude_deg: the sun's altitude above the horizon (deg).
        ceiling_m: cloud ceiling (m). Unknown (None): below 7,000 ft under an overcast
            sky (so overcast is neutral, D, as in Pasquill's note), otherwise between
            7,000 and 16,000 ft, the middle of Turner's three cases.

    Returns:
        One letter of 'ABCDEF' (Turner's class 7, G, is reported as F as US EPA does).

    Raises:
        ValueError: negative or non-finite wind, cloud cover outside 0..8.
    """
    if wind_speed_m_per_s < 0.0 or not math.isfinite(wind_speed_m_per_s):
        raise ValueError(f"wind speed must be finite and ≥ 0 m/s, got {wind_speed_m_per_s}")
    if not 0.0 <= cloud_cover_oktas <= OVERCAST_OKTAS:
        raise ValueError(f"cloud cover must be within 0..8 oktas, got {cloud_cover_oktas}")
    tenths = cloud_cover_oktas * TENTHS_PER_OKTA
    overcast = tenths >= 10.0
    if ceiling_m is None:
        ceiling_ft = 0.0 if overcast else 0.5 * (TURNER_LOW_CEILING_FT + TURNER_MID_CEILING_FT)
    else:
        ceiling_ft = ceiling_m * FEET_PER_M
    if overcast and ceiling_ft < TURNER_LOW_CEILING_FT:
        nri = 0  # Table 6-6 step 1: overcast with a low ceiling, day or night
    elif not is_day:
        nri = -2 if tenths <= 4.0 else -1  # step 2
    else:
        nri = 1 + sum(solar_altitude_deg > a for a in TURNER_INSOLATION_ALTITUDES_DEG)
        if tenths > 5.0:  # step 3c: the reductions add up
            if ceiling_ft < TURNER_LOW_CEILING_FT:
                nri -= 2
            elif ceiling_ft < TURNER_MID_CEILING_FT:
                nri -= 1
            if overcast:
                nri -= 1
            nri = max(nri, 1)
    knots = round(wind_speed_m_per_s * KNOTS_PER_M_PER_S)
    row = next(i for i, k in enumerate(TURNER_WIND_UPPER_KNOTS) if knots <= k)
    turner_class = TURNER_TABLE[row][4 - nri]
    return STABILITY_CLASSES[min(turner_class, len(STABILITY_CLASSES)) - 1]


def solar_altitude_deg(latitude_deg: float, day_of_year: int, solar_time_h: float) -> float:
    """The sun's altitude (deg) at local solar time `solar_time_h` (12 = solar noon).

    Solar time, not clock time: in China (UTC+8, kept for 120° E) solar time runs
    4 min behind the clock for each degree of longitude west of 120° E.

    sin α = sin φ sin δ + cos φ cos δ cos h, hour angle h = 15°·(t − 12), declination
    δ = 23.45°·sin(360°·(284 + n)/365) (Cooper 1969, Solar Energy 12, 333). Accurate to
    about a degree, ample for choosing an insolation class.
    """
    decl = math.radians(23.45) * math.sin(math.radians(360.0 * (284 + day_of_year) / 365.0))
    lat = math.radians(latitude_deg)
    hour = math.radians(15.0 * (solar_time_h - 12.0))
    sin_alt = math.sin(lat) * math.sin(decl) + math.cos(lat) * math.cos(decl) * math.cos(hour)
    return math.degrees(math.asin(max(-1.0, min(1.0, sin_alt))))


def briggs_sigmas(
    x_m: np.ndarray | float, stability: str, urban: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Briggs (1973) horizontal and vertical dispersion coefficients.

    σy = a·x·(1 + b·x)^(-1/2),  σz = c·x·(1 + d·x)^e  (coefficients above).

    Args:
        x_m: downwind (travel) distance in metres, scalar or array; values ≤ 0 give σ = 0.
        stability: Pasquill class 'A'..'F'.
        urban: True for the urban table, False for open country.

    Returns:
        (σy_m, σz_m) as float64 arrays shaped like `x_m` (0-d for a scalar).

    Raises:
        ValueError: unknown stability class.
    """
    _check_stability(stability)
    a, b, c, d, e = (BRIGGS_URBAN if urban else BRIGGS_RURAL)[stability]
    x = np.maximum(np.asarray(x_m, dtype=np.float64), 0.0)
    sigma_y_m = a * x / np.sqrt(1.0 + b * x)
    sigma_z_m = c * x * (1.0 + d * x) ** e if d != 0.0 else c * x
    return sigma_y_m, np.asarray(sigma_z_m, dtype=np.float64)


def puff_sigmas(x_m: np.ndarray | float, stability: str) -> tuple[np.ndarray, np.ndarray]:
    """Dispersion coefficients of an instantaneous puff (CCPS 1999, after Slade 1968).

    σx = σy = a·x^b,  σz = c·x^d  (coefficients `CCPS_PUFF`), x the distance the puff
    centre has travelled. Open country; used for urban sources as well.

    Args:
        x_m: travel distance (m), scalar or array; values ≤ 0 give σ = 0.
        stability: Pasquill class 'A'..'F'.

    Returns:
        (σh_m, σz_m): horizontal (σx = σy) and vertical σ, float64 arrays shaped like `x_m`.

    Raises:
        ValueError: unknown stability class.
    """
    _check_stability(stability)
    a, b, c, d = CCPS_PUFF[stability]
    x = np.maximum(np.asarray(x_m, dtype=np.float64), 0.0)
    return a * x**b, c * x**d


def vertical_factor(
    z_m: np.ndarray | float, release_height_m: float, sigma_z_m: np.ndarray | float
) -> np.ndarray:
    """Ground-reflected vertical term exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²).

    It is 0 where σz = 0 (no vertical spread yet). Dimensionless, in 0..2.
    """
    sz = np.asarray(sigma_z_m, dtype=np.float64)
    z = np.asarray(z_m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_two_var = np.where(sz > 0.0, 0.5 / (sz * sz), 0.0)
        direct = np.exp(-((z - release_height_m) ** 2) * inv_two_var)
        image = np.exp(-((z + release_height_m) ** 2) * inv_two_var)
    return np.where(sz > 0.0, direct + image, 0.0)


def plume_concentration_kg_per_m3(
    rate_kg_per_s: float,
    wind_m_per_s: float,
    x_m: np.ndarray | float,
    y_m: np.ndarray | float,
    z_m: np.ndarray | float,
    release_height_m: float,
    stability: str,
    urban: bool,
) -> np.ndarray:
    """Steady Gaussian plume with ground reflection (Turner 1970 eq. 3.1).

    C = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]

    Args:
        rate_kg_per_s: release rate Q ≥ 0 (kg/s).
        wind_m_per_s: transport wind speed u > 0 (m/s).
        x_m, y_m, z_m: receptor coordinates (m): downwind, crosswind, height above ground.
        release_height_m: effective release height H ≥ 0 (m).
        stability, urban: select the Briggs sigmas.

    Returns:
        Concentration (kg/m³), broadcast over the coordinate arrays; 0 where x ≤ 0.

    Raises:
        ValueError: u ≤ 0, Q < 0, H < 0 or unknown stability.
    """
    if wind_m_per_s <= 0.0:
        raise ValueError(f"wind speed must be > 0 m/s for a plume, got {wind_m_per_s}")
    if rate_kg_per_s < 0.0 or release_height_m < 0.0:
        raise ValueError("release rate and release height must be ≥ 0")
    x = np.asarray(x_m, dtype=np.float64)
    sigma_y_m, sigma_z_m = briggs_sigmas(x, stability, urban)
    ok = x > 0.0
    sy = np.where(ok, sigma_y_m, 1.0)
    sz = np.where(ok, sigma_z_m, 1.0)
    y = np.asarray(y_m, dtype=np.float64)
    c = (
        rate_kg_per_s
        / (TWO_PI * wind_m_per_s * sy * sz)
        * np.exp(-0.5 * (y / sy) ** 2)
        * vertical_factor(z_m, release_height_m, sz)
    )
    return np.where(ok, c, 0.0)


def puff_concentration_kg_per_m3(
    mass_kg: float,
    x_m: np.ndarray | float,
    y_m: np.ndarray | float,
    z_m: np.ndarray | float,
    release_height_m: float,
    stability: str,
    urban: bool,
    *,
    travel_m: float,
) -> np.ndarray:
    """Instantaneous Gaussian puff with ground reflection, σx = σy (CCPS 1999 ch. 2).

    C = M / ((2π)^(3/2) σx σy σz) · exp(−x²/2σx² − y²/2σy²)
        · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]

    with the puff coefficients of `puff_sigmas` (not the 10-minute plume sigmas: those
    include plume meander, and would spread one puff's mass over a volume tens of times
    too large in stable air).

    Args:
        mass_kg: puff mass M ≥ 0 (kg).
        x_m, y_m: receptor offsets from the puff centre (m), along- and cross-wind.
        z_m: receptor height above ground (m).
        release_height_m: height of the puff centre H ≥ 0 (m).
        stability: Pasquill class of the puff sigmas.
        urban: accepted for symmetry with the plume; CCPS has no urban puff set, so it
            does not change the result.
        travel_m: distance the puff has travelled (m), > 0; the sigmas are σ(travel).

    Returns:
        Concentration (kg/m³), broadcast over the coordinate arrays.

    Raises:
        ValueError: travel ≤ 0, M < 0, H < 0 or unknown stability.
    """
    if travel_m <= 0.0:
        raise ValueError(f"puff travel distance must be > 0 m, got {travel_m}")
    if mass_kg < 0.0 or release_height_m < 0.0:
        raise ValueError("puff mass and release height must be ≥ 0")
    del urban  # open-country puff coefficients only (CCPS 1999)
    sigma_y_m, sigma_z_m = puff_sigmas(travel_m, stability)
    sh = float(sigma_y_m)
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    return (
        mass_kg
        / (TWO_PI_POW_1_5 * sh * sh * float(sigma_z_m))
        * np.exp(-0.5 * (x * x + y * y) / (sh * sh))
        * vertical_factor(z_m, release_height_m, sigma_z_m)
    )


def add_ground_puffs(
    field: np.ndarray,
    cell_m: float,
    x_m: np.ndarray,
    y_m: np.ndarray,
    sigma_h_m: np.ndarray,
    peak: np.ndarray,
    *,
    window_sigmas: float,
    scratch: np.ndarray,
) -> tuple[int, int]:
    """Add horizontally isotropic Gaussian puffs to a grid field, each on its own window.

    field[i, j] += peak_k · exp(−((x_j − x_k)² + (y_i − y_k)²) / 2σ_k²) for the cells whose
    centres ((j + 0.5)·Δ, (i + 0.5)·Δ) lie within ±window_sigmas·σ_k of puff k. The
    Gaussian is separable (σx = σy), so each window is one outer product of two 1-D
    Gaussians, all of which are computed in one vectorised pass.

    Args:
        field: (ny, nx) array, updated in place (units of `peak`).
        cell_m: cell side Δ (m). x_m, y_m: puff centres, east and south (m).
        sigma_h_m: horizontal σ of each puff (m), > 0. peak: value at each centre.
        window_sigmas: half-width of the window in σ. scratch: array ≥ field's shape.

    Returns:
        (number of puffs that touched the grid, number of cells evaluated).
    """
    ny, nx = field.shape
    reach = window_sigmas * sigma_h_m / cell_m
    # cell j is in the window when |(j + 0.5)·Δ − x| ≤ wσ
    col0 = np.clip(np.ceil(x_m / cell_m - 0.5 - reach), 0, nx).astype(np.int64)
    col1 = np.clip(np.floor(x_m / cell_m - 0.5 + reach) + 1, 0, nx).astype(np.int64)
    row0 = np.clip(np.ceil(y_m / cell_m - 0.5 - reach), 0, ny).astype(np.int64)
    row1 = np.clip(np.floor(y_m / cell_m - 0.5 + reach) + 1, 0, ny).astype(np.int64)
    on = (col1 > col0) & (row1 > row0)
    col0, col1, row0, row1 = col0[on], col1[on], row0[on], row1[on]
    inv_two_var = -0.5 / (sigma_h_m[on] * sigma_h_m[on])
    centres_x_m = (np.arange(nx) + 0.5) * cell_m
    centres_y_m = (np.arange(ny) + 0.5) * cell_m
    gx, x_ends = _window_gaussians(centres_x_m, col0, col1, x_m[on], inv_two_var, None)
    gy, y_ends = _window_gaussians(centres_y_m, row0, row1, y_m[on], inv_two_var, peak[on])
    # Python loop over puffs; each body is one outer product and one in-place add.
    x_start = y_start = 0
    for j0, j1, i0, i1, x_end, y_end in zip(
        col0.tolist(), col1.tolist(), row0.tolist(), row1.tolist(),
        x_ends.tolist(), y_ends.tolist(), strict=True,
    ):  # fmt: skip
        block = scratch[: i1 - i0, : j1 - j0]
        np.multiply.outer(gy[y_start:y_end], gx[x_start:x_end], out=block)
        field[i0:i1, j0:j1] += block
        x_start, y_start = x_end, y_end
    return int(col0.size), int(np.dot(col1 - col0, row1 - row0))


def _window_gaussians(
    centres_m: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    mean_m: np.ndarray,
    inv_two_var: np.ndarray,
    scale: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated [scale·]exp(−(c − μ)²/2σ²) over cells lo[k]:hi[k] of each puff k.

    Returns the values and the end offset of each puff's run in them.
    """
    sizes = hi - lo
    ends = np.cumsum(sizes)
    owner = np.repeat(np.arange(sizes.size), sizes)
    cell = lo[owner] + (np.arange(owner.size) - (ends - sizes)[owner])
    values = np.exp(inv_two_var[owner] * (centres_m[cell] - mean_m[owner]) ** 2)
    if scale is not None:
        values *= scale[owner]
    return values, ends
