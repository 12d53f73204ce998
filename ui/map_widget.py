"""The drill map: a situation map (态势图) of the drill, and picking.

Everything is drawn from a snapshot inside the widget's rectangle; nothing
here changes the drill. Layers, bottom up: the terrain base with relief
shading and contour lines (ui.map_layers), zones tinted by their people's
state, hazards in standard bands, roads, routes, then the marks (facility,
incident and unit symbols, ui.map_symbols) laid out so none hides another
(ui.map_layout), then labels placed without collision, then the furniture:
wind and north arrow, legend, scale bar and, once the view no longer shows
the whole map, a minimap (ui.map_legend, ui.minimap). The selection is
highlighted whatever it is.

Picking answers what is under the pointer: every mark drawn there (a stack's
"+N" chip stands for the units it hides), and every incident or facility
whose true point is there even if its mark was moved aside (the drill scene
offers a chooser when several share a point), then the road or zone beneath.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pygame

from sim import LoadedScenario, Snapshot, aegl_ppm
from ui import theme
from ui.camera import Camera
from ui.colours import (
    CLOSED_ROAD_RGB,
    ROAD_RGB,
    ROAD_WIDTH_PX,
    SELECTION_RGB,
    STATUS_RGB,
    WARNING_RGB,
)
from ui.i18n import Translator
from ui.input import Select
from ui.map_layers import BACKGROUND_RGB, MapLayers
from ui.map_layout import FACILITY_LABEL_ORDER, Layout, Mark, Occupied, lay_out_marks, place_label
from ui.map_legend import (
    LEGEND_MODES,
    MARGIN_PX,
    LegendEntry,
    WindChange,
    legend_panel,
    scale_bar,
    wind_panel,
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
ZONE_FONT_PX, FACILITY_FONT_PX = 13, 11
AEGL_EXPOSURE_MIN = 60.0  # the engine harms people above the 60-min AEGLs (sim.hazards.gas_runtime)
TILE_BUDGET_S = 0.006
CHIP_CORNER_PX = (120, 36)  # the drill scene's hint chip sits in the map's top-left corner
SIZES = {"facility": (FACILITY_PX, FACILITY_PX), "incident": (INCIDENT_PX, INCIDENT_PX)}


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


class MapWidget:
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

    def _panels(self, snap: Snapshot) -> dict[str, pygame.Surface]:
        """The furniture's images, and their rectangles in ``self.panels``."""
        change, entries, lang = self.wind_change(snap), self.legend_entries(), self.t.language
        w = snap.weather
        minute = round(snap.t_min)
        images = {
            "wind": self._cached(("wind", lang, w.wind_speed_m_per_s, w.wind_from_deg, change,
                                  minute), lambda: wind_panel(snap, change, self.t)),
            "scale": self._cached(("scale", lang, self.camera.scale),
                                  lambda: scale_bar(self.camera.scale, self.t)),
            "legend": self._cached(("legend", lang, tuple(entries), self.legend_mode),
                                   lambda: legend_panel(entries, self.t, self.legend_mode,
                                                        self.symbol_key(snap), self.interactive)),
        }  # fmt: skip
        right, bottom = self.rect.right - MARGIN_PX, self.rect.bottom - MARGIN_PX
        self.minimap_shown = not self.whole_map_in_view()  # nothing to find when all is seen
        above = self.minimap.rect.top - 6 if self.minimap_shown else bottom
        rects = {"wind": images["wind"].get_rect(bottomright=(right, above))}
        rects["scale"] = images["scale"].get_rect(bottomleft=(self.rect.x + MARGIN_PX, bottom))
        rects["legend"] = images["legend"].get_rect(
            bottomleft=(self.rect.x + MARGIN_PX, rects["scale"].top - 4)
        )
        if self.minimap_shown:
            rects["minimap"] = self.minimap.rect.inflate(4, 4)
            images["minimap"] = pygame.Surface((0, 0))
        self.panels = rects
        return images

    def _place_legend(self, snap: Snapshot) -> None:
        """The legend goes where it hides least: bottom-left, or right above the wind panel
        (the top of the map is the scene's, for its alerts); the hazard ground under it
        weighs most, then the places of facilities, incidents and zone names (units and
        labels then keep clear of it). It moves only when the other place is clearly
        better."""
        legend = self.panels["legend"]
        places = {}
        for side, (anchor, point) in {
            "low": ("bottomleft", (self.rect.x + MARGIN_PX, self.panels["scale"].top - 4)),
            "right": ("bottomright", (self.rect.right - MARGIN_PX, self.panels["wind"].top - 4)),
        }.items():
            box = legend.copy()
            setattr(box, anchor, point)
            if self.rect.contains(box) and box.collidelist([self.panels["wind"]]) < 0:
                places[side] = box
        key = (id(snap), self.camera.key(), legend.size, self._hazard_stamp())
        if key != self._legend_key:
            self._legend_key = key
            cost = {side: self._hidden_under(box, snap) for side, box in places.items()}
            best = min(cost, key=lambda side: (cost[side], side != "low"))
            if self._legend_side not in cost or cost[best] + 2 < cost[self._legend_side]:
                self._legend_side = best
        self.panels["legend"] = places.get(self._legend_side, next(iter(places.values()), legend))

    def _hidden_under(self, box: pygame.Rect, snap: Snapshot) -> float:
        fixed = [*snap.facilities, *(i for i in snap.incidents if i.is_open), *snap.zones]
        points = sum(box.collidepoint(self.camera.to_screen(p.x, p.y)) for p in fixed)
        return 4.0 * points + 40.0 * self._hazard_share(box)

    def _hazard_stamp(self) -> tuple:
        return tuple(
            sorted((n, self.layers._stamps.get(n, (None, 0))[0]) for n in self.layers.overlays)
        )

    def _hazard_share(self, box: pygame.Rect) -> float:
        """The share of ``box`` over ground a shown hazard covers."""
        cells = [
            layer.cells[..., 3] > 0
            for name, layer in self.layers.overlays.items()
            if layer.cells is not None and self.overlay_shown.get(name, True)
        ]
        if not cells:
            return 0.0
        covered = np.logical_or.reduce(cells)
        cell = self.layers.map.cell_m
        (x0, y0), (x1, y1) = (
            self.camera.to_world(box.topleft),
            self.camera.to_world(box.bottomright),
        )
        rows, cols = covered.shape
        r0, r1 = max(0, int(y0 // cell)), min(rows, int(y1 // cell) + 1)
        c0, c1 = max(0, int(x0 // cell)), min(cols, int(x1 // cell) + 1)
        if r1 <= r0 or c1 <= c0:
            return 0.0
        return float(covered[r0:r1, c0:c1].mean())

    def _cached(self, key: tuple, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """A panel's image, drawn again only when what it says changes."""
        kind = key[0]
        held = self._panel_images.get(kind)
        if held is None or held[0] != key:
            held = self._panel_images[kind] = (key, make())
        return held[1]

    def wind_change(self, snap: Snapshot) -> WindChange | None:
        """The next change of wind the scenario's forecast announces, if any."""
        now = (snap.weather.wind_speed_m_per_s, snap.weather.wind_from_deg)
        for at_min, speed, from_deg in self.weather_plan:
            if at_min > snap.t_min and (speed, from_deg) != now:
                return WindChange(at_min, speed, from_deg)
        return None

    def legend_entries(self) -> list[LegendEntry]:
        entries: dict[str, LegendEntry] = {}
        for name in sorted(self.layers.overlays, key=self.layers._order, reverse=True):
            layer = self.layers.overlays[name]
            if not self.overlay_shown.get(name, True) or not any(layer.present):
                continue
            style = layer.style
            substance = self.t(f"map.substance.{self.substance}") if self.substance else ""
            title = self.t(f"map.{style.title}", substance=substance)
            if title in entries:  # burning, burnt and smoke share the fire's heading
                old = entries[title].style
                style = type(style)(old.kind, old.bands + style.bands, title=old.title)
            entries[title] = LegendEntry(style, title)
        return list(entries.values())

    def symbol_key(self, snap: Snapshot) -> list[tuple[str, pygame.Surface]]:
        """(name, symbol) of each kind of unit and facility on this map, for the legend."""
        status = STATUS_RGB["available"]
        units = sorted({u.type for u in snap.units})
        facilities = sorted({f.type for f in snap.facilities})
        key = [(self.t.enum("unit_type", k), unit_symbol(k, status)) for k in units]
        key += [(self.t.enum("facility_type", k), facility_symbol(k)) for k in facilities]
        return key

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

    def whole_map_in_view(self) -> bool:
        """Whether the view shows the whole map (then the minimap is not drawn)."""
        left, top = self.camera.to_screen(0.0, 0.0)
        right, bottom = self.camera.to_screen(self.camera.width_m, self.camera.height_m)
        return self.rect.inflate(2, 2).contains(pygame.Rect(left, top, right - left, bottom - top))

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
