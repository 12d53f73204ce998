"""What `python -m sim validate` says about an author's mistakes: where, in plain words.

Each test writes a small bad drill (the mini drill with one mistake, the kind
the instructor trial made from the README alone) and checks the line a person
reads: file:line:col, the field, and the fix in words, never a traceback.
"""

from __future__ import annotations

import json
import re

import pytest

from sim import ScenarioError, parse_scenario
from sim.cli import main
from sim.scenario.messages import LOCALES_DIR, table
from sim.scenario.warnings import scenario_warnings
from tests.conftest import MINI

GOOD = MINI.read_text(encoding="utf-8")

FIRE = """hazards:
  - kind: fire
    id: forest-fire
    start_min: 0
    ignitions:
      - {at: [1700, 200], at_min: 0}
"""
PAVED = "    - {type: paved, polygon: [[100, 100], [400, 100], [400, 400], [100, 400]]}\n"


def fire_drill(ignition: str = "{at: [1700, 200], at_min: 0}", paved: str = PAVED) -> str:
    text = GOOD.replace("injects:\n", FIRE + "injects:\n", 1)
    text = text.replace("{at: [1700, 200], at_min: 0}", ignition)
    return text.replace("  land_use:\n", "  land_use:\n" + paved, 1)


def issues_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "drill.yaml")
    return [str(issue) for issue in caught.value.issues]


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in scenario_warnings(parse_scenario(text, "drill.yaml"))]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def validate(tmp_path, text: str, capsys, *flags: str) -> tuple[int, str]:
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    status = main(["validate", *flags, str(path)])
    out = capsys.readouterr()
    return status, out.out + out.err


# -- 1. an ignition on ground that cannot burn ----------------------------------------------


def test_the_fire_drill_used_below_is_clean():
    assert warnings_of(fire_drill()) == []


def test_an_ignition_on_paved_ground_names_it_its_land_use_and_the_nearest_ground_that_burns():
    text = fire_drill("{at: [250, 250], at_min: 0}")
    (warning,) = warnings_of(text)
    assert warning.startswith(
        f"drill.yaml:{line_of(text, '[250, 250]')}:10: warning: hazards[0].ignitions[0].at: "
    )
    assert "fire hazard 'forest-fire' at [250, 250] is on land use paved" in warning
    assert "the drill logs an ignition and nothing burns" in warning
    # The paved square's cells end at 400 m; the nearest farmland cell centre is [225, 75].
    assert "the nearest is farmland, about 177 m away, at [225, 75]" in warning


def test_strict_makes_the_non_burnable_ignition_an_error_without_a_traceback(tmp_path, capsys):
    status, said = validate(tmp_path, fire_drill("{at: [250, 250], at_min: 0}"), capsys, "--strict")
    assert status == 1
    assert ": error: hazards[0].ignitions[0].at: the ignition of fire hazard 'forest-fire'" in said
    assert "Traceback" not in said


def test_an_ignition_with_nothing_burnable_near_says_so():
    everything_paved = (
        "    - {type: paved, polygon: [[0, 0], [2000, 0], [2000, 1500], [0, 1500]]}\n"
    )
    text = fire_drill("{at: [250, 250], at_min: 0}", paved=everything_paved)
    text = text.replace("    - {type: forest,", "    - {type: paved,")
    text = text.replace("    population: 600\n", "    population: 600\n    built: none\n")
    text = text.replace(
        "    vulnerable_share: 0.25\n", "    vulnerable_share: 0.25\n    built: none\n"
    )
    found = [w for w in warnings_of(text) if "ignitions[0]" in w]
    assert len(found) == 1
    assert "no ground that burns lies within 1000 m" in found[0]


def test_a_fuel_model_that_makes_grass_burn_is_taken_as_the_engine_takes_it():
    text = fire_drill("{at: [250, 250], at_min: 0}")
    text = text.replace(
        "    start_min: 0\n    ignitions:",
        "    start_min: 0\n    fuel_models: {paved: GR2}\n    ignitions:",
    )
    assert warnings_of(text) == []


# -- 2. an ignition after the drill's end --------------------------------------------------


def test_an_ignition_after_the_end_is_an_error_like_an_inject_after_the_end():
    text = fire_drill("{at: [1700, 200], at_min: 300}")
    (issue,) = issues_of(text)
    assert issue.startswith(f"drill.yaml:{line_of(text, 'at_min: 300')}:")
    assert "hazards[0].ignitions[0].at_min: 300 min is after the drill ends (240 min)" in issue


def test_an_ignition_counts_from_its_hazards_start():
    text = fire_drill("{at: [1700, 200], at_min: 200}").replace(
        "    start_min: 0\n    ignitions:", "    start_min: 60\n    ignitions:"
    )
    (issue,) = issues_of(text)
    assert "200 min after its hazard starts (minute 60) is minute 260" in issue
    assert "after the drill ends (240 min)" in issue


# -- 3. indentation slips --------------------------------------------------------------------

BRIEFING = """  briefing:
    en: >-
      Two villages and a few incidents
      on a quiet morning, with one road
      between them and a river to the south.
    zh: "两个村庄，若干事件。"
"""


def with_briefing(text: str) -> str:
    return GOOD.replace(
        '  briefing: {en: "Two villages, a few incidents.", zh: "两个村庄，若干事件。"}\n', text
    )


def test_a_short_line_in_a_folded_text_is_reported_on_its_own_line():
    text = with_briefing(BRIEFING.replace("      on a quiet", "    on a quiet"))
    (issue,) = issues_of(text)
    line = line_of(text, "on a quiet morning")
    assert issue == (
        f"drill.yaml:{line}:5: indentation: this line is indented 4 spaces; the other lines of "
        "this text use 6: a text written over several lines keeps every line at the same "
        "indentation, so indent it by 6"
    )


def test_a_key_indented_one_space_short_is_named_in_words():
    text = GOOD.replace("    vulnerable_share: 0.25", "   vulnerable_share: 0.25")
    (issue,) = issues_of(text)
    assert issue == (
        f"drill.yaml:{line_of(text, 'vulnerable_share')}:4: indentation: this line is indented "
        "3 spaces; the lines around it use 4: indent it by 4"
    )
    assert "block" not in issue


def test_a_dedented_key_is_reported_where_it_is_not_where_the_parser_stopped():
    text = GOOD.replace(
        "  - id: storm\n    at_min: 60\n    actions:", "  - id: storm\n    at_min: 60\n  actions:"
    )
    (issue,) = issues_of(text)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s == "  actions:")
    assert issue == (
        f"drill.yaml:{line}:3: indentation: this line is indented 2 spaces; the lines around it "
        "use 4: indent it by 4"
    )


def test_a_tab_is_named_as_a_tab():
    text = GOOD.replace("    population: 900", "\tpopulation: 900")
    (issue,) = issues_of(text)
    assert issue == (
        f"drill.yaml:{line_of(text, 'population: 900')}:1: indentation: a tab is used here; "
        "YAML indents with spaces only: replace the tab with spaces"
    )


def test_a_syntax_error_that_is_not_indentation_keeps_the_parsers_position():
    text = GOOD.replace('zh: "小型演练"}', 'zh: "小型演练}')
    (issue,) = issues_of(text)
    assert issue.startswith("drill.yaml:")
    assert "indentation" not in issue and "<block" not in issue


# -- 4. rough messages made plain ------------------------------------------------------------


def test_a_compass_point_for_a_wind_direction_gets_its_degrees():
    text = GOOD.replace(
        "{type: wind_shift, wind_speed_m_per_s: 1, wind_from_deg: 90}",
        "{type: wind_shift, wind_speed_m_per_s: 1, wind_from_deg: NW}",
    )
    (issue,) = issues_of(text)
    assert issue.startswith(f"drill.yaml:{line_of(text, 'NW')}:")
    assert (
        "injects[3].actions[0].wind_from_deg: wind_from_deg is the direction the wind comes FROM"
        in issue
    )
    assert "0 = north" in issue and "for a wind from 'NW' write 315" in issue
    assert "wind_shift." not in issue  # the action's tag is no key of the file


def test_a_word_where_a_number_belongs_says_a_number_is_needed():
    (issue,) = issues_of(GOOD.replace("population: 900", "population: many"))
    assert "zones[0].population: a whole number is needed here (got 'many')" in issue


def test_a_hazard_kind_typo_lists_the_kinds_and_the_closest():
    text = fire_drill().replace("  - kind: fire", "  - kind: fires")
    (issue,) = issues_of(text)
    assert issue == (
        f"drill.yaml:{line_of(text, 'kind: fires')}:11: hazards[0].kind: hazard kind 'fires' "
        "does not exist: the kinds are 'flood', 'fire' or 'gas'; did you mean 'fire'?"
    )


def test_an_action_type_typo_lists_the_types():
    (issue,) = issues_of(
        GOOD.replace("{type: close_road, road: north}", "{type: close-road, road: north}")
    )
    assert "injects[2].actions[1].type: action type 'close-road' does not exist" in issue
    assert "did you mean 'close_road'?" in issue


def test_an_empty_chinese_text_says_which_text_needs_words():
    text = GOOD.replace('zh: "西村"', 'zh: ""')
    (issue,) = issues_of(text)
    assert issue.endswith(
        "zones[0].name.zh: the Chinese text of this name is empty: write the name in Chinese words"
    )


def test_a_response_level_written_as_a_number_suggests_the_roman_numeral():
    (issue,) = issues_of(GOOD.replace("level: III", "level: 3"))
    assert issue.endswith(
        "forces.reinforcements[0].level: Input should be 'none', 'IV', 'III', 'II' or 'I' "
        "(got 3); did you mean 'III'?"
    )


def test_an_unknown_key_gets_a_did_you_mean_inside_a_hazard_too():
    text = fire_drill("{at: [1700, 200], at_mins: 30}")
    issues = issues_of(text)
    line = line_of(text, "at_mins")
    col = text.splitlines()[line - 1].index("at_mins") + 1
    assert issues == [
        f"drill.yaml:{line}:{col}: hazards[0].ignitions[0].at_mins: unknown key; "
        "did you mean 'at_min'?"
    ]


def test_an_unknown_key_inside_an_action_gets_a_did_you_mean():
    issues = issues_of(GOOD.replace("people: 12}", "peeple: 12}"))
    assert any(
        i.endswith("injects[2].actions[0].peeple: unknown key; did you mean 'people'?")
        for i in issues
    )


# -- 5. the same messages in Chinese ---------------------------------------------------------


def chinese_issues(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "drill.yaml")
    return [issue.text("zh-CN") for issue in caught.value.issues]


def test_common_messages_are_said_in_chinese_with_the_same_place():
    text = GOOD.replace("    population: 900", "    populaton: 900")
    assert chinese_issues(text) == [
        f"drill.yaml:{line_of(text, 'populaton') - 3}:5: zones[0].population: 缺少必填字段",
        f"drill.yaml:{line_of(text, 'populaton')}:5: zones[0].populaton: "
        "未知的键；是不是想写 'population'？",
    ]
    (outside,) = chinese_issues(
        GOOD.replace("at: [1600, 700], people: 5", "at: [9600, 700], people: 5")
    )
    assert outside.endswith(
        "injects[0].actions[0].at: 点 [9600.0, 700.0] 在地图之外（地图为 2000 × 1500 m）"
    )
    (missing,) = chinese_issues(GOOD.replace("base: station,", "base: statoin,"))
    assert missing.endswith("没有 id 为 'statoin' 的设施；是不是想写 'station'？")


def test_an_indentation_slip_is_said_in_chinese():
    (issue,) = chinese_issues(
        GOOD.replace("    vulnerable_share: 0.25", "   vulnerable_share: 0.25")
    )
    assert "缩进：这一行缩进了 3 个空格，而前后各行用的是 4 个" in issue


def test_every_message_has_both_languages_with_the_same_parameters():
    english, chinese = table("en"), table("zh-CN")
    assert set(english) == set(chinese)
    for key, template in english.items():
        said = set(re.findall(r"{(\w+)", chinese[key]))
        assert said <= set(re.findall(r"{(\w+)", template)), key
        assert (
            key.startswith("list.")
            or re.search(r"[\u4e00-\u9fff]", chinese[key])
            or (chinese[key] in ("{text}", "{item}"))
        ), key


def test_the_game_font_has_every_character_of_the_chinese_messages():
    from fontTools.ttLib import TTFont

    from ui.paths import FONT_REGULAR

    cmap = TTFont(str(FONT_REGULAR)).getBestCmap()
    text = "".join(json.loads((LOCALES_DIR / "zh-CN.json").read_text(encoding="utf-8")).values())
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in cmap})
    assert missing == []
