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
from ui.colours import STATUS_RGB
from ui.map_legend import MARGIN_PX, LegendEntry, WindChange, legend_panel, scale_bar, wind_panel
from ui.map_symbols import facility_symbol, unit_symbol


class Furniture:
    """Mixin: the wind panel, scale bar, legend and minimap of a map widget."""

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

    def whole_map_in_view(self) -> bool:
        """Whether the view shows the whole map (then the minimap is not drawn)."""
        left, top = self.camera.to_screen(0.0, 0.0)
        right, bottom = self.camera.to_screen(self.camera.width_m, self.camera.height_m)
        return self.rect.inflate(2, 2).contains(pygame.Rect(left, top, right - left, bottom - top))
