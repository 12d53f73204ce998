"""The report's map of the hazard's reach and the key decisions (matplotlib's recommended
signature: :func:`reach_map` takes an ``ax`` and returns the artists it drew).

Drawn bottom to top: the terrain's relief, its water (rivers, lakes), the zones
coloured by when the hazard first reached them, each hazard's greatest extent
(the log's ``HazardFootprint``, written as the drill ends), roads, then the
marks: incidents, shelters and one arrow per zone sent to a shelter. The
zones' names go last, each where it covers the fewest marks and names
already placed: a grid of spots inside the zone, then spots around it (with a
leader line to the zone), always inside the axes.
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
Spot = tuple[np.ndarray, bool]  # a name's centre (map metres) and whether it is in its zone
WATER_COLOUR = "#4fc3f7"
NOT_REACHED = "#90caf9"
EVACUATION_COLOUR = "#2e7d32"
FOOTPRINT_COLOURS = {"flood": "#1565c0", "fire": "#bf360c", "gas": "#8e24aa"}
# A second (third …) hazard of one kind is shaded apart, so the legend's names tell them apart.
FOOTPRINT_MORE = {
    "flood": ("#00838f", "#283593"),
    "fire": ("#4e342e", "#ff8f00"),
    "gas": ("#ad1457", "#4a148c"),
}
LABEL_PAD_PX = 3.0  # room kept around a name, in pixels
MARK_PX = 6.0  # half the size of an incident's or shelter's mark, in pixels
ARROW_PX = 2.0  # half the width kept clear along an evacuation arrow, in pixels
GRID_SPOTS = 5  # a name may sit at GRID_SPOTS × GRID_SPOTS points inside its zone
# What a name's spot costs: leaving the axes (per pixel), covering marks and names (per
# square pixel), its distance from the zone's middle (per pixel), and needing a leader line.
OUTSIDE_COST, AWAY_COST, LEADER_COST = 1000.0, 0.2, 300.0
BESIDE_GAP_M = 150.0  # a name beside its zone stands this far (plus a quarter of the zone) out


def reach_map(ax: Axes, drill: DrillData, tr: Tr, names: Names) -> list[Any]:
    """The map: water, each hazard's greatest extent, zones coloured by when the hazard reached
    them, roads, incidents, shelters, evacuations, and the zones' names clear of the marks.

    Lays the figure out (``tight_layout``) before placing the names, so they are placed where
    they will be drawn."""
    view = sim.Drill(drill.loaded, int(drill.header["seed"])).snapshot().map
    extent = _extent(view)
    water = view.land_use == int(sim.LandUse.WATER)
    arrivals = hazard_arrivals(drill)
    artists: list[Any] = [
        ax.imshow(view.elevation_m, cmap="Greys", alpha=0.3, extent=extent, zorder=0),
        _cells(ax, water, WATER_COLOUR, 0.9, extent, 1),
        *_zones(ax, drill, arrivals),
    ]
    handles: list[Any] = [Patch(color=WATER_COLOUR, label=tr("plot.water"))] if water.any() else []
    seen: dict[str, int] = {}
    for hazard, kind, mask in footprints(drill, water.shape):
        colour = _footprint_colour(kind, seen.get(kind, 0))
        seen[kind] = seen.get(kind, 0) + 1
        artists.append(_cells(ax, mask, colour, 0.35, extent, 3))
        label = tr("plot.footprint", hazard=names.hazard(hazard))
        handles.append(Patch(color=colour, alpha=0.5, label=label))
    xy = view.node_xy
    for a, b, _, _ in view.edges:
        artists += ax.plot(xy[[a, b], 0], xy[[a, b], 1], color="#795548", lw=0.8, zorder=4)
    marks = _decision_marks(ax, drill, tr)
    handles += _zone_handles(tr, bool(arrivals))
    handles += [m for m in marks if m.get_label() and not m.get_label().startswith("_")]
    handles.append(Line2D([], [], color=EVACUATION_COLOUR, marker=">", label=tr("plot.evacuation")))
    ax.set(
        title=tr("plot.reach_map"),
        xlabel=tr("plot.east_m"),
        ylabel=tr("plot.south_m"),
        aspect="equal",
        xlim=extent[:2],
        ylim=extent[2:],
    )
    ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3)
    ax.figure.tight_layout()
    return artists + marks + _zone_labels(ax, drill, tr, names, arrivals)


def _footprint_colour(kind: str, earlier: int) -> str:
    """The shade of a hazard's footprint, the ``earlier``-th before it of its kind skipped."""
    shades = (FOOTPRINT_COLOURS.get(kind, "#5e35b1"), *FOOTPRINT_MORE.get(kind, ()))
    return shades[earlier % len(shades)]


def footprints(drill: DrillData, shape: tuple[int, int]) -> list[tuple[str, str, np.ndarray]]:
    """(hazard id, kind, cells it reached at its worst) from the log's ``HazardFootprint``
    events (run-length encoded, :func:`sim.engine._runs`); a log cut short has none."""
    out = []
    for e in drill.of("HazardFootprint"):
        grid = np.zeros(int(np.prod(e.data.get("shape", shape))), dtype=bool)
        for first, length in e.data.get("runs", []):
            grid[int(first) : int(first) + int(length)] = True
        out.append((str(e.data["hazard"]), str(e.data["kind"]), grid.reshape(shape)))
    return out


def _extent(view: sim.MapView) -> tuple[float, float, float, float]:
    rows, cols = view.elevation_m.shape
    return (0.0, cols * view.cell_m, rows * view.cell_m, 0.0)


def _cells(
    ax: Axes, mask: np.ndarray, colour: str, alpha: float, extent: tuple[float, ...], z: int
) -> Any:
    """The cells of ``mask`` in one colour (the rest see-through)."""
    layer = np.ma.masked_where(~mask, np.ones(mask.shape))
    return ax.imshow(
        layer,
        cmap=ListedColormap([colour]),
        alpha=alpha,
        extent=extent,
        interpolation="nearest",
        vmin=0,
        vmax=1,
        zorder=z,
    )


def _reach_colour(share: float) -> tuple[float, float, float]:
    """A reached zone's colour: red when the hazard came first, yellow when it came last."""
    return (1.0, 0.3 + 0.6 * share, 0.2)


def _zones(ax: Axes, drill: DrillData, arrivals: Mapping[str, float]) -> list[Any]:
    worst = max(arrivals.values(), default=1.0) or 1.0
    artists = []
    for zone in drill.scenario.zones:
        t = arrivals.get(zone.id)
        colour = NOT_REACHED if t is None else _reach_colour(t / worst)
        patch = Polygon(zone.polygon, closed=True, fc=colour, ec=colour, alpha=0.4, lw=1.5)
        patch.set_zorder(2)
        artists.append(ax.add_patch(patch))
    return artists


def _zone_handles(tr: Tr, reached: bool) -> list[Any]:
    never = Patch(color=NOT_REACHED, alpha=0.6, label=tr("plot.zone_never"))
    if not reached:
        return [never]
    return [
        Patch(color=_reach_colour(0.0), alpha=0.6, label=tr("plot.zone_early")),
        Patch(color=_reach_colour(1.0), alpha=0.6, label=tr("plot.zone_late")),
        never,
    ]


def _decision_marks(ax: Axes, drill: DrillData, tr: Tr) -> list[Any]:
    """Incidents (stars), shelters (squares) and one arrow per zone sent to a shelter."""
    places = {f.id: f.at for f in drill.scenario.facilities}
    zones = {z.id: np.mean(np.asarray(z.polygon), axis=0) for z in drill.scenario.zones}
    artists: list[Any] = []
    incidents = drill.of("IncidentCreated")
    if incidents:
        xs, ys = [e.data["x"] for e in incidents], [e.data["y"] for e in incidents]
        star = {"marker": "*", "color": "#d50000", "s": 60, "zorder": 6}
        artists.append(ax.scatter(xs, ys, label=tr("plot.incident"), **star))
    orders = {(str(e.data["zone"]), str(e.data["shelter"])) for e in drill.of("EvacuationOrdered")}
    for zone, shelter in sorted(orders):  # a zone sent to one shelter twice: one arrow
        arrow = {"arrowstyle": "->", "color": EVACUATION_COLOUR}
        artists.append(
            ax.annotate("", xy=places[shelter], xytext=zones[zone], arrowprops=arrow, zorder=5)
        )
    shelters = [f.at for f in drill.scenario.facilities if f.type.value == "shelter"]
    if shelters:
        xs, ys = zip(*shelters, strict=True)
        square = {"marker": "s", "color": "#2e7d32", "s": 30, "zorder": 6}
        artists.append(ax.scatter(xs, ys, label=tr("plot.shelter"), **square))
    return artists


def _zone_labels(
    ax: Axes, drill: DrillData, tr: Tr, names: Names, arrivals: Mapping[str, float]
) -> list[Any]:
    """Each zone's name (and when the hazard reached it) at its cheapest spot
    (:func:`_label_cost`), a leader line to the zone when the spot is outside it."""
    obstacles = _mark_boxes(ax)
    artists: list[Any] = []
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # legible on roads
    for zone in drill.scenario.zones:
        t = arrivals.get(zone.id)
        label = names.zone(zone.id)
        if t is not None:
            label += "\n" + tr("plot.reached_h", h=round(t / 60, 1))
        polygon = np.asarray(zone.polygon, dtype=float)
        centre = polygon.mean(axis=0)
        text = ax.text(*centre, label, ha="center", va="center", fontsize=7, path_effects=halo)
        text.set_zorder(7)
        box = text.get_window_extent()
        size = np.array([box.width, box.height]) + 2 * LABEL_PAD_PX
        spot, inside = min(
            _label_spots(polygon), key=lambda s: _label_cost(ax, s, centre, size, obstacles)
        )
        text.set_position(spot)
        artists.append(text)
        if not inside:
            edge = _nearest_on_polygon(spot, polygon)
            line = ax.plot([spot[0], edge[0]], [spot[1], edge[1]], color="#424242", lw=0.7)
            line[0].set_zorder(6)
            artists += line
        middle = ax.transData.transform(spot)
        obstacles = np.vstack([obstacles, [*(middle - size / 2), *(middle + size / 2)]])
    return artists


def _label_spots(polygon: np.ndarray) -> list[Spot]:
    """Where a zone's name may go: a grid of points inside the zone, then around it."""
    low, high = polygon.min(axis=0), polygon.max(axis=0)
    path = MplPath(polygon)
    inside = [
        (np.array([x, y]), True)
        for x in np.linspace(low[0], high[0], GRID_SPOTS + 2)[1:-1]
        for y in np.linspace(low[1], high[1], GRID_SPOTS + 2)[1:-1]
        if path.contains_point((x, y))
    ]
    middle, reach = (low + high) / 2, (high - low) * 0.75 + BESIDE_GAP_M
    sides = ((0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (1, -1), (-1, 1), (1, 1))
    return inside + [(middle + np.array(side) * reach, False) for side in sides]


def _label_cost(
    ax: Axes, spot: Spot, centre: np.ndarray, size: np.ndarray, obstacles: np.ndarray
) -> float:
    """How bad a name's spot is: how far it leaves the axes, what it covers (marks, names),
    how far from its zone's middle, and whether it needs a leader line."""
    frame = ax.get_window_extent()
    point = ax.transData.transform(spot[0])
    x0, y0 = point - size / 2
    x1, y1 = point + size / 2
    outside = max(0.0, frame.x0 - x0) + max(0.0, x1 - frame.x1)
    outside += max(0.0, frame.y0 - y0) + max(0.0, y1 - frame.y1)
    w = np.clip(np.minimum(x1, obstacles[:, 2]) - np.maximum(x0, obstacles[:, 0]), 0, None)
    h = np.clip(np.minimum(y1, obstacles[:, 3]) - np.maximum(y0, obstacles[:, 1]), 0, None)
    away = float(np.hypot(*(point - ax.transData.transform(centre))))
    leader = 0.0 if spot[1] else LEADER_COST
    return OUTSIDE_COST * outside + float((w * h).sum()) + AWAY_COST * away + leader


def _mark_boxes(ax: Axes) -> np.ndarray:
    """Boxes (x0, y0, x1, y1 in pixels) around every mark drawn so far: incidents, shelters,
    and points along each evacuation arrow."""
    boxes: list[list[float]] = []
    for collection in ax.collections:
        for x, y in ax.transData.transform(collection.get_offsets()):
            boxes.append([x - MARK_PX, y - MARK_PX, x + MARK_PX, y + MARK_PX])
    for child in ax.texts:
        if getattr(child, "arrow_patch", None) is None:
            continue
        (x0, y0), (x1, y1) = ax.transData.transform([child.xyann, child.xy])
        for f in np.linspace(0.0, 1.0, max(2, int(np.hypot(x1 - x0, y1 - y0) / 6))):
            x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            boxes.append([x - ARROW_PX, y - ARROW_PX, x + ARROW_PX, y + ARROW_PX])
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _nearest_on_polygon(point: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """The point of ``polygon``'s edge nearest to ``point``."""
    best, found = np.inf, polygon[0]
    for a, b in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        d = b - a
        t = float(np.clip(np.dot(point - a, d) / max(float(np.dot(d, d)), 1e-9), 0.0, 1.0))
        gap = float(np.hypot(*(point - (a + t * d))))
        if gap < best:
            best, found = gap, a + t * d
    return found
