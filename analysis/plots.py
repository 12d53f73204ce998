"""Plot helpers for the after-action review (matplotlib's recommended signature).

Each helper takes an ``ax``, the drill's data, a translator ``tr`` (from
:mod:`analysis.i18n`) and the drill's :class:`~analysis.names.Names`, draws, and
returns the artists it made, so one function serves the report, the debrief
screen and a notebook. Nothing here changes the data. Every object is drawn by
its name in the report's language, never by its id; times are hours since the
drill began.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from analysis.drilldata import DrillData
from analysis.names import Names
from analysis.reach_map import footprints, reach_map

__all__ = [
    "decisions",
    "footprints",
    "hazard_extent",
    "order_runs",
    "people_by_state",
    "radar",
    "reach_map",
    "response_times",
    "supplies_and_needs",
    "unit_gantt",
    "unit_tasks",
]

Tr = Callable[..., str]
STATES = (
    "unaware",
    "warned",
    "evacuating",
    "evacuated",
    "sheltering",
    "injured",
    "trapped",
    "hospitalised",
    "dead",
)
STATE_COLOURS = (
    "#bdbdbd",
    "#fdd835",
    "#ffb74d",
    "#66bb6a",
    "#4db6ac",
    "#ef5350",
    "#ab47bc",
    "#42a5f5",
    "#212121",
)
EXTENT_METRICS = ("flooded_area_m2", "burnt_area_m2", "aegl2_area_m2")
EXTENT_LOG_RATIO = 20.0  # hazards whose largest areas differ more share a log axis
GROUP_GAP_MIN = 15.0  # orders of one kind this close together are drawn as one run
GROUP_MIN_ORDERS = 3  # a run of this many or more is a bar with its count, not dots
NEVER_REACHED_EDGE = 1.3  # a never-reached bar runs to this many times the longest time shown


def people_by_state(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Stacked areas: people in each state over time (hours)."""
    samples = drill.samples
    t_h = [s.t_min / 60 for s in samples]
    stacks = [[s.data["people"].get(k, 0) for s in samples] for k in STATES]
    artists = ax.stackplot(
        t_h, *stacks, labels=[tr(f"state.{k}") for k in STATES], colors=STATE_COLOURS
    )
    ax.set(xlabel=tr("plot.hours"), ylabel=tr("plot.people"), title=tr("plot.people_by_state"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return list(artists)


def hazard_extent(ax: Axes, drill: DrillData, tr: Tr, names: Names) -> list[Any]:
    """Area reached by each hazard over time (km²); a note when the drill has none.

    Hazards reach areas of very different size: a chlorine cloud's AEGL-2 footprint of a
    few hectares beside a flood of ten square kilometres drew as a flat line at zero. Where
    the largest area is more than ``EXTENT_LOG_RATIO`` times the smallest hazard's
    largest, the axis is logarithmic (and says so), and an area of 0 is not drawn.
    """
    series = []
    logged = {h for s in drill.samples for h in s.data.get("hazards", {})}
    order = [h.id for h in drill.scenario.hazards if h.id in logged]  # the drill's order
    for hazard in order + sorted(logged - set(order)):
        for metric in EXTENT_METRICS:
            points = [
                (s.t_min / 60, s.data["hazards"][hazard][metric] / 1e6)
                for s in drill.samples
                if metric in s.data.get("hazards", {}).get(hazard, {})
            ]
            if points:
                series.append((hazard, metric, points))
    peaks = [max(y for _, y in points) for _, _, points in series]
    reached = [p for p in peaks if p > 0.0]
    log = len(reached) > 1 and max(reached) > EXTENT_LOG_RATIO * min(reached)
    artists: list[Any] = []
    for hazard, metric, points in series:
        xs, ys = zip(*points, strict=True)
        if log:
            ys = tuple(y if y > 0.0 else float("nan") for y in ys)
        label = tr("plot.extent_label", hazard=names.hazard(hazard), metric=tr("metric." + metric))
        artists += ax.plot(xs, ys, label=label)
    if not artists:
        artists.append(ax.text(0.5, 0.5, tr("plot.no_hazard"), ha="center", transform=ax.transAxes))
    else:
        ax.legend(fontsize=7)
    if log:  # ticks as plain numbers (0.01, 1, 10): the default 10^n needs a math font
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ylabel = tr("plot.km2_log") if log else tr("plot.km2")
    ax.set(xlabel=tr("plot.hours"), ylabel=ylabel, title=tr("plot.hazard_extent"))
    return artists


def response_times(ax: Axes, card: Mapping[str, Any], tr: Tr, names: Names) -> list[Any]:
    """Bars: minutes to first unit on scene per incident (by name), with the target marks."""
    kpi = card["kpis"]["first_unit"]
    times = kpi["evidence"].get("incidents", {})
    ids = list(times)
    labels = _unique([names.incident(i) for i in ids])
    # Each incident's own target (farther from a base, more time), else the one figure.
    allowed = kpi["evidence"].get("allowed_min") or {n: kpi["target"] for n in ids}
    # An incident never reached is a grey bar to the right edge: it waited longer than any shown.
    shown = [kpi["target"], *allowed.values(), *(v for v in times.values() if v is not None)]
    edge = NEVER_REACHED_EDGE * max(shown)
    values = [v if v is not None else edge for v in times.values()]
    colours = [
        "#9e9e9e" if v is None else ("#43a047" if v <= allowed[n] else "#e53935")
        for n, v in times.items()
    ]
    if not ids:
        note = ax.text(0.5, 0.5, tr("plot.no_incident"), ha="center", transform=ax.transAxes)
        ax.set(xlabel=tr("plot.minutes"), title=tr("plot.response_times"), yticks=[])
        return [note]
    artists: list[Any] = list(ax.barh(labels, values, color=colours))
    for i, v in enumerate(times.values()):
        if v is None:
            artists.append(ax.text(0.02 * edge, i, tr("plot.never"), va="center", fontsize=7))
        else:  # its minutes beside it (a unit already there shows "0", not an empty row)
            words = tr("plot.minutes_n", n=round(v, 1))
            artists.append(ax.text(v + 0.01 * edge, i, words, va="center", fontsize=7))
    if len(set(allowed.values())) > 1:
        artists.append(
            ax.scatter(
                [allowed[n] for n in ids],
                labels,
                marker="|",
                s=200,
                color="black",
                label=tr("plot.target_each_min", target=kpi["target"]),
            )
        )
    else:
        artists.append(
            ax.axvline(
                kpi["target"],
                color="black",
                ls="--",
                label=tr("plot.target_min", target=kpi["target"]),
            )
        )
    ax.set(xlabel=tr("plot.minutes"), title=tr("plot.response_times"))
    ax.set_xlim(0, edge)  # room for the minutes beside the longest bar
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7)
    return artists


def unit_tasks(drill: DrillData) -> dict[str, list[tuple[float, float, str]]]:
    """Unit id -> [(start min, end min, order kind)] from dispatch to return (or the end)."""
    open_: dict[str, tuple[float, str]] = {}
    tasks: dict[str, list[tuple[float, float, str]]] = {}
    for e in drill.of("UnitDispatched", "UnitReturned"):
        unit = str(e.data["unit"])
        if unit in open_:
            start, kind = open_.pop(unit)
            tasks.setdefault(unit, []).append((start, e.t_min, kind))
        if e.kind == "UnitDispatched":
            open_[unit] = (e.t_min, str(e.data.get("order")))
    for unit, (start, kind) in open_.items():
        tasks.setdefault(unit, []).append((start, drill.end_min, kind))
    return dict(sorted(tasks.items()))


def unit_gantt(ax: Axes, drill: DrillData, tr: Tr, names: Names) -> list[Any]:
    """One row per unit that was sent anywhere (by name), its tasks coloured by kind."""
    colours = {"incident": "#e53935", "zone": "#1e88e5", "supply": "#43a047", "home": "#9e9e9e"}
    artists: list[Any] = []
    tasks = unit_tasks(drill)
    for row, spans in enumerate(tasks.values()):
        for kind in colours:
            bars = [(a / 60, (b - a) / 60) for a, b, k in spans if k == kind]
            if bars:
                artists.append(ax.broken_barh(bars, (row - 0.35, 0.7), color=colours[kind]))
    ax.set_yticks(range(len(tasks)), [names.unit(u) for u in tasks], fontsize=7)
    ax.set(xlabel=tr("plot.hours"), title=tr("plot.unit_gantt"), xlim=(0, drill.end_min / 60))
    if not tasks:
        artists.append(ax.text(0.5, 0.5, tr("plot.no_unit"), ha="center", transform=ax.transAxes))
    handles = [ax.bar(0, 0, color=c, label=tr(f"task.{k}")) for k, c in colours.items()]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return artists


def supplies_and_needs(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Water and food held in shelters, with cumulative unmet need on a second axis."""
    shelters = {f.id for f in drill.scenario.facilities if f.type.value == "shelter"}
    t_h = [s.t_min / 60 for s in drill.samples]
    artists: list[Any] = []
    for item in ("water_l", "food_rations", "blankets"):
        held = [
            sum(v.get(item, 0.0) for k, v in s.data.get("stocks", {}).items() if k in shelters)
            for s in drill.samples
        ]
        artists += ax.plot(t_h, held, label=tr(f"item.{item}"))
    ax.set(xlabel=tr("plot.hours"), ylabel=tr("plot.in_shelters"), title=tr("plot.supplies"))
    twin = ax.twinx()
    artists += twin.plot(
        t_h,
        [s.data.get("unmet_need_person_h", 0.0) for s in drill.samples],
        color="#e53935",
        ls="--",
        label=tr("kpi.unmet_need"),
    )
    twin.set_ylabel(tr("plot.person_h"))
    ax.legend(fontsize=7, loc="upper left")
    twin.legend(fontsize=7, loc="upper right")
    return artists


def order_runs(drill: DrillData) -> dict[str, list[tuple[float, float, int, bool]]]:
    """Orders by kind as runs: (first minute, last minute, how many, accepted).

    Orders of one kind with the same answer (accepted or rejected) less than
    :data:`GROUP_GAP_MIN` apart form one run, so a hundred recalls a minute
    apart read as one bar marked ×100, not a hundred dots over the others.
    """
    runs: dict[str, list[tuple[float, float, int, bool]]] = {}
    for e in drill.of("CommandIssued"):
        kind, ok = str(e.data["command"]["type"]), bool(e.data.get("accepted"))
        mine = runs.setdefault(kind, [])
        same = [n for n, r in enumerate(mine) if r[3] == ok]
        if same and e.t_min - mine[same[-1]][1] < GROUP_GAP_MIN:
            first, _, count, _ = mine[same[-1]]
            mine[same[-1]] = (first, e.t_min, count + 1, ok)
        else:
            mine.append((e.t_min, e.t_min, 1, ok))
    return runs


def decisions(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Each kind of order on its row (named, with its count): single orders as dots (rejected as
    red crosses), a run of repeated orders as a bar marked with how many it holds."""
    runs = order_runs(drill)
    kinds = sorted(runs, key=lambda k: min(r[0] for r in runs[k]))
    artists: list[Any] = []
    for row, kind in enumerate(kinds):
        for first, last, count, ok in runs[kind]:
            colour = "#1e88e5" if ok else "#e53935"
            if count < GROUP_MIN_ORDERS:
                marker = "o" if ok else "x"
                xs = [first / 60] if count == 1 else [first / 60, last / 60]
                artists.append(ax.scatter(xs, [row] * len(xs), marker=marker, color=colour, s=16))
                continue
            width = max((last - first) / 60, 0.04)
            artists.append(ax.broken_barh([(first / 60, width)], (row - 0.25, 0.5), color=colour))
            label = tr("plot.times", n=count)
            artists.append(ax.text(first / 60 + width + 0.05, row, label, va="center", fontsize=7))
    labels = [
        tr("plot.order_row", kind=tr(f"command.{k}"), n=sum(r[2] for r in runs[k])) for k in kinds
    ]
    ax.set_yticks(range(len(kinds)), labels, fontsize=7)
    ax.set_ylim(-0.7, max(len(kinds), 1) - 0.3)
    ax.invert_yaxis()
    ax.set(xlabel=tr("plot.hours"), title=tr("plot.decisions"), xlim=(0, drill.end_min / 60))
    handles = [
        ax.scatter([], [], marker="o", color="#1e88e5", s=16, label=tr("plot.accepted")),
        ax.scatter([], [], marker="x", color="#e53935", s=16, label=tr("plot.rejected")),
    ]
    if not kinds:
        artists.append(ax.text(0.5, 0.5, tr("plot.no_order"), ha="center", transform=ax.transAxes))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return artists


def radar(ax: Axes, card: Mapping[str, Any], tr: Tr) -> list[Any]:
    """Dimension scores on a polar ``ax``; dimensions not judged are drawn at 0 and marked."""
    dims = list(card["dimensions"])
    scores = [card["dimensions"][d]["score"] or 0.0 for d in dims]
    angles = np.linspace(0, 2 * np.pi, len(dims), endpoint=False).tolist()
    artists: list[Any] = list(ax.plot(angles + angles[:1], scores + scores[:1], color="#1e88e5"))
    artists += ax.fill(angles + angles[:1], scores + scores[:1], color="#1e88e5", alpha=0.25)
    labels = [
        tr(f"dim.{d}") + ("" if card["dimensions"][d]["score"] is not None else " *") for d in dims
    ]
    ax.set_xticks(angles, labels, fontsize=7)
    ax.set_ylim(0, 100)
    ax.set_title(tr("plot.radar"))
    return artists


def _unique(labels: list[str]) -> list[str]:
    """Labels made distinct (two incidents of one kind in one zone: "… (2)"), so bars never
    merge on one row."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
