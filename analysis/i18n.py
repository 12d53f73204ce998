"""Translation tables: every word the report or a plot shows comes from analysis/locales.

``translator(lang)`` returns ``tr(key, **params)``; a missing key shows as the
key itself in brackets (tests check every key exists in every language).
Missing parameters show as an em dash, never as a crash.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / "locales"
LANGS = ("en", "zh-CN")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def fmt(value: Any) -> str:
    """A plain value for people: no None, floats without float noise."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def merged_table(folder: Path, language: str) -> dict[str, str]:
    """``folder/<language>.json`` merged with ``folder/<language>/*.json``.

    Raises FileNotFoundError if the main file is absent and ValueError naming
    both files if a key is defined twice.
    """
    main = folder / f"{language}.json"
    table: dict[str, str] = json.loads(main.read_text(encoding="utf-8"))
    origin = dict.fromkeys(table, main.name)
    for part in sorted((folder / language).glob("*.json")):
        for key, value in json.loads(part.read_text(encoding="utf-8")).items():
            if key in table:
                raise ValueError(f"{part}: key {key!r} is already defined in {origin[key]}")
            table[key], origin[key] = value, f"{language}/{part.name}"
    return table


@cache
def table(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return merged_table(LOCALES_DIR, lang)


def translator(lang: str) -> Callable[..., str]:
    strings = table(lang)
    formatter = string.Formatter()

    def tr(key: str, **params: Any) -> str:
        text = strings.get(key)
        if text is None:
            return f"[{key}]"
        return formatter.vformat(text, (), _Blank({k: fmt(v) for k, v in params.items()}))

    return tr
