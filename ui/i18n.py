"""Translation tables: every string a person reads comes from ui/locales/*.json.

Keys are dotted names (``reason.no_route``); values are ``str.format``
templates. A language's table is ``<lang>.json`` merged with every
``<lang>/*.json`` beside it (one file per feature, so features do not edit one
file); a key defined twice is an error. A missing key falls back to English,
then to the key itself, so a gap shows up on screen rather than crashing a
drill (a test checks both tables have every key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from analysis.i18n import merged_table
from ui.paths import LOCALES_DIR

LANGUAGES = ("en", "zh-CN")


@cache
def load_table(language: str, folder: Path = LOCALES_DIR) -> Mapping[str, str]:
    """The translation table of ``language`` (raises FileNotFoundError if absent)."""
    return merged_table(folder, language)


class Translator:
    """Looks up and formats strings in the current language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language

    @property
    def is_chinese(self) -> bool:
        return self.language.startswith("zh")

    def __call__(self, key: str, /, **params: Any) -> str:
        template = load_table(self.language).get(key) or load_table("en").get(key) or key
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template

    def has(self, key: str) -> bool:
        return key in load_table(self.language)

    def pick(self, en: str, zh: str) -> str:
        """Choose between a scenario's two texts (``Text.en`` / ``Text.zh``)."""
        return zh if self.is_chinese else en

    def listing(self, items: Iterable[str]) -> str:
        """``items`` as a list in running text: "flood, chemical leak" / "洪水、危化品泄漏"
        (Chinese lists take the enumeration comma 、, never an ASCII comma)."""
        return self("list.separator").join(items)

    def enum(self, group: str, value: str | None) -> str:
        """A translated enum value (``unit_type``, ``status``, ``reason``, ...)."""
        key = f"{group}.{value}"
        return self(key) if self.has(key) or key in load_table("en") else str(value)
