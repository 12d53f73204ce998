"""Fonts and the pygame_gui theme, all loaded from the shipped assets.

The game never relies on system fonts: both our own text and pygame_gui's
widgets use the subset Noto Sans CJK SC in assets/fonts, whose absolute paths
are written into the theme at load time (the theme JSON holds no paths).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
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


@lru_cache(maxsize=2048)
def wrap(message: str, size: int, width: int, bold: bool = False) -> tuple[str, ...]:
    """Break ``message`` into lines that fit ``width`` px (by words, or by characters for CJK)."""
    face = font(size, bold)
    lines: list[str] = []
    for paragraph in message.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if face.size(candidate)[0] <= width or not line:
                line = candidate
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
        lines.append(line.rstrip())
    return tuple(lines)


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
