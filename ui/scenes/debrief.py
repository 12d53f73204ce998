"""The debrief: the drill's outcome in figures, its score, and the way to the after-action report.

On entry the drill log (already closed) is scored on a background thread
(:mod:`ui.scoring_job`), with the idle bot's figures the warm-up
(:mod:`ui.warmup`) put in the records database while the drill was played;
the screen keeps drawing and shows which stage the scoring is at (a drill
stopped early is first played out to its end with no further orders, with a
progress bar). As soon as the score is known the right-hand column shows the
0–100 total, the process and outcome scores, pass or fail and the cap a failed
critical item put on the total, the outcome scale in words (0 = doing
nothing on this drill, 100 = only the harm no commander could have
prevented) with the trainee's place on it and the expert bot's as a
reference, the HSEEP rating of every capability the log could judge with the
items behind it, and the top findings; "Open report" opens the HTML report
once it is written next to the log. Names of capabilities, items, grades and
ratings come from the analysis locale tables, so the screen and the report
agree.
"""

from __future__ import annotations

import math
import re
import time
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from ui import score_words, theme
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
LEFT_W_NARROW = 390  # under WIDE_PX, so that the ratings keep two columns
WIDE_PX = 1200
MUTED = (150, 165, 185)
HEADING = (170, 190, 215)
PASS_COLOUR = (110, 200, 120)
FAIL_COLOUR = (235, 130, 110)
NOTE_COLOUR = (255, 200, 120)
BAR_BACK = (50, 60, 75)
EXPERT_COLOUR = (120, 180, 255)
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


def left_width(width: int) -> int:
    """The figures column's width in a window ``width`` px wide."""
    return LEFT_W if width >= WIDE_PX else LEFT_W_NARROW


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
        self.job = ScoringJob(session.log_path, app.t.language, app.trainee, warmup=app.warmup)
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
        job = self.job
        if job.scored.is_set() and job.reference is None and job.key is not None:
            task = self.app.warmup.for_key(job.key[0], job.key[1])  # still playing the expert?
            if task is not None and task.expert is not None:
                job.reference = task.expert

    @property
    def reference_pending(self) -> bool:
        """The warm-up is still working out the expert's score on this drill's seed."""
        job = self.job
        if job.reference is not None or job.key is None:
            return False
        task = self.app.warmup.for_key(job.key[0], job.key[1])
        return task is not None and not task.over and task.failure is None

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

    def figures_heading(self) -> str:
        """What the figures column shows: the drill as it ended, or as it was when stopped."""
        if self.aborted:
            return self.t("debrief.when_stopped", minute=f"{self.snapshot.t_min:.0f}")
        return self.t("debrief.when_ended")

    def score_lines(self) -> list[str]:
        """The score column as plain text lines (what a test or a screen reader checks)."""
        card, tr = self.job.card, self.analysis_tr()
        if self.job.error is not None:
            key, reason = self.job.error
            return [self.t(key, reason=reason), self.t("debrief.score_pending")]
        if card is None or tr is None:
            return [self.t("debrief.scoring"), self.stage_text()]
        outcome = card["outcome"]["score"]
        lines = [
            f"{tr('score.total')}: {card['total']:.1f} {self.t('debrief.out_of')}",
            f"{tr('score.process')}: {card['process_score']:.1f}",
            f"{tr('score.outcome')}: {score_words.number(outcome)}",
        ]
        lines += self.explanation(card, tr)
        lines += [
            f"{letter} {name} {met}/{judged}"
            for letter, name, met, judged in self.ratings(card, tr)
        ]
        lines += [f"{grade}: {item}" for _, grade, _, item in self.top_findings(card, tr)]
        return lines

    def explanation(self, card: dict[str, Any], tr: Tr) -> list[str]:
        """The sentences under the numbers: verdict, cap, play-out, the scale, the reference."""
        t = self.t
        lines, _ = score_words.verdict(card, t, tr)
        played = score_words.played_out_note(card, t)
        lines += [played] if played else []
        lines += [t("debrief.scale"), score_words.outcome_sentence(card, t)]
        reference = score_words.reference_note(self.job.reference, t)
        if reference:
            lines.append(reference)
        elif self.reference_pending:
            lines.append(t("debrief.reference_pending"))
        return lines

    def stage_text(self) -> str:
        """The stage the scoring is at, in words (the play-out says from which minute)."""
        job = self.job
        if job.stage == "play_out" and job.stopped_min is not None:
            end = job.duration_min or 0.0
            return self.t(
                "debrief.stage.play_out", minute=f"{job.stopped_min:.0f}", end=f"{end:.0f}"
            )
        return self.t(f"debrief.stage.{job.stage}")

    def play_out_progress(self) -> tuple[float, float] | None:
        """(share done, seconds left) of the play-out, estimated from the idle drill's time."""
        job = self.job
        if job.stage != "play_out" or not job.play_out_estimate_s:
            return None
        spent = time.monotonic() - job.stage_since_s
        estimate = max(job.play_out_estimate_s, 0.1)
        return min(0.97, spent / estimate), max(0.0, estimate - spent)

    def analysis_tr(self) -> Tr | None:
        """The analysis tables' translator in the UI's language (None before scoring is done)."""
        if self.job.card is None:
            return None
        from analysis.i18n import translator

        return translator(self.t.language)

    @staticmethod
    def ratings(card: dict[str, Any], tr: Tr) -> list[tuple[str, str, int, int]]:
        """(HSEEP letter, capability name, items met, items judged) per capability judged."""
        return score_words.rated(card, tr, RATING_COLOURS)

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
        left = left_width(width)
        meta = self.session.loaded.scenario.meta
        heading = t("debrief.heading", title=t.pick(meta.title.en, meta.title.zh))
        surface.blit(theme.text(30, heading, (255, 255, 255), True), (40, 30))
        status = t("debrief.aborted" if self.aborted else "debrief.ended")
        surface.blit(theme.text(17, status, NOTE_COLOUR), (40, 80))
        self._draw_figures(surface, left, height)
        column = pygame.Rect(left + 50, 124, width - left - 90, height - 124 - 90)
        if self.job.error is not None:
            self._draw_failure(surface, column)
        elif self.job.card is None:
            self._draw_scoring(surface, column)
        else:
            self._draw_card(surface, column)

    def _draw_figures(self, surface: pygame.Surface, left: int, height: int) -> None:
        rows = self.figures()
        surface.blit(theme.text(16, self.figures_heading(), HEADING, True), (60, 124))
        row_h = max(22, min(30, (height - 124 - 28 - 160) // len(rows)))
        y = 124 + 28
        for label, value in rows:
            surface.blit(theme.text(18, label[:1].upper() + label[1:], (190, 200, 215)), (60, y))
            image = theme.text(18, value, (255, 255, 255), True)
            surface.blit(image, image.get_rect(topright=(left, y)))
            y += row_h
        y += 10
        log_line = self.t("debrief.log", path=str(self.session.log_path))
        for part in wrap_path(log_line, 14, left - 60):
            surface.blit(theme.text(14, part, MUTED), (60, y))
            y += 20

    def _draw_scoring(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        x, y = column.topleft
        centre = (x + 16, y + 16)
        start = self.elapsed_s * 5.0
        pygame.draw.circle(surface, BAR_BACK, centre, 14, 3)
        pygame.draw.arc(surface, EXPERT_COLOUR, (x + 2, y + 2, 28, 28), start, start + 2.0, 3)
        lines = theme.wrap(self.t("debrief.scoring"), 18, column.w - 48)
        for n, line in enumerate(lines):
            surface.blit(theme.text(18, line, (232, 236, 241)), (x + 48, y + 4 + 26 * n))
        y += 4 + 26 * len(lines) + 6
        for line in theme.wrap(self.stage_text(), 15, column.w - 48):
            surface.blit(theme.text(15, line, MUTED), (x + 48, y))
            y += 22
        progress = self.play_out_progress()
        if progress is not None:
            share, left_s = progress
            bar = pygame.Rect(x + 48, y + 6, min(360, column.w - 48), 10)
            pygame.draw.rect(surface, BAR_BACK, bar, border_radius=5)
            done = bar.copy()
            done.w = max(10, int(bar.w * share))
            pygame.draw.rect(surface, EXPERT_COLOUR, done, border_radius=5)
            note = self.t("debrief.play_out_left", seconds=f"{left_s:.0f}")
            surface.blit(theme.text(15, note, MUTED), (bar.right + 12, y))
            y += 26
        seconds = self.t("debrief.elapsed", seconds=f"{self.elapsed_s:.0f}")
        surface.blit(theme.text(15, seconds, MUTED), (x + 48, y))

    def _draw_failure(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        x, y = column.topleft
        message, hint = self.score_lines()
        for line in theme.wrap(message, 17, column.w)[:4]:
            surface.blit(theme.text(17, line, FAIL_COLOUR), (x, y))
            y += 24
        for line in theme.wrap(hint, 14, column.w):
            surface.blit(theme.text(14, line, MUTED), (x, y + 8))
            y += 20

    def _draw_card(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        card, tr = self.job.card, self.analysis_tr()
        assert card is not None and tr is not None
        report_top = self._draw_report_path(surface, column)
        y = self._draw_totals(surface, column, card, tr)
        y = self._draw_verdict(surface, column, y + 8, card, tr)
        y = self._draw_scale(surface, column, y + 8, card)
        y = self._draw_ratings(surface, column, y + 10, report_top - 8, card, tr)
        self._draw_findings(surface, column, y + 10, report_top - 8, card, tr)

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
        outcome = card["outcome"]["score"]
        parts = (("score.process", card["process_score"]), ("score.outcome", outcome))
        for n, (key, value) in enumerate(parts):
            label = theme.text(16, tr(key), (190, 200, 215))
            surface.blit(label, (sub_x, y - 8 + 30 * n))
            colour = FAIL_COLOUR if value is not None and value < 0 else (255, 255, 255)
            number = theme.text(20, score_words.number(value), colour, True)
            surface.blit(number, (sub_x + label.get_width() + 12, y - 11 + 30 * n))
        return y - 22 + big.get_height()

    def _draw_verdict(
        self, surface: pygame.Surface, column: pygame.Rect, y: int, card: dict[str, Any], tr: Tr
    ) -> int:
        """Pass or fail, the cap a failed critical item put on the total, the play-out note."""
        lines, passed = score_words.verdict(card, self.t, tr)
        colours = [PASS_COLOUR if passed else FAIL_COLOUR] + [FAIL_COLOUR] * (len(lines) - 1)
        played = score_words.played_out_note(card, self.t)
        if played:
            lines.append(played)
            colours.append(NOTE_COLOUR)
        for text, colour in zip(lines, colours, strict=True):
            for line in theme.wrap(text, 15, column.w)[:3]:
                surface.blit(theme.text(15, line, colour), (column.x, y))
                y += 21
        return y

    def _draw_scale(
        self, surface: pygame.Surface, column: pygame.Rect, y: int, card: dict[str, Any]
    ) -> int:
        """The outcome scale (0 doing nothing, 100 only unavoidable harm), you and the expert."""
        t, x = self.t, column.x
        score = card["outcome"]["score"]
        bar = pygame.Rect(x, y + 22, min(column.w, 640), 10)
        if score is not None:
            self._draw_bar(surface, bar, float(score))
            y = bar.bottom + 4
            ends = (t("debrief.scale_idle"), t("debrief.scale_best"))
            low, high = (theme.text(13, end, MUTED) for end in ends)
            surface.blit(low, (bar.x, y))
            surface.blit(high, high.get_rect(topright=(bar.right, y)))
            y += 20
        sentences = [score_words.outcome_sentence(card, t)]
        sentences += [t("debrief.scale")] if score is not None else []
        note = score_words.reference_note(self.job.reference, t)
        if note is None and self.reference_pending:
            note = t("debrief.reference_pending")
        for n, text in enumerate([*sentences, *([note] if note else [])]):
            size, colour = (15, (232, 236, 241)) if n == 0 else (13, MUTED)
            for line in theme.wrap(text, size, column.w)[:2]:
                surface.blit(theme.text(size, line, colour), (x, y))
                y += size + 6
        return y

    def _draw_bar(self, surface: pygame.Surface, bar: pygame.Rect, score: float) -> None:
        """The 0–100 bar, filled to the score, with "you" marked (at the left edge if below 0)."""
        pygame.draw.rect(surface, BAR_BACK, bar, border_radius=5)
        filled = bar.copy()
        filled.w = int(bar.w * max(0.0, min(100.0, score)) / 100.0)
        if filled.w:
            pygame.draw.rect(surface, score_colour(score), filled, border_radius=5)
        reference = (self.job.reference or {}).get("outcome")
        if reference is not None:
            rx = bar.x + int(bar.w * max(0.0, min(100.0, reference)) / 100.0)
            pygame.draw.line(surface, EXPERT_COLOUR, (rx, bar.y - 4), (rx, bar.bottom + 3), 2)
        mx = bar.x + int(bar.w * max(0.0, min(100.0, score)) / 100.0)
        tip_y = bar.y - 2
        pygame.draw.polygon(
            surface, (255, 255, 255), [(mx - 6, tip_y - 8), (mx + 6, tip_y - 8), (mx, tip_y)]
        )
        you = self.t("debrief.scale_marker", score=score_words.number(score))
        label = theme.text(14, you, (255, 255, 255), True)
        place = label.get_rect(midbottom=(mx, tip_y - 8))
        place.clamp_ip(pygame.Rect(bar.x, place.y, bar.w, place.h))
        surface.blit(label, place)
        if reference is not None:
            text = self.t("debrief.scale_expert", score=score_words.number(reference))
            tag = theme.text(13, text, EXPERT_COLOUR)
            spot = tag.get_rect(midbottom=(rx, tip_y - 8))
            spot.clamp_ip(pygame.Rect(bar.x, spot.y, bar.w, spot.h))
            if not spot.colliderect(place.inflate(8, 0)):
                surface.blit(tag, spot)

    def _draw_ratings(
        self,
        surface: pygame.Surface,
        column: pygame.Rect,
        y: int,
        bottom: int,
        card: dict[str, Any],
        tr: Tr,
    ) -> int:
        """Each judged capability's HSEEP letter, name and items met / judged, as rows fit."""
        x = column.x
        surface.blit(theme.text(16, self.t("debrief.ratings"), HEADING, True), (x, y))
        y += 26
        rated = self.ratings(card, tr)
        if not rated:
            surface.blit(theme.text(15, self.t("debrief.ratings_none"), MUTED), (x, y))
            return y + 24
        columns = 2 if column.w >= 460 else 1
        cell_w = column.w // columns
        rows = min(math.ceil(len(rated) / columns), max(1, (bottom - y) // 24))
        for n, (letter, name, met, judged) in enumerate(rated[: rows * columns]):
            cx, cy = x + (n % columns) * cell_w, y + (n // columns) * 24
            box = pygame.Rect(cx, cy, 20, 20)
            pygame.draw.rect(surface, RATING_COLOURS[letter], box, border_radius=4)
            glyph = theme.text(14, letter, (255, 255, 255), True)
            surface.blit(glyph, glyph.get_rect(center=box.center))
            count = theme.text(13, self.t("debrief.items_met", met=met, judged=judged), MUTED)
            room = cell_w - 28 - count.get_width() - 16
            label = fit(name, 14, room)
            surface.blit(theme.text(14, label, (225, 230, 238)), (cx + 28, cy + 1))
            surface.blit(count, (cx + 28 + theme.font(14).size(label)[0] + 8, cy + 3))
        y += 24 * rows
        entries = [f"{k} {tr('rating.' + k)}" for k in RATING_COLOURS]
        legend = join_fitting(entries, " · ", 13, column.w)
        if y + 18 * len(legend) <= bottom - 40:  # the legend gives way to the findings first
            for line in legend:
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
        room = bottom - (y + 26)
        for tag, (*_, item) in zip(tags, top, strict=True):
            lines = theme.wrap(item, 15, column.w - indent)
            if 22 * len(lines) + 4 > room:
                break  # a short window: the report has them all
            room -= 22 * len(lines) + 4
            blocks.append((tag, lines))
        if not blocks and (card["findings"] or room < 0):
            return
        heading = self.t("debrief.findings", shown=len(blocks), total=len(card["findings"]))
        surface.blit(theme.text(16, heading, HEADING, True), (x, y))
        y += 26
        if not blocks:
            surface.blit(theme.text(15, tr("findings.none"), MUTED), (x, y))
        for tag, lines in blocks:
            surface.blit(tag, (x, y + 2))
            for line in lines:
                surface.blit(theme.text(15, line, (232, 236, 241)), (x + indent, y))
                y += 22
            y += 4

    def _draw_report_path(self, surface: pygame.Surface, column: pygame.Rect) -> int:
        """The report's path (or why there is none) and the record note at the column's foot.

        Returns the top of what it drew.
        """
        job = self.job
        notes: list[tuple[str, tuple[int, int, int]]] = []
        if job.page is not None:
            notes.append((self.t("debrief.report", path=str(job.page)), MUTED))
        elif job.report_error is not None:
            notes.append((self.t("debrief.no_report", reason=job.report_error[1]), FAIL_COLOUR))
        else:
            notes.append((self.t("debrief.stage.report"), MUTED))
        if job.record_error:
            notes.append((self.t("debrief.not_recorded", reason=job.record_error), NOTE_COLOUR))
        if self.browser_note:
            ok = not self.browser_note.endswith("failed")
            notes.append((self.t(self.browser_note), (150, 200, 150) if ok else NOTE_COLOUR))
        lines = [(line, colour) for text, colour in notes for line in wrap_path(text, 14, column.w)]
        top = column.bottom - 20 * len(lines)
        for n, (line, colour) in enumerate(lines):
            surface.blit(theme.text(14, line, colour), (column.x, top + 20 * n))
        return top


def fit(text: str, size: int, width: int) -> str:
    """``text``, cut with an ellipsis if it is wider than ``width`` px at ``size``."""
    face = theme.font(size)
    if face.size(text)[0] <= width:
        return text
    while text and face.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"
