"""Plot helpers for the after-action review (matplotlib's recommended signature).

Each helper takes an ``ax``, the drill's data and a translator ``tr`` (from
:mod:`analysis.i18n`), draws, and returns the artists it made, so one
function serves the report, the debrief screen and a notebook. Nothing
here changes the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

import sim
from analysis.drilldata import DrillData
from analysis.kpis import hazard_arrivals

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


def hazard_extent(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Area reached by each hazard over time (km²); a note when the drill has none."""
    artists: list[Any] = []
    for hazard in sorted({h for s in drill.samples for h in s.data.get("hazards", {})}):
        for metric in EXTENT_METRICS:
            points = [
                (s.t_min / 60, s.data["hazards"][hazard][metric] / 1e6)
                for s in drill.samples
                if metric in s.data.get("hazards", {}).get(hazard, {})
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                artists += ax.plot(xs, ys, label=f"{hazard}: {tr('metric.' + metric)}")
    if not artists:
        artists.append(ax.text(0.5, 0.5, tr("plot.no_hazard"), ha="center", transform=ax.transAxes))
    else:
        ax.legend(fontsize=7)
    ax.set(xlabel=tr("plot.hours"), ylabel="km²", title=tr("plot.hazard_extent"))
    return artists


def response_times(ax: Axes, card: Mapping[str, Any], tr: Tr) -> list[Any]:
    """Bars: minutes to first unit on scene per incident, with the target line."""
    kpi = card["kpis"]["first_unit"]
    times = kpi["evidence"].get("incidents", {})
    names = list(times)
    values = [v if v is not None else 0.0 for v in times.values()]
    # Each incident's own target (farther from a base, more time), else the one figure.
    allowed = kpi["evidence"].get("allowed_min") or {n: kpi["target"] for n in names}
    colours = [
        "#9e9e9e" if v is None else ("#43a047" if v <= allowed[n] else "#e53935")
        for n, v in times.items()
    ]
    artists: list[Any] = list(ax.barh(names, values, color=colours))
    for i, v in enumerate(times.values()):
        if v is None:
            artists.append(ax.text(0.5, i, tr("plot.never"), va="center", fontsize=7))
    if len(set(allowed.values())) > 1:
        artists.append(
            ax.scatter(
                [allowed[n] for n in names],
                names,
                marker="|",
                s=200,
                color="black",
                label=tr("plot.target_each"),
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


def unit_gantt(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    colours = {"incident": "#e53935", "zone": "#1e88e5", "supply": "#43a047", "home": "#9e9e9e"}
    artists: list[Any] = []
    tasks = unit_tasks(drill)
    for row, spans in enumerate(tasks.values()):
        for kind in colours:
            bars = [(a / 60, (b - a) / 60) for a, b, k in spans if k == kind]
            if bars:
                artists.append(ax.broken_barh(bars, (row - 0.4, 0.8), color=colours[kind]))
    ax.set_yticks(range(len(tasks)), list(tasks), fontsize=6)
    ax.set(xlabel=tr("plot.hours"), title=tr("plot.unit_gantt"))
    handles = [ax.bar(0, 0, color=c, label=tr(f"task.{k}")) for k, c in colours.items()]
    ax.legend(handles=handles, fontsize=7, loc="lower right")
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


def decisions(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Each order as a dot on its type's row; rejected orders as red crosses."""
    orders = drill.of("CommandIssued")
    types = sorted({str(e.data["command"]["type"]) for e in orders})
    artists: list[Any] = []
    for accepted, marker, colour in ((True, "o", "#1e88e5"), (False, "x", "#e53935")):
        pts = [
            (e.t_min / 60, types.index(str(e.data["command"]["type"])))
            for e in orders
            if bool(e.data.get("accepted")) == accepted
        ]
        if pts:
            xs, ys = zip(*pts, strict=True)
            label = tr("plot.accepted") if accepted else tr("plot.rejected")
            artists.append(ax.scatter(xs, ys, marker=marker, color=colour, s=14, label=label))
    ax.set_yticks(range(len(types)), [tr(f"command.{t}") for t in types], fontsize=7)
    ax.set(xlabel=tr("plot.hours"), title=tr("plot.decisions"), xlim=(0, drill.end_min / 60))
    if artists:
        ax.legend(fontsize=7)
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


def reach_map(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """The map: zones coloured by when the hazard reached them, incidents, key decisions."""
    view = sim.Drill(drill.loaded, int(drill.header["seed"])).snapshot().map
    artists: list[Any] = [
        ax.imshow(view.elevation_m, cmap="Greys", alpha=0.4, extent=_extent(view))
    ]
    xy = view.node_xy
    for a, b, _, _ in view.edges:
        artists += ax.plot(xy[[a, b], 0], xy[[a, b], 1], color="#795548", lw=0.8)
    arrivals = hazard_arrivals(drill)
    worst = max(arrivals.values(), default=1.0) or 1.0
    for zone in drill.scenario.zones:
        t = arrivals.get(zone.id)
        colour = "#90caf9" if t is None else (1.0, 0.3 + 0.6 * t / worst, 0.2)
        patch = Polygon(zone.polygon, closed=True, alpha=0.45, color=colour)
        artists.append(ax.add_patch(patch))
        cx, cy = np.mean(np.asarray(zone.polygon), axis=0)
        label = zone.id if t is None else f"{zone.id}\n{tr('plot.reached_h', h=round(t / 60, 1))}"
        artists.append(ax.text(cx, cy, label, ha="center", fontsize=7))
    artists += _decision_marks(ax, drill, tr)
    ax.set(title=tr("plot.reach_map"), xlabel="x (m)", ylabel="y (m)", aspect="equal")
    ax.legend(fontsize=7, loc="lower right")
    return artists


def _extent(view: sim.MapView) -> tuple[float, float, float, float]:
    rows, cols = view.elevation_m.shape
    return (0.0, cols * view.cell_m, rows * view.cell_m, 0.0)


def _decision_marks(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    places = {f.id: f.at for f in drill.scenario.facilities}
    zones = {z.id: np.mean(np.asarray(z.polygon), axis=0) for z in drill.scenario.zones}
    artists: list[Any] = []
    incidents = drill.of("IncidentCreated")
    if incidents:
        artists.append(
            ax.scatter(
                [e.data["x"] for e in incidents],
                [e.data["y"] for e in incidents],
                marker="*",
                color="#d50000",
                s=60,
                label=tr("plot.incident"),
            )
        )
    for e in drill.of("EvacuationOrdered"):
        start, end = zones[str(e.data["zone"])], places[str(e.data["shelter"])]
        artists.append(
            ax.annotate(
                "", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": "#2e7d32"}
            )
        )
    shelters = [f.at for f in drill.scenario.facilities if f.type.value == "shelter"]
    if shelters:
        artists.append(
            ax.scatter(
                *zip(*shelters, strict=True),
                marker="s",
                color="#2e7d32",
                s=30,
                label=tr("plot.shelter"),
            )
        )
    return artists
