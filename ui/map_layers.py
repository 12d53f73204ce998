"""Raster layers of the map: the terrain base, zone tints, and the hazard overlays.

The base (land use, relief shading, contour lines, zone borders) never
changes during a drill: it is drawn per zoom into tiles (ui.map_raster), at
the screen's own resolution, so it is sharp at every zoom and costs one blit
per tile a frame. Zone tints (the colour of a zone's people by state) are
cell blocks scaled without smoothing. Each hazard field is banded in its
standard colours (ui.colours.field_style), resampled bilinearly at the
screen's resolution for the view in sight, and its band edges are drawn on
top as vector lines, so a cloud or a flood reads as crisp bands at any zoom.
Nothing is built with per-cell Python loops.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np
import pygame

from sim import LandUse, MapView, ZoneView
from ui.camera import Camera
from ui.colours import LAND_USE_RGB, FieldStyle, band_rgba, field_scale, field_style, zone_colour
from ui.map_raster import (
    TileCache,
    bilinear,
    contour_segments,
    draw_segments,
    edge_runs,
    hillshade,
    nice_step,
    sample_axes,
)

ZONE_TINT_ALPHA = 70
OVERLAY_REFRESH_S = 0.25
FILL_STEP_PX = 2  # hazard bands are resampled at every 2nd screen pixel (edges: every one)
BACKGROUND_RGB = (30, 36, 44)
CONTOUR_RGB = (112, 92, 62)
INDEX_CONTOUR_RGB = (92, 70, 42)
ZONE_BORDER_RGB = (52, 52, 64)
FLAT_RELIEF_M = 3.0  # no contour lines on a plain flatter than this (they would trace noise)
CONTOUR_LINES = 12  # about this many contour intervals across the relief


def rgb_surface(rgb: np.ndarray) -> pygame.Surface:
    return pygame.surfarray.make_surface(np.ascontiguousarray(rgb.swapaxes(0, 1)).astype(np.uint8))


def rgba_surface(rgba: np.ndarray) -> pygame.Surface:
    height, width = rgba.shape[:2]
    return pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (width, height), "RGBA")


def smoothed(grid: np.ndarray, passes: int = 2) -> np.ndarray:
    """A 3×3 box blur ``passes`` times (edges repeated): relief without the roughness noise."""
    out = grid.astype(np.float32)
    for _ in range(passes):
        padded = np.pad(out, 1, mode="edge")
        out = (
            sum(
                padded[1 + dy : padded.shape[0] - 1 + dy, 1 + dx : padded.shape[1] - 1 + dx]
                for dy in (-1, 0, 1)
                for dx in (-1, 0, 1)
            )
            / 9.0
        )
    return out


class Terrain:
    """The static base map: land use, relief shading, contours and zone borders, in tiles."""

    def __init__(self, map_view: MapView) -> None:
        self.map = map_view
        self.cell_m = map_view.cell_m
        self.rows, self.cols = map_view.elevation_m.shape
        relief = smoothed(map_view.elevation_m)
        low, high = np.percentile(relief, [2, 98])
        self.relief_m = float(high - low)
        slope = np.hypot(*np.gradient(relief, self.cell_m))
        steep = float(np.percentile(slope, 95)) or 1e-3
        shade = hillshade(relief, self.cell_m, float(np.clip(0.5 / steep, 1.0, 10.0)))
        self.shade = np.clip(1.0 + 0.9 * (shade - 1.0), 0.68, 1.18).astype(np.float32)
        self.colours = LAND_USE_RGB[map_view.land_use]
        self.colours_u8 = self.colours.astype(np.uint8)
        self.contours, self.index_contours, self.contour_m = self._contours(relief, low, high)
        self.borders = edge_runs(map_view.zone_index >= 0, self.cell_m)
        self.inner_borders = self._inner_borders(map_view.zone_index)
        self.tiles = TileCache(self.render)

    def _contours(
        self, relief: np.ndarray, low: float, high: float
    ) -> tuple[np.ndarray, np.ndarray, float]:
        empty = np.zeros((0, 4))
        if self.relief_m < FLAT_RELIEF_M:
            return empty, empty, 0.0
        step = nice_step(self.relief_m, CONTOUR_LINES)
        minor, major = [], []
        for level in np.arange(np.ceil(low / step) * step, high, step):
            segments = contour_segments(relief, float(level), self.cell_m)
            (major if round(level / step) % 5 == 0 else minor).append(segments)
        join = lambda parts: np.concatenate(parts) if parts else empty  # noqa: E731
        return join(minor), join(major), step

    def _inner_borders(self, zone_index: np.ndarray) -> np.ndarray:
        """Edges between two different zones (the outer edges come from ``borders``)."""
        parts = [edge_runs(zone_index == z, self.cell_m) for z in range(int(zone_index.max()) + 1)]
        return np.concatenate(parts) if parts else np.zeros((0, 4))

    def render(self, left_m: float, top_m: float, scale: float, w: int, h: int) -> pygame.Surface:
        """The base map of the world rectangle from (left_m, top_m), ``scale`` px per metre."""
        rows = sample_axes(top_m, h, 1.0 / scale, self.cell_m, self.rows)
        cols = sample_axes(left_m, w, 1.0 / scale, self.cell_m, self.cols)
        # Integer shading (shade × 128, at most 151, so 255 × 151 fits in 16 bits): 3× faster.
        shade = (bilinear(self.shade, rows, cols) * 128).astype(np.uint16)
        base = self.colours_u8[np.ix_(rows[0], cols[0])].astype(np.uint16)
        rgb = np.minimum((base * shade[..., None]) >> 7, 255).astype(np.uint8)
        if not (rows[3].all() and cols[3].all()):
            rgb[~(rows[3][:, None] & cols[3][None, :])] = BACKGROUND_RGB
        surface = pygame.image.frombuffer(rgb.tobytes(), (w, h), "RGB")
        origin = (left_m, top_m)
        px_per_cell = scale * self.cell_m
        if px_per_cell > 2.5:  # finer than that, contours would be a tangle
            draw_segments(surface, self.contours, CONTOUR_RGB, 1, origin, scale)
        draw_segments(surface, self.index_contours, INDEX_CONTOUR_RGB, 2, origin, scale)
        width = 2 if px_per_cell > 12 else 1
        draw_segments(surface, self.inner_borders, ZONE_BORDER_RGB, width, origin, scale)
        return surface

    def coarse(self) -> pygame.Surface:
        """The base map at one pixel a cell (shaded land use, no lines)."""
        return rgb_surface(np.clip(self.colours * self.shade[..., None], 0, 255))

    def thumbnail(self, size: tuple[int, int]) -> pygame.Surface:
        """The whole base map shrunk to ``size`` (for the minimap)."""
        return pygame.transform.smoothscale(self.coarse(), size)


class ScaledLayer:
    """A surface of ``cell_m`` metres per pixel, and its copy scaled to the camera's view."""

    def __init__(
        self,
        cell_m: float,
        alpha: bool = False,
        smooth: bool = True,
    ) -> None:
        self.cell_m = cell_m
        self.alpha, self.smooth = alpha, smooth
        self.surface: pygame.Surface | None = None
        self._scaled: tuple[object, pygame.Surface, tuple[int, int]] | None = None

    def set(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self._scaled = None

    def draw(self, target: pygame.Surface, camera: Camera) -> None:
        if self.surface is None:
            return
        key = camera.key()
        if self._scaled is None or self._scaled[0] != key:
            self._scaled = (key, *self._scale(camera))
        _, image, pos = self._scaled
        if image.get_width() > 0:
            target.blit(image, pos)

    def _scale(self, camera: Camera) -> tuple[pygame.Surface, tuple[int, int]]:
        assert self.surface is not None
        width, height = self.surface.get_size()
        x0, y0 = camera.to_world(camera.rect.topleft)
        x1, y1 = camera.to_world(camera.rect.bottomright)
        c0, r0 = max(0, int(x0 // self.cell_m)), max(0, int(y0 // self.cell_m))
        c1 = min(width, int(x1 // self.cell_m) + 2)
        r1 = min(height, int(y1 // self.cell_m) + 2)
        if c1 <= c0 or r1 <= r0:
            return pygame.Surface((0, 0)), (0, 0)
        left, top = camera.to_screen(c0 * self.cell_m, r0 * self.cell_m)
        right, bottom = camera.to_screen(c1 * self.cell_m, r1 * self.cell_m)
        part = self.surface.subsurface((c0, r0, c1 - c0, r1 - r0))
        size = (max(1, right - left), max(1, bottom - top))
        scale = pygame.transform.smoothscale if self.smooth else pygame.transform.scale
        image = scale(part, size)
        # Blits are fast only in the display's pixel format (≈10× faster than raw RGBA).
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha() if self.alpha else image.convert()
        return image, (left, top)


class HazardLayer:
    """One hazard field: its banded fill and the vector edges of its bands, drawn for the
    view in sight (every ``FILL_STEP_PX``-th pixel resampled, the edges at full resolution)
    and kept until the view or the field changes."""

    def __init__(self, name: str, style: FieldStyle, cell_m: float, mask: np.ndarray) -> None:
        self.name, self.style, self.cell_m = name, style, cell_m
        self.mask = mask  # cells where the field is not drawn
        self.edges: list[np.ndarray] = []
        self.cells: np.ndarray | None = None  # banded cells, for the minimap and tests
        self.present: tuple[bool, ...] = ()  # which bands have any cell in them
        self.scaled: np.ndarray | None = None  # the field on the style's scale
        self.version = 0
        self._view: tuple[object, pygame.Surface, tuple[int, int]] | None = None

    def update(self, values: np.ndarray) -> None:
        style = self.style
        data = np.asarray(values)
        scaled = field_scale(style, data.astype(np.float32) if data.dtype == bool else data)
        if self.mask.any():
            scaled = np.where(self.mask, -6.0 if style.log else 0.0, scaled)
        self.scaled = scaled
        self.version += 1
        self.cells = band_rgba(style, scaled)
        lowers = [np.log10(b.lower) if style.log else b.lower for b in style.bands]
        self.present = tuple(bool((scaled > low).any()) for low in lowers)
        self.edges = []
        if style.edge_rgb is not None:
            # A flood's edge is where the water ends (depth lines inside a river would
            # stripe it); a gas cloud's AEGL zones each get theirs.
            edged = lowers if style.kind == "gas" else lowers[:1]
            self.edges = [
                contour_segments(scaled, float(low), self.cell_m)
                for low, here in zip(edged, self.present, strict=False)
                if here
            ]

    def draw(self, target: pygame.Surface, camera: Camera) -> None:
        if self.scaled is None or not any(self.present):
            return
        key = (camera.key(), self.version)
        if self._view is None or self._view[0] != key:
            self._view = (key, *self._render(camera))
        _, image, pos = self._view
        if image.get_width() > 0:
            target.blit(image, pos)

    def _render(self, camera: Camera) -> tuple[pygame.Surface, tuple[int, int]]:
        """The fill and edges over the part of the view the map covers."""
        assert self.scaled is not None
        rows, cols = self.scaled.shape
        (x0, y0) = camera.to_screen(0.0, 0.0)
        (x1, y1) = camera.to_screen(cols * self.cell_m, rows * self.cell_m)
        box = pygame.Rect(x0, y0, x1 - x0, y1 - y0).clip(camera.rect)
        if box.w <= 0 or box.h <= 0:
            return pygame.Surface((0, 0)), (0, 0)
        left_m, top_m = camera.to_world(box.topleft)
        step = FILL_STEP_PX
        w, h = -(-box.w // step), -(-box.h // step)
        down = sample_axes(top_m, h, step / camera.scale, self.cell_m, rows)
        across = sample_axes(left_m, w, step / camera.scale, self.cell_m, cols)
        rgba = band_rgba(self.style, bilinear(self.scaled, down, across))
        image = pygame.transform.smoothscale(rgba_surface(rgba), (w * step, h * step))
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()
        if self.style.edge_rgb is not None:
            width = 2 if camera.scale * self.cell_m > 6 else 1
            for segments in self.edges:
                draw_segments(
                    image, segments, self.style.edge_rgb, width, (left_m, top_m), camera.scale
                )
        return image, box.topleft


class MapLayers:
    """The terrain, the zones tinted by their people's state, and the hazard overlays."""

    def __init__(
        self, map_view: MapView, aegl_ppm: tuple[float, float, float] | None = None
    ) -> None:
        self.map = map_view
        self.aegl_ppm = aegl_ppm
        self.terrain = Terrain(map_view)
        self.zones = ScaledLayer(map_view.cell_m, alpha=True, smooth=False)
        self.rough = ScaledLayer(map_view.cell_m)  # stands in for tiles not yet drawn
        self.rough.set(self.terrain.coarse())
        self.overlays: dict[str, HazardLayer] = {}
        self._zone_key: tuple[tuple[int, int, int], ...] | None = None
        self._stamps: dict[str, tuple[float | None, float]] = {}  # name → (sim t, wall t)
        self._water = np.asarray(map_view.land_use) == int(LandUse.WATER)

    def update_zones(self, zones: tuple[ZoneView, ...]) -> None:
        """Re-tint the zones when a zone's colour (people by state) has changed."""
        colours = tuple(zone_colour(dict(zone.people)) for zone in zones)
        if colours == self._zone_key:
            return
        self._zone_key = colours
        palette = np.array([(*c, ZONE_TINT_ALPHA) for c in colours] + [(0, 0, 0, 0)], np.uint8)
        self.zones.set(rgba_surface(palette[self.map.zone_index]))

    def update_overlays(
        self, fields: Mapping[str, np.ndarray], t_min: float, force: bool = False
    ) -> None:
        """Redraw the hazard fields as sim time moves: one field per call (spreading the
        work over frames), each at most every ``OVERLAY_REFRESH_S`` of wall time;
        ``force`` redraws them all now."""
        now = time.perf_counter()
        names = [n for n in sorted(fields) if np.ndim(fields[n]) == 2]
        if force:
            for name in names:
                self._recolour(name, fields[name], t_min, now)
            return
        never = (None, 0.0)
        due = [n for n in names if n not in self.overlays] or [
            n
            for n in names
            if self._stamps.get(n, never)[0] != t_min
            and now - self._stamps.get(n, never)[1] >= OVERLAY_REFRESH_S
        ]
        if due:
            oldest = min(due, key=lambda n: self._stamps.get(n, never)[1])
            self._recolour(oldest, fields[oldest], t_min, now)

    def _recolour(self, name: str, values: np.ndarray, t_min: float, now: float) -> None:
        layer = self.overlays.get(name)
        if layer is None:
            style = field_style(name, self.aegl_ppm)
            mask = np.zeros_like(self._water)  # a river is water too: drawn by its depth
            layer = self.overlays[name] = HazardLayer(name, style, self.map.cell_m, mask)
        layer.update(values)
        self._stamps[name] = (t_min, now)

    def draw(
        self,
        target: pygame.Surface,
        camera: Camera,
        shown: Mapping[str, bool],
        budget_s: float | None = None,
    ) -> None:
        """Draw the layers; with ``budget_s``, new terrain tiles (after a zoom) are drawn for
        that long a frame, the rest shown meanwhile from the cell-sized terrain scaled up."""
        if budget_s is not None and not self.terrain.tiles.complete(camera):
            self.rough.draw(target, camera)
        self.terrain.tiles.draw(target, camera, budget_s)
        self.zones.draw(target, camera)
        for name in sorted(self.overlays, key=self._order):
            if shown.get(name, True):
                self.overlays[name].draw(target, camera)

    def _order(self, name: str) -> tuple[int, str]:
        """Burnt ground under the fire, water under smoke and gas."""
        order = ("burnt", "water", "fire", "other", "gas", "smoke")
        return order.index(self.overlays[name].style.kind), name
