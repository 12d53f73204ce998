"""The map's labels: zone names, then facility names, each where it hides nothing.

A mixin of :class:`ui.map_widget.MapWidget`. Labels are placed after the marks and
the furniture and keep clear of both and of one another (ui.map_layout), and off
the road lines where a free spot allows (ui.label_spots). A zone's name stands in
its own zone and never in another: it may move anywhere inside its zone, and a
size smaller; one that fits nowhere inside is set beside its zone with a leader
line into it, before it is left out. A facility's name is left out where there is
no room, except on a map that keys them (``key_unplaced``, the briefing's): there
the mark (or the zone's centre) gets a number and a key on the map names it.
Text has a dark halo, so it reads on any ground.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pygame

from sim import Snapshot
from ui import theme
from ui.colours import WARNING_RGB
from ui.label_spots import (
    BESIDE,
    CENTRED_INSIDE,
    RoadLines,
    ZoneCells,
    beside_options,
    best_free,
    leader_anchor,
)
from ui.map_layout import FACILITY_LABEL_ORDER, Occupied, candidates, label_options

ZONE_FONT_PX, FACILITY_FONT_PX = 13, 11
CHIP_CORNER_PX = (120, 36)  # the drill scene's hint chip sits in the map's top-left corner
KEY_FONT_PX = 11
KEY_INK_RGB = (255, 244, 214)
FIRE_LABEL_RGB = (255, 200, 80)  # a fire's origin and name: the fire edge's yellow-orange


@dataclass(frozen=True)
class ZoneLabel:
    """Where a zone's name was drawn: its box, and the point inside the zone a leader line
    goes to when the box is beside the zone (None: the box stands in the zone)."""

    box: pygame.Rect
    leader_to: tuple[int, int] | None


@lru_cache(maxsize=1024)
def halo_text(size: int, message: str, colour: tuple[int, int, int], bold: bool) -> pygame.Surface:
    """Text with a dark halo, readable on any ground (cached)."""
    ink = theme.text(size, message, colour, bold)
    shadow = theme.text(size, message, (12, 14, 18), bold)
    surface = pygame.Surface((ink.get_width() + 2, ink.get_height() + 2), pygame.SRCALPHA)
    for dx in (0, 1, 2):
        for dy in (0, 1, 2):
            if (dx, dy) != (1, 1):
                surface.blit(shadow, (dx, dy))
    surface.blit(ink, (1, 1))
    return surface


class Labels:
    """Mixin: the zone and facility names of a map widget."""

    key_unplaced = False  # number the facilities whose names find no room, and key them

    def _draw_labels(
        self, surface: pygame.Surface, snap: Snapshot, _panels: list[pygame.Surface]
    ) -> None:
        taken = [m.rect for m in self.layout.marks] + list(self.panels.values())
        taken.append(pygame.Rect(self.rect.x, self.rect.y, CHIP_CORNER_PX[0], CHIP_CORNER_PX[1]))
        taken += [pygame.Rect(a[0] - 3, a[1] - 3, 6, 6) for a, _ in self.layout.leaders]
        room = Occupied(self.rect.inflate(-4, -4), taken)
        roads, cells = self._label_ground(snap)
        self.labels = []
        self.zone_labels: dict[str, ZoneLabel] = {}
        unplaced: list[tuple[str, pygame.Rect]] = []  # names with no room: numbered on a key
        for index, zone in enumerate(snap.zones):
            name = self.t.pick(zone.name_en, zone.name_zh)
            placed = self._zone_spot(room, roads, cells, snap, index, name, bool(zone.warning))
            if placed is None:
                centre = self.camera.to_screen(zone.x, zone.y)
                if self.rect.collidepoint(centre):
                    unplaced.append((name, pygame.Rect(centre[0] - 1, centre[1] - 1, 2, 2)))
                continue
            label, image = placed
            self.zone_labels[zone.id] = label
            box = label.box
            if label.leader_to is not None:
                _leader(surface, label.leader_to, _nearest_point(box, label.leader_to))
            if zone.warning:
                pygame.draw.rect(surface, (12, 14, 18), box, border_radius=4)
                pygame.draw.rect(surface, WARNING_RGB[zone.warning], box, 2, border_radius=4)
            surface.blit(image, image.get_rect(center=box.center))
            self.labels.append((name, box))
        self._fire_labels(surface, snap, room, roads)
        self._facility_labels(surface, snap, room, roads, unplaced)

    def _label_ground(self, snap: Snapshot) -> tuple[RoadLines, ZoneCells]:
        """The road lines and zone cells labels keep to, for the current view (both keep what
        they have worked out while the view stays: a still map places its labels cheaply)."""
        view = self.camera.key()
        kept = getattr(self, "_road_lines", None)
        if kept is None or kept[0] != view:  # the road lines move on screen with the view
            points = self.camera.to_screen_array(np.asarray(snap.map.node_xy, dtype=float))
            lines = RoadLines(points[self.edges] if len(self.edges) else np.zeros((0, 2, 2)))
            kept = self._road_lines = (view, lines)
        cells = getattr(self, "_zone_cells", None)
        if cells is None:  # the zones do not move: their tables are made once
            cells = self._zone_cells = ZoneCells(
                snap.map.zone_index, snap.map.cell_m, self.camera.to_world
            )
        cells.look_from(view)
        return kept[1], cells

    def _zone_spot(
        self,
        room: Occupied,
        roads: RoadLines,
        cells: ZoneCells,
        snap: Snapshot,
        index: int,
        name: str,
        warned: bool,
    ) -> tuple[ZoneLabel, pygame.Surface] | None:
        """Zone ``index``'s name: in the zone (either size) before beside it with a leader
        (either size); off the roads where it can be; never over another zone."""
        zone = snap.zones[index]
        centre = self.camera.to_screen(zone.x, zone.y)
        area = self._zone_area(snap, index)
        pad = 6 if warned else 0
        for worst in (CENTRED_INSIDE, BESIDE):
            for font_px in (ZONE_FONT_PX, ZONE_FONT_PX - 2):  # smaller before beside
                image = halo_text(font_px, name, (255, 255, 255), True)
                size = (image.get_width() + pad, image.get_height() + pad)
                options = label_options(
                    size, pygame.Rect(centre[0] - 1, centre[1] - 1, 2, 2), True, area
                )
                if worst == BESIDE:
                    options = beside_options(area, size) + options
                box = best_free(
                    room, options, (lambda r: cells.grade(r, index), roads.crosses), limit=worst
                )
                if box is None:
                    continue
                leader = None
                if cells.grade(box, index) == BESIDE:
                    leader = leader_anchor(cells, box, index, centre, area)
                return ZoneLabel(box, leader), image
        return None

    def _fire_labels(
        self, surface: pygame.Surface, snap: Snapshot, room: Occupied, roads: RoadLines
    ) -> None:
        """Where each of several fires started, named as the legend names it ("fire front 2"),
        so a trainee can tell which burning ground is which."""
        hazards = self.names.hazards
        for hazard_id in hazards.burning(snap.fields):
            origin = hazards.facts[hazard_id].origin
            if origin is None:
                continue
            name = hazards.title(hazard_id, with_place=False)
            point = self.camera.to_screen(*origin)
            if not self.rect.collidepoint(point):
                continue
            image = halo_text(FACILITY_FONT_PX, name, FIRE_LABEL_RGB, True)
            around = pygame.Rect(point[0] - 3, point[1] - 3, 6, 6)
            options = label_options(image.get_size(), around, centred=False)
            options += list(candidates(point, image.get_size(), centred=False))
            box = best_free(room, options, (roads.crosses,))
            if box is None:
                continue
            pygame.draw.circle(surface, (15, 15, 20), point, 4)
            pygame.draw.circle(surface, FIRE_LABEL_RGB, point, 3)
            if not box.inflate(8, 8).collidepoint(point):
                _leader(surface, point, _nearest_point(box, point))
            surface.blit(image, box)
            self.labels.append((name, box))

    def _facility_labels(
        self,
        surface: pygame.Surface,
        snap: Snapshot,
        room: Occupied,
        roads: RoadLines,
        unplaced: list[tuple[str, pygame.Rect]],
    ) -> None:
        """Facility names by importance, beside their marks, off the roads where they can be;
        with ``key_unplaced`` a name with no room is a number on the map and a line of the key."""
        marks = {m.ids[0]: m for m in self.layout.marks if m.kind == "facility"}
        order = {kind: rank for rank, kind in enumerate(FACILITY_LABEL_ORDER)}
        for facility in sorted(snap.facilities, key=lambda f: order.get(f.type, 99)):
            mark = marks.get(facility.id)
            if mark is None or not self.rect.colliderect(mark.rect):
                continue
            name = self.t.pick(facility.name_en, facility.name_zh)
            if any(drawn == name for drawn, _ in self.labels):
                continue  # a school in the zone named after it: the zone's label says it once
            image = halo_text(FACILITY_FONT_PX, name, (255, 244, 214), False)
            options = label_options(image.get_size(), mark.rect, centred=False)
            box = best_free(room, options, (roads.crosses,))
            if box is not None:
                surface.blit(image, box)
                self.labels.append((name, box))
            elif not any(drawn == name for drawn, _ in unplaced):
                unplaced.append((name, mark.rect))
        self.label_key: list[tuple[int, str, pygame.Rect]] = []
        if self.key_unplaced and unplaced:
            self._draw_key(surface, snap, room, roads, unplaced)

    def _draw_key(
        self,
        surface: pygame.Surface,
        snap: Snapshot,
        room: Occupied,
        roads: RoadLines,
        unplaced: list[tuple[str, pygame.Rect]],
    ) -> None:
        """A number beside each unnamed mark, and a key in a free corner naming them."""
        chips = []
        for number, (name, mark) in enumerate(unplaced, start=1):
            chip = _chip(str(number))
            options = label_options(chip.get_size(), mark, centred=False)
            options += list(candidates(mark.center, chip.get_size()))
            box = best_free(room, options, (roads.crosses,))
            box = box or room.place(options, fallback=True)
            surface.blit(chip, box)
            chips.append((number, name, box))
        lines = [_key_line(str(number), name) for number, name, _ in chips]
        width = max(line.get_width() for line in lines) + 12
        height = sum(line.get_height() for line in lines) + 10
        panel = self._key_spot(snap, room, (width, height))
        pygame.draw.rect(surface, (18, 22, 30), panel, border_radius=4)
        pygame.draw.rect(surface, (90, 100, 115), panel, 1, border_radius=4)
        y = panel.y + 5
        for line, (_, name, _) in zip(lines, chips, strict=True):
            surface.blit(line, (panel.x + 6, y))
            self.labels.append(
                (name, pygame.Rect(panel.x + 6, y, line.get_width(), line.get_height()))
            )
            y += line.get_height()
        self.label_key = chips

    def _key_spot(self, snap: Snapshot, room: Occupied, size: tuple[int, int]) -> pygame.Rect:
        """Where the key goes: along the map's edges, over the fewest labels and marks and
        then over the least of the map itself (the letterbox round a map first)."""
        width, height = size
        inner = self.rect.inflate(-12, -12)
        height_cells, width_cells = np.shape(snap.map.zone_index)
        left, top = self.camera.to_screen(0, 0)
        right, bottom = self.camera.to_screen(
            width_cells * snap.map.cell_m, height_cells * snap.map.cell_m
        )
        ground = pygame.Rect(left, top, right - left, bottom - top)
        xs = range(inner.left, inner.right - width + 1, 8)
        ys = range(inner.top, inner.bottom - height + 1, 8)
        options = [
            pygame.Rect(x, y, width, height) for x in xs for y in (inner.top, inner.bottom - height)
        ]
        options += [
            pygame.Rect(x, y, width, height) for y in ys for x in (inner.left, inner.right - width)
        ]
        if not options:
            options = [pygame.Rect(inner.left, inner.top, width, height)]

        def cost(rect: pygame.Rect) -> tuple[int, int]:
            on_ground = rect.clip(ground)
            return room.covered(rect), on_ground.w * on_ground.h

        panel = min(options, key=cost)
        room.rects.append(panel)
        return panel

    def _zone_area(self, snap: Snapshot, index: int) -> pygame.Rect:
        """The screen box around zone ``index``'s cells."""
        if index not in self._zone_boxes:
            rows, cols = np.nonzero(np.asarray(snap.map.zone_index) == index)
            cell = snap.map.cell_m
            self._zone_boxes[index] = (
                (
                    cols.min() * cell,
                    rows.min() * cell,
                    (cols.max() + 1) * cell,
                    (rows.max() + 1) * cell,
                )
                if rows.size
                else (0.0, 0.0, 0.0, 0.0)
            )
        x0, y0, x1, y1 = self._zone_boxes[index]
        left, top = self.camera.to_screen(x0, y0)
        right, bottom = self.camera.to_screen(x1, y1)
        return pygame.Rect(left, top, right - left, bottom - top)


def _chip(text: str) -> pygame.Surface:
    """A facility's number on the map: dark ink on the label colour, in a small box."""
    ink = theme.text(KEY_FONT_PX, text, (12, 14, 18), True)
    chip = pygame.Surface((max(ink.get_width() + 6, 14), ink.get_height() + 2), pygame.SRCALPHA)
    pygame.draw.rect(chip, KEY_INK_RGB, chip.get_rect(), border_radius=3)
    chip.blit(ink, ink.get_rect(center=chip.get_rect().center))
    return chip


def _key_line(number: str, name: str) -> pygame.Surface:
    chip = _chip(number)
    text = theme.text(KEY_FONT_PX, name, KEY_INK_RGB)
    line = pygame.Surface(
        (chip.get_width() + 5 + text.get_width(), max(chip.get_height(), text.get_height()) + 2),
        pygame.SRCALPHA,
    )
    line.blit(chip, (0, (line.get_height() - chip.get_height()) // 2))
    line.blit(text, (chip.get_width() + 5, (line.get_height() - text.get_height()) // 2))
    return line


def _nearest_point(rect: pygame.Rect, point: tuple[int, int]) -> tuple[int, int]:
    return (
        min(max(point[0], rect.left), rect.right - 1),
        min(max(point[1], rect.top), rect.bottom - 1),
    )


def _leader(surface: pygame.Surface, inside: tuple[int, int], label_edge: tuple[int, int]) -> None:
    """A zone name's leader line: from its box to a dot inside its zone."""
    pygame.draw.line(surface, (15, 15, 20), label_edge, inside, 3)
    pygame.draw.line(surface, (245, 245, 245), label_edge, inside, 1)
    pygame.draw.circle(surface, (15, 15, 20), inside, 4)
    pygame.draw.circle(surface, (245, 245, 245), inside, 3)
