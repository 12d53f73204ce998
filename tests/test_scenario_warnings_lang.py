"""``validate --lang zh-CN`` says the warnings in Chinese, as it says the errors.

An instructor who reads only Chinese gets every warning in Chinese: the same
place in the file, the same figures, the places named by their id and their
Chinese name. English stays what it was (``str(warning)``, plain ``validate``).
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import get_args

import pytest
import yaml

from sim.cli import main
from sim.landuse import LandUse
from sim.scenario import warnings as scenario_warnings_module
from sim.scenario.messages import Message, render, table
from sim.scenario.schema import (
    FacilityType,
    FireHazard,
    FloodHazard,
    GasHazard,
    IncidentKind,
    UnitType,
)
from sim.scenario.warnings import ScenarioWarning, scenario_warnings
from tests.conftest import MINI, mini_with
from tests.test_scenario_warnings import CUT_OFF_INJECT

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")
HAZARDS = (FloodHazard, FireHazard, GasHazard)
RIVER_Y = 1450  # the river of the flood map below runs along the mini map's south edge


def _mini() -> dict:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def _many_warnings() -> dict:
    """The mini drill with eight mistakes an instructor makes, each a warning."""
    data = _mini()
    data["map"]["terrain"] = {
        "base_elevation_m": 10,
        "hills": [{"at": [300, 300], "height_m": 20, "radius_m": 600}],
        "rivers": [{"points": [[0, RIVER_Y], [2000, RIVER_Y]], "width_m": 40}],
    }
    data["hazards"] = [
        {
            "kind": "flood",
            "id": "river",
            "inflow_at": [[0, 1400], [0, 1490]],
            "hydrograph": [{"at_min": 0, "discharge_m3_per_s": 20}],
        },
        {
            "kind": "gas",
            "id": "tank",
            "name": {"en": "Chlorine tank", "zh": "液氯储罐泄漏"},
            "source": "plant",
            "inventory_kg": 5000,
            "rate_kg_per_s": 5,
            "start_min": None,
        },
    ]
    data["facilities"] += [
        {
            "id": "hall",
            "type": "shelter",
            "name": {"en": "Village hall", "zh": "村礼堂"},
            "at": [500, RIVER_Y],
            "capacity": 300,
        },
        {
            "id": "plant",
            "type": "hazard_source",
            "name": {"en": "Plant", "zh": "化工厂"},
            "at": [1700, 300],
        },
    ]
    data["roads"].append({"id": "ford", "points": [[1500, 700], [1500, 1490]]})
    data["zones"][1]["polygon"] = [[1300, 1100], [1900, 1100], [1900, 1490], [1300, 1490]]
    data["injects"][1]["actions"][1]["text"]["zh"] = "Smoke seen in West Village"
    data["meta"]["sunset"] = "05:00"
    data["scoring"] = {"weights": {"comand": 2.0}}
    return data


@pytest.fixture(scope="module")
def many() -> list[ScenarioWarning]:
    return scenario_warnings(mini_with(**_many_warnings()))


def _by_path(found: list[ScenarioWarning], path: str) -> ScenarioWarning:
    (warning,) = [w for w in found if w.path == path]
    return warning


def _keys(message: object) -> set[str]:
    """The ids of a message and of the messages among its parameters."""
    if not isinstance(message, Message):
        return set()
    keys = {message.key}
    for _, value in message.params:
        for item in value if isinstance(value, list | tuple) else [value]:
            keys |= _keys(item)
    return keys


# -- the tables ------------------------------------------------------------------------------


WARNING_KEYS = sorted(
    key for key in table("en") if key.startswith(("warn.", "validate.", "ignition.not_burnable"))
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", WARNING_KEYS)
def test_every_warning_says_all_its_figures_in_both_languages(key: str):
    english, chinese = table("en")[key], table("zh-CN")[key]
    assert _fields(chinese) == _fields(english), "the Chinese leaves out or adds a figure"
    params = {name: f"«{name}»" for name in _fields(english)}
    for language in ("en", "zh-CN"):
        said = render(key, params, language)
        assert "{" not in said and "}" not in said, said
        assert all(value in said for value in params.values()), said
    assert HAN.search(render(key, params, "zh-CN"))


def test_every_message_id_the_scenario_code_names_is_in_both_tables():
    sources = [*(ROOT / "sim" / "scenario").glob("*.py"), ROOT / "sim" / "cli.py"]
    code = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    named = set(re.findall(r'say\(\s*"([\w.]+)"\s*[,)]', code))
    # The warnings' own ids, also where the code picks one of two ("a" if ... else "b").
    warning_ids = set(re.findall(r'"((?:warn|validate)\.[\w.]+)"', code))
    assert warning_ids == {k for k in table("en") if k.startswith(("warn.", "validate."))}
    named |= warning_ids
    # Ids made from a prefix and a value of the file (a unit type, a land use, ...).
    prefixes = set(re.findall(r'say\(\s*"([\w.]+\.)"\s*\+', code))
    values = {
        "land_use.": [use.name.lower() for use in LandUse],
        "hazard_kind.": [
            kind for model in HAZARDS for kind in get_args(model.model_fields["kind"].annotation)
        ],
        "incident_kind.": [kind.value for kind in IncidentKind],
        "unit_type.": [unit.value for unit in UnitType],
        "facility_type.": [kind.value for kind in FacilityType],
        "term.": ["facility", "road", "zone", "hazard", "flood_hazard", "levee", "reinforcement"],
    }
    assert prefixes <= set(values), "a new prefix: list the values it is joined with here"
    named |= {prefix + value for prefix in prefixes for value in values[prefix]}
    assert len(named) > 60
    for language in ("en", "zh-CN"):
        assert sorted(named - set(table(language))) == [], language


# -- warnings said in Chinese ------------------------------------------------------------------


def test_every_warning_of_a_drill_is_a_message_said_again_in_chinese(many):
    assert len(many) == 8
    for warning in many:
        assert isinstance(warning.message, Message), warning.path  # not an English f-string
        english, chinese = warning.text("en"), warning.text("zh-CN")
        assert english == str(warning) == warning.render()
        assert chinese == warning.render(language="zh-CN")
        assert chinese.startswith(f"mini-variant.yaml:{warning.line}:{warning.col}: 警告: ")
        assert f": 警告: {warning.path}: " in chinese
        assert HAN.search(chinese.split(warning.path, 1)[1]), chinese
        assert "{" not in chinese and "warning" not in chinese
    assert {key for w in many for key in _keys(w.message)} >= {
        "warn.weight.unknown.did_you_mean",
        "warn.night",
        "warn.hazard.never_started",
        "warn.nobody_can_work.hazard",
        "warn.text.english_in_zh",
        "warn.water.place",
        "warn.water.lost",
        "warn.water.road",
        "warn.water.zone",
    }


def test_a_shelter_in_the_river_reads_in_chinese_with_its_chinese_name_and_the_same_distance(
    many,
):
    warning = _by_path(many, "facilities[5].at")
    (metres,) = re.findall(r"the nearest is about (\d+) m away", str(warning))
    assert warning.message.in_language("zh-CN") == (
        "避难场所 'hall'（村礼堂）：位于河道中，河道从第 0 分钟起就有水，这个避难场所会立即被洪水"
        "淹没而失效（FacilityLost），谁也用不上它；请把它的 `at` 移到干地上（最近的干地约 "
        f"{metres} m 远）"
    )


def test_a_fire_station_named_fire_station_is_not_named_twice():
    data = _many_warnings()
    data["facilities"][0]["at"] = [1500, RIVER_Y]  # the mini's station, named 消防站
    warning = _by_path(scenario_warnings(mini_with(**data)), "facilities[0].at")
    assert warning.message.in_language("zh-CN").startswith(
        "消防站 'station'：位于河道中，驻扎在这里的力量在演练开始时就身处水中；"
    )


def test_a_zone_over_the_river_gives_its_cells_in_chinese(many):
    warning = _by_path(many, "zones[1].polygon")
    wet, cells = re.search(r"\((\d+) of its (\d+) cells\)", str(warning)).groups()
    assert warning.message.in_language("zh-CN").startswith(
        f"区域 'east'（东村），有 {wet} 个网格（共 {cells} 个）画进了河道：人口按网格均匀分布"
    )


def test_a_name_the_file_does_not_give_is_the_id_alone(many):
    road = _by_path(many, "roads[3].points[0]").message.in_language("zh-CN")
    assert road.startswith("道路 'ford'，在 [")
    assert "穿过河道却没有标注 bridge: true，洪水会在第 0 分钟把它封闭" in road


def test_a_weight_typo_and_a_leak_nobody_can_stop_read_in_chinese(many):
    weight = _by_path(many, "scoring.weights.comand")
    assert weight.text("zh-CN").endswith(
        ": 警告: scoring.weights.comand: 没有名为 'comand' 的评分项，这个权重不起任何作用；"
        "是不是想写 'command'？"
    )
    leak = _by_path(many, "hazards[1]").message.in_language("zh-CN")
    assert leak.startswith("这个灾害会产生危化品泄漏事件（leak-tank…）")
    assert leak.endswith("请加入以下任一类型的力量：hazmat_team（危化品处置队）")
    never = _by_path(many, "hazards[1].start_min").message.in_language("zh-CN")
    assert never.startswith("没有任何注入启动危化品泄漏 'tank'（液氯储罐泄漏）：")


def test_a_closure_cutting_off_its_own_incident_names_the_road_in_chinese():
    roads = _mini()["roads"]
    roads[2]["name"] = {"en": "Willow bridge", "zh": "柳溪桥"}
    cut = CUT_OFF_INJECT
    (warning,) = scenario_warnings(mini_with(roads=roads, injects=[*_mini()["injects"], cut]))
    assert "closing 'bridge' in inject 'cut' cuts its own incident 'car' off" in str(warning)
    assert warning.message.in_language("zh-CN").startswith(
        "注入 'cut' 封闭道路 'bridge'（柳溪桥），切断了它自己产生的事件 'car'：没有一条未封闭的道路"
    )


def test_a_grid_too_large_names_its_hazards_and_speed_in_the_readers_language(monkeypatch):
    data = _many_warnings()
    fire = {"kind": "fire", "id": "bushfire", "ignitions": [{"at": [1700, 200]}]}
    drill = mini_with(map=data["map"], hazards=[data["hazards"][0], fire])
    said = []
    # Dearer engine figures make the small mini map too slow to play, as a large map is.
    for cost in (400.0, 40_000.0):
        dear = {"flood": cost, "fire": cost, "gas": cost}
        monkeypatch.setattr(scenario_warnings_module, "ENGINE_S_PER_MIN_PER_MCELL", dear)
        said.append(_by_path(scenario_warnings(drill), "map.width_cells"))
    fast, slow = said
    assert "a 40x30 grid of 50 m cells with a fire and flood costs about 1.0 s" in str(fast)
    assert "only up to 30x, not at 60x" in str(fast)
    assert fast.message.in_language("zh-CN") == (
        "在 40×30 个 50 m 网格的地图上推演火灾和洪水，本机每推演 1 分钟约需 1.0 秒引擎计算时间；"
        "游戏最多只能以 30 倍速跟上，达不到 60 倍速（每秒推演 1 分钟）。"
        "请加大网格（cell_m）或缩小地图"
    )
    assert "it cannot keep up with real time (1x)" in str(slow)
    assert "连实时（1 倍速）都跟不上：演练会越来越落后于时钟" in slow.message.in_language("zh-CN")


# -- validate on the command line ---------------------------------------------------------------


def _drill(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_validate_in_chinese_prints_the_warnings_in_chinese_and_still_passes(tmp_path, capsys):
    path = _drill(tmp_path, _many_warnings())
    assert main(["validate", "--lang", "zh-CN", str(path)]) == 0
    out, err = capsys.readouterr()
    verdict, *lines = out.splitlines()
    assert err == ""
    assert verdict == f"{path}: 通过（8 条警告）"
    assert len(lines) == 8
    assert all(line.startswith(f"{path}:") and ": 警告: " in line for line in lines)
    assert any(
        line.endswith(
            "meta.sunset: 日落时间 05:00 不晚于日出时间 06:00：整场演练都按夜间"
            "计算（毒气按夜间的稳定大气扩散）；时间为 24 小时制 HH:MM"
        )
        for line in lines
    )
    # The same file in English reads as it always did.
    assert main(["validate", str(path)]) == 0
    out, _ = capsys.readouterr()
    verdict, *lines = out.splitlines()
    assert verdict == f"{path}: ok (8 warnings)"
    assert all(": warning: " in line and not HAN.search(line) for line in lines)


def test_strict_in_chinese_fails_with_chinese_errors_made_of_the_warnings(tmp_path, capsys):
    path = _drill(tmp_path, _many_warnings())
    assert main(["validate", "--strict", "--lang", "zh-CN", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 8 and all(": 错误: " in line for line in lines)
    assert any("scoring.weights.comand: 没有名为 'comand' 的评分项" in line for line in lines)


def test_a_clean_file_and_a_single_warning_read_in_chinese(tmp_path, capsys):
    data = _mini()
    path = _drill(tmp_path, data)
    assert main(["validate", "--lang", "zh-CN", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: 通过\n"
    data["meta"]["sunset"] = "05:00"
    path = _drill(tmp_path, data)
    assert main(["validate", "--lang", "zh-CN", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{path}: 通过（1 条警告）"
