"""The application: the window, the pygame_gui manager, the scene in play and the frame loop.

One frame: every pending event goes to pygame_gui first and then to the scene
(which turns it into intentions); the scene updates (the drill scene advances
the engine by a bounded slice), then draws the latest snapshot. Drawing never
changes engine state.
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from ui import theme
from ui.i18n import Translator
from ui.scene import Scene
from ui.theme import theme_data

if TYPE_CHECKING:
    from ui.warmup import Warmup

WINDOW_SIZE = (1280, 720)
MIN_SIZE = (1024, 600)
FPS = 60
BACKGROUND = (18, 22, 28)
# Opt-in, for benchmarks/bench_startup.py: the wall time (time.time()) of the first frame
# presented is written to the file this variable names. Unset, nothing happens.
FIRST_FRAME_ENV = "DRILLCOMMAND_FIRST_FRAME_FILE"


class App:
    """The game window and its scenes."""

    def __init__(
        self,
        language: str = "en",
        cli_scenario: Path | None = None,
        size: tuple[int, int] = WINDOW_SIZE,
        trainee: str = "anonymous",
        warm_up: bool = False,
    ) -> None:
        pygame.init()
        theme.clear_caches()  # fonts from an earlier pygame.init are invalid now
        self.t = Translator(language)
        self.cli_scenario = cli_scenario
        self.trainee = trainee  # whose drills the debrief records
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        pygame.display.set_caption(self.t("window.title"))
        self.manager = pygame_gui.UIManager(size, theme_data(), enable_live_theme_updates=False)
        self.scene: Scene | None = None
        self.running = True
        self.clock = pygame.time.Clock()
        # Scoring anchors played in a background process during each drill (game.py turns it on).
        self._warm_up = warm_up
        self._warmup: Warmup | None = None
        self._first_frame_file = os.environ.get(FIRST_FRAME_ENV)

    @property
    def warmup(self) -> Warmup:
        """The background warm-up of the debrief's scoring anchors (made when first asked for).

        Made on first use because ui.warmup imports the engine, which the title
        screen's first frame does not need (see game.py).
        """
        if self._warmup is None:
            from ui.warmup import Warmup

            self._warmup = Warmup(enabled=self._warm_up)
        return self._warmup

    @warmup.setter
    def warmup(self, warmup: Warmup) -> None:
        self._warmup = warmup

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def switch(self, scene: Scene) -> None:
        """Leave the current scene and enter ``scene``."""
        if self.scene is not None:
            self.scene.leave()
        self.manager.clear_and_reset()
        self.scene = scene
        scene.enter()

    def rebuild(self) -> None:
        """Rebuild the current scene's widgets (after a language or window-size change)."""
        assert self.scene is not None
        self.scene.leave()
        self.manager.clear_and_reset()
        self.scene.enter()

    def set_language(self, language: str) -> None:
        self.t.language = language
        pygame.display.set_caption(self.t("window.title"))
        self.rebuild()

    def dispatch(self, event: pygame.event.Event) -> None:
        """Route one event: window events here, then pygame_gui, then the scene."""
        assert self.scene is not None
        if event.type == pygame.QUIT:
            if self.scene.request_quit():
                self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            width, height = max(event.w, MIN_SIZE[0]), max(event.h, MIN_SIZE[1])
            self.screen = pygame.display.set_mode((width, height), pygame.RESIZABLE)
            self.manager.set_window_resolution((width, height))
            self.rebuild()
            return
        if self.manager.process_events(event):
            return
        self.scene.handle_event(event)

    def step(self, dt_s: float) -> None:
        """One frame: events, update, draw."""
        assert self.scene is not None
        for event in pygame.event.get():
            self.dispatch(event)
            if not self.running:
                return
        self.scene.update(dt_s)
        self.manager.update(dt_s)
        self.draw()

    def draw(self) -> None:
        assert self.scene is not None
        self.screen.fill(BACKGROUND)
        self.scene.draw(self.screen)
        self.manager.draw_ui(self.screen)
        pygame.display.flip()
        if self._first_frame_file:
            with suppress(OSError):  # a benchmark's aid: never a reason for the game to stop
                Path(self._first_frame_file).write_text(repr(time.time()), encoding="utf-8")
            self._first_frame_file = None

    def run(self) -> None:
        """The frame loop, until the window closes or a scene quits."""
        try:
            while self.running:
                dt_s = min(self.clock.tick(FPS) / 1000.0, 0.25)
                self.step(dt_s)
        finally:
            if self._warmup is not None:
                self._warmup.close()  # no worker outlives the game
            pygame.quit()
