"""The debrief: the drill's outcome in figures, and the way back to play again or the menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ui import theme
from ui.scene import Scene
from ui.session import DrillSession

if TYPE_CHECKING:
    from ui.app import App

PEOPLE_ORDER = (
    "dead",
    "injured",
    "trapped",
    "hospitalised",
    "evacuated",
    "sheltering",
    "evacuating",
    "warned",
    "unaware",
)


class DebriefScene(Scene):
    def __init__(self, app: App, session: DrillSession) -> None:
        super().__init__(app)
        self.session = session
        self.snapshot = session.drill.snapshot()
        self.aborted = any(e.kind == "DrillAborted" for e in session.drill.events[-3:])

    def enter(self) -> None:
        width, height = self.app.size
        self.buttons.add(
            pygame.Rect(width - 480, height - 70, 210, 44),
            self.t("debrief.again"),
            self.again,
            "@title_button",
        )
        self.buttons.add(
            pygame.Rect(width - 250, height - 70, 210, 44),
            self.t("debrief.menu"),
            self.menu,
            "@title_button",
        )

    def again(self) -> None:
        from ui.scenes.briefing import BriefingScene

        self.app.switch(BriefingScene(self.app, self.session.loaded))

    def menu(self) -> None:
        from ui.scenes.title import TitleScene

        self.app.switch(TitleScene(self.app))

    def figures(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the outcome, in the current language."""
        t, snap = self.t, self.snapshot
        rows = [(t.enum("person", s), f"{snap.people.get(s, 0):,}") for s in PEOPLE_ORDER]
        incidents = snap.incidents
        resolved = sum(1 for i in incidents if not i.is_open)
        waits = [
            i.first_unit_min - i.created_min for i in incidents if i.first_unit_min is not None
        ]
        mean_wait = (
            t("debrief.response_value", min=f"{sum(waits) / len(waits):.0f}")
            if waits
            else t("debrief.na")
        )
        rows += [
            (t("debrief.unmet"), f"{snap.unmet_need_person_h:,.0f}"),
            (t("debrief.warnings"), str(snap.warnings_issued)),
            (t("debrief.incidents"), f"{resolved} / {len(incidents)}"),
            (t("debrief.response"), mean_wait),
            (t("debrief.level"), t.enum("level", snap.response_level)),
        ]
        return rows

    def draw(self, surface: pygame.Surface) -> None:
        t = self.t
        meta = self.session.loaded.scenario.meta
        heading = t("debrief.heading", title=t.pick(meta.title.en, meta.title.zh))
        surface.blit(theme.text(30, heading, (255, 255, 255), True), (40, 30))
        status = t("debrief.aborted" if self.aborted else "debrief.ended")
        surface.blit(theme.text(17, status, (255, 200, 120)), (40, 80))
        y = 124
        for label, value in self.figures():
            surface.blit(theme.text(18, label[:1].upper() + label[1:], (190, 200, 215)), (60, y))
            image = theme.text(18, value, (255, 255, 255), True)
            surface.blit(image, image.get_rect(topright=(520, y)))
            y += 30
        y += 10
        for line in (t("debrief.log", path=str(self.session.log_path)), t("debrief.score_pending")):
            for part in theme.wrap(line, 14, surface.get_width() - 100):
                surface.blit(theme.text(14, part, (150, 165, 185)), (60, y))
                y += 20
