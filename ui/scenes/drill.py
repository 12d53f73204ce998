"""The drill scene: the command screen where a trainee runs a drill.

Events become intentions (ui.input); order intentions become commands that
the session submits; the engine advances in bounded slices in ``update``;
``draw`` only reads the latest snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from sim import CommandResult, LoadedScenario
from ui import hud
from ui import input as intents
from ui.feed import Feed
from ui.map_widget import MapWidget
from ui.names import Names
from ui.panel import CHANNELS, SUPPLY_AMOUNTS, SidePanel
from ui.scene import Scene
from ui.session import DrillSession
from ui.widgets import ButtonBoard

if TYPE_CHECKING:
    from ui.app import App

TOP_BAR_PX = 40
PANEL_W = 350
FEED_H = 250
ALERT_S = 6.0
TEXT_REFRESH_S = 0.5
DRAG_PX = 5
SLOW_ENGINE_S = 0.006  # after a slower engine slice, optional redraw work waits a frame
TARGET_KINDS = ("incident", "zone", "facility")


class DrillScene(Scene):
    """Runs one :class:`DrillSession` on screen."""

    def __init__(
        self, app: App, loaded: LoadedScenario, seed: int, log_path: Path | None = None
    ) -> None:
        super().__init__(app)
        self.session = DrillSession(loaded, seed, log_path)
        self.selected: intents.Select | None = None
        self.channel = CHANNELS[0]
        self.supply_source: str | None = None
        self.supply_item = ""
        self.supply_amount = SUPPLY_AMOUNTS[1]
        self.last_result: CommandResult | None = None
        self.alert: tuple[str, float] | None = None
        self.modal: str | None = None
        self.modal_buttons = ButtonBoard(app.manager)
        self._drag_from: tuple[int, int] | None = None
        self._dragged = False
        self._text_age = 0.0
        self.clock_s = 0.0

    # -- scene protocol ---------------------------------------------------------
    def enter(self) -> None:
        width, height = self.app.size
        self.names = Names(self.session.loaded, self.t)
        snap = self.session.snapshot
        start_clock = snap.clock_min - snap.t_min
        self.feed = Feed(self.t, self.names, start_clock)  # (re-)read in the current language
        self.feed.pull(self.session.drill.events)
        self.top_rect = pygame.Rect(0, 0, width, TOP_BAR_PX)
        map_rect = pygame.Rect(0, TOP_BAR_PX, width - PANEL_W, height - TOP_BAR_PX)
        self.map = MapWidget(map_rect, snap, self.t, self.names)
        self.panel = SidePanel(
            self, pygame.Rect(width - PANEL_W, TOP_BAR_PX, PANEL_W, height - TOP_BAR_PX - FEED_H)
        )
        self.feed_rect = pygame.Rect(width - PANEL_W, height - FEED_H, PANEL_W, FEED_H)
        self.panel.rebuild(snap)
        if self.modal:
            self._open_modal(self.modal)

    def leave(self) -> None:
        super().leave()
        self.modal_buttons.actions.clear()

    def request_quit(self) -> bool:
        if self.session.finished:
            return True
        self._open_modal("quit")
        return False

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.modal:
            self.modal_buttons.handle(event)
            return
        if self.buttons.handle(event):
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
        if self._text_age >= TEXT_REFRESH_S and not slow:
            self._text_age = 0.0
            self._refresh_panel()
        if self.session.finished and self.modal is None:
            self._to_debrief()

    def draw(self, surface: pygame.Surface) -> None:
        snap = self.session.snapshot
        self.map.draw(surface, snap, self.selected)
        if self.alert and self.alert[1] > self.clock_s:
            hud.draw_alert(surface, self.map.rect, self.alert[0], self.clock_s)
        hud.draw_top_bar(
            surface, self.top_rect, snap, self.t, self.session.speed, self.session.paused
        )
        self.panel.draw(surface)
        hud.draw_feed(surface, self.feed_rect, self.feed.lines, self.t)
        if self.modal:
            hud.draw_modal(surface, self._modal_box(), self.t(f"confirm.{self.modal}"))

    # -- intentions ---------------------------------------------------------------
    def act(self, intention: intents.Intention) -> CommandResult | None:
        """Carry out one intention: a front-end change, or a command to the engine."""
        command = intents.to_command(intention)
        if command is not None:
            self.last_result = self.session.submit(command)
            self._pull_feed()
            self.panel.rebuild(self.session.snapshot)
            return self.last_result
        self._act_locally(intention)
        return None

    def _act_locally(self, intention: intents.Intention) -> None:
        session = self.session
        match intention:
            case intents.Select():
                self.select(intention)
            case intents.Deselect():
                self.select(None)
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
        self.selected = selection
        self.supply_source = None
        self.panel.rebuild(self.session.snapshot)

    def _quick(self, action: str) -> None:
        """Shortcuts that act on the selection (keys R, W, S, E, C and panel toggles)."""
        sel, snap = self.selected, self.session.snapshot
        kind = sel.kind if sel else None
        if action == "end":
            self._open_modal("end")
        elif action == "channel":
            self.channel = CHANNELS[(CHANNELS.index(self.channel) + 1) % len(CHANNELS)]
            self.panel.rebuild(snap)
        elif action == "recall" and kind == "unit":
            self.act(intents.Recall(sel.id))
        elif action == "shelter" and kind == "zone":
            self.act(intents.ShelterInPlace(sel.id))
        elif action == "warn" and kind == "zone":
            self.act(intents.Warn(sel.id, self._next_warning(sel.id), self.channel))
        elif action == "evacuate" and kind == "zone":
            self._evacuate_nearest(sel.id)
        elif action.startswith("supply_") and kind == "facility":
            self._supply(action, sel.id)

    def _next_warning(self, zone_id: str) -> str:
        levels = ("blue", "yellow", "orange", "red")
        current = self.session.snapshot.zone(zone_id).warning
        return levels[min(len(levels) - 1, levels.index(current) + 1)] if current else levels[1]

    def _evacuate_nearest(self, zone_id: str) -> None:
        snap = self.session.snapshot
        zone = snap.zone(zone_id)
        shelters = [f for f in snap.facilities if f.type == "shelter"]
        if shelters:
            best = min(shelters, key=lambda f: (f.x - zone.x) ** 2 + (f.y - zone.y) ** 2)
            self.act(intents.Evacuate(zone_id, best.id))

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
        self.panel.rebuild(self.session.snapshot)

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
    def _mouse(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self.map.camera.zoom_by(1.2**event.y, pygame.mouse.get_pos())
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.map.rect.collidepoint(event.pos):
                self._drag_from, self._dragged = event.pos, False
        elif event.type == pygame.MOUSEMOTION and self._drag_from is not None:
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

    def click(self, pos: tuple[int, int]) -> None:
        """A left click on the map: an order on the selection, or a new selection."""
        picked = self.map.pick(pos, self.session.snapshot)
        sel = self.selected
        if picked is None:
            self.act(intents.Deselect())
        elif self.supply_source and picked.kind == "facility":
            source, self.supply_source = self.supply_source, None
            self.act(intents.SendSupplies(source, picked.id, self.supply_item, self.supply_amount))
        elif sel is not None and sel.kind == "unit" and picked.kind in TARGET_KINDS:
            self.act(intents.Dispatch(sel.id, picked.id))
        else:
            self.act(picked)

    # -- helpers ------------------------------------------------------------------
    def _pull_feed(self) -> None:
        for line in self.feed.pull(self.session.drill.events):
            if line.kind == "IncidentCreated":
                self.alert = (line.text.split(" ", 1)[-1], self.clock_s + ALERT_S)

    def _refresh_panel(self) -> None:
        """Refresh the panel's figures; rebuild its buttons only if its layout changed."""
        lines, title = list(self.panel.lines), self.panel.title
        self.panel.rebuild(self.session.snapshot, with_buttons=False)
        if len(self.panel.lines) != len(lines) or self.panel.title != title:
            self.panel.rebuild(self.session.snapshot)

    def _modal_box(self) -> pygame.Rect:
        box = pygame.Rect(0, 0, 520, 170)
        box.center = (self.app.size[0] // 2, self.app.size[1] // 2)
        return box

    def _open_modal(self, kind: str) -> None:
        self.modal = kind
        self.modal_buttons.clear()
        box = self._modal_box()
        yes = pygame.Rect(box.x + 40, box.bottom - 56, 200, 36)
        no = pygame.Rect(box.right - 240, box.bottom - 56, 200, 36)
        self.modal_buttons.add(yes, self.t("confirm.yes"), self._confirm, "#danger")
        self.modal_buttons.add(no, self.t("confirm.no"), self._close_modal)
        for button in self.buttons.actions:
            button.disable()

    def _close_modal(self) -> None:
        self.modal = None
        self.modal_buttons.clear()
        for button in self.buttons.actions:
            button.enable()

    def _confirm(self) -> None:
        kind = self.modal
        self._close_modal()
        self.session.abort()
        if kind == "quit":
            self.app.running = False
        else:
            self._to_debrief()

    def _to_debrief(self) -> None:
        from ui.scenes.debrief import DebriefScene

        self.session.close()
        self.app.switch(DebriefScene(self.app, self.session))
