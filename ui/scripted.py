"""A scripted person at the drill screen: only mouse and keyboard events, posted as pygame would.

Events go onto pygame's queue and the app runs frames to take them, so
pygame_gui sees them first exactly as in play (a button press arrives as
UI_BUTTON_PRESSED on a later frame). The person may look where the screen
draws things (a unit's icon, a button's label or the order it carries), as a
trainee does. Used by the UI tests and tools/screenshots.py; it never calls
the engine itself except to let sim time pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from ui import input as intents

if TYPE_CHECKING:
    from ui.app import App
    from ui.scenes.drill import DrillScene


class Person:
    def __init__(self, app: App, scene: DrillScene) -> None:
        self.app, self.scene = app, scene

    def frames(self, n: int = 2) -> None:
        for _ in range(n):
            self.app.step(1 / 60)

    def move(self, pos: tuple[int, int]) -> None:
        motion = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
        pygame.event.post(motion)
        self.frames()

    def click(self, pos: tuple[int, int], button: int = 1) -> None:
        self.move(pos)
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            pygame.event.post(pygame.event.Event(kind, pos=pos, button=button))
        self.frames(3)

    def key(self, code: int) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))
        self.frames()

    def buttons(self) -> dict[str, pygame.Rect]:
        """Every button on screen by its label (panel, chooser and question box)."""
        scene = self.scene
        boards = (scene.buttons, scene.chooser.buttons, scene.modal_buttons)
        return {b.text: b.rect for board in boards for b in board.actions}

    def press(self, label: str, exact: bool = False) -> None:
        """Click the button whose label starts with (or is) ``label``; it must be enabled."""
        scene = self.scene
        for board in (scene.modal_buttons, scene.chooser.buttons, scene.buttons):
            for button in board.actions:
                if button.text == label or (not exact and button.text.startswith(label)):
                    assert button.is_enabled, f"{button.text!r} is disabled"
                    self.click(button.rect.center)
                    return
        raise AssertionError(f"no button {label!r} among {list(self.buttons())}")

    def press_order(self, wanted: Callable[[intents.Intention], bool]) -> None:
        """Click the panel button carrying an intention ``wanted`` accepts (any language)."""
        for rect, choice in self.scene.panel.placed:
            if wanted(choice.intention):
                assert choice.why is None, f"{choice.label!r} is disabled: {choice.why}"
                self.click(rect.center)
                return
        raise AssertionError(f"no such order among {[c.label for _, c in self.scene.panel.placed]}")

    def press_order_in_modal(self) -> None:
        """Answer yes to the question on screen."""
        buttons = list(self.scene.modal_buttons.actions)
        assert buttons, "no question on screen"
        self.click(buttons[0].rect.center)

    def is_enabled(self, label: str) -> bool:
        for button in self.scene.buttons.actions:
            if label in button.text:  # a disabled label may put its reason first
                return bool(button.is_enabled)
        raise AssertionError(f"no button {label!r} among {list(self.buttons())}")

    def at(self, x_m: float, y_m: float) -> tuple[int, int]:
        """Where the map draws the world point (x, y) (metres)."""
        return self.scene.map.camera.to_screen(x_m, y_m)

    def unit_icon(self, unit_id: str) -> tuple[int, int]:
        return self.scene.map.unit_screen_positions(self.scene.session.snapshot)[unit_id]

    def run(self, minutes: float) -> None:
        """Let sim time pass (the person waits, at top speed)."""
        session = self.scene.session
        paused, session.paused = session.paused, False
        end = session.drill.now + minutes
        while session.drill.now < end and not session.finished:
            session.target_min = min(end, session.drill.now + 2.0)
            session.tick(0.0, budget_s=10.0)
        session.paused = paused
        self.frames()

    def issued(self) -> list[dict]:
        """The commands the engine received, in order, with their results."""
        return [e.data for e in self.scene.session.drill.events if e.kind == "CommandIssued"]
