"""Random command streams never create or lose people or supplies, nor split a unit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import Drill, Role, SupplyItem, UnitType, load_scenario
from sim import commands as c
from tests.conftest import MINI

LOADED = load_scenario(MINI)
UNITS = [
    "fire_engine-1",
    "fire_engine-2",
    "ambulance-1",
    "ambulance-2",
    "police-1",
    "supply_truck-1",
    "rescue_boat-1",
    "nobody",
]
TARGETS = [
    "crash",
    "house-fire",
    "trapped-car",
    "west",
    "east",
    "school",
    "depot",
    "hospital",
    "moon",
]
ZONES = ["west", "east", "nowhere"]
PLACES = ["school", "depot", "hospital", "station"]

commands = st.one_of(
    st.builds(c.DispatchUnit, unit=st.sampled_from(UNITS), target=st.sampled_from(TARGETS)),
    st.builds(c.RecallUnit, unit=st.sampled_from(UNITS)),
    st.builds(
        c.IssueWarning,
        zone=st.sampled_from(ZONES),
        level=st.sampled_from(c.WarningLevel),
        channel=st.sampled_from(c.Channel),
    ),
    st.builds(c.OrderEvacuation, zone=st.sampled_from(ZONES), shelter=st.sampled_from(PLACES)),
    st.builds(c.OrderShelterInPlace, zone=st.sampled_from(ZONES)),
    st.builds(c.OpenShelter, shelter=st.sampled_from(PLACES)),
    st.builds(c.CloseShelter, shelter=st.sampled_from(PLACES)),
    st.builds(
        c.MoveSupplies,
        source=st.sampled_from(PLACES),
        destination=st.sampled_from(PLACES),
        item=st.sampled_from(SupplyItem),
        amount=st.floats(1, 30000),
    ),
    st.builds(c.SetResponseLevel, level=st.sampled_from(c.ResponseLevel)),
    st.builds(c.RequestReinforcement, reinforcement=st.sampled_from(["boats", "none"])),
    st.builds(c.CloseRoad, road=st.sampled_from(["main", "north", "bridge", "x"])),
    st.builds(c.OpenRoad, road=st.sampled_from(["main", "north", "bridge"])),
    st.builds(
        c.FireInject,
        inject=st.sampled_from(["crash", "fire", "storm", "calm"]),
        issuer=st.just(Role.INSTRUCTOR),
    ),
)
timeline = st.lists(st.tuples(st.floats(0.0, 30.0), commands), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timeline, st.integers(0, 2**32))
def test_random_commands_conserve_people_and_supplies(steps, seed):
    drill = Drill(LOADED, seed=seed)
    for gap, command in steps:
        drill.advance(drill.now + gap)
        drill.submit(command)
        drill.check_invariants()
        _units_in_one_place(drill)
    drill.advance(drill.now + 60)
    drill.check_invariants()


def _units_in_one_place(drill: Drill) -> None:
    snapshot = drill.snapshot()
    ids = [u.id for u in snapshot.units]
    assert len(ids) == len(set(ids))
    for unit in drill.units.values():
        # A unit is at a node or on exactly one stretch that starts where it was.
        if unit.leg is not None:
            assert unit.leg.start_min <= drill.now <= unit.leg.end_min + 1e-9
        assert unit.spec.type in UnitType
    teams = [team for zone in drill.zone_teams for team in zone]
    assert len(teams) == len(set(teams)), "a team works in two zones at once"
    working = [u for i in drill.incidents.values() for u in i.units]
    assert len(working) == len(set(working)), "a unit works at two incidents at once"
