"""People on the road are outdoors: the hazards they travel through harm them."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import (
    Channel,
    CloseShelter,
    Drill,
    IssueWarning,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    WarningLevel,
    load_scenario,
    verify_log,
)
from sim.drill_log import DrillLogWriter, make_header
from sim.hazards.harm import Harm, harm_on_the_move, people_on_the_move
from tests.conftest import DATA

MINI_GAS = DATA / "mini_gas.yaml"


def _north(order: str, log=None) -> Drill:
    """Mini chlorine drill: North, beside the cloud, is warned; at minute 15 it is told
    to take cover or to drive to the shelter, whose only road crosses the cloud."""
    loaded = load_scenario(MINI_GAS)
    writer = DrillLogWriter(log, make_header(loaded, 3)) if log else None
    drill = Drill(loaded, seed=3, listeners=[writer.write] if writer else [])
    drill.submit(IssueWarning(zone="north", level=WarningLevel.RED, channel=Channel.SMS))
    drill.advance(15)
    if order == "evacuate":
        drill.submit(OrderEvacuation(zone="north", shelter="south-school"))
    else:
        drill.submit(OrderShelterInPlace(zone="north"))
    drill.advance(drill.end_min)
    if writer:
        writer.close()
    return drill


def _harmed(drill: Drill, zone: str) -> dict[str, int]:
    events = [e for e in drill.events if e.kind == "PeopleHarmed" and e.data["zone"] == zone]
    events = [e for e in events if e.data["cause"] == "chlorine"]
    return {k: sum(e.data[k] for e in events) for k in ("dead", "injured", "trapped")}


def test_driving_through_the_cloud_hurts_people_who_were_safe_indoors():
    indoors = _north("shelter")
    driving = _north("evacuate")
    assert _harmed(indoors, "north") == {"dead": 0, "injured": 0, "trapped": 0}
    assert _harmed(driving, "north")["injured"] > 5
    on_road = [e for e in driving.events if e.kind == "PeopleHarmed" and e.data["zone"] == "north"]
    assert on_road and all(e.data.get("evacuees") for e in on_road if e.data["cause"] == "chlorine")
    # Their casualties wait where they were hurt, on the road through the cloud.
    (incident,) = [i for i in driving.incidents.values() if i.id.startswith("casualties-north")]
    assert incident.xy[0] == 1700.0 and 800 < incident.xy[1] < 1300
    driving.check_invariants()


def test_evacuees_in_the_cloud_count_as_exposed_above_aegl2_in_their_zone():
    indoors = _north("shelter").hazards["chlorine"].metrics()["people_above_aegl2_by_zone"]
    driving = _north("evacuate").hazards["chlorine"].metrics()["people_above_aegl2_by_zone"]
    assert "north" not in indoors
    assert driving["north"] > 0
    assert driving["lee"] == indoors["lee"]  # Lee's own exposure is its own


def test_harm_on_the_road_takes_people_out_of_their_group_and_keeps_everyone_counted():
    drill = Drill(load_scenario(MINI_GAS), seed=3)
    drill.submit(IssueWarning(zone="north", level=WarningLevel.RED, channel=Channel.SMS))
    drill.advance(15)
    drill.submit(OrderEvacuation(zone="north", shelter="south-school"))
    drill.advance(25)
    moving = people_on_the_move(drill, 1.0)
    assert moving and all(m.group is not None for m in moving)
    on_road = sum(m.people for m in moving)
    harm_on_the_move(drill, [(m, Harm(dead=1.0)) for m in moving], "test")
    assert sum(g.people for g in drill.in_transit) == 0
    assert drill.snapshot().zone("north").people["dead"] == on_road
    drill.check_invariants()
    drill.advance(60)  # the emptied groups arrive as no one
    drill.check_invariants()


def test_people_waiting_outside_a_full_shelter_in_the_cloud_breathe_it_at_its_door():
    # North drives to Lee's hall (40 places, in the cloud); the school is closed, so
    # the rest wait outside the hall.
    drill = Drill(load_scenario(MINI_GAS), seed=3)
    drill.submit(CloseShelter(shelter="south-school"))
    drill.submit(OpenShelter(shelter="lee-hall"))
    drill.submit(IssueWarning(zone="north", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OrderEvacuation(zone="north", shelter="lee-hall"))
    drill.advance(30)
    (door,) = [m for m in people_on_the_move(drill, 1.0) if m.group is None]
    assert door.shelter == "lee-hall" and door.people == drill.shelters["lee-hall"].waiting[1]
    assert door.cells.tolist() == [20 * 50 + 29]  # the hall's cell, (1450, 1000) m
    hurt_by_then = _harmed(drill, "north")["injured"]
    drill.advance(40)
    assert _harmed(drill, "north")["injured"] > hurt_by_then > 0
    drill.check_invariants()


def test_a_group_on_the_road_is_where_its_route_and_the_clock_put_it():
    drill = Drill(load_scenario(MINI_GAS), seed=3)
    drill.submit(IssueWarning(zone="north", level=WarningLevel.RED, channel=Channel.SMS))
    drill.advance(15)
    drill.submit(OrderEvacuation(zone="north", shelter="south-school"))
    drill.advance(17)
    group = drill.in_transit[0]
    assert group.xy_at(group.depart_min) == tuple(group.route_xy[0])
    assert np.allclose(group.xy_at(group.arrive_min), group.route_xy[-1])
    # From North's centre (1700, 300) the road runs south along x = 1700 to the school.
    x, y = group.xy_at((group.depart_min + group.arrive_min) / 2)
    assert x == 1700.0 and 300 < y < 2050


def test_a_drill_with_people_harmed_on_the_road_replays_byte_for_byte(tmp_path):
    log = tmp_path / "drill.jsonl"
    _north("evacuate", log)
    result = verify_log(log)
    assert result.identical, (result.first_difference, result.expected, result.got)


ZONES = ["lee", "north", "west"]
SHELTERS = ["south-school", "lee-hall"]
orders = st.one_of(
    st.builds(
        IssueWarning,
        zone=st.sampled_from(ZONES),
        level=st.sampled_from(WarningLevel),
        channel=st.sampled_from([Channel.SMS, Channel.BROADCAST]),
    ),
    st.builds(OrderEvacuation, zone=st.sampled_from(ZONES), shelter=st.sampled_from(SHELTERS)),
    st.builds(OrderShelterInPlace, zone=st.sampled_from(ZONES)),
    st.builds(OpenShelter, shelter=st.sampled_from(SHELTERS)),
    st.builds(CloseShelter, shelter=st.sampled_from(SHELTERS)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0.0, 20.0), orders), max_size=15), st.integers(0, 2**32))
def test_evacuees_harmed_on_the_road_or_at_a_door_are_still_counted_once(steps, seed):
    drill = Drill(load_scenario(MINI_GAS), seed=seed)
    for gap, order in steps:
        drill.advance(drill.now + gap)
        drill.submit(order)
        drill.check_invariants()
    drill.advance(drill.now + 40)
    drill.check_invariants()
