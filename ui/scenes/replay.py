"""The replay viewer: a logged drill as it happened, scrubbed and played at any speed.

The drill is re-run from its log once, a slice per frame, keeping a picture
every sim-minute (:mod:`ui.replay_frames`); what is computed can be watched
and scrubbed at once, backwards as quickly as forwards. The map is the drill
scene's (:class:`ui.map_widget.MapWidget`); the timeline under it carries the
trainee's orders and the injects as marks (:mod:`ui.replay_timeline`); the
panel lists the marks around the playhead and the log's feed up to it.
"Take command from here" rebuilds the drill to the minute shown and hands it
to the drill scene (:mod:`ui.replay_take`): the new log is a branch of this
one.
"""

from __future__ import annotations

import bisect
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from sim.branch import Parent, branch_of, open_parent
from ui import hud, theme
from ui.colours import SEVERITY_RGB
from ui.feed import Feed, FeedLine, clock_text, describe_event, describe_order
from ui.map_widget import MapWidget
from ui.names import Names
from ui.replay_frames import Mark, ReplayFrames, marks_of
from ui.replay_take import TakeOver
from ui.replay_timeline import MARK_RGB, TimelineBar
from ui.scene import Scene

if TYPE_CHECKING:
    from ui.app import App

TOP_BAR_PX = 40
PANEL_W = 350
TIMELINE_H = 104
BUTTON_H = 30
SPEEDS = (1, 10, 60, 300)  # sim-seconds per wall-second, as in the drill's top bar
STEP_MIN = 1.0
BIG_STEP_MIN = 10.0
DRAG_PX = 5
LINE_PX = 18
PAST_MARKS = 6
NEXT_MARKS = 3
SPEED_KEYS = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2, pygame.K_4: 3}


class ReplayScene(Scene):
    """Watches one drill log; can hand a branch of it to the drill scene."""

    def __init__(self, app: App, log: Path | Parent) -> None:
        super().__init__(app)
        self.parent = log if isinstance(log, Parent) else open_parent(log)
        self.frames = ReplayFrames(self.parent)
        self.marks = marks_of(self.parent.events)
        self.times = [e.t_min for e in self.parent.events]
        first = self.frames.frames[0]
        self.start_clock = first.clock_min - first.t_min
        branch = branch_of(self.parent.header)
        self.branch_min = float(branch["at_min"]) if branch else None
        self.branch_parent = str(branch.get("parent", "")) if branch else ""
        self.now_min = 0.0
        self.speed_index = 2
        self.paused = False
        self.taking: TakeOver | None = None
        self.hovered: Mark | None = None
        self.hover_pos: tuple[int, int] | None = None
        self.tip_rect: pygame.Rect | None = None  # the mark's tip as last drawn (None: none)
        self.scrubbing = False
        self._drag_from: tuple[int, int] | None = None
        self._dragged = False
        self._press_x = 0
        self._mark_rows: list[tuple[pygame.Rect, Mark]] = []
        self.clock_s = 0.0

    # -- scene protocol ---------------------------------------------------------
    def enter(self) -> None:
        width, height = self.app.size
        t = self.t
        self.names = Names(self.parent.loaded, t)
        for frame in self.frames.frames[-1:]:
            self.names.note_incidents(frame.incidents)
        self.feed = Feed(t, self.names, self.start_clock)
        self._feed_upto = 0
        self._mark_texts: dict[int, str] = {}
        map_rect = pygame.Rect(0, TOP_BAR_PX, width - PANEL_W, height - TOP_BAR_PX - TIMELINE_H)
        camera = getattr(getattr(self, "map", None), "camera", None)
        self.map = MapWidget(map_rect, self.frames.frames[0], t, self.names, self.parent.loaded)
        if camera is not None and camera.rect.size == map_rect.size:
            self.map.camera = camera
        self.top_rect = pygame.Rect(0, 0, width, TOP_BAR_PX)
        self.strip = pygame.Rect(0, height - TIMELINE_H, width - PANEL_W, TIMELINE_H)
        bar = pygame.Rect(0, self.strip.y + BUTTON_H + 12, self.strip.w, TIMELINE_H - BUTTON_H - 12)
        self.bar = TimelineBar(bar, self.frames.last_min, self.start_clock, self.marks)
        self.panel = pygame.Rect(width - PANEL_W, TOP_BAR_PX, PANEL_W, height - TOP_BAR_PX)
        self._buttons()
        self._sync_feed()

    def _buttons(self) -> None:
        t, y = self.t, self.strip.y + 6
        self.buttons.clear()
        x = 10
        self.play_button = self.buttons.add(
            pygame.Rect(x, y, 86, BUTTON_H), self._play_label(), self.toggle_pause
        )
        x += 92
        self.speed_buttons = []
        for index, speed in enumerate(SPEEDS):
            button = self.buttons.add(
                pygame.Rect(x, y, 58, BUTTON_H),
                t("replay.speed", speed=speed),
                lambda i=index: self.set_speed(i),
            )
            self.speed_buttons.append(button)
            x += 62
        width = min(260, theme.font(15).size(self._take_label())[0] + 36)  # fits its label
        self.take_button = self.buttons.add(
            pygame.Rect(self.strip.right - 10 - width, y, width, BUTTON_H),
            self._take_label(),
            self.take_command,
        )
        self._refresh_buttons()

    def _play_label(self) -> str:
        return self.t("replay.play" if self.paused else "replay.pause")

    def _take_label(self) -> str:
        return self.t("replay.take", clock=clock_text(self.start_clock + self.take_minute))

    def _refresh_buttons(self) -> None:
        self.buttons.update(self.play_button, self._play_label(), self.toggle_pause, True)
        for index, button in enumerate(self.speed_buttons):
            if index == self.speed_index:
                button.select()
            else:
                button.unselect()
        can_take = self.taking is None and self.take_minute <= self.frames.computed_min
        self.buttons.update(self.take_button, self._take_label(), self.take_command, can_take)

    def leave(self) -> None:
        super().leave()
        self.buttons.actions.clear()

    def request_quit(self) -> bool:
        """Closing the window: a take-over under way is given up (its half log removed)."""
        if self.taking is not None:
            self.taking.cancel()
            self.taking = None
        return True

    # -- what the viewer does ------------------------------------------------------
    @property
    def speed(self) -> int:
        return SPEEDS[self.speed_index]

    @property
    def take_minute(self) -> float:
        """The minute a take-over starts at: the whole minute shown (its picture is exact)."""
        return self.frames.frame_minute(self.now_min)

    def toggle_pause(self) -> None:
        if self.paused and self.now_min >= self.frames.last_min:
            self.now_min = 0.0  # at the end, play starts again from the beginning
        self.paused = not self.paused
        self._refresh_buttons()

    def set_speed(self, index: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, index))
        self.paused = False
        self._refresh_buttons()

    def seek(self, t_min: float) -> None:
        """Move the playhead to ``t_min`` (within what is computed so far)."""
        self.now_min = max(0.0, min(float(t_min), self.frames.computed_min))
        self._sync_feed()
        self._refresh_buttons()

    def jump_mark(self, direction: int) -> None:
        """To the next (``direction`` 1) or previous (-1) mark from the playhead."""
        times = sorted({m.t_min for m in self.marks})
        if direction > 0:
            later = [t for t in times if t > self.now_min + 1e-6]
            if later:
                self.seek(later[0])
        else:
            earlier = [t for t in times if t < self.now_min - 1e-6]
            if earlier:
                self.seek(earlier[-1])

    def take_command(self) -> None:
        """Rebuild the drill to the minute shown; the drill scene takes it from there."""
        if self.taking is not None:
            return
        self.paused = True
        self.taking = TakeOver(self.parent, self.take_minute)
        self._refresh_buttons()

    def _hand_over(self) -> None:
        from ui.scenes.drill import DrillScene

        assert self.taking is not None
        session = self.taking.finish()
        self.taking = None
        scene = DrillScene(self.app, session.loaded, session.seed, session=session)
        self.app.switch(scene)

    # -- input ----------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if self.taking is not None:
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.taking.cancel()
                self.taking = None
                self._refresh_buttons()
            return
        if self.buttons.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            self._mouse(event)
        elif event.type == pygame.MOUSEWHEEL and self.map.rect.collidepoint(pygame.mouse.get_pos()):
            self.map.camera.zoom_by(1.2**event.y, pygame.mouse.get_pos())

    def _key(self, event: pygame.event.Event) -> None:
        step = BIG_STEP_MIN if event.mod & pygame.KMOD_SHIFT else STEP_MIN
        if event.key == pygame.K_SPACE:
            self.toggle_pause()
        elif event.key in SPEED_KEYS:
            self.set_speed(SPEED_KEYS[event.key])
        elif event.key == pygame.K_LEFT:
            self.seek(math.ceil(self.now_min / step - 1e-9) * step - step)
        elif event.key == pygame.K_RIGHT:
            self.seek(math.floor(self.now_min / step + 1e-9) * step + step)
        elif event.key == pygame.K_HOME:
            self.seek(0.0)
        elif event.key == pygame.K_END:
            self.seek(self.frames.computed_min)
        elif event.key == pygame.K_PAGEUP:
            self.jump_mark(-1)
        elif event.key == pygame.K_PAGEDOWN:
            self.jump_mark(1)
        elif event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.map.camera.zoom_by(1.25)
        elif event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.map.camera.zoom_by(0.8)

    def _mouse(self, event: pygame.event.Event) -> None:
        if not self.scrubbing and self.map.handle_event(event):  # the minimap and the legend
            return
        if event.type == pygame.MOUSEMOTION:
            self.hover_pos = event.pos
            self.hovered = self.bar.mark_at(event.pos)
            if self.scrubbing and (self._dragged or abs(event.pos[0] - self._press_x) > DRAG_PX):
                self._dragged = True  # a click on a mark stays on it; a drag scrubs
                self.seek(self.bar.minute_at(event.pos[0]))
            elif self._drag_from is not None:
                dx, dy = event.pos[0] - self._drag_from[0], event.pos[1] - self._drag_from[1]
                if self._dragged or abs(dx) + abs(dy) > DRAG_PX:
                    self.map.camera.pan(dx, dy)
                    self._drag_from, self._dragged = event.pos, True
            return
        if getattr(event, "button", 0) != 1:
            return
        if event.type == pygame.MOUSEBUTTONDOWN:
            if self.bar.contains(event.pos):
                mark = self.bar.mark_at(event.pos)
                self.seek(mark.t_min if mark else self.bar.minute_at(event.pos[0]))
                self.scrubbing, self._press_x, self._dragged = True, event.pos[0], False
            elif self.map.rect.collidepoint(event.pos):
                self._drag_from, self._dragged = event.pos, False
            else:
                for row, mark in self._mark_rows:
                    if row.collidepoint(event.pos):
                        self.seek(mark.t_min)
        else:
            self.scrubbing = False
            self._drag_from = None

    # -- time -----------------------------------------------------------------------
    def update(self, dt_s: float) -> None:
        self.clock_s += dt_s
        self.map.pulse = self.clock_s
        if self.taking is not None:
            self.taking.step()
            if self.taking.done:
                self._hand_over()
            return
        known = len(self.frames.frames)
        self.frames.compute()
        if len(self.frames.frames) != known:
            self.names.note_incidents(self.frames.frames[-1].incidents)
            self._refresh_buttons()
        if not self.paused and not self.scrubbing:
            before = self.now_min
            self.now_min = min(self.now_min + dt_s * self.speed / 60.0, self.frames.computed_min)
            if self.now_min >= self.frames.last_min:
                self.paused = True
            if self.frames.frame_minute(before) != self.frames.frame_minute(self.now_min):
                self._refresh_buttons()
            self._sync_feed()

    def _sync_feed(self) -> None:
        """The feed holds the log's events up to the playhead (rebuilt when it moves back)."""
        upto = bisect.bisect_right(self.times, self.now_min)
        if upto < self._feed_upto:
            self.feed = Feed(self.t, self.names, self.start_clock)
        if upto != self._feed_upto:
            self.feed.pull(self.parent.events[:upto])
            self._feed_upto = upto

    # -- drawing --------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        snap = self.frames.at(self.now_min)
        self.map.draw(surface, snap, None)
        hud.draw_top_bar(surface, self.top_rect, snap, self.t, self.speed, self.paused)
        self._draw_banner(surface)
        pygame.draw.rect(surface, (16, 20, 26), self.strip)
        pygame.draw.line(surface, (60, 70, 84), self.strip.topleft, self.strip.topright, 1)
        self.bar.draw(
            surface, self.now_min, self.frames.computed_min, self.branch_min, self.hovered
        )
        self._draw_panel(surface)
        self.tip_rect = None
        if self.hovered is not None and self.hover_pos is not None:
            self._draw_tip(surface, self.hover_pos, self.mark_text(self.hovered))
        if self.taking is not None:
            self._draw_taking(surface)

    def _draw_banner(self, surface: pygame.Surface) -> None:
        """ "REPLAY" across the top of the map, so it is never taken for a live drill."""
        text = self.t("replay.banner", clock=clock_text(self.start_clock + self.now_min))
        image = theme.text(16, text, (255, 255, 255), True)
        box = image.get_rect(midtop=(self.map.rect.centerx, self.map.rect.y + 8)).inflate(20, 8)
        pygame.draw.rect(surface, (40, 60, 110), box, border_radius=5)
        pygame.draw.rect(surface, (150, 180, 240), box, 1, border_radius=5)
        surface.blit(image, image.get_rect(center=box.center))

    def _draw_status(self, surface: pygame.Surface, x: int, y: int, w: int) -> int:
        """In the panel: the computing progress, or whether the replay matches the log."""
        frames = self.frames
        if frames.diverged_at is not None:
            text, colour = self.t("replay.diverged", line=frames.diverged_at), (255, 140, 120)
        elif not frames.done:
            percent = int(100 * frames.progress)
            text, colour = self.t("replay.computing", percent=percent), (230, 200, 120)
        else:
            text, colour = self.t("replay.verified"), (120, 220, 140)
        y = self._text(surface, text, 13, colour, x, y, w)
        if not frames.done and frames.diverged_at is None:
            bar = pygame.Rect(x, y + 2, w, 5)
            pygame.draw.rect(surface, (52, 60, 72), bar)
            pygame.draw.rect(surface, colour, (bar.x, bar.y, int(bar.w * frames.progress), bar.h))
            y += 9
        return y

    def _draw_panel(self, surface: pygame.Surface) -> None:
        rect = self.panel
        pygame.draw.rect(surface, (22, 27, 34), rect)
        pygame.draw.line(surface, (60, 70, 84), rect.topleft, rect.bottomleft, 1)
        x, y, w = rect.x + 12, rect.y + 10, rect.w - 24
        meta = self.parent.loaded.scenario.meta
        y = self._text(surface, self.t("replay.title"), 20, (255, 255, 255), x, y, w, bold=True)
        title = self.t.pick(meta.title.en, meta.title.zh)
        y = self._text(surface, title, 15, (220, 226, 235), x, y + 2, w)
        info = self.t("replay.log", name=self.parent.path.name, seed=self.parent.seed)
        y = self._text(surface, info, 13, (150, 160, 175), x, y + 2, w)
        if self.branch_min is not None:
            clock = clock_text(self.start_clock + self.branch_min)
            text = self.t("replay.branch_of", parent=self.branch_parent, clock=clock)
            y = self._text(surface, text, 13, (120, 220, 140), x, y + 2, w)
        y = self._draw_status(surface, x, y + 2, w) + 10
        y = self._draw_marks(surface, x, y, w)
        feed = pygame.Rect(rect.x, max(y + 8, rect.bottom - 250), rect.w, 0)
        feed.h = rect.bottom - feed.y
        self._draw_feed(surface, feed)

    def _draw_marks(self, surface: pygame.Surface, x: int, y: int, w: int) -> int:
        """The orders and injects around the playhead: the latest past ones, the next few."""
        y = self._text(surface, self.t("replay.marks"), 15, (170, 190, 215), x, y, w, bold=True)
        y = self._draw_legend(surface, x, y + 2)
        past = [m for m in self.marks if m.t_min <= self.now_min]
        coming = [m for m in self.marks if m.t_min > self.now_min][:NEXT_MARKS]
        self._mark_rows = []
        if not past and not coming:
            return self._text(surface, self.t("replay.no_marks"), 13, (150, 160, 175), x, y, w)
        for mark in [*past[-PAST_MARKS:], *coming]:
            done = mark.t_min <= self.now_min
            colour = MARK_RGB[mark.kind] if done else (110, 118, 130)
            lines = theme.wrap(self.mark_text(mark), 13, w - 14)[:2]
            row = pygame.Rect(x - 4, y, w + 8, LINE_PX * len(lines) + 2)
            if mark is (past[-1] if past else None):
                pygame.draw.rect(surface, (40, 48, 60), row, border_radius=3)
            pygame.draw.rect(surface, colour, (x, y + 5, 6, 6))
            for line in lines:
                surface.blit(theme.text(13, line, (230, 234, 240) if done else colour), (x + 12, y))
                y += LINE_PX
            self._mark_rows.append((row, mark))
            y += 2
        return y

    def _draw_legend(self, surface: pygame.Surface, x: int, y: int) -> int:
        for kind in ("order", "refused", "inject"):
            pygame.draw.rect(surface, MARK_RGB[kind], (x, y + 5, 6, 6))
            label = theme.text(12, self.t(f"replay.mark_{kind}"), (170, 180, 195))
            surface.blit(label, (x + 10, y))
            x += label.get_width() + 24
        return y + LINE_PX + 2

    def _draw_feed(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.rect(surface, (16, 20, 26), rect)
        pygame.draw.line(surface, (60, 70, 84), rect.topleft, rect.topright, 1)
        head = theme.text(15, self.t("replay.feed"), (170, 190, 215), True)
        surface.blit(head, (rect.x + 10, rect.y + 6))
        room = max(0, (rect.h - 34) // LINE_PX)
        shown: list[tuple[tuple[str, ...], tuple[int, int, int]]] = []
        for line in reversed(self.feed.lines):  # the newest whole entries that fit
            parts = theme.wrap(line.text, 13, rect.w - 20)
            if len(parts) > room:
                break
            room -= len(parts)
            shown.append((parts, _severity_rgb(line)))
        y = rect.y + 30
        for parts, colour in reversed(shown):
            for text in parts:
                surface.blit(theme.text(13, text, colour), (rect.x + 10, y))
                y += LINE_PX

    def _draw_tip(self, surface: pygame.Surface, pos: tuple[int, int], message: str) -> None:
        """A mark's text by the pointer, placed as the drill map's tips are (ui.hud.tip_box):
        kept on the map, above the buttons (they draw over us), so never on the pointer or
        the mark; beside the pointer on whichever side hides least of the map's names,
        marks and furniture (legend, wind, scale bar, minimap)."""
        avoid = [*self.map.tip_avoid(), *self.map.panels.values()]
        self.tip_rect = hud.draw_hover(surface, self.map.rect, pos, message, avoid)

    def _draw_taking(self, surface: pygame.Surface) -> None:
        assert self.taking is not None
        clock = clock_text(self.start_clock + self.taking.at_min)
        text = self.t("replay.rebuilding", clock=clock, percent=int(100 * self.taking.progress))
        box = pygame.Rect(0, 0, 520, 150)
        box.center = self.map.rect.center
        hud.draw_modal(surface, box, text + "\n" + self.t("replay.rebuilding_hint"))
        bar = pygame.Rect(box.x + 30, box.bottom - 34, box.w - 60, 10)
        pygame.draw.rect(surface, (52, 60, 72), bar, border_radius=4)
        filled = bar.copy()
        filled.w = int(bar.w * self.taking.progress)
        pygame.draw.rect(surface, (120, 220, 140), filled, border_radius=4)

    def _text(
        self,
        surface: pygame.Surface,
        text: str,
        size: int,
        colour: tuple[int, int, int],
        x: int,
        y: int,
        w: int,
        bold: bool = False,
    ) -> int:
        for line in theme.wrap(text, size, w, bold):
            surface.blit(theme.text(size, line, colour, bold), (x, y))
            y += size + 5
        return y

    def mark_text(self, mark: Mark) -> str:
        """ "02:31 order: evacuate …" — what a mark stands for, in the viewer's language."""
        cached = self._mark_texts.get(mark.index)
        if cached is not None:
            return cached
        t, clock = self.t, clock_text(self.start_clock + mark.t_min)
        if mark.event.kind == "CommandIssued":
            order = describe_order(mark.event.data.get("command", {}), t, self.names)
            if mark.kind == "refused":
                reason = t.enum("reason", mark.event.data.get("reason"))
                text = t("replay.mark_text_refused", clock=clock, order=order, reason=reason)
            else:
                text = t(f"replay.mark_text_{mark.kind}", clock=clock, order=order)
        else:
            text = t("replay.mark_text_inject", clock=clock, order=self._inject_text(mark))
        self._mark_texts[mark.index] = text
        return text

    def _inject_text(self, mark: Mark) -> str:
        """An inject told by what it brought: the first thing the feed says of it."""
        for event in self.parent.events[mark.index + 1 :]:
            if event.t_min != mark.t_min or event.kind == "InjectFired":
                break
            described = describe_event(event, self.t, self.names)
            if described is not None:
                return described[0]
        return self.t("replay.inject_fired")


def _severity_rgb(line: FeedLine) -> tuple[int, int, int]:
    return SEVERITY_RGB.get(line.severity, (220, 220, 220))
