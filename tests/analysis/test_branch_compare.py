"""A what-if branch set beside its parent: what it changed, in a sentence, a table and a page,
in both languages; the report of a branch carries the same section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.branch_compare import branch_section, compare_logs, headline, text_report
from analysis.cli import main as analysis_main
from analysis.drilldata import load_drill
from analysis.i18n import translator
from sim import load_scenario, make_bot, run_headless
from sim.branch import open_parent, play_branch
from tests.conftest import MINI


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> dict[str, Path]:
    """The mini drill left alone, and branches of it: the expert taking over at minute 10,
    and nobody after minute 10 of the expert's drill (played to the end)."""
    folder = tmp_path_factory.mktemp("branches")
    loaded = load_scenario(MINI)
    idle, expert = folder / "idle.jsonl", folder / "expert.jsonl"
    run_headless(loaded, 3, make_bot("idle", loaded.scenario), idle)
    run_headless(loaded, 3, make_bot("expert", loaded.scenario), expert)
    rescued, silent = folder / "rescued.jsonl", folder / "silent.jsonl"
    play_branch(open_parent(idle), 10.0, rescued, make_bot("expert", loaded.scenario))
    play_branch(open_parent(expert), 10.0, silent)
    stopped = folder / "stopped.jsonl"  # a trainee who took over, then ended the drill early
    play_branch(open_parent(expert), 10.0, stopped, make_bot("expert", loaded.scenario), 30.0)
    return {
        "idle": idle,
        "expert": expert,
        "rescued": rescued,
        "silent": silent,
        "stopped": stopped,
    }


def test_taking_over_from_doing_nothing_says_how_many_lives_it_saved(logs):
    cmp = compare_logs(logs["idle"], logs["rescued"])
    idle_dead = load_drill(logs["idle"]).outcome["people"]["dead"]
    rescued_dead = load_drill(logs["rescued"]).outcome["people"]["dead"]
    assert idle_dead > rescued_dead  # the mini drill's crash victims die when nobody comes
    assert cmp.change("deaths") == rescued_dead - idle_dead
    assert headline(cmp, translator("en")) == (
        f"The branch's {len(cmp.branch_orders)} orders from 09:10 (the first: declaring "
        f"response Level IV at 09:11) would have saved {idle_dead - rescued_dead} lives."
    )
    said = headline(cmp, translator("zh-CN"))
    assert said.endswith(f"可以多挽救{idle_dead - rescued_dead}条生命。")
    assert "09:10" in said


def test_going_silent_says_what_it_would_have_cost_with_the_table_in_both_languages(logs):
    cmp = compare_logs(logs["expert"], logs["silent"])
    assert not cmp.branch_orders and cmp.parent_orders
    assert cmp.change("harm") > 0
    for lang, start in (("en", "Giving no further orders from 09:10"), ("zh-CN", "自09:10起")):
        text = text_report(cmp, translator(lang))
        assert text.startswith(start)
        assert "[" not in text  # every phrase found in the language's table
        assert "expert.jsonl" in text
    assert "harm index (deaths-equivalents)" in text_report(cmp, translator("en"))
    assert "伤害指数（折合死亡人数）" in text_report(cmp, translator("zh-CN"))


def test_analysis_compare_parent_branch_prints_and_writes_a_page(logs, tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", str(logs["idle"]), str(logs["rescued"]), "--out", str(out)]
    assert analysis_main(argv) == 0
    printed = capsys.readouterr().out
    assert "would have saved" in printed
    page = (out / "branch.en.html").read_text(encoding="utf-8")
    assert "What if" in page and "data:image/png;base64," in page
    assert analysis_main([*argv[:3], "--lang", "zh-CN", "--out", str(out)]) == 0
    assert "如果当时" in (out / "branch.zh-CN.html").read_text(encoding="utf-8")


def test_compare_refuses_two_logs_that_are_not_a_branch_and_its_parent(logs, capsys):
    assert analysis_main(["compare", str(logs["idle"]), str(logs["expert"])]) == 2
    assert "not a branch log" in capsys.readouterr().err
    # the rescued drill branched from the idle one, not from the expert's
    assert analysis_main(["compare", str(logs["expert"]), str(logs["rescued"])]) == 2
    assert "is not the one the branch names" in capsys.readouterr().err


def test_the_report_of_a_branch_sets_it_beside_its_parent_when_the_parent_is_there(logs, tmp_path):
    tr = translator("en")
    section = branch_section(load_drill(logs["rescued"]), tr)
    assert "What if" in section and "would have saved" in section
    alone = tmp_path / "rescued.jsonl"
    alone.write_bytes(logs["rescued"].read_bytes())  # without idle.jsonl beside it
    assert "not in its folder" in branch_section(load_drill(alone), tr)
    assert branch_section(load_drill(logs["expert"]), tr) == ""  # not a branch


def test_a_branch_stopped_early_is_said_to_have_stopped_not_credited_with_what_followed(logs):
    cmp = compare_logs(logs["expert"], logs["stopped"])
    assert cmp.branch.played_out_from_min == 30.0
    later = sum(1 for t, _ in cmp.parent_orders if t >= 30.0)
    assert f"then stopping at 09:30 (the original gave {later} more orders from then)" in (
        headline(cmp, translator("en"))
    )
    assert f"并于09:30停止指挥（原演练此后又下达了{later}条指令）" in headline(
        cmp, translator("zh-CN")
    )


def test_figures_from_different_engine_builds_carry_a_caution(logs, tmp_path):
    lines = logs["rescued"].read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["engine_build"] = "0123456789abcdef"  # as if played by another build of the engine
    lines[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    other = tmp_path / "rescued.jsonl"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = text_report(compare_logs(logs["idle"], other), translator("en"))
    assert "different builds of the engine (" in text and "0123456789abcdef" in text
    same = text_report(compare_logs(logs["idle"], logs["rescued"]), translator("en"))
    assert "different builds" not in same
