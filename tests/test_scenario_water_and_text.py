"""What an instructor tripped over writing a flood drill from the README alone.

A shelter drawn in the river (the engine loses it at minute 0), a fire station
in the river, an expressway drawn across the river without ``bridge: true``
(the flood closes it at minute 0), English pasted into a ``zh`` text, Chinese
in a folded YAML block coming out with stray spaces, a name written as one
plain string, a unit type typo, and a reinforcement delay that fires after the
reinforcement came. Each test checks what the instructor (or the trainee) sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim import events as ev
from sim.cli import main
from sim.engine import Drill
from sim.scenario.loader import ScenarioError, parse_scenario
from sim.scenario.text import unfold_cjk
from sim.scenario.warnings import scenario_warnings
from tests.conftest import MINI, mini_with

RIVER_Y = 1450  # the river runs west to east along the mini map's south edge


def _mini() -> dict:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def _flood_map() -> dict:
    data = _mini()
    data["map"]["terrain"] = {
        "base_elevation_m": 10,
        "hills": [{"at": [300, 300], "height_m": 20, "radius_m": 600}],
        "rivers": [{"points": [[0, RIVER_Y], [2000, RIVER_Y]], "width_m": 40}],
    }
    return data["map"]


FLOOD = {
    "kind": "flood",
    "id": "river",
    "inflow_at": [[0, 1400], [0, 1490]],
    "hydrograph": [{"at_min": 0, "discharge_m3_per_s": 20}],
}


def _warnings(**changes: object) -> list[str]:
    return [str(w) for w in scenario_warnings(mini_with(**changes))]


def _with_shelter_at(at: list[float]) -> dict:
    # (A second shelter: the school's driveway also joins the fire station to the main road.)
    hall = {
        "id": "hall",
        "type": "shelter",
        "name": {"en": "Village hall", "zh": "村礼堂"},
        "at": at,
        "capacity": 300,
    }
    facilities = [*_mini()["facilities"], hall]
    return {"map": _flood_map(), "hazards": [FLOOD], "facilities": facilities}


def test_the_flood_map_used_here_has_no_warnings():
    assert _warnings(map=_flood_map(), hazards=[FLOOD]) == []


def test_a_shelter_in_the_river_is_a_warning_and_the_engine_does_lose_it_at_once():
    changes = _with_shelter_at([500, RIVER_Y])
    (found,) = _warnings(**changes)
    assert "warning: facilities[5].at: shelter 'hall' stands in the river channel" in found
    assert "the flood takes this shelter at once (FacilityLost)" in found
    # What the warning says is what the drill does: the shelter is gone in the first minute.
    drill = Drill(mini_with(**changes), seed=1)
    drill.advance(1.0)
    lost = [e for e in drill.events if e.kind == ev.FACILITY_LOST]
    assert [(e.data["facility"], e.t_min) for e in lost] == [("hall", pytest.approx(0.0))]
    # On dry ground a little north of the river it is neither warned of nor lost.
    assert _warnings(**_with_shelter_at([500, 1300])) == []


def test_a_fire_station_in_the_river_names_its_units():
    facilities = _mini()["facilities"]
    facilities[0]["at"] = [1500, RIVER_Y]
    (found,) = _warnings(map=_flood_map(), hazards=[FLOOD], facilities=facilities)
    assert "facilities[0].at: fire_station 'station' stands in the river channel" in found
    assert "the units based here start their drill in the water" in found
    assert "nearest is about" in found


def test_a_road_across_the_river_without_bridge_is_a_warning():
    roads = [*_mini()["roads"], {"id": "ford", "points": [[1500, 700], [1500, 1490]]}]
    (found,) = _warnings(map=_flood_map(), hazards=[FLOOD], roads=roads)
    assert "warning: roads[3].points[0]: road 'ford' crosses the river channel near" in found
    assert "not marked bridge: true, so the flood closes it at minute 0" in found
    # Marked as a bridge, the water leaves it open.
    roads[-1]["bridge"] = True
    assert _warnings(map=_flood_map(), hazards=[FLOOD], roads=roads) == []
    # With no flood the river holds no water in the engine: the road plays as a ford.
    roads[-1]["bridge"] = False
    assert _warnings(map=_flood_map(), roads=roads) == []


def test_a_road_the_warning_names_is_the_one_the_flood_closes_at_minute_0():
    roads = [*_mini()["roads"], {"id": "ford", "points": [[1500, 700], [1500, 1490]]}]
    drill = Drill(mini_with(map=_flood_map(), hazards=[FLOOD], roads=roads), seed=1)
    drill.advance(1.0)
    closed = {e.data.get("road") for e in drill.events if e.kind == ev.ROAD_CLOSED}
    assert "ford" in closed and "bridge" not in closed


def test_english_in_a_zh_text_is_a_warning_but_a_road_code_is_not():
    injects = _mini()["injects"]
    injects[1]["actions"][1]["text"]["zh"] = "Smoke seen in West Village"
    (found,) = _warnings(injects=injects)
    assert "warning: injects[1].actions[1].text.zh: the Chinese text has no Chinese" in found
    roads = _mini()["roads"]
    roads[0]["name"] = {"en": "G55 Expressway", "zh": "G55"}
    assert _warnings(roads=roads) == []


# -- Chinese in folded YAML blocks ---------------------------------------------

FOLDED = """\
meta:
  briefing:
    en: >-
      The river will rise
      from 80 to 1,500 m3/s.
    zh: >-
      白河流量将在90分钟内由
      每秒80立方米涨至每秒1500立方米，之后；
      县医院位于河谷底部，G55
      高速
      与 GPS
      定位
"""


def _briefing(text: str) -> dict:
    loaded = parse_scenario(
        MINI.read_text(encoding="utf-8").replace(
            '  briefing: {en: "Two villages, a few incidents.", zh: "两个村庄，若干事件。"}\n',
            text.split("meta:\n", 1)[1],
        ),
        "drill.yaml",
    )
    return loaded.scenario.meta.briefing.model_dump()


def test_a_folded_chinese_block_has_no_stray_spaces_between_chinese_characters():
    briefing = _briefing(FOLDED)
    assert briefing["zh"] == (
        "白河流量将在90分钟内由每秒80立方米涨至每秒1500立方米，之后；县医院位于河谷底部，G55 高速"
        "与 GPS 定位"
    )
    # English keeps the space YAML folds a line into.
    assert briefing["en"] == "The river will rise from 80 to 1,500 m3/s."


def test_a_chinese_text_broken_over_lines_in_quotes_is_joined_too():
    quoted = 'meta:\n  briefing:\n    en: "Two villages"\n    zh: "两个村庄，\n      若干事件。"\n'
    assert _briefing(quoted)["zh"] == "两个村庄，若干事件。"


def test_a_space_written_on_one_line_stays():
    one_line = 'meta:\n  briefing:\n    en: "Two villages"\n    zh: "两个 村庄"\n'
    assert _briefing(one_line)["zh"] == "两个 村庄"


def test_unfolding_gives_up_where_it_cannot_follow_the_source():
    # An escape the walk cannot match leaves YAML's value as it was.
    assert unfold_cjk("一\\t\n  二", "一\t 二") == "一\t 二"


# -- errors an instructor can act on --------------------------------------------


def _issues(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "drill.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_a_name_written_as_one_string_says_it_needs_both_languages():
    text = MINI.read_text(encoding="utf-8").replace(
        'name: {en: "East Village", zh: "东村"}', "name: East Village"
    )
    (issue,) = _issues(text)
    assert issue.endswith(
        "zones[1].name: a name needs both languages, English and Chinese, not one plain "
        'text: write it as {en: "East Village", zh: "…"}'
    )
    assert "dictionary" not in issue and "instance of Text" not in issue


def test_a_unit_type_typo_suggests_the_type_meant():
    text = MINI.read_text(encoding="utf-8").replace("type: rescue_boat", "type: rescue_bote")
    (issue,) = _issues(text)
    assert "forces.reinforcements[0].type:" in issue
    assert issue.endswith("(got 'rescue_bote'); did you mean 'rescue_boat'?")


def test_validate_keeps_each_files_warnings_under_its_own_ok_line(tmp_path: Path, capsys):
    paths = []
    for name, sunset in (("a.yaml", "05:00"), ("b.yaml", "18:00"), ("c.yaml", "04:00")):
        data = _mini()
        data["meta"]["sunset"] = sunset
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    assert main(["validate", *map(str, paths)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert err == "" and len(lines) == 5
    assert lines[0] == f"{paths[0]}: ok (1 warning)"
    assert lines[1].startswith(f"{paths[0]}:") and ": warning: meta.sunset:" in lines[1]
    assert lines[2] == f"{paths[1]}: ok"
    assert lines[3] == f"{paths[2]}: ok (1 warning)"
    assert lines[4].startswith(f"{paths[2]}:") and ": warning: meta.sunset:" in lines[4]


# -- a delay for a reinforcement that has already come ---------------------------


def _boats_delayed_at(at_min: float) -> Drill:
    from sim.commands import RequestReinforcement, SetResponseLevel

    held_up = {
        "id": "held-up",
        "at_min": at_min,
        "actions": [
            {"type": "delay_reinforcement", "reinforcement": "boats", "extra_delay_min": 30},
            {
                "type": "message",
                "text": {
                    "en": "The boats are held up: 30 minutes late.",
                    "zh": "冲锋舟受阻，晚到30分钟。",
                },
            },
        ],
    }
    drill = Drill(mini_with(injects=[*_mini()["injects"], held_up]), seed=1)
    assert drill.submit(SetResponseLevel(level="III")).accepted
    assert drill.submit(RequestReinforcement(reinforcement="boats")).accepted
    drill.advance(90.0)
    return drill


def _told(drill: Drill) -> list[str]:
    return [e.data["en"] for e in drill.events if e.kind == ev.MESSAGE_RECEIVED]


def _arrival(drill: Drill) -> float:
    return next(e.t_min for e in drill.events if e.kind == ev.REINFORCEMENT_ARRIVED)


def test_a_delay_after_the_reinforcement_came_tells_the_trainee_nothing_and_is_logged():
    drill = _boats_delayed_at(50)  # the boats came at minute 30
    assert _arrival(drill) == pytest.approx(30.0)
    assert "The boats are held up: 30 minutes late." not in _told(drill)
    fired = next(
        e for e in drill.events if e.kind == ev.INJECT_FIRED and e.data["inject"] == "held-up"
    )
    assert fired.data["without_effect"] == [
        {"action": 0, "type": "delay_reinforcement", "reason": "reinforcement_arrived"}
    ]
    assert fired.data["messages_withheld"] is True


def test_a_delay_while_the_reinforcement_is_on_its_way_holds_it_up_and_says_so():
    drill = _boats_delayed_at(10)
    assert _arrival(drill) == pytest.approx(60.0)
    assert "The boats are held up: 30 minutes late." in _told(drill)
    fired = next(
        e for e in drill.events if e.kind == ev.INJECT_FIRED and e.data["inject"] == "held-up"
    )
    assert "without_effect" not in fired.data


def test_a_flood_inflow_off_the_river_on_a_flat_hilltop_is_a_warning():
    data = _mini()
    data["map"]["terrain"] = {
        "base_elevation_m": 10,
        "hills": [{"at": [600, 400], "height_m": 25, "radius_m": 1000}],
        "rivers": [{"points": [[0, RIVER_Y], [2000, RIVER_Y]], "width_m": 40}],
    }
    hilltop = {**FLOOD, "inflow_at": [[560, 400], [640, 400]]}
    (found,) = _warnings(map=data["map"], hazards=[hilltop])
    assert "hazards[0].inflow_at: the inflow is not on the river the terrain draws" in found
    assert "m from the channel" in found
    assert _warnings(map=data["map"], hazards=[FLOOD]) == []


def test_a_zone_drawn_over_the_river_is_a_warning_and_its_people_are_hurt_at_once():
    zones = _mini()["zones"]
    zones[1]["polygon"] = [[1300, 1100], [1900, 1100], [1900, 1490], [1300, 1490]]
    (found,) = _warnings(map=_flood_map(), hazards=[FLOOD], zones=zones)
    assert "warning: zones[1].polygon: zone 'east' takes in the river channel (" in found
    drill = Drill(mini_with(map=_flood_map(), hazards=[FLOOD], zones=zones), seed=1)
    drill.advance(10.0)
    harmed = [e for e in drill.events if e.kind == ev.PEOPLE_HARMED and e.data["zone"] == "east"]
    assert harmed, "people put in the channel are harmed in the first minutes"
    # Drawn up to the bank it is quiet.
    zones[1]["polygon"] = [[1300, 1100], [1900, 1100], [1900, 1380], [1300, 1380]]
    assert _warnings(map=_flood_map(), hazards=[FLOOD], zones=zones) == []
