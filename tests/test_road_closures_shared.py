"""Road closures say what happened to the road: once shut, once open again.

Two hazards of one kind close roads for the same reason ("flood"): a stretch is
shut while any of them holds it. Commands and injects that add or lift a reason
on a road already shut (or still shut) leave the road's state alone, and the
log says nothing the road did not do; the trainee's order is still on record.
"""

from __future__ import annotations

from collections import Counter

import pytest

from sim import Drill, LoadedScenario
from sim import events as ev
from sim.commands import CloseRoad, FireInject, OpenRoad, Reason, Role
from sim.hazards.flood import ROAD_IMPASSABLE_DEPTH_M
from sim.world.roads import joined
from tests.conftest import mini_with
from ui.feed import describe_event
from ui.i18n import Translator
from ui.names import Names

# Two gullies run down a slope from the north edge to the south edge of the mini map,
# 1.3 km apart; a brook pours into each for a while and drains off the south edge. The
# road west of the junction crosses the west gully, the road east of it the east gully.
# The brooks rise over 20 minutes: water let in all at once surges over a road and
# falls back below the closing depth before it settles, which is the water's doing.
HYDROGRAPH = [
    {"at_min": 0, "discharge_m3_per_s": 0},
    {"at_min": 20, "discharge_m3_per_s": 100},
    {"at_min": 40, "discharge_m3_per_s": 100},
    {"at_min": 60, "discharge_m3_per_s": 0},
]
GULLIES = [
    {"at": [x, y], "height_m": -4, "radius_m": 400}
    for x in (350, 1650)
    for y in range(0, 1600, 200)
]


def _name(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def two_brooks(*more_roads: dict) -> LoadedScenario:
    return mini_with(
        map={
            "width_cells": 40,
            "height_cells": 30,
            "cell_m": 50,
            "terrain": {
                "base_elevation_m": 30,
                "slope_m_per_km": [0, -10],
                "roughness_m": 0,
                "hills": GULLIES,
            },
        },
        roads=[
            {
                "id": "west-road",
                "name": _name("West Brook Road", "西溪路"),
                "class": "main",
                "points": [[0, 700], [1000, 700]],
            },
            {
                "id": "east-road",
                "name": _name("East Brook Road", "东溪路"),
                "class": "main",
                "points": [[1000, 700], [2000, 700]],
            },
            {"id": "north", "class": "local", "points": [[1000, 700], [1000, 200]]},
            *more_roads,
        ],
        hazards=[
            {
                "kind": "flood",
                "id": "west-brook",
                "inflow_at": [[250, 0], [400, 0]],
                "hydrograph": HYDROGRAPH,
            },
            {
                "kind": "flood",
                "id": "east-brook",
                "inflow_at": [[1600, 0], [1750, 0]],
                "hydrograph": HYDROGRAPH,
            },
        ],
        weather=[{"at_min": 0, "wind_speed_m_per_s": 3, "wind_from_deg": 270}],
        injects=[],
    )


@pytest.fixture(scope="module")
def brooks() -> LoadedScenario:
    return two_brooks()


def road_moves(drill: Drill) -> list[tuple[float, str, str, str]]:
    """(minute, kind, road, reason) of every RoadClosed / RoadOpened in the log."""
    return [
        (e.t_min, e.kind, e.data["road"], e.data["reason"])
        for e in drill.events
        if e.kind in (ev.ROAD_CLOSED, ev.ROAD_OPENED)
    ]


def commands(drill: Drill, kind: str) -> list[dict]:
    return [
        e.data
        for e in drill.events
        if e.kind == "CommandIssued" and e.data["command"]["type"] == kind
    ]


def road_closed(drill: Drill, road: str) -> bool:
    roads = drill.world.roads
    return any(not roads.edges[key].is_open for key in roads.road_edges[road])


def deepest_over(drill: Drill, hazard: str, road: str) -> float:
    """The deepest water ``hazard`` ever stood over any stretch of ``road`` (m)."""
    roads, depth = drill.world.roads, drill.hazards[hazard].max_depth_m.ravel()
    return max(float(depth[roads.edges[key].cells].max()) for key in roads.road_edges[road])


def test_two_floods_over_different_roads_close_each_once_and_open_each_once(brooks):
    drill = Drill(brooks, seed=1)
    drill.advance(75)  # the brooks have drained by then
    # Each brook's water covers its own road and never the other's.
    for brook, own, other in (
        ("west-brook", "west-road", "east-road"),
        ("east-brook", "east-road", "west-road"),
    ):
        assert deepest_over(drill, brook, own) > ROAD_IMPASSABLE_DEPTH_M
        assert deepest_over(drill, brook, other) < ROAD_IMPASSABLE_DEPTH_M
    moves = road_moves(drill)
    # Each flood used to reopen the other's road every step it took: some 700 lines of
    # "closed" and "open again" in an hour.
    assert Counter((kind, road) for _, kind, road, _ in moves) == {
        (ev.ROAD_CLOSED, "west-road"): 1,
        (ev.ROAD_OPENED, "west-road"): 1,
        (ev.ROAD_CLOSED, "east-road"): 1,
        (ev.ROAD_OPENED, "east-road"): 1,
    }
    assert {reason for *_, reason in moves} == {"flood"}
    for road in ("west-road", "east-road"):
        (shut,) = [t for t, kind, r, _ in moves if r == road and kind == ev.ROAD_CLOSED]
        (opened,) = [t for t, kind, r, _ in moves if r == road and kind == ev.ROAD_OPENED]
        assert opened - shut > 20.0  # shut while the water stood, open when it had gone
        assert not road_closed(drill, road)
    # What the trainee reads in the feed, in both languages.
    for language, closed, again in (
        ("en", "Road closed: West Brook Road", "Road open again: East Brook Road"),
        ("zh-CN", "道路封闭：西溪路", "道路恢复通行：东溪路"),
    ):
        t = Translator(language)
        names = Names(brooks, t)
        lines = [
            describe_event(e, t, names)[0]
            for e in drill.events
            if e.kind in (ev.ROAD_CLOSED, ev.ROAD_OPENED)
        ]
        assert len(lines) == 4
        assert sum(line.startswith(closed) for line in lines) == 1
        assert sum(line.startswith(again) for line in lines) == 1


def test_the_trainees_road_orders_on_flooded_roads_log_only_what_the_roads_did(brooks):
    drill = Drill(brooks, seed=1)
    drill.advance(5)  # dry yet
    assert drill.submit(CloseRoad(road="west-road")).accepted  # shut before the water comes
    drill.advance(30)
    assert road_closed(drill, "east-road")  # the east brook has shut it by now
    # Closing a road the water has shut: the order stands (it holds the road after the
    # water goes), but the road did not close now; it closed when the water came.
    assert drill.submit(CloseRoad(road="east-road")).accepted
    # Lifting one's own closure of a road the water still covers: the road is not open.
    assert drill.submit(OpenRoad(road="west-road")).accepted
    assert road_closed(drill, "west-road")
    drill.advance(75)  # the water has gone
    assert not road_closed(drill, "west-road")
    assert road_closed(drill, "east-road")  # the trainee's closure holds it
    assert drill.submit(OpenRoad(road="east-road")).accepted
    assert not road_closed(drill, "east-road")
    # Reopening a road that is open is refused, and the refusal is on record.
    refused = drill.submit(OpenRoad(road="east-road"))
    assert refused.reason == Reason.ROAD_NOT_CLOSED_BY_COMMAND
    moves = road_moves(drill)
    assert [(kind, road, reason) for _, kind, road, reason in moves] == [
        (ev.ROAD_CLOSED, "west-road", "command"),  # the trainee shut it, dry
        (ev.ROAD_CLOSED, "east-road", "flood"),  # the water shut it, before the order
        (ev.ROAD_OPENED, "west-road", "flood"),  # open again when the water went
        (ev.ROAD_OPENED, "east-road", "command"),  # open again when the trainee said so
    ]
    assert (moves[0][0], moves[-1][0]) == (5.0, 75.0)
    # Every order is on record as the trainee gave it, with what became of it.
    assert [c["accepted"] for c in commands(drill, "close_road")] == [True, True]
    assert [c["accepted"] for c in commands(drill, "open_road")] == [True, True, False]


def test_an_order_on_a_road_the_water_shut_changes_a_boats_way_at_once():
    # A lane of one stretch up the east gully off East Brook Road: the water shuts all of
    # it, so the trainee's closure changes nothing for a car, but a boat may no longer go.
    lane = {"id": "ford", "class": "local", "points": [[1650, 700], [1650, 500]]}
    drill = Drill(two_brooks(lane), seed=1)
    drill.advance(30)
    roads = drill.world.roads
    ((a, b),) = roads.road_edges["ford"]
    assert road_closed(drill, "ford")
    assert joined(drill.road_parts("afloat"), a, b)  # a boat floats along the flooded lane
    assert drill.submit(CloseRoad(road="ford")).accepted
    assert not joined(drill.road_parts("afloat"), a, b)  # not along a lane the trainee shut
    assert ("ford", ev.ROAD_CLOSED) not in {
        (e.data.get("road"), e.kind) for e in drill.events if e.t_min == 30.0
    }


def test_an_inject_on_a_road_already_shut_and_an_order_on_a_road_still_shut_say_nothing(mini):
    drill = Drill(mini, seed=1)
    assert drill.submit(CloseRoad(road="north")).accepted
    drill.submit(FireInject(inject="storm", issuer=Role.INSTRUCTOR))  # closes 'north' too
    assert drill.world.roads.edges[drill.world.roads.road_edges["north"][0]].closures == {
        "command",
        "inject",
    }
    assert drill.submit(OpenRoad(road="north")).accepted  # the landslide still blocks it
    assert road_closed(drill, "north")
    assert road_moves(drill) == [(0.0, ev.ROAD_CLOSED, "north", "command")]
    assert any(e.kind == "InjectFired" and e.data["inject"] == "storm" for e in drill.events)
    assert [c["accepted"] for c in commands(drill, "close_road")] == [True]
    assert [c["accepted"] for c in commands(drill, "open_road")] == [True]
