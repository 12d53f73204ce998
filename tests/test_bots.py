"""The expert bot's rules of command, each on a small drill where the right call is plain."""

from __future__ import annotations

from sim import DispatchUnit, Drill, ExpertBot
from tests.conftest import mini_with

CRASH = {"type": "incident", "incident": "casualties", "at": [1600, 700]}


def _casualty_injects(*incidents: tuple[str, float, int]) -> list[dict]:
    return [
        {"id": ident, "at_min": at, "actions": [{**CRASH, "id": ident, "people": people}]}
        for ident, at, people in incidents
    ]


def _play(drill: Drill, bot: ExpertBot, until: float) -> list[DispatchUnit]:
    """Let the bot decide once a minute until ``until``; the dispatches it gave."""
    sent = []
    while drill.now < until:
        drill.advance(drill.now + 1)
        for command in bot.decide(drill.snapshot()):
            drill.submit(command)
            if isinstance(command, DispatchUnit):
                sent.append(command)
    return sent


def test_a_new_casualty_report_gets_an_ambulance_from_a_scene_that_has_two():
    # Both ambulances are at a crash with 8 hurt when a second crash is reported: triage
    # sends one of them on at once rather than leave the new casualties with nobody.
    loaded = mini_with(injects=_casualty_injects(("pileup", 10, 8), ("second", 20, 2)))
    drill = Drill(loaded, seed=1)
    bot = ExpertBot(loaded.scenario)
    first = _play(drill, bot, 19)
    assert sorted(c.unit for c in first if c.target == "pileup") == ["ambulance-1", "ambulance-2"]
    later = _play(drill, bot, 22)
    assert [c.target for c in later if c.unit.startswith("ambulance")] == ["second"]
    assert drill.incidents["pileup"].units or any(
        u.task == "incident:pileup" for u in drill.snapshot().units
    )  # the first scene keeps its other ambulance


def test_the_bus_goes_to_the_mass_casualty_scene_and_the_ambulance_to_the_small_one():
    forces = {
        "units": [
            {"type": "ambulance", "base": "hospital", "count": 1},
            {"type": "casualty_bus", "base": "hospital", "count": 1},
        ]
    }
    injects = _casualty_injects(("small", 10, 2), ("mass", 30, 30))
    loaded = mini_with(forces=forces, injects=injects)
    drill = Drill(loaded, seed=1)
    bot = ExpertBot(loaded.scenario)
    sent = _play(drill, bot, 12)
    assert [(c.unit, c.target) for c in sent] == [("ambulance-1", "small")]
    sent = _play(drill, bot, 32)
    assert ("casualty_bus-1", "mass") in [(c.unit, c.target) for c in sent]


def _mini_with_hall(at: tuple[float, float]):
    """The mini drill with a second shelter, a village hall, at ``at``."""
    import yaml

    from tests.conftest import MINI

    facilities = yaml.safe_load(MINI.read_text(encoding="utf-8"))["facilities"]
    hall = {
        "id": "hall",
        "type": "shelter",
        "name": {"en": "Village hall", "zh": "村礼堂"},
        "at": list(at),
        "capacity": 1000,
    }
    return mini_with(facilities=[*facilities, hall])


def _cut_off_evacuation(drill: Drill) -> list:
    """West warned and sent to the school; then the main road and the north road, the two
    ways to the school, are closed. The expert's orders for West right after."""
    from sim import (
        Channel,
        CloseRoad,
        IssueWarning,
        OpenShelter,
        OrderEvacuation,
        OrderShelterInPlace,
        WarningLevel,
    )

    drill.submit(IssueWarning(zone="west", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OpenShelter(shelter="school"))
    drill.advance(15)
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).accepted
    drill.advance(17)
    assert drill.submit(CloseRoad(road="north")).accepted
    assert drill.submit(CloseRoad(road="main")).accepted
    drill.advance(18)
    orders = ExpertBot(drill.scenario).decide(drill.snapshot())
    return [c for c in orders if isinstance(c, OrderEvacuation | OrderShelterInPlace)]


def test_people_cut_off_from_their_shelter_take_cover_when_no_other_shelter_is_reachable():
    drill = Drill(mini_with(), seed=1)
    orders = _cut_off_evacuation(drill)
    assert [type(c).__name__ for c in orders] == ["OrderShelterInPlace"]
    drill.submit(orders[0])
    drill.advance(40)
    assert drill.snapshot().zone("west").people["sheltering"] > 0


def test_people_cut_off_from_their_shelter_are_sent_to_one_the_open_roads_reach():

    drill = Drill(_mini_with_hall(at=(1050, 1350)), seed=1)  # by the bridge road, still open
    orders = _cut_off_evacuation(drill)
    assert [(type(c).__name__, getattr(c, "shelter", None)) for c in orders] == [
        ("OrderEvacuation", "hall")
    ]


def test_a_lost_shelter_is_not_asked_for_again_and_its_evacuees_are_sent_elsewhere():

    from sim import Channel, IssueWarning, OpenShelter, OrderEvacuation, WarningLevel

    drill = Drill(_mini_with_hall(at=(1600, 650)), seed=1)
    drill.submit(IssueWarning(zone="west", level=WarningLevel.RED, channel=Channel.SMS))
    drill.submit(OpenShelter(shelter="school"))
    drill.advance(15)
    assert drill.submit(OrderEvacuation(zone="west", shelter="school")).accepted
    bot = ExpertBot(drill.scenario)
    bot.evacuating.add("west")  # as if the expert had sent them
    drill.advance(17)
    drill.lose_facility("school", cause="fire")
    drill.advance(18)
    orders = bot.decide(drill.snapshot())
    assert not any(getattr(c, "shelter", None) == "school" for c in orders)
    protective = [c for c in orders if isinstance(c, OrderEvacuation) and c.zone == "west"]
    assert [c.shelter for c in protective] == ["hall"]
