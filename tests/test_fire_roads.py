"""A road a fire burns across stays closed until its flames have been out a while."""

from __future__ import annotations

from collections import Counter

import sim
from sim import events as ev
from tests.conftest import ROOT


def test_two_fires_do_not_flap_a_road_open_and_shut_every_minute():
    # The trial drill (written by an outside author) has two fires near the same roads. Each
    # fire used to reopen what the other had just closed: 700 road events in 4 hours, a
    # road "closed" and "open again" in the same minute, over and over.
    loaded = sim.load_scenario(ROOT / "tests" / "data" / "trial_fire.yaml")
    drill = sim.run_headless(loaded, 5, sim.ExpertBot(loaded.scenario))
    moves = [e for e in drill.events if e.kind in (ev.ROAD_CLOSED, ev.ROAD_OPENED)]
    fire = [e for e in moves if e.data["reason"] == "fire"]
    assert fire and len(fire) < 60
    per_minute = Counter((e.t_min, e.data["road"]) for e in fire)
    assert max(per_minute.values()) == 1  # never shut and opened in the same minute
