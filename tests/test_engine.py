"""The engine's rules as a trainee would notice them: orders, people, units, supplies."""

from __future__ import annotations

import pytest

from sim import (
    Channel,
    CloseRoad,
    DispatchUnit,
    Drill,
    FireInject,
    IssueWarning,
    LiftShelterInPlace,
    MoveSupplies,
    OpenRoad,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    Reason,
    RecallUnit,
    RequestReinforcement,
    ResponseLevel,
    Role,
    SetResponseLevel,
    ShiftWind,
    SupplyItem,
    WarningLevel,
)


def test_time_lands_exactly_where_it_was_asked(mini):
    drill = Drill(mini, seed=1)
    for until in (0.1, 0.30000000000000004, 7.7, 100.0 / 3.0, 120.25):
        drill.advance(until)
        assert drill.now == until


def test_dispatch_sends_the_unit_to_the_incident_and_it_arrives(mini):
    drill = Drill(mini, seed=1)
    drill.advance(11)  # the crash inject fires at minute 10
    result = drill.submit(DispatchUnit(unit="ambulance-1", target="crash"))
    assert result.accepted
    assert drill.snapshot().unit("ambulance-1").status == "en_route"
    drill.advance(40)
    kinds = [(e.kind, e.data.get("unit")) for e in drill.events]
    assert ("UnitArrived", "ambulance-1") in kinds
    assert ("PeopleHospitalised", "ambulance-1") in kinds


def test_impossible_orders_are_rejected_with_a_reason(mini):
    drill = Drill(mini, seed=1)
    drill.advance(11)
    assert (
        drill.submit(DispatchUnit(unit="ambulance-9", target="crash")).reason == Reason.UNKNOWN_UNIT
    )
    assert drill.submit(DispatchUnit(unit="police-1", target="crash")).reason == Reason.NOT_CAPABLE
    assert drill.submit(DispatchUnit(unit="ambulance-1", target="moon")).reason == (
        Reason.UNKNOWN_TARGET
    )
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).reason == (
        Reason.SHELTER_CLOSED
    )
    assert drill.submit(RecallUnit(unit="ambulance-1")).reason == Reason.ALREADY_AT_BASE
    rejected = [e for e in drill.events if e.kind == "CommandIssued" and not e.data["accepted"]]
    assert [e.data["reason"] for e in rejected] == [
        "unknown_unit",
        "not_capable",
        "unknown_target",
        "shelter_closed",
        "already_at_base",
    ]


def test_only_the_instructor_may_fire_injects_or_shift_the_wind(mini):
    drill = Drill(mini, seed=1)
    assert drill.submit(FireInject(inject="storm")).reason == Reason.NOT_INSTRUCTOR
    assert drill.submit(FireInject(inject="storm", issuer=Role.INSTRUCTOR)).accepted
    assert "trapped-car" in drill.incidents
    assert drill.submit(FireInject(inject="storm", issuer=Role.INSTRUCTOR)).reason == (
        Reason.INJECT_ALREADY_FIRED
    )
    wind = ShiftWind(wind_speed_m_per_s=9, wind_from_deg=45, issuer=Role.INSTRUCTOR)
    assert drill.submit(wind).accepted
    assert drill.snapshot().weather.wind_from_deg == 45


def test_broadcast_warning_reaches_most_but_not_all_people(mini):
    drill = Drill(mini, seed=1)
    drill.submit(IssueWarning(zone="west", level=WarningLevel.RED, channel=Channel.BROADCAST))
    drill.advance(40)
    people = drill.snapshot().zone("west").people
    assert 0.6 * 900 < people["warned"] < 0.85 * 900
    assert people["unaware"] > 0


def test_door_to_door_warning_needs_a_team_in_the_zone(mini):
    drill = Drill(mini, seed=1)
    order = IssueWarning(zone="east", level=WarningLevel.ORANGE, channel=Channel.DOOR_TO_DOOR)
    assert drill.submit(order).reason == Reason.NO_TEAM_IN_ZONE
    drill.submit(DispatchUnit(unit="police-1", target="east"))
    drill.advance(30)
    assert drill.submit(order).accepted
    drill.advance(120)
    assert drill.snapshot().zone("east").people["warned"] >= 400


def test_warned_people_evacuate_to_an_open_shelter(mini):
    drill = Drill(mini, seed=1)
    drill.submit(IssueWarning(zone="west", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OpenShelter(shelter="school"))
    drill.advance(15)
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).accepted
    drill.advance(180)
    snap = drill.snapshot()
    school = next(f for f in snap.facilities if f.id == "school")
    assert school.occupants > 400  # SMS reached ~80 %, and most of them left
    assert snap.zone("west").people["evacuated"] == school.occupants
    drill.check_invariants()


def test_protective_orders_are_refused_until_the_zone_is_warned(mini):
    drill = Drill(mini, seed=1)
    drill.submit(OpenShelter(shelter="school"))
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).reason == (
        Reason.NOT_WARNED
    )
    assert drill.submit(OrderShelterInPlace(zone="east")).reason == Reason.NOT_WARNED
    drill.submit(IssueWarning(zone="west", level=WarningLevel.ORANGE, channel=Channel.BROADCAST))
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).accepted
    assert drill.evacuation_target[drill.world.zone_by_id["west"].index] == "school"


def test_the_all_clear_brings_people_sheltering_back_out(mini):
    drill = Drill(mini, seed=1)
    assert drill.submit(LiftShelterInPlace(zone="east")).reason == Reason.NOT_SHELTERING
    drill.submit(IssueWarning(zone="east", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OrderShelterInPlace(zone="east"))
    drill.advance(60)
    inside = drill.snapshot().zone("east").people["sheltering"]
    assert inside > 0
    assert drill.submit(LiftShelterInPlace(zone="east")).accepted
    zone = drill.snapshot().zone("east")
    assert zone.people["sheltering"] == 0 and not zone.sheltering_in_place
    lifted = [e for e in drill.events if e.kind == "ShelterInPlaceLifted"]
    assert lifted[-1].data == {"zone": "east", "people": inside}
    drill.advance(90)
    assert drill.snapshot().zone("east").people["sheltering"] == 0  # nobody goes back in
    drill.check_invariants()


def test_shelter_in_place_moves_warned_people_indoors(mini):
    drill = Drill(mini, seed=1)
    drill.submit(IssueWarning(zone="east", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OrderShelterInPlace(zone="east"))
    drill.advance(60)
    people = drill.snapshot().zone("east").people
    assert people["sheltering"] > 0.9 * (people["sheltering"] + people["warned"])


def test_closed_road_stops_routes_and_reopening_restores_them(mini):
    drill = Drill(mini, seed=1)
    assert drill.submit(CloseRoad(road="bridge")).accepted
    assert drill.submit(CloseRoad(road="bridge")).reason == Reason.ROAD_ALREADY_CLOSED
    drill.submit(FireInject(inject="storm", issuer=Role.INSTRUCTOR))  # also closes 'north'
    assert drill.submit(OpenRoad(road="north")).reason == Reason.ROAD_NOT_CLOSED_BY_COMMAND
    assert drill.submit(OpenRoad(road="bridge")).accepted
    assert any(e.kind == "RoadOpened" and e.data["road"] == "bridge" for e in drill.events)


def test_unit_on_its_way_is_rerouted_when_a_road_ahead_closes(mini):
    drill = Drill(mini, seed=1)
    drill.submit(FireInject(inject="fire", issuer=Role.INSTRUCTOR))  # house fire in the west
    drill.submit(DispatchUnit(unit="fire_engine-1", target="house-fire"))
    drill.advance(0.5)
    drill.submit(CloseRoad(road="main"))
    drill.advance(30)
    stranded = [e for e in drill.events if e.kind in ("UnitRerouted", "UnitStranded")]
    assert stranded and stranded[0].data["unit"] == "fire_engine-1"


def test_trucks_move_supplies_without_making_or_losing_any(mini):
    drill = Drill(mini, seed=1)
    before = drill.stocks.place("depot")[SupplyItem.WATER_L]
    order = MoveSupplies(
        source="depot", destination="school", item=SupplyItem.WATER_L, amount=12000
    )
    assert drill.submit(order).accepted
    assert drill.submit(order).reason == Reason.NO_TRUCK_AVAILABLE
    drill.advance(120)
    assert drill.stocks.place("school")[SupplyItem.WATER_L] == pytest.approx(100 + 12000)
    assert drill.stocks.place("depot")[SupplyItem.WATER_L] == pytest.approx(before - 12000)
    loads = [e for e in drill.events if e.kind == "SuppliesLoaded"]
    assert len(loads) == 2  # 12,000 L is two 8,000 L truck-loads
    drill.check_invariants()


def test_reinforcements_need_the_response_level_and_arrive_after_their_delay(mini):
    drill = Drill(mini, seed=1)
    assert drill.submit(RequestReinforcement(reinforcement="boats")).reason == Reason.LEVEL_TOO_LOW
    drill.submit(SetResponseLevel(level=ResponseLevel.III))
    assert drill.submit(RequestReinforcement(reinforcement="boats")).accepted
    drill.advance(29)
    assert "rescue_boat-1" not in drill.units
    drill.advance(31)
    assert {"rescue_boat-1", "rescue_boat-2"} <= set(drill.units)


def test_people_trapped_in_a_fire_die_while_no_one_comes(mini):
    idle = Drill(mini, seed=5)
    idle.submit(FireInject(inject="fire", issuer=Role.INSTRUCTOR))
    idle.advance(120)
    helped = Drill(mini, seed=5)
    helped.submit(FireInject(inject="fire", issuer=Role.INSTRUCTOR))
    helped.submit(DispatchUnit(unit="fire_engine-1", target="house-fire"))
    helped.submit(DispatchUnit(unit="fire_engine-2", target="house-fire"))
    helped.advance(120)
    assert idle.population.totals()["dead"] > helped.population.totals()["dead"]
    assert not helped.incidents["house-fire"].is_open


def test_the_drill_ends_at_its_duration_and_refuses_orders_after(mini):
    drill = Drill(mini, seed=1)
    drill.advance(10_000)
    assert drill.finished and drill.now == mini.scenario.meta.duration_h * 60
    assert drill.events[-1].kind == "DrillEnded"
    assert drill.submit(SetResponseLevel(level=ResponseLevel.IV)).reason == Reason.DRILL_OVER


def test_an_incident_cut_off_from_the_roads_is_logged_and_so_is_its_rejoining(mini):
    # The review needs to tell a commander who left an incident waiting from one who could
    # not reach it: the log says when an incident lost and regained its road access.
    drill = Drill(mini, seed=1)
    drill.submit(FireInject(inject="fire", issuer=Role.INSTRUCTOR))  # house fire in the west
    drill.submit(CloseRoad(road="main"))
    drill.submit(CloseRoad(road="bridge"))  # its second way in
    drill.advance(2)
    assert not next(i for i in drill.snapshot().incidents if i.id == "house-fire").reachable_by_road
    drill.submit(OpenRoad(road="bridge"))
    drill.advance(4)
    access = [
        (e.data["incident"], e.data["by_road"]) for e in drill.events if e.kind == "IncidentAccess"
    ]
    assert access == [("house-fire", False), ("house-fire", True)]
    assert next(i for i in drill.snapshot().incidents if i.id == "house-fire").reachable_by_road


def test_a_town_evacuates_through_every_road_its_streets_join():
    # Riverside Town joins River Road and Town Main: its people leave by both (half of each
    # road's two-way capacity outbound), not through one driveway-sized access link.
    from sim import load_scenario
    from sim.scenario.schema import RoadClass
    from sim.world.roads import CAPACITY_VEH_PER_H

    drill = Drill(load_scenario("scenarios/riverside_flood.yaml"), seed=1)
    town = drill.world.zone_by_id["riverside-town"].index
    _, people_per_min = drill.evacuation_route(town, "middle-school")
    both_ways = (
        2 * CAPACITY_VEH_PER_H[RoadClass.LOCAL] / 2 + 2 * CAPACITY_VEH_PER_H[RoadClass.MAIN] / 2
    )
    assert people_per_min == pytest.approx(both_ways * 2.5 / 60)


def test_the_snapshot_tells_which_units_can_reach_a_place_exactly_as_dispatch_finds(mini):
    # The commander sees the closures on the map; what the snapshot says is reachable
    # is what a dispatch order will find a route to, no more and no less.
    drill = Drill(mini, seed=1)
    drill.submit(FireInject(inject="fire", issuer=Role.INSTRUCTOR))
    drill.submit(CloseRoad(road="main"))
    drill.submit(CloseRoad(road="bridge"))
    drill.advance(1)
    snap = drill.snapshot()
    fire = next(i for i in snap.incidents if i.id == "house-fire")
    engine = snap.unit("fire_engine-1")
    assert not snap.can_reach(engine, fire.node) and not fire.reachable_by_road
    assert drill.submit(DispatchUnit(unit="fire_engine-1", target="house-fire")).reason == (
        Reason.NO_ROUTE
    )
    drill.submit(OpenRoad(road="bridge"))
    drill.advance(1)
    snap = drill.snapshot()
    assert snap.can_reach(snap.unit("fire_engine-1"), fire.node)
    assert drill.submit(DispatchUnit(unit="fire_engine-1", target="house-fire")).accepted


def test_a_zone_cut_off_from_every_police_and_volunteer_base_is_logged(mini):
    drill = Drill(mini, seed=1)
    drill.submit(CloseRoad(road="main"))
    drill.submit(CloseRoad(road="bridge"))
    drill.advance(2)
    drill.submit(OpenRoad(road="main"))
    drill.advance(4)
    access = [(e.data["zone"], e.data["by_road"]) for e in drill.events if e.kind == "ZoneAccess"]
    assert access == [("west", False), ("east", False), ("west", True), ("east", True)]


def test_a_crew_whose_duty_ends_while_it_stands_by_at_base_goes_to_rest():
    # A fire crew is on duty 12 h from its first call, standing by included; at the end
    # of it the crew stands down rather than be sent out spent.
    import yaml

    from tests.conftest import MINI, mini_with

    meta = {**yaml.safe_load(MINI.read_text(encoding="utf-8"))["meta"], "duration_h": 13}
    drill = Drill(mini_with(meta=meta), seed=1)
    drill.advance(11)
    assert drill.submit(DispatchUnit(unit="ambulance-1", target="crash")).accepted
    drill.advance(120)
    back = drill.snapshot().unit("ambulance-1")
    assert back.status == "available" and back.shift_left_min == pytest.approx(11 + 720 - 120)
    drill.advance(730)
    assert drill.snapshot().unit("ambulance-1").status == "available"
    drill.advance(732)
    assert drill.snapshot().unit("ambulance-1").status == "resting"
    resting = next(e for e in drill.events if e.kind == "UnitResting")
    assert resting.t_min == pytest.approx(11 + 720)
    assert drill.submit(DispatchUnit(unit="ambulance-1", target="crash")).reason == (
        Reason.CREW_RESTING
    )


def test_an_aircrews_flying_clock_stops_while_it_stands_by():
    import yaml

    from tests.conftest import MINI, mini_with

    meta = {**yaml.safe_load(MINI.read_text(encoding="utf-8"))["meta"], "duration_h": 6}
    helicopter = {"units": [{"type": "helicopter", "base": "hospital", "count": 1}]}
    drill = Drill(mini_with(meta=meta, forces=helicopter), seed=1)
    drill.advance(11)
    assert drill.submit(DispatchUnit(unit="helicopter-1", target="crash")).accepted
    drill.advance(60)
    left = drill.snapshot().unit("helicopter-1").shift_left_min
    assert left is not None and 200 < left < 240
    drill.advance(300)  # past four hours after its first call, but it flew far less
    snap = drill.snapshot().unit("helicopter-1")
    assert snap.status == "available" and snap.shift_left_min == pytest.approx(left)
    assert not any(e.kind == "UnitResting" for e in drill.events)


def test_a_helicopter_flies_casualties_out_where_no_road_reaches_the_hospital():
    # With the main road and the bridge closed no road joins the crash to the hospital:
    # no ambulance can drive the victims there, but a helicopter flies them, four a time.
    from tests.conftest import mini_with

    helicopter = {"units": [{"type": "helicopter", "base": "hospital", "count": 1}]}
    drill = Drill(mini_with(forces=helicopter), seed=1)
    drill.submit(CloseRoad(road="main"))
    drill.submit(CloseRoad(road="bridge"))
    drill.advance(11)
    hospital = drill.world.facilities["hospital"].node
    assert drill.world.roads.route(drill.incidents["crash"].node, hospital, 60) is None
    assert drill.submit(DispatchUnit(unit="helicopter-1", target="crash")).accepted
    drill.advance(60)
    flown = [e.data["people"] for e in drill.events if e.kind == "PeopleHospitalised"]
    assert flown == [4, 1]
    assert any(e.kind == "IncidentResolved" and e.data["incident"] == "crash" for e in drill.events)


def test_a_casualty_bus_carries_twenty_a_trip_and_loads_slower_than_an_ambulance():
    import yaml

    from tests.conftest import MINI, mini_with

    facilities = yaml.safe_load(MINI.read_text(encoding="utf-8"))["facilities"]
    for facility in facilities:
        if facility["id"] == "hospital":
            facility["beds"] = 60
    bus = {"units": [{"type": "casualty_bus", "base": "hospital", "count": 1}]}
    crash = {"type": "incident", "id": "crash", "incident": "casualties", "at": [1600, 700]}
    injects = [{"id": "crash", "at_min": 10, "actions": [{**crash, "people": 25}]}]
    drill = Drill(mini_with(forces=bus, injects=injects, facilities=facilities), seed=1)
    drill.advance(11)
    assert drill.submit(DispatchUnit(unit="casualty_bus-1", target="crash")).accepted
    drill.advance(120)
    handed = [e for e in drill.events if e.kind == "PeopleHospitalised"]
    assert [e.data["people"] for e in handed] == [20, 5]
    arrived = next(e.t_min for e in drill.events if e.kind == "UnitArrived")
    assert handed[0].t_min - arrived > 20  # ten minutes to load, ten to hand over, the drive


def test_supplies_fly_where_no_road_goes_if_a_helicopter_is_free(mini):
    # The depot's only road is closed: trucks cannot reach the school shelter, a helicopter
    # can, carrying half a truck-load (4 t in the cabin against an 8 t truck).
    from tests.conftest import mini_with

    forces = {
        "units": [
            {"type": "supply_truck", "base": "depot", "count": 1},
            {"type": "helicopter", "base": "hospital", "count": 1},
        ]
    }
    order = MoveSupplies(source="depot", destination="school", item=SupplyItem.WATER_L, amount=4000)
    grounded = Drill(mini, seed=1)
    grounded.submit(CloseRoad(road="main"))
    assert grounded.submit(order).reason == Reason.NO_ROUTE  # no road, no aircraft
    drill = Drill(mini_with(forces=forces), seed=1)
    drill.submit(CloseRoad(road="main"))
    assert drill.submit(order).accepted
    drill.advance(1)
    assert drill.snapshot().unit("helicopter-1").task == "supply:school"
    drill.advance(60)
    delivered = [e.data for e in drill.events if e.kind == "SuppliesDelivered"]
    assert delivered == [
        {"unit": "helicopter-1", "facility": "school", "item": "water_l", "amount": 4000.0}
    ]


def test_an_incident_across_a_river_is_reached_by_a_road_on_its_own_bank():
    # A reported trapped car 150 m north of the main road, with a river in between: the
    # nearest road is across the water, so its access comes from the north road instead.
    import yaml

    from tests.conftest import MINI, mini_with

    game_map = yaml.safe_load(MINI.read_text(encoding="utf-8"))["map"]
    game_map["terrain"]["rivers"] = [
        {"points": [[1150, 600], [2000, 600]], "width_m": 60, "valley_width_m": 0}
    ]
    inject = {
        "id": "car",
        "at_min": 1,
        "actions": [
            {"type": "incident", "id": "car", "incident": "trapped", "at": [1600, 450], "people": 2}
        ],
    }
    drill = Drill(mini_with(map=game_map, injects=[inject]), seed=1)
    drill.advance(2)
    roads, water = drill.world.roads, drill.world.river_mask.ravel()
    node = drill.incidents["car"].node
    links = [roads.edge(node, other) for other in roads.graph.neighbors(node)]
    assert links and not any(water[link.cells].any() for link in links)
    assert any(roads.xy(other)[0] == 1000 for other in roads.graph.neighbors(node))  # north road
