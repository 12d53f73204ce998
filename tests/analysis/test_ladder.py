"""The score orders commanders as an instructor would: idle ≤ 20 < naive < expert.

The two quick drills over two seeds each; ``python -m analysis ladder`` runs
every shipped scenario over more seeds (see the README): the flood drills take
minutes a rung, too slow for the tests.
"""

import pytest

from analysis.cli import main
from analysis.ladder import EXPERT_MIN, rung
from tests.conftest import ROOT


@pytest.mark.parametrize("seed", [5, 6])
def test_wildfire_ladder_is_ordered_and_the_expert_meets_the_standards(seed):
    got = rung(ROOT / "scenarios" / "wildfire_wui.yaml", seed)
    assert got.ordered, got.totals
    assert got.totals["expert"] >= EXPERT_MIN, got.expert_fails


@pytest.mark.parametrize("seed", [11, 12])
def test_chlorine_ladder_is_ordered_and_the_expert_meets_the_standards(seed):
    got = rung(ROOT / "scenarios" / "chlorine_leak.yaml", seed)
    assert got.ordered, got.totals
    assert got.totals["expert"] >= EXPERT_MIN, got.expert_fails


def test_ladder_command_prints_the_table_and_says_whether_the_ladder_holds(capsys):
    code = main(["ladder", str(ROOT / "scenarios" / "wildfire_wui.yaml")])
    out = capsys.readouterr().out
    assert "wildfire" in out and "idle <= 20 < naive < expert: yes" in out
    assert code == 0
