"""The debrief's score column: the total, what it means, the ratings and findings, drawn to fit.

:class:`CardView` draws one score card (:func:`analysis.scoring.score_drill`)
into a column of the debrief, top to bottom: the total with its process and
outcome parts; pass or fail and the cap a failed critical item put on it;
"played out from minute N" for a drill stopped early; the outcome scale as a
bar (0 = doing nothing on this drill, 100 = only the harm no commander could
have prevented) with the trainee, and the expert bot as a reference, on it;
the HSEEP ratings with the items met behind each letter and, under each, what
the log shows the capability doing; the top findings.
Notes at the column's foot (where the report is) are drawn first, and what
follows the scale gives way when the window is short. Sentences come from
:mod:`ui.score_words`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from analysis.target_words import drill_targets, label
from ui import score_words, theme

Colour = tuple[int, int, int]
Tr = Callable[..., str]

MUTED = (150, 165, 185)
HEADING = (170, 190, 215)
TEXT = (232, 236, 241)
WHITE = (255, 255, 255)
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
TOP_FINDINGS = 3
BAR_MAX_W = 640
ROW_H = 24  # one rating row
FACT_H = 14  # the line under a rating saying what the capability did


def score_colour(score: float) -> Colour:
    """Green for a good score, amber for a middling one, red for a poor one."""
    if score >= 70:
        return (110, 200, 120)
    return (235, 180, 80) if score >= 40 else (235, 100, 100)


def fit(text: str, size: int, width: int, bold: bool = False) -> str:
    """``text``, cut with an ellipsis if it is wider than ``width`` px at ``size``."""
    face = theme.font(size, bold)
    if face.size(text)[0] <= width:
        return text
    while text and face.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


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


def top_findings(card: dict[str, Any], tr: Tr) -> list[tuple[str, str, str, str]]:
    """(grade code, grade, capability, item) of the most severe findings (listed first)."""
    return [
        (
            f["grade"],
            tr(f"grade.{f['grade']}"),
            tr(f"dim.{f['dimension']}"),
            label(tr, f"item.{f['item']}", drill_targets(card)),
        )
        for f in card["findings"][:TOP_FINDINGS]
    ]


@dataclass
class CardView:
    """One score card, its translators, the expert's reference and the notes for the foot."""

    card: dict[str, Any]
    t: Tr
    tr: Tr
    reference: dict[str, float] | None = None
    reference_pending: bool = False
    foot: tuple[tuple[str, Colour], ...] = ()  # already wrapped lines, drawn at the bottom
    facts: dict[str, str] | None = None  # capability -> what the log shows it doing, in words

    def draw(self, surface: pygame.Surface, column: pygame.Rect) -> None:
        bottom = self._draw_foot(surface, column) - 8
        y = self._draw_totals(surface, column)
        y = self._draw_verdict(surface, column, y + 8)
        y = self._draw_scale(surface, column, y + 6)
        y = self._draw_ratings(surface, column, y + 10, bottom)
        self._draw_findings(surface, column, y + 8, bottom)

    def _draw_foot(self, surface: pygame.Surface, column: pygame.Rect) -> int:
        top = column.bottom - 20 * len(self.foot)
        for n, (line, colour) in enumerate(self.foot):
            surface.blit(theme.text(14, line, colour), (column.x, top + 20 * n))
        return top

    def _draw_totals(self, surface: pygame.Surface, column: pygame.Rect) -> int:
        card, tr = self.card, self.tr
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
            colour = FAIL_COLOUR if value is not None and value < 0 else WHITE
            number = theme.text(20, score_words.number(value), colour, True)
            surface.blit(number, (sub_x + label.get_width() + 12, y - 11 + 30 * n))
        return y - 22 + big.get_height()

    def _draw_verdict(self, surface: pygame.Surface, column: pygame.Rect, y: int) -> int:
        """Pass or fail with the cap a failed critical item put on it; the play-out note."""
        text, passed = score_words.verdict(self.card, self.t, self.tr)
        paragraphs = [(text, PASS_COLOUR if passed else FAIL_COLOUR)]
        played = score_words.played_out_note(self.card, self.t)
        if played:
            paragraphs.append((played, NOTE_COLOUR))
        for paragraph, colour in paragraphs:
            for line in theme.wrap(paragraph, 15, column.w)[:3]:
                surface.blit(theme.text(15, line, colour), (column.x, y))
                y += 21
        return y

    def _draw_scale(self, surface: pygame.Surface, column: pygame.Rect, y: int) -> int:
        """The outcome scale as a bar with you and the expert on it, then what it means."""
        t, x = self.t, column.x
        score = self.card["outcome"]["score"]
        if score is not None:
            bar = pygame.Rect(x, y + 30, min(column.w, BAR_MAX_W), 10)
            self._draw_bar(surface, bar, float(score))
            ends = (t("debrief.scale_idle"), t("debrief.scale_best"))
            low, high = (theme.text(13, end, MUTED) for end in ends)
            surface.blit(low, (bar.x, bar.bottom + 4))
            surface.blit(high, high.get_rect(topright=(bar.right, bar.bottom + 4)))
            y = bar.bottom + 24
        # The bar's two ends say what 0 and 100 are; the table beside it gives doing nothing's
        # and the expert's figures; the scale's full sentence is in the report.
        sentences = [(score_words.outcome_sentence(self.card, t), 15, TEXT)]
        for text, size, colour in sentences:
            for line in theme.wrap(text, size, column.w)[:2]:
                surface.blit(theme.text(size, line, colour), (x, y))
                y += size + 6
        return y

    def _draw_bar(self, surface: pygame.Surface, bar: pygame.Rect, score: float) -> None:
        """The 0–100 bar filled to the score, "you" marked (at the left end when below 0)."""
        pygame.draw.rect(surface, BAR_BACK, bar, border_radius=5)
        filled = bar.copy()
        filled.w = int(bar.w * max(0.0, min(100.0, score)) / 100.0)
        if filled.w:
            pygame.draw.rect(surface, score_colour(score), filled, border_radius=5)
        tip_y = bar.y - 2
        mx = self._x_of(bar, score)
        pygame.draw.polygon(surface, WHITE, [(mx - 6, tip_y - 8), (mx + 6, tip_y - 8), (mx, tip_y)])
        marker = self.t("debrief.scale_marker", score=score_words.number(score))
        you = theme.text(14, marker, WHITE, True)
        place = you.get_rect(midbottom=(mx, tip_y - 8)).clamp(bar.inflate(0, 80))
        surface.blit(you, place)
        expert = (self.reference or {}).get("outcome")
        if expert is None:
            return
        ex = self._x_of(bar, float(expert))
        pygame.draw.line(surface, EXPERT_COLOUR, (ex, bar.y - 4), (ex, bar.bottom + 3), 2)
        label = self.t("debrief.scale_expert", score=score_words.number(expert))
        tag = theme.text(13, label, EXPERT_COLOUR)
        spot = tag.get_rect(midbottom=(ex, tip_y - 8)).clamp(bar.inflate(0, 80))
        if not spot.colliderect(place.inflate(8, 0)):
            surface.blit(tag, spot)

    @staticmethod
    def _x_of(bar: pygame.Rect, score: float) -> int:
        return bar.x + int(bar.w * max(0.0, min(100.0, score)) / 100.0)

    def _draw_ratings(
        self, surface: pygame.Surface, column: pygame.Rect, y: int, bottom: int
    ) -> int:
        """Each judged capability's letter, name, items met / judged and, under it, what the log
        shows it doing (so the letter explains itself); as many rows as fit."""
        rated = score_words.rated(self.card, self.tr, RATING_COLOURS)
        facts = score_words.rated_facts(self.card, self.facts or {})
        x = column.x
        if not rated:
            if y + 26 + ROW_H > bottom:
                return y
            surface.blit(theme.text(16, self.t("debrief.ratings_heading"), HEADING, True), (x, y))
            surface.blit(theme.text(15, self.t("debrief.ratings_none"), MUTED), (x, y + 26))
            return y + 26 + ROW_H
        columns = self._rating_columns(rated, column.w)
        cell_w = column.w // columns
        rows = 0
        for row_h in (ROW_H + (FACT_H if any(facts) else 0), ROW_H):  # without the facts if
            rows = self._rating_rows(len(rated), columns, bottom - y - 26, row_h)  # only so
            if rows:  # a row fits (a short window keeps the names, and the report the facts)
                break
            facts = [""] * len(facts)
        if not rows:
            return y  # no row fits: no heading over nothing (the report has them)
        surface.blit(theme.text(16, self.t("debrief.ratings_heading"), HEADING, True), (x, y))
        y += 26
        hidden = len(rated) - rows * columns
        if hidden > 0:  # a short window: say how many more the report rates, under them
            more = theme.text(13, self.t("debrief.ratings_more", n=hidden), MUTED)
            surface.blit(more, (x, y + rows * row_h))
        for n, (letter, name, met, judged) in enumerate(rated[: rows * columns]):
            cx, cy = x + (n % columns) * cell_w, y + (n // columns) * row_h
            box = pygame.Rect(cx, cy, 20, 20)
            pygame.draw.rect(surface, RATING_COLOURS[letter], box, border_radius=4)
            glyph = theme.text(13, self.tr(f"rating_letter.{letter}"), WHITE, True)
            surface.blit(glyph, glyph.get_rect(center=box.center))
            count = theme.text(13, self.t("debrief.items_met", met=met, judged=judged), MUTED)
            label = fit(name, 14, cell_w - 28 - count.get_width() - 18)
            surface.blit(theme.text(14, label, (225, 230, 238)), (cx + 28, cy + 1))
            surface.blit(count, (cx + 28 + theme.font(14).size(label)[0] + 6, cy + 3))
            if facts[n]:
                fact = fit(facts[n], 12, cell_w - 28 - 12)
                surface.blit(theme.text(12, fact, MUTED), (cx + 28, cy + ROW_H - 3))
        y += row_h * rows
        legend = join_fitting(
            [self.tr(f"rating_name.{k}") for k in RATING_COLOURS], " · ", 13, column.w
        )
        if y + 18 * len(legend) + 60 <= bottom:  # the legend gives way to the findings first
            for line in legend:
                surface.blit(theme.text(13, line, MUTED), (x, y + 2))
                y += 18
        return y

    @staticmethod
    def _rating_rows(count: int, columns: int, room: int, row_h: int) -> int:
        """How many rows of ratings fit in ``room`` px (with a line for "+N more" when not
        all of them do)."""
        rows = min(math.ceil(count / columns), room // row_h)
        if rows * columns < count:
            rows = max(0, min(rows, (room - 18) // row_h))
        return rows

    def _rating_columns(self, rated: list[tuple[str, str, int, int]], width: int) -> int:
        """The most columns (3, 2 or 1) in which every capability's name fits uncut."""
        face, small = theme.font(14), theme.font(13)
        need = max(
            face.size(name)[0] + small.size(self.t("debrief.items_met", met=m, judged=j))[0]
            for _, name, m, j in rated
        )
        fitting = [n for n in (3, 2) if need + 28 + 18 <= width // n]
        return fitting[0] if fitting else (2 if width >= 400 else 1)

    def _draw_findings(
        self, surface: pygame.Surface, column: pygame.Rect, y: int, bottom: int
    ) -> None:
        """The most severe findings, a grade tag and the item each, as many as fit."""
        card, x = self.card, column.x
        top = top_findings(card, self.tr)
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
        if not blocks and (card["findings"] or room < 22):
            return
        heading = self.t("debrief.findings", shown=len(blocks), total=len(card["findings"]))
        surface.blit(theme.text(16, heading, HEADING, True), (x, y))
        y += 26
        if not blocks:
            surface.blit(theme.text(15, self.tr("findings.none"), MUTED), (x, y))
        for tag, lines in blocks:
            surface.blit(tag, (x, y + 2))
            for line in lines:
                surface.blit(theme.text(15, line, TEXT), (x + indent, y))
                y += 22
            y += 4
