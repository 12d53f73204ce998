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
    """Idle and expert drills stopped at STOP_MIN (DrillAborted), and the idle one played out."""
    folder = tmp_path_factory.mktemp("stopped")
    return {
        "idle": _bot_log(folder, "idle", STOP_MIN),
        "expert": _bot_log(folder, "expert", STOP_MIN),
        "idle_full": _bot_log(folder, "idle"),
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


def test_a_drill_stopped_early_is_scored_against_bots_stopped_at_the_same_minute(
    stopped_logs, tmp_path
):
    records = Records(tmp_path / "r.sqlite")
    idle = load_drill(stopped_logs["idle"])
    assert idle.end_min == STOP_MIN and idle.outcome
    card = score_drill(idle, baseline_parts(idle, records))
    assert card["outcome"]["score"] == 0.0  # the idle bot's own drill is the floor
    assert card["outcome"]["harm"] == card["outcome"]["floor"]
    # ... which is not the floor of a full-length drill (it would have scored well above 0)
    full = load_drill(stopped_logs["idle_full"])
    assert harm_parts(full) != harm_parts(idle)
    expert = load_drill(stopped_logs["expert"])
    assert score_drill(expert, baseline_parts(expert, records))["outcome"]["score"] == 80.0


def test_a_log_cut_short_is_scored_against_bots_cut_at_the_same_minute(stopped_logs, tmp_path):
    folder = tmp_path
    idle = load_drill(_cut(stopped_logs["idle_full"], folder, STOP_MIN))
    assert idle.end_min == STOP_MIN and not idle.outcome
    card = score_drill(idle, baseline_parts(idle))
    assert card["outcome"]["harm"] == card["outcome"]["floor"]
    assert card["outcome"]["score"] == 0.0
    expert_full = _bot_log(folder, "expert")
    expert = load_drill(_cut(expert_full, folder, STOP_MIN))
    assert score_drill(expert, baseline_parts(expert))["outcome"]["score"] == 80.0


def test_baselines_of_short_drills_are_cached_apart_from_full_length_ones(stopped_logs, tmp_path):
    from analysis.baselines import baseline_key
    from sim.drill_log import ENGINE_VERSION, engine_build

    full = load_drill(stopped_logs["idle_full"])
    short = load_drill(stopped_logs["idle"])
    cut = load_drill(_cut(stopped_logs["idle_full"], tmp_path, STOP_MIN))
    keys = {baseline_key(d) for d in (full, short, cut)}
    assert len(keys) == 3
    assert baseline_key(full)[2] == f"{ENGINE_VERSION}+{engine_build()}"  # unchanged
    assert baseline_key(short)[:2] == baseline_key(full)[:2]
    # A cache holding the full-length baselines does not answer for the short drill.
    records = Records(tmp_path / "r.sqlite")
    full_parts = baseline_parts(full, records)
    short_parts = baseline_parts(short, records)
    assert short_parts["idle"] == harm_parts(short) != full_parts["idle"]
    assert records.baseline(*baseline_key(short), "idle") == short_parts["idle"]
