"""The drill scene: the command screen where a trainee runs a drill.

Events become intentions (ui.input); a click on the map becomes a plan
(ui.targets) that the hover text announces before the click; order
intentions go through :meth:`DrillScene.order`, which asks first where an
order is consequential (re-tasking a busy unit, evacuating thousands, level
I), and :meth:`DrillScene.act` submits them. Every order's outcome shows in
a notice beside the panel (and by the pointer for a map click); a unit is
released once its order is given. The engine advances in bounded slices in
``update``; ``draw`` only reads the latest snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from sim import CommandResult, FacilityView, LoadedScenario, Snapshot, UnitView, ZoneView
from ui import captions, feasible, hud
from ui import input as intents
from ui.chooser import Chooser
from ui.feed import Feed, describe_order
from ui.map_widget import MapWidget
from ui.names import Names
from ui.panel import CHANNELS, SUPPLY_AMOUNTS, SidePanel
from ui.question import Question
from ui.scene import Scene
from ui.session import DrillSession
from ui.targets import Plan, plan_click
from ui.timeline import Timeline
from ui.tutorial import Coach
from ui.widgets import ButtonBoard

if TYPE_CHECKING:
    from ui.app import App

TOP_BAR_PX = 40
PANEL_W = 350
FEED_H = 250  # the event timeline, under the panel
FEED_H_SMALL = 190  # windows under TALL_PX: more room for the panel's orders
TALL_PX = 700
TIMELINE_KEYS = {pygame.K_PAGEUP: 1, pygame.K_PAGEDOWN: -1}
ALERT_S = 6.0
NOTICE_S = 8.0
FLASH_S = 2.5
FLASH_PX = 40  # ... or until the pointer moves this far from the click
TEXT_REFRESH_S = 0.5
DRAG_PX = 5
SLOW_ENGINE_S = 0.006  # after a slower engine slice, optional redraw work waits a frame
REPORT_TO = ("county", "city", "province")


@dataclass(frozen=True)
class Notice:
    """The outcome of the last order, shown beside the panel until ``until_s``."""

    text: str
    ok: bool
    until_s: float


class DrillScene(Scene):
    """Runs one :class:`DrillSession` on screen."""

    def __init__(
        self,
        app: App,
        loaded: LoadedScenario,
        seed: int,
        log_path: Path | None = None,
        session: DrillSession | None = None,  # a drill under way (a what-if branch)
    ) -> None:
        super().__init__(app)
        self.session = session or DrillSession(loaded, seed, log_path)
        app.warmup.start(loaded, seed)  # the debrief's scoring anchors, played meanwhile
        self.selected: intents.Select | None = None
        self.armed = False  # the selected unit goes where the next map click says
        self.channel = CHANNELS[0]
        self.supply_source: str | None = None
        self.supply_item = ""
        self.supply_amount = SUPPLY_AMOUNTS[1]
        self.ordered: dict[str, str] = {}  # unit -> task given, until the engine shows it
        self.report_choice: str | None = None  # None: the level of government in charge
        self.reports_sent = 0
        self._events_counted = 0
        self.last_result: CommandResult | None = None
        self.notice: Notice | None = None
        self.flash: tuple[tuple[int, int], Notice] | None = None
        self.alert = hud.IncidentAlert()  # a new incident's notice, under the critical banner
        self.question = Question(app.manager)
        self.question.on_close = self._question_closed
        self.chooser = Chooser(app.manager)
        self.hover_pos: tuple[int, int] | None = None
        self.hover_text: str | None = None
        self._hover_key: object = None
        self._drag_from: tuple[int, int] | None = None
        self._dragged = False
        self._text_age = 0.0
        self.clock_s = 0.0
        self.coach = Coach(self)  # the tutorial's guide and the hints (ui.tutorial)
        self.top_chips: list[tuple[str, pygame.Rect]] = []  # drawn last frame (for tests)
        self.pointer = (0, 0)

    # -- scene protocol ---------------------------------------------------------
    def enter(self) -> None:
        width, height = self.app.size
        self.names = Names(self.session.loaded, self.t)
        snap = self.session.snapshot
        self.names.note_incidents(snap.incidents)
        start_clock = snap.clock_min - snap.t_min
        populated = frozenset(z.id for z in self.session.loaded.scenario.zones if z.population)
        # (Re-)read in the current language; filters and acknowledgements outlive a language switch.
        self.feed = Feed(self.t, self.names, start_clock, populated)
        self.feed.pull(self.session.drill.events)
        old = getattr(self, "timeline", None)
        self.timeline = Timeline(self.feed, self.t)
        if old is not None:
            self.timeline.shown, self.timeline.acknowledged = old.shown, old.acknowledged
        feed_h = FEED_H if height >= TALL_PX else FEED_H_SMALL
        self.top_rect = pygame.Rect(0, 0, width, TOP_BAR_PX)
        map_rect = pygame.Rect(0, TOP_BAR_PX, width - PANEL_W, height - TOP_BAR_PX)
        self.map = MapWidget(map_rect, snap, self.t, self.names, self.session.loaded)
        self.panel = SidePanel(
            self, pygame.Rect(width - PANEL_W, TOP_BAR_PX, PANEL_W, height - TOP_BAR_PX - feed_h)
        )
        self.feed_rect = pygame.Rect(width - PANEL_W, height - feed_h, PANEL_W, feed_h)
        self.chooser.close()
        self.panel.rebuild(snap)
        if self.question.kind:  # asked again in the new language's window
            q = self.question
            self._ask(q.kind, q.text, q.on_yes)

    def leave(self) -> None:
        super().leave()
        self.question.buttons.actions.clear()
        self.chooser.buttons.actions.clear()
        self.chooser.box = None

    def request_quit(self) -> bool:
        if self.session.finished:
            return True
        self._ask("quit", self.t("confirm.quit"), self._quit)
        return False

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.modal:
            self.question.handle(event)
            return
        if self.coach.handle(event):
            return
        if self.chooser.is_open:
            if self.chooser.handle(event):
                return
            if _cancels(event):
                self.chooser.close()
                return
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                self.chooser.close()  # a click elsewhere closes the list (and counts)
        if self.buttons.handle(event):
            return
        if self._timeline_event(event):
            return
        intention = intents.key_intention(event)
        if intention is not None:
            self.act(intention)
            return
        self._mouse(event)

    def update(self, dt_s: float) -> None:
        self.clock_s += dt_s
        self.map.pulse = self.clock_s
        if self.modal is None:
            self.session.tick(dt_s)
        slow = self.session.last_tick_s > SLOW_ENGINE_S
        self.map.defer_heavy = slow
        self._pull_feed()
        self._text_age += dt_s
        if self._text_age >= TEXT_REFRESH_S and not slow and self.modal is None:
            self._text_age = 0.0
            self.panel.rebuild(self.session.snapshot, with_buttons=False)
            self._hover_key = None  # what a click does may have changed
        self._update_hover()
        self.coach.update(dt_s)
        if self.session.finished and self.modal is None:
            self._to_debrief()

    def draw(self, surface: pygame.Surface) -> None:
        snap = self.session.snapshot
        unit = self.armed_unit()
        dimmed = frozenset(
            i.id for i in snap.incidents if unit and not feasible.can_serve(unit, i.needs)
        )
        self.map.draw(surface, snap, self.selected, dimmed, self.armed)
        alert, clear, now_s = self.alert, self.timeline.keep_clear, self.clock_s
        banner = self.timeline.draw_banner(
            surface,
            self.map.rect,
            lambda stack: alert.hidden_under(self.map.rect, stack, clear, now_s),
        )
        alert.draw(surface, self.map.rect, banner, clear, now_s)
        self.top_chips = hud.draw_top_bar(
            surface, self.top_rect, snap, self.t, self.session.speed, self.session.paused
        )
        self.panel.draw(surface)
        notice = self.notice
        shown = (notice.text, notice.ok) if notice and notice.until_s > self.clock_s else None
        self.timeline.draw(surface, self.feed_rect, shown)
        self.coach.draw(surface)
        if self.flash and self.flash[1].until_s > self.clock_s:
            hud.draw_flash(
                surface, self.map.rect, self.flash[0], self.flash[1].text, self.flash[1].ok,
                self.map.tip_avoid(),
            )  # fmt: skip
        elif self.hover_text and self.hover_pos and not self.chooser.is_open:
            hud.draw_hover(
                surface, self.map.rect, self.hover_pos, self.hover_text, self.map.tip_avoid()
            )
        self.chooser.draw(surface)
        self.question.draw(surface)

    # -- orders -------------------------------------------------------------------
    def order(self, intention: intents.Intention) -> CommandResult | None:
        """An order as a person gives it: asks first where it is consequential, then acts."""
        question = captions.question(self, intention)
        if question is None:
            return self.act(intention)
        self._ask("order", question, lambda: self.act(intention))
        return None

    def act(self, intention: intents.Intention) -> CommandResult | None:
        """Carry out one intention now: a front-end change, or a command to the engine."""
        command = intents.to_command(intention)
        if command is None:
            self._act_locally(intention)
            return None
        movable = self._movable(intention)
        self.last_result = self.session.submit(command)
        self._pull_feed()
        self._after_order(intention, self.last_result)
        if movable is not None and self.last_result.accepted:
            self.notice = Notice(
                self.t("notice.evacuating", n=f"{movable:,}", **self._evacuation_names(intention)),
                True,
                self.clock_s + NOTICE_S,
            )
        self.panel.rebuild(self.session.snapshot)
        self._hover_key = None
        return self.last_result

    def _after_order(self, intention: intents.Intention, result: CommandResult) -> None:
        """Release the unit that was given an order, and say what came of the order."""
        if result.accepted and isinstance(intention, intents.Dispatch | intents.Recall):
            self.armed = False  # selection follows the order: the unit is released
            self.ordered[intention.unit] = _task_of(self.session.snapshot, intention)
        if result.accepted and isinstance(intention, intents.SendSupplies):
            self.supply_source = None
        t = self.t
        command = intents.to_command(intention)
        assert command is not None
        order = describe_order(command.model_dump(mode="json"), t, self.names)
        if not result.accepted:
            text = t("notice.refused", order=order, reason=t.enum("reason", result.reason))
        else:
            text = captions.effect_text(self, intention) or t("notice.done", order=order)
        self.notice = Notice(text, result.accepted, self.clock_s + NOTICE_S)

    def _movable(self, intention: intents.Intention) -> int | None:
        if not isinstance(intention, intents.Evacuate):
            return None
        return feasible.movable(self.session.snapshot.zone(intention.zone))

    def _evacuation_names(self, intention: intents.Evacuate) -> dict[str, str]:
        return {
            "zone": self.names.zone(intention.zone),
            "shelter": self.names.facility(intention.shelter),
        }

    def _act_locally(self, intention: intents.Intention) -> None:
        session = self.session
        match intention:
            case intents.Select():
                self.select(intention)
            case intents.Deselect():
                self.cancel()
            case intents.TogglePause():
                session.paused = not session.paused
            case intents.SetSpeed(index=index):
                session.set_speed(index)
                session.paused = False
            case intents.ChangeSpeed(delta=delta):
                session.set_speed(session.speed_index + delta)
            case intents.Pan(dx_px=dx, dy_px=dy):
                self.map.camera.pan(dx, dy)
            case intents.Zoom(factor=factor):
                self.map.camera.zoom_by(factor)
            case intents.ToggleOverlay(index=index):
                self._toggle_overlay(index)
            case intents.Quick(action=action):
                self._quick(action)

    def select(self, selection: intents.Select | None) -> None:
        """Select a thing; selecting a unit arms it: the next map click sends it."""
        self.selected = selection
        self.armed = selection is not None and selection.kind == "unit"
        self.supply_source = None
        self.chooser.close()
        self.panel.rebuild(self.session.snapshot)
        self._hover_key = None

    def cancel(self) -> None:
        """Esc or a right click: close the list, leave supply mode, or release the selection."""
        if self.chooser.is_open:
            self.chooser.close()
        elif self.supply_source:
            self.supply_source = None
            self.panel.rebuild(self.session.snapshot)
        else:
            self.select(None)

    def task_of(self, unit: UnitView) -> str | None:
        """A unit's task: the engine's, or the order just given while the engine catches up."""
        if unit.task or unit.status not in ("en_route", "returning"):
            return unit.task
        return self.ordered.get(unit.id)

    @property
    def report_to(self) -> str:
        """Whom a report goes to: the trainee's choice, else the government at the level in
        charge (county for IV, city for III, province for II and I)."""
        if self.report_choice:
            return self.report_choice
        rank = feasible.LEVELS.index(self.session.snapshot.response_level)
        return REPORT_TO[max(0, min(2, rank - 1))]

    def _quick(self, action: str) -> None:
        """Shortcuts and panel toggles (keys R, W, S, E, C; channel, supply, report)."""
        sel = self.selected
        kind = sel.kind if sel else None
        if action == "end":
            self._ask("end", self.t("confirm.end"), self._end)
        elif action == "channel":
            self.channel = CHANNELS[(CHANNELS.index(self.channel) + 1) % len(CHANNELS)]
        elif action == "report_to":
            self.report_choice = REPORT_TO[(REPORT_TO.index(self.report_to) + 1) % len(REPORT_TO)]
        elif action == "recall" and kind == "unit":
            self.order(intents.Recall(sel.id))
        elif action == "shelter" and kind == "zone":
            self.order(intents.ShelterInPlace(sel.id))
        elif action == "warn" and kind == "zone":
            self.order(intents.Warn(sel.id, self._next_warning(sel.id), self.channel))
        elif action == "evacuate" and kind == "zone":
            self._evacuate_nearest(sel.id)
        elif action == "supply_cancel":
            self.supply_source = None
        elif action.startswith("supply_") and kind == "facility":
            self._supply(action, sel.id)
        self.panel.rebuild(self.session.snapshot)

    def _next_warning(self, zone_id: str) -> str:
        levels = ("blue", "yellow", "orange", "red")
        current = self.session.snapshot.zone(zone_id).warning
        return levels[min(len(levels) - 1, levels.index(current) + 1)] if current else levels[1]

    def _evacuate_nearest(self, zone_id: str) -> None:
        snap = self.session.snapshot
        zone = snap.zone(zone_id)
        shelters = [f for f in snap.facilities if f.type == "shelter"]
        shelters.sort(key=lambda f: (feasible.evacuate(snap, zone, f) is not None, _dist(f, zone)))
        if shelters:
            self.order(intents.Evacuate(zone_id, shelters[0].id))

    def _supply(self, action: str, facility_id: str) -> None:
        facility = next(f for f in self.session.snapshot.facilities if f.id == facility_id)
        items = sorted(facility.stocks)
        if action == "supply_item" and items:
            index = items.index(self.supply_item) if self.supply_item in items else -1
            self.supply_item = items[(index + 1) % len(items)]
        elif action == "supply_amount":
            index = SUPPLY_AMOUNTS.index(self.supply_amount)
            self.supply_amount = SUPPLY_AMOUNTS[(index + 1) % len(SUPPLY_AMOUNTS)]
        elif action == "supply_send":
            self.supply_source = facility_id

    def _toggle_overlay(self, index: int) -> None:
        names = sorted(self.map.overlay_shown)
        if index < 0:
            everything = not all(self.map.overlay_shown.values())
            for name in names:
                self.map.overlay_shown[name] = everything
        elif index < len(names):
            self.map.overlay_shown[names[index]] = not self.map.overlay_shown[names[index]]
        self.panel.rebuild(self.session.snapshot)

    # -- the mouse ----------------------------------------------------------------
    def _timeline_event(self, event: pygame.event.Event) -> bool:
        """Clicks on the timeline or its banner, its wheel and keys (Enter acknowledges)."""
        timeline = self.timeline
        if event.type == pygame.MOUSEMOTION:
            self.pointer = event.pos  # where the wheel's next turn applies
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return timeline.click(event.pos)
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._drag_from is None:
            return timeline.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEWHEEL:
            return timeline.wheel(self.pointer, event.y)
        if event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return timeline.acknowledge()
        if event.key in TIMELINE_KEYS:
            timeline.page(TIMELINE_KEYS[event.key])
            return True
        if event.key == pygame.K_END:
            timeline.to_newest()
            return True
        return False

    def _mouse(self, event: pygame.event.Event) -> None:
        if self.map.handle_event(event):  # the minimap and the legend
            return
        if event.type == pygame.MOUSEWHEEL:
            self.map.camera.zoom_by(1.2**event.y, pygame.mouse.get_pos())
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.map.rect.collidepoint(event.pos):
                self._drag_from, self._dragged = event.pos, False
        elif event.type == pygame.MOUSEMOTION:
            self.hover_pos = event.pos if self.map.rect.collidepoint(event.pos) else None
            if self.flash and _far(self.flash[0], event.pos):
                self.flash = None  # the pointer moved on: the hover text takes over
            if self._drag_from is not None:
                dx, dy = event.pos[0] - self._drag_from[0], event.pos[1] - self._drag_from[1]
                if self._dragged or abs(dx) + abs(dy) > DRAG_PX:
                    self.map.camera.pan(dx, dy)
                    self._drag_from, self._dragged = event.pos, True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            clicked = self._drag_from is not None and not self._dragged
            self._drag_from = None
            if clicked:
                self.click(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 3:
            self.act(intents.Deselect())

    def plan(self, pos: tuple[int, int]) -> Plan:
        """What a left click at ``pos`` would do now (the hover text says the same)."""
        if self.coach.covers(pos):
            return Plan("nothing")  # the guide's card or a hint lies over the map there
        banner = self.timeline.banner_rect
        if banner is not None and banner.collidepoint(pos):
            return Plan("nothing")  # a click there acknowledges the banner, whatever lies under it
        snap = self.session.snapshot
        points, area = self.map.pick_all(pos, snap)
        supply = None
        if self.supply_source:
            supply = (self.supply_source, self.supply_item, self.supply_amount)
        return plan_click(snap, points, area, self.armed_unit(), supply)

    def click(self, pos: tuple[int, int]) -> None:
        """A left click on the map: carry out its plan."""
        plan = self.plan(pos)
        if plan.kind == "choose":
            self._open_chooser(pos, plan)
        elif plan.kind == "order" and plan.intention is not None:
            self.order(plan.intention)
            if self.notice and self.modal is None:
                self.flash = (pos, Notice(self.notice.text, self.notice.ok, self.clock_s + FLASH_S))
        elif plan.kind == "select" and plan.intention is not None:
            unit = self.armed_unit()
            self.act(plan.intention)
            if plan.why and unit is not None and plan.thing is not None:
                text = self.t(
                    "notice.cannot_serve",
                    unit=self.names.unit(unit.id),
                    thing=captions.describe(self, plan.thing),
                    reason=self.panel.why(plan.why),
                )
                self.notice = Notice(text, False, self.clock_s + NOTICE_S)
        else:
            self.act(intents.Deselect())

    def _open_chooser(self, pos: tuple[int, int], plan: Plan) -> None:
        entries = []
        for option in plan.options:
            label = captions.option_label(self, option.intention, option.thing)
            if option.why:
                label = self.t("panel.disabled", label=label, why=self.panel.why(option.why))
            entries.append((label, option.why is None, lambda it=option.intention: self.order(it)))
        heading = self.t("chooser.send" if self.armed else "chooser.which")
        self.chooser.open(pos, heading, entries, self.map.rect)

    def _update_hover(self) -> None:
        """Recompute the hover text when the pointer moved or the state changed."""
        pos = self.hover_pos
        key = (pos, self.selected, self.armed, self.supply_source, self.chooser.is_open)
        if key == self._hover_key:
            return
        self._hover_key = key
        if pos is None or self._drag_from is not None or self.chooser.is_open:
            self.hover_text = None
            return
        self.hover_text = captions.hover_for(self, self.plan(pos))

    # -- helpers ------------------------------------------------------------------
    def armed_unit(self) -> UnitView | None:
        sel = self.selected
        if not self.armed or sel is None or sel.kind != "unit":
            return None
        return self.session.snapshot.unit(sel.id)

    def _pull_feed(self) -> None:
        snap = self.session.snapshot
        if len(snap.incidents) != self.names.incidents_known:
            self.names.note_incidents(snap.incidents)
        events = self.session.drill.events
        for event in events[self._events_counted :]:
            if event.kind == "ReportSubmitted":
                self.reports_sent += 1
        self._events_counted = len(events)
        new = self.feed.pull(events)
        self.timeline.added(new)
        for line in new:
            if line.kind == "IncidentCreated":
                self.alert.show(line.text.split(" ", 1)[-1], self.clock_s + ALERT_S)

    @property
    def modal(self) -> str | None:
        """The kind of question open ("order", "quit", "end"), or None."""
        return self.question.kind

    @property
    def modal_buttons(self) -> ButtonBoard:
        return self.question.buttons

    def _ask(self, kind: str, text: str, on_yes: Callable[[], None] | None) -> None:
        self.chooser.close()
        labels = (self.t("confirm.yes"), self.t("confirm.no"))
        self.question.ask(kind, text, on_yes, self.app.size, labels)
        for button in self.buttons.actions:
            button.disable()

    def _question_closed(self) -> None:
        self.panel.rebuild(self.session.snapshot)

    def _quit(self) -> None:
        self.session.abort()
        self.app.running = False

    def _end(self) -> None:
        self.session.abort()
        self._to_debrief()

    def _to_debrief(self) -> None:
        from ui.scenes.debrief import DebriefScene

        self.session.close()
        self.app.switch(DebriefScene(self.app, self.session))


def _cancels(event: pygame.event.Event) -> bool:
    """Esc, or a right click: the way out of a question or a list."""
    if event.type == pygame.KEYDOWN:
        return event.key == pygame.K_ESCAPE
    return event.type == pygame.MOUSEBUTTONDOWN and event.button == 3


def _far(a: tuple[int, int], b: tuple[int, int], px: int = FLASH_PX) -> bool:
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) > px


def _task_of(snap: Snapshot, intention: intents.Dispatch | intents.Recall) -> str:
    """The engine's task string for an order ("incident:<id>", "zone:<id>", "stage:<id>")."""
    if isinstance(intention, intents.Recall):
        return "base"
    if any(i.id == intention.target for i in snap.incidents):
        return f"incident:{intention.target}"
    if any(z.id == intention.target for z in snap.zones):
        return f"zone:{intention.target}"
    return f"stage:{intention.target}"


def _dist(a: FacilityView, b: ZoneView) -> float:
    return (a.x - b.x) ** 2 + (a.y - b.y) ** 2
