"""The map's labels: zone names, then facility names, each where it hides nothing.

A mixin of :class:`ui.map_widget.MapWidget`. Labels are placed after the marks and
the furniture and keep clear of both and of one another (ui.map_layout); a zone's
name may move anywhere inside its zone, and a size smaller, before it is left out;
a facility's name is left out where there is no room. Text has a dark halo, so it
reads on any ground.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pygame

from sim import Snapshot
from ui import theme
from ui.colours import WARNING_RGB
from ui.map_layout import FACILITY_LABEL_ORDER, Occupied, place_label

ZONE_FONT_PX, FACILITY_FONT_PX = 13, 11
CHIP_CORNER_PX = (120, 36)  # the drill scene's hint chip sits in the map's top-left corner


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

    def _draw_labels(
        self, surface: pygame.Surface, snap: Snapshot, _panels: list[pygame.Surface]
    ) -> None:
        taken = [m.rect for m in self.layout.marks] + list(self.panels.values())
        taken.append(pygame.Rect(self.rect.x, self.rect.y, CHIP_CORNER_PX[0], CHIP_CORNER_PX[1]))
        taken += [pygame.Rect(a[0] - 3, a[1] - 3, 6, 6) for a, _ in self.layout.leaders]
        room = Occupied(self.rect.inflate(-4, -4), taken)
        self.labels = []
        for index, zone in enumerate(snap.zones):
            name = self.t.pick(zone.name_en, zone.name_zh)
            x, y = self.camera.to_screen(zone.x, zone.y)
            pad = 6 if zone.warning else 0
            area = self._zone_area(snap, index)
            for font_px in (ZONE_FONT_PX, ZONE_FONT_PX - 2):  # smaller before left out
                image = halo_text(font_px, name, (255, 255, 255), True)
                size = (image.get_width() + pad, image.get_height() + pad)
                box = place_label(room, size, pygame.Rect(x - 1, y - 1, 2, 2), True, area)
                if box is not None:
                    break
            if box is None:
                continue
            if zone.warning:
                pygame.draw.rect(surface, (12, 14, 18), box, border_radius=4)
                pygame.draw.rect(surface, WARNING_RGB[zone.warning], box, 2, border_radius=4)
            surface.blit(image, image.get_rect(center=box.center))
            self.labels.append((name, box))
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
            box = place_label(room, image.get_size(), mark.rect, centred=False)
            if box is not None:
                surface.blit(image, box)
                self.labels.append((name, box))

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
