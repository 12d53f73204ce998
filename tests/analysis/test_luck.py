"""The luck band: the same orders on other seeds, so a reviewer can tell skill from chance."""

from __future__ import annotations

import sim
from analysis.drilldata import load_drill
from analysis.luck import luck_band, replayed_on
from analysis.pipeline import score_and_report
from analysis.scoring import score_drill
from tests.conftest import MINI


def _expert_log(path):
    loaded = sim.load_scenario(MINI)
    sim.run_headless(loaded, 3, sim.make_bot("expert", loaded.scenario), path)
    return path


def test_the_same_orders_replay_at_their_minutes_on_another_seed(tmp_path):
    drill = load_drill(_expert_log(tmp_path / "expert.jsonl"))
    other = replayed_on(drill, 9)
    assert other.header["seed"] == 9
    mine = [(e.t_min, e.data["command"]) for e in drill.of("CommandIssued")]
    theirs = [(e.t_min, e.data["command"]) for e in other.of("CommandIssued")]
    assert theirs == mine
    same = replayed_on(drill, 3)  # its own seed: the drill again, event for event
    assert [e.to_record() for e in same.events] == [e.to_record() for e in drill.events]


def test_the_report_shows_the_band_the_same_orders_score_in(tmp_path):
    log = _expert_log(tmp_path / "expert.jsonl")
    band = luck_band(load_drill(log), [4, 5], score_drill)
    assert band["seeds"] == [3, 4, 5] and len(band["totals"]) == 3
    assert band["low"] <= band["totals"][0] <= band["high"]
    files = score_and_report(
        log, tmp_path / "out", db=tmp_path / "r.sqlite", record=False, luck_seeds=[4, 5]
    )
    assert files.card["luck"]["seeds"] == [3, 4, 5]
    assert "seeds 3, 4, 5" in files.page.read_text(encoding="utf-8")
