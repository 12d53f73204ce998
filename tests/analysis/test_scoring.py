import json

import pytest

import sim
from analysis.baselines import baseline_parts, play
from analysis.drilldata import load_drill
from analysis.records import Records
from analysis.rubric import HUMAN_ITEMS, judge_all
from analysis.scoring import harm_parts, outcome_score, rating, score_drill
from tests.conftest import MINI


def test_outcome_score_is_0_at_idle_80_at_expert_and_100_at_no_harm():
    assert outcome_score(50.0, floor=50.0, par=10.0) == 0.0
    assert outcome_score(10.0, floor=50.0, par=10.0) == 80.0
    assert outcome_score(30.0, floor=50.0, par=10.0) == 40.0
    assert outcome_score(0.0, floor=50.0, par=10.0) == 100.0
    assert outcome_score(90.0, floor=50.0, par=10.0) == 0.0


def test_hseep_rating_bands_are_p90_s70_m40():
    assert [rating(s) for s in (95, 90, 75, 45, 10, None)] == ["P", "P", "S", "M", "U", "-"]


def test_items_the_log_cannot_show_are_left_to_the_evaluator(crafted):
    drill = crafted([])
    from analysis.kpis import all_kpis

    judged = {j.item: j.result for j in judge_all(drill, all_kpis(drill))}
    assert judged["warning_in_time"] == "n/a"
    assert "report_content" in HUMAN_ITEMS["warning_reporting"]  # what a report said
    assert all(HUMAN_ITEMS[d] for d in ("communications", "public_information"))


@pytest.fixture(scope="module")
def expert_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / "expert.jsonl"
    loaded = sim.load_scenario(MINI)
    sim.run_headless(loaded, 3, sim.make_bot("expert", loaded.scenario), path)
    return path


def test_recomputing_a_score_from_the_same_log_gives_identical_bytes(expert_log, tmp_path):
    records = Records(tmp_path / "r.sqlite")
    first = score_drill(load_drill(expert_log), baseline_parts(load_drill(expert_log), records))
    again = score_drill(load_drill(expert_log), baseline_parts(load_drill(expert_log), records))
    dump = lambda c: json.dumps(c, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert dump(first) == dump(again)


def test_the_expert_bots_own_log_scores_par_on_outcome(expert_log, tmp_path):
    drill = load_drill(expert_log)
    card = score_drill(drill, baseline_parts(drill, Records(tmp_path / "r.sqlite")))
    assert card["outcome"]["score"] == 80.0


def test_naive_bot_harm_lies_between_idle_and_expert(expert_log):
    drill = load_drill(expert_log)
    harm = {b: sum(harm_parts(play(drill, b)).values()) for b in ("idle", "naive", "expert")}
    assert harm["idle"] >= harm["naive"] >= harm["expert"]
