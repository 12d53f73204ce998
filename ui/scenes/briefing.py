"""The briefing: a map preview, the situation, the objectives and the forces available."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from sim import Drill, LoadedScenario
from ui import theme
from ui.map_widget import MapWidget
from ui.names import Names
from ui.scene import Scene

if TYPE_CHECKING:
    from ui.app import App


class BriefingScene(Scene):
    def __init__(self, app: App, loaded: LoadedScenario) -> None:
        super().__init__(app)
        self.loaded = loaded
        self.seed = loaded.scenario.meta.default_seed
        self.scroll_px = 0  # how far the text column is scrolled
        self.text_h = 0  # the text column's height, as last drawn
        # A throw-away drill (no log) just to draw the map as it stands at the start.
        self.preview = Drill(loaded, self.seed).snapshot()
        from ui.warmup import warm_flood_kernel

        warm_flood_kernel()  # the compiled flood kernel is ready before the drill's first frame

    def enter(self) -> None:
        width, height = self.app.size
        self.names = Names(self.loaded, self.t)
        map_rect = pygame.Rect(30, 80, width // 2 - 45, height - 170)
        # Interactive for its legend only: folded to the hazard bands (a click shows more), so
        # the preview is not hidden behind the zone and unit keys.
        self.map = MapWidget(map_rect, self.preview, self.t, self.names, self.loaded, True)
        self.map.key_unplaced = True  # a facility whose name finds no room is numbered and keyed
        self.buttons.add(pygame.Rect(30, height - 70, 160, 44), self.t("briefing.back"), self.back)
        self.buttons.add(
            pygame.Rect(width - 260, height - 70, 230, 44),
            self.t("briefing.start"),
            self.start,
            "@title_button",
        )

    def back(self) -> None:
        from ui.scenes.picker import PickerScene

        self.app.switch(PickerScene(self.app))

    def start(self) -> None:
        from ui.scenes.drill import DrillScene

        self.app.switch(DrillScene(self.app, self.loaded, self.seed))

    def draw(self, surface: pygame.Surface) -> None:
        width, _ = surface.get_size()
        t, meta = self.t, self.loaded.scenario.meta
        title = t("briefing.heading", title=t.pick(meta.title.en, meta.title.zh))
        surface.blit(theme.text(28, title, (255, 255, 255), True), (30, 24))
        self.map.draw(surface, self.preview, None)
        pygame.draw.rect(surface, (90, 100, 115), self.map.rect, 1)
        x, w = width // 2 + 15, width // 2 - 45
        # The text column scrolls (mouse wheel) where it is longer than the map beside it.
        column = pygame.Rect(x, 80, w, self.map.rect.h)
        surface.set_clip(column)
        bottom = self._column(surface, x, w, column.y - self.scroll_px)
        surface.set_clip(None)
        self.text_h = bottom + self.scroll_px - column.y
        if bottom > column.bottom:
            more = theme.text(13, t("briefing.more"), (160, 200, 255))
            surface.blit(more, (column.x, column.bottom + 4))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and self.map.handle_event(event):
            return  # a click on the legend shows more (or less) of it
        if event.type == pygame.MOUSEWHEEL:
            longer = self.text_h - self.map.rect.h
            self.scroll_px = max(0, min(longer, self.scroll_px - 40 * event.y))
        super().handle_event(event)

    def _column(self, surface: pygame.Surface, x: int, w: int, y: int) -> int:
        """The situation, objectives and forces from ``y`` down; returns where they end."""
        t, meta = self.t, self.loaded.scenario.meta
        y = self._section(surface, t("briefing.situation"), x, y)
        timing = t(
            "briefing.timing", start=meta.start_time, hours=f"{meta.duration_h:g}", seed=self.seed
        )
        y = self._para(surface, timing, x, y, w, (160, 200, 255))
        y = self._para(surface, t.pick(meta.briefing.en, meta.briefing.zh), x, y, w)
        y = self._section(surface, t("briefing.objectives"), x, y + 8)
        for objective in meta.objectives:
            y = self._para(surface, "• " + t.pick(objective.en, objective.zh), x, y, w)
        y = self._section(surface, t("briefing.forces"), x, y + 8)
        forces = self.loaded.scenario.forces
        lines = [
            t(
                "briefing.unit_line",
                count=g.count,
                type=t.enum("unit_type", g.type.value),
                base=self.names.facility(g.base),
            )
            for g in forces.units
        ]
        y = self._para(surface, "；".join(lines) if t.is_chinese else "; ".join(lines), x, y, w)
        if forces.reinforcements:
            y = self._section(surface, t("briefing.reinforcements"), x, y + 8)
            extra = [
                t(
                    "briefing.reinforcement_line",
                    count=r.count,
                    type=t.enum("unit_type", r.type.value),
                    level=t.enum("level", r.level.value),
                    delay=f"{r.delay_min:g}",
                )
                for r in forces.reinforcements
            ]
            y = self._para(surface, "；".join(extra) if t.is_chinese else "; ".join(extra), x, y, w)
        return y

    @staticmethod
    def _section(surface: pygame.Surface, heading: str, x: int, y: int) -> int:
        surface.blit(theme.text(18, heading, (170, 190, 215), True), (x, y))
        return y + 28

    @staticmethod
    def _para(
        surface: pygame.Surface,
        text: str,
        x: int,
        y: int,
        w: int,
        colour: tuple[int, int, int] = (215, 222, 232),
    ) -> int:
        for line in theme.wrap(text, 14, w):
            surface.blit(theme.text(14, line, colour), (x, y))
            y += 20
        return y
