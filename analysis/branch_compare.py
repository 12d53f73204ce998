"""A what-if branch beside its parent: what the branch changed, in a sentence and a table.

A branch (:mod:`sim.branch`) is the parent drill, the same orders until the
branch minute, then other orders (or none). Both are counted whole: a drill
stopped before the scenario's end is played on with no further orders, as the
score does (:func:`analysis.baselines.played_out`). The harm figures are the
score's own (:func:`analysis.scoring.harm_parts`, weighed by the scenario's
weights), so "saved 40 lives" is the same count the reports give.

``python -m analysis compare PARENT BRANCH [--lang] [--out DIR]`` prints the
comparison (and with ``--out`` writes it as an HTML page with its plot); the
report of a branch whose parent lies beside it carries the same section.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.baselines import early_end_min, played_out
from analysis.drilldata import DrillData, load_drill
from analysis.names import Names
from analysis.scoring import harm_index, harm_parts, weights_for
from sim.branch import branch_of, check_branch, find_parent
from sim.drill_log import engine_build

Tr = Callable[..., str]
# The figures set side by side, in the order shown; lower is better for all but "safe".
FIGURES = ("deaths", "injuries", "trapped", "above_aegl2", "unmet_person_h", "safe", "harm")
NO_ISSUER = "issuer"


@dataclass(frozen=True)
class Side:
    """One drill of the pair, counted whole."""

    drill: DrillData
    figures: Mapping[str, float]
    played_out_from_min: float | None  # where it was stopped, if it was played on from there


@dataclass(frozen=True)
class Comparison:
    """A branch and its parent, from the branch minute on."""

    at_min: float
    parent_name: str
    parent: Side
    branch: Side
    parent_orders: tuple[tuple[float, Mapping[str, Any]], ...]  # from the branch minute on
    branch_orders: tuple[tuple[float, Mapping[str, Any]], ...]

    def change(self, figure: str) -> float:
        """Branch minus parent."""
        return self.branch.figures[figure] - self.parent.figures[figure]

    @property
    def first_different_order(self) -> tuple[float, Mapping[str, Any]] | None:
        """The branch's first order that the parent did not give at that place in its
        sequence of orders after the branch minute (the issuer left aside)."""
        theirs = [_what(c) for _, c in self.parent_orders]
        for position, (t_min, command) in enumerate(self.branch_orders):
            if position >= len(theirs) or _what(command) != theirs[position]:
                return t_min, command
        return None


def _what(command: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in command.items() if k != NO_ISSUER}


def _side(drill: DrillData) -> Side:
    stopped = early_end_min(drill)
    whole = played_out(drill)
    parts = harm_parts(whole)
    people = whole.outcome.get("people", {})
    figures = dict(parts)
    figures["safe"] = float(people.get("evacuated", 0) + people.get("sheltering", 0))
    figures["harm"] = harm_index(parts, weights_for(whole))
    return Side(whole, figures, stopped)


def _orders(drill: DrillData, from_min: float) -> tuple[tuple[float, Mapping[str, Any]], ...]:
    return tuple(
        (e.t_min, e.data.get("command", {}))
        for e in drill.of("CommandIssued")
        if e.t_min >= from_min and e.data.get("accepted")
    )


def compare(parent: DrillData, branch: DrillData) -> Comparison:
    """Set ``branch`` beside ``parent``; ValueError if it is not a branch of that drill."""
    block = branch_of(branch.header)
    if block is None:
        raise ValueError(f"{branch.log_path}: not a branch log (its header names no parent)")
    if parent.log_path and branch.log_path:
        check = check_branch(branch.log_path, parent.log_path)
        if not check.ok:
            raise ValueError("; ".join(check.problems))
    at_min = float(block["at_min"])
    return Comparison(
        at_min=at_min,
        parent_name=str(block.get("parent", "")),
        parent=_side(parent),
        branch=_side(branch),
        parent_orders=_orders(parent, at_min),
        branch_orders=_orders(branch, at_min),
    )


def compare_logs(parent_log: str | Path, branch_log: str | Path) -> Comparison:
    """:func:`compare` on two log files (raises ``sim.LogError`` for a bad log)."""
    return compare(load_drill(parent_log), load_drill(branch_log))


# -- words ----------------------------------------------------------------------------------
def clock(drill: DrillData, t_min: float) -> str:
    """A drill minute as the drill's clock read it, HH:MM."""
    hours, minutes = (int(x) for x in str(drill.scenario.meta.start_time).split(":")[:2])
    total = int(hours * 60 + minutes + t_min) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def order_text(command: Mapping[str, Any], names: Names, tr: Tr) -> str:
    """An order as an action: "evacuating Worker dormitories to West District Gymnasium"."""
    kind = str(command.get("type", ""))
    params = {
        "unit": names.unit(command.get("unit")),
        "target": names.place(command.get("target")),
        "zone": names.zone(command.get("zone")),
        "shelter": names.facility(command.get("shelter")),
        "source": names.facility(command.get("source")),
        "destination": names.facility(command.get("destination")),
        "road": names.road(command.get("road")),
        "reinforcement": names.reinforcement(command.get("reinforcement")),
        "level": names.level(command.get("level"))
        if kind == "set_response_level"
        else tr(f"branch.warning.{command.get('level')}"),
        "channel": names.channel(command.get("channel")),
        "item": tr(f"item.{command.get('item')}"),
        "amount": f"{float(command.get('amount') or 0):,.0f}",
        "to": tr(f"branch.report_to.{command.get('to')}"),
    }
    key = f"branch.order.{kind}"
    text = tr(key, **params)
    return tr("branch.order.other", kind=kind) if text == f"[{key}]" else text


def _action(cmp: Comparison, names: Names, tr: Tr) -> str:
    """What the branch did differently, as the subject of the headline."""
    drill = cmp.branch.drill
    if not cmp.branch_orders:
        return tr("branch.action.silent", clock=clock(drill, cmp.at_min))
    first = cmp.first_different_order
    if first is None:
        text = tr("branch.action.fewer", clock=clock(drill, cmp.at_min), n=len(cmp.branch_orders))
    elif len([o for o in cmp.branch_orders if o[0] >= first[0]]) == 1:  # one order: name it
        text = tr(
            "branch.action.order",
            order=order_text(first[1], names, tr),
            clock=clock(drill, first[0]),
        )
    else:
        text = tr(
            "branch.action.orders",
            n=len(cmp.branch_orders),
            clock=clock(drill, cmp.at_min),
            order=order_text(first[1], names, tr),
            first_clock=clock(drill, first[0]),
        )
    stopped = cmp.branch.played_out_from_min
    if stopped is not None:  # what the branch did not do counts as much as what it did
        later = sum(1 for t, _ in cmp.parent_orders if t >= stopped)
        if later:
            text = tr(
                "branch.action.then_stopped", action=text, clock=clock(drill, stopped), n=later
            )
    return text[:1].upper() + text[1:]


def headline(cmp: Comparison, tr: Tr) -> str:
    """The branch in one sentence: "Evacuating … at 02:31 would have saved 40 lives."."""
    names = Names(cmp.branch.drill, tr)
    action = _action(cmp, names, tr)
    deaths = round(cmp.change("deaths"))
    injuries = round(cmp.change("injuries"))
    harm = cmp.change("harm")
    if deaths < 0:
        key = "branch.headline.saved_injuries" if injuries < 0 else "branch.headline.saved"
        return tr(key, action=action, n=f"{-deaths:,}", m=f"{-injuries:,}")
    if deaths > 0:
        return tr("branch.headline.cost", action=action, n=f"{deaths:,}")
    if abs(harm) < 0.005:
        return tr("branch.headline.same", action=action)
    key = "branch.headline.less_harm" if harm < 0 else "branch.headline.more_harm"
    return tr(key, action=action, harm=f"{abs(harm):,.2f}")


def _number(figure: str, value: float) -> str:
    if figure == "harm":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _signed(figure: str, value: float) -> str:
    text = _number(figure, abs(value))
    return "±0" if text.strip("0.,") == "" else ("−" if value < 0 else "+") + text


def shown_figures(cmp: Comparison) -> list[str]:
    """:data:`FIGURES` that apply to the drill's hazards (no "above AEGL-2" row without gas),
    as the report leaves out the rows of a hazard the drill does not have."""
    from analysis.report import applies

    kinds = {str(h.kind) for h in cmp.branch.drill.scenario.hazards}
    return [f for f in FIGURES if applies(f, kinds)]


def table_rows(cmp: Comparison, tr: Tr) -> list[list[str]]:
    """[figure, original, branch, change] for each of :func:`shown_figures`."""
    return [
        [
            tr(f"branch.figure.{f}"),
            _number(f, cmp.parent.figures[f]),
            _number(f, cmp.branch.figures[f]),
            _signed(f, cmp.change(f)),
        ]
        for f in shown_figures(cmp)
    ]


def summary_lines(cmp: Comparison, tr: Tr) -> list[str]:
    """The comparison as lines of text (the command line prints them)."""
    drill = cmp.branch.drill
    names = Names(drill, tr)
    at = clock(drill, cmp.at_min)
    lines = [
        headline(cmp, tr),
        tr("branch.intro", parent=cmp.parent_name, clock=at, minute=f"{cmp.at_min:g}"),
        tr(
            "branch.orders",
            clock=at,
            parent=_first_orders(cmp.parent_orders, drill, names, tr),
            branch=_first_orders(cmp.branch_orders, drill, names, tr),
            n_parent=len(cmp.parent_orders),
            n_branch=len(cmp.branch_orders),
        ),
    ]
    for side, key in ((cmp.parent, "branch.played_out_parent"), (cmp.branch, "branch.played_out")):
        if side.played_out_from_min is not None:
            lines.append(tr(key, clock=clock(drill, side.played_out_from_min)))
    builds = engine_builds(cmp)
    if len(builds) > 1:
        lines.append(tr("branch.engines_differ", builds=names.listing(builds)))
    return lines


def engine_builds(cmp: Comparison) -> list[str]:
    """The engine builds whose events the comparison reads: each log's, and this engine's
    for a drill it played on."""
    builds = []
    for side in (cmp.parent, cmp.branch):
        logged = str(side.drill.header.get("engine_build", ""))
        for build in (logged, engine_build() if side.played_out_from_min is not None else ""):
            if build and build not in builds:
                builds.append(build)
    return builds


def _first_orders(
    orders: Sequence[tuple[float, Mapping[str, Any]]], drill: DrillData, names: Names, tr: Tr
) -> str:
    if not orders:
        return tr("branch.no_orders")
    shown = [
        tr("branch.timed", clock=clock(drill, t), order=order_text(c, names, tr))
        for t, c in orders[:3]
    ]
    if len(orders) > 3:
        shown.append(tr("branch.more", n=len(orders) - 3))
    return names.listing(shown)


def text_report(cmp: Comparison, tr: Tr) -> str:
    """Plain text: the summary and the table, for the terminal."""
    rows = [
        [
            tr("branch.col.figure"),
            tr("branch.col.parent"),
            tr("branch.col.branch"),
            tr("branch.col.change"),
        ],
        *table_rows(cmp, tr),
    ]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    table = [
        "  ".join(_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(row)) for row in rows
    ]
    return "\n".join([*summary_lines(cmp, tr), "", *table])


def _width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)  # CJK takes two columns


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


# -- the plot and the page ------------------------------------------------------------------
def harm_over_time(ax: Any, cmp: Comparison, tr: Tr) -> list[Any]:
    """Dead and injured over time (hours) in the parent and the branch; the branch minute."""
    artists: list[Any] = []
    for side, style, label in (
        (cmp.parent, "-", "branch.col.parent"),
        (cmp.branch, "--", "branch.col.branch"),
    ):
        samples = side.drill.samples
        hours = [s.t_min / 60 for s in samples]
        dead = [s.data["people"].get("dead", 0) for s in samples]
        hurt = [
            s.data["people"].get("injured", 0) + s.data["people"].get("hospitalised", 0)
            for s in samples
        ]
        artists += ax.plot(
            hours, dead, style, color="#c62828", label=tr("branch.plot.dead", drill=tr(label))
        )
        artists += ax.plot(
            hours, hurt, style, color="#ef6c00", label=tr("branch.plot.injured", drill=tr(label))
        )
    artists.append(ax.axvline(cmp.at_min / 60, color="#2e7d32", lw=1))
    ax.set(xlabel=tr("plot.hours"), ylabel=tr("plot.people"), title=tr("branch.plot.title"))
    ax.legend(fontsize=8)
    return artists


def _plot_png(cmp: Comparison, tr: Tr) -> str:
    from matplotlib.figure import Figure

    from analysis.report import use_fonts

    use_fonts()
    fig = Figure(figsize=(9, 3.8), dpi=100)
    harm_over_time(fig.add_subplot(), cmp, tr)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def section_html(cmp: Comparison, tr: Tr, heading: str = "h2") -> str:
    """The comparison as an HTML section (for the report of a branch, or a page of its own)."""
    e = html.escape
    head = [
        tr("branch.col.figure"),
        tr("branch.col.parent"),
        tr("branch.col.branch"),
        tr("branch.col.change"),
    ]
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in table_rows(cmp, tr)
    )
    lines = summary_lines(cmp, tr)
    return (
        f"<{heading}>{e(tr('branch.title'))}</{heading}>"
        f"<p><b>{e(lines[0])}</b></p>"
        + "".join(f"<p>{e(line)}</p>" for line in lines[1:])
        + f"<table><tr>{th}</tr>{body}</table>"
        + f"<figure><img alt='{e(tr('branch.plot.title'))}' "
        f"src='data:image/png;base64,{_plot_png(cmp, tr)}'></figure>"
        + f"<p class='small'>{e(tr('branch.method'))}</p>"
    )


def page_html(cmp: Comparison, tr: Tr, lang: str) -> str:
    from analysis.report import CSS

    title = html.escape(tr("branch.title"))
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{CSS}</style></head><body>{section_html(cmp, tr, 'h1')}</body></html>"
    )


def branch_section(drill: DrillData, tr: Tr) -> str:
    """For the report of a drill: its comparison with its parent when it is a branch whose
    parent log lies beside it (else nothing; a note when the parent is not found)."""
    block = branch_of(drill.header)
    if block is None or not drill.log_path:
        return ""
    parent = find_parent(drill.log_path, drill.header)
    if parent is None:
        return f"<p>{html.escape(tr('branch.parent_missing', parent=block.get('parent', '')))}</p>"
    try:
        return section_html(compare(load_drill(parent), drill), tr)
    except ValueError as exc:
        return f"<p>{html.escape(tr('branch.parent_differs', problem=str(exc)))}</p>"


# -- python -m analysis compare PARENT BRANCH -----------------------------------------------
def compare_command(logs: Sequence[str], lang: str, out: str | None) -> int:
    """Print the comparison of a branch with its parent; with ``out``, write it as a page."""
    from analysis.i18n import translator
    from analysis.pipeline import write_atomic
    from sim.cli import UsageError, check_log, check_output_folder

    if len(logs) != 2:
        raise UsageError("compare takes two logs: PARENT BRANCH (a drill and a branch of it)")
    for log in logs:
        check_log(log)
    if out:
        check_output_folder(out)
    try:
        cmp = compare_logs(*logs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    tr = translator(lang)
    print(text_report(cmp, tr))
    if out:
        page = Path(out) / f"branch.{lang}.html"
        write_atomic(page, page_html(cmp, tr, lang))
        print(f"\n{page}")
    return 0
