"""Scenario text the game cannot draw: characters its font lacks.

The game draws every text with one font, a subset of Noto Sans CJK SC
(``assets/fonts``, built by ``tools/make_font.py``): ASCII and Latin-1,
punctuation, full-width forms, the 6,763 hanzi of GB2312 and every character
of the shipped text. A scenario text with another character (a rare place
name such as 𠀀, a character of GBK only such as 啰, an emoji) shows as a box
(□) in the drill picker, the briefing, on the map and in the debrief, though
the HTML report, drawn by the browser, shows it. :func:`undrawable_text`
finds such characters in both languages of every text, so ``validate`` warns
of them.

The characters the font can draw are read from ``assets/fonts/coverage.txt``,
which ``tools/make_font.py`` writes beside the fonts (the engine does not load
fonts or import fontTools); ``tests/test_font_coverage.py`` proves it matches
the fonts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from sim.scenario.messages import Message, say
from sim.scenario.text import _texts

COVERAGE = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "coverage.txt"
# Characters the game never draws as glyphs: line breaks and spacing.
NOT_DRAWN = frozenset(" \t\n\r")


@cache
def coverage(path: Path = COVERAGE) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(first, last) code points of each range the font can draw, in order; None without
    the file (an engine installed without the game's assets: it has no font to check)."""
    if not path.is_file():
        return None
    firsts: list[int] = []
    lasts: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        first, _, last = line.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
    return tuple(firsts), tuple(lasts)


def can_draw(char: str, ranges: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    """Whether the font whose ``ranges`` are given has a glyph for ``char``."""
    firsts, lasts = ranges
    at = bisect_right(firsts, ord(char)) - 1
    return at >= 0 and ord(char) <= lasts[at]


def undrawable(text: str, ranges: tuple[tuple[int, ...], tuple[int, ...]]) -> list[str]:
    """The characters of ``text`` the font cannot draw, each once, in order of appearance."""
    found: list[str] = []
    for char in text:
        if char not in NOT_DRAWN and char not in found and not can_draw(char, ranges):
            found.append(char)
    return found


def undrawable_text(scenario: BaseModel) -> Iterator[tuple[tuple[str | int, ...], Message]]:
    """(YAML path, message) of each text (``en`` or ``zh``) with characters the game's font
    cannot draw, naming them; nothing if the coverage file is not there."""
    ranges = coverage()
    if ranges is None:
        return
    for path, text in _texts(scenario, ()):
        for language in ("en", "zh"):
            chars = undrawable(getattr(text, language), ranges)
            if chars:
                named = [_char(c) for c in chars]
                yield (*path, language), say("warn.text.no_glyph", chars=named)


def _char(char: str) -> Message:
    """A character said with its code point (some look alike, or like nothing at all)."""
    return say("warn.text.no_glyph.char", char=char, code=f"{ord(char):04X}")
