"""The score ladder: idle, naive and expert bots scored on a scenario and seed.

The score is only fair if it orders commanders as an instructor would: the
idle bot at the floor (≤ 20), the naive bot (late, nearest unit only) above
it, the expert bot above that and at or above 80. ``python -m analysis
ladder`` plays the three bots on each scenario and seed and prints their
totals and the items the expert still fails, so a scenario author can see
whether the standards can be met in their drill.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sim
from analysis.baselines import make_any_bot
from analysis.drilldata import DrillData, drill_from_events
from analysis.scoring import baseline_figures, score_drill

LADDER_BOTS = ("idle", "naive", "expert")
IDLE_MAX = 20.0
EXPERT_MIN = 80.0


@dataclass(frozen=True)
class Rung:
    """One scenario and seed: each bot's total, and what the expert failed."""

    scenario: str
    seed: int
    totals: dict[str, float]
    expert_fails: tuple[str, ...]

    @property
    def ordered(self) -> bool:
        """idle ≤ 20 < naive < expert."""
        t = self.totals
        return t["idle"] <= IDLE_MAX and t["idle"] < t["naive"] < t["expert"]

    @property
    def expert_at_par(self) -> bool:
        return self.totals["expert"] >= EXPERT_MIN


def play_bot(loaded: sim.LoadedScenario, seed: int, bot: str) -> DrillData:
    """A bot's whole drill, in memory, as the review reads it."""
    drill = sim.run_headless(loaded, seed, make_any_bot(bot, loaded.scenario))  # type: ignore[arg-type]
    return drill_from_events(sim.make_header(loaded, seed), drill.events)


def rung(path: str | Path, seed: int | None = None) -> Rung:
    """Play the three bots on one scenario and seed (default: the scenario's) and score them."""
    loaded = sim.load_scenario(path)
    seed = loaded.scenario.meta.default_seed if seed is None else seed
    played = {bot: play_bot(loaded, seed, bot) for bot in LADDER_BOTS}
    figures = baseline_figures(played["idle"])
    cards = {bot: score_drill(played[bot], figures) for bot in LADDER_BOTS}
    fails = tuple(j["item"] for j in cards["expert"]["judgements"] if j["result"] == "no")
    return Rung(
        loaded.scenario.meta.id,
        seed,
        {bot: float(card["total"]) for bot, card in cards.items()},
        fails,
    )


def format_rungs(rungs: list[Rung]) -> str:
    """A plain-text table of the ladder, one line per scenario and seed."""
    lines = [f"{'scenario':<18}{'seed':>6}{'idle':>8}{'naive':>8}{'expert':>8}  expert fails"]
    for r in rungs:
        t = r.totals
        mark = "" if r.ordered else "  (out of order)"
        lines.append(
            f"{r.scenario:<18}{r.seed:>6}{t['idle']:>8.1f}{t['naive']:>8.1f}{t['expert']:>8.1f}"
            f"  {', '.join(r.expert_fails) or '-'}{mark}"
        )
    return "\n".join(lines)
