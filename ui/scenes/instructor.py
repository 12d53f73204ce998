"""The instructor's console: the served drill's truth, and the levers to steer it.

The console is a seat (``instructor``) at a served drill (:mod:`sim.serve`),
driven through :class:`ui.remote_session.RemoteSession`. It shows the map as
it truly is (the instructor's snapshot), the scenario's injects with their
schedule and state (which the trainee is not told), whether the trainee is
seated, and the feed. It fires injects early, holds them (to fire late or
never), opens an incident where the instructor clicks, takes a road away,
shifts the wind, delays a reinforcement, sends the trainee a message, marks
the moment with a note for the after-action report, and holds or speeds the
drill. Every lever is a command through the engine's door, logged as the
instructor's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from sim import (
    DelayReinforcement,
    FireInject,
    HoldInject,
    IncidentKind,
    LoseRoad,
    MarkMoment,
    Role,
    SendMessage,
    ShiftWind,
    StartIncident,
)
from sim.seats import SPEEDS
from ui import hud, theme
from ui.colours import SEVERITY_RGB
from ui.feed import Feed, clock_text
from ui.map_widget import MapWidget
from ui.names import Names
from ui.scene import Scene

if TYPE_CHECKING:
    from sim import Command, CommandResult
    from ui.app import App
    from ui.remote_session import RemoteSession

TOP_BAR_PX = 40
PANEL_W = 400
ROW_H = 28
GAP = 6
PAD = 10
FEED_LINES = 7
INCIDENT_KINDS = (
    IncidentKind.TRAPPED,
    IncidentKind.CASUALTIES,
    IncidentKind.BUILDING_FIRE,
    IncidentKind.LEAK,
    IncidentKind.LEVEE_DAMAGE,
)
INCIDENT_PEOPLE = 6
DELAY_MIN = 30.0
WIND_STEP_M_PER_S = 2.0
WIND_STEP_DEG = 45.0
TEXT_RGB = (225, 230, 238)
DIM_RGB = (150, 160, 175)
HEAD_RGB = (255, 214, 120)
PANEL_BG = (28, 33, 41)


class InstructorScene(Scene):
    """The instructor's seat at a served drill (see the module docstring)."""

    def __init__(self, app: App, session: RemoteSession, join_hint: str = "") -> None:
        super().__init__(app)
        self.session = session
        self.join_hint = join_hint  # how the trainee joins (shown when the console hosts)
        self.kind_index = 0
        self.road_index = 0
        self.reinforcement_index = 0
        self.placing = False  # the next map click opens an incident there
        self.last: tuple[str, bool] | None = None
        snap = session.snapshot
        self.wind = (float(snap.weather.wind_speed_m_per_s), float(snap.weather.wind_from_deg))
        self.roads = [r.id for r in session.loaded.scenario.roads]
        self.reinforcements = [r.id for r in session.loaded.scenario.forces.reinforcements]
        self.notes: list[tuple[float, str]] = []
        self._events_seen = 0

    # -- scene protocol ---------------------------------------------------------
    def enter(self) -> None:
        width, height = self.app.size
        snap = self.session.snapshot
        self.names = Names(self.session.loaded, self.t)
        self.names.note_incidents(snap.incidents)
        self.start_clock = snap.clock_min - snap.t_min
        self.feed = Feed(self.t, self.names, self.start_clock)
        self.feed.pull(self.session.drill.events)
        self.top_rect = pygame.Rect(0, 0, width, TOP_BAR_PX)
        map_rect = pygame.Rect(0, TOP_BAR_PX, width - PANEL_W, height - TOP_BAR_PX)
        self.map = MapWidget(map_rect, snap, self.t, self.names, self.session.loaded)
        self.panel = pygame.Rect(width - PANEL_W, TOP_BAR_PX, PANEL_W, height - TOP_BAR_PX)
        self._build()

    def _build(self) -> None:
        self.buttons.clear()
        if getattr(self, "entry", None) is not None:
            self.entry.kill()
        t, x0, w = self.t, self.panel.x + PAD, PANEL_W - 2 * PAD
        y = self.panel.y + PAD + 20
        third = (w - 2 * GAP) // 3
        self.hold_button = self.buttons.add(
            pygame.Rect(x0, y, third, ROW_H), self._hold_label(), self.toggle_hold
        )
        self.buttons.add(
            pygame.Rect(x0 + third + GAP, y, third, ROW_H), t("instructor.slower"), self.slower
        )
        self.buttons.add(
            pygame.Rect(x0 + 2 * (third + GAP), y, third, ROW_H),
            t("instructor.faster"),
            self.faster,
        )
        y += ROW_H + GAP + 22
        self.inject_rows: list[tuple[int, str]] = []
        name_w = w - 2 * (64 + GAP)
        for inject in self.session.loaded.scenario.injects:
            self.inject_rows.append((y, inject.id))
            self.buttons.add(
                pygame.Rect(x0 + name_w + GAP, y, 64, ROW_H - 2),
                t("instructor.fire"),
                lambda i=inject.id: self.fire(i),
            )
            self.buttons.add(
                pygame.Rect(x0 + name_w + 64 + 2 * GAP, y, 64, ROW_H - 2),
                t("instructor.hold"),
                lambda i=inject.id: self.hold(i),
            )
            y += ROW_H
        y += GAP + 22
        self.adhoc_y = y - 22
        half = (w - GAP) // 2
        rows: list[list[tuple[str, Any]]] = [
            [(self._kind_label(), self.next_kind), (t("instructor.place"), self.arm_incident)],
            [(self._road_label(), self.next_road), (t("instructor.lose_road"), self.lose_road)],
            [(self._turn_label(), self.turn_wind), (self._wind_label(), self.shift_wind)],
            [
                (t("instructor.wind_stronger"), self.stronger),
                (t("instructor.wind_weaker"), self.weaker),
            ],
            [
                (self._reinforcement_label(), self.next_reinforcement),
                (t("instructor.delay", minutes=f"{DELAY_MIN:.0f}"), self.delay),
            ],
        ]
        for row in rows:
            for column, (label, action) in enumerate(row):
                rect = pygame.Rect(x0 + column * (half + GAP), y, half, ROW_H)
                self.buttons.add(rect, label, action, tooltip=label)
            y += ROW_H + GAP
        self.entry = pygame_gui.elements.UITextEntryLine(
            pygame.Rect(x0, y, w, ROW_H + 2),
            self.app.manager,
            placeholder_text=t("instructor.text_hint"),
        )
        y += ROW_H + GAP + 2
        self.buttons.add(pygame.Rect(x0, y, half, ROW_H), t("instructor.send"), self.send_message)
        self.buttons.add(
            pygame.Rect(x0 + half + GAP, y, half, ROW_H), t("instructor.mark"), self.mark_moment
        )
        self.feed_y = y + ROW_H + GAP + 8

    def leave(self) -> None:
        super().leave()
        if getattr(self, "entry", None) is not None:
            self.entry.kill()
            self.entry = None

    def request_quit(self) -> bool:
        self.session.close()
        return True

    # -- labels ------------------------------------------------------------------
    def _hold_label(self) -> str:
        return self.t("instructor.resume" if self.session.clock["held"] else "instructor.pause")

    def _kind_label(self) -> str:
        kind = INCIDENT_KINDS[self.kind_index].value
        return self.t("instructor.kind", kind=self.t.enum("incident_kind", kind))

    def _road_label(self) -> str:
        if not self.roads:
            return self.t("instructor.no_roads")
        return self.t("instructor.road", road=self.names.road(self.roads[self.road_index]))

    def _reinforcement_label(self) -> str:
        if not self.reinforcements:
            return self.t("instructor.no_reinforcements")
        spec = self.reinforcements[self.reinforcement_index]
        return self.t("instructor.reinforcement", name=self.names.reinforcement(spec))

    def _turn_label(self) -> str:
        return self.t("instructor.wind_turn", direction=f"{self.wind[1]:.0f}")

    def _wind_label(self) -> str:
        return self.t("instructor.wind_apply", speed=f"{self.wind[0]:.0f}")

    # -- the levers ----------------------------------------------------------------
    def _issue(self, command: Command) -> CommandResult:
        result = self.session.submit(command.model_copy(update={"issuer": Role.INSTRUCTOR}))
        if result.accepted:
            self.last = (self.t("instructor.done"), True)
        elif result.reason is not None:
            self.last = (self.t.enum("reason", result.reason.value), False)
        else:
            self.last = (self.t("instructor.refused"), False)
        return result

    def fire(self, inject: str) -> None:
        self._issue(FireInject(inject=inject))

    def hold(self, inject: str) -> None:
        self._issue(HoldInject(inject=inject))

    def toggle_hold(self) -> None:
        self.session.paused = not self.session.clock["held"]

    def slower(self) -> None:
        self.session.set_speed(self.session.speed_index - 1)

    def faster(self) -> None:
        self.session.set_speed(self.session.speed_index + 1)

    def next_kind(self) -> None:
        self.kind_index = (self.kind_index + 1) % len(INCIDENT_KINDS)
        self._build()

    def arm_incident(self) -> None:
        self.placing = True
        self.last = None  # the map says where to click

    def place_incident(self, x_m: float, y_m: float) -> None:
        self.placing = False
        kind = INCIDENT_KINDS[self.kind_index]
        self._issue(StartIncident(incident=kind, x_m=x_m, y_m=y_m, people=INCIDENT_PEOPLE))

    def next_road(self) -> None:
        if self.roads:
            self.road_index = (self.road_index + 1) % len(self.roads)
            self._build()

    def lose_road(self) -> None:
        if self.roads:
            self._issue(LoseRoad(road=self.roads[self.road_index]))

    def turn_wind(self) -> None:
        self.wind = (self.wind[0], (self.wind[1] + WIND_STEP_DEG) % 360.0)
        self._build()

    def stronger(self) -> None:
        self.wind = (min(60.0, self.wind[0] + WIND_STEP_M_PER_S), self.wind[1])
        self._build()

    def weaker(self) -> None:
        self.wind = (max(0.0, self.wind[0] - WIND_STEP_M_PER_S), self.wind[1])
        self._build()

    def shift_wind(self) -> None:
        self._issue(ShiftWind(wind_speed_m_per_s=self.wind[0], wind_from_deg=self.wind[1]))

    def next_reinforcement(self) -> None:
        if self.reinforcements:
            self.reinforcement_index = (self.reinforcement_index + 1) % len(self.reinforcements)
            self._build()

    def delay(self) -> None:
        if self.reinforcements:
            spec = self.reinforcements[self.reinforcement_index]
            self._issue(DelayReinforcement(reinforcement=spec, extra_delay_min=DELAY_MIN))

    def _text(self) -> str:
        return self.entry.get_text().strip() if self.entry is not None else ""

    def send_message(self) -> None:
        if self._text() and self._issue(SendMessage(text=self._text())).accepted:
            self.entry.set_text("")

    def mark_moment(self) -> None:
        if self._text() and self._issue(MarkMoment(note=self._text())).accepted:
            self.entry.set_text("")

    # -- frame ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if self.buttons.handle(event) or self.map.handle_event(event):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            if self.entry is None or not self.entry.is_focused:
                self.toggle_hold()
        elif event.type == pygame.MOUSEBUTTONDOWN and self.map.rect.collidepoint(event.pos):
            if event.button == 1 and self.placing:
                self.place_incident(*self.map.camera.to_world(event.pos))
            elif event.button == 3:
                self.placing = False
            elif event.button in (4, 5):
                self.map.camera.zoom_by(1.25 if event.button == 4 else 0.8, event.pos)
        elif (
            event.type == pygame.MOUSEMOTION
            and event.buttons[0]
            and not self.placing
            and self.map.rect.collidepoint(event.pos)
        ):
            self.map.camera.pan(*event.rel)

    def update(self, dt_s: float) -> None:
        self.session.tick(dt_s)
        snap = self.session.snapshot
        if len(snap.incidents) != self.names.incidents_known:
            self.names.note_incidents(snap.incidents)
        events = self.session.drill.events
        for event in events[self._events_seen :]:
            if event.kind == "MomentMarked":
                self.notes.append((event.t_min, str(event.data.get("note", ""))))
        self._events_seen = len(events)
        self.feed.pull(events)
        self.buttons.update(self.hold_button, self._hold_label(), self.toggle_hold, True)

    def draw(self, surface: pygame.Surface) -> None:
        snap = self.session.snapshot
        self.map.draw(surface, snap, None)
        hud.draw_top_bar(
            surface,
            self.top_rect,
            snap,
            self.t,
            SPEEDS[self.session.speed_index],
            self.session.paused,
        )
        pygame.draw.rect(surface, PANEL_BG, self.panel)
        x0 = self.panel.x + PAD
        self._seat_line(surface, x0, self.panel.y + 4)
        self._heading(
            surface,
            self.t("instructor.injects"),
            x0,
            self.inject_rows[0][0] - 22 if self.inject_rows else self.adhoc_y,
        )
        fired = self.session.drill.injects_fired
        held = self.session.drill.injects_held
        by_id = {i.id: i for i in self.session.loaded.scenario.injects}
        for y, inject_id in self.inject_rows:
            self._inject_row(
                surface, by_id[inject_id], x0, y, inject_id in fired, inject_id in held
            )
        self._heading(surface, self.t("instructor.adhoc"), x0, self.adhoc_y)
        self._feed(surface, x0, self.feed_y)
        if self.placing:
            hint = theme.text(16, self.t("instructor.click_map"), HEAD_RGB, True)
            surface.blit(hint, hint.get_rect(midtop=(self.map.rect.centerx, self.map.rect.y + 8)))

    def _seat_line(self, surface: pygame.Surface, x: int, y: int) -> None:
        clock = self.session.clock
        seated = clock["trainee_seated"]
        key = "instructor.trainee_seated" if seated else "instructor.trainee_away"
        parts = [self.t(key)]
        if clock["held"]:
            parts.append(self.t("instructor.held"))
        if not self.session.connected:
            parts.append(self.t("instructor.reconnecting"))
        colour = (140, 220, 150) if seated and self.session.connected else (255, 150, 120)
        surface.blit(theme.text(15, " · ".join(parts), colour, True), (x, y))
        lines = self.join_hint.splitlines()
        for row, line in enumerate(lines):
            hint = theme.text(13, line, DIM_RGB)
            surface.blit(hint, (x, self.panel.bottom - 18 * (len(lines) - row) - 2))

    def _heading(self, surface: pygame.Surface, text: str, x: int, y: int) -> None:
        surface.blit(theme.text(15, text, HEAD_RGB, True), (x, y))

    def _inject_row(
        self, surface: pygame.Surface, inject: Any, x: int, y: int, fired: bool, held: bool
    ) -> None:
        if fired:
            state = self.t("instructor.state_fired")
        elif held:
            state = self.t("instructor.state_held")
        elif inject.at_min is not None:
            state = clock_text(self.start_clock + inject.at_min)
        else:
            state = self.t("instructor.state_condition")
        what = " / ".join(dict.fromkeys(self._action_text(a) for a in inject.actions))
        colour = DIM_RGB if fired else TEXT_RGB
        name_w = PANEL_W - 2 * PAD - 2 * (64 + GAP) - 4
        text = _fit(f"{state}  {what}", 14, name_w)
        surface.blit(theme.text(14, text, colour), (x, y + 5))

    def _action_text(self, action: Any) -> str:
        """What an inject's action does, in a few words (the trainee is told none of it)."""
        t, kind = self.t, action.type
        if kind == "message":
            return t.pick(action.text.en, action.text.zh)
        if kind == "incident":
            return t.enum("incident_kind", action.incident.value)
        if kind in ("close_road", "lose_bridge"):
            return t(
                "instructor.action_of",
                what=t(f"instructor.action.{kind}"),
                name=self.names.road(action.road),
            )
        if kind == "delay_reinforcement":
            name = self.names.reinforcement(action.reinforcement)
            return t("instructor.action_of", what=t(f"instructor.action.{kind}"), name=name)
        return t(f"instructor.action.{kind}")

    def _feed(self, surface: pygame.Surface, x: int, y: int) -> None:
        if self.last is not None:
            text, ok = self.last
            colour = (140, 220, 150) if ok else (255, 150, 120)
            surface.blit(theme.text(14, _fit(text, 14, PANEL_W - 2 * PAD), colour, True), (x, y))
            y += 22
        for t_min, note in self.notes[-2:]:
            line = self.t(
                "instructor.note_line", clock=clock_text(self.start_clock + t_min), note=note
            )
            surface.blit(theme.text(14, _fit(line, 14, PANEL_W - 2 * PAD), HEAD_RGB), (x, y))
            y += 18
        room = max(0, (self.panel.bottom - 24 - y) // 18)
        for line in self.feed.lines[-min(FEED_LINES, room) :] if room else []:
            colour = SEVERITY_RGB.get(line.severity, TEXT_RGB)
            surface.blit(theme.text(14, _fit(line.text, 14, PANEL_W - 2 * PAD), colour), (x, y))
            y += 18


def _fit(text: str, size: int, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels at ``size``."""
    font = theme.font(size)
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"
