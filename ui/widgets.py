"""Small helpers over pygame_gui: buttons bound to actions."""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui

Action = Callable[[], None]


class ButtonBoard:
    """pygame_gui buttons, each bound to an action run when it is pressed."""

    def __init__(self, manager: pygame_gui.UIManager) -> None:
        self.manager = manager
        self.actions: dict[pygame_gui.elements.UIButton, Action] = {}

    def add(
        self,
        rect: pygame.Rect,
        label: str,
        action: Action,
        object_id: str | None = None,
        enabled: bool = True,
        tooltip: str | None = None,
    ) -> pygame_gui.elements.UIButton:
        """A button showing ``label``; ``tooltip``, if given, shows on hover (a shortened
        label's whole text)."""
        button = pygame_gui.elements.UIButton(
            rect,
            label,
            self.manager,
            tool_tip_text=tooltip,
            object_id=object_id,
            allow_double_clicks=False,
        )
        if not enabled:
            button.disable()
        self.actions[button] = action
        return button

    def update(
        self, button: pygame_gui.elements.UIButton, label: str, action: Action, enabled: bool
    ) -> None:
        """Change a button in place: cheaper than a new one when only its text or state moved."""
        if button.text != label:
            button.set_text(label)
        if enabled != button.is_enabled:
            button.enable() if enabled else button.disable()
        self.actions[button] = action

    def handle(self, event: pygame.event.Event) -> bool:
        """Run the action of a pressed button; True if ``event`` was one of ours."""
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return False
        action = self.actions.get(event.ui_element)
        if action is None:
            return False
        action()
        return True

    def press(self, label: str) -> bool:
        """Run the action of the button showing ``label`` (for scripted tests and tools)."""
        for button, action in list(self.actions.items()):
            if button.text == label and button.is_enabled:
                action()
                return True
        return False

    def labels(self) -> list[str]:
        return [button.text for button in self.actions]

    def clear(self) -> None:
        for button in self.actions:
            button.kill()
        self.actions.clear()
