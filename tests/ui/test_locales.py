"""Translation tables: both languages have every key, and every code the engine can send."""

from __future__ import annotations

import string

from analysis.i18n import merged_table
from sim import Reason, UnitStatus, UnitType
from sim.population import PersonState
from ui.paths import LOCALES_DIR


def table(name: str) -> dict[str, str]:
    """A language's whole table (``en.json`` plus its ``en/*.json`` fragments)."""
    return merged_table(LOCALES_DIR, name.removesuffix(".json"))


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


def test_a_feature_file_adds_keys_and_a_key_defined_twice_is_refused(tmp_path):
    (tmp_path / "en.json").write_text('{"a": "A"}', encoding="utf-8")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "map.json").write_text('{"b": "B"}', encoding="utf-8")
    assert merged_table(tmp_path, "en") == {"a": "A", "b": "B"}
    (tmp_path / "en" / "timeline.json").write_text('{"a": "again"}', encoding="utf-8")
    try:
        merged_table(tmp_path, "en")
    except ValueError as error:
        assert "timeline.json" in str(error) and "'a'" in str(error)
    else:
        raise AssertionError("a key defined twice was accepted")
