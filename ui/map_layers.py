"""Raster layers of the map: terrain with zone tints, and hazard overlays.

Images are built from the grids with numpy (hill shading, land-use colours,
zone tints and borders, field colour maps) and never with per-cell Python
loops; each layer keeps its 1-pixel-per-cell surface and a copy scaled to
the current view, remade only when the camera or the layer's data changes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np
import pygame

from sim import MapView, ZoneView
from ui.camera import Camera
from ui.colours import LAND_USE_RGB, field_rgba, zone_colour

ZONE_TINT_ALPHA = 0.38
OVERLAY_REFRESH_S = 0.25


def hillshade(elevation_m: np.ndarray, cell_m: float) -> np.ndarray:
    """Lambertian shading (0.55..1.15) lit from the north-west, from the elevation grid."""
    dz_dy, dz_dx = np.gradient(elevation_m.astype(np.float32), cell_m)
    exaggeration = 8.0  # plains are flat; exaggerate relief so it reads on screen
    nx, ny, nz = -dz_dx * exaggeration, -dz_dy * exaggeration, np.ones_like(dz_dx)
    norm = np.sqrt(nx * nx + ny * ny + nz * nz)
    light = np.array([-1.0, -1.0, 1.4]) / np.sqrt(1 + 1 + 1.96)  # from the NW, y is south
    lit = (nx * light[0] + ny * light[1] + nz * light[2]) / norm
    return 0.55 + 0.6 * np.clip(lit, 0.0, 1.0)


def terrain_rgb(map_view: MapView) -> np.ndarray:
    """(H, W, 3) float terrain colours: land use × hill shade, plus a faint height tint."""
    elevation = map_view.elevation_m
    rgb = LAND_USE_RGB[map_view.land_use] * hillshade(elevation, map_view.cell_m)[..., None]
    span = float(elevation.max() - elevation.min()) or 1.0
    height = ((elevation - elevation.min()) / span)[..., None]
    return np.clip(rgb * (0.9 + 0.2 * height), 0, 255)


def zone_borders(zone_index: np.ndarray) -> np.ndarray:
    """True on cells at the edge of a zone."""
    edge = np.zeros(zone_index.shape, dtype=bool)
    edge[1:, :] |= zone_index[1:, :] != zone_index[:-1, :]
    edge[:-1, :] |= zone_index[:-1, :] != zone_index[1:, :]
    edge[:, 1:] |= zone_index[:, 1:] != zone_index[:, :-1]
    edge[:, :-1] |= zone_index[:, :-1] != zone_index[:, 1:]
    return edge & (zone_index >= 0)


def rgb_surface(rgb: np.ndarray) -> pygame.Surface:
    return pygame.surfarray.make_surface(np.ascontiguousarray(rgb.swapaxes(0, 1)).astype(np.uint8))


def rgba_surface(rgba: np.ndarray) -> pygame.Surface:
    height, width = rgba.shape[:2]
    return pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (width, height), "RGBA")


class ScaledLayer:
    """A 1-px-per-cell surface and its copy scaled to the camera's view."""

    def __init__(self, cell_m: float, alpha: bool = False) -> None:
        self.cell_m = cell_m
        self.alpha = alpha
        self.surface: pygame.Surface | None = None
        self._scaled: tuple[object, pygame.Surface, tuple[int, int]] | None = None

    def set(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self._scaled = None

    def draw(self, target: pygame.Surface, camera: Camera, smooth: bool = True) -> None:
        if self.surface is None:
            return
        key = camera.key()
        if self._scaled is None or self._scaled[0] != key:
            self._scaled = (key, *self._scale(camera, smooth))
        _, image, pos = self._scaled
        if image.get_width() > 0:
            target.blit(image, pos)

    def _scale(self, camera: Camera, smooth: bool) -> tuple[pygame.Surface, tuple[int, int]]:
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
        scale = pygame.transform.smoothscale if smooth else pygame.transform.scale
        image = scale(part, size)
        # Blits are fast only in the display's pixel format (≈10× faster than raw RGBA).
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha() if self.alpha else image.convert()
        return image, (left, top)


class MapLayers:
    """The terrain (with zones tinted by their people's state) and the hazard overlays."""

    def __init__(self, map_view: MapView) -> None:
        self.map = map_view
        self.terrain = terrain_rgb(map_view)
        self.borders = zone_borders(map_view.zone_index)
        self.base = ScaledLayer(map_view.cell_m)
        self.overlays: dict[str, ScaledLayer] = {}
        self._zone_key: tuple[tuple[int, int, int], ...] | None = None
        self._stamps: dict[str, tuple[float | None, float]] = {}  # name → (sim t, wall t)

    def update_zones(self, zones: tuple[ZoneView, ...]) -> None:
        """Re-tint the base layer when a zone's colour (people by state) has changed."""
        colours = tuple(zone_colour(dict(zone.people)) for zone in zones)
        if colours == self._zone_key:
            return
        self._zone_key = colours
        index = self.map.zone_index
        palette = np.array([*colours, (0, 0, 0)], dtype=np.float32)  # -1 → last row
        tint = palette[index]
        inside = (index >= 0)[..., None]
        rgb = np.where(
            inside, self.terrain * (1 - ZONE_TINT_ALPHA) + tint * ZONE_TINT_ALPHA, self.terrain
        )
        rgb[self.borders] = rgb[self.borders] * 0.35
        self.base.set(rgb_surface(rgb))

    def update_overlays(
        self, fields: Mapping[str, np.ndarray], t_min: float, force: bool = False
    ) -> None:
        """Recolour the hazard fields as sim time moves: one field per call (spreading the
        work over frames), each at most every ``OVERLAY_REFRESH_S`` of wall time;
        ``force`` recolours them all now."""
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
        layer = self.overlays.setdefault(name, ScaledLayer(self.map.cell_m, alpha=True))
        layer.set(rgba_surface(field_rgba(name, values)))
        self._stamps[name] = (t_min, now)

    def draw(self, target: pygame.Surface, camera: Camera, shown: Mapping[str, bool]) -> None:
        self.base.draw(target, camera)
        for name in sorted(self.overlays):
            if shown.get(name, True):
                self.overlays[name].draw(target, camera)
