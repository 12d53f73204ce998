"""Judged from when it could be done: response clocks, evacuations and shares the commander
could not have bettered are not held against them.

Crafted logs of the mini drill with a helicopter on offer as a level-II
reinforcement 90 minutes out (the only carrier that flies), as in an
instructor's flash-flood drill where the valley hospital is cut off.
"""

from __future__ import annotations

import pytest

import sim
from analysis.kpis import all_kpis
from analysis.rubric import judge_all
from tests.analysis.conftest import sample
from tests.analysis.test_doctrine import HAZARDS
from tests.conftest import MINI

END = (
    240.0,
    "DrillEnded",
    {"people": {"dead": 0, "injured": 0, "trapped": 0}, "unmet_need_person_h": 0.0},
)
FLOOD = (0.0, "HazardStarted", {"hazard": "river", "kind": "flood"})
HELICOPTER = (
    "    - {id: heli, level: II, type: helicopter, arrive_at: station, count: 1, delay_min: 90}\n"
)
# The doctrine tests' river and chlorine tank, split into the facility and the hazards.
TANK = HAZARDS.split("hazards:")[0].lstrip("\n")
RIVER = "hazards:" + HAZARDS.split("hazards:")[1]


@pytest.fixture(scope="module")
def valley() -> sim.LoadedScenario:
    text = MINI.read_text(encoding="utf-8")
    boats = "    - {id: boats, level: III, type: rescue_boat"
    text = text.replace(boats, HELICOPTER + boats).replace("\nforces:", "\n" + TANK + "forces:")
    return sim.parse_scenario(text.rstrip() + "\n" + RIVER, "mini_valley.yaml")


def _kpis(crafted, valley, events):
    return all_kpis(crafted([FLOOD, *events, END], valley))


def cut_off(t, incident, kind="casualties"):
    return [
        (t, "IncidentCreated", {"incident": incident, "kind": kind, "people": 1}),
        (t, "IncidentAccess", {"incident": incident, "by_road": False}),
    ]


def fly(t, incident, back):
    return [
        (t, "UnitDispatched", {"unit": "helicopter-1", "order": "incident", "target": incident}),
        (t + 0.6, "UnitArrived", {"unit": "helicopter-1", "incident": incident}),
        (back, "UnitReturned", {"unit": "helicopter-1"}),
    ]


ASKED = (0.0, "ReinforcementRequested", {"reinforcement": "heli", "delay_min": 90.0})
CAME = (90.0, "ReinforcementArrived", {"reinforcement": "heli", "units": ["helicopter-1"]})


def test_the_clock_of_a_site_only_the_helicopter_reaches_starts_when_it_could_be_there(
    crafted, valley
):
    # Cut off at 72; the helicopter, asked for at once, is on the map at 90 and sent at 91.
    kpis = _kpis(crafted, valley, [ASKED, *cut_off(72.0, "ward"), CAME, *fly(91.0, "ward", 100)])
    ambulance = kpis["ambulance"]
    assert ambulance.evidence["incidents"]["ward"] == pytest.approx(1.0)
    assert ambulance.status == "met"
    assert kpis["first_unit"].evidence["incidents"]["ward"] == pytest.approx(1.6)


def test_one_helicopter_cannot_be_at_two_cut_off_sites_at_once(crafted, valley):
    # Two wards cut off at 72 and 82; the one helicopter serves the first from 91 to 102,
    # then the second: that ward waited on the commander 1 + 1 minutes, not 21.
    events = [
        ASKED,
        *cut_off(72.0, "ward-a"),
        *cut_off(82.0, "ward-b"),
        CAME,
        *fly(91.0, "ward-a", 102.0),
        *fly(103.0, "ward-b", 115.0),
    ]
    ambulance = _kpis(crafted, valley, events)["ambulance"]
    assert ambulance.evidence["incidents"]["ward-b"] == pytest.approx(2.0)
    assert ambulance.status == "met"


def test_the_helicopter_busy_where_an_ambulance_could_drive_does_not_stop_the_clock(
    crafted, valley
):
    # The helicopter takes a crash on the open road from 91 to 102 while the cut-off ward
    # waits: an ambulance could have had the crash, so the ward's wait counts.
    crash = (88.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 1})
    events = [ASKED, *cut_off(82.0, "ward"), crash, CAME, *fly(91.0, "crash", 102.0)]
    events += fly(103.0, "ward", 115.0)
    ambulance = _kpis(crafted, valley, events)["ambulance"]
    assert ambulance.evidence["incidents"]["ward"] == pytest.approx(13.0)


def test_a_helicopter_never_asked_for_leaves_the_site_waiting_on_the_commander(crafted, valley):
    kpis = _kpis(crafted, valley, cut_off(72.0, "ward"))
    assert "unreachable" not in kpis["ambulance"].evidence
    assert kpis["ambulance"].evidence["incidents"] == {"ward": None}
    assert kpis["ambulance"].status == "missed"


def test_asked_for_late_the_clock_runs_from_when_it_could_have_come(crafted, valley):
    late_ask = (60.0, "ReinforcementRequested", {"reinforcement": "heli", "delay_min": 90.0})
    came = (150.0, "ReinforcementArrived", {"reinforcement": "heli", "units": ["helicopter-1"]})
    events = [late_ask, *cut_off(72.0, "ward"), came, *fly(151.0, "ward", 160.0)]
    got = _kpis(crafted, valley, events)["ambulance"]
    assert got.evidence["incidents"]["ward"] == pytest.approx(61.0)


def test_a_site_closed_before_any_helicopter_could_come_was_out_of_reach(crafted, valley):
    events = [
        *cut_off(20.0, "ward"),
        (50.0, "IncidentResolved", {"incident": "ward", "kind": "casualties"}),
    ]
    got = _kpis(crafted, valley, events)["ambulance"]
    assert got.evidence["unreachable"] == ["ward"]
    assert got.status == "n/a"


def test_a_delay_laid_on_the_helicopter_before_it_could_come_moves_its_clock(crafted, valley):
    # The instructor holds the helicopter up 30 minutes at minute 50: it could not be there
    # before 120, asked for or not.
    held = (
        50.0,
        "CommandIssued",
        {
            "command": {
                "type": "delay_reinforcement",
                "reinforcement": "heli",
                "extra_delay_min": 30,
            },
            "accepted": True,
        },
    )
    events = [held, *cut_off(72.0, "ward"), *fly(125.0, "ward", 140.0)]
    got = _kpis(crafted, valley, events)["ambulance"]
    assert got.evidence["incidents"]["ward"] == pytest.approx(5.0)


def _judge(crafted, valley, events, item):
    drill = crafted([FLOOD, *events, END], valley)
    return next(j for j in judge_all(drill, all_kpis(drill)) if j.item == item)


def reached(t, zone):
    return (
        t,
        "HazardMilestone",
        {"hazard": "river", "kind": "flood", "milestone": "zone_reached", "zone": zone},
    )


def test_evacuating_once_the_water_has_gone_down_and_the_roads_are_open_is_safe(crafted, valley):
    water = reached(30.0, "west")
    cut = (35.0, "ZoneAccess", {"zone": "west", "by_road": False})
    open_again = (200.0, "ZoneAccess", {"zone": "west", "by_road": True})
    order = (201.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    safe = _judge(crafted, valley, [water, cut, open_again, order], "evacuation_safe")
    assert safe.result == "yes"
    # Still cut off when ordered out: into the water.
    early = (100.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    unsafe = _judge(crafted, valley, [water, cut, early, open_again], "evacuation_safe")
    assert (unsafe.result, unsafe.params["zones"]) == ("no", "west")
    # Roads open again, but the flood still hurting people there: the water has not gone.
    hurt = (
        200.5,
        "PeopleHarmed",
        {"zone": "west", "cause": "river", "dead": 0, "injured": 1, "trapped": 0},
    )
    wet = _judge(crafted, valley, [water, cut, open_again, hurt, order], "evacuation_safe")
    assert wet.result == "no"


def _zone_sample(t, west):
    return sample(t, zones={"west": west, "east": [600, 0, 0, 0, 0, 0, 0, 0, 0]})


def test_people_out_before_the_water_are_judged_against_what_could_be_done(crafted, valley):
    # The water is on West 30 minutes after the release: no warning and no household's
    # preparation lets 90 % of it reach a shelter by then. 40 % did: the most possible.
    water = reached(30.0, "west")
    best = [_zone_sample(30.0, [0, 430, 110, 360, 0, 0, 0, 0, 0]), water]
    got = _kpis(crafted, valley, best)["evacuation"]
    assert got.evidence["achievable"]["west"] < 0.5
    assert got.target < 0.5
    assert got.status == "met"
    nobody = [_zone_sample(30.0, [900, 0, 0, 0, 0, 0, 0, 0, 0]), water]
    assert _kpis(crafted, valley, nobody)["evacuation"].status == "missed"


def test_with_hours_of_notice_most_of_the_zone_must_be_out(crafted, valley):
    water = reached(300.0, "west")
    half = [_zone_sample(300.0, [0, 450, 0, 450, 0, 0, 0, 0, 0]), water]
    got = _kpis(crafted, valley, half)["evacuation"]
    assert got.evidence["achievable"]["west"] > 0.85
    assert got.target > 0.75
    assert got.status == "missed"


def test_a_zone_nobody_could_have_got_out_of_in_time_is_listed_not_judged(
    crafted, valley, monkeypatch
):
    # West is half an hour by road from the nearest shelter and the water is there 20
    # minutes after the release: nobody can be in a shelter by then, whatever is ordered.
    from analysis import achievable

    routes = {"west": (30.0, 100.0), "east": (30.0, 100.0)}
    monkeypatch.setattr(achievable, "quickest_routes", lambda drill: routes)
    events = [_zone_sample(20.0, [0, 900, 0, 0, 0, 0, 0, 0, 0]), reached(20.0, "west")]
    got = _kpis(crafted, valley, events)["evacuation"]
    assert (got.status, got.evidence["no_time"]) == ("n/a", ["west"])


def gassed(t, zone):
    return (
        t,
        "HazardMilestone",
        {"hazard": "cloud", "kind": "gas", "milestone": "zone_reached", "zone": zone},
    )


def test_evacuating_once_the_toxic_cloud_has_passed_is_safe(crafted, valley):
    # Twenty people in West took a dose above AEGL-2 when the cloud came at 30; by 200 the
    # cloud is gone (no area above AEGL-2), and those who sheltered may leave. The dose
    # count stays in the metric: it is not gas standing there.
    gas = (0.0, "HazardStarted", {"hazard": "cloud", "kind": "gas"})
    dosed = {"people_above_aegl2": 20, "people_above_aegl2_by_zone": {"west": 20}}
    during = sample(40.0, hazards={"cloud": {**dosed, "aegl2_area_m2": 300000.0}})
    after = sample(195.0, hazards={"cloud": {**dosed, "aegl2_area_m2": 0.0}})
    order = (200.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    early = (45.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    safe = _judge(
        crafted, valley, [gas, gassed(30.0, "west"), during, after, order], "evacuation_safe"
    )
    assert safe.result == "yes"
    unsafe = _judge(crafted, valley, [gas, gassed(30.0, "west"), during, early], "evacuation_safe")
    assert (unsafe.result, unsafe.params["zones"]) == ("no", "west")
