"""A trainee's progress and where their latest drill stands among all drills on its scenario.

Only people's drills count (:meth:`analysis.records.Records.drills_on`): a bot's
recorded log is drawn apart, as a labelled reference line, and a what-if branch
not at all. With no bot's log recorded on the scenario, the figure and the
command line say so and how to record one (:func:`no_bots_note`), rather than
leave the reader looking for lines that are not there. Drill numbers and counts
are whole numbers on their axes, also for one drill; the scenario is named by
its title in the figure's language.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.records import DrillRecord, Records

BOT_STYLES = ("--", ":", "-.")  # one per bot drawn as a reference line
NOTE_INCHES = 0.35  # room under the panels for the note that no bot run is recorded
TITLE_CHARS = 56  # a panel title longer than this is wrapped (a scenario's title can be long)
Tr = Callable[..., str]


def compare_figure(
    records: Records, trainee: str, scenario_id: str | None, out: Path, lang: str = "en"
) -> Path:
    """Write a two-panel PNG; raises LookupError if the trainee has no drills."""
    from matplotlib.figure import Figure

    from analysis.i18n import translator
    from analysis.report import use_fonts

    tr = translator(lang)
    mine = _trainee_drills(records, trainee, scenario_id)
    scenario_id = scenario_id or mine[-1].scenario_id
    everyone = records.drills_on(scenario_id)
    use_fonts()
    fig = Figure(figsize=(11, 4))
    left, right = fig.subplots(1, 2)
    _progress(left, mine, trainee, tr)
    right.hist([r.total for r in everyone], bins=range(0, 105, 5), color="#90a4ae")
    right.axvline(mine[-1].total, color="#c62828", label=tr("compare.latest"))
    bots = _latest_by_bot(records.bot_drills_on(scenario_id))
    for style, bot in zip(BOT_STYLES, bots, strict=False):
        label = tr("compare.bot_reference", bot=_bot_name(bot.bot, tr), score=f"{bot.total:.1f}")
        right.axvline(bot.total, color="#37474f", ls=style, lw=1, label=label)
    right.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    spread = tr("compare.spread", scenario=mine[-1].scenario_title(lang), n=len(everyone))
    right.set(
        xlabel=tr("score.total"),
        ylabel=tr("compare.drills"),
        xlim=(0, 100),
        title=textwrap.fill(spread, TITLE_CHARS),
    )
    right.legend(fontsize=8, loc="upper left")
    note = no_bots_note(records, trainee, scenario_id, lang)
    if note:  # under the spread, where it hides no bar: no line to look for, and why
        fig.set_figheight(fig.get_figheight() + NOTE_INCHES)
        fig.text(0.5, 0.01, tr("compare.no_bots_plot"), ha="center", va="bottom", fontsize=8)
        fig.tight_layout(rect=(0, NOTE_INCHES / fig.get_figheight(), 1, 1))
    else:
        fig.tight_layout()
    fig.savefig(out)
    return out


def _trainee_drills(records: Records, trainee: str, scenario_id: str | None) -> list[DrillRecord]:
    """The trainee's drills on the scenario (default: their latest's); LookupError if none."""
    mine = records.drills_of(trainee)
    if not mine:
        raise LookupError(
            f"no drills recorded for trainee {trainee!r} in {records.path} (a bot's log and a"
            " what-if branch are not a trainee's drills)"
        )
    scenario_id = scenario_id or mine[-1].scenario_id
    return [r for r in mine if r.scenario_id == scenario_id] or mine


def no_bots_note(
    records: Records, trainee: str, scenario_id: str | None, lang: str = "en"
) -> str | None:
    """What to say when no bot's log is recorded on the trainee's scenario (so the figure has
    no reference line), with the commands that record one; None when there is one."""
    from analysis.i18n import translator

    mine = _trainee_drills(records, trainee, scenario_id)
    scenario = scenario_id or mine[-1].scenario_id
    if records.bot_drills_on(scenario):
        return None
    return translator(lang)("compare.no_bots", seed=mine[-1].seed)


def _progress(ax: Axes, mine: list[DrillRecord], trainee: str, tr: Tr) -> None:
    """The trainee's drills in order: drill score and outcome score, drill numbers whole."""
    numbers = range(1, len(mine) + 1)
    ax.plot(numbers, [r.total for r in mine], marker="o", label=tr("score.total"))
    outcomes = [math.nan if r.outcome is None else r.outcome for r in mine]
    ax.plot(numbers, outcomes, ls="--", marker="s", ms=4, label=tr("score.outcome"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set(
        xlabel=tr("compare.drill_no"),
        ylabel=tr("col.score"),
        xlim=(0.5, len(mine) + 0.5),
        ylim=(0, 100),
        title=tr("compare.progress", trainee=trainee),
    )
    ax.legend(fontsize=8, loc="lower right")


def _latest_by_bot(drills: list[DrillRecord]) -> list[DrillRecord]:
    """Each bot's latest recorded drill on the scenario (they are deterministic: one is enough)."""
    return list({r.bot: r for r in drills}.values())


def _bot_name(bot: str, tr: Tr) -> str:
    key = f"calibrate.bot.{bot}"
    name = tr(key)
    return bot if name == f"[{key}]" else name
