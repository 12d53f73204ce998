"""A trainee's progress and where their latest drill stands among all drills on its scenario."""

from __future__ import annotations

import math
from pathlib import Path

from analysis.records import Records


def compare_figure(
    records: Records, trainee: str, scenario_id: str | None, out: Path, lang: str = "en"
) -> Path:
    """Write a two-panel PNG; raises LookupError if the trainee has no drills."""
    from matplotlib.figure import Figure

    from analysis.i18n import translator
    from analysis.report import use_fonts

    tr = translator(lang)
    mine = records.drills_of(trainee)
    if not mine:
        raise LookupError(f"no drills recorded for trainee {trainee!r} in {records.path}")
    scenario_id = scenario_id or mine[-1].scenario_id
    mine = [r for r in mine if r.scenario_id == scenario_id] or mine
    everyone = records.drills_on(scenario_id)
    use_fonts()
    fig = Figure(figsize=(11, 4))
    left, right = fig.subplots(1, 2)
    left.plot(range(1, len(mine) + 1), [r.total for r in mine], marker="o", label=tr("score.total"))
    left.plot(
        range(1, len(mine) + 1),
        [math.nan if r.outcome is None else r.outcome for r in mine],
        ls="--",
        label=tr("score.outcome"),
    )
    left.set(
        xlabel=tr("compare.drill_no"),
        ylabel=tr("col.score"),
        ylim=(0, 100),
        title=tr("compare.progress", trainee=trainee),
    )
    left.legend()
    right.hist([r.total for r in everyone], bins=range(0, 105, 5), color="#90a4ae")
    right.axvline(mine[-1].total, color="#c62828", label=tr("compare.latest"))
    right.set(
        xlabel=tr("score.total"),
        ylabel=tr("compare.drills"),
        title=tr("compare.spread", scenario=scenario_id, n=len(everyone)),
    )
    right.legend()
    fig.tight_layout()
    fig.savefig(out)
    return out
