"""``python -m sim validate`` warns of content that loads but will not play as meant.

Each test changes the mini drill in one way an instructor might (the mistakes
found by writing drills from the README alone) and checks the warning names
the place in the file and what to do; a sound variant beside it stays quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.scenario.loader import ScenarioError, parse_scenario
from sim.scenario.warnings import SCORING_WEIGHTS, scenario_warnings
from tests.conftest import MINI, ROOT, mini_with

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
HAZMAT = {"id": "hazmat", "level": "IV", "type": "hazmat_team", "arrive_at": "station"}
PLANT = {
    "id": "plant",
    "type": "hazard_source",
    "name": {"en": "Plant", "zh": "工厂"},
    "at": [1700, 300],
}


def _mini() -> dict:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def _warnings(**changes: object) -> list[str]:
    return [str(w) for w in scenario_warnings(mini_with(**changes))]


def _gas(start_min: float | None = 0.0) -> dict:
    return {
        "kind": "gas",
        "id": "tank",
        "source": "plant",
        "inventory_kg": 5000,
        "rate_kg_per_s": 5,
        "start_min": start_min,
    }


def _forces(*reinforcements: dict) -> dict:
    forces = _mini()["forces"]
    forces["reinforcements"] = [*forces["reinforcements"], *reinforcements]
    return forces


def test_the_mini_drill_has_no_warnings():
    assert _warnings() == []


def test_an_unknown_scoring_weight_is_named_with_the_one_meant():
    found = _warnings(scoring={"weights": {"comand": 2.0, "medical": 2.0}})
    assert len(found) == 1
    assert "warning: scoring.weights.comand: no score part is called 'comand'" in found[0]
    assert "did you mean 'command'?" in found[0]


def test_the_weight_names_are_the_ones_the_review_reads():
    from analysis.rubric import DIMENSIONS
    from analysis.scoring import DEFAULT_WEIGHTS

    assert set(SCORING_WEIGHTS) == set(DEFAULT_WEIGHTS) | set(DIMENSIONS)


def test_a_gas_hazard_nothing_starts_is_a_warning():
    facilities = [*_mini()["facilities"], PLANT]
    forces = _forces(HAZMAT)
    found = _warnings(facilities=facilities, forces=forces, hazards=[_gas(None)])
    assert len(found) == 1 and "hazards[0].start_min: nothing starts gas hazard 'tank'" in found[0]
    started = [
        *_mini()["injects"],
        {"id": "go", "at_min": 20, "actions": [{"type": "start_hazard", "hazard": "tank"}]},
    ]
    assert (
        _warnings(facilities=facilities, forces=forces, hazards=[_gas(None)], injects=started) == []
    )


def test_a_leak_no_unit_can_stop_is_a_warning_until_a_hazmat_team_can_come():
    facilities = [*_mini()["facilities"], PLANT]
    found = _warnings(facilities=facilities, hazards=[_gas()])
    assert len(found) == 1
    assert "opens leak incidents (leak-tank…) that no unit" in found[0]
    assert "hazmat_team" in found[0]
    assert _warnings(facilities=facilities, hazards=[_gas()], forces=_forces(HAZMAT)) == []


def test_a_scripted_incident_no_unit_can_work_is_a_warning():
    injects = [
        {
            "id": "dyke",
            "at_min": 5,
            "actions": [
                {"type": "incident", "id": "crack", "incident": "levee_damage", "at": [500, 700]}
            ],
        }
    ]
    forces = _mini()["forces"]
    forces["units"] = [u for u in forces["units"] if u["type"] != "fire_engine"]
    found = _warnings(injects=injects, forces=forces)
    assert len(found) == 1
    assert "injects[0].actions[0].incident: no unit" in found[0]
    assert "levee_damage" in found[0] and "excavator" in found[0]


def test_a_gas_cloud_no_wind_blows_towards_anyone_is_a_warning():
    data = _mini()
    injects = [i for i in data["injects"] if i["id"] != "calm"]  # its wind shift reaches West
    plant = {**PLANT, "at": [1700, 300]}
    facilities = [*data["facilities"], plant]
    forces = _forces(HAZMAT)
    # From the south (180°) the cloud goes north, off the map, away from both villages.
    south = [{"at_min": 0, "wind_speed_m_per_s": 3, "wind_from_deg": 180}]
    found = _warnings(
        facilities=facilities, forces=forces, hazards=[_gas()], injects=injects, weather=south
    )
    assert len(found) == 1
    assert "hazards[0].source: no wind of the drill (from 180°) blows the cloud" in found[0]
    # From the north (0°) it goes south, over East Village 750 m away.
    north = [{"at_min": 0, "wind_speed_m_per_s": 3, "wind_from_deg": 0}]
    changes = {"facilities": facilities, "forces": forces, "injects": injects}
    assert _warnings(hazards=[_gas()], weather=north, **changes) == []


def _flood(inflow_at: list) -> dict:
    return {
        "kind": "flood",
        "id": "river",
        "inflow_at": inflow_at,
        "hydrograph": [{"at_min": 0, "discharge_m3_per_s": 50}],
    }


def test_a_river_inflow_on_a_hillside_is_a_warning_and_in_the_channel_is_not():
    data = _mini()
    data["map"]["terrain"] = {
        "base_elevation_m": 10,
        "hills": [{"at": [300, 300], "height_m": 80, "radius_m": 800}],
        "rivers": [{"points": [[0, 1450], [2000, 1450]], "width_m": 40}],
    }
    found = _warnings(map=data["map"], hazards=[_flood([[300, 600], [350, 600]])])
    assert len(found) == 1
    assert "hazards[0].inflow_at: the inflow is on a slope" in found[0]
    assert _warnings(map=data["map"], hazards=[_flood([[0, 1400], [0, 1490]])]) == []


def test_sunset_before_sunrise_is_a_warning():
    meta = _mini()["meta"] | {"sunrise": "06:30", "sunset": "05:45"}
    found = _warnings(meta=meta)
    assert len(found) == 1
    assert "meta.sunset: sunset 05:45 is not after sunrise 06:30" in found[0]


def test_a_fire_drill_with_no_shelter_is_a_warning():
    data = _mini()
    facilities = [f for f in data["facilities"] if f["type"] != "shelter"]
    # (The shelter's driveway also links the fire station to the main road: without
    # it the storm inject's closure of 'north' would cut the station off, another warning.)
    injects = [i for i in data["injects"] if i["id"] != "storm"]
    fire = {"kind": "fire", "id": "bushfire", "ignitions": [{"at": [1700, 200]}]}
    found = _warnings(facilities=facilities, hazards=[fire], injects=injects)
    assert len(found) == 1 and "a fire drill with no shelter" in found[0]
    assert _warnings(hazards=[fire]) == []


def test_injuries_with_no_hospital_are_a_warning():
    data = _mini()
    facilities = [f for f in data["facilities"] if f["type"] != "hospital"]
    forces = data["forces"]
    for group in forces["units"]:
        if group["base"] == "hospital":
            group["base"] = "station"
    found = _warnings(facilities=facilities, forces=forces)
    assert len(found) == 1
    assert "injects[0].actions[0]: a casualties incident with people but no hospital" in found[0]


# An inject that places a trapped car beyond the bridge and closes the bridge: its own
# incident is cut off (the warning's case; tests/test_scenario_warnings_lang.py too).
CUT_OFF_INJECT = {
    "id": "cut",
    "at_min": 20,
    "actions": [
        {"type": "incident", "id": "car", "incident": "trapped", "at": [1000, 1350], "people": 3},
        {"type": "close_road", "road": "bridge"},
    ],
}


def test_an_inject_closing_the_only_road_to_its_own_incident_is_a_warning():
    cut = CUT_OFF_INJECT
    found = _warnings(injects=[*_mini()["injects"], cut])
    assert len(found) == 1
    assert "injects[4].actions[1].road: closing 'bridge' in inject 'cut' cuts its own" in found[0]
    # The same closure with the incident where other roads still reach it is fine.
    fine = {**cut, "actions": [{**cut["actions"][0], "at": [1500, 750]}, cut["actions"][1]]}
    assert _warnings(injects=[*_mini()["injects"], fine]) == []


def test_a_warning_points_at_its_line_in_the_file(tmp_path: Path):
    data = _mini()
    data["scoring"] = {"weights": {"speed": 3}}
    path = tmp_path / "drill.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "speed:" in text)
    (warning,) = scenario_warnings(parse_scenario(path.read_text(), str(path)))
    assert (warning.line, warning.col) == (line, 5)
    assert str(warning).startswith(f"{path}:{line}:5: warning: scoring.weights.speed: ")


def test_validate_exits_0_with_warnings_and_1_with_strict(tmp_path: Path, capsys):
    data = _mini()
    data["meta"]["sunset"] = "05:00"
    path = tmp_path / "drill.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    verdict, warning = out.splitlines()
    assert verdict == f"{path}: ok (1 warning)" and err == ""
    assert warning.startswith(f"{path}:") and ": warning: meta.sunset:" in warning
    assert main(["validate", "--strict", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "ok" not in out and ": error: meta.sunset:" in err


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_validate_under_strict(path: Path, capsys):
    assert main(["validate", "--strict", str(path)]) == 0, capsys.readouterr().err


def test_a_clock_time_without_its_leading_zero_says_how_to_write_it():
    meta = _mini()["meta"] | {"start_time": "9:40"}
    with pytest.raises(ScenarioError) as caught:
        mini_with(meta=meta)
    message = str(caught.value)
    assert "meta.start_time: '9:40' is not a 24-hour time: write HH:MM" in message
    assert "pattern" not in message and "[01]" not in message


def test_an_unquoted_clock_time_read_as_a_number_says_to_quote_it():
    text = MINI.read_text(encoding="utf-8").replace('start_time: "09:00"', "start_time: 10:40")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "drill.yaml")
    assert "write the time in quotes, '10:40'" in str(caught.value)


def test_a_duplicated_zone_id_is_reported_once_and_nothing_else():
    data = _mini()
    data["zones"][1]["id"] = "west"
    with pytest.raises(ScenarioError) as caught:
        mini_with(zones=data["zones"])
    (issue,) = caught.value.issues
    assert issue.path == "zones[1].id" and "'west' is used twice" in issue.message


def _resized(tmp_path: Path, name: str, side: int, cell_m: float | None = None) -> Path:
    data = yaml.safe_load((ROOT / "scenarios" / name).read_text(encoding="utf-8"))
    data["map"]["width_cells"] = data["map"]["height_cells"] = side
    if cell_m is not None:
        data["map"]["cell_m"] = cell_m
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_flood_grid_too_large_to_play_at_speed_is_named_with_its_cost(tmp_path, capsys):
    path = _resized(tmp_path, "riverside_flood.yaml", 1024)
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    verdict, line = captured.out.strip().splitlines()
    assert verdict == f"{path}: ok (1 warning)" and captured.err == ""
    assert line.startswith(f"{path}:") and ": warning: map.width_cells: a 1024x1024 grid" in line
    assert "with a flood costs about 1.9 s of engine time per simulated minute" in line
    assert "the game keeps up with it only up to 15x, not at 60x" in line
    assert main(["validate", "--strict", str(path)]) == 1


def test_fine_cells_slow_a_flood_and_more_floods_fall_behind_real_time(tmp_path, capsys):
    path = _resized(tmp_path, "riverside_flood.yaml", 1024, cell_m=8.0)
    assert main(["validate", str(path)]) == 0
    assert "the game keeps up with it only up to 2x" in capsys.readouterr().out
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    river = data["hazards"][0]
    data["hazards"] += [{**river, "id": f"twin-{n}", "levees": []} for n in range(3)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "it cannot keep up with real time (1x)" in capsys.readouterr().out


def test_a_grid_the_game_plays_at_speed_is_not_warned_of(tmp_path, capsys):
    path = _resized(tmp_path, "riverside_flood.yaml", 512)
    assert main(["validate", str(path)]) == 0
    assert "engine time" not in capsys.readouterr().out
