"""Rasterising scenario geometry (metres) onto the map grid (rows, columns), and the same
questions asked of one point (:func:`point_in_polygon`, :func:`point_to_polyline_m`).

Vectorised over all cells: each grid function costs one pass over the grid per
polygon edge or polyline segment, never a Python loop over cells.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

Point = tuple[float, float]


def cell_centres(shape: tuple[int, int], cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """x and y (metres) of every cell centre, each shaped like the grid."""
    rows, cols = np.indices(shape, dtype=np.float64)
    return (cols + 0.5) * cell_m, (rows + 0.5) * cell_m


def polygon_mask(polygon: Sequence[Point], shape: tuple[int, int], cell_m: float) -> np.ndarray:
    """Cells whose centre lies inside ``polygon`` (even-odd rule)."""
    x, y = cell_centres(shape, cell_m)
    inside = np.zeros(shape, dtype=bool)
    points = list(polygon)
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if y0 == y1:
            continue
        crosses = (y0 > y) != (y1 > y)
        x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (x < x_cross)
    if not inside.any():  # a polygon smaller than a cell still owns the cell it sits in
        cx, cy = np.mean(points, axis=0)
        inside[point_cell((cx, cy), shape, cell_m)] = True
    return inside


def distance_to_polyline(
    polyline: Sequence[Point], shape: tuple[int, int], cell_m: float
) -> np.ndarray:
    """Distance (m) from every cell centre to the nearest point of ``polyline``."""
    x, y = cell_centres(shape, cell_m)
    best = np.full(shape, np.inf)
    for (x0, y0), (x1, y1) in itertools.pairwise(polyline):
        dx, dy = x1 - x0, y1 - y0
        length_sq = dx * dx + dy * dy
        if length_sq == 0:
            t = np.zeros(shape)
        else:
            t = np.clip(((x - x0) * dx + (y - y0) * dy) / length_sq, 0.0, 1.0)
        np.minimum(best, np.hypot(x - (x0 + t * dx), y - (y0 + t * dy)), out=best)
    return best


def chainage(polyline: Sequence[Point], shape: tuple[int, int], cell_m: float) -> np.ndarray:
    """Distance (m) along ``polyline`` of the point nearest to every cell centre."""
    x, y = cell_centres(shape, cell_m)
    best = np.full(shape, np.inf)
    along = np.zeros(shape)
    start = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(polyline):
        dx, dy = x1 - x0, y1 - y0
        length = float(np.hypot(dx, dy))
        t = np.clip(((x - x0) * dx + (y - y0) * dy) / max(length**2, 1e-12), 0.0, 1.0)
        d = np.hypot(x - (x0 + t * dx), y - (y0 + t * dy))
        closer = d < best
        best[closer] = d[closer]
        along[closer] = start + t[closer] * length
        start += length
    return along


def point_cell(point: Point, shape: tuple[int, int], cell_m: float) -> tuple[int, int]:
    """(row, column) of the cell holding ``point``, clamped to the map."""
    row = min(max(int(point[1] // cell_m), 0), shape[0] - 1)
    col = min(max(int(point[0] // cell_m), 0), shape[1] - 1)
    return row, col


def segment_cells(a: Point, b: Point, shape: tuple[int, int], cell_m: float) -> np.ndarray:
    """Flat indices of the cells a straight segment passes through (sampled at ¼ cell)."""
    length = float(np.hypot(b[0] - a[0], b[1] - a[1]))
    samples = max(2, int(np.ceil(length / (cell_m * 0.25))) + 1)
    t = np.linspace(0.0, 1.0, samples)
    cols = np.clip(((a[0] + t * (b[0] - a[0])) // cell_m).astype(np.int64), 0, shape[1] - 1)
    rows = np.clip(((a[1] + t * (b[1] - a[1])) // cell_m).astype(np.int64), 0, shape[0] - 1)
    return np.unique(rows * shape[1] + cols)


def polyline_cells(polyline: Sequence[Point], shape: tuple[int, int], cell_m: float) -> np.ndarray:
    """(k, 2) rows and columns of the cells along ``polyline``."""
    flat = np.unique(
        np.concatenate(
            [segment_cells(a, b, shape, cell_m) for a, b in itertools.pairwise(polyline)]
        )
    )
    return np.stack(np.divmod(flat, shape[1]), axis=1)


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Whether ``point`` lies inside ``polygon`` (even-odd rule, as :func:`polygon_mask`)."""
    x, y = point
    inside = False
    points = list(polygon)
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], *points[:1]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def point_to_polyline_m(point: Point, polyline: Sequence[Point]) -> float:
    """Metres from ``point`` to the nearest point of ``polyline`` (``inf`` for fewer than two
    vertices; a closed ring is a polyline whose last vertex repeats its first)."""
    best = math.inf
    for a, b in itertools.pairwise(polyline):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length_sq = dx * dx + dy * dy
        t = 0.0 if not length_sq else ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length_sq
        t = min(1.0, max(0.0, t))
        best = min(best, math.dist(point, (a[0] + t * dx, a[1] + t * dy)))
    return best
