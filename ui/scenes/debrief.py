"""The debrief: the drill's outcome in figures, its score, and the way to the after-action report.

On entry the drill log (already closed) is scored on a background thread
(:mod:`ui.scoring_job`); the screen keeps drawing and shows which stage the
scoring is at. When it is done the right-hand column shows the 0–100 total,
the process and outcome scores, the HSEEP rating of every capability the log
could judge and the top findings, and "Open report" opens the HTML report
written next to the log. Names of capabilities, items, grades and ratings
come from the analysis locale tables, so the screen and the report agree.
"""

from __future__ import annotations

import math
import re
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from ui import theme
from ui.scene import Scene
from ui.scoring_job import ScoringJob
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
TOP_FINDINGS = 3
LEFT_W = 460  # the figures column; the score column starts to its right
MUTED = (150, 165, 185)
HEADING = (170, 190, 215)
RATING_COLOURS = {
    "P": (56, 142, 60),
    "S": (124, 158, 40),
    "M": (214, 132, 28),
    "U": (190, 50, 50),
}
GRADE_COLOURS = {
    "deficiency": (235, 100, 100),
    "rectify": (240, 160, 70),
    "improve": (225, 205, 110),
}
Tr = Callable[..., str]


def score_colour(score: float) -> tuple[int, int, int]:
    """Green for a good score, amber for a middling one, red for a poor one."""
    if score >= 70:
        return (110, 200, 120)
    return (235, 180, 80) if score >= 40 else (235, 100, 100)


def wrap_path(message: str, size: int, width: int) -> list[str]:
    """Break a line holding a file path at spaces and path separators to fit ``width`` px."""
    face = theme.font(size)
    lines, line = [], ""
    for token in re.split(r"(?<=[/\\ ])", message):
        if line and face.size(line + token)[0] > width:
            lines.append(line)
            line = token
        else:
            line += token
    return [*lines, line]


def join_fitting(entries: list[str], separator: str, size: int, width: int) -> list[str]:
    """Join ``entries`` into lines of at most ``width`` px, never breaking an entry."""
    face = theme.font(size)
    lines: list[str] = []
    for entry in entries:
        if lines and face.size(lines[-1] + separator + entry)[0] <= width:
            lines[-1] += separator + entry
        else:
            lines.append(entry)
    return lines


class DebriefScene(Scene):
    def __init__(self, app: App, session: DrillSession) -> None:
        super().__init__(app)
        self.session = session
        self.snapshot = session.drill.snapshot()
        self.aborted = any(e.kind == "DrillAborted" for e in session.drill.events[-3:])
        self.job = ScoringJob(session.log_path, app.t.language, app.trainee)
        self.elapsed_s = 0.0
        self.browser_note: str | None = None  # after "Open report": opened or failed
        self.open_button: pygame_gui.elements.UIButton | None = None

    # --- scene protocol -------------------------------------------------------------------

    def enter(self) -> None:
        self.session.close()  # the log must be complete before it is scored
        self.job.start()
        width, height = self.app.size
        self.open_button = self.buttons.add(
            pygame.Rect(width - 740, height - 70, 240, 44),
            self.t("debrief.open_report"),
            self.open_report,
            "@title_button",
            enabled=self.report_ready,
        )
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

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_r:
            self.open_report()
            return
        super().handle_event(event)

    def update(self, dt_s: float) -> None:
        self.elapsed_s += dt_s
        button = self.open_button
        if button is not None and self.report_ready and not button.is_enabled:
            button.enable()

    def request_quit(self) -> bool:
        self.job.cancel()
        return True

    # --- actions --------------------------------------------------------------------------

    @property
    def report_ready(self) -> bool:
        return self.job.done.is_set() and self.job.page is not None

    def open_report(self) -> None:
        """Open the HTML report in the system's browser (once scoring has written it)."""
        if not self.report_ready or self.job.page is None:
            return
        try:
            opened = webbrowser.open(self.job.page.as_uri())
        except webbrowser.Error:
            opened = False
        self.browser_note = "debrief.browser_opened" if opened else "debrief.browser_failed"

    def again(self) -> None:
        from ui.scenes.briefing import BriefingScene

        self.job.cancel()
        self.app.switch(BriefingScene(self.app, self.session.loaded))

    def menu(self) -> None:
        from ui.scenes.title import TitleScene

        self.job.cancel()
        self.app.switch(TitleScene(self.app))

    # --- what the screen says -------------------------------------------------------------

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

    def score_lines(self) -> list[str]:
        """The score column as plain text lines (what a test or a screen reader checks)."""
        card, tr = self.job.card, self.analysis_tr()
        if self.job.error is not None:
            key, reason = self.job.error
            return [self.t(key, reason=reason), self.t("debrief.score_pending")]
        if card is None or tr is None:
            return [self.t("debrief.scoring"), self.t(f"debrief.stage.{self.job.stage}")]
        lines = [
            f"{tr('score.total')}: {card['total']:.1f} {self.t('debrief.out_of')}",
            f"{tr('score.process')}: {card['process_score']:.1f}",
            f"{tr('score.outcome')}: {card['outcome']['score']:.1f}",
        ]
        lines += [f"{letter} {name}" for letter, name in self.ratings(card, tr)]
        lines += [f"{grade}: {item}" for _, grade, _, item in self.top_findings(card, tr)]
        return lines

    def analysis_tr(self) -> Tr | None:
        """The analysis tables' translator in the UI's language (None before scoring is done)."""
        if self.job.card is None:
            return None
        from analysis.i18n import translator

        return translator(self.t.language)

    @staticmethod
    def ratings(card: dict[str, Any], tr: Tr) -> list[tuple[str, str]]:
        """(HSEEP letter, capability name) for each capability the log could judge."""
        return [
            (d["rating"], tr(f"dim.{dim}"))
            for dim, d in card["dimensions"].items()
            if d["rating"] in RATING_COLOURS
        ]

    @staticmethod
    def top_findings(card: dict[str, Any], tr: Tr) -> list[tuple[str, str, str, str]]:
        """(grade code, grade, capability, item) of the most severe findings (listed first)."""
        return [
            (
                f["grade"],
                tr(f"grade.{f['grade']}"),
                tr(f"dim.{f['dimension']}"),
                tr(f"item.{f['item']}"),
            )
            for f in card["findings"][:TOP_FINDINGS]
        ]

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        t = self.t
        width, height = surface.get_size()
        meta = self.session.loaded.scenario.meta
        heading = t("debrief.heading", title=t.pick(meta.title.en, meta.title.zh))
        surface.blit(theme.text(30, heading, (255, 255, 255), True), (40, 30))
        status = t("debrief.aborted" if self.aborted else "debrief.ended")
        surface.blit(theme.text(17, status, (255, 200, 120)), (40, 80))
        self._draw_figures(surface, height)
        column = pygame.Rect(LEFT_W + 50, 124, width - LEFT_W - 90, height - 124 - 90)
        if self.job.error is not None:
            self._draw_failure(surface, column)
        elif self.job.card is None:
            self._draw_scoring(surface, column)
        else:
            self._draw_card(surface, column)

    def _draw_figures(self, surface: pygame.Surface, height: int) -> None:
        rows = self.figures()
        row_h = max(22, min(30, (height - 124 - 160) // len(rows)))
        y = 124
        for label, value in rows:
            surface.blit(theme.text(18, label[:1].upper() + label[1:], (190, 200, 215)), (60, y))
            image = theme.text(18, value, (255, 255, 255), True)
            surface.blit(image, image.get_rect(topright=(LEFT_W, y)))
            y += row_h
        y += 10
        log_line = self.t("debrief.log", path=str(self.session.log_path))
        for part in wrap_path(log_line, 14, LEFT_W - 60):
            surface.blit(theme.text(14, part, MUTED), (60, y))
            y += 20

    def _draw_scoring(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        x, y = column.topleft
        centre = (x + 16, y + 16)
        start = self.elapsed_s * 5.0
        pygame.draw.circle(surface, (50, 60, 75), centre, 14, 3)
        pygame.draw.arc(surface, (120, 180, 255), (x + 2, y + 2, 28, 28), start, start + 2.0, 3)
        lines = theme.wrap(self.t("debrief.scoring"), 18, column.w - 48)
        for n, line in enumerate(lines):
            surface.blit(theme.text(18, line, (232, 236, 241)), (x + 48, y + 4 + 26 * n))
        y += 4 + 26 * len(lines) + 6
        stage = self.t(f"debrief.stage.{self.job.stage}")
        surface.blit(theme.text(15, stage, MUTED), (x + 48, y))
        seconds = self.t("debrief.elapsed", seconds=f"{self.elapsed_s:.0f}")
        surface.blit(theme.text(15, seconds, MUTED), (x + 48, y + 22))

    def _draw_failure(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        x, y = column.topleft
        message, hint = self.score_lines()
        for line in theme.wrap(message, 17, column.w)[:4]:
            surface.blit(theme.text(17, line, (235, 130, 110)), (x, y))
            y += 24
        for line in theme.wrap(hint, 14, column.w):
            surface.blit(theme.text(14, line, MUTED), (x, y + 8))
            y += 20

    def _draw_card(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        card, tr = self.job.card, self.analysis_tr()
        assert card is not None and tr is not None
        report_top = self._draw_report_path(surface, column)
        y = self._draw_totals(surface, column, card, tr)
        y = self._draw_ratings(surface, column, y + 14, card, tr)
        self._draw_findings(surface, column, y + 12, report_top - 8, card, tr)

    def _draw_totals(
        self, surface: pygame.Surface, column: pygame.Rect, card: dict[str, Any], tr: Tr
    ) -> int:
        x, y = column.topleft
        surface.blit(theme.text(18, tr("score.total"), HEADING, True), (x, y - 44))
        total = float(card["total"])
        big = theme.text(64, f"{total:.1f}", score_colour(total), True)
        surface.blit(big, (x, y - 22))
        out_of = theme.text(22, self.t("debrief.out_of"), MUTED)
        surface.blit(out_of, (x + big.get_width() + 8, y + 30))
        sub_x = x + big.get_width() + out_of.get_width() + 24
        parts = (
            ("score.process", card["process_score"]),
            ("score.outcome", card["outcome"]["score"]),
        )
        for n, (key, value) in enumerate(parts):
            label = theme.text(16, tr(key), (190, 200, 215))
            surface.blit(label, (sub_x, y - 8 + 30 * n))
            number = theme.text(20, f"{float(value):.1f}", (255, 255, 255), True)
            surface.blit(number, (sub_x + label.get_width() + 12, y - 11 + 30 * n))
        return y - 22 + big.get_height()

    def _draw_ratings(
        self, surface: pygame.Surface, column: pygame.Rect, y: int, card: dict[str, Any], tr: Tr
    ) -> int:
        x = column.x
        surface.blit(theme.text(16, self.t("debrief.ratings"), HEADING, True), (x, y))
        y += 28
        rated = self.ratings(card, tr)
        if not rated:
            surface.blit(theme.text(15, self.t("debrief.ratings_none"), MUTED), (x, y))
            return y + 24
        columns = 2 if column.w >= 560 else 1
        cell_w = column.w // columns
        for n, (letter, name) in enumerate(rated):
            cx, cy = x + (n % columns) * cell_w, y + (n // columns) * 26
            box = pygame.Rect(cx, cy, 22, 22)
            pygame.draw.rect(surface, RATING_COLOURS[letter], box, border_radius=4)
            glyph = theme.text(15, letter, (255, 255, 255), True)
            surface.blit(glyph, glyph.get_rect(center=box.center))
            surface.blit(theme.text(15, name, (225, 230, 238)), (cx + 30, cy + 1))
        y += 26 * math.ceil(len(rated) / columns)
        entries = [f"{k} {tr('rating.' + k)}" for k in RATING_COLOURS]
        for line in join_fitting(entries, " · ", 13, column.w):
            surface.blit(theme.text(13, line, MUTED), (x, y + 2))
            y += 18
        return y

    def _draw_findings(
        self,
        surface: pygame.Surface,
        column: pygame.Rect,
        y: int,
        bottom: int,
        card: dict[str, Any],
        tr: Tr,
    ) -> None:
        """The most severe findings, a grade tag and the item each, as many as fit."""
        x = column.x
        top = self.top_findings(card, tr)
        tags = [
            theme.text(14, grade, GRADE_COLOURS.get(code, MUTED), True) for code, grade, *_ in top
        ]
        indent = max((tag.get_width() for tag in tags), default=0) + 10  # items in one column
        blocks = []  # (tag image, item lines) of each finding that fits
        room = bottom - (y + 28)
        for tag, (*_, item) in zip(tags, top, strict=True):
            lines = theme.wrap(item, 15, column.w - indent)
            if 22 * len(lines) + 4 > room:
                break  # a short window: the report has them all
            room -= 22 * len(lines) + 4
            blocks.append((tag, lines))
        if card["findings"] and not blocks:
            return
        heading = self.t("debrief.findings", shown=len(blocks), total=len(card["findings"]))
        surface.blit(theme.text(16, heading, HEADING, True), (x, y))
        y += 28
        if not blocks:
            surface.blit(theme.text(15, tr("findings.none"), MUTED), (x, y))
        for tag, lines in blocks:
            surface.blit(tag, (x, y + 2))
            for line in lines:
                surface.blit(theme.text(15, line, (232, 236, 241)), (x + indent, y))
                y += 22
            y += 4

    def _draw_report_path(self, surface: pygame.Surface, column: pygame.Rect) -> int:
        """The report's path (and what the browser did) at the column's foot; returns its top."""
        assert self.job.page is not None
        lines = wrap_path(self.t("debrief.report", path=str(self.job.page)), 14, column.w)
        top = column.bottom - 20 * (len(lines) + 1)
        y = top
        for line in lines:
            surface.blit(theme.text(14, line, MUTED), (column.x, y))
            y += 20
        if self.browser_note:
            colour = (235, 180, 80) if self.browser_note.endswith("failed") else (150, 200, 150)
            surface.blit(theme.text(14, self.t(self.browser_note), colour), (column.x, y + 2))
        return top
