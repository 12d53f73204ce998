"""The scenario picker: every scenario file, its title, hazards, duration and difficulty.

The list on the left holds every file: the valid ones first, then the invalid
ones (chosen, an invalid file shows its validation messages, file:line:col, on
the right), so a broken scenario never crashes the menu. Rows shrink to fit the
window; when they still do not fit, the list shows a window of rows with
"▲ n more" / "▼ n more" buttons, the mouse wheel scrolls it, and the chosen row
is always scrolled into view. The details on the right wrap and scroll (wheel
over them, PgUp/PgDn) with a scroll bar and a "more below" line while more is
hidden. Keys: Up/Down choose, Enter briefs, Esc goes back.
"""

from __future__ import annotations

import pygame

from ui import theme
from ui.catalog import Entry, discover
from ui.panel import BUTTON_PAD_PX, fit
from ui.paths import SCENARIOS_DIR
from ui.scene import Scene
from ui.tutorial import tutorial_first

ROW_H, ROW_MIN_H, GAP_PX = 58, 40, 8  # a row's height: the usual, and the least it shrinks to
TOP_PX = 90  # the list's and the details' top
MARGIN_PX = 40
ARROW_H = 26  # the list's "▲ n more" / "▼ n more" buttons
WHEEL_PX = 40
KEYS_PX = 13
BUTTON_FONT_PX = 15  # assets/theme.json's button font
MORE_PX = 20


class PickerScene(Scene):
    def enter(self) -> None:
        if not hasattr(self, "entries"):
            found = discover(SCENARIOS_DIR, self.app.cli_scenario)
            named = self.app.cli_scenario is not None and bool(found) and found[0].valid
            valid = tutorial_first([e for e in found if e.valid], keep_first=named)
            self.entries = valid + [e for e in found if not e.valid]
            self.chosen: Entry | None = next((e for e in self.entries if e.valid), None)
            self.first = 0  # the list's first row shown
            self.detail_scroll = 0  # px the details are scrolled
        self.detail_h = 0  # the details' height, as last drawn
        self.texts: list[tuple[str, pygame.Rect]] = []  # the details' lines, where last drawn
        self.pointer = getattr(self, "pointer", (0, 0))  # where the mouse last moved to
        self._build()

    # -- layout ----------------------------------------------------------------------
    def list_area(self) -> pygame.Rect:
        """The left column: rows (and the scroll buttons) go here, above the Back button."""
        width, height = self.app.size
        return pygame.Rect(MARGIN_PX, TOP_PX, width // 2 - 60, height - 70 - 12 - TOP_PX)

    def detail_area(self) -> pygame.Rect:
        width, height = self.app.size
        x = width // 2 + 10  # (the last line above the buttons says when more is below)
        return pygame.Rect(x, TOP_PX, width - x - MARGIN_PX, height - 70 - 12 - MORE_PX - TOP_PX)

    def row_height(self) -> int:
        """Rows shrink (down to ROW_MIN_H) so that every file fits, if it can."""
        n = max(1, len(self.entries))
        return max(ROW_MIN_H, min(ROW_H, (self.list_area().h + GAP_PX) // n - GAP_PX))

    def shown_count(self) -> int:
        """How many rows the list shows at once (room for the scroll buttons if it scrolls)."""
        area, step = self.list_area(), self.row_height() + GAP_PX
        if (area.h + GAP_PX) // step >= len(self.entries):
            return len(self.entries)
        return max(1, (area.h - 2 * (ARROW_H + GAP_PX) + GAP_PX) // step)

    def _build(self) -> None:
        """(Re)make the buttons: the rows shown, the scroll buttons, Back and Brief me."""
        self.buttons.clear()
        width, height = self.app.size
        t, area = self.t, self.list_area()
        shown, row_h = self.shown_count(), self.row_height()
        self.first = max(0, min(self.first, len(self.entries) - shown))
        scrolls = shown < len(self.entries)
        y = area.y + (ARROW_H + GAP_PX if scrolls else 0)
        self.rows: dict[int, pygame.Rect] = {}
        for entry in self.entries[self.first : self.first + shown]:
            rect = pygame.Rect(area.x, y, area.w, row_h)
            self.rows[id(entry)] = rect
            label = self.label(entry)
            shown_label = fit(label, BUTTON_FONT_PX, rect.w - BUTTON_PAD_PX - 8)
            self.buttons.add(
                rect,
                shown_label,
                lambda e=entry: self.choose(e),
                tooltip=None if shown_label == label else label,
            )
            y += row_h + GAP_PX
        if scrolls:
            above, below = self.first, len(self.entries) - self.first - shown
            self.buttons.add(
                pygame.Rect(area.x, area.y, area.w, ARROW_H),
                t("picker.more_above", n=above) if above else "▲",
                lambda: self.scroll_list(-shown),
                enabled=above > 0,
            )
            self.buttons.add(
                pygame.Rect(area.x, area.bottom - ARROW_H, area.w, ARROW_H),
                t("picker.more_below", n=below) if below else "▼",
                lambda: self.scroll_list(shown),
                enabled=below > 0,
            )
        self.buttons.add(pygame.Rect(40, height - 70, 160, 44), t("picker.back"), self.back)
        self.buttons.add(
            pygame.Rect(width - 240, height - 70, 200, 44),
            t("picker.choose"),
            self.brief,
            "@title_button",
            enabled=self.chosen is not None and self.chosen.valid,
        )

    def label(self, entry: Entry) -> str:
        if entry.loaded is None:
            return self.t("picker.invalid_row", name=entry.path.name)
        meta = entry.loaded.scenario.meta
        return self.t.pick(meta.title.en, meta.title.zh)

    # -- actions ---------------------------------------------------------------------
    def choose(self, entry: Entry) -> None:
        if entry is not self.chosen:
            self.chosen = entry
            self.detail_scroll = 0
        index = self.entries.index(entry)
        shown = self.shown_count()
        if index < self.first:
            self.first = index
        elif index >= self.first + shown:
            self.first = index - shown + 1
        self._build()

    def step_choice(self, by: int) -> None:
        """Choose the row ``by`` rows down (up if negative), keeping it in view."""
        if not self.entries:
            return
        index = self.entries.index(self.chosen) if self.chosen in self.entries else -1
        self.choose(self.entries[max(0, min(len(self.entries) - 1, index + by))])

    def scroll_list(self, rows: int) -> None:
        self.first = max(0, min(self.first + rows, len(self.entries) - self.shown_count()))
        self._build()

    def scroll_details(self, px: int) -> None:
        longer = max(0, self.detail_h - self.detail_area().h)
        self.detail_scroll = max(0, min(longer, self.detail_scroll + px))

    def back(self) -> None:
        from ui.scenes.title import TitleScene

        self.app.switch(TitleScene(self.app))

    def brief(self) -> None:
        from ui.scenes.briefing import BriefingScene

        if self.chosen is not None and self.chosen.loaded is not None:
            self.app.switch(BriefingScene(self.app, self.chosen.loaded))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.pointer = event.pos
        if event.type == pygame.MOUSEWHEEL:
            if self.detail_area().collidepoint(self.pointer):
                self.scroll_details(-WHEEL_PX * event.y)
            else:
                self.scroll_list(-event.y)
            return
        if event.type == pygame.KEYDOWN:
            keys = {
                pygame.K_UP: lambda: self.step_choice(-1),
                pygame.K_DOWN: lambda: self.step_choice(1),
                pygame.K_HOME: lambda: self.step_choice(-len(self.entries)),
                pygame.K_END: lambda: self.step_choice(len(self.entries)),
                pygame.K_PAGEUP: lambda: self.scroll_details(-self.detail_area().h * 3 // 4),
                pygame.K_PAGEDOWN: lambda: self.scroll_details(self.detail_area().h * 3 // 4),
                pygame.K_RETURN: self.brief,
                pygame.K_KP_ENTER: self.brief,
                pygame.K_ESCAPE: self.back,
            }
            action = keys.get(event.key)
            if action is not None:
                action()
                return
        super().handle_event(event)

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        height = surface.get_height()
        t = self.t
        surface.blit(theme.text(30, t("picker.heading"), (255, 255, 255), True), (40, 30))
        if not any(e.valid for e in self.entries):
            message = t("picker.none", folder=str(SCENARIOS_DIR))
            for i, line in enumerate(theme.wrap(message, 16, self.list_area().w)):
                surface.blit(theme.text(16, line, (255, 180, 120)), (40, 60 + 20 * i))
        if self.chosen is not None and id(self.chosen) in self.rows:
            pygame.draw.rect(
                surface,
                (120, 180, 255),
                self.rows[id(self.chosen)].inflate(6, 6),
                2,
                border_radius=6,
            )
        keys = theme.text(KEYS_PX, t("picker.keys"), (140, 150, 165))
        surface.blit(keys, keys.get_rect(midleft=(210, height - 48)))
        if self.chosen is not None:
            self._draw_details(surface, self.chosen)

    def _draw_details(self, surface: pygame.Surface, entry: Entry) -> None:
        area = self.detail_area()
        clip = surface.get_clip()
        surface.set_clip(area)
        top = area.y - self.detail_scroll
        bottom = self._details(surface, entry, area.x, top, area.w - 10)
        surface.set_clip(clip)
        self.detail_h = bottom - top
        if self.detail_h <= area.h:
            return
        # A scroll bar at the right edge, and a line saying there is more below.
        track = pygame.Rect(area.right - 4, area.y, 4, area.h)
        pygame.draw.rect(surface, (45, 52, 64), track, border_radius=2)
        thumb_h = max(20, area.h * area.h // self.detail_h)
        thumb_y = area.y + (area.h - thumb_h) * self.detail_scroll // (self.detail_h - area.h)
        pygame.draw.rect(surface, (150, 170, 200), (track.x, thumb_y, 4, thumb_h), border_radius=2)
        if self.detail_scroll < self.detail_h - area.h:
            more = theme.text(13, self.t("picker.more_text"), (160, 200, 255))
            surface.blit(more, (area.x, area.bottom + 3))

    def _details(self, surface: pygame.Surface, entry: Entry, x: int, y: int, w: int) -> int:
        """The chosen file's title, facts and briefing (or its problems) from ``y`` down,
        each wrapped to ``w`` px; returns where they end."""
        t = self.t
        self.texts = []
        if entry.loaded is None:
            y = self._para(surface, t("picker.invalid"), (20, 28, True), (255, 140, 120), x, y, w)
            y = self._para(surface, entry.path.name, (15, 24, True), (255, 200, 180), x, y, w)
            said = tuple(issue.text(t.language) for issue in entry.issues) or entry.problems
            for problem in said:
                y = self._para(surface, problem, (13, 18, False), (220, 190, 180), x, y, w) + 4
            return y
        meta = entry.loaded.scenario.meta
        hazards = t.listing(t.enum("hazard", h) for h in entry.hazards) or t("picker.no_hazards")
        title = t.pick(meta.title.en, meta.title.zh)
        y = self._para(surface, title, (22, 30, True), (255, 255, 255), x, y, w) + 6
        for fact in (
            t("picker.hazards", hazards=hazards),
            t("picker.duration", hours=f"{meta.duration_h:g}"),
            t("picker.difficulty", difficulty=t.enum("difficulty", meta.difficulty.value)),
        ):
            y = self._para(surface, fact, (16, 24, False), (200, 215, 235), x, y, w)
        briefing = t.pick(meta.briefing.en, meta.briefing.zh)
        return self._para(surface, briefing, (14, 20, False), (175, 185, 200), x, y + 8, w)

    def _para(
        self,
        surface: pygame.Surface,
        text: str,
        style: tuple[int, int, bool],  # font px, line px, bold
        colour: tuple[int, int, int],
        x: int,
        y: int,
        w: int,
    ) -> int:
        """``text`` wrapped to ``w`` px from ``y`` down (each line kept in ``self.texts``)."""
        size, line_px, bold = style
        for line in theme.wrap(text, size, w, bold):
            image = theme.text(size, line, colour, bold)
            surface.blit(image, (x, y))
            self.texts.append((line, image.get_rect(topleft=(x, y))))
            y += line_px
        return y
