"""The event timeline: the whole drill's feed, filtered, scrollable, critical events held up.

The timeline shows the feed's lines (ui.feed) under the side panel. Chips
above the list filter them by category (incidents, orders, hazard,
messages; "All" shows every one); the mouse wheel or PgUp/PgDn scrolls back
through the whole drill and End returns to the newest. While the trainee
reads back, new lines do not move the view. Only whole entries are drawn:
the oldest one shown is never cut mid-sentence.

Critical lines (a levee breach, a hazard reaching a zone where people live,
a death: ui.feed.is_critical) also stay in a banner on the map's top edge
until acknowledged, with a click on it or Enter, newest first; the banner is
no wider than its text and the lines waiting behind it show as the edges of
a stack, so it hides as little of the map as it can. A merged line (harm in
one zone over half an hour) keeps its acknowledgement.

Why newest first: the banner is what the commander reads before the next
order, and the newest critical line is the one that can still change that
order (gas reaching a village now, not water that reached the park an hour
ago and has been answered since). Oldest first showed an 83-minute-old line
while "toxic cloud reached" a village waited behind it. Urgency is not a
better key: every critical line is a death, a breach or a hazard at people,
and their kinds do not rank. The older lines are not lost: the stack's edges
and the log's heading count them, each keeps its red bar in the log, and each
comes up in turn as the newer ones are acknowledged. A click or Enter
acknowledges the line the banner showed when it was last drawn (what the
commander read), not one that arrived since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from ui import theme
from ui.colours import SEVERITY_RGB
from ui.feed import CATEGORIES, Feed, FeedLine
from ui.i18n import Translator

ALL = "all"
TEXT_PX = 13
LINE_PX = 18
HEAD_PX = 15
CHIP_PX = 13
CHIP_H = 22
PAD_PX = 8
NOTICE_PX = 14
NOTICE_LINE_PX = 18
BANNER_PX = 15
BANNER_LINE_PX = 20
BANNER_LINES_MAX = 3
ACK_PX = 12
ACK_LINE_PX = 18  # the 12 px font's height
BANNER_PAD_X = 10
BANNER_PAD_Y = 5
BANNER_MAX_W = 600
BANNER_NARROW_W = 240  # the narrowest a banner's text is wrapped to, to keep clear of marks
BANNER_STAY = 2000.0  # what moving the banner must uncover (about a mark's cost: ui.tutorial)
BANNER_TOP_PX = 8  # on the map's top edge (the new-incident alert goes under it)
STACK_EDGES_MAX = 2  # more lines waiting show as the edges of cards under the banner
STACK_EDGE_PX = 4
BG_RGB = (16, 20, 26)
EDGE_RGB = (60, 70, 84)
HEAD_RGB = (170, 190, 215)
HINT_RGB = (140, 150, 165)
CHIP_ON_RGB = (52, 74, 104)
CHIP_OFF_RGB = (30, 36, 45)
CRITICAL_RGB = (255, 90, 80)
BANNER_RGB = (150, 28, 28)
NOTICE_OK_RGB = (30, 80, 50)
NOTICE_BAD_RGB = (110, 35, 35)


@dataclass(frozen=True)
class Label:
    """A piece of text drawn in a box (for the clipping test: the text must fit the box)."""

    text: str
    box: pygame.Rect
    size: int
    bold: bool = False


class Timeline:
    """The filtered, scrollable view of a drill's feed, and its unacknowledged critical lines."""

    def __init__(self, feed: Feed, t: Translator) -> None:
        self.feed = feed
        self.t = t
        self.shown: set[str] = set(CATEGORIES)
        self.scroll = 0  # how many of the shown entries lie below the view (0: following)
        self.acknowledged: set[str] = set()
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.chips: list[tuple[pygame.Rect, str]] = []
        self.banner_rect: pygame.Rect | None = None
        self.labels: list[Label] = []  # what the last draw wrote, and where
        self.banner_labels: list[Label] = []
        # What lies on the map, with what covering it costs a pixel (the drill's coach keeps
        # it current: ui.tutorial.Coach.update); the banner hides as little of it as it can.
        self.keep_clear: list[tuple[pygame.Rect, float]] = []
        self._banner_at: tuple[str, tuple[int, int], str] | None = None  # line, map size, place
        self.banner_key: str | None = None  # the line the banner showed when last drawn
        self.first_shown = 0  # index (in entries()) of the oldest entry drawn last time
        self.last_shown = 0

    # -- state ----------------------------------------------------------------
    def entries(self) -> list[FeedLine]:
        """The feed's lines under the current filters, oldest first."""
        return [line for line in self.feed.lines if line.category in self.shown]

    def pending(self) -> list[FeedLine]:
        """Critical lines not yet acknowledged, newest first (the banner's order: see the
        module's note)."""
        return [
            line
            for line in reversed(self.feed.lines)
            if line.critical and line.key not in self.acknowledged
        ]

    def acknowledge(self) -> bool:
        """Acknowledge the critical line the banner showed (the newest waiting if it has not
        been drawn since); False if none was waiting."""
        waiting = self.pending()
        if not waiting:
            return False
        keys = [line.key for line in waiting]
        self.acknowledged.add(self.banner_key if self.banner_key in keys else keys[0])
        return True

    def toggle(self, category: str) -> None:
        """Show or hide one category; "all" shows every one (or, if all show, only that)."""
        if category == ALL:
            self.shown = set(CATEGORIES)
        elif self.shown == set(CATEGORIES):
            self.shown = {category}
        elif category in self.shown and len(self.shown) > 1:
            self.shown.discard(category)
        else:
            self.shown.add(category)
        self.scroll = 0

    def scroll_by(self, entries: int) -> None:
        """Scroll back (positive) or forward (negative) by whole entries."""
        self.scroll = max(0, min(len(self.entries()) - 1, self.scroll + entries))

    def page(self, direction: int) -> None:
        """PgUp (1) / PgDn (-1): a screenful of entries."""
        self.scroll_by(direction * max(1, self.last_shown - self.first_shown))

    def to_newest(self) -> None:
        self.scroll = 0

    def added(self, lines: list[FeedLine]) -> None:
        """New feed lines: a reader scrolled back keeps the same entries in view."""
        if self.scroll:
            self.scroll += sum(1 for line in lines if line.category in self.shown)

    # -- input ------------------------------------------------------------------
    def click(self, pos: tuple[int, int]) -> bool:
        """A left click: on the banner it acknowledges, on a chip it filters."""
        if self.banner_rect is not None and self.banner_rect.collidepoint(pos):
            self.acknowledge()
            return True
        for box, category in self.chips:
            if box.collidepoint(pos):
                self.toggle(category)
                return True
        return self.rect.collidepoint(pos)

    def wheel(self, pos: tuple[int, int], steps: int) -> bool:
        """The mouse wheel over the timeline scrolls it (up: back in time)."""
        if not self.rect.collidepoint(pos):
            return False
        self.scroll_by(steps)
        return True

    # -- drawing ------------------------------------------------------------------
    def draw(
        self, surface: pygame.Surface, rect: pygame.Rect, notice: tuple[str, bool] | None
    ) -> None:
        """The heading, the filter chips, the notice of the last order, then the entries."""
        self.rect = pygame.Rect(rect)
        self.labels = []
        pygame.draw.rect(surface, BG_RGB, rect)
        pygame.draw.line(surface, EDGE_RGB, rect.topleft, rect.topright, 1)
        pygame.draw.line(surface, EDGE_RGB, rect.topleft, rect.bottomleft, 1)
        y = self._heading(surface, rect)
        y = self._chips(surface, rect, y)
        if notice is not None:
            y = self._notice(surface, rect, y, *notice)
        self._entries(surface, pygame.Rect(rect.x, y, rect.w, rect.bottom - y))

    def _text(
        self,
        surface: pygame.Surface,
        words: str,
        pos: tuple[int, int],
        size: int,
        colour: tuple[int, int, int],
        bold: bool = False,
        labels: list[Label] | None = None,
    ) -> pygame.Rect:
        """Draw ``words`` at ``pos`` and note them (for the clipping and no-id tests) in
        ``labels``: the log's own list unless the banner's is given."""
        image = theme.text(size, words, colour, bold)
        box = surface.blit(image, pos)
        (self.labels if labels is None else labels).append(
            Label(words, image.get_rect(topleft=pos), size, bold)
        )
        return box

    def _heading(self, surface: pygame.Surface, rect: pygame.Rect) -> int:
        self._text(
            surface, self.t("panel.feed"), (rect.x + PAD_PX, rect.y + 4), HEAD_PX, HEAD_RGB, True
        )
        waiting = len(self.pending())
        if waiting:
            words = self.t("timeline.unacked", n=waiting)
            width = theme.font(TEXT_PX, True).size(words)[0]
            self._text(
                surface,
                words,
                (rect.right - PAD_PX - width, rect.y + 6),
                TEXT_PX,
                CRITICAL_RGB,
                True,
            )
        return rect.y + 26

    def _chips(self, surface: pygame.Surface, rect: pygame.Rect, y: int) -> int:
        self.chips = []
        x = rect.x + PAD_PX
        everything = self.shown == set(CATEGORIES)
        for category in (ALL, *CATEGORIES):
            key = "timeline.all" if category == ALL else f"timeline.filter.{category}"
            words = self.t(key)
            on = everything if category == ALL else (category in self.shown and not everything)
            width = theme.font(CHIP_PX).size(words)[0] + 14
            box = pygame.Rect(x, y, width, CHIP_H)
            pygame.draw.rect(surface, CHIP_ON_RGB if on else CHIP_OFF_RGB, box, border_radius=4)
            pygame.draw.rect(surface, (90, 110, 140) if on else EDGE_RGB, box, 1, border_radius=4)
            image = theme.text(CHIP_PX, words, (255, 255, 255) if on else (170, 180, 195))
            place = image.get_rect(center=box.center)
            surface.blit(image, place)
            self.labels.append(Label(words, place, CHIP_PX))
            self.chips.append((box, category))
            x = box.right + 4
        return y + CHIP_H + 4

    def _notice(
        self, surface: pygame.Surface, rect: pygame.Rect, y: int, words: str, ok: bool
    ) -> int:
        lines = theme.wrap(words, NOTICE_PX, rect.w - 2 * PAD_PX - 16)[:3]
        box = pygame.Rect(rect.x + 4, y, rect.w - 8, 10 + NOTICE_LINE_PX * len(lines))
        pygame.draw.rect(surface, NOTICE_OK_RGB if ok else NOTICE_BAD_RGB, box, border_radius=5)
        edge = (120, 220, 140) if ok else (255, 140, 120)
        pygame.draw.rect(surface, edge, box, 2, border_radius=5)
        for i, line in enumerate(lines):
            self._text(
                surface,
                line,
                (box.x + 8, box.y + 5 + NOTICE_LINE_PX * i),
                NOTICE_PX,
                (255, 255, 255),
            )
        return box.bottom + 4

    def _entries(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        entries = self.entries()
        width = area.w - 2 * PAD_PX - 4
        if not entries:
            self._text(
                surface, self.t("timeline.empty"), (area.x + PAD_PX, area.y), TEXT_PX, HINT_RGB
            )
            self.first_shown = self.last_shown = 0
            return
        self.scroll = min(self.scroll, len(entries) - 1)
        end = len(entries) - self.scroll  # one past the newest entry in view
        room = area.h // LINE_PX - (1 if self.scroll else 0)  # a line for "newer" below
        chosen: list[tuple[FeedLine, tuple[str, ...]]] = []
        used = 0
        for line in reversed(entries[:end]):
            wrapped = theme.wrap(line.text, TEXT_PX, width, line.critical)  # bold if critical
            older = end - len(chosen) - 1  # entries before this one
            need = len(wrapped) + (1 if older else 0)  # and a line to say older ones exist
            if chosen and used + need > room:
                break
            if not chosen and len(wrapped) > room:
                wrapped = wrapped[: max(1, room - 1)]
            chosen.append((line, wrapped))
            used += len(wrapped)
        chosen.reverse()
        self.first_shown, self.last_shown = end - len(chosen), end
        y = area.y
        if self.first_shown:
            words = self.t("timeline.older", n=self.first_shown)
            self._text(surface, words, (area.x + PAD_PX, y), TEXT_PX, HINT_RGB)
            y += LINE_PX
        for line, wrapped in chosen:
            colour = SEVERITY_RGB.get(line.severity, (220, 220, 220))
            if line.critical:
                waiting = line.key not in self.acknowledged
                bar = pygame.Rect(area.x + 3, y + 2, 3, LINE_PX * len(wrapped) - 4)
                pygame.draw.rect(surface, CRITICAL_RGB if waiting else (150, 80, 80), bar)
            for part in wrapped:
                self._text(surface, part, (area.x + PAD_PX + 2, y), TEXT_PX, colour, line.critical)
                y += LINE_PX
        if self.scroll:
            words = self.t("timeline.newer", n=self.scroll)
            self._text(surface, words, (area.x + PAD_PX, area.bottom - LINE_PX), TEXT_PX, HINT_RGB)

    def draw_banner(
        self,
        surface: pygame.Surface,
        map_rect: pygame.Rect,
        under: Callable[[pygame.Rect], float] | None = None,
    ) -> pygame.Rect | None:
        """The newest unacknowledged critical line on the map's top edge, no wider than its
        text, where it hides least (:meth:`_banner_place`); the older lines waiting show as
        the edges of a stack under it. ``under`` says what the notice drawn under the stack
        (the new-incident alert: ui.hud.IncidentAlert.hidden_under) would hide below a stack
        at a given box, so the two together keep off names and marks. Returns the whole
        stack's box (None: nothing waiting)."""
        waiting = self.pending()
        self.banner_labels = []
        if not waiting:
            self.banner_rect = None
            self.banner_key = None
            return None
        text = self.t("timeline.critical", text=waiting[0].text)
        more = len(waiting) - 1
        hint = self.t("timeline.ack_more", n=more) if more else self.t("timeline.ack")
        behind = min(more, STACK_EDGES_MAX)
        lines, box = self._banner_place(waiting[0].key, text, hint, map_rect, behind, under)
        self.banner_key = waiting[0].key
        stack = self._stack(surface, box, behind)
        pygame.draw.rect(surface, BANNER_RGB, box, border_radius=6)
        pygame.draw.rect(surface, (255, 220, 200), box, 2, border_radius=6)
        y = box.y + BANNER_PAD_Y
        for line in lines:
            self._banner_text(surface, line, (box.x + BANNER_PAD_X, y), BANNER_PX, (255,) * 3, True)
            y += BANNER_LINE_PX
        self._banner_text(surface, hint, (box.x + BANNER_PAD_X, y), ACK_PX, (255, 215, 200))
        self.banner_rect = stack
        return stack

    def _banner_place(
        self,
        key: str,
        text: str,
        hint: str,
        map_rect: pygame.Rect,
        behind: int,
        under: Callable[[pygame.Rect], float] | None = None,
    ) -> tuple[tuple[str, ...], pygame.Rect]:
        """The banner's lines and box: in the middle of the map's top edge on as few lines as
        fit, unless a narrower banner (more lines) there, at the left or at the right hides
        less of what :attr:`keep_clear` lists, counting what ``under`` says the notice under
        the stack would hide there (it goes where the banner goes). While the line is shown
        the banner stays where it is unless moving would uncover a good deal more
        (:data:`BANNER_STAY`)."""
        full = min(BANNER_MAX_W, map_rect.w - 16) - 2 * BANNER_PAD_X
        places: dict[str, tuple[tuple[str, ...], pygame.Rect]] = {}
        for shape, room in (("wide", full), ("narrow", max(BANNER_NARROW_W, full // 2))):
            lines = theme.wrap(text, BANNER_PX, room, True)[:BANNER_LINES_MAX]
            widths = [theme.font(BANNER_PX, True).size(line)[0] for line in lines]
            width = max(*widths, theme.font(ACK_PX).size(hint)[0]) + 2 * BANNER_PAD_X
            height = 2 * BANNER_PAD_Y + BANNER_LINE_PX * len(lines) + ACK_LINE_PX
            for side, x in (
                ("middle", map_rect.centerx - width // 2),
                ("left", map_rect.x + 8),
                ("right", map_rect.right - 8 - width),
            ):
                places[f"{shape} {side}"] = (
                    lines,
                    pygame.Rect(x, map_rect.y + BANNER_TOP_PX, width, height),
                )
        order = list(places)

        def hidden(name: str) -> float:
            box = places[name][1]
            box = pygame.Rect(box.x, box.y, box.w, box.h + behind * STACK_EDGE_PX)
            below = under(box) if under is not None else 0.0
            return below + sum(w * box.clip(r).w * box.clip(r).h for r, w in self.keep_clear)

        name = min(order, key=lambda n: (hidden(n), order.index(n)))
        kept = self._banner_at
        same = kept is not None and kept[:2] == (key, map_rect.size) and kept[2] in places
        if kept is not None and same and hidden(kept[2]) <= hidden(name) + BANNER_STAY:
            name = kept[2]  # it does not move for a little less hidden
        self._banner_at = (key, map_rect.size, name)
        return places[name]

    @staticmethod
    def _stack(surface: pygame.Surface, box: pygame.Rect, behind: int) -> pygame.Rect:
        """The edges of ``behind`` cards under ``box`` (each a little narrower and lower);
        the box of the whole stack."""
        whole = pygame.Rect(box)
        for k in range(behind, 0, -1):
            card = box.move(0, k * STACK_EDGE_PX).inflate(-12 * k, 0)
            pygame.draw.rect(surface, (96, 22, 22), card, border_radius=6)
            pygame.draw.rect(surface, (200, 140, 130), card, 1, border_radius=6)
            whole.union_ip(card)
        return whole

    def _banner_text(
        self,
        surface: pygame.Surface,
        words: str,
        pos: tuple[int, int],
        size: int,
        colour: tuple[int, int, int],
        bold: bool = False,
    ) -> None:
        self._text(surface, words, pos, size, colour, bold, self.banner_labels)
