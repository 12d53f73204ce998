"""The title scene: start, language (English / 中文), quit."""

from __future__ import annotations

import sys

import pygame

from ui import theme
from ui.i18n import LANGUAGES
from ui.resume_offer import add_resume_button
from ui.scene import Scene

BUTTON_W, BUTTON_H = 320, 52


class TitleScene(Scene):
    drawn = False  # the title is on screen: the scenes after it may load

    def enter(self) -> None:
        width, height = self.app.size
        x, y = (width - BUTTON_W) // 2, height // 2 - 10
        t = self.t
        self.buttons.add(
            pygame.Rect(x, y, BUTTON_W, BUTTON_H), t("title.start"), self.start, "@title_button"
        )
        row = pygame.Rect(x, y + 70, (BUTTON_W - 10) // 2, BUTTON_H)
        self.buttons.add(
            row,
            "English",
            lambda: self.app.set_language("en"),
            "@title_button",
            enabled=self.t.language != "en",
        )
        self.buttons.add(
            row.move(row.w + 10, 0),
            "中文",
            lambda: self.app.set_language("zh-CN"),
            "@title_button",
            enabled=self.t.language != "zh-CN",
        )
        self.buttons.add(
            pygame.Rect(x, y + 140, BUTTON_W, BUTTON_H), t("title.quit"), self.quit, "@title_button"
        )
        add_resume_button(self, width // 2, y + 210, BUTTON_H)  # a drill cut off last time

    def start(self) -> None:
        from ui.scenes.picker import PickerScene

        self.app.switch(PickerScene(self.app))

    def quit(self) -> None:
        self.app.running = False

    def update(self, dt_s: float) -> None:
        if self.drawn and "ui.scenes.picker" not in sys.modules:
            # Loaded here, the frame after the title first shows, not before it: the picker
            # and briefing bring in the engine (numpy, networkx, pydantic), about two thirds
            # of the launch. Start then opens the picker as quickly as when they loaded first.
            import ui.scenes.briefing
            import ui.scenes.picker  # noqa: F401

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        for i in range(0, height, 4):  # a dark blue wash, deeper at the bottom
            shade = 18 + i * 20 // height
            pygame.draw.rect(surface, (shade, shade + 6, shade + 20), (0, i, width, 4))
        title = theme.text(56, self.t("app.title"), (255, 255, 255), True)
        other = "应急演练指挥" if not self.t.is_chinese else "DrillCommand"
        surface.blit(title, title.get_rect(center=(width // 2, height // 4)))
        second = theme.text(26, other, (190, 205, 225))
        surface.blit(second, second.get_rect(center=(width // 2, height // 4 + 52)))
        subtitle = theme.text(20, self.t("app.subtitle"), (160, 175, 195))
        surface.blit(subtitle, subtitle.get_rect(center=(width // 2, height // 4 + 92)))
        hint = theme.text(15, self.t("title.hint"), (130, 140, 155))
        surface.blit(hint, hint.get_rect(center=(width // 2, height - 40)))
        assert self.t.language in LANGUAGES
        self.drawn = True
