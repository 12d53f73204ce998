"""The map's furniture: where the wind panel, scale bar, legend and minimap go, and what
the legend and wind panel say.

A mixin of :class:`ui.map_widget.MapWidget` (it reads the widget's camera, layers,
scenario facts and language): the panels' images are cached while what they say is
the same, their rectangles (``panels``) are known before the marks and labels are
placed, so those keep clear of them. The legend goes to whichever corner hides less.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pygame

from sim import Snapshot
from ui.colours import STATUS_RGB, field_style
from ui.map_legend import MARGIN_PX, LegendEntry, WindChange, legend_panel, scale_bar, wind_panel
from ui.map_symbols import facility_symbol, unit_symbol

WIND_DIAL_PX = 44  # the map's wind dial: small, so the furniture's bottom row stays low
ROW_GAP_PX = 4  # between the furniture's bottom row and the map above it
CONTENT_PAD_PX = 10  # room kept between what is on the map and the furniture (a mark's half)
LEGEND_CLEAR_COST = 0.05  # the share of its scale the map gives up to clear the legend
# The opening view is never smaller than this share of the fit: beyond it, names start to
# drop for want of room (the marks keep clear of the furniture anyway).
HOME_ZOOM_MIN = 0.88


class Furniture:
    """Mixin: the wind panel, scale bar, legend and minimap of a map widget."""

    def _panels(self, snap: Snapshot) -> dict[str, pygame.Surface]:
        """The furniture's images, and their rectangles in ``self.panels``."""
        change, entries, lang = self.wind_change(snap), self.legend_entries(), self.t.language
        w = snap.weather
        minute = round(snap.t_min)
        images = {
            "wind": self._cached(("wind", lang, w.wind_speed_m_per_s, w.wind_from_deg, change,
                                  minute), lambda: wind_panel(snap, change, self.t, WIND_DIAL_PX)),
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

    def home_view(self, snap: Snapshot) -> None:
        """Set the camera to the view a map opens on: the whole map in view, and what is on
        it (roads, zones, facilities, incidents) above the furniture's bottom row (scale
        bar, hint chip, wind panel), so nothing at the map's south edge is under them.
        The legend (as large as it can grow) then stands beside that at the left, or it
        all sits above the legend, when that costs the map at most LEGEND_CLEAR_COST of
        its scale; otherwise the map moves right by what room it has, and the legend
        covers as little as that allows. The map is made no smaller than HOME_ZOOM_MIN of
        the fit for any of this."""
        wind = wind_panel(snap, self.wind_change(snap), self.t, WIND_DIAL_PX)
        scale_h = scale_bar(self.camera.fit, self.t).get_height()
        bottom = self.rect.bottom - MARGIN_PX - max(wind.get_height(), scale_h) - ROW_GAP_PX
        legend_w, legend_h = self._widest_legend(snap)
        column = legend_w + 2 * MARGIN_PX
        over_legend = self.rect.bottom - MARGIN_PX - scale_h - 4 - legend_h - ROW_GAP_PX
        room = pygame.Rect(self.rect.x, self.rect.y, self.rect.w, bottom - self.rect.y)
        boxes = {
            "beside": pygame.Rect(room.x + column, room.y, room.w - column, room.h),
            "above": pygame.Rect(room.x, room.y, room.w, min(room.h, over_legend - room.y)),
        }
        content = _content_box(snap)
        fits = {n: self._fit(box, content) for n, box in boxes.items() if box.w > 0 < box.h}
        best = max(fits, key=lambda name: fits[name], default=None)
        row = max(self._fit(room, content), self.camera.fit * HOME_ZOOM_MIN)
        if best is not None and fits[best] >= row * (1 - LEGEND_CLEAR_COST):
            self._show(boxes[best], content, fits[best], 0.0)
        else:
            self._show(room, content, row, column)

    def _fit(self, box: pygame.Rect, content: tuple[float, float, float, float]) -> float:
        """The largest scale (px/m, no closer than the fit) at which the whole map is in
        view with ``content`` (a world box) inside ``box``."""
        low, high = self.camera.fit * 0.3, self.camera.fit
        if self._spans(box, content, high) is not None:
            return high
        for _ in range(24):  # bisection: a smaller scale always fits where a larger one does
            middle = (low + high) / 2
            low, high = (middle, high) if self._spans(box, content, middle) else (low, middle)
        return low

    def _spans(
        self, box: pygame.Rect, content: tuple[float, float, float, float], scale: float
    ) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """Per axis, the range of the map's left (top) edge on screen that keeps the whole
        map in the widget and ``content`` in ``box`` at ``scale``; None if there is none."""
        spans = []
        axes = (
            (self.rect.x, self.rect.right, box.x, box.right, self.camera.width_m),
            (self.rect.y, self.rect.bottom, box.y, box.bottom, self.camera.height_m),
        )
        for axis, (start, end, lo, hi, size_m) in enumerate(axes):
            first = max(start, lo - content[axis] * scale + CONTENT_PAD_PX)
            last = min(end - size_m * scale, hi - content[axis + 2] * scale - CONTENT_PAD_PX)
            if first > last + 0.5:
                return None
            spans.append((first, max(first, last)))
        return spans[0], spans[1]

    def _show(
        self,
        box: pygame.Rect,
        content: tuple[float, float, float, float],
        scale: float,
        column: float,
    ) -> None:
        """The view at ``scale``: the whole map centred in ``box`` (moved right by up to
        ``column`` px), as near that as keeps the map in view and ``content`` in ``box``."""
        camera = self.camera
        spans = self._spans(box, content, scale)
        if spans is None:  # the content cannot clear the furniture at this scale: as high
            free = (self.rect.right - camera.width_m * scale, self.rect.y)  # as the map goes
            spans = ((self.rect.x, max(self.rect.x, free[0])), (free[1], free[1]))
        slack = box.w - camera.width_m * scale
        want_x = box.x + min(max(slack, 0.0), column) + max(0.0, slack - column) / 2
        want_y = box.y + (box.h - camera.height_m * scale) / 2
        left = min(max(want_x, spans[0][0]), spans[0][1])
        top = min(max(want_y, spans[1][0]), spans[1][1])
        camera.scale = scale
        camera.origin = np.array([(self.rect.x - left) / scale, (self.rect.y - top) / scale])

    def _widest_legend(self, snap: Snapshot) -> tuple[int, int]:
        """The legend's size with every band of every hazard field of ``snap`` in it (as it
        may grow to once the hazards spread)."""
        entries: dict[str, LegendEntry] = {}
        for name in sorted(n for n in snap.fields if np.ndim(snap.fields[n]) == 2):
            style = field_style(name, self.layers.aegl_ppm)
            substance = self.t(f"map.substance.{self.substance}") if self.substance else ""
            title = self.t(f"map.{style.title}", substance=substance)
            title = self.names.hazards.layer_title(name, title)  # one entry per fire of several
            if title in entries:  # as in legend_entries: burning, burnt and smoke share one
                old = entries[title].style
                style = type(style)(old.kind, old.bands + style.bands, title=old.title)
            entries[title] = LegendEntry(style, title)
        mode = self.legend_mode
        return legend_panel(list(entries.values()), self.t, mode, (), self.interactive).get_size()

    def _place_legend(self, snap: Snapshot) -> None:
        """The legend goes where it hides least: bottom-left, or right above the wind panel
        (the top of the map is the scene's, for its alerts); the hazard ground under it
        weighs most, then the places of facilities, incidents and zone names, then the
        roads' bends and junctions (units and labels then keep clear of it). It moves only
        when the other place is clearly better."""
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
        nodes = self.camera.to_screen_array(np.asarray(snap.map.node_xy).reshape(-1, 2))
        inside = (nodes[:, 0] >= box.left) & (nodes[:, 0] < box.right)
        inside &= (nodes[:, 1] >= box.top) & (nodes[:, 1] < box.bottom)
        roads = float(inside.sum())  # a road's bends and junctions: a point each
        return 4.0 * points + roads + 40.0 * self._hazard_share(box)

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
            title = self.names.hazards.layer_title(name, title)  # one entry per fire of several
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

    def whole_map_in_view(self) -> bool:
        """Whether the view shows the whole map (then the minimap is not drawn)."""
        left, top = self.camera.to_screen(0.0, 0.0)
        right, bottom = self.camera.to_screen(self.camera.width_m, self.camera.height_m)
        return self.rect.inflate(2, 2).contains(pygame.Rect(left, top, right - left, bottom - top))


def _content_box(snap: Snapshot) -> tuple[float, float, float, float]:
    """The world box (x0, y0, x1, y1 in metres) of what is on the map: roads, zones,
    facilities and incidents (the whole map if there is nothing)."""
    grid = snap.map
    rows, cols = np.nonzero(np.asarray(grid.zone_index) >= 0)
    nodes = np.asarray(grid.node_xy, dtype=float).reshape(-1, 2)
    xs = [*nodes[:, 0].tolist(), *(p.x for p in snap.facilities), *(i.x for i in snap.incidents)]
    ys = [*nodes[:, 1].tolist(), *(p.y for p in snap.facilities), *(i.y for i in snap.incidents)]
    if rows.size:
        xs += [cols.min() * grid.cell_m, (cols.max() + 1) * grid.cell_m]
        ys += [rows.min() * grid.cell_m, (rows.max() + 1) * grid.cell_m]
    if not xs:
        height, width = np.shape(grid.zone_index)
        return 0.0, 0.0, width * grid.cell_m, height * grid.cell_m
    return min(xs), min(ys), max(xs), max(ys)
