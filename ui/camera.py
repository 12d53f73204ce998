"""The map camera: metres (x east, y south from the north-west corner) to screen pixels."""

from __future__ import annotations

import numpy as np
import pygame

MIN_ZOOM, MAX_ZOOM = 0.7, 16.0  # relative to the whole map fitting the view


class Camera:
    """Pan and zoom over a map of ``width_m`` × ``height_m`` shown in ``rect``."""

    def __init__(self, rect: pygame.Rect, width_m: float, height_m: float) -> None:
        self.rect = pygame.Rect(rect)
        self.width_m, self.height_m = width_m, height_m
        self.fit = min(self.rect.w / width_m, self.rect.h / height_m)
        self.scale = self.fit  # px per metre
        self.origin = np.array([0.0, 0.0])  # world point at the view's top-left
        self.centre_on(width_m / 2, height_m / 2)

    @property
    def zoom(self) -> float:
        return self.scale / self.fit

    def centre_on(self, x: float, y: float) -> None:
        self.origin = np.array([x, y]) - np.array(self.rect.size) / (2 * self.scale)
        self._clamp()

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        sx = self.rect.x + (x - self.origin[0]) * self.scale
        sy = self.rect.y + (y - self.origin[1]) * self.scale
        return round(sx), round(sy)

    def to_screen_array(self, xy: np.ndarray) -> np.ndarray:
        """Screen pixels of an (N, 2) array of world points."""
        return (xy - self.origin) * self.scale + np.array(self.rect.topleft)

    def to_world(self, pos: tuple[float, float]) -> tuple[float, float]:
        x = self.origin[0] + (pos[0] - self.rect.x) / self.scale
        y = self.origin[1] + (pos[1] - self.rect.y) / self.scale
        return float(x), float(y)

    def pan(self, dx_px: float, dy_px: float) -> None:
        self.origin = self.origin - np.array([dx_px, dy_px]) / self.scale
        self._clamp()

    def zoom_by(self, factor: float, at: tuple[float, float] | None = None) -> None:
        """Zoom by ``factor`` keeping the world point under ``at`` (default: centre) still."""
        at = at if at is not None else self.rect.center
        anchor = self.to_world(at)
        self.scale = float(np.clip(self.scale * factor, self.fit * MIN_ZOOM, self.fit * MAX_ZOOM))
        self.origin = np.array(anchor) - (np.array(at) - np.array(self.rect.topleft)) / self.scale
        self._clamp()

    def _clamp(self) -> None:
        """Keep at least a third of the view on the map."""
        view = np.array(self.rect.size) / self.scale
        low = -view * 2 / 3
        high = np.array([self.width_m, self.height_m]) - view / 3
        self.origin = np.clip(self.origin, low, high)

    def key(self) -> tuple[float, float, float, tuple[int, int, int, int]]:
        """Identifies the current view (for caching scaled layers)."""
        return (
            round(self.scale, 6),
            round(self.origin[0], 3),
            round(self.origin[1], 3),
            tuple(self.rect),
        )
