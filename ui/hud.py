"""The drill screen's fixed readouts: the top bar, alerts, tips by the pointer and a confirm box.

The event timeline under the side panel (with the notice of the last order) is ui.timeline.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from sim import Snapshot
from ui import theme
from ui.feed import clock_text
from ui.i18n import Translator

BAR_BG = (14, 18, 24)
CHIP_PX, CHIP_PAD_PX = 15, 12
CHIP_SMALL_PX, CHIP_SMALL_PAD_PX = 13, 8


def draw_top_bar(
    surface: pygame.Surface,
    rect: pygame.Rect,
    snap: Snapshot,
    t: Translator,
    speed: int,
    paused: bool,
) -> list[tuple[str, pygame.Rect]]:
    """Clock, speed, response level, casualties, evacuated, unmet need and warnings.

    Returns each chip's text and box; a window too narrow for them at the usual size gets
    them in a smaller type, so none is cut off at the right edge.
    """
    pygame.draw.rect(surface, BAR_BG, rect)
    pygame.draw.line(surface, (60, 70, 84), rect.bottomleft, rect.bottomright, 1)
    x = rect.x + 12
    clock = theme.text(24, clock_text(snap.clock_min), (255, 255, 255), True)
    surface.blit(clock, clock.get_rect(midleft=(x, rect.centery)))
    x += clock.get_width() + 10
    elapsed = int(snap.t_min)
    if snap.finished:
        state = (t("top.finished"), (255, 120, 110), True)
    elif paused:
        state = (t("top.paused"), (255, 200, 80), True)
    else:
        state = (t("top.speed", speed=speed), (120, 220, 140), True)
    people = snap.people
    evacuated = people.get("evacuated", 0) + people.get("sheltering", 0)
    chips = [
        (t("top.elapsed", elapsed=f"{elapsed // 60}:{elapsed % 60:02d}"), (170, 180, 195), False),
        state,
        (t("top.level", level=t.enum("level", snap.response_level)), (150, 200, 255), False),
        (t("top.dead", n=f"{people.get('dead', 0):,}"), (255, 110, 100), False),
        (t("top.injured", n=f"{people.get('injured', 0):,}"), (255, 170, 90), False),
        (t("top.trapped", n=f"{people.get('trapped', 0):,}"), (255, 140, 140), False),
        (t("top.evacuated", n=f"{evacuated:,}"), (120, 220, 140), False),
        (t("top.unmet", h=f"{snap.unmet_need_person_h:,.0f}"), (230, 200, 120), False),
        (t("top.warnings", n=snap.warnings_issued), (200, 200, 230), False),
    ]
    size, pad = CHIP_PX, CHIP_PAD_PX
    room = rect.right - x - 8
    if _chips_width(chips, size, pad) > room:
        size, pad = CHIP_SMALL_PX, CHIP_SMALL_PAD_PX
    shown = []
    for i, (label, colour, bold) in enumerate(chips):
        box = _chip(surface, x, rect, label, colour, size, pad, bold)
        shown.append((label, box))
        x = box.right + pad // 2 + (14 if i == 1 else 0)
    return shown


def _chips_width(chips: list[tuple[str, tuple[int, int, int], bool]], size: int, pad: int) -> int:
    return sum(theme.font(size, b).size(label)[0] + 2 * pad for label, _, b in chips) + 14


def _chip(
    surface: pygame.Surface,
    x: int,
    rect: pygame.Rect,
    label: str,
    colour: tuple[int, int, int],
    size: int,
    pad: int,
    bold: bool = False,
) -> pygame.Rect:
    image = theme.text(size, label, colour, bold)
    box = image.get_rect(midleft=(x + pad // 2, rect.centery)).inflate(pad, 6)
    pygame.draw.rect(surface, (32, 39, 50), box, border_radius=4)
    surface.blit(image, image.get_rect(center=box.center))
    return box


def draw_alert(surface: pygame.Surface, map_rect: pygame.Rect, message: str, phase: float) -> None:
    """A banner at the top of the map for a new incident (it blinks gently)."""
    image = theme.text(18, message, (255, 255, 255), True)
    box = image.get_rect(midtop=(map_rect.centerx, map_rect.y + 10)).inflate(24, 12)
    shade = 150 + int(60 * (1 + pygame.math.clamp(phase % 1.0 * 2 - 1, -1, 1)) / 2)
    pygame.draw.rect(surface, (shade, 30, 30), box, border_radius=6)
    pygame.draw.rect(surface, (255, 220, 200), box, 2, border_radius=6)
    surface.blit(image, image.get_rect(center=box.center))


def draw_modal(surface: pygame.Surface, box: pygame.Rect, message: str) -> None:
    """Dim the screen and draw a box with ``message`` (its buttons are pygame_gui's)."""
    dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    dim.fill((0, 0, 0, 150))
    surface.blit(dim, (0, 0))
    pygame.draw.rect(surface, (34, 41, 52), box, border_radius=8)
    pygame.draw.rect(surface, (150, 170, 200), box, 2, border_radius=8)
    y = box.y + 20
    for line in theme.wrap(message, 18, box.w - 40):
        image = theme.text(18, line, (240, 244, 250))
        surface.blit(image, image.get_rect(midtop=(box.centerx, y)))
        y += 26


NOTICE_OK_RGB = (30, 80, 50)
NOTICE_BAD_RGB = (110, 35, 35)


TIP_GAP_PX = (16, 14)  # a tip's corner from the pointer: clear of the pointer's arrow


def _tip(
    surface: pygame.Surface,
    map_rect: pygame.Rect,
    pos: tuple[int, int],
    message: str,
    background: tuple[int, int, int],
    edge: tuple[int, int, int],
    avoid: Sequence[pygame.Rect] = (),
) -> pygame.Rect:
    """A tip box by the pointer, drawn; returns its box (see :func:`tip_box`)."""
    lines = theme.wrap(message, 14, 320)[:3]
    width = max(theme.text(14, line).get_width() for line in lines) + 14
    box = tip_box(map_rect, pos, (width, 8 + 18 * len(lines)), avoid)
    pygame.draw.rect(surface, background, box, border_radius=4)
    pygame.draw.rect(surface, edge, box, 1, border_radius=4)
    for i, line in enumerate(lines):
        surface.blit(theme.text(14, line, (255, 255, 255)), (box.x + 7, box.y + 4 + 18 * i))
    return box


def tip_box(
    map_rect: pygame.Rect,
    pos: tuple[int, int],
    size: tuple[int, int],
    avoid: Sequence[pygame.Rect] = (),
) -> pygame.Rect:
    """Where a tip of ``size`` goes by the pointer at ``pos``: below right of it, unless
    it would cover some of ``avoid`` (the names and marks the map drew, the thing pointed
    at among them) or the map's edge would push it onto the pointer; then the first of
    above right, below left and above left that covers least. Always inside ``map_rect``."""
    (x, y), (w, h), (gx, gy) = pos, size, TIP_GAP_PX
    right, left, below, above = x + gx, x - gx - w, y + gy, y - gy - h
    corners = [(right, below), (right, above), (left, below), (left, above)]
    pointer = pygame.Rect(x - 2, y - 2, 14, 20)  # the arrow's own area
    best: tuple[float, pygame.Rect] | None = None
    for corner in corners:
        box = pygame.Rect(corner, size).clamp(map_rect)
        cost = sum(_overlap(box, rect) for rect in avoid)
        cost += 10 * _overlap(box, pointer)  # a flip near the edge keeps the pointer clear
        if best is None or cost < best[0]:
            best = (cost, box)
    assert best is not None
    return best[1]


def _overlap(a: pygame.Rect, b: pygame.Rect) -> int:
    clipped = a.clip(b)
    return clipped.w * clipped.h


def draw_hover(
    surface: pygame.Surface,
    map_rect: pygame.Rect,
    pos: tuple[int, int],
    message: str,
    avoid: Sequence[pygame.Rect] = (),
) -> pygame.Rect:
    """What a click here will do, by the pointer (clear of ``avoid`` where it can be)."""
    return _tip(surface, map_rect, pos, message, (20, 26, 34), (150, 170, 200), avoid)


def draw_flash(
    surface: pygame.Surface,
    map_rect: pygame.Rect,
    pos: tuple[int, int],
    message: str,
    ok: bool,
    avoid: Sequence[pygame.Rect] = (),
) -> pygame.Rect:
    """The outcome of an order given by a click on the map, where the click was."""
    background = NOTICE_OK_RGB if ok else NOTICE_BAD_RGB
    return _tip(surface, map_rect, pos, message, background, (255, 255, 255), avoid)
