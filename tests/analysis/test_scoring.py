import json

import pytest

import sim
from analysis.baselines import baseline_key, figures_for, play, played_out
from analysis.drilldata import load_drill
from analysis.pipeline import score_stopped_or_whole
from analysis.records import Records
from analysis.rubric import HUMAN_ITEMS, judge_all
from analysis.scoring import (
    baseline_figures,
    critical_cap,
    harm_parts,
    outcome_score,
    rating,
    score_drill,
)
from tests.conftest import MINI


def test_outcome_is_the_share_of_preventable_harm_prevented_on_one_slope():
    # 0 at doing nothing (50), 100 at only the unpreventable harm (10), linear between.
    assert outcome_score(50.0, floor=50.0, ceiling=10.0) == 0.0
    assert outcome_score(10.0, floor=50.0, ceiling=10.0) == 100.0
    assert outcome_score(30.0, floor=50.0, ceiling=10.0) == 50.0
    assert outcome_score(20.0, floor=50.0, ceiling=10.0) == 75.0
    # better than the unpreventable estimate is still 100; worse than idle shows below 0
    assert outcome_score(0.0, floor=50.0, ceiling=10.0) == 100.0
    assert outcome_score(90.0, floor=50.0, ceiling=10.0) == -100.0
    assert outcome_score(5.0, floor=5.0, ceiling=5.0) is None  # nothing to prevent


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
    first = score_drill(load_drill(expert_log), figures_for(load_drill(expert_log), records))
    again = score_drill(load_drill(expert_log), figures_for(load_drill(expert_log), records))
    dump = lambda c: json.dumps(c, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert dump(first) == dump(again)


def test_the_anchors_are_doing_nothing_and_the_unpreventable_harm_not_the_expert(expert_log):
    drill = load_drill(expert_log)
    idle = play(drill, "idle")
    figures = baseline_figures(idle)
    assert figures["idle"] == harm_parts(idle)
    assert score_drill(idle, figures)["outcome"]["score"] == 0.0  # doing nothing is the floor
    # the crash's injured come with the inject: no commander prevents them
    assert figures["unavoidable"]["injuries"] >= 4
    expert = score_drill(drill, figures)["outcome"]
    assert 0.0 < expert["score"] <= 100.0
    assert expert["ceiling"] < expert["harm"] < expert["floor"]


def test_naive_bot_harm_lies_between_idle_and_expert(expert_log):
    drill = load_drill(expert_log)
    harm = {b: sum(harm_parts(play(drill, b)).values()) for b in ("idle", "naive", "expert")}
    assert harm["idle"] >= harm["naive"] >= harm["expert"]


def test_every_judged_item_names_its_weight_and_points_and_they_add_up(expert_log):
    drill = load_drill(expert_log)
    card = score_drill(drill, baseline_figures(play(drill, "idle")))
    judged = {j["item"]: j for j in card["judgements"]}
    points = {p["item"]: p for p in card["points"]}
    for item, row in points.items():
        if judged[item]["result"] in ("yes", "no"):
            assert row["weight"] in (1.0, 2.0, 3.0)  # minor, major, critical
        assert row["points"] in (0.0, row["max_points"])
    assert sum(p["max_points"] for p in points.values()) == pytest.approx(40.0, abs=0.1)
    earned = sum(p["points"] for p in points.values())
    assert earned == pytest.approx(0.4 * card["process_score"], abs=0.1)
    assert {b["part"] for b in card["outcome"]["breakdown"]} == set(card["outcome"]["parts"])
    assert all(b["source"] for b in card["outcome"]["breakdown"])


def test_a_failed_critical_item_caps_the_total_far_below_a_pass(crafted):
    from analysis.rubric import Judgement

    def j(item: str, result: str, severity: str = "critical") -> Judgement:
        return Judgement(item, "protection", result, severity)

    assert critical_cap([j("a", "yes"), j("b", "yes"), j("c", "no", "major")]) is None
    assert critical_cap([j("a", "yes"), j("b", "no")]) == 40.0
    assert critical_cap([j("a", "no"), j("b", "no"), j("c", "n/a")]) == 40.0


# -- drills that ended before the scenario's end ----------------------------------------------

STOP_MIN = 60.0


def _bot_log(folder, bot: str, until_min: float | None = None):
    loaded = sim.load_scenario(MINI)
    path = folder / f"{bot}-{until_min}.jsonl"
    sim.run_headless(loaded, 3, sim.make_bot(bot, loaded.scenario), path, until_min=until_min)
    return path


def _cut(log, folder, t_min: float):
    """The log as a crash at ``t_min`` leaves it: every line up to that minute, no end event."""
    header, *lines = log.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if json.loads(line)["t"] <= t_min]
    path = folder / f"cut-{log.name}"
    path.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stopped_logs(tmp_path_factory):
    """Idle and expert drills stopped at STOP_MIN (DrillAborted), and both played to the end."""
    folder = tmp_path_factory.mktemp("stopped")
    return {
        "idle": _bot_log(folder, "idle", STOP_MIN),
        "expert": _bot_log(folder, "expert", STOP_MIN),
        "idle_full": _bot_log(folder, "idle"),
        "expert_full": _bot_log(folder, "expert"),
    }


def test_run_headless_until_stops_the_drill_there_as_the_game_does(mini):
    short = sim.run_headless(mini, 3, sim.make_bot("idle", mini.scenario), until_min=STOP_MIN)
    assert short.finished and short.now == STOP_MIN
    end = short.events[-1]
    assert (end.t_min, end.kind) == (STOP_MIN, "DrillAborted")
    assert {"people", "unmet_need_person_h"} <= set(end.data)
    full = sim.run_headless(mini, 3, sim.make_bot("idle", mini.scenario))
    before = lambda d: [e.to_record() for e in d.events if e.t_min < STOP_MIN]  # noqa: E731
    assert before(short) == before(full)  # the same drill until it was stopped
    assert full.events[-1].kind == "DrillEnded" and full.now == full.end_min
    past = sim.run_headless(mini, 3, sim.make_bot("idle", mini.scenario), until_min=1e9)
    assert [e.to_record() for e in past.events] == [e.to_record() for e in full.events]


def test_a_drill_stopped_early_is_played_out_with_no_further_orders(stopped_logs, tmp_path):
    records = Records(tmp_path / "r.sqlite")
    expert = load_drill(stopped_logs["expert"])
    assert expert.end_min == STOP_MIN and expert.outcome
    out = played_out(expert)
    assert out.outcome and out.end_min == out.scenario.meta.duration_h * 60.0
    mine = [e.to_record() for e in expert.events if e.t_min < STOP_MIN]
    assert [e.to_record() for e in out.events if e.t_min < STOP_MIN] == mine
    assert not [e for e in out.of("CommandIssued") if e.t_min >= STOP_MIN]
    card = score_stopped_or_whole(expert, figures_for(expert, records))
    assert card["played_out_from_min"] == STOP_MIN
    assert card["outcome"]["parts"] == harm_parts(out)
    # Stopping early is no shortcut: the idle drill stopped early scores as the whole one.
    idle, full = load_drill(stopped_logs["idle"]), load_drill(stopped_logs["idle_full"])
    anchors = figures_for(idle, records)
    assert score_stopped_or_whole(idle, anchors)["total"] == score_drill(full, anchors)["total"]


def test_a_log_cut_short_is_played_out_too(stopped_logs, tmp_path):
    idle = load_drill(_cut(stopped_logs["idle_full"], tmp_path, STOP_MIN))
    assert idle.end_min == STOP_MIN and not idle.outcome
    card = score_stopped_or_whole(idle, figures_for(idle))
    assert card["played_out_from_min"] == STOP_MIN
    assert card["outcome"]["parts"] == harm_parts(load_drill(stopped_logs["idle_full"]))


def test_anchors_are_the_idle_mean_cached_once_per_scenario(stopped_logs, tmp_path):
    from analysis.baselines import ANCHOR_SEEDS
    from sim.drill_log import ENGINE_VERSION, engine_build

    full = load_drill(stopped_logs["idle_full"])
    short = load_drill(stopped_logs["idle"])
    other_seed = replayed_on_seed(full, 9)
    assert baseline_key(full) == baseline_key(short) == baseline_key(other_seed)
    from analysis.baselines import analysis_build

    assert baseline_key(full)[2] == f"{ENGINE_VERSION}+{engine_build()}+{analysis_build()}"
    records = Records(tmp_path / "r.sqlite")
    figures = figures_for(short, records)
    assert records.baseline(*baseline_key(full), "idle-figures") == figures
    runs = [harm_parts(play(full, "idle", seed=s)) for s in ANCHOR_SEEDS]
    assert figures["runs"] == len(ANCHOR_SEEDS)
    assert figures["idle"]["deaths"] == pytest.approx(sum(r["deaths"] for r in runs) / len(runs))


def test_doing_nothing_is_the_same_on_every_seed_so_one_seed_anchors_it(mini):
    # With no orders nothing is drawn (harm is counted, not drawn): if this ever fails,
    # analysis.baselines.ANCHOR_SEEDS needs more seeds for its mean to be an expectation.
    runs = [sim.run_headless(mini, s, sim.make_bot("idle", mini.scenario)) for s in (1, 2, 9)]
    records = [[e.to_record() for e in run.events] for run in runs]
    assert records[0] == records[1] == records[2]


def replayed_on_seed(drill, seed):
    from analysis.luck import replayed_on

    return replayed_on(drill, seed)
