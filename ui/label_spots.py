"""Which free spot a map label takes: in its own zone, off the road lines.

The map's labels (ui.map_labels) are placed at the first *free* spot among
candidates (ui.map_layout.Occupied), but free of marks is not enough:

- a zone's name must stand in its own zone and never in another one. A spot is
  graded by the zone cells under it (:class:`ZoneCells`): wholly on its own
  zone's cells, else centred on its own zone and touching no other zone; a name
  that fits neither is set beside its zone with a leader line to a point inside
  it (:func:`leader_anchor`), still touching no other zone. A spot over another
  zone is never taken: the name "Dongyuan housing estate" was set left of its
  centre, ~150 px into the logistics park, because a free spot was all the
  placer asked for.
- any label keeps off the drawn road lines where a free spot without one
  exists (:class:`RoadLines`): a road through a name makes it hard to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pygame

from ui.map_layout import Occupied

WHOLLY_INSIDE, CENTRED_INSIDE, BESIDE, FORBIDDEN = 0, 1, 2, 3
ROAD_CLEARANCE_PX = 1  # a road line this close to a label's box counts as crossing it
BESIDE_GAPS_PX = (6, 22, 40)  # how far from its zone's box a name set beside it may stand
HALO_PX = 2  # the dark halo round a label's text: it may touch a neighbour's cells


class RoadLines:
    """The drawn road segments on screen (node to node), to keep labels off them."""

    def __init__(self, segments_px: np.ndarray) -> None:
        """``segments_px``: an (N, 2, 2) array of segment ends in screen pixels."""
        segs = np.asarray(segments_px, dtype=np.float64).reshape(-1, 2, 2)
        self.x1, self.y1 = segs[:, 0, 0], segs[:, 0, 1]
        self.x2, self.y2 = segs[:, 1, 0], segs[:, 1, 1]
        self.left, self.right = np.minimum(self.x1, self.x2), np.maximum(self.x1, self.x2)
        self.top, self.bottom = np.minimum(self.y1, self.y2), np.maximum(self.y1, self.y2)

    def crosses(self, rect: pygame.Rect) -> bool:
        """Whether any segment passes through ``rect`` (grown by the clearance)."""
        r = rect.inflate(2 * ROAD_CLEARANCE_PX, 2 * ROAD_CLEARANCE_PX)
        near = (self.left <= r.right) & (self.right >= r.left)
        near &= (self.top <= r.bottom) & (self.bottom >= r.top)
        if not near.any():
            return False
        x1, y1, x2, y2 = self.x1[near], self.y1[near], self.x2[near], self.y2[near]
        # A segment whose box meets the rectangle crosses it unless all four corners lie
        # strictly on one side of its line (the separating-axis test for a segment and a box).
        corners = np.array(
            [(r.left, r.top), (r.right, r.top), (r.left, r.bottom), (r.right, r.bottom)]
        )
        side = (x2 - x1)[:, None] * (corners[None, :, 1] - y1[:, None]) - (y2 - y1)[:, None] * (
            corners[None, :, 0] - x1[:, None]
        )
        one_side = (side > 0).all(axis=1) | (side < 0).all(axis=1)
        return bool((~one_side).any())


class ZoneCells:
    """The zone grid seen through the camera: which zones a box on screen lies over."""

    def __init__(
        self,
        zone_index: np.ndarray,
        cell_m: float,
        to_world: Callable[[tuple[float, float]], tuple[float, float]],
    ) -> None:
        self.grid = np.asarray(zone_index)
        self.cell_m = cell_m
        self.to_world = to_world

    def at(self, point: tuple[float, float]) -> int:
        """The zone index at a screen point (-1: no zone, or off the map)."""
        x, y = self.to_world(point)
        row, col = int(np.floor(y / self.cell_m)), int(np.floor(x / self.cell_m))
        rows, cols = self.grid.shape
        return int(self.grid[row, col]) if 0 <= row < rows and 0 <= col < cols else -1

    def grade(self, rect: pygame.Rect, own: int) -> int:
        """How well ``rect`` (a label box) sits for zone ``own``: WHOLLY_INSIDE its cells,
        CENTRED_INSIDE (centre on its cells, no other zone's cell under it), BESIDE (no zone's
        cell under its centre or elsewhere but maybe its own: needs a leader) or FORBIDDEN
        (over another zone's cell)."""
        inner = rect.inflate(-2 * HALO_PX, -2 * HALO_PX)
        x0, y0 = self.to_world(inner.topleft)
        x1, y1 = self.to_world((inner.right - 1, inner.bottom - 1))
        rows, cols = self.grid.shape
        r0, r1 = int(np.floor(y0 / self.cell_m)), int(np.floor(y1 / self.cell_m))
        c0, c1 = int(np.floor(x0 / self.cell_m)), int(np.floor(x1 / self.cell_m))
        block = self.grid[
            max(r0, 0) : max(min(r1 + 1, rows), 0), max(c0, 0) : max(min(c1 + 1, cols), 0)
        ]
        if ((block >= 0) & (block != own)).any():
            return FORBIDDEN
        on_map = r0 >= 0 and c0 >= 0 and r1 < rows and c1 < cols
        if on_map and block.size and (block == own).all():
            return WHOLLY_INSIDE
        return CENTRED_INSIDE if self.at(rect.center) == own else BESIDE


def best_free(
    room: Occupied,
    options: Iterable[pygame.Rect],
    cost: Callable[[pygame.Rect], tuple[int, ...]],
    limit: tuple[int, ...] | None = None,
) -> pygame.Rect | None:
    """The free option of least ``cost`` (the first among equals), taken in ``room``; None
    when no free option costs less than ``limit``. Costs are worked out for free options
    only, and the search stops at the first of cost all zeros."""
    best: tuple[tuple[int, ...], pygame.Rect] | None = None
    for rect in options:
        if not room.free(rect):
            continue
        value = cost(rect)
        if limit is not None and value >= limit:
            continue
        if best is None or value < best[0]:
            best = (value, rect)
            if not any(value):
                break
    if best is None:
        return None
    room.rects.append(best[1])
    return best[1]


def beside_options(area: pygame.Rect, size: tuple[int, int]) -> list[pygame.Rect]:
    """Spots round a zone's screen box ``area`` for a name that does not fit inside it:
    right, left, below and above it (centred on it, then lined up with its ends), nearest
    first, then further out (the leader line gets longer)."""
    w, h = size
    cx, cy = area.center
    options = []
    for gap in BESIDE_GAPS_PX:
        for along in (0, -area.h // 3, area.h // 3):
            options.append(pygame.Rect(area.right + gap, cy - h // 2 + along, w, h))
            options.append(pygame.Rect(area.left - gap - w, cy - h // 2 + along, w, h))
        for x in (cx - w // 2, area.left, area.right - w):
            options.append(pygame.Rect(x, area.bottom + gap, w, h))
            options.append(pygame.Rect(x, area.top - gap - h, w, h))
    return options


def leader_anchor(
    cells: ZoneCells, box: pygame.Rect, own: int, centre: tuple[int, int], area: pygame.Rect
) -> tuple[int, int]:
    """The point inside zone ``own`` a leader from ``box`` goes to: the zone's centre if it
    is on the zone's cells, else its box's centre), a third of the way in from the edge of
    the zone's box nearest ``box`` if that point is on the zone's cells, else further in."""
    start = centre if cells.at(centre) == own else area.center
    near = (
        min(max(box.centerx, area.left + 2), area.right - 3),
        min(max(box.centery, area.top + 2), area.bottom - 3),
    )
    for f in (0.3, 0.5, 0.7, 1.0, 0.15, 0.0):  # a third of the way in from the near edge first
        point = (
            round(near[0] + (start[0] - near[0]) * f),
            round(near[1] + (start[1] - near[1]) * f),
        )
        if cells.at(point) == own and not box.collidepoint(point):
            return point
    return start
