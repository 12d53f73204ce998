"""The debrief: the drill against its scale, the decisions that cost most, the score, and the way
to the after-action report.

On entry the drill log (already closed) is scored on a background thread
(:mod:`ui.scoring_job`), with the idle bot's figures the warm-up
(:mod:`ui.warmup`) put in the records database while the drill was played;
the screen keeps drawing and shows which stage the scoring is at (a drill
stopped early is first played out to its end with no further orders, with a
progress bar), and the left column shows the drill's own figures meanwhile.
As soon as the score is known the left column shows the scale whole: doing
nothing (the outcome scale's 0), you and the expert bot on the same drill and
seed, row by row (dead, injured, trapped, unmet need, outcome and total), and
under it the three decisions that cost most against the expert
(:mod:`analysis.costliest`: where you lost more than the expert, what you did
there and when, what the expert did, and how many were still in the hazard's
way when it arrived). The right-hand column shows the 0–100 total, the process
and outcome scores, pass or fail and the cap a failed critical item put on the
total, the outcome scale as a bar with you and the expert on it, and the HSEEP
rating of every capability the log could judge, each with what the log shows
it doing (so a letter explains itself), then the top findings when there is
room; "Open report" opens the HTML report once it is written next to the log.
Names of capabilities, items, grades and ratings come from the analysis locale
tables, so the screen and the report agree.
"""

from __future__ import annotations

import re
import time
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from ui import score_words, theme
from ui.scene import Scene
from ui.score_card import (
    BAR_BACK,
    EXPERT_COLOUR,
    FAIL_COLOUR,
    HEADING,
    MUTED,
    NOTE_COLOUR,
    RATING_COLOURS,
    TEXT,
    CardView,
    fit,
    top_findings,
)
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
LEFT_W = 520  # the figures column; the score column starts to its right
CELL_W = 92  # one column of the scale table (doing nothing, you, the expert)
CELL_W_NARROW = 80  # the same in a narrow window
LEFT_W_NARROW = 390  # under WIDE_PX, so that the ratings keep two columns
WIDE_PX = 1200
Tr = Callable[..., str]


def left_width(width: int) -> int:
    """The figures column's width in a window ``width`` px wide."""
    return LEFT_W if width >= WIDE_PX else LEFT_W_NARROW


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


class DebriefScene(Scene):
    def __init__(self, app: App, session: DrillSession) -> None:
        super().__init__(app)
        self.session = session
        self.snapshot = session.drill.snapshot()
        self.aborted = any(e.kind == "DrillAborted" for e in session.drill.events[-3:])
        self.job = ScoringJob(session.log_path, app.t.language, app.trainee, warmup=app.warmup)
        self.elapsed_s = 0.0
        self.browser_note: str | None = None  # after "Open report": opened or failed
        self._costly_words: list[dict[str, str]] | None = None
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
        if job.scored.is_set() and job.reference is None and job.drill_key is not None:
            task = self.app.warmup.for_key(*job.drill_key)  # still playing the expert?
            if task is not None and task.expert is not None:
                job.reference = task.expert

    @property
    def reference_pending(self) -> bool:
        """The warm-up is still working out the expert's score on this drill's seed."""
        job = self.job
        if job.reference is not None or job.drill_key is None:
            return False
        task = self.app.warmup.for_key(*job.drill_key)
        return task is not None and not task.over and task.failure is None

    def request_quit(self) -> bool:
        self.job.cancel()
        return True

    # --- actions --------------------------------------------------------------------------

    @property
    def report_ready(self) -> bool:
        return self.job.page is not None  # set once the report is written whole

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
        lines += [" | ".join(row) for row in self.scale_rows(card)]
        lines += [
            " ".join(v for v in (e["place"], e["decision"], e["between"], e["arrival"]) if v)
            for e in self.costly()
        ] or [self.costly_note()]
        facts = score_words.rated_facts(card, self.facts(card, tr))
        lines += [
            f"{tr(f'rating_letter.{letter}')} {name} {met}/{judged}"
            + (f" ({fact})" if fact else "")
            for (letter, name, met, judged), fact in zip(self.ratings(card, tr), facts, strict=True)
        ]
        lines += [f"{grade}: {item}" for _, grade, _, item in self.top_findings(card, tr)]
        return lines

    def explanation(self, card: dict[str, Any], tr: Tr) -> list[str]:
        """The sentences under the numbers: verdict, cap, play-out, the scale, the reference."""
        t = self.t
        lines = [score_words.verdict(card, t, tr)[0]]
        played = score_words.played_out_note(card, t)
        lines += [played] if played else []
        lines += [t("debrief.scale"), score_words.outcome_sentence(card, t)]
        reference = score_words.reference_note(self.job.reference, t)
        if reference:
            lines.append(reference)
        elif self.reference_pending:
            lines.append(t("debrief.reference_pending"))
        return lines

    def scale_rows(self, card: dict[str, Any]) -> list[tuple[str, str, str, str]]:
        """(row label, doing nothing, you, expert) of the scale table, in the UI's language."""
        rows = score_words.scale_rows(card, self.job.reference, self.idle_reference())
        return [(self.t(f"debrief.row.{row}"), *cells) for row, *cells in rows]

    def idle_reference(self) -> dict[str, float] | None:
        """Doing nothing's score on this drill: cached by an earlier warm-up, or reported by
        this one once it has judged the idle bot like a trainee."""
        job = self.job
        if job.idle_reference is None and job.drill_key is not None:
            task = self.app.warmup.for_key(*job.drill_key)
            if task is not None and task.idle_score is not None:
                job.idle_reference = task.idle_score
        return job.idle_reference

    def costly(self) -> list[dict[str, str]]:
        """The decisions that cost most, in words (empty until compared, or if none)."""
        job, tr = self.job, self.analysis_tr()
        if not job.costliest or tr is None or job.whole is None:
            return []
        if self._costly_words is None:
            from analysis.costliest import describe
            from analysis.names import Names

            names = Names(job.whole, tr)
            self._costly_words = [describe(e, job.whole, names) for e in job.costliest]
        return self._costly_words

    def costly_note(self) -> str:
        """Why no costly decision is listed: still comparing, none, or the comparison failed."""
        job = self.job
        if job.compare_error is not None:
            return self.t("debrief.costly_failed", reason=job.compare_error)
        if job.costliest is None:
            return self.t("debrief.costly_pending")
        return self.t("debrief.costly_none")

    @staticmethod
    def facts(card: dict[str, Any], tr: Tr) -> dict[str, str]:
        """What the log shows each capability doing, in words (as the report says it)."""
        from analysis.report import done_text

        return {
            dim: done_text(dim, int(d["done"]), tr)
            for dim, d in card["dimensions"].items()
            if d.get("done") is not None
        }

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
        return top_findings(card, tr)

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
        self._draw_left(surface, left, height)
        column = pygame.Rect(left + 50, 124, width - left - 90, height - 124 - 90)
        if self.job.error is not None:
            self._draw_failure(surface, column)
        elif self.job.card is None:
            self._draw_scoring(surface, column)
        else:
            self._draw_card(surface, column)

    def _draw_left(self, surface: pygame.Surface, left: int, height: int) -> None:
        """Before the score: the drill's own figures; after: the scale table and the costliest
        decisions."""
        card = self.job.card
        if card is None or self.analysis_tr() is None:
            self._draw_figures(surface, left, height)
            return
        buttons_x = self.app.size[0] - 740  # the buttons' left edge (see enter)
        bottom = height - 24 if buttons_x > left else height - 90  # clear of the buttons
        area = pygame.Rect(40, 124, left - 40, bottom - 124)
        y = self._draw_scale_table(surface, area, card)
        self._draw_costly(surface, pygame.Rect(area.x, y + 14, area.w, area.bottom - y - 14))

    def _draw_scale_table(self, surface: pygame.Surface, area: pygame.Rect, card: Any) -> int:
        """Doing nothing, you and the expert bot, row by row: where the scale's ends lie."""
        t, x, y = self.t, area.x, area.y
        for line in theme.wrap(t("debrief.scale_heading"), 15, area.w)[:2]:
            surface.blit(theme.text(15, line, HEADING, True), (x, y))
            y += 20
        cell, size = (CELL_W, 14) if area.w >= 420 else (CELL_W_NARROW, 13)
        cols = [area.right - 2 * cell, area.right - cell, area.right]  # right edges
        heads = ("debrief.col.idle", "debrief.col.you", "debrief.col.expert")
        y += 4
        for right, key in zip(cols, heads, strict=True):
            head = theme.text(13, t(key), MUTED, True)
            surface.blit(head, head.get_rect(topright=(right, y)))
        y += 20
        for label, *cells in self.scale_rows(card):
            shown = fit(label, size, cols[0] - cell + 8 - x)
            surface.blit(theme.text(size, shown, (190, 200, 215)), (x, y + 1))
            for n, (right, value) in enumerate(zip(cols, cells, strict=True)):
                colour = (255, 255, 255) if n == 1 else (EXPERT_COLOUR if n == 2 else MUTED)
                image = theme.text(15, value, colour, n == 1)
                surface.blit(image, image.get_rect(topright=(right, y)))
            y += 21
        return y

    def _draw_costly(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The three decisions that cost most, each against what the expert did then."""
        t, x, y = self.t, area.x, area.y
        if area.h < 60:
            return
        surface.blit(theme.text(16, t("debrief.costly_heading"), HEADING, True), (x, y))
        y += 24
        words = self.costly()
        if not words:
            note = self.costly_note()
            for line in theme.wrap(note, 14, area.w)[:3]:
                surface.blit(theme.text(14, line, MUTED), (x, y))
                y += 19
            return
        for n, entry in enumerate(words, start=1):
            title = t("debrief.costly_place", n=n, place=entry["place"], harm=entry["harm"])
            head = theme.wrap(title, 14, area.w)[:2]
            body = theme.wrap(entry["decision"], 13, area.w - 14)[:3]
            extra = entry["arrival"] or entry["between"]
            more = theme.wrap(extra, 13, area.w - 14)[:2] if extra else []
            need = 19 * len(head) + 17 * (len(body) + len(more)) + 6
            if y + need > area.bottom:  # a short window: the report lists them all
                if y + 18 <= area.bottom:
                    note = t("debrief.costly_more_n", n=len(words) - n + 1)
                    surface.blit(theme.text(13, note, MUTED), (x, y))
                break
            for line in head:
                surface.blit(theme.text(14, line, (255, 255, 255), True), (x, y))
                y += 19
            for line in body:
                surface.blit(theme.text(13, line, TEXT), (x + 14, y))
                y += 17
            for line in more:
                surface.blit(theme.text(13, line, MUTED), (x + 14, y))
                y += 17
            y += 6

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
        view = CardView(card, self.t, tr, self.job.reference, self.reference_pending)
        view.facts = self.facts(card, tr)
        view.foot = tuple(self.foot_lines(column.w))
        view.draw(surface, column)

    def foot_lines(self, width: int) -> list[tuple[str, tuple[int, int, int]]]:
        """The report's path (or why there is none), the record note and the browser's answer."""
        job, t = self.job, self.t
        notes: list[tuple[str, tuple[int, int, int]]] = []
        if job.page is not None:
            lines = wrap_path(t("debrief.report", path=str(job.page)), 14, width)
            if len(lines) > 2:  # a deep folder: its last two parts say enough
                short = f"…/{job.page.parent.name}/{job.page.name}"
                lines = wrap_path(t("debrief.report", path=short), 14, width)
            notes += [(line, MUTED) for line in lines]
        elif job.report_error is not None:
            text = t("debrief.no_report", reason=job.report_error[1])
            notes += [(line, FAIL_COLOUR) for line in theme.wrap(text, 14, width)[:2]]
        else:
            notes.append((t("debrief.stage.report"), MUTED))
        if job.record_error:
            text = t("debrief.not_recorded", reason=job.record_error)
            notes += [(line, NOTE_COLOUR) for line in theme.wrap(text, 14, width)[:2]]
        if self.browser_note:
            ok = not self.browser_note.endswith("failed")
            notes.append((t(self.browser_note), (150, 200, 150) if ok else NOTE_COLOUR))
        return notes
