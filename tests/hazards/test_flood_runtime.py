"""A levee breach in a drill switches the flood to shock capturing around the gap."""

from __future__ import annotations

import numpy as np

from sim import Drill, load_scenario
from sim.hazards.flood_runtime import BREACH_SHOCK_RADIUS_M
from tests.conftest import ROOT


def test_a_breach_solves_the_flood_by_finite_volumes_around_the_gap_only():
    drill = Drill(load_scenario(ROOT / "scenarios" / "riverside_flood.yaml"), seed=7)
    drill.advance(5)
    flood = drill.hazards["qing-river"]
    assert not flood.model.shock_capturing_mask.any()  # local-inertial everywhere before
    flood.breach("town-levee", cause="inject")
    (breached,) = [e for e in drill.events if e.kind == "LeveeBreached"]
    zone = flood.model.shock_capturing_mask
    rows, cols = np.nonzero(zone)
    cell = drill.world.cell_m
    x, y = (cols + 0.5) * cell, (rows + 0.5) * cell
    distance = np.hypot(x - breached.data["x"], y - breached.data["y"])
    assert zone.sum() > 100
    assert distance.max() <= BREACH_SHOCK_RADIUS_M + cell
    assert zone.sum() < 0.25 * zone.size  # the rest of the map stays local-inertial
