"""The side panel: details of the selected thing and the orders that make sense for it.

The panel writes its text with the shipped font and puts its orders on
pygame_gui buttons. Each button carries an intention; the drill scene turns
it into a command (asking first where an order is consequential). An order
the engine would refuse now is shown disabled with the reason on it, read
from the snapshot before the click (ui.feasible); one that can never apply is
not offered. With nothing selected the panel offers the drill-wide orders:
response level, reports upward, reinforcements and ending the drill.

The builders for each kind of selection live in ui.panel_things,
ui.panel_zone and ui.panel_command; this module lays out their text and
buttons and keeps the buttons current without rebuilding them every refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from sim import Snapshot
from ui import input as intents
from ui import theme
from ui.feed import describe_order

if TYPE_CHECKING:
    from ui.scenes.drill import DrillScene

LINE_PX = 19
BUTTON_H = 28
GAP_PX = 4
TITLE_PX = 34
BUTTON_PAD_PX = 12  # a button's border and the room pygame_gui keeps around its text
WARNING_LEVELS = ("blue", "yellow", "orange", "red")
CHANNELS = ("broadcast", "sms", "door_to_door")
# Half and whole truck-loads among them (sim.supplies.TRUCK_LOAD: 8,000 L of water, 10,000
# rations, 2,000 blankets), the loads a dispatcher actually sends.
SUPPLY_AMOUNTS = (100.0, 500.0, 1000.0, 2000.0, 4000.0, 5000.0, 8000.0, 10000.0)
RESPONSE_LEVELS = ("IV", "III", "II", "I")
TEXT_RGB = (222, 228, 236)
HINT_RGB = (160, 200, 255)
WHY_RGB = (255, 170, 120)
Colour = tuple[int, int, int]
Line = tuple[tuple[str, Colour], ...]  # one row of text: one or two columns


@dataclass(frozen=True)
class Choice:
    """One button: its label, what pressing it means, and why it is disabled (or None)."""

    label: str
    intention: intents.Intention
    object_id: str | None = None
    why: str | None = None  # a Reason code: the order would be refused now
    say_why: bool = True  # False when a line above already says why for the whole row
    shorter: tuple[str, ...] = ()  # shorter labels, tried in turn where the label does not fit


def minutes_text(t: Callable[..., str], minutes: float | None) -> str:
    """'6 min', '1 h 05 min' or '—' (no way there)."""
    if minutes is None:
        return t("time.none")
    whole = max(1, round(minutes))
    if whole < 60:
        return t("time.min", min=whole)
    return t("time.h_min", h=whole // 60, min=f"{whole % 60:02d}")


class SidePanel:
    """Builds the lines and buttons for the scene's current selection."""

    def __init__(self, scene: DrillScene, rect: pygame.Rect) -> None:
        self.scene = scene
        self.rect = pygame.Rect(rect)
        self.t = scene.t
        self.names = scene.names
        self.lines: list[Line] = []
        self.title = ""
        self.notes: list[tuple[str, Colour, bool, int]] = []
        self.cursor_y = self.rect.y
        self.placed: list[tuple[pygame.Rect, Choice]] = []
        self._shown: list[tuple[pygame.Rect, Choice]] = []
        self._buttons_started = False
        self.dropped = 0  # buttons of the last build that did not fit

    # -- building ---------------------------------------------------------------
    def rebuild(self, snap: Snapshot, with_buttons: bool = True) -> None:
        """Recompute the text and the buttons for the selection.

        With ``with_buttons`` False (the regular refresh) the buttons are only
        touched where something changed: a label or an enabled state is updated
        in place; they are made anew only when the layout itself changed.
        """
        from ui import panel_command, panel_things, panel_zone

        self.clear()
        sel = self.scene.selected
        builders = {
            "unit": panel_things.unit,
            "incident": panel_things.incident,
            "zone": panel_zone.zone,
            "facility": panel_things.facility,
            "road": panel_things.road,
        }
        if sel is None:
            panel_command.drill_wide(self, snap)
        else:
            builders[sel.kind](self, snap, sel.id)
        self._place_buttons(force=with_buttons)

    def clear(self) -> None:
        """Forget the lines and buttons built so far (a builder may start again, shorter)."""
        self.lines, self.notes, self.placed = [], [], []
        self.dropped = 0
        self._buttons_started = False
        self.cursor_y = self.rect.y + TITLE_PX

    def text(self, message: str, colour: Colour = TEXT_RGB) -> None:
        """Text lines, wrapped to the panel's width (between buttons too)."""
        for line in theme.wrap(message, 14, self.rect.w - 16):
            if self._buttons_started:
                self.notes.append((line, colour, False, self.cursor_y))
                self.cursor_y += LINE_PX
            else:
                self.lines.append(((line, colour),))
                self.cursor_y = self.rect.y + TITLE_PX + len(self.lines) * LINE_PX

    def pair(self, left: tuple[str, Colour], right: tuple[str, Colour] | None) -> None:
        """Two short texts side by side (e.g. people by state)."""
        self.lines.append((left,) if right is None else (left, right))
        self.cursor_y = self.rect.y + TITLE_PX + len(self.lines) * LINE_PX

    def section(self, heading: str) -> None:
        self._start_buttons()
        self.notes.append((heading, (170, 190, 215), True, self.cursor_y))
        self.cursor_y += LINE_PX + 2

    def row(self, choices: list[Choice]) -> None:
        """A row of buttons across the panel, below what is there already."""
        if not choices:
            return
        self._start_buttons()
        width = (self.rect.w - 16 - GAP_PX * (len(choices) - 1)) // len(choices)
        if self.cursor_y + BUTTON_H > self.rect.bottom:
            self.dropped += len(choices)  # no room: never drawn over the timeline below
            return
        for i, choice in enumerate(choices):
            rect = pygame.Rect(
                self.rect.x + 8 + i * (width + GAP_PX), self.cursor_y, width, BUTTON_H
            )
            self.placed.append((rect, choice))
        self.cursor_y += BUTTON_H + GAP_PX

    def corner(self, choice: Choice) -> None:
        """A small button at the right end of the title row (the panel's title stays left)."""
        width = theme.font(15).size(choice.label)[0] + 24
        rect = pygame.Rect(self.rect.right - 8 - width, self.rect.y + 4, width, BUTTON_H - 2)
        self.placed.append((rect, choice))

    def title_room(self) -> int:
        """How wide the title may be: up to the corner button, if there is one."""
        right = min((r.x for r, _ in self.placed if r.y < self.rect.y + TITLE_PX), default=None)
        return (right if right is not None else self.rect.right) - self.rect.x - 16

    def title_size(self) -> int:
        """The title's type size: 18 px, smaller for a long name, so that it fits whole."""
        room = self.title_room()
        sizes = (18, 16, 14)
        return next((n for n in sizes if theme.font(n, True).size(self.title)[0] <= room), 14)

    def rows_left(self) -> int:
        """How many more button rows fit in the panel."""
        self._start_buttons()
        return max(0, (self.rect.bottom - self.cursor_y) // (BUTTON_H + GAP_PX))

    def _start_buttons(self) -> None:
        if not self._buttons_started:
            self._buttons_started = True
            self.cursor_y += 8

    def label_of(self, choice: Choice, width_px: int | None = None) -> str:
        """The button's label: the longest form that fits its button (``Choice.shorter``).

        A disabled one says why, the reason first if both do not fit whole.
        """
        room = (width_px or self.rect.w - 16) - BUTTON_PAD_PX
        face = theme.font(15, bold=choice.object_id == "@level_current")
        forms: list[str] = []
        for label in (choice.label, *choice.shorter):
            if choice.why is None or not choice.say_why:
                forms.append(label)
            else:
                why = self.why(choice.why)
                forms.append(self.t("panel.disabled", label=label, why=why))
                forms.append(self.t("panel.disabled_first", label=label, why=why))
        fitting = next((form for form in forms if face.size(form)[0] <= room), None)
        if fitting is None:  # a very long name: shortened with "…" (its tooltip says it whole)
            fitting = fit(forms[-1], 15, room, bold=choice.object_id == "@level_current")
        return fitting

    def full_label(self, choice: Choice) -> str:
        """The label in its longest form (a shortened button's tooltip)."""
        if choice.why is None or not choice.say_why:
            return choice.label
        return self.t("panel.disabled", label=choice.label, why=self.why(choice.why))

    def why(self, reason: str) -> str:
        """The short on-button form of a refusal reason ('warn first')."""
        key = f"why.{reason}"
        return self.t(key) if self.t.has(key) else self.t.enum("reason", reason)

    # -- buttons ---------------------------------------------------------------
    def _place_buttons(self, force: bool) -> None:
        board = self.scene.buttons
        same_layout = [(r, c.object_id) for r, c in self.placed] == [
            (r, c.object_id) for r, c in self._shown
        ] and len(board.actions) == len(self._shown)
        if force or not same_layout:
            board.clear()
            for rect, choice in self.placed:
                label, full = self.label_of(choice, rect.w), self.full_label(choice)
                board.add(
                    rect,
                    label,
                    self._action(choice),
                    choice.object_id,
                    enabled=choice.why is None,
                    tooltip=full if full != label else None,
                )
        else:
            for button, (rect, choice) in zip(list(board.actions), self.placed, strict=True):
                board.update(
                    button, self.label_of(choice, rect.w), self._action(choice), choice.why is None
                )
        self._shown = list(self.placed)

    def _action(self, choice: Choice) -> Callable[[], None]:
        return lambda: self.scene.order(choice.intention)

    def choices(self) -> list[Choice]:
        """The buttons the panel shows now (for tools and tests)."""
        return [choice for _, choice in self.placed]

    # -- drawing ---------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, (24, 29, 37), self.rect)
        pygame.draw.line(surface, (60, 70, 84), self.rect.topleft, self.rect.bottomleft, 1)
        size = self.title_size()
        title = fit(self.title, size, self.title_room(), bold=True)
        image = theme.text(size, title, (255, 255, 255), True)
        surface.blit(image, image.get_rect(midleft=(self.rect.x + 8, self.rect.y + 17)))
        y = self.rect.y + TITLE_PX
        half = (self.rect.w - 16) // 2
        for line in self.lines:
            for column, (words, colour) in enumerate(line):
                if words:
                    surface.blit(
                        theme.text(14, words, colour), (self.rect.x + 8 + column * half, y)
                    )
            y += LINE_PX
        for words, colour, bold, top in self.notes:
            surface.blit(theme.text(14, words, colour, bold), (self.rect.x + 8, top))


def fit(message: str, size: int, width: int, bold: bool = False) -> str:
    """``message`` as it fits ``width`` px on one line: shortened with "…" if it must be."""
    face = theme.font(size, bold)
    if face.size(message)[0] <= width:
        return message
    while message and face.size(message + "…")[0] > width:
        message = message[:-1]
    return message.rstrip() + "…"


def order_text(intention: intents.Intention, scene: DrillScene) -> str:
    """A readable line for an order intention (used by tools and tests)."""
    command = intents.to_command(intention)
    if command is None:
        return ""
    return describe_order(command.model_dump(mode="json"), scene.t, scene.names)
