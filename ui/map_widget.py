"""The drill map: raster layers, roads, zones, facilities, incidents and units, and picking.

Everything is drawn from a snapshot; nothing here changes the drill. Picking
answers what is under the pointer: every unit, open incident and facility
whose mark is there (several may share a point: the drill scene then offers
a chooser), and the road or zone beneath them. With a unit selected, the
incidents it cannot serve are drawn dimmed.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from sim import Snapshot
from ui import theme
from ui.camera import Camera
from ui.colours import (
    CLOSED_ROAD_RGB,
    INCIDENT_RGB,
    ROAD_RGB,
    ROAD_WIDTH_PX,
    SELECTION_RGB,
    STATUS_RGB,
    WARNING_RGB,
)
from ui.i18n import Translator
from ui.input import Select
from ui.map_layers import MapLayers
from ui.names import Names

PICK_RADIUS_PX = 14
UNIT_HIT_PX = 9  # a unit's icon is a circle of radius 8
DIMMED_RGB = (120, 110, 110)
RELEASED_RGB = (170, 180, 195)
ZONE_LABEL_DROP_PX = 24
FACILITY_RGB = {
    "fire_station": (200, 40, 40),
    "hospital": (245, 245, 245),
    "shelter": (40, 150, 70),
    "depot": (150, 100, 50),
    "command_post": (30, 60, 140),
    "police_station": (40, 80, 200),
    "hazard_source": (140, 40, 160),
    "school": (200, 160, 40),
}


class MapWidget:
    """Draws a drill's map into ``rect`` and answers what is under the pointer."""

    def __init__(self, rect: pygame.Rect, snapshot: Snapshot, t: Translator, names: Names) -> None:
        self.rect = pygame.Rect(rect)
        self.t, self.names = t, names
        grid = snapshot.map
        height, width = grid.elevation_m.shape
        self.camera = Camera(self.rect, width * grid.cell_m, height * grid.cell_m)
        self.layers = MapLayers(grid)
        self.overlay_shown: dict[str, bool] = {}
        self.edges = np.array([(a, b) for a, b, _, _ in grid.edges], dtype=np.int64).reshape(-1, 2)
        self.edge_roads = [road for _, _, road, _ in grid.edges]
        self.edge_classes = [cls for _, _, _, cls in grid.edges]
        self.access = np.array([cls == "access" for cls in self.edge_classes], dtype=bool)
        self.pulse = 0.0
        self.defer_heavy = False

    # -- drawing ---------------------------------------------------------------
    def draw(
        self,
        surface: pygame.Surface,
        snap: Snapshot,
        selected: Select | None,
        dimmed: frozenset[str] = frozenset(),
        armed: bool = True,
    ) -> None:
        """Draw the map; ``dimmed`` incidents are ones the armed unit cannot serve."""
        if not self.defer_heavy:  # recolouring can wait a frame when the engine was slow
            self.layers.update_zones(snap.zones)
            self.layers.update_overlays(snap.fields, snap.t_min)
        for name in snap.fields:
            self.overlay_shown.setdefault(name, True)
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        surface.fill((30, 36, 44), self.rect)
        self.layers.draw(surface, self.camera, self.overlay_shown)
        self._draw_roads(surface, snap, selected)
        self._draw_zone_labels(surface, snap)
        for unit in snap.units:
            if unit.route_xy and unit.status in ("en_route", "transporting", "returning"):
                points = [self.camera.to_screen(unit.x, unit.y)]
                points += [self.camera.to_screen(x, y) for x, y in unit.route_xy]
                if len(points) > 1:
                    pygame.draw.lines(
                        surface, STATUS_RGB.get(unit.status, (255, 255, 255)), False, points, 1
                    )
        self._draw_facilities(surface, snap)
        self._draw_incidents(surface, snap, dimmed)
        self._draw_units(surface, snap)
        self._draw_selection(surface, snap, selected, armed)
        surface.set_clip(clip)

    def _draw_roads(self, surface: pygame.Surface, snap: Snapshot, selected: Select | None) -> None:
        if not len(self.edges):
            return
        points = self.camera.to_screen_array(snap.map.node_xy)
        closed = {tuple(key) for key in snap.closed_edges}
        widen = 1 if self.camera.zoom > 2.5 else 0
        crossed: set[str] = set()  # one closed-road mark per road, not per segment
        for (a, b), road, cls in zip(self.edges, self.edge_roads, self.edge_classes, strict=True):
            start, end = points[a], points[b]
            width = ROAD_WIDTH_PX.get(cls, 2) + widen
            is_closed = (a, b) in closed or (b, a) in closed
            pygame.draw.line(surface, (60, 60, 60), start, end, width + 2)
            pygame.draw.line(
                surface,
                CLOSED_ROAD_RGB if is_closed else ROAD_RGB.get(cls, (220,) * 3),
                start,
                end,
                width,
            )
            if selected and selected.kind == "road" and selected.id == road:
                pygame.draw.line(surface, (80, 200, 255), start, end, 2)
            if is_closed and road not in crossed:
                crossed.add(road)
                self._draw_cross(surface, (start + end) / 2)

    @staticmethod
    def _draw_cross(surface: pygame.Surface, centre: np.ndarray) -> None:
        x, y = int(centre[0]), int(centre[1])
        pygame.draw.circle(surface, (255, 255, 255), (x, y), 7)
        pygame.draw.line(surface, CLOSED_ROAD_RGB, (x - 4, y - 4), (x + 4, y + 4), 3)
        pygame.draw.line(surface, CLOSED_ROAD_RGB, (x - 4, y + 4), (x + 4, y - 4), 3)

    def _draw_zone_labels(self, surface: pygame.Surface, snap: Snapshot) -> None:
        for zone in snap.zones:
            x, y = self.camera.to_screen(zone.x, zone.y)
            label = theme.text(14, self.t.pick(zone.name_en, zone.name_zh), (255, 255, 255), True)
            box = label.get_rect(center=(x, y + ZONE_LABEL_DROP_PX))  # clear of markers
            shade = pygame.Surface(box.inflate(8, 4).size, pygame.SRCALPHA)
            shade.fill((0, 0, 0, 120))
            surface.blit(shade, box.inflate(8, 4))
            surface.blit(label, box)
            if zone.warning:
                pygame.draw.rect(surface, WARNING_RGB[zone.warning], box.inflate(10, 6), 3, 4)

    def _draw_facilities(self, surface: pygame.Surface, snap: Snapshot) -> None:
        for facility in snap.facilities:
            x, y = self.camera.to_screen(facility.x, facility.y)
            colour = FACILITY_RGB.get(facility.type, (200, 200, 200))
            box = pygame.Rect(0, 0, 22, 22)
            box.center = (x, y)
            if facility.type == "shelter":
                points = [(x, y - 13), (x - 12, y + 9), (x + 12, y + 9)]
                pygame.draw.polygon(surface, colour if facility.is_open else (70, 80, 70), points)
                pygame.draw.polygon(surface, (255, 255, 255), points, 2)
            else:
                pygame.draw.rect(surface, colour, box, border_radius=3)
                pygame.draw.rect(surface, (20, 20, 20), box, 2, border_radius=3)
            ink = (200, 20, 20) if facility.type == "hospital" else (255, 255, 255)
            letter = theme.text(13, self.t(f"facility_icon.{facility.type}"), ink, True)
            surface.blit(
                letter, letter.get_rect(center=(x, y + (2 if facility.type == "shelter" else 0)))
            )

    def _draw_incidents(
        self, surface: pygame.Surface, snap: Snapshot, dimmed: frozenset[str]
    ) -> None:
        grow = 2 * (1 + math.sin(self.pulse * 5))
        for incident in snap.incidents:
            if not incident.is_open:
                continue
            x, y = self.camera.to_screen(incident.x, incident.y)
            dim = incident.id in dimmed
            size = 10 if dim else 12 + grow
            points = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
            pygame.draw.polygon(surface, DIMMED_RGB if dim else INCIDENT_RGB, points)
            pygame.draw.polygon(surface, (255, 240, 200), points, 2)
            mark = theme.text(14, "!", (255, 255, 255), True)
            surface.blit(mark, mark.get_rect(center=(x, y)))

    def _draw_units(self, surface: pygame.Surface, snap: Snapshot) -> None:
        stacked: dict[tuple[int, int], int] = {}
        for unit in snap.units:
            x, y = self.camera.to_screen(unit.x, unit.y)
            n = stacked.get((x, y), 0)  # fan out units parked at the same spot
            stacked[(x, y)] = n + 1
            x, y = x + 16 + (n % 4) * 15, y - 10 + (n // 4) * 15
            colour = STATUS_RGB.get(unit.status, (255, 255, 255))
            pygame.draw.circle(surface, (15, 15, 15), (x, y), 8)
            pygame.draw.circle(surface, colour, (x, y), 7)
            letter = theme.text(11, self.t(f"unit_icon.{unit.type}"), (10, 10, 10), True)
            surface.blit(letter, letter.get_rect(center=(x, y)))

    def unit_screen_positions(self, snap: Snapshot) -> dict[str, tuple[int, int]]:
        """Where each unit's icon is drawn (the same fan-out as :meth:`_draw_units`)."""
        stacked: dict[tuple[int, int], int] = {}
        positions = {}
        for unit in snap.units:
            x, y = self.camera.to_screen(unit.x, unit.y)
            n = stacked.get((x, y), 0)
            stacked[(x, y)] = n + 1
            positions[unit.id] = (x + 16 + (n % 4) * 15, y - 10 + (n // 4) * 15)
        return positions

    def _draw_selection(
        self, surface: pygame.Surface, snap: Snapshot, sel: Select | None, armed: bool
    ) -> None:
        if sel is None or sel.kind in ("road", "zone"):
            return
        pos = self.position_of(snap, sel)
        if pos is not None:
            radius = 12 if sel.kind == "unit" else 18
            colour = SELECTION_RGB if armed or sel.kind != "unit" else RELEASED_RGB
            pygame.draw.circle(surface, colour, pos, radius, 2 if colour == SELECTION_RGB else 1)

    def position_of(self, snap: Snapshot, sel: Select) -> tuple[int, int] | None:
        if sel.kind == "unit":
            return self.unit_screen_positions(snap).get(sel.id)
        things = {"incident": snap.incidents, "facility": snap.facilities, "zone": snap.zones}
        for thing in things.get(sel.kind, ()):
            if thing.id == sel.id:
                return self.camera.to_screen(thing.x, thing.y)
        return None

    # -- picking ---------------------------------------------------------------
    def pick(self, pos: tuple[int, int], snap: Snapshot) -> Select | None:
        """The nearest thing under screen point ``pos``, or None."""
        points, area = self.pick_all(pos, snap)
        return points[0] if points else area

    def pick_all(self, pos: tuple[int, int], snap: Snapshot) -> tuple[list[Select], Select | None]:
        """Everything under ``pos``: the marks there (units, open incidents, facilities; by
        kind, nearest first) and the road or zone beneath them."""
        if not self.rect.collidepoint(pos):
            return [], None
        found: list[tuple[int, float, Select]] = []
        for ident, (x, y) in self.unit_screen_positions(snap).items():
            if (d := math.hypot(x - pos[0], y - pos[1])) <= UNIT_HIT_PX:
                found.append((0, d, Select("unit", ident)))
        marks = [("incident", i) for i in snap.incidents if i.is_open]
        marks += [("facility", f) for f in snap.facilities]
        for rank, (kind, thing) in enumerate(marks):
            x, y = self.camera.to_screen(thing.x, thing.y)
            if (d := math.hypot(x - pos[0], y - pos[1])) <= PICK_RADIUS_PX:
                order = 1 if kind == "incident" else 2
                found.append((order, d + rank * 1e-6, Select(kind, thing.id)))
        found.sort(key=lambda f: (f[0], f[1]))
        area = self._pick_road(pos, snap) or self._pick_zone(pos, snap)
        return [select for _, _, select in found], area

    def _pick_road(self, pos: tuple[int, int], snap: Snapshot) -> Select | None:
        if not len(self.edges):
            return None
        points = self.camera.to_screen_array(snap.map.node_xy)
        a, b = points[self.edges[:, 0]], points[self.edges[:, 1]]
        ab, ap = b - a, np.array(pos, dtype=float) - a
        along = np.clip((ap * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-9), 0.0, 1.0)
        distance = np.hypot(*(ap - ab * along[:, None]).T)
        distance[self.access] = np.inf  # access links are no road a commander can close
        nearest = int(np.argmin(distance))
        return Select("road", self.edge_roads[nearest]) if distance[nearest] <= 6 else None

    def _pick_zone(self, pos: tuple[int, int], snap: Snapshot) -> Select | None:
        x, y = self.camera.to_world(pos)
        grid = snap.map
        row, col = int(y // grid.cell_m), int(x // grid.cell_m)
        if 0 <= row < grid.zone_index.shape[0] and 0 <= col < grid.zone_index.shape[1]:
            index = int(grid.zone_index[row, col])
            if index >= 0:
                return Select("zone", snap.zones[index].id)
        return None
