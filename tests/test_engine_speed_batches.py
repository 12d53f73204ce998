"""The engine's shortcuts give the answers of the long way round, to the bit.

Where evacuees were over a step is worked out for every group on the road at
once (:func:`sim.population.whereabouts_of`) instead of group by group: the
people harmed on the way, and so every drill log, must be exactly what asking
each group in turn gives. A snapshot hands out a unit's or an incident's view
of the minute before while nothing it shows changed, and the travel times of
the roads as they were the minute before while no road changed: what a
trainee and the bots see must be what a snapshot made afresh shows.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import Drill, ExpertBot, load_scenario
from sim.population import Evacuees, whereabouts_of
from tests.conftest import DATA

SHAPE, CELL_M, SAMPLES = (30, 40), 25.0, 6


@st.composite
def _group(draw: st.DrawFn) -> Evacuees:
    knots = draw(st.integers(1, 8))
    # Legs of 0 minutes (two nodes at one time) and routes ending before or after the
    # arrival time both occur on real maps (stops, queues at the shelter door).
    legs = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.75, 7.0]), min_size=knots - 1,
                         max_size=knots - 1))  # fmt: skip
    route_min = np.concatenate(([0.0], np.cumsum(legs)))
    xy = draw(st.lists(st.tuples(st.floats(-50, 1100), st.floats(-50, 800)), min_size=knots,
                       max_size=knots))  # fmt: skip
    depart = draw(st.sampled_from([0.0, 3.0, 9.5, 12.0]))
    late = draw(st.sampled_from([-1.0, 0.0, 0.25, 4.0]))
    return Evacuees(0, "s", 10, depart, depart + float(route_min[-1]) + late,
                    np.array(xy, dtype=float).reshape(-1, 2), route_min)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(groups=st.lists(_group(), min_size=1, max_size=6), now=st.sampled_from([1.0, 10.0, 13.0]))
def test_every_group_at_once_is_where_each_group_alone_says_it_is(groups, now) -> None:
    cells, xy = whereabouts_of(groups, now - 1.0, now, SHAPE, CELL_M, SAMPLES)
    for i, group in enumerate(groups):
        alone_cells, alone_xy = group.whereabouts(now - 1.0, now, SHAPE, CELL_M, SAMPLES)
        assert np.array_equal(cells[i], alone_cells)
        assert tuple(xy[i].tolist()) == alone_xy  # floats equal to the bit
        assert alone_xy == group.xy_at(now)


def test_no_group_on_the_road_is_nowhere() -> None:
    cells, xy = whereabouts_of([], 0.0, 1.0, SHAPE, CELL_M, SAMPLES)
    assert cells.shape == (0, SAMPLES) and xy.shape == (0, 2)


def test_a_snapshot_shows_what_a_fresh_one_shows_every_minute_of_a_drill() -> None:
    loaded = load_scenario(DATA / "trial_fire.yaml")
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    bot = ExpertBot(loaded.scenario)
    changed = {"units": 0, "incidents": 0}
    roads_seen = {}  # the states of the roads the snapshots were taken on (kept alive)
    before = None
    for minute in range(1, 181):
        seen = drill.snapshot()
        drill.view_cache = {"units": {}, "incidents": {}}  # forget every view: made afresh
        fresh = drill.snapshot()
        assert seen.units == fresh.units
        assert seen.incidents == fresh.incidents
        roads_seen[id(seen.road_times)] = seen.road_times
        if minute % 20 == 0:  # arrival times, from the roads kept and from none kept
            alone = dataclasses.replace(seen, road_times=None)
            for zone in seen.zones:
                kept = seen.travel_minutes_to(zone.node, seen.units)
                assert kept == alone.travel_minutes_to(zone.node, seen.units)
                assert kept == seen.travel_minutes_to(zone.node, seen.units)  # asked again
        if before is not None:
            changed["units"] += seen.units != before.units
            changed["incidents"] += seen.incidents != before.incidents
        before = seen
        for command in bot.decide(seen):
            drill.submit(command)
        drill.advance(minute)
    # The drill did move: units drove and worked, incidents came and went.
    assert changed["units"] > 20 and changed["incidents"] > 5
    assert len(roads_seen) > 1  # and roads closed or opened on the way
