"""The engine's shortcuts give the answers of the long way round.

Harm is weighed with the flood's speed read at the cells where people are
(``FloodModel.speed_at``), and routes are remembered between changes of the
road network: a trainee's casualties and a unit's way must be the same as
if everything were worked out afresh every time.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.hazards.flood import FloodModel
from sim.scenario.schema import Road
from sim.world.roads import RoadNetwork


@pytest.mark.parametrize(("open_boundary", "shock_capturing"), [(True, False), (False, True)])
def test_flood_speed_at_people_is_the_whole_grids_speed_to_the_bit(
    open_boundary: bool, shock_capturing: bool
) -> None:
    ny, nx, dx = 24, 20, 5.0
    rows, cols = np.mgrid[0:ny, 0:nx]
    bed = 0.2 * dx * (ny - rows) + 0.05 * dx * cols
    depth0 = np.zeros((ny, nx))
    depth0[:6, :6] = 4.0  # a reservoir above a slope; most of the map stays dry for a while
    model = FloodModel(bed, dx, 0.03, initial_depth_m=depth0, open_boundary=open_boundary)
    if shock_capturing:
        model.use_shock_capturing((rows < 12) & (cols < 12))
    cells = np.random.default_rng(3).integers(0, ny * nx, 300)
    corners = np.array([0, nx - 1, ny * nx - nx, ny * nx - 1])
    for _ in range(40):
        model.run_one_step(1.0, rain_mm_per_h=20.0)
        for asked in (cells, corners, np.arange(ny * nx)):
            at_people = model.speed_at(asked)  # before the grid's: worked out at the cells
            whole = model.speed_m_per_s.ravel()[asked]
            assert np.array_equal(at_people, whole)
            assert np.array_equal(np.signbit(at_people), np.signbit(whole))
            assert np.array_equal(model.speed_at(asked), whole)  # and after it, read from it
            model.run_one_step(0.0)  # (no time passes: the speed stays settled)
    assert model.speed_m_per_s.max() > 0.0  # the water did flow


def test_a_remembered_route_is_dropped_when_a_road_on_it_closes_and_found_again_after():
    roads = RoadNetwork(
        [
            Road(id="short", points=[(0.0, 0.0), (1000.0, 0.0)]),
            Road(id="long", points=[(0.0, 0.0), (0.0, 800.0), (1000.0, 800.0), (1000.0, 0.0)]),
        ],
        (20, 20),
        100.0,
    )
    start, end = roads._node(0.0, 0.0), roads._node(1000.0, 0.0)
    direct, minutes = roads.route(start, end, 50.0)
    again = roads.route(start, end, 50.0)
    assert again == (direct, minutes)
    again[0].append(-1)  # a caller's copy: the remembered route is not changed by it
    assert roads.route(start, end, 50.0) == (direct, minutes)
    for key in roads.road_edges["short"]:
        roads.set_closure(key, "flood", True)
    detour, longer = roads.route(start, end, 50.0)
    assert longer > minutes and len(detour) > len(direct)
    assert roads.route(start, end, 50.0, frozenset({"flood"})) == (direct, minutes)  # a boat
    for key in roads.road_edges["short"]:
        roads.set_closure(key, "flood", False)
    assert roads.route(start, end, 50.0) == (direct, minutes)
    for key in roads.road_edges["long"]:
        roads.set_closure(key, "fire", True)
    for key in roads.road_edges["short"]:
        roads.set_closure(key, "fire", True)
    assert roads.route(start, end, 50.0) is None
