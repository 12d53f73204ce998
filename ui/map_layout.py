"""Where the map's marks and labels go, so that none hides another.

Marks are placed in order of importance: facilities at their point, then
open incidents, then units. A mark whose point is taken is set beside it
(right, left, below, above, then further out) with a leader line back to
its point. Units close together on screen form a stack, one row per unit
type; a row shows ``ROW_MAX`` icons, and when there are more it shows one
fewer and a "+N" chip that stands for the rest (a click on the chip offers
them). Labels come last: zone names, then facility names by importance,
each at a free spot near its thing (:func:`label_options`; which one, by
ui.label_spots: a zone's name in its own zone, any name off the roads); a
label never covers another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pygame

from sim import Snapshot, UnitView
from ui.map_symbols import STATUS_BAR_PX, UNIT_H, UNIT_W

CLUSTER_PX = 14  # units closer than this on screen share a stack
ROW_MAX = 3
ICON_GAP_PX = 2
RINGS_PX = (14, 26, 42, 62, 90)
FACILITY_LABEL_ORDER = (
    "hazard_source",
    "shelter",
    "hospital",
    "command_post",
    "fire_station",
    "school",
    "police_station",
    "depot",
)


@dataclass
class Mark:
    """One drawn mark: what it stands for, its point on the map and where it is drawn."""

    kind: str  # "facility", "incident", "unit" or "more" (a stack's "+N" chip)
    ids: tuple[str, ...]
    anchor: tuple[int, int]
    rect: pygame.Rect
    thing: object = None  # the view (FacilityView, IncidentView, UnitView) it draws
    count: int = 0  # for "more": how many units it stands for


@dataclass
class Layout:
    marks: list[Mark] = field(default_factory=list)
    leaders: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    unit_pos: dict[str, tuple[int, int]] = field(default_factory=dict)


def unit_order(unit: UnitView) -> tuple[str, int, str]:
    """Units by type, then by their number (ambulance-2 before ambulance-10)."""
    match = re.search(r"(\d+)$", unit.id)
    return unit.type, int(match.group(1)) if match else 0, unit.id


def candidates(anchor: tuple[int, int], size: tuple[int, int], centred: bool = True):  # noqa: ANN201
    """Rectangles of ``size`` around ``anchor``, nearest first."""
    ax, ay = anchor
    w, h = size
    if centred:
        yield pygame.Rect(ax - w // 2, ay - h // 2, w, h)
    for d in RINGS_PX:
        yield pygame.Rect(ax + d, ay - h // 2, w, h)  # right
        yield pygame.Rect(ax - d - w, ay - h // 2, w, h)  # left
        yield pygame.Rect(ax - w // 2, ay + d, w, h)  # below
        yield pygame.Rect(ax - w // 2, ay - d - h, w, h)  # above
        yield pygame.Rect(ax + d, ay + d // 2, w, h)
        yield pygame.Rect(ax + d, ay - d // 2 - h, w, h)
        yield pygame.Rect(ax - d - w, ay + d // 2, w, h)
        yield pygame.Rect(ax - d - w, ay - d // 2 - h, w, h)


class Occupied:
    """Rectangles already taken on screen."""

    def __init__(self, bounds: pygame.Rect, taken: list[pygame.Rect] | None = None) -> None:
        self.bounds = bounds
        self.rects: list[pygame.Rect] = list(taken or [])

    def free(self, rect: pygame.Rect, pad: int = 1) -> bool:
        return (
            self.bounds.contains(rect)
            and rect.inflate(pad * 2, pad * 2).collidelist(self.rects) < 0
        )

    def place(
        self,
        options: list[pygame.Rect],
        fallback: bool = True,
        prefer: pygame.Rect | None = None,
    ) -> pygame.Rect | None:
        """The first free option (taking it; first those inside ``prefer``), else with
        ``fallback`` the least covered one."""
        if prefer is not None:
            options = [r for r in options if prefer.contains(r)] + [
                r for r in options if not prefer.contains(r)
            ]
        for rect in options:
            if self.free(rect):
                self.rects.append(rect)
                return rect
        if not fallback or not options:
            return None
        inside = [r for r in options if self.bounds.contains(r)] or options
        best = min(inside, key=self.covered)
        self.rects.append(best)
        return best

    def covered(self, rect: pygame.Rect) -> int:
        """How many pixels of ``rect`` are taken (counted once per rectangle over it)."""
        return sum(
            (clip := rect.clip(other)).w * clip.h for other in self.rects if rect.colliderect(other)
        )


def lay_out_marks(
    snap: Snapshot,
    to_screen,  # noqa: ANN001 - (x_m, y_m) -> (px, py)
    bounds: pygame.Rect,
    blocked: list[pygame.Rect],
    sizes: dict[str, tuple[int, int]],
) -> Layout:
    """Place every facility, open incident and unit of ``snap`` without overlaps."""
    layout = Layout()
    room = Occupied(bounds.inflate(400, 400), blocked)  # marks may sit off screen
    for facility in snap.facilities:
        anchor = to_screen(facility.x, facility.y)
        rect = room.place(list(candidates(anchor, sizes["facility"])), prefer=_view(bounds, anchor))
        _add(layout, Mark("facility", (facility.id,), anchor, rect, facility))
    incidents = [i for i in snap.incidents if i.is_open]
    for incident in incidents:
        anchor = to_screen(incident.x, incident.y)
        rect = room.place(list(candidates(anchor, sizes["incident"])), prefer=_view(bounds, anchor))
        _add(layout, Mark("incident", (incident.id,), anchor, rect, incident))
    for incident in incidents:  # keep the true points of moved marks clear of units
        mark = next(m for m in layout.marks if m.ids == (incident.id,))
        if not mark.rect.collidepoint(mark.anchor):
            room.rects.append(pygame.Rect(mark.anchor[0] - 4, mark.anchor[1] - 4, 8, 8))
    for anchor, units in _stacks(snap, to_screen):
        _place_stack(layout, room, anchor, units, _view(bounds, anchor))
    return layout


def _view(bounds: pygame.Rect, anchor: tuple[int, int]) -> pygame.Rect | None:
    """Keep a mark whose point is in view inside the view, if there is room."""
    return bounds if bounds.collidepoint(anchor) else None


def _add(layout: Layout, mark: Mark) -> None:
    layout.marks.append(mark)
    if not mark.rect.collidepoint(mark.anchor):
        layout.leaders.append((mark.anchor, _nearest_point(mark.rect, mark.anchor)))


def _nearest_point(rect: pygame.Rect, point: tuple[int, int]) -> tuple[int, int]:
    return (
        min(max(point[0], rect.left), rect.right - 1),
        min(max(point[1], rect.top), rect.bottom - 1),
    )


def _stacks(snap: Snapshot, to_screen) -> list[tuple[tuple[int, int], list[UnitView]]]:  # noqa: ANN001
    """Units grouped by nearness on screen (each group anchored at its first unit)."""
    groups: list[tuple[tuple[int, int], list[UnitView]]] = []
    for unit in sorted(snap.units, key=unit_order):
        point = to_screen(unit.x, unit.y)
        for anchor, members in groups:
            if abs(anchor[0] - point[0]) <= CLUSTER_PX and abs(anchor[1] - point[1]) <= CLUSTER_PX:
                members.append(unit)
                break
        else:
            groups.append((point, [unit]))
    return groups


def _place_stack(
    layout: Layout,
    room: Occupied,
    anchor: tuple[int, int],
    units: list[UnitView],
    prefer: pygame.Rect | None,
) -> None:
    rows: dict[str, list[UnitView]] = {}
    for unit in units:
        rows.setdefault(unit.type, []).append(unit)
    icon_w, icon_h = UNIT_W + ICON_GAP_PX, UNIT_H + STATUS_BAR_PX + ICON_GAP_PX
    chip_w = 30
    widths = [
        min(len(r), ROW_MAX) * icon_w if len(r) <= ROW_MAX else (ROW_MAX - 1) * icon_w + chip_w
        for r in rows.values()
    ]
    size = (max(widths) - ICON_GAP_PX, len(rows) * icon_h - ICON_GAP_PX)
    block = room.place(list(candidates(anchor, size)), prefer=prefer)
    assert block is not None
    if not block.collidepoint(anchor):
        layout.leaders.append((anchor, _nearest_point(block, anchor)))
    for row_index, members in enumerate(rows.values()):
        y = block.y + row_index * icon_h
        shown = members if len(members) <= ROW_MAX else members[: ROW_MAX - 1]
        for col, unit in enumerate(shown):
            rect = pygame.Rect(block.x + col * icon_w, y, UNIT_W, UNIT_H + STATUS_BAR_PX)
            layout.marks.append(Mark("unit", (unit.id,), anchor, rect, unit))
            layout.unit_pos[unit.id] = rect.center
        rest = members[len(shown) :]
        if rest:
            rect = pygame.Rect(block.x + len(shown) * icon_w, y, chip_w, UNIT_H + STATUS_BAR_PX)
            ids = tuple(u.id for u in rest)
            layout.marks.append(Mark("more", ids, anchor, rect, None, len(rest)))
            for unit in rest:
                layout.unit_pos[unit.id] = rect.center


def label_options(
    size: tuple[int, int],
    around: pygame.Rect,
    centred: bool,
    area: pygame.Rect | None = None,
) -> list[pygame.Rect]:
    """Spots for a label of ``size`` at or beside ``around``, nearest first; a zone's name
    (``centred``) also about its centre and anywhere its centre stays inside ``area``; a
    facility's name also below and above its mark lined up with either end (a mark at the
    map's edge). Which of them is taken is up to the caller (ui.label_spots)."""
    w, h = size
    cx, cy = around.center
    options = [pygame.Rect(cx - w // 2, cy - h // 2, w, h)] if centred else []
    options += [
        pygame.Rect(around.right + 3, cy - h // 2, w, h),
        pygame.Rect(around.left - 3 - w, cy - h // 2, w, h),
        pygame.Rect(cx - w // 2, around.bottom + 2, w, h),
        pygame.Rect(cx - w // 2, around.top - 2 - h, w, h),
    ]
    if not centred:
        for x in (around.right - w, around.left):
            options += [
                pygame.Rect(x, around.bottom + 2, w, h),
                pygame.Rect(x, around.top - 2 - h, w, h),
            ]
    if centred:  # a zone's name may move about its centre
        for d in (16, 30, 46):
            options += [pygame.Rect(cx - w // 2, cy - h // 2 + s * d, w, h) for s in (1, -1)]
            options += [pygame.Rect(cx - w // 2 + s * d * 2, cy - h // 2, w, h) for s in (1, -1)]
    if centred and area is not None:
        spots = [
            (area.x + area.w * i // 8, area.y + area.h * j // 8)
            for i in range(1, 8)
            for j in range(1, 8)
        ]
        spots.sort(key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
        options += [pygame.Rect(x - w // 2, y - h // 2, w, h) for x, y in spots]
    return options
