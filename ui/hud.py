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


ALERT_SIZES_PX = (18, 15, 13)  # the alert's type, smaller where a long name would not fit
ALERT_PAD_PX = (12, 6)  # the box round its text
ALERT_LINE_PX = 17  # between the two lines of a name too long for one line even at 13 px
ALERT_GAP_PX = 4  # under the critical banner's stack (or the map's top edge)
# With two lines at 13 px the alert reaches 4 + 12 + 19 + 17 = 52 px under the banner: within
# the room ui.tutorial keeps for it (ALERT_ROOM_PX), so the guide's card and the hints stay
# below it.
ALERT_EDGE_PX = 8  # from the map's sides, as the banner
ALERT_STAY = 2000.0  # what moving the alert must uncover (as the banner: ui.timeline)
ALERT_RGB = (255, 220, 200)


class IncidentAlert:
    """The notice that a new incident appeared: a blinking box at the top of the map for a
    few seconds, under the critical banner's stack and lined up with it wherever the banner
    went (left, middle or right: ui.timeline), so it keeps off what the banner keeps off.
    Of the three places there (or along the map's top edge when no banner shows), it takes
    the one that hides least of what the map drew (the banner's ``keep_clear``), the
    banner's own alignment first; it stays put while shown unless moving uncovers a good
    deal more. Always inside the map; a long text gets a smaller type, then two lines."""

    def __init__(self) -> None:
        self.text = ""
        self.until_s = 0.0
        self.rect: pygame.Rect | None = None  # where it was last drawn (None: not shown)
        self.lines: tuple[str, ...] = ()  # the text as last drawn, line by line, and its size
        self.size = ALERT_SIZES_PX[0]
        self._at: tuple[str, tuple[int, int], str] | None = None  # text, map size, place

    def show(self, text: str, until_s: float) -> None:
        """Show ``text`` until ``until_s`` (the scene's clock), in place of any earlier one."""
        self.text, self.until_s = text, until_s

    def shown(self, now_s: float) -> bool:
        """Whether the alert is on screen at ``now_s``."""
        return bool(self.text) and self.until_s > now_s

    def draw(
        self,
        surface: pygame.Surface,
        map_rect: pygame.Rect,
        banner: pygame.Rect | None,
        keep_clear: Sequence[tuple[pygame.Rect, float]],
        now_s: float,
    ) -> pygame.Rect | None:
        """Draw the alert if it is still due; returns its box (None: nothing shown)."""
        if not self.shown(now_s):
            self.rect = None
            return None
        room = map_rect.w - 2 * ALERT_EDGE_PX - ALERT_PAD_PX[0] * 2
        size, lines = self.size, self.lines = _alert_lines(self.text, room)
        pitch = ALERT_LINE_PX if len(lines) > 1 else 0
        places = alert_places(map_rect, self._box_size(map_rect), banner)
        box = places[self._place(places, map_rect, keep_clear)]
        shade = 150 + int(60 * (1 + pygame.math.clamp(now_s % 1.0 * 2 - 1, -1, 1)) / 2)
        pygame.draw.rect(surface, (shade, 30, 30), box, border_radius=6)
        pygame.draw.rect(surface, ALERT_RGB, box, 2, border_radius=6)
        y = box.y + ALERT_PAD_PX[1]
        for line in lines:
            image = theme.text(size, line, (255, 255, 255), True)
            surface.blit(image, image.get_rect(midtop=(box.centerx, y)))
            y += pitch
        self.rect = box
        return box

    def _box_size(self, map_rect: pygame.Rect) -> tuple[int, int]:
        """The box the alert's text takes on a map of ``map_rect``'s width."""
        room = map_rect.w - 2 * ALERT_EDGE_PX - ALERT_PAD_PX[0] * 2
        size, lines = _alert_lines(self.text, room)
        pitch = ALERT_LINE_PX if len(lines) > 1 else 0
        height = theme.font(size, True).get_height() + pitch * (len(lines) - 1)
        width = max(theme.font(size, True).size(line)[0] for line in lines)
        return width + 2 * ALERT_PAD_PX[0], height + 2 * ALERT_PAD_PX[1]

    def hidden_under(
        self,
        map_rect: pygame.Rect,
        banner: pygame.Rect,
        keep_clear: Sequence[tuple[pygame.Rect, float]],
        now_s: float,
    ) -> float:
        """What the alert would hide (weighted as ``keep_clear``) at its best place under a
        critical banner's stack at ``banner``; 0 when it is not on screen. The banner asks
        this of each place it may take (ui.timeline), so that the pair, not the banner
        alone, keeps off the map's names and marks."""
        if not self.shown(now_s):
            return 0.0
        places = alert_places(map_rect, self._box_size(map_rect), banner)
        return min(
            sum(w * box.clip(r).w * box.clip(r).h for r, w in keep_clear) for box in places.values()
        )

    def _place(
        self,
        places: dict[str, pygame.Rect],
        map_rect: pygame.Rect,
        keep_clear: Sequence[tuple[pygame.Rect, float]],
    ) -> str:
        def hidden(name: str) -> float:
            box = places[name]
            return sum(w * box.clip(r).w * box.clip(r).h for r, w in keep_clear)

        order = list(places)
        name = min(order, key=lambda n: (hidden(n), order.index(n)))
        kept = self._at
        same = kept is not None and kept[:2] == (self.text, map_rect.size) and kept[2] in places
        if same and hidden(kept[2]) <= hidden(name) + ALERT_STAY:
            name = kept[2]  # it does not move for a little less hidden
        self._at = (self.text, map_rect.size, name)
        return name


def _alert_lines(text: str, room: int) -> tuple[int, tuple[str, ...]]:
    """The alert's type size and lines: one line in the largest size that fits ``room`` px,
    else two lines in the smallest (anything past them is left to the event log)."""
    for size in ALERT_SIZES_PX:
        if theme.font(size, True).size(text)[0] <= room:
            return size, (text,)
    size = ALERT_SIZES_PX[-1]
    return size, theme.wrap(text, size, room, True)[:2]


def alert_places(
    map_rect: pygame.Rect, size: tuple[int, int], banner: pygame.Rect | None
) -> dict[str, pygame.Rect]:
    """Where an alert box of ``size`` may go, first choice first: under ``banner`` (the
    critical banner's stack) lined up with its left edge, its middle or its right edge, the
    side the banner went to first; then beside the banner on the map's top edge, where
    there is room for it on the map (after the places under it: the pair then reads as a
    row, used only where that hides less, as when names stand just under a banner moved
    to a side); with no banner, the middle, left and right of the map's top edge. Each
    inside the map, clear of its sides by :data:`ALERT_EDGE_PX`."""
    inside = map_rect.inflate(-2 * ALERT_EDGE_PX, 0)
    anchor = banner if banner is not None else inside
    top = (banner.bottom if banner is not None else map_rect.y) + ALERT_GAP_PX
    w, h = size
    places = {
        "middle": pygame.Rect(anchor.centerx - w // 2, top, w, h),
        "left": pygame.Rect(anchor.left, top, w, h),
        "right": pygame.Rect(anchor.right - w, top, w, h),
    }
    first = "middle"
    if banner is not None and abs(banner.centerx - map_rect.centerx) > ALERT_EDGE_PX:
        first = "left" if banner.centerx < map_rect.centerx else "right"
    order = [first, *(name for name in places if name != first)]
    chosen = {name: places[name].clamp(inside) for name in order}
    if banner is not None:
        beside = {
            "beside right": pygame.Rect(banner.right + ALERT_GAP_PX, banner.y, w, h),
            "beside left": pygame.Rect(banner.left - ALERT_GAP_PX - w, banner.y, w, h),
        }
        chosen.update((name, box) for name, box in beside.items() if inside.contains(box))
    return chosen


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
