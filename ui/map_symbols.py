"""Map symbols: units, facilities and incidents, drawn as small legible pictograms.

The conventions follow situation maps: a mobile unit is a rectangular frame
(as in APP-6 / MIL-STD-2525 unit frames) filled in its service's colour with a
pictogram (fire red with a flame, medical white with a red cross, police blue
with a star, hazmat yellow with a hazard diamond, …) and a bar beneath in its
status colour; a fixed facility is a house-shaped frame; a hazard source is
the ISO 7010 yellow warning triangle; an incident is a red diamond with the
pictogram of its kind. Symbols are drawn once per kind and size and cached.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pygame

from ui import theme

UNIT_W, UNIT_H, STATUS_BAR_PX = 20, 14, 3
FACILITY_PX = 20
INCIDENT_PX = 22
INK = (20, 20, 24)
WHITE = (255, 255, 255)
RED = (215, 30, 30)

UNIT_FILL = {
    "fire_engine": (205, 35, 35),
    "rescue_boat": (20, 110, 200),
    "hazmat_team": (245, 205, 0),
    "ambulance": (250, 250, 250),
    "usar_team": (240, 125, 0),
    "helicopter": (90, 175, 235),
    "supply_truck": (150, 100, 50),
    "police": (30, 70, 190),
    "volunteer_team": (40, 150, 70),
    "excavator": (235, 175, 0),
    "casualty_bus": (250, 250, 250),
}
UNIT_GLYPH = {
    "fire_engine": "flame",
    "rescue_boat": "boat",
    "hazmat_team": "hazard",
    "ambulance": "cross",
    "usar_team": "usar",
    "helicopter": "rotor",
    "supply_truck": "crate",
    "police": "star",
    "volunteer_team": "person",
    "excavator": "bucket",
    "casualty_bus": "bus",
}
FACILITY_FILL = {
    "fire_station": ((205, 35, 35), "flame"),
    "hospital": ((250, 250, 250), "cross"),
    "shelter": ((30, 150, 75), "shelter"),
    "depot": ((150, 100, 50), "crate"),
    "command_post": ((25, 55, 130), "flag"),
    "police_station": ((30, 70, 190), "star"),
    "school": ((235, 185, 40), "book"),
}
INCIDENT_GLYPH = {
    "trapped": "person",
    "casualties": "cross",
    "building_fire": "flame",
    "leak": "drop",
    "levee_damage": "wave",
    "wildfire": "flame",
}
CLOSED_SHELTER_RGB = (105, 118, 108)


def _ink_for(fill: tuple[int, int, int]) -> tuple[int, int, int]:
    """White on dark fills, near-black on light ones."""
    return INK if sum(fill) > 520 or fill[1] > 180 else WHITE


def _glyph(surface: pygame.Surface, name: str, box: pygame.Rect, ink: tuple[int, int, int]) -> None:
    """Draw pictogram ``name`` inside ``box`` (primitives only: no font, any language)."""
    x, y, w, h = box
    cx, cy = box.center
    s = min(w, h)
    if name in ("cross", "bus"):
        arm, length = max(2, s // 4), s - 2
        red = RED if ink == INK else ink
        pygame.draw.rect(surface, red, (cx - arm // 2, cy - length // 2, arm, length))
        pygame.draw.rect(surface, red, (cx - length // 2, cy - arm // 2, length, arm))
        if name == "bus":  # two wheels under the cross
            pygame.draw.circle(surface, INK, (x + 2, y + h - 1), 2)
            pygame.draw.circle(surface, INK, (x + w - 3, y + h - 1), 2)
    elif name == "flame":  # a flame: round base, a tall tongue and a short one
        shape = ((0.55, 0.0), (0.72, 0.32), (0.9, 0.5), (0.92, 0.75), (0.72, 1.0), (0.28, 1.0),
                 (0.08, 0.75), (0.12, 0.45), (0.3, 0.6), (0.36, 0.28))  # fmt: skip
        pygame.draw.polygon(surface, ink, [(x + u * w, y + v * h) for u, v in shape])
    elif name == "drop":
        pygame.draw.polygon(
            surface, ink, [(cx, y), (cx + s * 0.38, cy + 1), (cx - s * 0.38, cy + 1)]
        )
        pygame.draw.circle(surface, ink, (cx, cy + s * 0.15), s * 0.38)
    elif name == "star":
        _star(surface, ink, (cx, cy + 1), s * 0.55)
    elif name == "hazard":
        half = s // 2
        pygame.draw.polygon(surface, INK, [(cx, cy - half), (cx + half, cy), (cx, cy + half),
                                           (cx - half, cy)], 2)  # fmt: skip
        pygame.draw.circle(surface, INK, (cx, cy), 2)
    elif name == "boat":
        pygame.draw.polygon(surface, ink, [(x, cy), (x + w, cy), (x + w * 0.8, y + h),
                                           (x + w * 0.2, y + h)])  # fmt: skip
        pygame.draw.line(surface, ink, (cx, cy), (cx, y), 2)
    elif name == "usar":
        pygame.draw.line(surface, ink, (x + 1, y + 1), (x + w - 2, y + h - 2), 3)
        pygame.draw.line(surface, ink, (x + w - 2, y + 1), (x + 1, y + h - 2), 3)
    else:
        _glyph_more(surface, name, box, ink)


def _glyph_more(
    surface: pygame.Surface, name: str, box: pygame.Rect, ink: tuple[int, int, int]
) -> None:
    """The pictograms :func:`_glyph` leaves: aircraft, supplies, people, places, tools."""
    x, y, w, h = box
    cx, cy = box.center
    s = min(w, h)
    if name == "rotor":
        pygame.draw.line(surface, ink, (x, y + 1), (x + w, y + 1), 2)
        pygame.draw.line(surface, ink, (cx, y + 1), (cx, cy), 1)
        pygame.draw.ellipse(surface, ink, (cx - s * 0.35, cy - 1, s * 0.7, h - (cy - 1 - y)))
    elif name == "crate":
        inner = box.inflate(-2, -2)
        pygame.draw.rect(surface, ink, inner, 2)
        pygame.draw.line(surface, ink, inner.topleft, inner.bottomright, 1)
        pygame.draw.line(surface, ink, inner.topright, inner.bottomleft, 1)
    elif name == "person":
        pygame.draw.circle(surface, ink, (cx, y + s * 0.2), max(2, s * 0.2))
        pygame.draw.polygon(surface, ink, [(cx - s * 0.35, y + h), (cx, y + s * 0.38),
                                           (cx + s * 0.35, y + h)])  # fmt: skip
    elif name == "shelter":
        pygame.draw.polygon(surface, ink, [(x, cy), (cx, y), (x + w, cy)], 2)
        pygame.draw.circle(surface, ink, (cx, cy + 1), max(2, s * 0.14))
        pygame.draw.polygon(
            surface, ink, [(cx - s * 0.25, y + h), (cx, cy + 2), (cx + s * 0.25, y + h)]
        )
    elif name == "flag":
        pygame.draw.line(surface, ink, (x + 2, y), (x + 2, y + h), 2)
        pygame.draw.polygon(surface, ink, [(x + 3, y), (x + w, y + h * 0.25), (x + 3, y + h * 0.5)])
    elif name == "book":
        pygame.draw.polygon(surface, ink, [(x, y + 2), (cx, y + 4), (cx, y + h), (x, y + h - 2)], 2)
        pygame.draw.polygon(surface, ink, [(x + w, y + 2), (cx, y + 4), (cx, y + h),
                                           (x + w, y + h - 2)], 2)  # fmt: skip
    elif name == "bucket":
        pygame.draw.lines(surface, ink, False, [(x, y + h), (x + w * 0.45, y), (x + w - 2, cy)], 2)
        pygame.draw.polygon(surface, ink, [(x + w - 5, cy), (x + w, cy), (x + w - 2, y + h)])
    elif name == "wave":
        for dy in (-3, 2):
            points = [(x + i, cy + dy + (2 if (i // 3) % 2 else 0)) for i in range(0, w + 1, 3)]
            pygame.draw.lines(surface, ink, False, points, 2)
    else:  # "!" for anything else
        pygame.draw.rect(surface, ink, (cx - 1, y, 3, h * 0.62))
        pygame.draw.rect(surface, ink, (cx - 1, y + h - 3, 3, 3))


def _star(
    surface: pygame.Surface, ink: tuple[int, int, int], c: tuple[float, float], r: float
) -> None:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((c[0] + radius * math.cos(angle), c[1] + radius * math.sin(angle)))
    pygame.draw.polygon(surface, ink, points)


@lru_cache(maxsize=256)
def unit_symbol(
    unit_type: str, status_rgb: tuple[int, int, int], dim: bool = False
) -> pygame.Surface:
    """A unit's frame (``UNIT_W`` × ``UNIT_H``) with its status bar beneath."""
    surface = pygame.Surface((UNIT_W, UNIT_H + STATUS_BAR_PX), pygame.SRCALPHA)
    fill = UNIT_FILL.get(unit_type, (200, 200, 200))
    frame = pygame.Rect(0, 0, UNIT_W, UNIT_H)
    pygame.draw.rect(surface, fill, frame)
    _glyph(surface, UNIT_GLYPH.get(unit_type, "!"), frame.inflate(-6, -4), _ink_for(fill))
    pygame.draw.rect(surface, INK, frame, 1)
    pygame.draw.rect(surface, status_rgb, (0, UNIT_H, UNIT_W, STATUS_BAR_PX))
    pygame.draw.rect(surface, INK, (0, UNIT_H - 1, UNIT_W, STATUS_BAR_PX + 1), 1)
    if dim:
        surface.set_alpha(120)
    return surface


@lru_cache(maxsize=64)
def facility_symbol(facility_type: str, is_open: bool = True) -> pygame.Surface:
    """A facility's house-shaped frame; a hazard source's warning triangle."""
    size = FACILITY_PX
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    if facility_type == "hazard_source":
        points = [(size / 2, 0), (size - 1, size - 2), (0, size - 2)]
        pygame.draw.polygon(surface, (255, 205, 0), points)
        pygame.draw.polygon(surface, INK, points, 2)
        _glyph(surface, "!", pygame.Rect(size // 2 - 2, 6, 4, 10), INK)
        return surface
    fill, glyph = FACILITY_FILL.get(facility_type, ((200, 200, 200), "!"))
    if facility_type == "shelter" and not is_open:
        fill = CLOSED_SHELTER_RGB
    roof = 5
    outline = [(0, roof), (size / 2, 0), (size - 1, roof), (size - 1, size - 1), (0, size - 1)]
    pygame.draw.polygon(surface, fill, outline)
    _glyph(surface, glyph, pygame.Rect(4, roof + 2, size - 8, size - roof - 5), _ink_for(fill))
    pygame.draw.polygon(surface, INK, outline, 1)
    return surface


@lru_cache(maxsize=32)
def incident_symbol(kind: str, dim: bool = False) -> pygame.Surface:
    """An incident: a red (or, when the armed unit cannot serve it, grey) diamond."""
    size = INCIDENT_PX
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    half = size / 2
    points = [(half, 0), (size - 1, half), (half, size - 1), (0, half)]
    pygame.draw.polygon(surface, (130, 120, 120) if dim else (225, 35, 30), points)
    pygame.draw.polygon(surface, (255, 240, 210), points, 2)
    _glyph(surface, INCIDENT_GLYPH.get(kind, "!"), pygame.Rect(7, 6, size - 14, size - 12), WHITE)
    return surface


@lru_cache(maxsize=64)
def count_chip(count: int) -> pygame.Surface:
    """ "+N": how many more units are in a stack than its row shows."""
    label = theme.text(11, f"+{count}", WHITE, True)
    surface = pygame.Surface((label.get_width() + 8, UNIT_H + STATUS_BAR_PX), pygame.SRCALPHA)
    pygame.draw.rect(surface, (40, 44, 56), surface.get_rect(), border_radius=4)
    pygame.draw.rect(surface, (230, 230, 235), surface.get_rect(), 1, border_radius=4)
    surface.blit(label, label.get_rect(center=surface.get_rect().center))
    return surface
