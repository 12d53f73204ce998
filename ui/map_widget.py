"""The drill map: a situation map (态势图) of the drill, and picking.

Everything is drawn from a snapshot inside the widget's rectangle; nothing
here changes the drill. Layers, bottom up: the terrain base with relief
shading and contour lines (ui.map_layers), zones tinted by their people's
state, hazards in standard bands, roads, routes, labels placed without
collision (ui.map_labels), the furniture: wind and north arrow, legend,
scale bar and, once the view no longer shows the whole map, a minimap
(ui.map_furniture, ui.map_legend, ui.minimap), then on top the marks
(facility, incident and unit symbols, ui.map_symbols) laid out so none hides
another (ui.map_layout). The selection is highlighted whatever it is.

Picking answers what is under the pointer: every mark drawn there (a stack's
"+N" chip stands for the units it hides), and every incident or facility
whose true point is there even if its mark was moved aside (the drill scene
offers a chooser when several share a point), then the road or zone beneath.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from sim import LoadedScenario, Snapshot, aegl_ppm
from ui.camera import Camera
from ui.colours import (
    CLOSED_ROAD_RGB,
    ROAD_RGB,
    ROAD_WIDTH_PX,
    SELECTION_RGB,
    STATUS_RGB,
)
from ui.i18n import Translator
from ui.input import Select
from ui.map_furniture import Furniture
from ui.map_labels import Labels
from ui.map_layers import BACKGROUND_RGB, MapLayers
from ui.map_layout import Layout, Mark, lay_out_marks
from ui.map_legend import (
    LEGEND_MODES,
)
from ui.map_raster import edge_runs
from ui.map_symbols import (
    FACILITY_PX,
    INCIDENT_PX,
    count_chip,
    facility_symbol,
    incident_symbol,
    unit_symbol,
)
from ui.minimap import Minimap
from ui.names import Names

PICK_RADIUS_PX = 14
RELEASED_RGB = (170, 180, 195)
AEGL_EXPOSURE_MIN = 60.0  # the engine harms people above the 60-min AEGLs (sim.hazards.gas_runtime)
TILE_BUDGET_S = 0.006
SIZES = {"facility": (FACILITY_PX, FACILITY_PX), "incident": (INCIDENT_PX, INCIDENT_PX)}


class MapWidget(Furniture, Labels):
    """Draws a drill's map into ``rect`` and answers what is under the pointer."""

    def __init__(
        self,
        rect: pygame.Rect,
        snapshot: Snapshot,
        t: Translator,
        names: Names,
        loaded: LoadedScenario | None = None,
        interactive: bool = True,
    ) -> None:
        """``loaded``: the scenario, for its gas's AEGLs and its wind forecast;
        ``interactive``: whether the scene passes its clicks to :meth:`handle_event` (the
        legend then says a click shows more of it)."""
        self.rect = pygame.Rect(rect)
        self.interactive = interactive
        self.t, self.names = t, names
        grid = snapshot.map
        height, width = grid.elevation_m.shape
        self.camera = Camera(self.rect, width * grid.cell_m, height * grid.cell_m)
        self.substance, self.weather_plan = _scenario_facts(loaded)
        aegl = None
        if self.substance:
            aegl = tuple(aegl_ppm(self.substance, k, AEGL_EXPOSURE_MIN) for k in (1, 2, 3))
        self.layers = MapLayers(grid, aegl)  # type: ignore[arg-type]
        self.overlay_shown: dict[str, bool] = {}
        self.edges = np.array([(a, b) for a, b, _, _ in grid.edges], dtype=np.int64).reshape(-1, 2)
        self.edge_roads = [road for _, _, road, _ in grid.edges]
        self.edge_classes = [cls for _, _, _, cls in grid.edges]
        self.access = np.array([cls == "access" for cls in self.edge_classes], dtype=bool)
        self.pulse = 0.0
        self.defer_heavy = False
        self.minimap = Minimap(self.rect, None, self.camera.width_m, self.camera.height_m)
        self.minimap.set_base(self.layers.terrain.thumbnail(self.minimap.rect.size))
        # The hazard bands first; a click adds zone colours, then unit status and symbols.
        self.legend_mode = "folded" if interactive else "brief"
        self.layout = Layout()
        self.labels: list[tuple[str, pygame.Rect]] = []  # what the last frame labelled, where
        self.panels: dict[str, pygame.Rect] = {}
        self._layout_key: object = None
        self._zone_edges: dict[int, np.ndarray] = {}
        self._minimap_drag = False
        self.minimap_shown = False
        self._panel_images: dict[str, tuple[tuple, pygame.Surface]] = {}
        self._legend_side = "low"
        self._legend_key: object = None
        self._drawn = False
        self._zone_boxes: dict[int, tuple[float, float, float, float]] = {}
        self.home_view(snapshot)  # the whole map, clear of the furniture (ui.map_furniture)

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
        if not self.defer_heavy:  # redrawing hazards can wait a frame when the engine was slow
            self.layers.update_zones(snap.zones)
            self.layers.update_overlays(snap.fields, snap.t_min)
        for name in snap.fields:
            self.overlay_shown.setdefault(name, True)
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        surface.fill(BACKGROUND_RGB, self.rect)
        # After the first frame, a zoom's new terrain tiles take at most TILE_BUDGET_S a frame.
        budget = TILE_BUDGET_S if self._drawn else None
        self.layers.draw(surface, self.camera, self.overlay_shown, budget)
        self._drawn = True
        if selected is not None and selected.kind == "zone":
            self._draw_zone_outline(surface, snap, selected.id)
        self._draw_roads(surface, snap, selected)
        self._draw_routes(surface, snap, selected)
        panels = self._panels(snap)
        self._place_legend(snap)
        self.layout = self.lay_out(snap)
        self._draw_labels(surface, snap, list(panels.values()))
        self._draw_leaders(surface)
        for name, image in panels.items():
            if name != "minimap":
                surface.blit(image, self.panels[name])
        self._draw_minimap(surface, snap)
        self._draw_marks(surface, snap, selected, dimmed, armed)  # over the furniture, if need be
        surface.set_clip(clip)

    def lay_out(self, snap: Snapshot) -> Layout:
        """Where every mark of ``snap`` goes at the current view (cached per snapshot)."""
        names = ("minimap", "wind", "scale", "legend")
        fixed = [self.panels[name] for name in names if name in self.panels]
        key = (id(snap), snap.t_min, self.camera.key(), tuple(fixed))
        if key != self._layout_key:
            blocked = fixed
            self.layout = lay_out_marks(snap, self.camera.to_screen, self.rect, blocked, SIZES)
            self._layout_key = key
        return self.layout

    def _draw_zone_outline(self, surface: pygame.Surface, snap: Snapshot, zone_id: str) -> None:
        index = next((i for i, z in enumerate(snap.zones) if z.id == zone_id), None)
        if index is None:
            return
        if index not in self._zone_edges:
            inside = np.asarray(snap.map.zone_index) == index
            self._zone_edges[index] = edge_runs(inside, snap.map.cell_m)
        points = self.camera.to_screen_array(self._zone_edges[index].reshape(-1, 2)).reshape(-1, 4)
        for x0, y0, x1, y1 in points.tolist():
            pygame.draw.line(surface, (10, 12, 16), (x0, y0), (x1, y1), 6)
        for x0, y0, x1, y1 in points.tolist():
            pygame.draw.line(surface, (120, 220, 255), (x0, y0), (x1, y1), 3)

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
                pygame.draw.line(surface, (80, 200, 255), start, end, width + 2)
            if is_closed and road not in crossed:
                crossed.add(road)
                self._draw_cross(surface, (start + end) / 2)

    @staticmethod
    def _draw_cross(surface: pygame.Surface, centre: np.ndarray) -> None:
        x, y = int(centre[0]), int(centre[1])
        pygame.draw.circle(surface, (255, 255, 255), (x, y), 7)
        pygame.draw.line(surface, CLOSED_ROAD_RGB, (x - 4, y - 4), (x + 4, y + 4), 3)
        pygame.draw.line(surface, CLOSED_ROAD_RGB, (x - 4, y + 4), (x + 4, y - 4), 3)

    def _draw_routes(
        self, surface: pygame.Surface, snap: Snapshot, selected: Select | None
    ) -> None:
        for unit in snap.units:
            if not unit.route_xy or unit.status not in ("en_route", "transporting", "returning"):
                continue
            points = [self.camera.to_screen(unit.x, unit.y)]
            points += [self.camera.to_screen(x, y) for x, y in unit.route_xy]
            if len(points) > 1:
                chosen = selected is not None and selected.kind == "unit" and selected.id == unit.id
                colour = STATUS_RGB.get(unit.status, (255, 255, 255))
                if chosen:
                    pygame.draw.lines(surface, (10, 12, 16), False, points, 5)
                pygame.draw.lines(surface, colour, False, points, 3 if chosen else 1)

    def _draw_leaders(self, surface: pygame.Surface) -> None:
        """Lines from a moved mark back to its true point (under the furniture)."""
        for start, end in self.layout.leaders:
            pygame.draw.line(surface, (15, 15, 20), start, end, 3)
            pygame.draw.line(surface, (245, 245, 245), start, end, 1)
            pygame.draw.circle(surface, (15, 15, 20), start, 3)
            pygame.draw.circle(surface, (245, 245, 245), start, 2)

    def _draw_marks(
        self,
        surface: pygame.Surface,
        snap: Snapshot,
        selected: Select | None,
        dimmed: frozenset[str],
        armed: bool,
    ) -> None:
        glow = 3 + 2 * math.sin(self.pulse * 5)
        for mark in self.layout.marks:
            if mark.kind == "incident" and mark.ids[0] not in dimmed:
                pygame.draw.circle(surface, (255, 90, 60), mark.rect.center, 13 + glow, 2)
            surface.blit(self._symbol(mark, dimmed), mark.rect)
        for mark in self.layout.marks:
            if selected is not None and _selects(mark, selected):
                self._draw_selected(surface, mark, selected, armed)

    def _symbol(self, mark: Mark, dimmed: frozenset[str]) -> pygame.Surface:
        thing = mark.thing
        if mark.kind == "facility":
            return facility_symbol(thing.type, thing.is_open)  # type: ignore[union-attr]
        if mark.kind == "incident":
            return incident_symbol(thing.kind, mark.ids[0] in dimmed)  # type: ignore[union-attr]
        if mark.kind == "unit":
            status = STATUS_RGB.get(thing.status, (255, 255, 255))  # type: ignore[union-attr]
            return unit_symbol(thing.type, status)  # type: ignore[union-attr]
        return count_chip(mark.count)

    @staticmethod
    def _draw_selected(surface: pygame.Surface, mark: Mark, selected: Select, armed: bool) -> None:
        colour = SELECTION_RGB if armed or selected.kind != "unit" else RELEASED_RGB
        box = mark.rect.inflate(8, 8)
        pygame.draw.rect(surface, (10, 12, 16), box.inflate(2, 2), 2, border_radius=5)
        pygame.draw.rect(surface, colour, box, 2 if colour == SELECTION_RGB else 1, border_radius=5)

    def _draw_minimap(self, surface: pygame.Surface, snap: Snapshot) -> None:
        if not self.minimap_shown:
            return
        shown = [
            layer
            for name, layer in sorted(self.layers.overlays.items())
            if self.overlay_shown.get(name, True) and layer.cells is not None
        ]
        key = tuple((layer.name, self.layers._stamps.get(layer.name)) for layer in shown)
        self.minimap.set_hazards(key, [layer.cells for layer in shown])
        self.minimap.draw(surface, self.camera, snap.incidents)

    # -- the widget's own input ---------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """A click or drag on the minimap moves the view; a click on the legend shows more
        or less of it. True when the event was the map furniture's (the scene ignores it)."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if any(m.rect.inflate(2, 2).collidepoint(event.pos) for m in self.layout.marks):
                return False  # a mark drawn over the furniture is the map's, not the panel's
            if self.minimap_shown and self.minimap.rect.collidepoint(event.pos):
                self.camera.centre_on(*self.minimap.to_world(event.pos))
                self._minimap_drag = True
                return True
            legend = self.panels.get("legend")
            if legend is not None and legend.collidepoint(event.pos):
                self.legend_mode = LEGEND_MODES[(LEGEND_MODES.index(self.legend_mode) + 1) % 3]
                return True
        elif event.type == pygame.MOUSEMOTION and self._minimap_drag:
            pos = (
                min(max(event.pos[0], self.minimap.rect.left), self.minimap.rect.right - 1),
                min(max(event.pos[1], self.minimap.rect.top), self.minimap.rect.bottom - 1),
            )
            self.camera.centre_on(*self.minimap.to_world(pos))
            return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._minimap_drag:
            self._minimap_drag = False
            return True
        return False

    def tip_avoid(self) -> list[pygame.Rect]:
        """What a tip by the pointer should not cover: the names and marks last drawn."""
        return [box for _, box in self.labels] + [mark.rect for mark in self.layout.marks]

    def over_furniture(self, pos: tuple[int, int]) -> bool:
        """Whether ``pos`` is on the legend, wind panel, scale bar or minimap (not the map)."""
        return any(rect.collidepoint(pos) for rect in self.panels.values())

    # -- where things are ----------------------------------------------------------
    def unit_screen_positions(self, snap: Snapshot) -> dict[str, tuple[int, int]]:
        """Where each unit's icon is drawn (a unit a stack hides: its "+N" chip)."""
        return dict(self.lay_out(snap).unit_pos)

    def position_of(self, snap: Snapshot, sel: Select) -> tuple[int, int] | None:
        if sel.kind == "unit":
            return self.unit_screen_positions(snap).get(sel.id)
        for mark in self.lay_out(snap).marks:
            if mark.kind == sel.kind and mark.ids == (sel.id,):
                return mark.rect.center
        if sel.kind == "zone":
            zone = next((z for z in snap.zones if z.id == sel.id), None)
            return self.camera.to_screen(zone.x, zone.y) if zone else None
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
        found: dict[tuple[str, str], tuple[int, float]] = {}
        order = {"unit": 0, "more": 0, "incident": 1, "facility": 2}
        for mark in self.lay_out(snap).marks:
            kind = "unit" if mark.kind == "more" else mark.kind
            hit = mark.rect.inflate(2, 2).collidepoint(pos)
            near = kind != "unit" and math.dist(mark.anchor, pos) <= PICK_RADIUS_PX
            if not (hit or near):
                continue
            d = math.dist(mark.rect.center, pos) if hit else math.dist(mark.anchor, pos)
            for ident in mark.ids:
                best = found.get((kind, ident))
                if best is None or d < best[1]:
                    found[(kind, ident)] = (order[mark.kind], d)
        ranked = sorted(found.items(), key=lambda item: (item[1][0], item[1][1], item[0][1]))
        if self.over_furniture(pos):  # marks are drawn over it; the ground is not
            return [Select(kind, ident) for (kind, ident), _ in ranked], None
        area = self._pick_road(pos, snap) or self._pick_zone(pos, snap)
        return [Select(kind, ident) for (kind, ident), _ in ranked], area

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


def _selects(mark: Mark, selected: Select) -> bool:
    kind = "unit" if mark.kind == "more" else mark.kind
    return kind == selected.kind and selected.id in mark.ids and mark.kind != "more"


def _scenario_facts(
    loaded: LoadedScenario | None,
) -> tuple[str | None, tuple[tuple[float, float, float], ...]]:
    """The gas's substance (if any) and the forecast winds (minute, speed, from) of a
    scenario; without one, neither."""
    if loaded is None:
        return None, ()
    scenario = loaded.scenario
    substance = next(
        (str(h.substance.value) for h in scenario.hazards if getattr(h, "kind", "") == "gas"),
        None,
    )
    plan = tuple((p.at_min, p.wind_speed_m_per_s, p.wind_from_deg) for p in scenario.weather)
    return substance, plan
