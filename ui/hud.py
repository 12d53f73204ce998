"""The drill screen's fixed readouts: the top bar, the event feed, alerts and a confirm box."""

from __future__ import annotations

import pygame

from sim import Snapshot
from ui import theme
from ui.colours import SEVERITY_RGB
from ui.feed import FeedLine, clock_text
from ui.i18n import Translator

BAR_BG = (14, 18, 24)
FEED_LINE_PX = 18


def draw_top_bar(
    surface: pygame.Surface,
    rect: pygame.Rect,
    snap: Snapshot,
    t: Translator,
    speed: int,
    paused: bool,
) -> None:
    """Clock, speed, response level, casualties, evacuated, unmet need and warnings."""
    pygame.draw.rect(surface, BAR_BG, rect)
    pygame.draw.line(surface, (60, 70, 84), rect.bottomleft, rect.bottomright, 1)
    x = rect.x + 12
    clock = theme.text(24, clock_text(snap.clock_min), (255, 255, 255), True)
    surface.blit(clock, clock.get_rect(midleft=(x, rect.centery)))
    x += clock.get_width() + 10
    elapsed = int(snap.t_min)
    x = _chip(
        surface,
        x,
        rect,
        t("top.elapsed", elapsed=f"{elapsed // 60}:{elapsed % 60:02d}"),
        (170, 180, 195),
    )
    if snap.finished:
        x = _chip(surface, x, rect, t("top.finished"), (255, 120, 110), bold=True)
    elif paused:
        x = _chip(surface, x, rect, t("top.paused"), (255, 200, 80), bold=True)
    else:
        x = _chip(surface, x, rect, t("top.speed", speed=speed), (120, 220, 140), bold=True)
    x += 14
    people = snap.people
    evacuated = people.get("evacuated", 0) + people.get("sheltering", 0)
    chips = [
        (t("top.level", level=t.enum("level", snap.response_level)), (150, 200, 255)),
        (t("top.dead", n=f"{people.get('dead', 0):,}"), (255, 110, 100)),
        (t("top.injured", n=f"{people.get('injured', 0):,}"), (255, 170, 90)),
        (t("top.trapped", n=f"{people.get('trapped', 0):,}"), (255, 140, 140)),
        (t("top.evacuated", n=f"{evacuated:,}"), (120, 220, 140)),
        (t("top.unmet", h=f"{snap.unmet_need_person_h:,.0f}"), (230, 200, 120)),
        (t("top.warnings", n=snap.warnings_issued), (200, 200, 230)),
    ]
    for label, colour in chips:
        x = _chip(surface, x, rect, label, colour)


def _chip(
    surface: pygame.Surface,
    x: int,
    rect: pygame.Rect,
    label: str,
    colour: tuple[int, int, int],
    bold: bool = False,
) -> int:
    image = theme.text(15, label, colour, bold)
    box = image.get_rect(midleft=(x + 6, rect.centery)).inflate(12, 6)
    pygame.draw.rect(surface, (32, 39, 50), box, border_radius=4)
    surface.blit(image, image.get_rect(center=box.center))
    return box.right + 6


def draw_feed(
    surface: pygame.Surface, rect: pygame.Rect, lines: list[FeedLine], t: Translator
) -> None:
    """The newest feed lines that fit, newest at the bottom, coloured by severity."""
    pygame.draw.rect(surface, (16, 20, 26), rect)
    pygame.draw.line(surface, (60, 70, 84), rect.topleft, rect.topright, 1)
    pygame.draw.line(surface, (60, 70, 84), rect.topleft, rect.bottomleft, 1)
    surface.blit(theme.text(15, t("panel.feed"), (170, 190, 215), True), (rect.x + 8, rect.y + 4))
    room = (rect.h - 30) // FEED_LINE_PX
    wrapped: list[tuple[str, tuple[int, int, int]]] = []
    for line in lines[-room:]:
        colour = SEVERITY_RGB.get(line.severity, (220, 220, 220))
        wrapped.extend((part, colour) for part in theme.wrap(line.text, 13, rect.w - 16))
    y = rect.y + 28
    for text, colour in wrapped[-room:]:
        surface.blit(theme.text(13, text, colour), (rect.x + 8, y))
        y += FEED_LINE_PX


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


def draw_notice(surface: pygame.Surface, feed_rect: pygame.Rect, message: str, ok: bool) -> None:
    """The outcome of the last order, in a box across the top of the feed, under the panel."""
    lines = theme.wrap(message, 14, feed_rect.w - 24)[:3]
    box = pygame.Rect(feed_rect.x + 4, feed_rect.y + 2, feed_rect.w - 8, 10 + 18 * len(lines))
    pygame.draw.rect(surface, NOTICE_OK_RGB if ok else NOTICE_BAD_RGB, box, border_radius=5)
    edge = (120, 220, 140) if ok else (255, 140, 120)
    pygame.draw.rect(surface, edge, box, 2, border_radius=5)
    for i, line in enumerate(lines):
        surface.blit(theme.text(14, line, (255, 255, 255)), (box.x + 8, box.y + 5 + 18 * i))


def _tip(
    surface: pygame.Surface,
    map_rect: pygame.Rect,
    pos: tuple[int, int],
    message: str,
    background: tuple[int, int, int],
    edge: tuple[int, int, int],
) -> None:
    lines = theme.wrap(message, 14, 320)[:3]
    width = max(theme.text(14, line).get_width() for line in lines) + 14
    box = pygame.Rect(pos[0] + 16, pos[1] + 14, width, 8 + 18 * len(lines))
    box.clamp_ip(map_rect)
    pygame.draw.rect(surface, background, box, border_radius=4)
    pygame.draw.rect(surface, edge, box, 1, border_radius=4)
    for i, line in enumerate(lines):
        surface.blit(theme.text(14, line, (255, 255, 255)), (box.x + 7, box.y + 4 + 18 * i))


def draw_hover(
    surface: pygame.Surface, map_rect: pygame.Rect, pos: tuple[int, int], message: str
) -> None:
    """What a click here will do, by the pointer."""
    _tip(surface, map_rect, pos, message, (20, 26, 34), (150, 170, 200))


def draw_flash(
    surface: pygame.Surface, map_rect: pygame.Rect, pos: tuple[int, int], message: str, ok: bool
) -> None:
    """The outcome of an order given by a click on the map, where the click was."""
    background = NOTICE_OK_RGB if ok else NOTICE_BAD_RGB
    _tip(surface, map_rect, pos, message, background, (255, 255, 255))
