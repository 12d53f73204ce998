"""What-if branches: a drill rebuilt from its log to a minute shares the parent's prefix,
names its parent, and replays byte for byte like any drill log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import load_scenario, make_bot, read_log, run_headless, verify_log
from sim.branch import branch_of, check_branch, open_parent, play_branch
from sim.cli import main as sim_main
from tests.conftest import MINI, ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
PARENT_MIN = 20.0  # the parents are short: the first minutes of each drill, the expert in charge
BRANCH_MINUTES = (4.0, 11.5, 19.0)
BRANCH_RUN_MIN = 3.0  # each branch plays on this long and is stopped


def records(path: Path, before_min: float | None = None) -> list[dict]:
    _, events = read_log(path)
    return [e.to_record() for e in events if before_min is None or e.t_min < before_min]


def commands(path: Path) -> list[dict]:
    return [r for r in records(path) if r["event"] == "CommandIssued"]


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_a_branch_of_each_shipped_drill_shares_its_prefix_and_replays(tmp_path, scenario):
    loaded = load_scenario(scenario)
    parent_log = tmp_path / "parent.jsonl"
    seed = loaded.scenario.meta.default_seed
    run_headless(
        loaded, seed, make_bot("expert", loaded.scenario), parent_log, until_min=PARENT_MIN
    )
    parent = open_parent(parent_log)
    for at_min, bot in zip(BRANCH_MINUTES, ("idle", "expert", None), strict=True):
        out = tmp_path / f"branch-{at_min:g}.jsonl"
        bot_obj = make_bot(bot, loaded.scenario) if bot else None
        play_branch(parent, at_min, out, bot_obj, until_min=at_min + BRANCH_RUN_MIN)
        shared = records(out, before_min=at_min)
        assert shared == records(parent_log, before_min=at_min)
        assert shared, "the prefix holds the drill's first minutes"
        assert records(out)[-1]["t"] == at_min + BRANCH_RUN_MIN
        result = verify_log(out)
        assert result.identical, (result.first_difference, result.expected, result.got)
        header, _ = read_log(out)
        assert branch_of(header)["parent"] == "parent.jsonl"
        assert branch_of(header)["at_min"] == at_min
        assert check_branch(out, parent_log).ok


def test_the_branch_minute_belongs_to_the_new_commander(tmp_path, mini):
    parent_log = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), parent_log)
    minutes = sorted({c["t"] for c in commands(parent_log)})
    at_min = minutes[1]  # the expert gave orders at exactly this minute
    out = tmp_path / "silent.jsonl"
    play_branch(open_parent(parent_log), at_min, out)  # nobody commands after the branch
    theirs = [c for c in commands(parent_log) if c["t"] < at_min]
    assert commands(out) == theirs
    assert any(c["t"] == at_min for c in commands(parent_log))
    assert records(out)[-1]["event"] == "DrillEnded"  # played on to the drill's end


def test_the_expert_taking_over_at_minute_zero_plays_the_expert_drill(tmp_path, mini):
    parent_log = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), parent_log)
    out = tmp_path / "again.jsonl"
    play_branch(open_parent(parent_log), 0.0, out, make_bot("expert", mini.scenario))
    assert records(out) == records(parent_log)


def test_a_branch_is_checked_against_the_parent_it_names(tmp_path, mini):
    parent_log = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), parent_log, until_min=60)
    other_log = tmp_path / "idle.jsonl"
    run_headless(mini, 3, make_bot("idle", mini.scenario), other_log, until_min=60)
    out = tmp_path / "branch.jsonl"
    play_branch(open_parent(parent_log), 30.0, out, until_min=40.0)
    assert check_branch(out, parent_log).ok
    assert not check_branch(out, other_log).ok  # the idle drill's first 30 minutes differ
    lines = out.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[3])
    edited["t"] = edited["t"] + 0.5  # a prefix event changed after the fact
    lines[3] = json.dumps(edited, separators=(",", ":"))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not check_branch(out).ok


def test_sim_branch_on_the_command_line_writes_a_log_that_verifies(tmp_path, mini, capsys):
    parent_log = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), parent_log, until_min=90)
    out = tmp_path / "b.jsonl"
    argv = ["branch", str(parent_log), "--at", "45", "--out", str(out), "--bot", "expert"]
    assert sim_main(argv) == 0
    assert "branch of expert.jsonl at minute 45" in capsys.readouterr().out
    assert sim_main(["replay", str(out), "--verify"]) == 0
    assert records(out, 45.0) == records(parent_log, 45.0)


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("120", "after the logged drill stopped"),
        ("-1", "before the drill began"),
        ("9999", "after the drill's end"),
        ("soon", "is not a minute"),
    ],
)
def test_a_branch_minute_outside_the_logged_drill_is_refused_and_writes_nothing(
    tmp_path, mini, capsys, at, says
):
    parent_log = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), parent_log, until_min=90)
    out = tmp_path / "b.jsonl"
    try:
        status = sim_main(["branch", str(parent_log), "--at", at, "--out", str(out)])
    except SystemExit as exc:  # argparse's own refusals exit from inside the parser
        status = exc.code
    assert status == 2
    assert says in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".b.jsonl*"))


def test_a_branch_of_a_branch_names_the_branch_as_its_parent(tmp_path):
    loaded = load_scenario(MINI)
    parent_log = tmp_path / "p.jsonl"
    run_headless(loaded, 3, make_bot("expert", loaded.scenario), parent_log, until_min=60)
    first = tmp_path / "b1.jsonl"
    play_branch(open_parent(parent_log), 20.0, first, make_bot("idle", loaded.scenario), 50.0)
    second = tmp_path / "b2.jsonl"
    play_branch(open_parent(first), 35.0, second, make_bot("expert", loaded.scenario), 45.0)
    assert check_branch(second, first).ok
    assert records(second, 20.0) == records(parent_log, 20.0)
    assert verify_log(second).identical
