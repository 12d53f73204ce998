"""Every string the game can show renders in the shipped font: no missing-glyph boxes.

The font is a subset (tools/make_font.py). A string of either translation
table (merged with its feature fragments), or any text of a shipped
scenario (names, briefing, objectives, messages), with a character the
subset lacks would draw as a box; the characters the front end writes
itself (arrows, marks) are checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from sim import load_scenario
from sim.scenario.schema import Text
from tests.ui.test_debrief import is_tofu
from ui import theme
from ui.i18n import LANGUAGES, load_table

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
# Characters the front end puts on screen outside the tables (ui/*.py).
DRAWN_BY_CODE = "●▲▼→×·—…"


def missing(texts: list[str]) -> dict[str, str]:
    """Each character the shipped font lacks, with one text that uses it."""
    faces = (theme.font(15), theme.font(15, True))
    found: dict[str, str] = {}
    for text in texts:
        for char in set(text) - set(found):
            if not char.isspace() and any(is_tofu(face, char) for face in faces):
                found[char] = text
    return found


def scenario_texts(value: object) -> list[str]:
    """Every text (both languages) anywhere in a scenario's model."""
    if isinstance(value, Text):
        return [value.en, value.zh]
    if isinstance(value, list | tuple):
        return [text for item in value for text in scenario_texts(item)]
    if isinstance(value, BaseModel):
        return [
            text
            for name in type(value).model_fields
            for text in scenario_texts(getattr(value, name))
        ]
    return []


def test_the_box_detector_tells_a_box_from_a_glyph(app):
    assert missing(["\ue001"]) == {"\ue001": "\ue001"}
    assert missing(["水火 Level Ⅳ级"]) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_translation_tables_has_its_glyphs(app, language):
    table = load_table(language)
    assert missing(list(table.values())) == {}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_text_of_a_shipped_scenario_has_its_glyphs(app, path):
    texts = scenario_texts(load_scenario(path).scenario)
    assert len(texts) > 10  # names, briefing, objectives, messages: in both languages
    assert missing(texts) == {}


def test_the_marks_the_screen_draws_itself_have_their_glyphs(app):
    assert missing([DRAWN_BY_CODE]) == {}
