"""Hazards act on the drill as a commander would see: smoke downwind, reach logged."""

from __future__ import annotations

import numpy as np

from sim import Drill, IdleBot, load_scenario, run_headless
from tests.conftest import ROOT


def test_smoke_drifts_downwind_of_the_fire_front():
    drill = Drill(load_scenario(ROOT / "scenarios" / "wildfire_wui.yaml"), seed=5)
    drill.advance(60)  # wind from the west: smoke goes east
    fire = drill.hazards["pine-ridge-fire"]
    _, burning_cols = np.nonzero(fire.model.burning)
    _, smoke_cols = np.nonzero(fire.smoke())
    assert smoke_cols.max() > burning_cols.max()
    assert smoke_cols.min() >= burning_cols.min()


def test_each_hazard_logs_the_zones_it_reaches_and_its_footprint(tmp_path):
    import json

    loaded = load_scenario(ROOT / "scenarios" / "chlorine_leak.yaml")
    log = tmp_path / "drill.jsonl"
    run_headless(loaded, 11, IdleBot(), log)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    reached = {r["zone"] for r in records if r.get("milestone") == "zone_reached"}
    assert {"park-staff", "xinhua-school"} <= reached
    (footprint,) = [r for r in records if r["event"] == "HazardFootprint"]
    assert footprint["shape"] == [100, 120] and sum(n for _, n in footprint["runs"]) > 10
    assert records[-1]["event"] == "DrillEnded"


def test_a_forecast_wind_shift_puts_the_zones_it_will_blow_towards_under_threat():
    # Chlorine drill: the forecast says the wind veers to the north-west at minute 50,
    # towards the dormitories. From the start they are threatened, less surely than under
    # the wind now and with time to evacuate; near the shift, only time to take cover.
    drill = Drill(load_scenario(ROOT / "scenarios" / "chlorine_leak.yaml"), seed=11)
    drill.advance(1)
    early, advice = drill.snapshot().threats["dormitories"]
    assert advice == "evacuate"
    drill.advance(48)
    assert drill.snapshot().threats["dormitories"][1] == "shelter"
    drill.advance(55)
    assert drill.snapshot().threats["dormitories"][0] > early  # the wind now, not a forecast


def test_the_river_under_a_bridge_does_not_close_it_its_loss_does():
    # Riverside's Qinghe bridge spans the river from the start; before this, the water
    # under its deck closed it in the first minute, so the drill's bridge-loss inject
    # changed nothing and Nanpo was cut off from minute 0.
    from sim import Drill, load_scenario
    from tests.conftest import ROOT

    loaded = load_scenario(ROOT / "scenarios" / "riverside_flood.yaml")
    drill = Drill(loaded, seed=7)
    bridge = [e for e in drill.world.roads.edges.values() if e.road_id == "qinghe-bridge"]
    drill.advance(30)
    assert bridge and all("flood" not in e.closures for e in bridge)
    assert all(not e.closures for e in bridge)
    inject = next(i for i in loaded.scenario.injects if i.id == "bridge-scour")
    drill.advance(float(inject.at_min) + 1)
    assert all(e.closures for e in bridge)  # lost when the scenario says it is
