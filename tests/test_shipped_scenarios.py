"""Every shipped drill validates, carries its schema line, and rewards good command."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import ExpertBot, IdleBot, load_scenario, run_headless
from sim.cli import scenario_json_schema
from tests.conftest import ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_four_bilingual_drills_are_shipped():
    assert len(SHIPPED) >= 4
    kinds = set()
    for path in SHIPPED:
        scenario = load_scenario(path).scenario
        kinds |= {hazard.kind for hazard in scenario.hazards}
        assert scenario.meta.title.zh and scenario.meta.briefing.zh
    assert kinds == {"flood", "fire", "gas"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_points_editors_at_the_current_schema(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/scenario.schema.json"
    on_disk = (ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8")
    assert on_disk == scenario_json_schema(), "run: python -m sim schema --out schema/..."


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_expert_clearly_beats_idle_on_every_shipped_drill(path: Path):
    loaded = load_scenario(path)
    seed = loaded.scenario.meta.default_seed
    idle = run_headless(loaded, seed, IdleBot()).population.totals()
    expert_drill = run_headless(loaded, seed, ExpertBot(loaded.scenario))
    expert = expert_drill.population.totals()
    expert_drill.check_invariants()
    assert expert["dead"] * 1.6 < idle["dead"] or (expert["dead"] == 0 < idle["dead"])
    assert expert["dead"] + expert["injured"] < idle["dead"] + idle["injured"]
