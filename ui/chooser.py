"""The chooser: a short list by the pointer when several things share the clicked point.

Each entry is a pygame_gui button; an entry that cannot be carried out is
disabled and says why. Choosing one, or Esc, a right click or a click
elsewhere, closes the list. The drill scene owns it and draws its heading.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui

from ui import theme
from ui.widgets import ButtonBoard

ROW_H = 28
WIDTH_PX = 300
HEADING_PX = 24


class Chooser:
    """A list of choices at a screen point, kept inside ``bounds``."""

    def __init__(self, manager: pygame_gui.UIManager) -> None:
        self.buttons = ButtonBoard(manager)
        self.heading = ""
        self.box: pygame.Rect | None = None

    @property
    def is_open(self) -> bool:
        return self.box is not None

    def open(
        self,
        pos: tuple[int, int],
        heading: str,
        entries: list[tuple[str, bool, Callable[[], None]]],
        bounds: pygame.Rect,
    ) -> None:
        """Show ``entries`` (label, enabled, action) by ``pos``; an action closes the list."""
        self.close()
        self.heading = heading
        box = pygame.Rect(pos[0] + 12, pos[1] + 12, WIDTH_PX, HEADING_PX + len(entries) * ROW_H + 6)
        box.clamp_ip(bounds)
        self.box = box
        for i, (label, enabled, action) in enumerate(entries):
            rect = pygame.Rect(box.x + 4, box.y + HEADING_PX + i * ROW_H, box.w - 8, ROW_H - 2)
            self.buttons.add(rect, label, self._then_close(action), enabled=enabled)

    def _then_close(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self.close()
            action()

        return run

    def handle(self, event: pygame.event.Event) -> bool:
        """Run a chosen entry; True if ``event`` was one of the list's buttons."""
        return self.buttons.handle(event)

    def labels(self) -> list[str]:
        return self.buttons.labels()

    def close(self) -> None:
        self.buttons.clear()
        self.box = None

    def draw(self, surface: pygame.Surface) -> None:
        if self.box is None:
            return
        pygame.draw.rect(surface, (34, 41, 52), self.box, border_radius=6)
        pygame.draw.rect(surface, (150, 170, 200), self.box, 2, border_radius=6)
        image = theme.text(14, self.heading, (220, 228, 240), True)
        surface.blit(image, (self.box.x + 8, self.box.y + 4))
