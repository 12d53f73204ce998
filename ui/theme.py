"""Fonts and the pygame_gui theme, all loaded from the shipped assets.

The game never relies on system fonts: both our own text and pygame_gui's
widgets use the subset Noto Sans CJK SC in assets/fonts, whose absolute paths
are written into the theme at load time (the theme JSON holds no paths).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

import pygame

from ui.paths import FONT_BOLD, FONT_REGULAR, THEME_FILE

FONT_NAME = "drillcommand"
# pygame_gui takes an element's font from its own block and otherwise from a
# built-in default (not from "defaults"), so every element type we use gets one.
ELEMENT_TYPES = (
    "button",
    "label",
    "text_box",
    "text_entry_line",
    "selection_list",
    "drop_down_menu",
    "window",
    "tool_tip",
    "panel",
)


def theme_data() -> dict[str, Any]:
    """assets/theme.json with the shipped font on every element, its paths filled in."""
    data = json.loads(THEME_FILE.read_text(encoding="utf-8"))
    default_font = data["defaults"]["font"]
    for element in ELEMENT_TYPES:
        data.setdefault(element, {}).setdefault("font", dict(default_font))
    for block in data.values():
        font = block.get("font")
        if font and font.get("name") == FONT_NAME:
            font["regular_path"] = str(FONT_REGULAR)
            font["bold_path"] = str(FONT_BOLD)
            font["italic_path"] = str(FONT_REGULAR)
            font["bold_italic_path"] = str(FONT_BOLD)
    return data


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The shipped CJK font at ``size`` pixels (cached; pygame.font must be initialised)."""
    return pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), size)


@lru_cache(maxsize=4096)
def text(
    size: int, message: str, colour: tuple[int, int, int] = (232, 236, 241), bold: bool = False
) -> pygame.Surface:
    """``message`` rendered antialiased in the shipped font (cached: do not draw on it)."""
    return font(size, bold).render(message, True, colour)


def clear_caches() -> None:
    """Forget fonts and rendered text (their surfaces die with pygame.quit)."""
    font.cache_clear()
    text.cache_clear()
    wrap.cache_clear()


# Line-breaking rules for Chinese (禁则, GB/T 15834 and W3C's clreq): a closing mark never
# begins a line and an opening mark never ends one. ASCII marks are listed for mixed text
# ("新华小学(Xinhua)。"); English words carry their punctuation in one token, so the rule
# never moves an English break.
NO_LINE_START = "，。、；：？！）》」』】〕〉”’…,.;:?!)]}"
NO_LINE_END = "（《「『【〔〈“‘([{"
# Where a Chinese sentence or clause ends: a good place for a line to end (see _no_orphan).
CLAUSE_END = "。？！；，：、"


@lru_cache(maxsize=2048)
def wrap(message: str, size: int, width: int, bold: bool = False) -> tuple[str, ...]:
    """Break ``message`` into lines that fit ``width`` px: by words, or by characters for CJK,
    never starting a line with a closing mark nor ending one with an opening mark.

    A break that would do either moves back a glyph (推出, as Chinese typesetting does
    for ragged-right text): the glyph before a closing mark, or the opening mark itself,
    goes down to the next line, so every line keeps within ``width``. Only a line that
    would be left empty by that (a width of one or two glyphs) keeps its marks and may
    overhang; so may a single word wider than ``width``."""
    face = font(size, bold)
    lines: list[str] = []
    for paragraph in message.split("\n"):
        tokens = _tokens(paragraph) or [""]
        breaks = [0]
        while breaks[-1] < len(tokens):
            breaks.append(_fill(face, tokens, breaks[-1], width))
        if len(breaks) > 2:
            breaks[-2] = _no_orphan(face, tokens, breaks[-3], breaks[-2], width)
        lines += [_line(tokens, a, b).rstrip() for a, b in pairwise(breaks)]
    return tuple(lines)


def _no_orphan(face: pygame.font.Font, tokens: list[str], start: int, end: int, width: int) -> int:
    """Where the paragraph's next-to-last line (``tokens[start:end]``) should end so that the
    last line of Chinese text is not one character, or one number, alone (with its closing
    marks: 「路。」 or 「40.0。」 under a full line). The break moves back to just after a
    sentence or clause mark in that line if the rest then fits one line and the line keeps
    half the width (「…避难场所？」 / 「他们将立即上路。」); else back one more character
    or number (「立即」 / 「上路。」, 「只能」 / 「为 40.0。」). A break the
    line-breaking rules forbid is never chosen, and the break stays where it was when no
    allowed one is left (a line one or two glyphs wide) or the last line is not Chinese."""
    core = "".join(tokens[end:]).strip().rstrip(NO_LINE_START)
    lone = (len(core) == 1 and ord(core) >= 0x2E80) or (
        bool(core) and " " not in core and all(ord(c) < 0x2E80 for c in core)
    )  # one character, or one number or Latin word ("…只能为" / "40.0。")
    before = "".join(tokens[start:end]).rstrip()
    if not lone or not before or ord(before[-1]) < 0x2E80:  # English, or not after Chinese
        return end

    def allowed(b: int) -> bool:
        fits = face.size(_line(tokens, b, len(tokens)))[0] <= width
        return b > start and fits and not _forbidden(tokens, start, b)

    half = width / 2
    for b in range(end - 1, start, -1):
        if tokens[b - 1] in CLAUSE_END and allowed(b):
            if face.size(_line(tokens, start, b))[0] >= half:
                return b
            break
    for b in range(end - 1, start, -1):
        if tokens[b].strip() and allowed(b):
            return b
    return end


def _line(tokens: list[str], start: int, end: int) -> str:
    """The text of ``tokens[start:end]``; a line after a break starts without spaces."""
    text = "".join(tokens[start:end])
    return text if start == 0 else text.lstrip()


def _fill(face: pygame.font.Font, tokens: list[str], start: int, width: int) -> int:
    """One past the last token of the line that begins at ``tokens[start]``: as many as fit
    (at least one), then moved back while the break falls before a closing mark or after
    an opening one; forward instead if moving back would leave the line empty."""
    end = start + 1
    while end < len(tokens) and face.size(_line(tokens, start, end + 1))[0] <= width:
        end += 1
    fitted = end
    while end > start and end < len(tokens) and _forbidden(tokens, start, end):
        end -= 1
    if end > start:
        return end
    end = fitted  # no glyph to move down: the marks stay on this line and overhang
    while end < len(tokens) and _forbidden(tokens, start, end):
        end += 1
    return end


def _forbidden(tokens: list[str], start: int, end: int) -> bool:
    """Whether a break before ``tokens[end]`` puts a closing mark at the next line's start or
    leaves an opening mark at this line's end."""
    after = "".join(tokens[end:]).lstrip()
    before = "".join(tokens[start:end]).rstrip()
    return bool(after) and (after[0] in NO_LINE_START or before[-1:] in tuple(NO_LINE_END))


def _tokens(paragraph: str) -> list[str]:
    """Words with their trailing space, and single CJK characters."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if ord(char) >= 0x2E80:  # CJK: a line may break between any two characters
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
            if char == " ":
                tokens.append(word)
                word = ""
    if word:
        tokens.append(word)
    return tokens
