"""A yes/no question over the drill screen: a consequential order, leaving, ending.

While it is open the drill stands still (the scene does not advance the
engine) and only its buttons, Esc or a right click (no) answer it.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui

from ui import hud
from ui.widgets import ButtonBoard

BOX_PX = (560, 190)


class Question:
    """One question at a time, with a yes action."""

    def __init__(self, manager: pygame_gui.UIManager) -> None:
        self.buttons = ButtonBoard(manager)
        self.kind: str | None = None  # "order", "quit" or "end"
        self.text = ""
        self.on_yes: Callable[[], None] | None = None
        self.on_close: Callable[[], None] | None = None

    @staticmethod
    def box(size: tuple[int, int]) -> pygame.Rect:
        box = pygame.Rect((0, 0), BOX_PX)
        box.center = (size[0] // 2, size[1] // 2)
        return box

    def ask(
        self,
        kind: str,
        text: str,
        on_yes: Callable[[], None] | None,
        size: tuple[int, int],
        labels: tuple[str, str],
    ) -> None:
        """Show ``text`` with (yes, no) ``labels``; yes runs ``on_yes`` after closing."""
        self.kind, self.text, self.on_yes = kind, text, on_yes
        self.buttons.clear()
        box = self.box(size)
        yes = pygame.Rect(box.x + 40, box.bottom - 52, 220, 36)
        no = pygame.Rect(box.right - 260, box.bottom - 52, 220, 36)
        self.buttons.add(yes, labels[0], self._yes, "@danger")
        self.buttons.add(no, labels[1], self.close)

    def handle(self, event: pygame.event.Event) -> None:
        """An answer: a button, or Esc / right click for no; other input is ignored."""
        if self.buttons.handle(event):
            return
        cancel = (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE) or (
            event.type == pygame.MOUSEBUTTONDOWN and event.button == 3
        )
        if cancel:
            self.close()

    def _yes(self) -> None:
        action = self.on_yes
        self.close()
        if action is not None:
            action()

    def close(self) -> None:
        self.kind, self.on_yes = None, None
        self.buttons.clear()
        if self.on_close is not None:
            self.on_close()

    def draw(self, surface: pygame.Surface) -> None:
        if self.kind is not None:
            hud.draw_modal(surface, self.box(surface.get_size()), self.text)
