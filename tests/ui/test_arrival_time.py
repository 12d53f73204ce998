"""The arrival time the screen shows is the engine's own routing, read from a snapshot."""

from __future__ import annotations

from sim import Drill


def test_snapshot_travel_time_matches_the_engines_route_for_every_unit(mini):
    drill = Drill(mini, 3)
    drill.advance(12)
    snap = drill.snapshot()
    for zone in snap.zones:
        estimates = snap.travel_minutes_to(zone.node, snap.units)
        for unit in snap.units:
            engine = drill.travel_minutes(drill.units[unit.id], zone.node)
            assert (estimates[unit.id] is None) == (engine is None)
            if engine is not None and drill.units[unit.id].leg is None:
                assert abs(estimates[unit.id] - engine) < 1e-6


def test_a_closed_road_makes_the_far_side_unreachable_or_slower(mini):
    drill = Drill(mini, 3)
    snap = drill.snapshot()
    unit = next(u for u in snap.units if u.type == "fire_engine")
    west = snap.zone("west")
    before = snap.travel_minutes(unit, west.node)
    drill.set_road_closed("main", "command", True)
    after = drill.snapshot().travel_minutes(unit, west.node)
    assert before is not None
    assert after is None or after > before
