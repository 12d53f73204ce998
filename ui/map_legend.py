"""The map's furniture: wind and north arrow, scale bar and legend, each a small panel.

Each panel is drawn onto its own surface (cached while what it says is the
same), so the map knows the panels' rectangles before it places labels
(labels keep clear of them) and blits them last, on top. The wind panel
shows where the wind blows *to* (an arrow, as on a weather map), its speed,
and the next change the scenario's forecast announces (a dashed arrow and a
line of text with its time), since a wind shift turns a gas cloud.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from sim import Snapshot
from ui import theme
from ui.colours import PERSON_RGB, STATUS_RGB, FieldStyle
from ui.i18n import Translator
from ui.map_raster import nice_step

PANEL_RGBA = (22, 26, 34, 215)
TEXT_RGB = (236, 238, 242)
MUTED_RGB = (170, 178, 190)
WIND_RGB = (120, 210, 255)
FORECAST_RGB = (255, 170, 60)
DIAL_RGB = (60, 68, 84)  # the wind dial's face
MARGIN_PX = 8
PAD_PX = 6
ROW_PX = 16
FONT_PX = 12
# Sixteen points, as wind is reported (a WNW wind is not a W one when the cloud's way matters).
COMPASS = ("n", "nne", "ne", "ene", "e", "ese", "se", "sse",
           "s", "ssw", "sw", "wsw", "w", "wnw", "nw", "nnw")  # fmt: skip
ZONE_STATES = ("unaware", "warned", "evacuating", "evacuated", "sheltering", "injured")
UNIT_STATES = ("available", "en_route", "on_scene", "returning")


@dataclass(frozen=True)
class WindChange:
    """A forecast wind: at ``at_min`` (sim minutes), from ``from_deg`` at ``speed``."""

    at_min: float
    speed_m_per_s: float
    from_deg: float


def compass(t: Translator, from_deg: float) -> str:
    """The 8-point name of a direction (where the wind blows from)."""
    return t(f"map.compass.{COMPASS[round(from_deg % 360 / 22.5) % 16]}")


def blows_to(from_deg: float) -> tuple[float, float]:
    """Screen unit vector (x east, y down) the wind blows toward."""
    to = math.radians(from_deg + 180.0)
    return math.sin(to), -math.cos(to)


def clock(minutes: float) -> str:
    minutes = round(minutes) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _panel(size: tuple[int, int]) -> pygame.Surface:
    surface = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(surface, PANEL_RGBA, surface.get_rect(), border_radius=5)
    pygame.draw.rect(surface, (90, 100, 118), surface.get_rect(), 1, border_radius=5)
    return surface


def _arrow(
    surface: pygame.Surface,
    centre: tuple[float, float],
    direction: tuple[float, float],
    length: float,
    colour: tuple[int, int, int],
    dashed: bool = False,
) -> None:
    dx, dy = direction
    cx, cy = centre
    tail = (cx - dx * length / 2, cy - dy * length / 2)
    head = (cx + dx * length / 2, cy + dy * length / 2)
    if dashed:
        for k in range(0, 6, 2):
            a, b = k / 6, (k + 1) / 6
            pygame.draw.line(
                surface, colour, _lerp(tail, head, a), _lerp(tail, head, b * 0.85 + a * 0.15), 3
            )
    else:
        pygame.draw.line(surface, colour, tail, _lerp(tail, head, 0.7), 4)
    side = (-dy, dx)
    base = _lerp(tail, head, 0.55)
    wing = length * 0.22
    points = [
        head,
        (base[0] + side[0] * wing, base[1] + side[1] * wing),
        (base[0] - side[0] * wing, base[1] - side[1] * wing),
    ]
    pygame.draw.polygon(surface, colour, points)


def _lerp(a: tuple[float, float], b: tuple[float, float], k: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k


def wind_panel(
    snap: Snapshot, change: WindChange | None, t: Translator, dial: int = 60
) -> pygame.Surface:
    """North arrow, the wind now (arrow where it blows to) and its forecast change, beside a
    dial ``dial`` px across (the map uses a smaller one, to keep its bottom row low)."""
    weather = snap.weather
    lines = [
        (t("map.wind.now", dir=compass(t, weather.wind_from_deg),
           speed=f"{weather.wind_speed_m_per_s:g}"), WIND_RGB),
    ]  # fmt: skip
    if change is not None:
        at = clock(snap.clock_min - snap.t_min + change.at_min)
        minutes = f"{change.at_min - snap.t_min:.0f}"
        lines.append((t("map.wind.forecast_at", time=at, minutes=minutes), FORECAST_RGB))
        lines.append((t("map.wind.forecast", dir=compass(t, change.from_deg),
                        speed=f"{change.speed_m_per_s:g}"), FORECAST_RGB))  # fmt: skip
    else:
        lines.append((t("map.wind.steady"), MUTED_RGB))
    texts = [theme.text(FONT_PX, text, colour, True) for text, colour in lines]
    step = 17 if dial >= 51 else 15  # the text's line spacing: tighter beside a small dial
    width = PAD_PX * 3 + dial + max(s.get_width() for s in texts)
    surface = _panel((width, dial + 2 * PAD_PX))
    centre = (PAD_PX + dial / 2, PAD_PX + dial / 2)
    pygame.draw.circle(surface, DIAL_RGB, centre, dial / 2)
    pygame.draw.circle(surface, (120, 130, 150), centre, dial / 2, 1)
    if change is not None:
        _arrow(surface, (centre[0], centre[1] + 4), blows_to(change.from_deg), dial * 0.55,
               FORECAST_RGB, dashed=True)  # fmt: skip
    _arrow(surface, (centre[0], centre[1] + 4), blows_to(weather.wind_from_deg), dial * 0.55,
           WIND_RGB)  # fmt: skip
    # The north mark over the arrows, on the dial's colour: a north wind's arrow starts
    # under it, and drawn over the mark it hid the triangle and cut into the 北.
    north = theme.text(11, t("map.north"), TEXT_RGB, True)
    label = north.get_rect(midtop=(centre[0], PAD_PX + 1))
    x, top = centre[0], PAD_PX
    triangle = [(x, top + 14), (x - 4, top + 21), (x + 4, top + 21)]
    pygame.draw.rect(surface, DIAL_RGB, label.union(pygame.Rect(x - 5, top + 13, 10, 9)))
    surface.blit(north, label)
    pygame.draw.polygon(surface, TEXT_RGB, triangle)
    y = PAD_PX + (dial - len(texts) * step) // 2 + 1
    for text in texts:
        surface.blit(text, (PAD_PX * 2 + dial, y))
        y += step
    return surface


def scale_bar(scale_px_per_m: float, t: Translator, max_px: int = 120) -> pygame.Surface:
    """A scale bar of a round length no longer than ``max_px``."""
    metres = nice_step(max_px / scale_px_per_m, 1.0)
    while metres * scale_px_per_m > max_px:
        metres = nice_step(metres * 0.99, 2.0)
    length = max(8, round(metres * scale_px_per_m))
    label = (
        t("map.scale.km", n=f"{metres / 1000:g}")
        if metres >= 1000
        else t("map.scale.m", n=f"{metres:g}")
    )
    text = theme.text(FONT_PX, label, TEXT_RGB, True)
    surface = _panel((length + text.get_width() + 3 * PAD_PX, 24))
    x0, y0 = PAD_PX, 9
    half = length // 2
    pygame.draw.rect(surface, (250, 250, 250), (x0, y0, half, 6))
    pygame.draw.rect(surface, (20, 20, 24), (x0 + half, y0, length - half, 6))
    pygame.draw.rect(surface, (250, 250, 250), (x0, y0, length, 6), 1)
    surface.blit(text, text.get_rect(midleft=(x0 + length + PAD_PX, y0 + 3)))
    return surface


@dataclass(frozen=True)
class LegendEntry:
    """One section of the legend: a hazard field's style and which of its bands are present."""

    style: FieldStyle
    title: str  # already translated


LEGEND_MODES = ("folded", "brief", "full")  # a click on the legend moves to the next


def legend_panel(
    entries: Sequence[LegendEntry],
    t: Translator,
    mode: str,
    symbols: Sequence[tuple[str, pygame.Surface]] = (),
    clickable: bool = True,
) -> pygame.Surface:
    """What the map shows: each hazard's bands; ``brief`` adds the zone colours, ``full``
    also the unit status bars and the ``symbols`` (name, icon) on the map. Short keys
    go in two columns, to keep the legend short."""
    rows: list[list[tuple[str, object, bool]]] = []  # (text, swatch or icon, heading)
    for entry in entries:
        rows.append([(entry.title, None, True)])
        rows += [
            [(t(f"map.{b.key}", value=b.value), b.rgba, False)] for b in reversed(entry.style.bands)
        ]
    sections: list[tuple[str, list[tuple[str, object, bool]]]] = []
    if mode in ("brief", "full"):
        people = [(t(f"map.legend.people.{s}"), (*PERSON_RGB[s], 255), False) for s in ZONE_STATES]
        sections.append(("map.legend.zones", people))
    if mode == "full":
        status = [(t(f"map.legend.status.{s}"), (*STATUS_RGB[s], 255), False) for s in UNIT_STATES]
        sections.append(("map.legend.units", status))
        sections.append(("map.legend.symbols", [(name, icon, False) for name, icon in symbols]))
    for heading, items in sections:
        rows.append([(t(heading), None, True)])
        rows += [items[i : i + 2] for i in range(0, len(items), 2)]
    heading = t(f"map.legend.title_{mode}" if clickable else "map.legend.title_static")
    title = theme.text(FONT_PX + 1, heading, TEXT_RGB, True)
    cells = [[(_cell_text(text, head), mark) for text, mark, head in row] for row in rows]
    column = max([0, *(_cell_w(*cell) for row in cells if len(row) > 1 for cell in row)])
    widths = [title.get_width()]
    widths += [column * 2 + 8 if len(row) > 1 else _cell_w(*row[0]) for row in cells]
    heights = [_row_h(row) for row in cells]
    surface = _panel((max(widths) + 2 * PAD_PX, PAD_PX * 2 + 18 + sum(heights)))
    surface.blit(title, (PAD_PX, PAD_PX - 1))
    y = PAD_PX + 18
    for row, height in zip(cells, heights, strict=True):
        for k, (text, mark) in enumerate(row):
            _draw_cell(surface, (PAD_PX + k * (column + 8), y), height, text, mark)
        y += height
    return surface


def _row_h(row: list[tuple[pygame.Surface, object]]) -> int:
    icons = [mark.get_height() + 2 for _, mark in row if isinstance(mark, pygame.Surface)]
    return max([ROW_PX, *icons])


def _cell_text(text: str, heading: bool) -> pygame.Surface:
    return theme.text(FONT_PX, text, TEXT_RGB if heading else MUTED_RGB, heading)


def _cell_w(text: pygame.Surface, mark: object) -> int:
    if isinstance(mark, pygame.Surface):
        return text.get_width() + mark.get_width() + 6
    return text.get_width() + (22 if mark is not None else 0)


def _draw_cell(
    surface: pygame.Surface, at: tuple[int, int], height: int, text: pygame.Surface, mark: object
) -> None:
    x, y = at
    if isinstance(mark, pygame.Surface):  # a map symbol
        surface.blit(mark, (x, y + (height - mark.get_height()) // 2))
        x += mark.get_width() + 6
    elif mark is not None:  # a colour swatch, over light ground as on the map
        box = pygame.Rect(x, y + 3, 16, 10)
        pygame.draw.rect(surface, (235, 225, 200), box)
        patch = pygame.Surface(box.size, pygame.SRCALPHA)
        patch.fill(mark)  # type: ignore[arg-type]
        surface.blit(patch, box)
        pygame.draw.rect(surface, (20, 20, 24), box, 1)
        x += 22
    surface.blit(text, (x, y + (height - text.get_height()) // 2))
