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

from collections.abc import Callable, Iterable, Sequence

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
        self._crossed: dict[tuple[int, int, int, int], bool] = {}

    def crosses(self, rect: pygame.Rect) -> bool:
        """Whether any segment passes through ``rect`` (grown by the clearance)."""
        key = (rect.x, rect.y, rect.w, rect.h)
        if key not in self._crossed:
            self._crossed[key] = self._crosses(rect)
        return self._crossed[key]

    def _crosses(self, rect: pygame.Rect) -> bool:
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
    """The zone grid seen through the camera: which zones a box on screen lies over.

    Counts over a box of cells come from summed-area tables (one for any zone, one per zone,
    made once: the zones do not move), so grading a spot costs the same for any size."""

    def __init__(
        self,
        zone_index: np.ndarray,
        cell_m: float,
        to_world: Callable[[tuple[float, float]], tuple[float, float]],
    ) -> None:
        self.grid = np.asarray(zone_index)
        self.cell_m = cell_m
        self.to_world = to_world
        self._any = _summed(self.grid >= 0)
        self._own: dict[int, np.ndarray] = {}
        self._view: object = None
        self._graded: dict[tuple[int, int, int, int, int], int] = {}

    def look_from(self, view: object) -> None:
        """Start a frame seen from camera ``view`` (its key): grades are kept while it stays."""
        if view != self._view:
            self._view, self._graded = view, {}

    def at(self, point: tuple[float, float]) -> int:
        """The zone index at a screen point (-1: no zone, or off the map)."""
        x, y = self.to_world(point)
        row, col = int(np.floor(y / self.cell_m)), int(np.floor(x / self.cell_m))
        rows, cols = self.grid.shape
        return int(self.grid[row, col]) if 0 <= row < rows and 0 <= col < cols else -1

    def grade(self, rect: pygame.Rect, own: int) -> int:
        """How well ``rect`` (a label box) sits for zone ``own``: WHOLLY_INSIDE its cells,
        CENTRED_INSIDE (centre on its cells, no other zone's cell under it), BESIDE (no other
        zone's cell under it, its centre off its zone: it needs a leader) or FORBIDDEN (over
        another zone's cell). The cells under it are those its text (inside the halo) meets."""
        key = (rect.x, rect.y, rect.w, rect.h, own)
        if key not in self._graded:
            self._graded[key] = self._grade(rect, own)
        return self._graded[key]

    def _grade(self, rect: pygame.Rect, own: int) -> int:
        inner = rect.inflate(-2 * HALO_PX, -2 * HALO_PX)
        x0, y0 = self.to_world(inner.topleft)
        x1, y1 = self.to_world((inner.right - 1, inner.bottom - 1))
        rows, cols = self.grid.shape
        r0, r1 = int(np.floor(y0 / self.cell_m)), int(np.floor(y1 / self.cell_m))
        c0, c1 = int(np.floor(x0 / self.cell_m)), int(np.floor(x1 / self.cell_m))
        box = (max(r0, 0), min(r1, rows - 1), max(c0, 0), min(c1, cols - 1))
        if own not in self._own:
            self._own[own] = _summed(self.grid == own)
        mine = _count(self._own[own], box)
        if _count(self._any, box) > mine:
            return FORBIDDEN
        on_map = r0 >= 0 and c0 >= 0 and r1 < rows and c1 < cols
        if on_map and mine == (r1 - r0 + 1) * (c1 - c0 + 1):
            return WHOLLY_INSIDE
        return CENTRED_INSIDE if self.at(rect.center) == own else BESIDE


def _summed(mask: np.ndarray) -> np.ndarray:
    """A summed-area table of ``mask`` with a zero row and column in front."""
    table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int64)
    table[1:, 1:] = np.cumsum(np.cumsum(mask, axis=0), axis=1)
    return table


def _count(table: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """How many true cells rows ``r0..r1`` and columns ``c0..c1`` (inclusive) hold."""
    r0, r1, c0, c1 = box
    if r1 < r0 or c1 < c0:
        return 0
    return int(table[r1 + 1, c1 + 1] - table[r0, c1 + 1] - table[r1 + 1, c0] + table[r0, c0])


def best_free(
    room: Occupied,
    options: Iterable[pygame.Rect],
    costs: Sequence[Callable[[pygame.Rect], int]],
    limit: int | None = None,
) -> pygame.Rect | None:
    """The free option of least cost (the first among equals), taken in ``room``; None when
    no free option's first cost is at most ``limit``. An option's cost is its ``costs`` in
    order, compared as a tuple; each is worked out only while the option can still beat the
    best so far (a label over another zone is not checked for roads), and the search stops
    at an option of cost all zeros."""
    best: tuple[list[int], pygame.Rect] | None = None
    for rect in options:
        if not room.free(rect):
            continue
        value: list[int] = []
        for stage, cost in enumerate(costs):
            value.append(cost(rect))
            if stage == 0 and limit is not None and value[0] > limit:
                break
            if best is not None and value > best[0][: stage + 1]:
                break
        else:
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
