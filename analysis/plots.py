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
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.path import Path as MplPath

import sim
from analysis.drilldata import DrillData
from analysis.kpis import hazard_arrivals
from analysis.names import Names

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
GROUP_GAP_MIN = 15.0  # orders of one kind this close together are drawn as one run
GROUP_MIN_ORDERS = 3  # a run of this many or more is a bar with its count, not dots


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
                label = tr(
                    "plot.extent_label", hazard=names.hazard(hazard), metric=tr("metric." + metric)
                )
                artists += ax.plot(xs, ys, label=label)
    if not artists:
        artists.append(ax.text(0.5, 0.5, tr("plot.no_hazard"), ha="center", transform=ax.transAxes))
    else:
        ax.legend(fontsize=7)
    ax.set(xlabel=tr("plot.hours"), ylabel=tr("plot.km2"), title=tr("plot.hazard_extent"))
    return artists


def response_times(ax: Axes, card: Mapping[str, Any], tr: Tr, names: Names) -> list[Any]:
    """Bars: minutes to first unit on scene per incident (by name), with the target marks."""
    kpi = card["kpis"]["first_unit"]
    times = kpi["evidence"].get("incidents", {})
    ids = list(times)
    labels = _unique([names.incident(i) for i in ids])
    values = [v if v is not None else 0.0 for v in times.values()]
    # Each incident's own target (farther from a base, more time), else the one figure.
    allowed = kpi["evidence"].get("allowed_min") or {n: kpi["target"] for n in ids}
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
            artists.append(ax.text(0.5, i, tr("plot.never"), va="center", fontsize=7))
    if len(set(allowed.values())) > 1:
        artists.append(
            ax.scatter(
                [allowed[n] for n in ids],
                labels,
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


def reach_map(ax: Axes, drill: DrillData, tr: Tr, names: Names) -> list[Any]:
    """The map: the terrain's water, each hazard's greatest extent, the zones coloured by when
    the hazard reached them, roads, incidents, shelters and the evacuations ordered; the zones'
    names placed clear of those marks (beside the zone with a leader line when it is crowded).

    Lays the figure out (``tight_layout``) before placing the names, so they are placed where
    they will be drawn."""
    view = sim.Drill(drill.loaded, int(drill.header["seed"])).snapshot().map
    extent = _extent(view)
    artists: list[Any] = [
        ax.imshow(view.elevation_m, cmap="Greys", alpha=0.3, extent=extent, zorder=0)
    ]
    water = view.land_use == int(sim.LandUse.WATER)
    artists.append(_cells(ax, water, WATER_COLOUR, 0.9, extent, 1))
    arrivals = hazard_arrivals(drill)
    worst = max(arrivals.values(), default=1.0) or 1.0
    for zone in drill.scenario.zones:
        t = arrivals.get(zone.id)
        colour = NOT_REACHED if t is None else _reach_colour(t / worst)
        artists.append(
            ax.add_patch(
                Polygon(
                    zone.polygon, closed=True, fc=colour, ec=colour, alpha=0.4, lw=1.5, zorder=2
                )
            )
        )
    handles = [Patch(color=WATER_COLOUR, label=tr("plot.water"))] if water.any() else []
    for hazard, kind, mask in footprints(drill, water.shape):
        colour = FOOTPRINT_COLOURS.get(kind, "#5e35b1")
        artists.append(_cells(ax, mask, colour, 0.35, extent, 3))
        label = tr("plot.footprint", hazard=names.hazard(hazard))
        handles.append(Patch(color=colour, alpha=0.5, label=label))
    xy = view.node_xy
    for a, b, _, _ in view.edges:
        artists += ax.plot(xy[[a, b], 0], xy[[a, b], 1], color="#795548", lw=0.8, zorder=4)
    marks = _decision_marks(ax, drill, tr)
    artists += marks
    handles += _zone_handles(tr, bool(arrivals)) + [
        m for m in marks if m.get_label() and m.get_label()[0] != "_"
    ]
    handles.append(Line2D([], [], color=EVACUATION_COLOUR, marker=">", label=tr("plot.evacuation")))
    ax.set(
        title=tr("plot.reach_map"),
        xlabel=tr("plot.east_m"),
        ylabel=tr("plot.south_m"),
        aspect="equal",
        xlim=extent[:2],
        ylim=extent[2:],
    )
    ax.legend(
        handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3
    )
    ax.figure.tight_layout()
    artists += _zone_labels(ax, drill, tr, names, arrivals)
    return artists


WATER_COLOUR = "#4fc3f7"
NOT_REACHED = "#90caf9"
EVACUATION_COLOUR = "#2e7d32"
FOOTPRINT_COLOURS = {"flood": "#1565c0", "fire": "#bf360c", "gas": "#8e24aa"}
LABEL_PAD_PX = 3.0  # room kept around a name, in pixels
MARK_PX = 6.0  # half the size of an incident's or shelter's mark, in pixels


def _reach_colour(share: float) -> tuple[float, float, float]:
    """A reached zone's colour: red when the hazard came first, yellow when it came last."""
    return (1.0, 0.3 + 0.6 * share, 0.2)


def _zone_handles(tr: Tr, reached: bool) -> list[Any]:
    handles = [Patch(color=NOT_REACHED, alpha=0.6, label=tr("plot.zone_never"))]
    if reached:
        handles = [
            Patch(color=_reach_colour(0.0), alpha=0.6, label=tr("plot.zone_early")),
            Patch(color=_reach_colour(1.0), alpha=0.6, label=tr("plot.zone_late")),
            *handles,
        ]
    return handles


def _cells(
    ax: Axes, mask: np.ndarray, colour: str, alpha: float, extent: tuple[float, ...], z: int
) -> Any:
    """The cells of ``mask`` in one colour (the rest see-through)."""
    layer = np.ma.masked_where(~mask, np.ones(mask.shape))
    cmap = ListedColormap([colour])
    return ax.imshow(
        layer,
        cmap=cmap,
        alpha=alpha,
        extent=extent,
        interpolation="nearest",
        vmin=0,
        vmax=1,
        zorder=z,
    )


def footprints(drill: DrillData, shape: tuple[int, int]) -> list[tuple[str, str, np.ndarray]]:
    """(hazard id, kind, cells it reached at its worst) from the log's ``HazardFootprint``
    events (written as the drill ends; a log cut short has none)."""
    out = []
    for e in drill.of("HazardFootprint"):
        grid = np.zeros(int(np.prod(e.data.get("shape", shape))), dtype=bool)
        for first, length in e.data.get("runs", []):
            grid[int(first) : int(first) + int(length)] = True
        out.append((str(e.data["hazard"]), str(e.data["kind"]), grid.reshape(shape)))
    return out


def _zone_labels(
    ax: Axes, drill: DrillData, tr: Tr, names: Names, arrivals: Mapping[str, float]
) -> list[Any]:
    """Each zone's name (and when the hazard reached it) where it hides the fewest marks and
    other names: in the zone if there is room, else beside it with a leader line."""
    obstacles = _mark_boxes(ax)
    frame = ax.get_window_extent()
    artists: list[Any] = []
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # legible on roads
    for zone in drill.scenario.zones:
        t = arrivals.get(zone.id)
        name = names.zone(zone.id)
        label = name if t is None else f"{name}\n{tr('plot.reached_h', h=round(t / 60, 1))}"
        polygon = np.asarray(zone.polygon, dtype=float)
        centre = polygon.mean(axis=0)
        text = ax.text(
            *centre, label, ha="center", va="center", fontsize=7, path_effects=halo, zorder=7
        )
        box = text.get_window_extent()
        size = np.array([box.width, box.height]) + 2 * LABEL_PAD_PX
        best = min(
            _label_spots(ax, polygon),
            key=lambda spot: _label_cost(spot, centre, size, obstacles, frame, ax),
        )
        text.set_position(best[0])
        artists.append(text)
        if not best[1]:  # outside its zone: a leader line to it
            edge = _nearest_on_polygon(best[0], polygon)
            artists += ax.plot(
                [best[0][0], edge[0]], [best[0][1], edge[1]], color="#424242", lw=0.7, zorder=6
            )
        placed = ax.transData.transform(best[0])
        obstacles = np.vstack([obstacles, [[*(placed - size / 2), *(placed + size / 2)]]])
    return artists


def _label_spots(ax: Axes, polygon: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """Where a zone's name may go: a grid of points inside the zone, then around it."""
    low, high = polygon.min(axis=0), polygon.max(axis=0)
    path = MplPath(polygon)
    inside = [
        (np.array([x, y]), True)
        for x in np.linspace(low[0], high[0], 7)[1:-1]
        for y in np.linspace(low[1], high[1], 7)[1:-1]
        if path.contains_point((x, y))
    ]
    span = high - low
    centre = (low + high) / 2
    around = [
        (centre + np.array([dx, dy]) * (span / 2 + np.array([gap_x, gap_y])), False)
        for dx, dy in ((0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (1, -1), (-1, 1), (1, 1))
        for gap_x, gap_y in ((span[0] * 0.25 + 150, span[1] * 0.25 + 150),)
    ]
    del ax
    return inside + around


def _label_cost(
    spot: tuple[np.ndarray, bool],
    centre: np.ndarray,
    size: np.ndarray,
    obstacles: np.ndarray,
    frame: Any,
    ax: Axes,
) -> float:
    """How bad a name's spot is: what it covers (marks, names), whether it leaves the axes,
    how far from its zone's middle, and whether it needs a leader line."""
    point = ax.transData.transform(spot[0])
    x0, y0 = point - size / 2
    x1, y1 = point + size / 2
    outside = max(0.0, frame.x0 - x0) + max(0.0, x1 - frame.x1)
    outside += max(0.0, frame.y0 - y0) + max(0.0, y1 - frame.y1)
    if len(obstacles):
        w = np.clip(np.minimum(x1, obstacles[:, 2]) - np.maximum(x0, obstacles[:, 0]), 0, None)
        h = np.clip(np.minimum(y1, obstacles[:, 3]) - np.maximum(y0, obstacles[:, 1]), 0, None)
        covered = float((w * h).sum())
    else:
        covered = 0.0
    away = float(np.hypot(*(point - ax.transData.transform(centre))))
    return 1000.0 * outside + covered + 0.2 * away + (300.0 if not spot[1] else 0.0)


def _mark_boxes(ax: Axes) -> np.ndarray:
    """Boxes (x0, y0, x1, y1 in pixels) around every mark drawn so far: incidents, shelters,
    and points along each evacuation arrow."""
    boxes: list[list[float]] = []
    for collection in ax.collections:
        for x, y in ax.transData.transform(collection.get_offsets()):
            boxes.append([x - MARK_PX, y - MARK_PX, x + MARK_PX, y + MARK_PX])
    for child in ax.texts:
        if hasattr(child, "arrow_patch") and child.arrow_patch is not None:
            (x0, y0), (x1, y1) = ax.transData.transform([child.xyann, child.xy])
            steps = max(2, int(np.hypot(x1 - x0, y1 - y0) / 6))
            for f in np.linspace(0.0, 1.0, steps):
                x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
                boxes.append([x - 2, y - 2, x + 2, y + 2])
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _nearest_on_polygon(point: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """The point of ``polygon``'s edge nearest to ``point``."""
    best, found = np.inf, polygon[0]
    for a, b in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        d = b - a
        t = float(np.clip(np.dot(point - a, d) / max(float(np.dot(d, d)), 1e-9), 0.0, 1.0))
        candidate = a + t * d
        gap = float(np.hypot(*(point - candidate)))
        if gap < best:
            best, found = gap, candidate
    return found


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
                zorder=6,
            )
        )
    orders = {(str(e.data["zone"]), str(e.data["shelter"])) for e in drill.of("EvacuationOrdered")}
    for zone, shelter in sorted(orders):  # one arrow for a zone sent to one shelter twice
        artists.append(
            ax.annotate(
                "",
                xy=places[shelter],
                xytext=zones[zone],
                arrowprops={"arrowstyle": "->", "color": EVACUATION_COLOUR},
                zorder=5,
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
                zorder=6,
            )
        )
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
