"""Toxic harm from a gas cloud: substances, unit conversion, toxic load, probit, AEGL, indoors.

The dispersion model gives concentrations; this module turns them into harm. A person
accumulates a toxic load L = Σ Cⁿ·Δt (C in ppm, Δt in minutes); the probit
Y = a + b·ln L gives the fraction of people killed, Φ(Y − 5). AEGL thresholds (US EPA /
NRC) grade exposure for warnings; a single-zone air-exchange model gives the
concentration inside a closed building for people sheltering in place.

References:
    Withers R.M.J., Lees F.P. (1985) The assessment of major hazards: the lethal toxicity
        of chlorine, Part 2. J. Hazard. Mater. 12, 283–302 (Y = −8.29 + 0.92 ln ΣC²t).
    Crowl D.A., Louvar J.F. (2011) Chemical Process Safety, 3rd ed., Table 2-5 (from
        Eisenberg et al. 1975): ammonia deaths Y = −35.9 + 1.85 ln ΣC²t (ppm, min).
    NRC (2004) AEGLs for Selected Airborne Chemicals, Vol. 4 (chlorine).
    NRC (2008) AEGLs for Selected Airborne Chemicals, Vol. 6 (ammonia).
    Chan W.R., Price P.N., Gadgil A.J. (2007) Sheltering in buildings from large-scale
        outdoor releases, LBNL-55575 / AIVC VIP 26.
    Du L. et al. (2012) Air change rates and interzonal flows in residences. Int. J.
        Environ. Res. Public Health 9, 4639 (living-area median 0.57 /h).
    Press W.H. et al. (1992) Numerical Recipes in C, 2nd ed., §6.2 (erfcc).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

# Molar volume of an ideal gas at 25 °C and 1 atm (L/mol): ppm = C[mg/m³]·24.45/MW.
MOLAR_VOLUME_L_PER_MOL_25C = 24.45
MG_PER_KG = 1.0e6
SECONDS_PER_MIN = 60.0
SECONDS_PER_HOUR = 3600.0
PROBIT_OFFSET = 5.0  # Y = 5 is the median (Finney 1971)

# AEGL exposure durations (min): 10 min, 30 min, 1 h, 4 h, 8 h.
AEGL_DURATIONS_MIN = (10.0, 30.0, 60.0, 240.0, 480.0)

# A closed house with doors and windows shut and fans off: ~0.5 air changes per hour
# (Chan et al. 2007; Du et al. 2012 measured a living-area median of 0.57 /h).
DEFAULT_AIR_CHANGES_PER_H = 0.5

# Chebyshev-fitted polynomial P(t) of erfcc, lowest order first (Press et al. 1992 §6.2).
ERFC_POLY_COEFFS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


@dataclass(frozen=True)
class Substance:
    """A toxic gas: its molar mass, lethality probit and AEGL table.

    Probit: Y = probit_a + probit_b·ln(Σ Cⁿ·t), C in ppm, t in minutes, n = probit_n.
    aegl_ppm[level − 1][k] is the AEGL-`level` (ppm) for AEGL_DURATIONS_MIN[k].
    """

    name: str
    name_zh: str
    molar_mass_g_per_mol: float
    probit_a: float
    probit_b: float
    probit_n: float
    aegl_ppm: tuple[tuple[float, ...], ...]


SUBSTANCES: Mapping[str, Substance] = MappingProxyType(
    {
        "chlorine": Substance(
            name="chlorine",
            name_zh="氯气",
            molar_mass_g_per_mol=70.906,
            # Withers & Lees (1985), regular population, standard activity.
            probit_a=-8.29,
            probit_b=0.92,
            probit_n=2.0,
            # NRC (2004) Vol. 4, final AEGLs (ppm): 10 min, 30 min, 1 h, 4 h, 8 h.
            aegl_ppm=(
                (0.50, 0.50, 0.50, 0.50, 0.50),
                (2.8, 2.8, 2.0, 1.0, 0.71),
                (50.0, 28.0, 20.0, 10.0, 7.1),
            ),
        ),
        "ammonia": Substance(
            name="ammonia",
            name_zh="氨气",
            molar_mass_g_per_mol=17.031,
            # Crowl & Louvar (2011) Table 2-5 / Lees (ammonia deaths), ppm and min.
            probit_a=-35.9,
            probit_b=1.85,
            probit_n=2.0,
            # NRC (2008) Vol. 6, final AEGLs (ppm): 10 min, 30 min, 1 h, 4 h, 8 h.
            aegl_ppm=(
                (30.0, 30.0, 30.0, 30.0, 30.0),
                (220.0, 220.0, 160.0, 110.0, 110.0),
                (2700.0, 1600.0, 1100.0, 550.0, 390.0),
            ),
        ),
    }
)


def get_substance(substance: str) -> Substance:
    """The `Substance` named `substance` (e.g. 'chlorine'). Raises KeyError if unknown."""
    try:
        return SUBSTANCES[substance]
    except KeyError:
        raise KeyError(f"unknown substance {substance!r}; known: {sorted(SUBSTANCES)}") from None


def kg_per_m3_to_ppm(c: np.ndarray | float, molar_mass_g_per_mol: float) -> np.ndarray | float:
    """Mass concentration (kg/m³) to volume mixing ratio (ppm) at 25 °C, 1 atm.

    ppm = C[mg/m³] · 24.45 / MW. Works on scalars and arrays.
    """
    return c * (MG_PER_KG * MOLAR_VOLUME_L_PER_MOL_25C / molar_mass_g_per_mol)


def ppm_to_kg_per_m3(c_ppm: np.ndarray | float, molar_mass_g_per_mol: float) -> np.ndarray | float:
    """Volume mixing ratio (ppm) to mass concentration (kg/m³) at 25 °C, 1 atm."""
    return c_ppm * (molar_mass_g_per_mol / (MG_PER_KG * MOLAR_VOLUME_L_PER_MOL_25C))


def _erfc(x: np.ndarray) -> np.ndarray:
    """Complementary error function, fractional error < 1.2e-7 (Numerical Recipes erfcc).

    erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0; erfc(−z) = 2 − erfc(z).
    """
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.full_like(t, ERFC_POLY_COEFFS[-1])
    for coeff in reversed(ERFC_POLY_COEFFS[:-1]):  # Horner
        poly = coeff + t * poly
    ans = t * np.exp(-z * z + poly)
    return np.where(x >= 0.0, ans, 2.0 - ans)


def normal_cdf(x: np.ndarray | float) -> np.ndarray:
    """Standard normal CDF Φ(x) = erfc(−x/√2)/2, vectorised (absolute error < 1e-7)."""
    return 0.5 * _erfc(-np.asarray(x, dtype=np.float64) / math.sqrt(2.0))


def probit_fraction(substance: str, toxic_load: float | np.ndarray) -> np.ndarray:
    """Fraction of an exposed population killed by a toxic load.

    Y = a + b·ln L,  fraction = Φ(Y − 5).

    Args:
        substance: key of SUBSTANCES.
        toxic_load: L = Σ Cⁿ·t in ppmⁿ·min (n = the substance's probit_n), ≥ 0.

    Returns:
        Fraction in [0, 1], shaped like `toxic_load` (0-d for a scalar); 0 where L = 0.

    Raises:
        KeyError: unknown substance.
    """
    s = get_substance(substance)
    load = np.asarray(toxic_load, dtype=np.float64)
    positive = load > 0.0
    if load.ndim == 0:
        y = s.probit_a + s.probit_b * np.log(np.where(positive, load, 1.0))
        return np.where(positive, normal_cdf(y - PROBIT_OFFSET), 0.0)
    out = np.zeros_like(load)  # only the cells that breathed any gas: a cloud is a small part
    y = s.probit_a + s.probit_b * np.log(load[positive])
    out[positive] = normal_cdf(y - PROBIT_OFFSET)
    return out


def toxic_load_increment(
    substance: str, c_ppm: np.ndarray | float, dt_s: float
) -> np.ndarray | float:
    """Toxic load Cⁿ·Δt (ppmⁿ·min) gathered over `dt_s` seconds at constant `c_ppm`."""
    n = get_substance(substance).probit_n
    return np.power(c_ppm, n) * (dt_s / SECONDS_PER_MIN)


def aegl_ppm(substance: str, level: int, exposure_min: float) -> float:
    """AEGL-`level` concentration (ppm) for an exposure of `exposure_min` minutes.

    Duration choice (conservative, no interpolation): the shortest tabulated duration
    that is ≥ the exposure (an exposure of 20 min uses the 30-min value); exposures up to
    10 min use the 10-min value and exposures beyond 8 h use the 8-h value.

    Raises:
        KeyError: unknown substance. ValueError: level not 1..3 or exposure < 0.
    """
    if level not in (1, 2, 3):
        raise ValueError(f"AEGL level must be 1, 2 or 3, got {level}")
    if exposure_min < 0.0:
        raise ValueError(f"exposure must be ≥ 0 min, got {exposure_min}")
    row = get_substance(substance).aegl_ppm[level - 1]
    for duration_min, value_ppm in zip(AEGL_DURATIONS_MIN, row, strict=True):
        if exposure_min <= duration_min:
            return value_ppm
    return row[-1]


def indoor_concentration(
    c_in: np.ndarray | float,
    c_out: np.ndarray | float,
    air_changes_per_h: float,
    dt_s: float,
) -> np.ndarray | float:
    """Indoor concentration after `dt_s` seconds of single-zone air exchange.

    dC_in/dt = λ (C_out − C_in), λ = air changes per hour / 3600 s, with C_out constant
    over the step; exact solution C_in(t+Δt) = C_out + (C_in − C_out)·exp(−λ Δt).
    Any concentration unit (the equation is linear).

    Raises:
        ValueError: negative air change rate or time step.
    """
    if air_changes_per_h < 0.0 or dt_s < 0.0:
        raise ValueError("air change rate and time step must be ≥ 0")
    decay = math.exp(-air_changes_per_h * dt_s / SECONDS_PER_HOUR)
    return c_out + (c_in - c_out) * decay


class ToxicExposure:
    """Toxic load per grid cell for people outdoors and for people sheltering indoors.

    Feed it the summed outdoor concentration field of one substance each step
    (`accumulate`); read `outdoor_load` / `indoor_load` (ppmⁿ·min) or the lethal fractions.
    Outdoors the concentration is held constant over the step (L += Cⁿ Δt). Indoors C_in
    follows the exact exponential; its Cⁿ is integrated over the step by Simpson's rule
    on the exact start, mid and end values.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        substance: str,
        *,
        air_changes_per_h: float = DEFAULT_AIR_CHANGES_PER_H,
    ) -> None:
        self.substance = get_substance(substance)
        if air_changes_per_h < 0.0:
            raise ValueError("air change rate must be ≥ 0 per hour")
        self.air_changes_per_h = air_changes_per_h
        self.indoor_ppm = np.zeros(shape)
        self.outdoor_load = np.zeros(shape)
        self.indoor_load = np.zeros(shape)
        self._mid = np.zeros(shape)
        self._end = np.zeros(shape)

    def accumulate(self, outdoor_ppm: np.ndarray, dt_s: float) -> None:
        """Advance indoor concentration and both toxic loads by one step of `dt_s` s."""
        n = self.substance.probit_n
        dt_min = dt_s / SECONDS_PER_MIN
        # Where there is no gas, in or out, nothing changes (0ⁿ = 0, and the air indoors stays
        # clean): only the cells with gas are worked out, the same numbers cell by cell.
        gas = np.flatnonzero((outdoor_ppm != 0.0) | (self.indoor_ppm != 0.0))
        if gas.size < outdoor_ppm.size:
            self._accumulate_at(gas, np.asarray(outdoor_ppm).ravel()[gas], n, dt_s)
            return
        # L_out += C_out^n · Δt
        self.outdoor_load += np.power(outdoor_ppm, n) * dt_min
        # C_in at t + Δt/2 and t + Δt (exact exponential, constant C_out)
        self._mid[...] = indoor_concentration(
            self.indoor_ppm, outdoor_ppm, self.air_changes_per_h, 0.5 * dt_s
        )
        self._end[...] = indoor_concentration(
            self.indoor_ppm, outdoor_ppm, self.air_changes_per_h, dt_s
        )
        # L_in += Δt/6 · (C0^n + 4 Cmid^n + C1^n)   (Simpson)
        self.indoor_load += (dt_min / 6.0) * (
            np.power(self.indoor_ppm, n) + 4.0 * np.power(self._mid, n) + np.power(self._end, n)
        )
        self.indoor_ppm[...] = self._end

    def _accumulate_at(self, cells: np.ndarray, c_out: np.ndarray, n: float, dt_s: float) -> None:
        """:meth:`accumulate` at the flat ``cells`` only (``c_out``: the outdoor ppm there)."""
        dt_min = dt_s / SECONDS_PER_MIN
        indoor_ppm = self.indoor_ppm.ravel()
        c_in = indoor_ppm[cells]
        self.outdoor_load.ravel()[cells] += np.power(c_out, n) * dt_min
        mid = indoor_concentration(c_in, c_out, self.air_changes_per_h, 0.5 * dt_s)
        end = indoor_concentration(c_in, c_out, self.air_changes_per_h, dt_s)
        self.indoor_load.ravel()[cells] += (dt_min / 6.0) * (
            np.power(c_in, n) + 4.0 * np.power(mid, n) + np.power(end, n)
        )
        indoor_ppm[cells] = end

    def lethal_fraction_outdoor(self) -> np.ndarray:
        """Probit lethal fraction for people outdoors, per cell."""
        return probit_fraction(self.substance.name, self.outdoor_load)

    def lethal_fraction_indoor(self) -> np.ndarray:
        """Probit lethal fraction for people sheltering indoors, per cell."""
        return probit_fraction(self.substance.name, self.indoor_load)
