"""The authoring guide's worked example plays the cascade it describes, with either bot.

docs/example_drill.yaml is the template new authors copy: the creek floods the
cold-store, the flooded tank starts an ammonia leak, and the wind turns the
cloud onto the village. An example whose trigger never fires (it once waited
for 0.3 m of water the tank never saw) teaches a cascade that does not happen;
one whose trigger closes the road to its own leak (roads close at 0.3 m) teaches
a leak nobody can stop.
"""

from __future__ import annotations

import pytest

from sim import ExpertBot, IdleBot, load_scenario, run_headless
from sim.engine import Drill
from sim.world.roads import joined
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "example_drill.yaml"


@pytest.fixture(scope="module")
def example():
    return load_scenario(EXAMPLE)


@pytest.fixture(scope="module")
def played(example):
    """Each bot's drill on the example, played to the end once for the module."""
    bots = {"idle": IdleBot(), "expert": ExpertBot(example.scenario)}
    seed = example.scenario.meta.default_seed
    return {name: run_headless(example, seed, bot) for name, bot in bots.items()}


def fired(drill: Drill) -> list[str]:
    return [e.data["inject"] for e in drill.events if e.kind == "InjectFired"]


@pytest.mark.parametrize("bot", ["idle", "expert"])
def test_every_inject_of_the_example_fires(example, played, bot):
    drill = played[bot]
    assert sorted(fired(drill)) == sorted(i.id for i in example.scenario.injects)
    started = [e.data["hazard"] for e in drill.events if e.kind == "HazardStarted"]
    assert started == ["creek", "ammonia"]  # the flood, then the leak it sets off
    reached = {
        e.data["zone"]
        for e in drill.events
        if e.kind == "HazardMilestone"
        and e.data["milestone"] == "zone_reached"
        and e.data["hazard"] == "ammonia"
    }
    assert "liuxi" in reached  # the turned wind carries the cloud over the village


def test_a_hazmat_team_could_drive_to_the_leak_while_it_runs(example):
    """Left alone (the idle bot) the leak runs its course; at every minute of it an open
    road joins the leak to where the hazmat team arrives, and the water at the tank stays
    below the depth that closes roads."""
    drill = Drill(example, example.scenario.meta.default_seed)
    base = drill.world.facilities["police"].node  # forces.reinforcements: hazmat arrives here
    releasing_min = []
    for minute in range(1, int(drill.end_min) + 1):
        drill.advance(minute)
        gas = drill.hazards["ammonia"]
        if not (gas.started and gas.release.active):
            continue
        releasing_min.append(minute)
        leak = drill.incidents["leak-ammonia"]
        assert joined(drill.road_parts(), base, leak.node), f"cut off at minute {minute}"
        assert drill.water_depth_at("ammonia-tank") < 0.3, minute
    drill.finish()
    assert len(releasing_min) > 60  # the release ran (10 t at 2 kg/s: 83 minutes)
    assert "tank-flooded" in fired(drill)


def test_the_expert_stops_the_leak_before_its_tank_is_empty(example, played):
    (stopped,) = [
        e
        for e in played["expert"].events
        if e.kind == "HazardMilestone" and e.data["milestone"] == "release_stopped"
    ]
    inventory = next(h for h in example.scenario.hazards if h.id == "ammonia").inventory_kg
    assert stopped.data["released_kg"] < inventory
