"""An instructor's mistakes come back as FILE:LINE:COL: path: message, all at once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sim import ScenarioError, parse_scenario
from sim.cli import main
from tests.conftest import MINI, ROOT

GOOD = MINI.read_text(encoding="utf-8")


def issues_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "drill.yaml")
    return [str(issue) for issue in caught.value.issues]


def replace_once(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_key_is_named_with_a_did_you_mean_suggestion():
    text = replace_once("    population: 900", "    populaton: 900")
    issues = issues_of(text)
    line = line_of(text, "populaton")
    assert f"drill.yaml:{line}:5: zones[0].populaton: unknown key; did you mean 'population'?" in (
        issues
    )


def test_missing_required_field_points_at_its_parent():
    issues = issues_of(replace_once("    population: 600\n", ""))
    assert any("zones[1].population: required field is missing" in i for i in issues)


def test_wrong_type_says_what_was_given():
    text = replace_once("population: 900", "population: many")
    (issue,) = issues_of(text)
    assert issue.startswith(f"drill.yaml:{line_of(text, 'many')}:17: zones[0].population: ")
    assert "'many'" in issue


def test_value_out_of_range_is_reported_with_the_limit():
    (issue,) = issues_of(replace_once("vulnerable_share: 0.25", "vulnerable_share: 1.5"))
    assert "zones[0].vulnerable_share: Input should be less than or equal to 1" in issue


def test_reference_to_a_missing_station_suggests_the_right_one():
    text = replace_once("{type: fire_engine, base: station", "{type: fire_engine, base: statoin")
    (issue,) = issues_of(text)
    assert issue == (
        f"drill.yaml:{line_of(text, 'statoin')}:33: forces.units[0].base: "
        "no facility with id 'statoin'; did you mean 'station'?"
    )


def test_geometry_outside_the_map_is_refused():
    (issue,) = issues_of(replace_once("at: [1600, 700], people: 5", "at: [9600, 700], people: 5"))
    assert "injects[0].actions[0].at: point [9600.0, 700.0] is outside the map (2000 × 1500 m)" in (
        issue
    )


def test_every_mistake_of_a_file_is_reported_in_one_pass():
    text = replace_once("population: 900", "population: -1").replace("cell_m: 50", "cell_m: 1")
    issues = issues_of(text)
    assert len(issues) == 2
    assert any("map.cell_m" in i for i in issues) and any(
        "zones[0].population" in i for i in issues
    )


def test_python_object_tags_are_refused_before_anything_is_built():
    text = replace_once("default_seed: 3", "default_seed: !!python/object/apply:os.system ['true']")
    (issue,) = issues_of(text)
    assert "meta.default_seed: tag 'tag:yaml.org,2002:python/object/apply:os.system'" in issue
    assert "not allowed" in issue


def test_duplicate_keys_are_errors_not_silently_overwritten():
    text = replace_once("  duration_h: 4\n", "  duration_h: 4\n  duration_h: 5\n")
    (issue,) = issues_of(text)
    assert "meta.duration_h: key 'duration_h' appears twice" in issue


def test_broken_yaml_names_the_line():
    text = replace_once("  width_cells: 40", "  width_cells: [40")
    (issue,) = issues_of(text)
    assert issue.startswith("drill.yaml:") and "not valid YAML" in issue


def test_absurd_grid_size_is_refused_with_the_limit():
    (issue,) = issues_of(replace_once("width_cells: 40", "width_cells: 5000"))
    assert "map.width_cells: Input should be less than or equal to 1024" in issue


def test_file_over_the_size_limit_is_refused_before_parsing():
    (issue,) = issues_of(GOOD + "#" * (5 * 1024 * 1024))
    assert "larger than 256 kB" in issue


def test_validate_command_prints_issues_and_exits_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("population: 900", "population: lots"), encoding="utf-8")
    assert main(["validate", str(MINI), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert f"{MINI}: ok" in out
    assert f"{bad}:" in err and "zones[0].population" in err and "Traceback" not in err


def test_validate_of_a_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "nope.yaml:1:1: cannot read" in result.stderr and "Traceback" not in result.stderr


def test_schema_command_writes_a_json_schema_editors_can_use(tmp_path):
    out = tmp_path / "schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == 1
    assert "Zone" in schema["$defs"] and "population" in schema["$defs"]["Zone"]["properties"]
