"""Translation tables: both languages have every key, and every code the engine can send."""

from __future__ import annotations

import json
import string

from sim import Reason, UnitStatus, UnitType
from sim.population import PersonState
from ui.paths import LOCALES_DIR


def table(name: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / name).read_text(encoding="utf-8"))


def test_english_and_chinese_tables_have_the_same_keys():
    english, chinese = table("en.json"), table("zh-CN.json")
    assert set(english) - set(chinese) == set(), "keys missing in zh-CN.json"
    assert set(chinese) - set(english) == set(), "keys missing in en.json"


def test_every_translation_is_filled_in():
    for name in ("en.json", "zh-CN.json"):
        assert all(value.strip() for value in table(name).values()), name


def test_placeholders_agree_between_languages():
    english, chinese = table("en.json"), table("zh-CN.json")
    fields = string.Formatter()
    for key, text in english.items():
        en_fields = {f for _, f, _, _ in fields.parse(text) if f}
        zh_fields = {f for _, f, _, _ in fields.parse(chinese[key]) if f}
        assert en_fields == zh_fields, key


def test_every_engine_code_has_a_translation():
    english = table("en.json")
    codes = [f"reason.{r.value}" for r in Reason]
    codes += [f"status.{s.value}" for s in UnitStatus]
    codes += [f"unit_type.{u.value}" for u in UnitType] + [f"unit_icon.{u.value}" for u in UnitType]
    codes += [f"person.{p.name.lower()}" for p in PersonState]
    assert [code for code in codes if code not in english] == []
