"""Chinese on screen reads as a Chinese editor would set it.

An outside Chinese-speaking instructor found, on the drill screen and in the
log: a half-width space between a verb and the name after it (「洪水已到达 龙溪
化工园区」, 「危化品处置队1 到达 危化品泄漏」), a list joined by an ASCII comma
(「灾种：洪水, 危化品泄漏」), a question's cancel button reading 「继续演练」
("go on with the drill", taken for yes), a question broken with 「路。」 alone on
its last line, and 「…等另 4 项」 in the debrief. The table scans below keep
each of these out of every Chinese table (the UI's and the analysis', their
fragments included); the screen tests check what a trainee sees.

The scans are kept precise: a space beside a number or a Latin word is
allowed in Chinese text (「死亡 {n}」, 「在 {folder} 中」: numbers, paths, file
names), so only placeholders that the code fills with a name are checked,
and only beside a Chinese character or another name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pygame
import pytest

from analysis.i18n import merged_table
from analysis.i18n import translator as analysis_translator
from sim import Event, load_scenario
from tests.ui.conftest import CASES, IDS
from ui import theme
from ui.feed import describe_event
from ui.i18n import Translator
from ui.names import Names
from ui.paths import LOCALES_DIR
from ui.question import BOX_PX
from ui.scenes.drill import DrillScene
from ui.scenes.picker import PickerScene
from ui.score_words import verdict
from ui.scripted import Person

ROOT = Path(__file__).resolve().parents[2]
ROOT_SCENARIOS = ROOT / "scenarios"
ANALYSIS_LOCALES = ROOT / "analysis" / "locales"
# Placeholders the code fills with a name (a unit, a place, a kind, an item...), per table.
# ``target`` is a place in the UI's feed and orders but a figure ("90%") in the analysis'
# reasons; ``at`` a facility in the UI but a clock time in the analysis.
UI_NAMES = frozenset(
    {"unit", "zone", "target", "hospital", "facility", "shelter", "at", "source"}
    | {"destination", "reinforcement", "milestone", "kind", "item", "road", "incident"}
    | {"levee", "hazard", "cause", "place", "channel", "advice", "units", "type"}
)
ANALYSIS_NAMES = frozenset(
    {"unit", "units", "zone", "zones", "shelter", "facility", "hospital", "incident"}
    | {"kind", "item", "hazard", "place", "trainee", "scenario", "dim", "rating"}
)
HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
CJK = "[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff60]"  # Han and full-width marks
PLACEHOLDER = r"\{(\w+)[^{}]*\}"


def tables() -> list[tuple[str, dict[str, str], frozenset[str]]]:
    return [
        ("ui", merged_table(LOCALES_DIR, "zh-CN"), UI_NAMES),
        ("analysis", merged_table(ANALYSIS_LOCALES, "zh-CN"), ANALYSIS_NAMES),
    ]


def spaced_names(value: str, names: frozenset[str]) -> list[str]:
    """Where ``value`` puts a half-width space between a name placeholder and a Chinese
    character or full-width mark, or between two name placeholders."""
    found = []
    for m in re.finditer(rf"(?=({CJK}|{PLACEHOLDER}) +({CJK}|{PLACEHOLDER}))", value):
        left, left_name, right, right_name = m.groups()
        left_is_name = left_name in names
        right_is_name = right_name in names
        left_is_cjk = left_name is None
        right_is_cjk = right_name is None
        if (left_is_name and (right_is_cjk or right_is_name)) or (left_is_cjk and right_is_name):
            found.append(f"{left} {right}")
    return found


def ascii_commas(value: str) -> list[str]:
    """ASCII commas in Chinese text: after a Chinese character, a full-width mark or a
    placeholder, before a Chinese character or a placeholder (a list or a clause)."""
    side = rf"(?:{CJK}|{PLACEHOLDER})"
    return [m.group(0) for m in re.finditer(rf"(?:{HAN}|\}}) ?, ?{side}", value)]


@pytest.mark.parametrize("table", ["ui", "analysis"])
def test_no_space_between_a_chinese_word_and_a_name(table):
    (entries, names) = next((t, n) for name, t, n in tables() if name == table)
    bad = {k: spaced_names(v, names) for k, v in entries.items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"half-width spaces beside names in the {table} zh-CN tables: {bad}"


@pytest.mark.parametrize("table", ["ui", "analysis"])
def test_no_ascii_comma_and_no_deng_ling_in_chinese(table):
    entries = next(t for name, t, _ in tables() if name == table)
    commas = {k: ascii_commas(v) for k, v in entries.items() if ascii_commas(v)}
    assert not commas, f"ASCII commas in Chinese text: {commas}"
    assert not [k for k, v in entries.items() if "等另" in v]  # 「等 N 项」 or 「及另外 N 项」


def test_the_scans_catch_what_the_instructor_saw_and_pass_what_is_right():
    """The rules themselves: each reported form is caught; numbers, paths and names written
    closed up are not."""
    assert spaced_names("灾情：{milestone} {zone}", UI_NAMES) == ["{milestone} {zone}"]
    assert spaced_names("{unit} 到达 {target}", UI_NAMES) == ["{unit} 到", "达 {target}"]
    assert spaced_names("增援 {reinforcement}", UI_NAMES) == ["援 {reinforcement}"]
    assert spaced_names("{unit}到达{target}", UI_NAMES) == []
    assert spaced_names("死亡 {n}", UI_NAMES) == []  # a number may stand apart
    assert spaced_names("{n} 条紧急待确认", UI_NAMES) == []
    assert spaced_names("在 {folder} 中未找到想定", UI_NAMES) == []  # a path
    assert spaced_names("{at} {zone}至{shelter}", ANALYSIS_NAMES) == []  # a clock time
    assert ascii_commas("灾种：洪水, 危化品泄漏") == ["水, 危"]
    assert ascii_commas("{a}, {b}") == ["}, {b}"]
    assert ascii_commas("安置 {n:,}") == [] and ascii_commas("1,500人") == []


def test_a_feed_line_names_the_place_closed_up():
    loaded = load_scenario(ROOT_SCENARIOS / "riverside_flood.yaml")
    t = Translator("zh-CN")
    zone = next(z for z in loaded.scenario.zones if z.population)
    event = Event(
        6.0,
        "HazardMilestone",
        {"hazard": "qing-river", "kind": "flood", "milestone": "zone_reached", "zone": zone.id},
    )
    text, _ = describe_event(event, t, Names(loaded, t))
    assert text == f"灾情：洪水已到达{zone.name.zh}"


def test_lists_take_the_enumeration_comma_in_chinese():
    assert Translator("zh-CN").listing(["洪水", "危化品泄漏"]) == "洪水、危化品泄漏"
    assert Translator("en").listing(["flood", "chemical leak"]) == "flood, chemical leak"


@pytest.mark.parametrize("screen", [("zh-CN", (1280, 720)), ("en", (1280, 720))], indirect=True)
def test_the_picker_lists_a_drills_hazards_as_the_language_does(screen):
    """The typhoon drill has a flood and a chemical leak: 「灾种：洪水、危化品泄漏」."""
    picker = PickerScene(screen)
    screen.switch(picker)
    title = load_scenario(ROOT_SCENARIOS / "typhoon_cascade.yaml").scenario.meta.title
    wanted = title.zh if screen.t.is_chinese else title.en
    for _ in range(12):  # down the list by keys until the typhoon drill is chosen
        screen.step(1 / 60)
        if any(line == wanted for line, _ in picker.texts):
            break
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, unicode=""))
    lines = [line for line, _ in picker.texts]
    assert wanted in lines
    hazards = next(line for line in lines if line.startswith(("灾种", "Hazard")))
    if screen.t.is_chinese:
        assert "、" in hazards and "," not in hazards, hazards
    else:
        assert ", " in hazards and "、" not in hazards, hazards


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_questions_no_button_says_cancel(screen):
    """End the drill? The buttons are 确定 / 取消 (Yes / Cancel); 取消 closes the question and
    the drill goes on."""
    loaded = load_scenario(ROOT_SCENARIOS / "riverside_flood.yaml")
    scene = DrillScene(screen, loaded, 3)
    screen.switch(scene)
    person = Person(screen, scene)
    person.frames(3)
    person.press(scene.t("panel.end_drill"))
    labels = [b.text for b in scene.modal_buttons.actions]
    assert labels == (["确定", "取消"] if scene.t.is_chinese else ["Yes", "Cancel"])
    person.press(labels[1], exact=True)
    assert scene.modal is None and not scene.session.finished


@pytest.fixture
def fonts():
    pygame.font.init()
    theme.clear_caches()
    yield
    theme.clear_caches()


def test_the_evacuation_question_does_not_leave_one_character_on_its_last_line(fonts):
    """The question box's text (18 px, the box less 40 px): the instructor's drill asked
    「…南山小学避难场所？他们将立即上」 / 「路。」; the line now breaks after the question mark."""
    t = Translator("zh-CN")
    text = t("confirm.evacuate", zone="园区生活区", n="1,500", shelter="南山小学避难场所")
    lines = theme.wrap(text, 18, BOX_PX[0] - 40)
    assert lines == ("将园区生活区的1,500人转移至南山小学避难场所？", "他们将立即上路。")


ORPHAN_TEXTS = (
    "将园区生活区的1,500人转移至南山小学避难场所？他们将立即上路。",
    "气团约一刻钟后到达。关紧门窗留在室内，吸入的毒气远少于在路上；只有提前半小时以上，才宜转移。",
    "危化品处置队1到达危化品泄漏（龙溪化工园区（夜班））",
    "现在结束演练并进入讲评吗？",
    "未达到合格线 60 分。关键项未达标（灾害获知后在时限内发布预警及另外 4 项），"
    "总分最高只能为 40.0。",
)


@pytest.mark.parametrize("text", ORPHAN_TEXTS)
def test_no_chinese_paragraph_ends_with_one_character_alone(fonts, text):
    """At every width from six glyphs up (narrower than any box the game draws text in):
    the last line holds at least two characters besides its closing marks, not a number
    alone, every line
    fits, none starts with a closing mark, and nothing is lost. (Four glyphs wide,
    「区（」 / 「夜班））」 is forbidden and 「（夜班））」 does not fit: 「班））」 stays.)"""
    face = theme.font(14)
    for width in range(6 * 14, 700, 3):
        lines = theme.wrap(text, 14, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # a break eats a space
        assert all(face.size(line)[0] <= width for line in lines), (width, lines)
        assert not [ln for ln in lines if ln[0] in theme.NO_LINE_START], (width, lines)
        if len(lines) > 1:
            core = lines[-1].rstrip(theme.NO_LINE_START)
            lone_number = re.fullmatch(r"[\x21-\x7e]+", core)  # 「40.0。」 alone
            assert len(core) >= 2 and not lone_number, f"{width} px: {lines}"


def failed_card(n: int) -> dict:
    items = [
        "warning_in_time",
        "ambulance_in_time",
        "first_unit_in_time",
        "evacuated_before_arrival",
    ]
    items += ["incidents_resolved", "injured_hospitalised"]
    judgements = [{"item": i, "severity": "critical", "result": "no"} for i in items[:n]]
    return {"total": 38.1, "pass_mark": 60, "critical_cap": 40.0, "uncapped_total": 38.1,
            "judgements": judgements}  # fmt: skip


def test_the_debrief_counts_the_other_failed_critical_items_as_chinese_does():
    """Five critical items failed: one is named and the four others are counted,
    「…及另外 4 项」 (not 「等另 4 项」), where English says "(+4 more)"."""
    zh, _ = verdict(failed_card(5), Translator("zh-CN"), analysis_translator("zh-CN"))
    assert "灾害获知后在时限内发布预警及另外 4 项" in zh and "等另" not in zh, zh
    en, _ = verdict(failed_card(5), Translator("en"), analysis_translator("en"))
    assert "(+4 more)" in en, en
    one, _ = verdict(failed_card(1), Translator("zh-CN"), analysis_translator("zh-CN"))
    assert "另外" not in one, one
