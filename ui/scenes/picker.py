"""The scenario picker: every scenario file, its title, hazards, duration and difficulty.

Invalid files are listed below the valid ones with their validation messages
(file:line:col), so a broken scenario never crashes the menu.
"""

from __future__ import annotations

import pygame

from ui import theme
from ui.catalog import Entry, discover
from ui.paths import SCENARIOS_DIR
from ui.scene import Scene
from ui.tutorial import tutorial_first

ROW_H = 58


class PickerScene(Scene):
    def enter(self) -> None:
        if not hasattr(self, "entries"):
            found = discover(SCENARIOS_DIR, self.app.cli_scenario)
            self.entries = tutorial_first(found, keep_first=self.app.cli_scenario is not None)
            self.chosen: Entry | None = next((e for e in self.entries if e.valid), None)
        width, height = self.app.size
        t = self.t
        self.rows: dict[int, pygame.Rect] = {}
        for i, entry in enumerate(e for e in self.entries if e.valid):
            rect = pygame.Rect(40, 90 + i * (ROW_H + 8), width // 2 - 60, ROW_H)
            self.rows[id(entry)] = rect
            scenario = entry.loaded.scenario  # type: ignore[union-attr]
            label = t.pick(scenario.meta.title.en, scenario.meta.title.zh)
            self.buttons.add(rect, label, lambda e=entry: self.choose(e))
        self.buttons.add(pygame.Rect(40, height - 70, 160, 44), t("picker.back"), self.back)
        self.buttons.add(
            pygame.Rect(width - 240, height - 70, 200, 44),
            t("picker.choose"),
            self.brief,
            "@title_button",
            enabled=self.chosen is not None,
        )

    def choose(self, entry: Entry) -> None:
        self.chosen = entry

    def back(self) -> None:
        from ui.scenes.title import TitleScene

        self.app.switch(TitleScene(self.app))

    def brief(self) -> None:
        from ui.scenes.briefing import BriefingScene

        if self.chosen is not None and self.chosen.loaded is not None:
            self.app.switch(BriefingScene(self.app, self.chosen.loaded))

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        t = self.t
        surface.blit(theme.text(30, t("picker.heading"), (255, 255, 255), True), (40, 30))
        valid = [e for e in self.entries if e.valid]
        if not valid:
            message = t("picker.none", folder=str(SCENARIOS_DIR))
            surface.blit(theme.text(16, message, (255, 180, 120)), (40, 100))
        x, y = width // 2 + 10, 90
        if self.chosen is not None and id(self.chosen) in self.rows:
            pygame.draw.rect(
                surface,
                (120, 180, 255),
                self.rows[id(self.chosen)].inflate(6, 6),
                2,
                border_radius=6,
            )
        if self.chosen is not None:
            y = self._details(surface, self.chosen, x, y, width - x - 40)
        invalid = [e for e in self.entries if not e.valid]
        if invalid:
            y = max(y + 20, 90 + len(valid) * (ROW_H + 8) + 20)
            surface.blit(theme.text(18, t("picker.invalid"), (255, 140, 120), True), (40, y))
            y += 30
            for entry in invalid:
                surface.blit(theme.text(15, entry.path.name, (255, 200, 180), True), (40, y))
                y += 22
                for problem in entry.problems[:4]:
                    for line in theme.wrap(problem, 13, width - 100):
                        surface.blit(theme.text(13, line, (220, 190, 180)), (60, y))
                        y += 18
                if y > height - 90:
                    break

    def _details(self, surface: pygame.Surface, entry: Entry, x: int, y: int, w: int) -> int:
        t = self.t
        meta = entry.loaded.scenario.meta  # type: ignore[union-attr]
        hazards = ", ".join(t.enum("hazard", h) for h in entry.hazards) or t("picker.no_hazards")
        surface.blit(
            theme.text(22, t.pick(meta.title.en, meta.title.zh), (255, 255, 255), True), (x, y)
        )
        y += 36
        for line in (
            t("picker.hazards", hazards=hazards),
            t("picker.duration", hours=f"{meta.duration_h:g}"),
            t("picker.difficulty", difficulty=t.enum("difficulty", meta.difficulty.value)),
        ):
            surface.blit(theme.text(16, line, (200, 215, 235)), (x, y))
            y += 24
        y += 8
        for line in theme.wrap(t.pick(meta.briefing.en, meta.briefing.zh), 14, w)[:10]:
            surface.blit(theme.text(14, line, (175, 185, 200)), (x, y))
            y += 20
        return y
