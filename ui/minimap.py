"""The minimap: the whole drill area in a corner of the map, with the view's frame.

It shows the base map shrunk, the hazards in their band colours, open
incidents as red dots and the part of the map in view as a white frame. A
click (or a drag) on it centres the view there.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pygame

from sim import IncidentView
from ui.camera import Camera

MAX_W, MAX_H = 170, 130
MARGIN_PX = 8


class Minimap:
    """A thumbnail of ``width_m`` × ``height_m`` in the bottom-right corner of ``map_rect``."""

    def __init__(self, map_rect: pygame.Rect, base: pygame.Surface | None, width_m: float,
                 height_m: float) -> None:  # fmt: skip
        fit = min(MAX_W / width_m, MAX_H / height_m, map_rect.w * 0.2 / width_m)
        size = (max(40, round(width_m * fit)), max(30, round(height_m * fit)))
        self.rect = pygame.Rect((0, 0), size)
        self.rect.bottomright = (map_rect.right - MARGIN_PX, map_rect.bottom - MARGIN_PX)
        self.width_m, self.height_m = width_m, height_m
        self.base = base
        self.hazards: pygame.Surface | None = None
        self._hazard_key: object = None

    def set_base(self, base: pygame.Surface) -> None:
        self.base = pygame.transform.smoothscale(base, self.rect.size)

    def set_hazards(self, key: object, cells: Iterable[np.ndarray]) -> None:
        """The hazard layers' banded cells (RGBA), composed once per change of ``key``."""
        if key == self._hazard_key:
            return
        self._hazard_key = key
        layers = list(cells)
        if not layers:
            self.hazards = None
            return
        out = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        for rgba in layers:
            h, w = rgba.shape[:2]
            image = pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (w, h), "RGBA")
            out.blit(pygame.transform.smoothscale(image, self.rect.size), (0, 0))
        self.hazards = out

    def to_world(self, pos: tuple[int, int]) -> tuple[float, float]:
        x = (pos[0] - self.rect.x) / self.rect.w * self.width_m
        y = (pos[1] - self.rect.y) / self.rect.h * self.height_m
        return x, y

    def draw(
        self, surface: pygame.Surface, camera: Camera, incidents: Iterable[IncidentView]
    ) -> None:
        frame = self.rect.inflate(4, 4)
        pygame.draw.rect(surface, (22, 26, 34), frame, border_radius=3)
        if self.base is not None:
            surface.blit(self.base, self.rect)
        if self.hazards is not None:
            surface.blit(self.hazards, self.rect)
        sx, sy = self.rect.w / self.width_m, self.rect.h / self.height_m
        for incident in incidents:
            if incident.is_open:
                point = (self.rect.x + incident.x * sx, self.rect.y + incident.y * sy)
                pygame.draw.circle(surface, (20, 20, 24), point, 3)
                pygame.draw.circle(surface, (235, 40, 35), point, 2)
        x0, y0 = camera.to_world(camera.rect.topleft)
        x1, y1 = camera.to_world(camera.rect.bottomright)
        view = pygame.Rect(
            round(self.rect.x + x0 * sx), round(self.rect.y + y0 * sy),
            max(4, round((x1 - x0) * sx)), max(4, round((y1 - y0) * sy)),
        )  # fmt: skip
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        pygame.draw.rect(surface, (20, 20, 24), view.inflate(2, 2), 1)
        pygame.draw.rect(surface, (255, 255, 255), view, 2)
        surface.set_clip(clip)
        pygame.draw.rect(surface, (120, 130, 150), frame, 1, border_radius=3)
