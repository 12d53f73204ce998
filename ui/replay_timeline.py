"""The replay's timeline: the drill's span, how much is computed, the playhead, and marks.

Orders stand above the track (blue; a refused one red), injects below it
(orange triangles), the branch minute of a branch log as a green flag. Hour
labels give the drill's clock. The bar only draws and answers where the
pointer is (a minute, a mark); the replay scene decides what a click does.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from ui import theme
from ui.feed import clock_text
from ui.replay_frames import Mark

PAD_PX = 16
TRACK_DY = 22  # the track's height below the bar's top
MARK_HIT_PX = 6
ORDER_RGB = (110, 170, 255)
REFUSED_RGB = (255, 110, 100)
INJECT_RGB = (255, 170, 60)
BRANCH_RGB = (120, 220, 140)
TRACK_RGB = (52, 60, 72)
COMPUTED_RGB = (120, 134, 152)
PLAYHEAD_RGB = (255, 255, 255)
MARK_RGB = {"order": ORDER_RGB, "refused": REFUSED_RGB, "inject": INJECT_RGB}


class TimelineBar:
    """The timeline of one drill from minute 0 to ``end_min``, drawn in ``rect``."""

    def __init__(
        self, rect: pygame.Rect, end_min: float, start_clock_min: float, marks: Sequence[Mark]
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.end_min = max(end_min, 1e-9)
        self.start_clock_min = start_clock_min
        self.marks = list(marks)
        self.track_y = self.rect.y + TRACK_DY

    def x_of(self, t_min: float) -> int:
        span = self.rect.w - 2 * PAD_PX
        share = max(0.0, min(1.0, t_min / self.end_min))
        return round(self.rect.x + PAD_PX + share * span)

    def minute_at(self, x: int) -> float:
        span = max(1, self.rect.w - 2 * PAD_PX)
        share = (x - self.rect.x - PAD_PX) / span
        return max(0.0, min(1.0, share)) * self.end_min

    def contains(self, pos: tuple[int, int]) -> bool:
        return self.rect.collidepoint(pos)

    def mark_at(self, pos: tuple[int, int]) -> Mark | None:
        """The mark drawn nearest ``pos`` within a few pixels, or None."""
        if not self.contains(pos) or abs(pos[1] - self.track_y) > 18:
            return None
        near = [(abs(self.x_of(m.t_min) - pos[0]), i) for i, m in enumerate(self.marks)]
        near = [(d, i) for d, i in near if d <= MARK_HIT_PX]
        above = pos[1] < self.track_y  # orders above the track, injects below
        near.sort(key=lambda d: (d[0], (self.marks[d[1]].kind == "inject") == above))
        return self.marks[near[0][1]] if near else None

    def draw(
        self,
        surface: pygame.Surface,
        now_min: float,
        computed_min: float,
        branch_min: float | None = None,
        hovered: Mark | None = None,
    ) -> None:
        rect = self.rect
        pygame.draw.rect(surface, (16, 20, 26), rect)
        left, y = self.x_of(0.0), self.track_y
        pygame.draw.line(surface, TRACK_RGB, (left, y), (self.x_of(self.end_min), y), 6)
        pygame.draw.line(surface, COMPUTED_RGB, (left, y), (self.x_of(computed_min), y), 6)
        self._draw_hours(surface)
        for mark in self.marks:
            self._draw_mark(surface, mark, mark is hovered)
        if branch_min is not None:
            x = self.x_of(branch_min)
            pygame.draw.line(surface, BRANCH_RGB, (x, y - 16), (x, y + 16), 2)
            pygame.draw.polygon(surface, BRANCH_RGB, [(x, y - 16), (x + 10, y - 12), (x, y - 8)])
        x = self.x_of(now_min)
        pygame.draw.line(surface, PLAYHEAD_RGB, (x, rect.y + 4), (x, y + 16), 2)
        pygame.draw.circle(surface, PLAYHEAD_RGB, (x, y), 7)
        pygame.draw.circle(surface, (30, 36, 44), (x, y), 4)

    def _draw_mark(self, surface: pygame.Surface, mark: Mark, hovered: bool) -> None:
        x, y = self.x_of(mark.t_min), self.track_y
        colour = MARK_RGB[mark.kind]
        if mark.kind == "inject":
            size = 6 if hovered else 4
            pygame.draw.polygon(
                surface,
                colour,
                [(x, y + 5), (x - size, y + 7 + 2 * size), (x + size, y + 7 + 2 * size)],
            )
        else:
            top = y - (18 if hovered else 15)
            pygame.draw.line(surface, colour, (x, top), (x, y - 5), 3 if hovered else 2)

    def _draw_hours(self, surface: pygame.Surface) -> None:
        """A tick and the clock at each whole hour of the drill's clock (every other hour
        when they would crowd)."""
        hours = self.end_min / 60.0
        span = self.rect.w - 2 * PAD_PX
        step = 1 if span / max(hours, 1) >= 56 else 2 if span / max(hours, 1) >= 28 else 4
        first = (60 - self.start_clock_min % 60) % 60
        t = first
        while t <= self.end_min + 1e-9:
            clock = self.start_clock_min + t
            if round(clock / 60) % step == 0:
                x = self.x_of(t)
                pygame.draw.line(
                    surface, (90, 100, 116), (x, self.track_y + 18), (x, self.track_y + 22)
                )
                label = theme.text(12, clock_text(clock), (150, 160, 175))
                surface.blit(label, label.get_rect(midtop=(x, self.track_y + 24)))
            t += 60.0
