"""Flood kernel checked against closed-form solutions, published values and
conservation laws (never against its own earlier output)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.hazards.flood import (
    GRAVITY_M_PER_S2,
    MANNING_N_BY_LAND_USE,
    FloodModel,
    debris_factor_for_land_use,
    flood_harm_rates_per_h,
    flood_hazard_rating,
    manning_n_for_land_use,
)
from sim.landuse import LandUse

# Wet-front test of Hunter et al. (2005) / Bates et al. (2010), test 1.
WET_FRONT_MANNING_N = 0.03
WET_FRONT_SPEED_M_PER_S = 1.0
WET_FRONT_TIME_S = 3600.0


def wet_front_depth_m(x_m: np.ndarray | float, t_s: float) -> np.ndarray:
    """h(x, t) = [7/3 n^2 u^2 (u t - x)]^(3/7) behind the front x < u t, 0 ahead.

    The constant of integration is fixed by h = 0 at the front, so h(0, 0) = 0.
    """
    n, u = WET_FRONT_MANNING_N, WET_FRONT_SPEED_M_PER_S
    arg = 7.0 / 3.0 * n**2 * u**2 * (u * t_s - np.asarray(x_m, dtype=float))
    return np.where(arg > 0.0, np.abs(arg) ** (3.0 / 7.0), 0.0)


def channel(nx: int, dx: float, *, open_boundary: bool = False) -> FloodModel:
    """Flat, dry, 3-row channel with walls; flow runs along the x axis."""
    return FloodModel(np.zeros((3, nx)), dx, WET_FRONT_MANNING_N, open_boundary=open_boundary)


def test_wet_front_analytic_function_reproduces_published_depths():
    assert wet_front_depth_m(1000.0, WET_FRONT_TIME_S) == pytest.approx(2.070, abs=5e-4)
    assert wet_front_depth_m(2000.0, WET_FRONT_TIME_S) == pytest.approx(1.681, abs=5e-4)
    assert wet_front_depth_m(0.0, 0.0) == 0.0


def test_wet_front_with_upstream_depth_held_matches_analytic_within_3_percent():
    # Bates et al. (2010) set-up: cell j sits at x = j dx; column 0 is held at
    # the analytic depth h(0, t) (sampled at mid-step) and the front runs east.
    dx, dt_s = 25.0, 2.0  # dt_s below the CFL step, so one substep per call
    model = channel(int(4000.0 / dx) + 1, dx)
    t_s = 0.0
    while t_s < WET_FRONT_TIME_S - 1e-9:
        model.depth_m[:, 0] = wet_front_depth_m(0.0, t_s + 0.5 * dt_s)
        model.run_one_step(dt_s)
        t_s += dt_s
    for x_m in (1000.0, 2000.0):
        expected = wet_front_depth_m(x_m, WET_FRONT_TIME_S)
        assert model.depth_m[1, int(x_m / dx)] == pytest.approx(expected, rel=0.03)
    front_m = dx * np.flatnonzero(model.depth_m[1] > 0.01).max()
    assert abs(front_m - WET_FRONT_SPEED_M_PER_S * WET_FRONT_TIME_S) < 4 * dx


def test_wet_front_fed_by_inflow_hydrograph_matches_analytic_within_3_percent():
    # The same front driven through set_inflow: the upstream flux u h(0, t) is
    # fed into column 0 (cell j centred at x = (j + 1/2) dx), averaged exactly
    # over each coupling step: integral of t^(3/7) dt = (7/10) t^(10/7).
    dx, dt_s, ny = 50.0, 5.0, 3
    model = channel(int(4000.0 / dx), dx)
    cells = np.array([[i, 0] for i in range(ny)])
    n, u = WET_FRONT_MANNING_N, WET_FRONT_SPEED_M_PER_S
    k = (7.0 / 3.0 * n**2 * u**3) ** (3.0 / 7.0)  # h(0, t) = k t^(3/7)
    t_s = 0.0
    while t_s < WET_FRONT_TIME_S - 1e-9:
        mean_q = u * k * 0.7 * ((t_s + dt_s) ** (10 / 7) - t_s ** (10 / 7)) / dt_s
        model.set_inflow(cells, mean_q * ny * dx)
        model.run_one_step(dt_s)
        t_s += dt_s
    x_centres = (np.arange(model.depth_m.shape[1]) + 0.5) * dx
    for x_m in (1000.0, 2000.0):
        modelled = np.interp(x_m, x_centres, model.depth_m[1])
        assert modelled == pytest.approx(wet_front_depth_m(x_m, WET_FRONT_TIME_S), rel=0.03)


def test_steady_uniform_flow_has_manning_normal_depth_and_speed():
    # Inflow q per unit width down a plane of slope S, free outflow at the
    # east edge: far from both ends the depth is Manning's normal depth
    # h_n = (q n / sqrt(S))^(3/5) and the speed is q / h_n.
    dx, ny, nx, slope, n, q = 10.0, 3, 120, 1e-3, 0.03, 1.0
    bed = np.tile(slope * dx * (nx - 1 - np.arange(nx)), (ny, 1))
    model = FloodModel(bed, dx, n, open_boundary=True)
    model.set_inflow(np.array([[i, 0] for i in range(ny)]), q * ny * dx)
    for _ in range(18):
        model.run_one_step(300.0)
    h_normal = (q * n / np.sqrt(slope)) ** 0.6
    mid = slice(nx // 3, 2 * nx // 3)
    np.testing.assert_allclose(model.depth_m[:, mid], h_normal, rtol=1e-4)
    np.testing.assert_allclose(model.speed_m_per_s[:, mid], q / h_normal, rtol=1e-4)


@pytest.mark.parametrize(
    ("open_boundary", "shock_capturing"), [(True, False), (False, False), (False, True)]
)
def test_lake_at_rest_stays_at_rest(open_boundary, shock_capturing):
    # With shock capturing over the lake's west half, the finite volumes'
    # hydrostatic reconstruction (Audusse et al. 2004) must be well balanced too.
    # Walled: the open edge continues any surface slope it meets, so a lake
    # against it that is disturbed at all (here by the finite volumes' 1e-16 m
    # round-off) starts draining through it; only a lake exactly at rest stays.
    ny, nx, dx = 30, 40, 10.0
    rows, cols = np.mgrid[0:ny, 0:nx]
    bed = 2.0 + 1.5 * np.sin(cols / 3.0) * np.cos(rows / 4.0) + 0.05 * cols
    bed[12:16, 18:24] = 9.0  # an island above the lake surface
    depth0 = np.maximum(0.0, 5.0 - bed)  # flat water surface at 5 m
    model = FloodModel(bed, dx, 0.03, initial_depth_m=depth0, open_boundary=open_boundary)
    if shock_capturing:
        model.use_shock_capturing(cols < 22)
    for _ in range(10):
        model.run_one_step(60.0)
    assert model.substeps_taken > 100
    np.testing.assert_allclose(model.depth_m, depth0, rtol=0.0, atol=1e-9)
    assert model.speed_m_per_s.max() < 1e-9
    assert abs(model.outflow_total_m3) < 1e-6


def test_lake_at_rest_beside_an_open_edge_over_dry_ground_stays_at_rest():
    # The reported case: a lake at rest against the open west edge whose inland
    # neighbours are partly dry ground standing above the water. A lake at rest
    # is an exact steady state of the shallow-water equations (the C-property of
    # Bermudez & Vazquez 1994, Comput. Fluids 23: 1049-1071), so the surface may
    # move by round-off only: tolerance 1e-9 m, as for the closed lake above.
    ny, nx, dx = 20, 20, 10.0
    rows = np.arange(ny)
    bed = np.tile(3.0 + 0.5 * np.sin(rows * 1.3)[:, None], (1, nx))
    bed[:, 1] = np.where(rows % 3 == 0, 7.0, 2.0)  # dry knolls 2 m above the surface
    bed[0, :] = bed[-1, :] = bed[:, -1] = 6.0  # the other edges are dry banks
    depth0 = np.maximum(0.0, 5.0 - bed)  # flat water surface at 5 m
    model = FloodModel(bed, dx, 0.03, initial_depth_m=depth0, open_boundary=True)
    for _ in range(50):
        model.run_one_step(10.0)  # 500 s: the lake used to fall 2-3 m at the edge
    np.testing.assert_allclose(model.depth_m, depth0, rtol=0.0, atol=1e-9)
    assert model.outflow_total_m3 == 0.0


def test_open_edge_still_lets_a_river_leave_the_map():
    # The fix must not wall the edge off: water running downhill to it leaves.
    ny, nx, dx = 3, 40, 10.0
    bed = np.tile(0.01 * dx * (nx - 1 - np.arange(nx)), (ny, 1))
    model = FloodModel(bed, dx, 0.03, open_boundary=True)
    model.set_inflow(np.array([[i, 0] for i in range(ny)]), 3.0)
    for _ in range(30):
        model.run_one_step(60.0)
    assert model.outflow_total_m3 > 0.5 * model.inflow_total_m3


def grid_scale_zigzag_m(profile: np.ndarray) -> float:
    """Amplitude (m) of the checkerboard mode in a depth profile.

    A smooth profile, even a steep front, keeps its second difference of one
    sign over several cells; the grid-scale oscillation of the local-inertial
    scheme flips it at every cell. The amplitude is the smallest |second
    difference| of three consecutive flips, maximised along the profile.
    """
    d2 = profile[:-2] - 2.0 * profile[1:-1] + profile[2:]
    a, b, c = d2[:-2], d2[1:-1], d2[2:]
    flipping = (a * b < 0.0) & (b * c < 0.0)
    amplitude = np.minimum(np.minimum(np.abs(a), np.abs(b)), np.abs(c))
    return float(amplitude[flipping].max(initial=0.0))


@pytest.mark.parametrize(("theta", "smooth"), [(0.7, True), (1.0, False)])
def test_paved_square_fills_without_grid_scale_zigzag(theta, smooth):
    # A paved square (Chow's n = 0.015, float-finished concrete) filled from one
    # side, 2 m^2/s per metre of width. The plain Bates et al. (2010) scheme
    # (theta = 1) grows the checkerboard oscillation de Almeida et al. (2012)
    # describe on smooth surfaces (tens of cm, the half metre); their
    # q-centred weighting (theta = 0.7) must keep it under 1 cm (a twentieth of
    # a kerb height: nothing a user would see on the depth map) throughout.
    ny, nx, dx = 3, 200, 10.0
    model = FloodModel(np.zeros((ny, nx)), dx, 0.015, open_boundary=False, theta=theta)
    model.set_inflow(np.array([[i, 0] for i in range(ny)]), ny * dx * 2.0)
    worst = 0.0
    for _ in range(60):
        model.run_one_step(10.0)
        worst = max(worst, grid_scale_zigzag_m(model.depth_m[1]))
    if smooth:
        assert worst < 0.01
    else:
        assert worst > 0.3  # the defect this weighting cures


def river_valley() -> tuple[FloodModel, np.ndarray, np.ndarray]:
    """A river fed from the north between high ground and a levee that
    protects low land to the east; water leaves over the open map edges."""
    ny, nx, dx = 40, 24, 20.0
    rows, cols = np.mgrid[0:ny, 0:nx]
    bed = 0.002 * dx * (ny - rows)  # valley slope 0.002 to the south
    bed += np.select(
        [cols < 4, cols < 10, cols == 10],  # high ground, channel, levee crest
        [3.0, -2.0, 3.0],
        -1.0 + 0.02 * (cols - 11),  # protected land, below the river stage
    )
    model = FloodModel(bed, dx, 0.035, open_boundary=True)
    model.set_inflow(np.array([[0, c] for c in range(4, 10)]), 400.0)
    return model, cols == 10, cols > 10


def test_water_volume_balances_rain_inflow_and_outflow_through_a_levee_breach():
    model, levee, protected = river_valley()
    rng = np.random.default_rng(3)
    rain_mm_per_h = rng.uniform(0.0, 40.0, model.depth_m.shape)
    volume0 = model.volume_m3()
    for _ in range(30):
        model.run_one_step(60.0, rain_mm_per_h)
    dry_behind_levee = model.depth_m[protected].mean()
    breach = levee.copy()
    breach[:15] = breach[20:] = False  # a 5-cell (100 m) gap in the levee
    model.set_bed(breach, model.bed_elevation_m[breach] - 5.0)
    for _ in range(30):
        model.run_one_step(60.0, 10.0)
    sources = model.inflow_total_m3 + model.rain_total_m3
    balance = model.volume_m3() - volume0 - (sources - model.outflow_total_m3)
    assert model.outflow_total_m3 > 0.1 * sources
    assert abs(balance) <= 1e-3 * sources
    assert model.depth_m[protected].mean() > dry_behind_levee + 0.05  # the breach floods


def test_sandbagging_and_breach_do_not_change_water_volume():
    model, levee, _ = river_valley()
    for _ in range(10):
        model.run_one_step(60.0)
    before = model.volume_m3()
    wet = model.depth_m > 0.1
    model.raise_bed(wet, 1.0)
    assert model.volume_m3() == before
    model.set_bed(levee, 0.0)
    assert model.volume_m3() == before
    np.testing.assert_array_equal(model.bed_elevation_m[levee], 0.0)


@pytest.mark.parametrize(
    ("open_boundary", "shock_capturing"), [(True, False), (False, False), (True, True)]
)
def test_dam_break_on_steep_terrain_never_makes_negative_depth(open_boundary, shock_capturing):
    ny, nx, dx = 32, 32, 5.0
    rng = np.random.default_rng(11)
    rows, cols = np.mgrid[0:ny, 0:nx]
    bed = 0.3 * dx * (ny - rows) + 0.1 * dx * cols + rng.uniform(0.0, 2.0, (ny, nx))
    depth0 = np.zeros((ny, nx))
    depth0[:8, :8] = 8.0  # the reservoir
    model = FloodModel(bed, dx, 0.02, initial_depth_m=depth0, open_boundary=open_boundary)
    if shock_capturing:  # the zone covers the reservoir and part of the slope below it
        model.use_shock_capturing((rows < 20) & (cols < 20))
    volume0 = model.volume_m3()
    for _ in range(150):
        model.run_one_step(0.5)
        assert np.all(np.isfinite(model.depth_m))
        assert model.depth_m.min() >= 0.0
    assert model.depth_m[-1].sum() > 0.0 or model.outflow_total_m3 > 0.0  # water went down
    balance = model.volume_m3() + model.outflow_total_m3 - volume0
    assert abs(balance) <= 1e-9 * volume0


# Ritter (1892, Z. Ver. Dtsch. Ing. 36: 947-954) dam break on a dry, frictionless
# bed, case "dam break on a dry domain" of the SWASHES compilation (Delestre et
# al. 2013, Int. J. Numer. Methods Fluids 72: 269-300), at the scale of a levee
# breach: a 2 m head released at x0 into a dry channel, 5 m cells.
RITTER_HEAD_M = 2.0
RITTER_CELL_M = 5.0
RITTER_DAM_M = 1000.0
RITTER_TIME_S = 60.0
RITTER_MANNING_N = 1e-4  # the model needs n > 0; this little friction changes nothing seen


def ritter_depth_m(x_m: np.ndarray, t_s: float) -> np.ndarray:
    """h = h0 behind the rarefaction, (2 c0 - (x - x0)/t)^2 / (9 g) in it, 0 past the front."""
    c0 = np.sqrt(GRAVITY_M_PER_S2 * RITTER_HEAD_M)
    xi = (np.asarray(x_m) - RITTER_DAM_M) / t_s
    fan = (2.0 * c0 - xi) ** 2 / (9.0 * GRAVITY_M_PER_S2)
    return np.where(xi <= -c0, RITTER_HEAD_M, np.where(xi >= 2.0 * c0, 0.0, fan))


def ritter_channel(shock_capturing: bool) -> tuple[FloodModel, np.ndarray]:
    """A 2 km channel walled by high banks; returns the model run to RITTER_TIME_S and x.

    The banks are two cells thick: the map's outer two cells stay local-inertial.
    """
    nx = int(2000.0 / RITTER_CELL_M) + 4
    x_m = (np.arange(nx) - 1.5) * RITTER_CELL_M  # cell centres; the channel starts at column 2
    bed = np.full((7, nx), 100.0)
    bed[2:-2, 2:-2] = 0.0
    depth0 = np.where((x_m < RITTER_DAM_M) & (bed == 0.0), RITTER_HEAD_M, 0.0)
    model = FloodModel(
        bed, RITTER_CELL_M, RITTER_MANNING_N, initial_depth_m=depth0, open_boundary=False
    )
    if shock_capturing:
        model.use_shock_capturing(bed == 0.0)
    for _ in range(int(RITTER_TIME_S)):
        model.run_one_step(1.0)
    return model, x_m


def test_dam_break_wave_matches_ritter_solution_with_shock_capturing():
    # Tolerances: 5 % of the analytic value, what a first-order Godunov scheme
    # reaches on 400 cells (its error is in the smeared corners of the fan and
    # the thin tip of the front; Toro 2001, ch. 10, shows the same).
    model, x_m = ritter_channel(shock_capturing=True)
    depth, speed = model.depth_m[3], model.speed_m_per_s[3]
    c0 = np.sqrt(GRAVITY_M_PER_S2 * RITTER_HEAD_M)
    exact = ritter_depth_m(x_m, RITTER_TIME_S)
    fan = np.abs((x_m - RITTER_DAM_M) / RITTER_TIME_S) < 1.9 * c0
    fan &= (x_m > RITTER_DAM_M - c0 * RITTER_TIME_S) & (depth > 0.0)
    l1 = np.abs(depth - exact)[fan].sum() / exact[fan].sum()
    assert l1 < 0.05
    at_dam = int(np.argmin(np.abs(x_m - RITTER_DAM_M)))
    assert depth[at_dam] == pytest.approx(4.0 / 9.0 * RITTER_HEAD_M, rel=0.05)  # h(x0) = 4/9 h0
    assert speed[at_dam] == pytest.approx(2.0 / 3.0 * c0, rel=0.05)  # u(x0) = 2/3 c0
    # where the front stands 10 cm deep: x - x0 = (2 c0 - sqrt(9 g 0.1)) t
    front_exact = (2.0 * c0 - np.sqrt(9.0 * GRAVITY_M_PER_S2 * 0.1)) * RITTER_TIME_S
    front = x_m[np.flatnonzero(depth > 0.1).max()] - RITTER_DAM_M
    assert front == pytest.approx(front_exact, rel=0.05)


def test_local_inertial_scheme_alone_runs_a_dam_break_far_too_slowly():
    # Why breaches get the finite volumes: without advection the front of the
    # same release reaches only about half as far as Ritter's (the issue's
    # "about 2.5 times too slowly").
    model, x_m = ritter_channel(shock_capturing=False)
    c0 = np.sqrt(GRAVITY_M_PER_S2 * RITTER_HEAD_M)
    front_exact = (2.0 * c0 - np.sqrt(9.0 * GRAVITY_M_PER_S2 * 0.1)) * RITTER_TIME_S
    front = x_m[np.flatnonzero(model.depth_m[3] > 0.1).max()] - RITTER_DAM_M
    assert front < 0.6 * front_exact


def test_shock_capturing_moves_no_water_and_keeps_the_books():
    model, levee, protected = river_valley()
    for _ in range(10):
        model.run_one_step(60.0, 5.0)
    before = model.volume_m3()
    rows = np.indices(model.depth_m.shape)[0]
    model.use_shock_capturing((rows > 10) & (rows < 30))
    assert model.volume_m3() == before
    breach = levee & (rows >= 15) & (rows < 20)
    model.set_bed(breach, model.bed_elevation_m[breach] - 5.0)
    volume0 = model.volume_m3()
    books0 = model.inflow_total_m3 + model.rain_total_m3 - model.outflow_total_m3
    for _ in range(20):
        model.run_one_step(30.0, 5.0)
        assert model.depth_m.min() >= 0.0
    books = model.inflow_total_m3 + model.rain_total_m3 - model.outflow_total_m3
    assert abs(model.volume_m3() - volume0 - (books - books0)) <= 1e-9 * volume0
    assert model.depth_m[protected].max() > 0.5  # the breach floods the protected land


def test_inputs_are_validated():
    model = channel(10, 10.0)
    with pytest.raises(ValueError):
        model.run_one_step(-1.0)
    with pytest.raises(ValueError):
        model.run_one_step(1.0, rain_mm_per_h=-5.0)
    with pytest.raises(ValueError):
        model.set_inflow(np.array([[0, 99]]), 1.0)
    with pytest.raises(ValueError):
        model.set_inflow(np.array([[0, 0]]), -1.0)
    with pytest.raises(ValueError):
        model.raise_bed(np.ones((3, 10)), 1.0)  # not a boolean mask
    with pytest.raises(ValueError):
        FloodModel(np.zeros((3, 10)), 10.0, 0.0)
    with pytest.raises(ValueError):
        model.bed_elevation_m[0, 0] = 1.0  # read-only: change it through the API
    with pytest.raises(ValueError):
        model.use_shock_capturing(np.ones((3, 10), dtype=int))  # not a boolean mask
    with pytest.raises(ValueError):
        FloodModel(np.zeros((3, 10)), 10.0, 0.03, theta=0.0)
    with pytest.raises(ValueError):
        FloodModel(np.zeros((3, 10)), 10.0, 0.03, kernel="fortran")


def test_flood_hazard_rating_matches_hand_computed_values():
    depth = np.array([0.0, 0.2, 0.5, 1.0])
    speed = np.array([3.0, 1.0, 2.0, 0.5])
    # HR = d (v + 0.5) + DF with an explicit DF of 1 (dry cells stay 0)
    np.testing.assert_allclose(flood_hazard_rating(depth, speed, 1.0), [0.0, 1.3, 2.25, 2.0])
    # default DF (FD2320/TR2 Table 13.1): 0.5 up to 0.25 m, 1.0 deeper
    np.testing.assert_allclose(flood_hazard_rating(depth, speed), [0.0, 0.8, 2.25, 2.0])
    # FD2321/TR1 Table 3.1 by land use
    land = np.array([LandUse.FARMLAND, LandUse.FOREST, LandUse.FOREST, LandUse.RESIDENTIAL])
    df = debris_factor_for_land_use(depth, speed, land)
    np.testing.assert_allclose(df, [0.0, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(flood_hazard_rating(depth, speed, df), [0.0, 0.3, 1.75, 2.0])
    fast = debris_factor_for_land_use(
        np.array([0.5]), np.array([2.5]), np.array([LandUse.GRASSLAND])
    )
    np.testing.assert_allclose(fast, [0.5])  # pasture: d > 0.75 m or v > 2 m/s


def test_harm_rates_are_zero_when_dry_and_rise_with_hazard_rating():
    hr = np.array([0.0, 0.5, 0.74, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0])
    injury, death = flood_harm_rates_per_h(hr)
    assert injury[0] == 0.0 and death[0] == 0.0
    np.testing.assert_array_equal(injury[hr < 0.75], 0.0)  # "low - caution" class
    assert np.all(np.diff(injury[hr >= 0.75]) > 0.0)
    assert np.all(np.diff(death[hr >= 0.75]) > 0.0)
    # HR = 2: harmed 0.06 * 2 = 12 % per hour, of whom 2 * 2 / 100 = 4 % die
    assert death[6] == pytest.approx(0.12 * 0.04)
    assert injury[6] == pytest.approx(0.12 * 0.96)
    depth = np.zeros((2, 2))
    injury, death = flood_harm_rates_per_h(flood_hazard_rating(depth, depth))
    assert not injury.any() and not death.any()


def test_manning_n_for_land_use_gives_the_cited_values():
    land = np.array([[LandUse.WATER, LandUse.FOREST], [LandUse.PAVED, LandUse.FARMLAND]])
    np.testing.assert_allclose(manning_n_for_land_use(land), [[0.030, 0.100], [0.015, 0.040]])
    everything = np.arange(len(LandUse), dtype=np.uint8)
    expected = [MANNING_N_BY_LAND_USE[LandUse(k)] for k in everything]
    np.testing.assert_allclose(manning_n_for_land_use(everything), expected)
    with pytest.raises(ValueError):
        manning_n_for_land_use(np.array([len(LandUse)]))
