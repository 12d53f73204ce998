"""The scene protocol: one screen of the game (title, picker, briefing, drill, debrief)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ui.widgets import ButtonBoard

if TYPE_CHECKING:
    from ui.app import App


class Scene:
    """A state of the game. The app calls enter, then per frame handle_event/update/draw."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.t = app.t
        self.buttons = ButtonBoard(app.manager)

    def enter(self) -> None:
        """Build the scene's widgets (called again after a language or window change)."""

    def leave(self) -> None:
        """Release what the scene holds (widgets are cleared by the app)."""
        self.buttons.actions.clear()

    def handle_event(self, event: pygame.event.Event) -> None:
        self.buttons.handle(event)

    def update(self, dt_s: float) -> None:
        del dt_s

    def draw(self, surface: pygame.Surface) -> None:
        del surface

    def request_quit(self) -> bool:
        """The window's close button: True to quit now, False if the scene asks first."""
        return True
