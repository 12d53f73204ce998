"""The score's rules, each pinned on crafted logs of a small drill with a river and a tank.

Every test reads as a rule a reviewer checks: the protective action fits the
hazard, nobody is sent into water or gas, effort goes where the event
reaches, the source is controlled, casualties reach care, an item is not
applicable only when the scenario makes it so, and time is counted only while
something could be done.
"""

from __future__ import annotations

import pytest

import sim
from analysis.kpis import all_kpis
from analysis.rubric import judge_all
from tests.analysis.conftest import sample
from tests.conftest import MINI

END = (
    240.0,
    "DrillEnded",
    {"people": {"dead": 0, "injured": 0, "trapped": 0}, "unmet_need_person_h": 0.0},
)
HAZARDS = """
  - {id: tank, type: hazard_source, name: {en: "Tank", zh: "储罐"}, at: [1500, 600]}
hazards:
  - kind: flood
    id: river
    inflow_at: [[0, 1450], [50, 1450]]
    hydrograph: [{at_min: 0, discharge_m3_per_s: 50}]
  - kind: gas
    id: cloud
    source: tank
    inventory_kg: 1000
    rate_kg_per_s: 1
    start_min: null
"""


@pytest.fixture(scope="module")
def river_and_tank() -> sim.LoadedScenario:
    text = MINI.read_text(encoding="utf-8")
    head, forces = text.split("\nforces:", 1)
    head = head.rstrip() + "\n" + HAZARDS.split("hazards:")[0].rstrip("\n")
    text = head + "\nforces:" + forces.rstrip() + "\nhazards:" + HAZARDS.split("hazards:")[1]
    return sim.parse_scenario(text, "mini_hazards.yaml")


def judge(crafted, loaded, events, item, forecast=None):
    drill = crafted([*events, END], loaded)
    kpis = all_kpis(drill, forecast)
    return next(j for j in judge_all(drill, kpis, forecast) if j.item == item)


def reached(t, hazard, zone, kind):
    return (
        t,
        "HazardMilestone",
        {"hazard": hazard, "kind": kind, "milestone": "zone_reached", "zone": zone},
    )


FLOOD = (0.0, "HazardStarted", {"hazard": "river", "kind": "flood"})
GAS = (0.0, "HazardStarted", {"hazard": "cloud", "kind": "gas"})


def test_sheltering_in_place_from_water_is_the_wrong_protective_action(crafted, river_and_tank):
    warn = (1.0, "WarningIssued", {"zone": "west", "level": "red", "channel": "sms"})
    shelter = (2.0, "ShelterInPlaceOrdered", {"zone": "west"})
    evacuate = (2.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    water = reached(60.0, "river", "west", "flood")
    wrong = judge(crafted, river_and_tank, [FLOOD, warn, shelter, water], "threatened_zones_acted")
    assert (wrong.result, wrong.params["wrong"]) == ("no", "west")
    right = judge(crafted, river_and_tank, [FLOOD, warn, evacuate, water], "threatened_zones_acted")
    assert right.result == "yes"
    late = (61.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    too_late = judge(crafted, river_and_tank, [FLOOD, warn, water, late], "threatened_zones_acted")
    assert (too_late.result, too_late.params["zones"]) == ("no", "west")


def test_sheltering_from_a_toxic_cloud_is_right(crafted, river_and_tank):
    shelter = (20.0, "ShelterInPlaceOrdered", {"zone": "east"})
    cloud = reached(40.0, "cloud", "east", "gas")
    assert judge(
        crafted, river_and_tank, [GAS, shelter, cloud], "threatened_zones_acted"
    ).result == ("yes")


def test_a_zone_reached_without_notice_is_judged_on_an_order_within_the_warning_target(
    crafted, river_and_tank
):
    # The cloud is on East 3 min after the release: no warning can arrive first, but
    # sheltering within the 10-min warning target still protects the people there.
    cloud = reached(3.0, "cloud", "east", "gas")
    prompt = (8.0, "ShelterInPlaceOrdered", {"zone": "east"})
    slow = (25.0, "ShelterInPlaceOrdered", {"zone": "east"})
    ok = judge(crafted, river_and_tank, [GAS, cloud, prompt], "threatened_zones_acted")
    assert (ok.result, ok.params["no_notice"]) == ("yes", "east")
    assert judge(crafted, river_and_tank, [GAS, cloud, slow], "threatened_zones_acted").result == (
        "no"
    )


def test_evacuating_a_zone_the_water_already_reached_is_unsafe(crafted, river_and_tank):
    water = reached(30.0, "river", "west", "flood")
    before = (20.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    after = (40.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})
    assert judge(crafted, river_and_tank, [FLOOD, before, water], "evacuation_safe").result == "yes"
    unsafe = judge(crafted, river_and_tank, [FLOOD, water, after], "evacuation_safe")
    assert (unsafe.result, unsafe.params["zones"]) == ("no", "west")


def test_evacuating_through_gas_above_aegl2_is_unsafe(crafted, river_and_tank):
    cloudy = sample(
        10.0,
        hazards={"cloud": {"people_above_aegl2": 50, "people_above_aegl2_by_zone": {"east": 50}}},
    )
    into = (12.0, "EvacuationOrdered", {"zone": "east", "shelter": "school"})
    got = judge(crafted, river_and_tank, [GAS, cloudy, into], "evacuation_safe")
    assert (got.result, got.params["zones"]) == ("no", "east")


def test_evacuating_zones_the_unchecked_event_never_reaches_is_over_reaction(
    crafted, river_and_tank
):
    # East (600 people) is evacuated for 3 h; the unchecked flood only ever reaches West.
    samples = [
        sample(
            t, zones={"east": [0, 0, 0, 600, 0, 0, 0, 0, 0], "west": [900, 0, 0, 0, 0, 0, 0, 0, 0]}
        )
        for t in (30.0, 90.0, 150.0, 210.0)
    ]
    forecast = {"deaths": 5, "injuries": 0, "people_reached": 900, "arrivals": {"west": 60.0}}
    over = judge(crafted, river_and_tank, [FLOOD, *samples], "not_over_reacting", forecast)
    assert over.result == "no" and over.params["share"] == 1.0
    needed = {**forecast, "arrivals": {"west": 60.0, "east": 90.0}}
    assert judge(
        crafted, river_and_tank, [FLOOD, *samples], "not_over_reacting", needed
    ).result == ("yes")


def test_a_leak_nobody_works_is_a_source_out_of_control(crafted, river_and_tank):
    leak = (0.0, "IncidentCreated", {"incident": "leak-cloud", "kind": "leak", "people": 0})
    assert judge(crafted, river_and_tank, [GAS, leak], "source_controlled").result == "no"
    worked = (
        1.0,
        "UnitDispatched",
        {"unit": "fire_engine-1", "order": "incident", "target": "leak-cloud"},
    )
    assert judge(crafted, river_and_tank, [GAS, leak, worked], "source_controlled").result == "yes"
    closed = (70.0, "IncidentResolved", {"incident": "leak-cloud", "kind": "leak"})
    assert judge(crafted, river_and_tank, [GAS, leak, closed], "source_controlled").result == "yes"


def _end_with_injured(n: int):
    return (240.0, "DrillEnded", {"people": {"dead": 0, "injured": n, "trapped": 0}})


def test_injured_left_waiting_while_an_ambulance_stood_free_fails_casualty_care(crafted):
    crash = (10.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 5})
    send = (11.0, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "crash"})
    drill = crafted([crash, send, _end_with_injured(3)])
    got = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "injured_hospitalised")
    assert (got.result, got.params["idle_carriers"]) == ("no", "ambulance-2")
    both = (11.0, "UnitDispatched", {"unit": "ambulance-2", "order": "incident", "target": "crash"})
    drill = crafted([crash, send, both, _end_with_injured(3)])
    got = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "injured_hospitalised")
    assert got.result == "yes"  # every carrier at work: more hurt than the force can lift


def test_doing_nothing_does_not_make_items_not_applicable(crafted, river_and_tank):
    # The water reached West and nobody was ordered out: traffic control is judged (no),
    # and so are the warning and the protective action; "orders were valid" has no order
    # to judge (doing nothing fails where action was asked for, not there).
    water = reached(60.0, "river", "west", "flood")
    displaced = [
        sample(0.0),
        sample(120.0, unmet_need_person_h=50.0),
        sample(180.0, unmet_need_person_h=100.0),
    ]
    events = [FLOOD, water, *displaced]
    assert judge(crafted, river_and_tank, events, "traffic_teams").result == "no"
    assert judge(crafted, river_and_tank, events, "warning_in_time").result == "no"
    assert judge(crafted, river_and_tank, events, "threatened_zones_acted").result == "no"
    assert judge(crafted, river_and_tank, events, "needs_met_10h").result != "n/a"


def test_no_orders_at_all_is_nothing_invalid_ordered(crafted, river_and_tank):
    water = reached(60.0, "river", "west", "flood")
    got = judge(crafted, river_and_tank, [FLOOD, water], "orders_valid")
    assert (got.result, got.params["orders"]) == ("n/a", 0)
    refused = (
        5.0,
        "CommandIssued",
        {"command": {"type": "dispatch"}, "accepted": False, "reason": "no_route"},
    )
    assert judge(crafted, river_and_tank, [FLOOD, refused, water], "orders_valid").result == "no"


def test_response_time_leaves_out_the_minutes_no_road_led_there(crafted):
    # Created at 0, cut off from 1 to 200, reached at 205: 5 minutes late at most, not 205.
    events = [
        (0.0, "IncidentCreated", {"incident": "farm", "kind": "building_fire", "people": 0}),
        (1.0, "IncidentAccess", {"incident": "farm", "by_road": False}),
        (200.0, "IncidentAccess", {"incident": "farm", "by_road": True}),
        (201.0, "UnitDispatched", {"unit": "fire_engine-1", "order": "incident", "target": "farm"}),
        (205.0, "UnitArrived", {"unit": "fire_engine-1", "incident": "farm"}),
    ]
    got = all_kpis(crafted([*events, END]))["first_unit"]
    assert got.evidence["incidents"]["farm"] == pytest.approx(6.0)


def test_a_cascade_gas_gives_notice_from_its_own_release_not_from_the_flood(
    crafted, river_and_tank
):
    # The flood reached East hours ago; the chlorine store fails at 200 and its cloud is on
    # East at 202: nobody could have warned of the gas, so its exposure is listed, not held.
    water = reached(30.0, "river", "east", "flood")
    leak = (200.0, "HazardStarted", {"hazard": "cloud", "kind": "gas"})
    cloud = reached(202.0, "cloud", "east", "gas")
    exposed = sample(
        203.0,
        hazards={"cloud": {"people_above_aegl2": 40, "people_above_aegl2_by_zone": {"east": 40}}},
    )
    drill = crafted([FLOOD, water, leak, cloud, exposed, END], river_and_tank)
    got = all_kpis(drill)["above_aegl2"]
    assert (got.value, got.evidence["no_notice"]) == (0, {"east": 40})


def test_evacuating_where_the_official_forecast_warned_is_never_over_reaction(
    crafted, river_and_tank
):
    # The forecast rated East 0.6 "evacuate" at minute 20; the flood then stayed away.
    told = sample(20.0, threats={"east": [0.6, "evacuate"]})
    samples = [
        sample(t, zones={"east": [0, 0, 0, 600, 0, 0, 0, 0, 0]}) for t in (30.0, 90.0, 150.0)
    ]
    forecast = {"deaths": 5, "injuries": 0, "people_reached": 900, "arrivals": {"west": 60.0}}
    got = judge(crafted, river_and_tank, [FLOOD, told, *samples], "not_over_reacting", forecast)
    assert got.result == "yes"


def test_a_helicopter_never_asked_for_is_a_carrier_left_standing(crafted):
    # The crash site is cut off by water; the scenario offers a helicopter at level III.
    # Not asking for it leaves the injured waiting for want of command, not of means.
    import yaml

    from tests.conftest import MINI, mini_with

    forces = yaml.safe_load(MINI.read_text(encoding="utf-8"))["forces"]
    forces["reinforcements"].append(
        {"id": "air", "level": "III", "type": "helicopter", "arrive_at": "hospital", "count": 1}
    )
    loaded = mini_with(forces=forces)
    events = [
        (10.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 5}),
        (11.0, "IncidentAccess", {"incident": "crash", "by_road": False}),
        _end_with_injured(5),
    ]
    drill = crafted(events, loaded)
    got = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "injured_hospitalised")
    assert (got.result, got.params["idle_carriers"]) == ("no", "air (not requested)")
    asked = (12.0, "ReinforcementRequested", {"reinforcement": "air", "delay": 30})
    drill = crafted([*events[:2], asked, events[2]], loaded)
    got = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "injured_hospitalised")
    assert got.result == "yes"  # asked for; the ambulances could not drive there


def test_a_source_no_unit_could_ever_reach_is_not_applicable(crafted, river_and_tank):
    # A levee breach that floods its own road at once: no levee crew could get there.
    breach = (0.0, "IncidentCreated", {"incident": "levee", "kind": "levee_damage", "people": 0})
    cut = (0.5, "IncidentAccess", {"incident": "levee", "by_road": False})
    got = judge(crafted, river_and_tank, [FLOOD, breach, cut], "source_controlled")
    assert got.result == "n/a"


def test_a_recalled_unit_stranded_again_on_its_way_home_is_not_left_stranded(crafted):
    # Recalled at once when its road went under, it strands again on the way back: the
    # commander has done what can be done; recalling it every minute would change nothing.
    events = [
        (0.0, "UnitDispatched", {"unit": "fire_engine-1", "order": "incident", "target": "x"}),
        (5.0, "UnitStranded", {"unit": "fire_engine-1", "node": 3}),
        (6.0, "UnitDispatched", {"unit": "fire_engine-1", "order": "base", "target": None}),
        (8.0, "UnitStranded", {"unit": "fire_engine-1", "node": 4}),
    ]
    drill = crafted([*events, END])
    got = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "responders_safe")
    assert got.result == "yes"


def test_a_unit_standing_by_at_a_facility_is_free_for_the_next_call(crafted):
    # Staged at the station from minute 0, the ambulance sits there while a crash waits:
    # that is a unit left idle, as much as one at its base.
    events = [
        (0.0, "UnitDispatched", {"unit": "ambulance-1", "order": "stage", "target": "station"}),
        (0.0, "UnitDispatched", {"unit": "ambulance-2", "order": "stage", "target": "station"}),
        (4.0, "UnitArrived", {"unit": "ambulance-1", "at": "station"}),
        (4.0, "UnitArrived", {"unit": "ambulance-2", "at": "station"}),
        (10.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 5}),
    ]
    got = all_kpis(crafted([*events, END]))["idle_units"]
    assert got.status == "missed" and got.evidence["incidents"]["crash"] > 200


def test_evacuating_into_a_cloud_due_within_half_an_hour_is_the_wrong_action(
    crafted, river_and_tank
):
    # The cloud reaches East 15 min after the evacuation order: people would still be
    # leaving or on the road. Shelter in place was the rule; evacuating 45 min ahead is fine.
    warn = (1.0, "WarningIssued", {"zone": "east", "level": "red", "channel": "sms"})
    cloud = reached(60.0, "cloud", "east", "gas")
    late = (45.0, "EvacuationOrdered", {"zone": "east", "shelter": "school"})
    early = (15.0, "EvacuationOrdered", {"zone": "east", "shelter": "school"})
    wrong = judge(crafted, river_and_tank, [GAS, warn, late, cloud], "threatened_zones_acted")
    assert (wrong.result, wrong.params["into_gas"]) == ("no", "east")
    unsafe = judge(crafted, river_and_tank, [GAS, warn, late, cloud], "evacuation_safe")
    assert unsafe.result == "no"
    ahead = judge(crafted, river_and_tank, [GAS, warn, early, cloud], "threatened_zones_acted")
    assert ahead.result == "yes"


def test_evacuating_hours_before_any_forecast_threat_is_over_reaction(crafted, river_and_tank):
    # East is evacuated from minute 30 but the forecast first threatens it at minute 200,
    # and the unchecked event never reaches it: the hours before 200 were needless.
    samples = [
        sample(t, zones={"east": [0, 0, 0, 600, 0, 0, 0, 0, 0]}) for t in (30.0, 90.0, 150.0)
    ]
    told = sample(
        200.0, threats={"east": [0.6, "evacuate"]}, zones={"east": [0, 0, 0, 600, 0, 0, 0, 0, 0]}
    )
    forecast = {"deaths": 5, "injuries": 0, "people_reached": 900, "arrivals": {"west": 60.0}}
    got = judge(crafted, river_and_tank, [FLOOD, *samples, told], "not_over_reacting", forecast)
    assert got.result == "no"


def test_an_evacuation_ordered_before_a_tank_failed_is_not_judged_by_the_cloud_to_come(
    crafted, river_and_tank
):
    # East was evacuated at minute 1 ahead of the water; the tank failed at minute 20 and
    # its cloud was on East at 25. Nobody could have known of the gas at minute 1.
    warn = (0.5, "WarningIssued", {"zone": "east", "level": "red", "channel": "sms"})
    out = (1.0, "EvacuationOrdered", {"zone": "east", "shelter": "school"})
    leak = (20.0, "HazardStarted", {"hazard": "cloud", "kind": "gas"})
    cloud = reached(25.0, "cloud", "east", "gas")
    events = [FLOOD, warn, out, leak, cloud]
    assert judge(crafted, river_and_tank, events, "evacuation_safe").result == "yes"
    assert judge(crafted, river_and_tank, events, "threatened_zones_acted").result == "yes"
