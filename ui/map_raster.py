"""Grid geometry for a crisp map: shading, resampling, contour lines, zone edges, tiles.

The map's grids have one value per cell; drawn at a zoom of many pixels per
cell, a bitmap scaled up reads blurred. Here every smooth field (relief
shading, a gas cloud, a water depth) is resampled bilinearly to the pixels it
covers, categories (land use, zones) stay sharp cell blocks, and lines
(contours, zone borders, band edges) are vectors in metres, drawn at
whatever zoom the camera has. :class:`TileCache` keeps what was drawn at one
zoom in 256-px tiles, so panning draws only the tiles that come into view.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import pygame

from ui.camera import Camera

TILE_PX = 256
MAX_TILES = 160  # ≈ 40 MB of 256² RGB tiles: several zoom levels of a full screen

# Marching squares: corner bits a (top-left) 8, b (top-right) 4, c (bottom-right) 2,
# d (bottom-left) 1; edges 0 top, 1 right, 2 bottom, 3 left. Saddles join b-d / a-c.
_CASES: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 2),), 2: ((2, 1),), 3: ((3, 1),), 4: ((0, 1),), 5: ((0, 3), (2, 1)),
    6: ((0, 2),), 7: ((0, 3),), 8: ((0, 3),), 9: ((0, 2),), 10: ((0, 1), (3, 2)),
    11: ((0, 1),), 12: ((3, 1),), 13: ((2, 1),), 14: ((3, 2),),
}  # fmt: skip


def hillshade(elevation_m: np.ndarray, cell_m: float, exaggeration: float) -> np.ndarray:
    """Lambertian shading of the relief lit from the north-west (1.0 = flat ground)."""
    dz_dy, dz_dx = np.gradient(elevation_m.astype(np.float32), cell_m)
    nx, ny = -dz_dx * exaggeration, -dz_dy * exaggeration
    norm = np.sqrt(nx * nx + ny * ny + 1.0)
    light = np.array([-1.0, -1.0, 1.4]) / np.sqrt(1 + 1 + 1.96)  # from the NW; y is south
    lit = (nx * light[0] + ny * light[1] + light[2]) / norm
    return (lit / light[2]).astype(np.float32)


def sample_axes(
    start_m: float, count: int, step_m: float, cell_m: float, cells: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where ``count`` pixel centres (from ``start_m``, every ``step_m``) fall on a grid axis:
    (nearest cell, lower cell for interpolation, its weight's complement, inside-the-map)."""
    centres_m = start_m + (np.arange(count) + 0.5) * step_m
    position = centres_m / cell_m - 0.5  # in cell-centre units
    lower = np.floor(position).astype(np.int64)
    weight = (position - lower).astype(np.float32)
    nearest = np.clip(np.floor(centres_m / cell_m).astype(np.int64), 0, cells - 1)
    inside = (centres_m >= 0) & (centres_m < cells * cell_m)
    return nearest, np.clip(lower, 0, cells - 1), weight, inside


def bilinear(
    grid: np.ndarray, rows: tuple[np.ndarray, ...], cols: tuple[np.ndarray, ...]
) -> np.ndarray:
    """``grid`` resampled at the pixel centres described by :func:`sample_axes`."""
    _, r0, wy, _ = rows
    _, c0, wx, _ = cols
    r1 = np.minimum(r0 + 1, grid.shape[0] - 1)
    c1 = np.minimum(c0 + 1, grid.shape[1] - 1)
    across = grid[:, c0] * (1 - wx) + grid[:, c1] * wx  # separable: columns first, then rows
    return across[r0] * (1 - wy[:, None]) + across[r1] * wy[:, None]


def contour_segments(grid: np.ndarray, level: float, cell_m: float) -> np.ndarray:
    """(N, 4) line segments x0, y0, x1, y1 in metres where ``grid`` crosses ``level``
    (marching squares between cell centres)."""
    a, b = grid[:-1, :-1], grid[:-1, 1:]
    c, d = grid[1:, 1:], grid[1:, :-1]
    case = (a > level) * 8 + (b > level) * 4 + (c > level) * 2 + (d > level) * 1
    rows, cols = np.nonzero((case > 0) & (case < 15))
    if rows.size == 0:
        return np.zeros((0, 4))
    a, b, c, d = (v[rows, cols].astype(np.float64) for v in (a, b, c, d))
    code = case[rows, cols]

    def cross(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        span = q - p
        return np.clip((level - p) / np.where(span == 0, 1e-12, span), 0.0, 1.0)

    i, j = rows.astype(np.float64), cols.astype(np.float64)
    edges = (
        (j + cross(a, b), i),  # top
        (j + 1, i + cross(b, c)),  # right
        (j + cross(d, c), i + 1),  # bottom
        (j, i + cross(a, d)),  # left
    )
    parts = []
    for value, pairs in _CASES.items():
        pick = code == value
        if not pick.any():
            continue
        for first, second in pairs:
            (x0, y0), (x1, y1) = edges[first], edges[second]
            parts.append(np.stack([x0[pick], y0[pick], x1[pick], y1[pick]], axis=1))
    return (np.concatenate(parts) + 0.5) * cell_m  # cell-centre units to metres


def edge_runs(inside: np.ndarray, cell_m: float) -> np.ndarray:
    """(N, 4) segments in metres along the cell edges between True and False cells of
    ``inside`` (the map's rim counts as outside), joined into straight runs."""
    padded = np.pad(inside, 1, constant_values=False)
    vertical = padded[1:-1, :-1] != padded[1:-1, 1:]  # (H, W+1): edge left of column j
    horizontal = padded[:-1, 1:-1] != padded[1:, 1:-1]  # (H+1, W): edge above row i
    runs = [(x, y0, x, y1) for x, (y0, y1) in _runs(vertical.T)]
    runs += [(x0, y, x1, y) for y, (x0, x1) in _runs(horizontal)]
    return np.array(runs, dtype=np.float64).reshape(-1, 4) * cell_m


def _runs(mask: np.ndarray) -> list[tuple[int, tuple[int, int]]]:
    """(line index, (start, end)) of each run of True along every row of ``mask``."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    change = np.diff(padded, axis=1)
    starts_r, starts_c = np.nonzero(change == 1)
    _, ends_c = np.nonzero(change == -1)
    return [(int(r), (int(s), int(e))) for r, s, e in zip(starts_r, starts_c, ends_c, strict=True)]


def nice_step(span: float, count: float) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) that cuts ``span`` into about ``count`` parts."""
    raw = max(span / max(count, 1.0), 1e-9)
    power = 10.0 ** np.floor(np.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)


def draw_segments(
    surface: pygame.Surface,
    segments: np.ndarray,
    colour: tuple[int, ...],
    width: int,
    origin_m: tuple[float, float],
    scale: float,
    offset_px: tuple[float, float] = (0.0, 0.0),
) -> None:
    """Draw world segments (metres) with the view whose top-left is ``origin_m``."""
    if not len(segments):
        return
    px = (segments - np.tile(origin_m, 2)) * scale + np.tile(offset_px, 2)
    w, h = surface.get_size()
    keep = (
        (np.maximum(px[:, 0], px[:, 2]) >= -width)
        & (np.minimum(px[:, 0], px[:, 2]) <= w + width)
        & (np.maximum(px[:, 1], px[:, 3]) >= -width)
        & (np.minimum(px[:, 1], px[:, 3]) <= h + width)
    )
    line = pygame.draw.aaline if width <= 1 else pygame.draw.line
    for x0, y0, x1, y1 in px[keep].tolist():
        if width <= 1:
            line(surface, colour, (x0, y0), (x1, y1))
        else:
            line(surface, colour, (x0, y0), (x1, y1), width)


class TileCache:
    """What ``render`` draws for a zoom, kept in tiles of ``TILE_PX`` (least recently used
    dropped first); :meth:`clear` forgets them when the drawing changes."""

    def __init__(self, render: Callable[[float, float, float, int, int], pygame.Surface]) -> None:
        self.render = render  # (left m, top m, px per m, width px, height px) -> surface
        self.tiles: OrderedDict[tuple[float, int, int], pygame.Surface] = OrderedDict()
        self.rendered = 0  # tiles drawn since made (for tests and benchmarks)

    def clear(self) -> None:
        self.tiles.clear()

    def draw(self, target: pygame.Surface, camera: Camera, budget_s: float | None = None) -> int:
        """Blit the view's tiles, drawing missing ones (nearest the centre first) while
        ``budget_s`` of CPU time lasts (None: all); returns how many are still missing."""
        scale = round(camera.scale, 9)
        # Tile (i, j) covers [i, i + 1) × TILE_PX pixels of the map drawn at this scale.
        left_px = camera.origin[0] * scale
        top_px = camera.origin[1] * scale
        x_px = camera.rect.x - round(left_px)
        y_px = camera.rect.y - round(top_px)
        first_i, first_j = int(left_px // TILE_PX), int(top_px // TILE_PX)
        last_i = int((left_px + camera.rect.w) // TILE_PX)
        last_j = int((top_px + camera.rect.h) // TILE_PX)
        centre = ((first_i + last_i) / 2, (first_j + last_j) / 2)
        wanted = [(i, j) for j in range(first_j, last_j + 1) for i in range(first_i, last_i + 1)]
        wanted.sort(key=lambda ij: (ij[0] - centre[0]) ** 2 + (ij[1] - centre[1]) ** 2)
        start, missing = time.thread_time(), 0
        for i, j in wanted:
            tile = self.tiles.get((scale, i, j))
            if tile is None and budget_s is not None and time.thread_time() - start > budget_s:
                missing += 1
                continue
            tile = self._tile(scale, i, j)
            target.blit(tile, (x_px + i * TILE_PX, y_px + j * TILE_PX))
        return missing

    def complete(self, camera: Camera) -> bool:
        """Whether every tile of the view is drawn already."""
        return self.draw(pygame.Surface((1, 1)), camera, budget_s=-1.0) == 0

    def _tile(self, scale: float, i: int, j: int) -> pygame.Surface:
        key = (scale, i, j)
        tile = self.tiles.get(key)
        if tile is None:
            tile = self.render(i * TILE_PX / scale, j * TILE_PX / scale, scale, TILE_PX, TILE_PX)
            if pygame.display.get_surface() is not None:
                tile = tile.convert()
            self.tiles[key] = tile
            self.rendered += 1
            while len(self.tiles) > MAX_TILES:
                self.tiles.popitem(last=False)
        else:
            self.tiles.move_to_end(key)
        return tile
