"""The ladder: the score orders commanders as an instructor would, and its gates say so.

The bots on the two quick drills over two seeds each; the gates on made-up
totals (each rule, and what it reports); the command on one quick drill.
``python -m analysis ladder`` runs every shipped scenario over more seeds
(see the README): the flood drills take minutes a rung, too slow for the tests.
The adversaries themselves are pinned in ``test_adversaries.py``.
"""

from __future__ import annotations

import pytest

from analysis.adversaries import ADVERSARIES, PROBES
from analysis.batch import dask_client
from analysis.cli import main
from analysis.ladder import BOTS, EXPERT_MIN, POLICIES, Rung, gates, run_ladder, rung
from tests.conftest import ROOT

WILDFIRE = ROOT / "scenarios" / "wildfire_wui.yaml"
CHLORINE = ROOT / "scenarios" / "chlorine_leak.yaml"


@pytest.mark.parametrize("seed", [5, 6])
def test_wildfire_ladder_is_ordered_and_the_expert_meets_the_standards(seed):
    got = rung(WILDFIRE, seed, BOTS)
    assert got.ordered, got.totals
    assert got.totals["expert"] >= EXPERT_MIN, got.expert_fails


@pytest.mark.parametrize("seed", [11, 12])
def test_chlorine_ladder_is_ordered_and_the_expert_meets_the_standards(seed):
    got = rung(CHLORINE, seed, BOTS)
    assert got.ordered, got.totals
    assert got.totals["expert"] >= EXPERT_MIN, got.expert_fails


def test_the_ladder_plays_the_bots_the_six_adversaries_and_the_two_probes():
    assert POLICIES == BOTS + ADVERSARIES + PROBES
    assert len(ADVERSARIES) == 6


def test_the_cluster_of_processes_scores_as_one_process_does():
    (pooled,) = run_ladder([CHLORINE], [5], ("expert",), workers=2)
    alone = rung(CHLORINE, 5, ("expert",))
    assert pooled == alone


def test_a_policy_that_crashes_stops_the_ladder_and_says_where(monkeypatch):
    import analysis.ladder

    def broken(name: str, scenario: object, seed: int) -> object:
        if name == "expert":
            raise ValueError("no such commander")
        return analysis.ladder.make_any_bot(name, scenario)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis.ladder, "make_policy", broken)  # the worker is a thread here
    with (
        dask_client(workers=1, processes=False) as client,
        pytest.raises(RuntimeError, match=r"chlorine-leak seed 5 expert.*no such commander"),
    ):
        run_ladder([CHLORINE], [5], ("expert",), client=client)


# -- the gates, on made-up totals ----------------------------------------------------------

GOOD = {
    "idle": 5.0,
    "naive": 40.0,
    "expert": 85.0,
    **{a: 20.0 for a in ADVERSARIES},
    "expert_resend": 85.0,
    "expert_noise": 85.4,
}


def made_up(seed: int = 1, scenario: str = "drill", **totals: float) -> Rung:
    all_totals = {**GOOD, **totals}
    return Rung(
        scenario,
        seed,
        all_totals,
        {p: () for p in all_totals},
        {p: ("warning_in_time",) for p in all_totals},
    )


def verdicts(rungs: list[Rung]) -> dict[str, bool]:
    return {g.rule: g.passed for g in gates(rungs)}


def test_a_sound_ladder_passes_every_gate():
    got = verdicts([made_up(seed) for seed in (5, 7, 11)])
    assert got == {
        "every adversary <= 40": True,
        "idle <= 20": True,
        "20 <= naive <= 60": True,
        "expert >= 80": True,
        "expert_resend <= expert + 1": True,
        "|expert_noise - expert| <= 1": True,
        "each policy's spread over the seeds <= 5": True,
    }


@pytest.mark.parametrize(
    ("totals", "rule"),
    [
        ({"warn_only": 40.5}, "every adversary <= 40"),
        ({"fire_and_forget": 61.9}, "every adversary <= 40"),
        ({"idle": 21.0}, "idle <= 20"),
        ({"naive": 19.0}, "20 <= naive <= 60"),
        ({"naive": 61.0}, "20 <= naive <= 60"),
        ({"expert": 79.9, "expert_resend": 79.9, "expert_noise": 79.9}, "expert >= 80"),
        ({"expert_resend": 86.9}, "expert_resend <= expert + 1"),
        ({"expert_noise": 83.9}, "|expert_noise - expert| <= 1"),
        ({"expert_noise": 86.1}, "|expert_noise - expert| <= 1"),
    ],
)
def test_each_gate_fails_on_the_figure_it_guards(totals, rule):
    got = verdicts([made_up(**totals)])
    assert got[rule] is False
    assert [r for r, ok in got.items() if not ok] == [rule]


def test_the_spread_gate_needs_three_seeds_and_fails_on_luck():
    lucky = [made_up(5), made_up(7, expert=91.0, expert_resend=91.0, expert_noise=91.0)]
    assert "each policy's spread over the seeds <= 5" not in verdicts(lucky)
    got = verdicts([*lucky, made_up(11)])
    assert got["each policy's spread over the seeds <= 5"] is False
    (spread,) = [g for g in gates([*lucky, made_up(11)]) if not g.passed]
    assert any("expert: 6.0" in f for f in spread.figures)


def test_a_gate_names_every_rung_that_breaks_it():
    rungs = [made_up(5, panic_shelter=61.9), made_up(7, random_spam=46.9)]
    (gate,) = [g for g in gates(rungs) if g.rule == "every adversary <= 40"]
    assert gate.figures == ("drill 5: panic_shelter 61.9", "drill 7: random_spam 46.9")


# -- the command ---------------------------------------------------------------------------


def test_ladder_command_prints_the_table_the_gates_and_exits_by_them(capsys):
    code = main(["ladder", str(WILDFIRE), "--policies", "naive,expert,warn_only"])
    captured = capsys.readouterr()
    out = captured.out
    header = out.splitlines()[0].split()
    assert header == ["scenario", "seed", "idle", "naive", "expert", "warn"]
    assert "xishan-wildfire" in out.splitlines()[1]
    assert "items failed:" in out
    for rule in ("every adversary <= 40", "idle <= 20", "20 <= naive <= 60", "expert >= 80"):
        assert f"pass  {rule}" in out or f"FAIL  {rule}" in out
    assert "expert_resend" not in out  # a gate whose policies were not played is left out
    held = "FAIL  " not in out
    assert ("ladder: pass" in out) == held
    assert code == (0 if held else 1)
    assert "[4/4]" in captured.err  # progress, one line a drill, on stderr
    assert "ladder: 100%" in captured.err  # and the bar
