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
