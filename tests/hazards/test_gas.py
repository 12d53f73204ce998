"""Gas dispersion and harm: closed forms, published values and puff-chain behaviour."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.hazards.gas import (
    SUBSTANCES,
    GasRelease,
    ToxicExposure,
    aegl_ppm,
    briggs_sigmas,
    indoor_concentration,
    is_urban_source,
    kg_per_m3_to_ppm,
    plume_concentration_kg_per_m3,
    ppm_to_kg_per_m3,
    probit_fraction,
    puff_concentration_kg_per_m3,
    solar_altitude_deg,
    stability_class,
    turner_stability_class,
)
from sim.landuse import LandUse
from sim.weather import WeatherState

CHLORINE_MW = SUBSTANCES["chlorine"].molar_mass_g_per_mol
REPO_ROOT = Path(__file__).resolve().parents[2]


def plume_ppm(rate, wind, x_m, stability, height_m=1.0, y_m=0.0):
    c = plume_concentration_kg_per_m3(rate, wind, x_m, y_m, 1.5, height_m, stability, False)
    return kg_per_m3_to_ppm(c, CHLORINE_MW)


def steady_release(shape=(100, 400), source=(50, 20), stability="D", wind=3.0, **kw):
    kw.setdefault("inventory_kg", 1.0e9)  # effectively constant rate
    kw.setdefault("rate_kg_per_s", 1.0)
    return GasRelease(shape, 10.0, source, "chlorine", **kw), stability, wind


# --- Briggs sigmas and the plume: Crowl & Louvar worked example -------------------------


def test_briggs_rural_F_sigmas_at_500_m_match_crowl_louvar_example():
    sigma_y, sigma_z = briggs_sigmas(500.0, "F", urban=False)
    assert float(sigma_y) == pytest.approx(19.5, rel=0.01)
    assert float(sigma_z) == pytest.approx(6.96, rel=0.01)


def test_ground_release_centreline_concentration_matches_crowl_louvar_example():
    # 0.1 kg/s at ground level, class F, 2 m/s, 500 m downwind, receptor on the ground.
    c = float(plume_concentration_kg_per_m3(0.1, 2.0, 500.0, 0.0, 0.0, 0.0, "F", False))
    assert c == pytest.approx(1.17e-4, rel=0.01)
    sigma_y, sigma_z = briggs_sigmas(500.0, "F", False)
    assert c == pytest.approx(0.1 / (math.pi * sigma_y * sigma_z * 2.0), rel=1e-12)


def test_urban_sigmas_follow_the_urban_briggs_row():
    sigma_y, sigma_z = briggs_sigmas(1000.0, "D", urban=True)
    assert float(sigma_y) == pytest.approx(0.16 * 1000.0 / math.sqrt(1.4), rel=1e-12)
    assert float(sigma_z) == pytest.approx(0.14 * 1000.0 / math.sqrt(1.3), rel=1e-12)
    assert float(sigma_y) > float(briggs_sigmas(1000.0, "D", urban=False)[0])


def test_plume_is_zero_upwind_and_symmetric_across_the_wind():
    c = plume_concentration_kg_per_m3(1.0, 3.0, np.array([-50.0, 0.0]), 0.0, 1.5, 1.0, "D", False)
    assert np.all(c == 0.0)
    left, right = (plume_ppm(1.0, 3.0, 800.0, "D", y_m=y) for y in (-40.0, 40.0))
    assert left == pytest.approx(right, rel=1e-14)


def test_puff_with_ground_reflection_holds_its_whole_mass_above_ground():
    mass_kg, travel_m = 50.0, 400.0
    sigma_y, sigma_z = (float(s) for s in briggs_sigmas(travel_m, "D", False))
    h = np.linspace(-6 * sigma_y, 6 * sigma_y, 121)
    z = np.linspace(0.0, 8 * sigma_z + 5.0, 161)
    x, y, zz = np.meshgrid(h, h, z, indexing="ij")
    c = puff_concentration_kg_per_m3(mass_kg, x, y, zz, 5.0, "D", False, travel_m=travel_m)
    total = np.trapezoid(np.trapezoid(np.trapezoid(c, z), h), h)
    assert total == pytest.approx(mass_kg, rel=0.005)


# --- The engine against published closed forms ------------------------------------------
#
# (a) Continuous ground-level point source, centre line at ground level (Turner 1970,
#     Workbook of Atmospheric Dispersion Estimates, ch. 3): C = Q / (π σy σz u), with
#     Briggs' (1973) open-country σ written out here from ATDL-106 (as tabulated by
#     Gifford 1976 and Crowl & Louvar 2011 Table 5-2), not taken from the engine.
# (b) Instantaneous ground-level puff, centre at the ground with reflection (CCPS 1999,
#     Guidelines for Consequence Analysis of Chemical Releases, ch. 2):
#     C = 2M / ((2π)^1.5 σx σy σz), twice the free-air Q/((2π)^1.5 σx σy σz), with the
#     CCPS puff coefficients (after Slade 1968) σx = σy = a·x^b, σz = c·x^d.

BRIGGS_RURAL_D = (0.08, 1.0e-4, 0.06, 1.5e-3)  # σy = a x (1+bx)^-½, σz = c x (1+dx)^-½
CCPS_PUFF_COEFFS = {"D": (0.06, 0.92, 0.15, 0.70), "F": (0.02, 0.89, 0.05, 0.61)}
AMMONIA_MW = SUBSTANCES["ammonia"].molar_mass_g_per_mol


def turner_ground_centreline_ppm(q_kg_per_s, u_m_per_s, x_m, molar_mass):
    a, b, c, d = BRIGGS_RURAL_D
    sigma_y, sigma_z = a * x_m / math.sqrt(1 + b * x_m), c * x_m / math.sqrt(1 + d * x_m)
    kg_per_m3 = q_kg_per_s / (math.pi * sigma_y * sigma_z * u_m_per_s)
    return kg_per_m3 * 1e6 * 24.45 / molar_mass  # ppm = mg/m³ × 24.45 / M at 25 °C


def run_steady(cell_m, q, wind, stability, *, dt_s=60.0, minutes=40.0, height_m=0.0):
    nx, ny = int(4400 / cell_m), int(1000 / cell_m)
    source = (ny // 2, int(200 / cell_m))
    release = GasRelease(
        (ny, nx), cell_m, source, "ammonia",
        inventory_kg=1.0e9, rate_kg_per_s=q, release_height_m=height_m,
    )  # fmt: skip
    for _ in range(round(minutes * 60.0 / dt_s)):
        release.run_one_step(dt_s, wind, 270.0, stability)
    return lambda x_m: float(release.concentration_ppm[source[0], source[1] + round(x_m / cell_m)])


@pytest.mark.parametrize("x_m", [200.0, 500.0, 1000.0])
def test_steady_ground_release_matches_turners_centreline_formula_within_10_percent(x_m):
    # 8 kg/s of ammonia (the Liuhe drill's rate) at ground level, class D, 2 m/s, 10 m
    # cells. Tolerance 10 %: the engine differs from the formula only by the puffs'
    # along-wind spread (≈ 2 % at 200 m), the 1.5 m breathing height (< 1 % here) and
    # the sampling on cell centres.
    centreline = run_steady(10.0, 8.0, 2.0, "D")
    expected = turner_ground_centreline_ppm(8.0, 2.0, x_m, AMMONIA_MW)
    assert centreline(x_m) == pytest.approx(expected, rel=0.10)


@pytest.mark.parametrize("x_m", [400.0, 500.0, 1000.0, 1200.0])
def test_steady_release_on_the_drills_50_m_grid_matches_the_hand_estimate_within_25_percent(x_m):
    # The instructor's hand check of the ammonia drill (2,000–3,000 ppm at 400 m under
    # rural D): the drill's 50 m cells and 4 m release height. Tolerance 25 % (the figure
    # asked for): beyond 400 m σy exceeds the half-cell σ floor, which smooths nearer in.
    centreline = run_steady(50.0, 8.0, 2.0, "D", height_m=4.0)
    expected = turner_ground_centreline_ppm(8.0, 2.0, x_m, AMMONIA_MW)
    assert centreline(x_m) == pytest.approx(expected, rel=0.25)
    if x_m == 400.0:
        assert 2000.0 < centreline(x_m) < 3500.0


def test_continuous_plume_does_not_depend_on_the_step_length():
    # A puff train sampled between too few puffs would under-read: 15 s and 120 s steps
    # must give the same steady centre line (within 5 %).
    fine = run_steady(10.0, 1.0, 2.0, "D", dt_s=15.0)
    coarse = run_steady(10.0, 1.0, 2.0, "D", dt_s=120.0)
    for x_m in (200.0, 500.0, 1000.0, 2000.0):
        assert coarse(x_m) == pytest.approx(fine(x_m), rel=0.05)


@pytest.mark.parametrize(("stability", "wind"), [("D", 2.0), ("F", 2.0)])
def test_instantaneous_puff_peak_at_500_m_matches_the_ccps_puff_solution(stability, wind):
    # 1,000 kg of chlorine released at once at ground level; after 250 s the puff centre
    # is 500 m downwind. Tolerance 2 % at the breathing height (the formula evaluated at
    # z = 1.5 m; the engine's grid puts a cell centre on the puff centre).
    mass_kg, cell_m, dt_s = 1000.0, 5.0, 50.0
    release = GasRelease(
        (100, 200), cell_m, (50, 20), "chlorine",
        inventory_kg=mass_kg, rate_kg_per_s=0.0, instantaneous=True, release_height_m=0.0,
    )  # fmt: skip
    for _ in range(5):
        release.run_one_step(dt_s, wind, 270.0, stability)
    a, b, c, d = CCPS_PUFF_COEFFS[stability]
    sigma_h, sigma_z = a * 500.0**b, c * 500.0**d
    ground_peak = 2.0 * mass_kg / ((2.0 * math.pi) ** 1.5 * sigma_h * sigma_h * sigma_z)
    at_1_5_m = ground_peak * math.exp(-(1.5**2) / (2.0 * sigma_z**2))
    peak_ppm = release.concentration_ppm.max()
    assert np.unravel_index(np.argmax(release.concentration_ppm), release.shape) == (50, 120)
    assert peak_ppm == pytest.approx(kg_per_m3_to_ppm(at_1_5_m, CHLORINE_MW), rel=0.02)
    # With the 10-minute plume sigmas the peak was 9× (D) to 47× (F) lower.
    sy, sz = (float(v) for v in briggs_sigmas(500.0, stability, False))
    plume_sigma_peak = 2.0 * mass_kg / ((2.0 * math.pi) ** 1.5 * sy * sy * sz)
    assert ground_peak / plume_sigma_peak > (8.0 if stability == "D" else 40.0)


# --- Stability classes: Pasquill (1961) / Turner (1970) table -------------------------


@pytest.mark.parametrize(
    ("wind", "is_day", "oktas", "expected"),
    [
        (2.0, True, 0.0, "A"),  # sunny, strong insolation, light wind
        (1.0, True, 0.0, "A"),
        (4.0, True, 0.0, "B"),
        (7.0, True, 0.0, "C"),
        (4.0, True, 4.0, "B"),  # moderate insolation, 3–5 m/s: B–C → B
        (5.5, True, 7.0, "D"),  # slight insolation, 5–6 m/s
        (4.0, True, 8.0, "D"),  # overcast day → neutral
        (1.5, False, 6.0, "E"),  # night, ≥ 4/8 cloud, low wind
        (2.5, False, 1.0, "F"),  # night, clear, low wind
        (4.0, False, 1.0, "E"),
        (4.0, False, 6.0, "D"),
        (1.0, False, 8.0, "D"),  # overcast night → neutral
    ],
)
def test_stability_class_follows_the_pasquill_turner_table(wind, is_day, oktas, expected):
    assert stability_class(wind, is_day, oktas) == expected


def test_stability_class_accepts_explicit_insolation_and_rejects_bad_input():
    assert stability_class(2.5, True, 0.0, insolation="slight") == "C"
    with pytest.raises(ValueError):
        stability_class(-1.0, True, 0.0)
    with pytest.raises(ValueError):
        stability_class(3.0, True, 9.0)


@pytest.mark.parametrize(
    ("wind", "is_day", "oktas", "altitude", "ceiling_m", "expected"),
    [
        # US EPA (2000) EPA-454/R-99-005 Table 6-4 cells, NRI from Tables 6-5 and 6-6.
        (0.3, True, 0.0, 70.0, None, "A"),  # 1 kt, NRI 4 → 1
        (3.1, True, 0.0, 40.0, None, "B"),  # 6 kt, NRI 3 → 2
        (2.0, True, 0.0, 25.0, None, "C"),  # 4 kt, NRI 2 → 3
        (7.0, True, 0.0, 70.0, None, "C"),  # 14 kt, NRI 4 → 3
        (2.0, True, 8.0, 50.0, 1000.0, "D"),  # overcast, ceiling < 7,000 ft: NRI 0
        (1.5, True, 6.0, 50.0, 1000.0, "C"),  # 3 kt, > 5/10 cloud, low ceiling: 3 − 2 = 1 → 3
        (2.0, True, 6.0, 50.0, 6000.0, "B"),  # ceiling ≥ 16,000 ft: no reduction, NRI 3
        (1.2, False, 2.0, 0.0, None, "F"),  # night, ≤ 4/10 cloud: NRI −2 → 7 (G) → F
        (1.2, False, 6.0, 0.0, None, "F"),  # night, > 4/10 cloud: NRI −1 → 6
        (4.0, False, 6.0, 0.0, None, "D"),  # 8 kt, NRI −1 → 4
    ],
)
def test_turner_stability_class_follows_epas_table(
    wind, is_day, oktas, altitude, ceiling_m, expected
):
    assert turner_stability_class(wind, is_day, oktas, altitude, ceiling_m=ceiling_m) == expected


def test_the_ammonia_drills_november_afternoon_is_neutral_by_turner_not_b():
    # 14:22 on 28 November (day 332) at 32° N: sun at ≈ 26° (insolation class 2), 5/8
    # cloud > 5/10 lowers it to NRI 1, 2 m/s ≈ 4 kt → class D, as the hand estimate took.
    # From the cloud alone, Pasquill's table must assume a high sun: moderate → B.
    altitude = solar_altitude_deg(32.0, 332, 14.0 + 22.0 / 60.0)
    assert 24.0 < altitude < 29.0
    assert turner_stability_class(2.0, True, 5.0, altitude) == "D"
    assert stability_class(2.0, True, 5.0) == "B"
    # Solar noon at the equator on the March equinox: the sun is overhead.
    assert solar_altitude_deg(0.0, 80, 12.0) == pytest.approx(90.0, abs=1.5)


# --- Harm: probit, conversions, AEGL, indoor air ----------------------------------------


def test_chlorine_probit_gives_half_lethality_at_433_ppm_for_10_min():
    assert float(probit_fraction("chlorine", 433.0**2 * 10.0)) == pytest.approx(0.5, abs=0.005)


def test_ammonia_probit_median_load_is_exp_of_40_9_over_1_85():
    median_load = math.exp((5.0 + 35.9) / 1.85)  # Y = −35.9 + 1.85 ln L = 5
    assert float(probit_fraction("ammonia", median_load)) == pytest.approx(0.5, abs=1e-6)


def test_probit_fraction_is_zero_without_exposure_and_rises_with_load():
    f = probit_fraction("chlorine", np.array([0.0, 1e5, 1e6, 1e7, 1e8]))
    assert f[0] == 0.0
    assert np.all(np.diff(f) > 0.0)
    assert 0.99 < f[-1] <= 1.0


def test_ppm_conversion_uses_24_45_litres_per_mole():
    one_ppm = ppm_to_kg_per_m3(1.0, CHLORINE_MW)
    assert one_ppm == pytest.approx(70.906 / 24.45 * 1e-6, rel=1e-12)  # 2.90 mg/m³
    assert kg_per_m3_to_ppm(one_ppm, CHLORINE_MW) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    ("substance", "level", "minutes", "expected_ppm"),
    [
        ("chlorine", 3, 5.0, 50.0),
        ("chlorine", 3, 10.0, 50.0),
        ("chlorine", 3, 20.0, 28.0),  # next tabulated duration ≥ 20 min is 30 min
        ("chlorine", 2, 45.0, 2.0),
        ("chlorine", 2, 240.0, 1.0),
        ("chlorine", 2, 300.0, 0.71),
        ("chlorine", 3, 600.0, 7.1),  # beyond 8 h: the 8-h value
        ("chlorine", 1, 60.0, 0.5),
        ("ammonia", 2, 60.0, 160.0),
        ("ammonia", 3, 30.0, 1600.0),
        ("ammonia", 1, 480.0, 30.0),
    ],
)
def test_aegl_lookup_uses_the_shortest_tabulated_duration_covering_the_exposure(
    substance, level, minutes, expected_ppm
):
    assert aegl_ppm(substance, level, minutes) == expected_ppm


def test_aegl_lookup_rejects_unknown_levels_and_substances():
    with pytest.raises(ValueError):
        aegl_ppm("chlorine", 4, 10.0)
    with pytest.raises(KeyError):
        aegl_ppm("phosgene", 1, 10.0)


def test_indoor_concentration_lags_outdoor_by_the_exact_exponential():
    # 0.5 air changes per hour, 1 h at 100 ppm outside: 100·(1 − e^−0.5) = 39.35 ppm.
    c = indoor_concentration(0.0, 100.0, 0.5, 3600.0)
    assert c == pytest.approx(100.0 * (1.0 - math.exp(-0.5)), rel=1e-14)
    stepped = 0.0
    for _ in range(60):
        stepped = indoor_concentration(stepped, 100.0, 0.5, 60.0)
    assert stepped == pytest.approx(c, rel=1e-12)
    # When the cloud has passed the house still holds gas: indoor exceeds outdoor.
    after = indoor_concentration(c, 0.0, 0.5, 600.0)
    assert 0.0 < after < c
    assert after == pytest.approx(c * math.exp(-0.5 / 6.0), rel=1e-14)


def test_toxic_exposure_loads_match_closed_forms_for_a_square_pulse():
    exposure = ToxicExposure((1, 1), "chlorine", air_changes_per_h=0.5)
    outdoor = np.full((1, 1), 100.0)
    for _ in range(30):  # 30 min at 100 ppm
        exposure.accumulate(outdoor, 60.0)
    assert exposure.outdoor_load[0, 0] == pytest.approx(100.0**2 * 30.0, rel=1e-12)
    # ∫0^T (C(1 − e^−λt))² dt = C² [T − 2(1 − e^−λT)/λ + (1 − e^−2λT)/(2λ)]
    lam, t = 0.5 / 60.0, 30.0
    exact = 100.0**2 * (
        t - 2 * (1 - math.exp(-lam * t)) / lam + (1 - math.exp(-2 * lam * t)) / (2 * lam)
    )
    assert exposure.indoor_load[0, 0] == pytest.approx(exact, rel=1e-6)
    assert exposure.lethal_fraction_indoor()[0, 0] < exposure.lethal_fraction_outdoor()[0, 0]


# --- The release: puff chain, wind shift, tank, stop --------------------------------------


@pytest.mark.parametrize(("stability", "wind"), [("D", 3.0), ("F", 2.0), ("B", 2.5)])
def test_steady_wind_puff_chain_converges_to_the_steady_plume(stability, wind):
    release, stability, wind = steady_release(stability=stability, wind=wind)
    for _ in range(60):  # 1 h: the cloud front is past the east edge of the 4 km map
        release.run_one_step(60.0, wind, 270.0, stability)
    row = release.concentration_ppm[50]
    for x_m in (200.0, 500.0, 1000.0, 2000.0, 3500.0):
        j = 20 + int(x_m / 10.0)
        # The puffs also diffuse along the wind (the plume neglects it): ≈ 2 % at 200 m.
        assert row[j] == pytest.approx(plume_ppm(1.0, wind, x_m, stability), rel=0.03)


def test_wind_shift_turns_new_puffs_and_the_concentration_follows():
    release, stability, wind = steady_release(shape=(300, 300), source=(100, 100))
    east, south = (100, 150), (150, 100)  # 500 m east and 500 m south of the source
    expected = plume_ppm(1.0, wind, 500.0, stability)
    for _ in range(20):
        release.run_one_step(60.0, wind, 270.0, stability)  # from the west → plume goes east
    assert release.concentration_ppm[east] == pytest.approx(expected, rel=0.03)
    assert release.concentration_ppm[south] == 0.0
    for _ in range(20):
        release.run_one_step(60.0, wind, 0.0, stability)  # from the north → plume goes south
    assert release.concentration_ppm[south] == pytest.approx(expected, rel=0.03)
    assert release.concentration_ppm[east] < 1e-3 * expected


def test_instantaneous_release_is_one_gaussian_puff_moving_with_the_wind():
    release = GasRelease(
        (200, 400), 5.0, (100, 20), "chlorine",
        inventory_kg=1000.0, rate_kg_per_s=0.0, instantaneous=True,
    )  # fmt: skip
    for _ in range(5):
        release.run_one_step(60.0, 2.0, 270.0, "D")
    assert release.released_kg == 1000.0 and not release.active and release.puff_count == 1
    i, j = np.unravel_index(np.argmax(release.concentration_ppm), release.shape)
    assert (i, j) == (100, 20 + 600 // 5)  # carried 2 m/s × 300 s = 600 m east
    expected = puff_concentration_kg_per_m3(1000.0, 0.0, 0.0, 1.5, 1.0, "D", False, travel_m=600.0)
    assert release.concentration_ppm[i, j] == pytest.approx(kg_per_m3_to_ppm(expected, CHLORINE_MW))


def test_rate_is_constant_until_the_inventory_is_gone_and_mass_is_its_integral():
    # The ammonia drill's leak: 60 t at 8 kg/s, one-minute steps. A liquefied gas leaves
    # the hole at a constant rate while liquid is left (Crowl & Louvar 2011 eq. 4-6), so
    # the tank empties after M0/Q = 7,500 s = 125 min, and by 68.8 min 33 t are out
    # (the old exponential decay let out 25.5 t and never emptied).
    q, m0 = 8.0, 60_000.0
    release = GasRelease((50, 50), 50.0, (25, 25), "ammonia", inventory_kg=m0, rate_kg_per_s=q)
    integral_kg = 0.0
    for minute in range(1, 131):
        rate = release.rate_kg_per_s
        before = release.released_kg
        release.run_one_step(60.0, 2.0, 270.0, "D")
        integral_kg += min(rate * 60.0, m0 - before)  # ∫ Q dt over the step
        assert release.released_kg == pytest.approx(integral_kg, rel=1e-12)
        assert release.released_kg + release.remaining_kg == pytest.approx(m0, rel=1e-14)
        if minute < 125:
            assert release.active and release.rate_kg_per_s == q
            assert release.released_kg == pytest.approx(q * 60.0 * minute, rel=1e-12)
        else:  # empty at 125 min: no rate, no discharge, whatever the wind does
            assert not release.active and release.rate_kg_per_s == 0.0
            assert release.released_kg == m0 and release.remaining_kg == 0.0


def test_the_last_step_releases_only_what_is_left():
    release = GasRelease(
        (50, 50), 10.0, (25, 25), "chlorine", inventory_kg=1000.0, rate_kg_per_s=3.0
    )
    released = []
    for _ in range(8):
        release.run_one_step(60.0, 3.0, 0.0, "C")
        released.append(release.released_kg)
    # 180 kg a minute for five minutes, then the last 100 kg, then nothing
    assert np.diff([0.0, *released]) == pytest.approx([180.0] * 5 + [100.0, 0.0, 0.0], rel=1e-12)


def test_tank_empties_completely_and_then_the_source_is_inactive():
    release = GasRelease((50, 50), 10.0, (25, 25), "chlorine", inventory_kg=10.0, rate_kg_per_s=1.0)
    for _ in range(30):
        release.run_one_step(60.0, 3.0, 0.0, "C")
    assert release.remaining_kg == 0.0 and release.released_kg == 10.0
    assert not release.active and release.rate_kg_per_s == 0.0


def test_stop_halts_the_release_but_the_cloud_drifts_on_and_leaves_the_map():
    release, stability, wind = steady_release(shape=(100, 100), source=(50, 10), inventory_kg=500.0)
    for _ in range(5):
        release.run_one_step(60.0, wind, 270.0, stability)
    release.stop()
    released, remaining = release.released_kg, release.remaining_kg
    assert not release.active and release.rate_kg_per_s == 0.0 and remaining > 0.0
    release.run_one_step(60.0, wind, 270.0, stability)
    assert (release.released_kg, release.remaining_kg) == (released, remaining)
    assert release.concentration_ppm.max() > 0.0
    for _ in range(20):
        release.run_one_step(60.0, wind, 270.0, stability)
    assert release.puff_count == 0 and release.concentration_ppm.max() == 0.0


def test_puff_cap_merges_neighbours_and_keeps_the_far_field():
    capped, stability, wind = steady_release(max_puffs=8)
    free, _, _ = steady_release()
    for _ in range(60):
        capped.run_one_step(60.0, wind, 270.0, stability)
        free.run_one_step(60.0, wind, 270.0, stability)
        assert capped.puff_count <= 8
    far = capped.concentration_ppm[50, 200:380], free.concentration_ppm[50, 200:380]
    np.testing.assert_allclose(far[0], far[1], rtol=0.05)


def test_same_inputs_give_bitwise_identical_fields():
    runs = []
    for _ in range(2):
        release, stability, wind = steady_release()
        for k in range(15):
            release.run_one_step(60.0, wind, 270.0 - 6.0 * k, stability)
        runs.append(release.concentration_ppm.copy())
    assert np.array_equal(runs[0], runs[1])


def test_release_rejects_bad_arguments():
    with pytest.raises(ValueError):
        GasRelease((10, 10), 10.0, (10, 0), "chlorine", inventory_kg=1.0, rate_kg_per_s=1.0)
    with pytest.raises(ValueError):
        GasRelease((10, 10), 10.0, (5, 5), "chlorine", inventory_kg=1.0, rate_kg_per_s=0.0)
    with pytest.raises(KeyError):
        GasRelease((10, 10), 10.0, (5, 5), "sarin", inventory_kg=1.0, rate_kg_per_s=1.0)
    release = GasRelease((10, 10), 10.0, (5, 5), "chlorine", inventory_kg=1.0, rate_kg_per_s=1.0)
    with pytest.raises(ValueError):
        release.run_one_step(60.0, 3.0, 0.0, "G")
    with pytest.raises(ValueError):
        release.run_one_step(0.0, 3.0, 0.0, "D")


def test_urban_sigmas_follow_auers_land_use_rule_not_the_source_cell():
    # Auer (1978) as US EPA applies it (40 CFR 51 App. W §7.2.1.1): urban if built land
    # covers ≥ 50 % of the 3 km circle about the source.
    farmland = np.full((120, 120), LandUse.FARMLAND, dtype=np.uint8)
    plant = farmland.copy()
    plant[55:66, 55:66] = LandUse.INDUSTRIAL  # a 550 m plant on its own in open country
    assert not is_urban_source(plant, (60, 60), 50.0)
    assert not is_urban_source(plant, (60, 60))
    town = np.full((120, 120), LandUse.RESIDENTIAL, dtype=np.uint8)
    town[60, 60] = LandUse.FARMLAND  # a source in a park inside a town is urban
    assert is_urban_source(town, (60, 60), 50.0)
    # A town far beyond the circle does not count when the cell size is known.
    edge = farmland.copy()
    edge[:, 40:] = LandUse.RESIDENTIAL  # 2 km of fields, then 4 km of town, to the east
    assert not is_urban_source(edge, (60, 0), 50.0)
    assert is_urban_source(edge, (60, 100), 50.0)


def test_gas_engine_imports_no_gui_or_plotting_library():
    code = (
        "import sys, sim.hazards.gas; "
        "sys.exit(any(m in sys.modules for m in ('pygame', 'matplotlib')))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT).returncode == 0


def _weather_on(date: str | None, start: str) -> WeatherState:
    import yaml

    from tests.conftest import MINI, mini_with

    meta = yaml.safe_load(MINI.read_text(encoding="utf-8"))["meta"] | {"start_time": start}
    if date:
        meta |= {"date": date, "latitude_deg": 39.0, "longitude_deg": 117.7}
    return WeatherState(mini_with(meta=meta).scenario)


def test_a_dated_drill_takes_the_airs_stability_from_the_sun_of_its_day():
    # Mini's wind is 3 m/s with 4/8 cloud. At 39° N (Tianjin), Turner (1964) via US EPA
    # (2000) §6.4.1: midsummer noon, sun at 74°: strong insolation → B; midwinter 14:00,
    # sun at 22°: slight → C; 16:30, within Turner's hour before sunset → night → E.
    assert _weather_on("2026-06-21", "12:00").stability_class(0) == "B"
    assert _weather_on("2026-12-21", "14:00").stability_class(0) == "C"
    assert _weather_on("2026-12-21", "16:30").stability_class(0) == "E"
    # Undated, the cloud cover alone must assume a high sun: B all afternoon.
    assert _weather_on(None, "14:00").stability_class(0) == "B"
    # The drill's clock runs on past midnight into the next day's sun.
    assert _weather_on("2026-12-21", "23:00").sun_altitude_deg(13 * 60) > 20.0


def test_a_date_without_a_latitude_is_refused_by_name():
    import yaml

    from sim import ScenarioError
    from tests.conftest import MINI, mini_with

    meta = yaml.safe_load(MINI.read_text(encoding="utf-8"))["meta"] | {"date": "2026-12-21"}
    with pytest.raises(ScenarioError, match="date and latitude_deg go together"):
        mini_with(meta=meta)
