"""The authoring guide stays true: every option documented, tables current, example playable."""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from enum import Enum

import pytest
from pydantic import BaseModel

from sim import ExpertBot, load_scenario, run_headless
from sim.scenario import schema
from sim.scenario.warnings import scenario_warnings
from tests.conftest import ROOT

GUIDES = {"en": ROOT / "docs" / "authoring.md", "zh-CN": ROOT / "docs" / "authoring.zh-CN.md"}
EXAMPLE = ROOT / "docs" / "example_drill.yaml"


def _models(annotation: object) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def schema_fields() -> dict[str, list[str]]:
    """Model name -> the YAML keys it accepts, for every model reachable from Scenario."""
    found: dict[str, list[str]] = {}

    def walk(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = [f.alias or n for n, f in model.model_fields.items()]
        for field in model.model_fields.values():
            for sub in _models(field.annotation):
                walk(sub)

    walk(schema.Scenario)
    return found


def _names_in_code(text: str) -> set[str]:
    """Every key-like word written as code, in `spans` and fenced blocks, outside the example.

    The example drill (copied in) would name most keys without explaining them.
    """
    text = re.sub(
        r"<!-- BEGIN GENERATED: example -->.*?<!-- END GENERATED: example -->",
        "",
        text,
        flags=re.DOTALL,
    )
    code = re.findall(r"```.*?```|`[^`\n]+`", text, flags=re.DOTALL)
    return {word for span in code for word in re.findall(r"[a-z_][a-z0-9_]*", span)}


def _enum_values() -> list[str]:
    enums: list[type[Enum]] = [
        schema.FacilityType,
        schema.UnitType,
        schema.IncidentKind,
        schema.LandUseName,
        schema.SupplyItem,
        schema.DepotTier,
        schema.Substance,
        schema.RoadClass,
        schema.Difficulty,
    ]
    values = [str(member.value) for enum in enums for member in enum]
    values += [lv.value for lv in schema.ResponseLevel if lv != schema.ResponseLevel.NONE]
    for action in typing.get_args(typing.get_args(schema.Action)[0]):
        values.append(typing.get_args(action.model_fields["type"].annotation)[0])
    return values


def test_the_schema_walk_reaches_every_section():
    fields = schema_fields()
    assert {"GasHazard", "Levee", "ShiftWind", "ScoringTargets", "ImageTerrain"} <= set(fields)
    assert "class" in fields["Road"]  # keys by their YAML name, not the Python one


@pytest.mark.parametrize("language", GUIDES)
def test_every_schema_field_is_in_the_guide(language: str):
    named = _names_in_code(GUIDES[language].read_text(encoding="utf-8"))
    missing = [
        f"{model}.{key}"
        for model, keys in schema_fields().items()
        for key in keys
        if key not in named
    ]
    assert missing == []


@pytest.mark.parametrize("language", GUIDES)
def test_every_value_an_option_takes_is_in_the_guide(language: str):
    text = GUIDES[language].read_text(encoding="utf-8")
    assert [v for v in _enum_values() if f"`{v}`" not in text] == []


def test_the_generated_tables_and_example_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "authoring_tables.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_unit_table_lists_every_unit_with_its_speed():
    from sim.units import CATALOG

    text = GUIDES["en"].read_text(encoding="utf-8")
    for unit_type, spec in CATALOG.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{unit_type}` |"))
        assert f" {spec.road_kmh:g} |" in row or spec.road_kmh == 0


def test_the_example_is_in_both_guides_as_it_is_on_disk():
    example = EXAMPLE.read_text(encoding="utf-8").rstrip("\n")
    for path in GUIDES.values():
        assert f"```yaml\n{example}\n```" in path.read_text(encoding="utf-8")


def test_the_example_validates_without_warnings():
    assert scenario_warnings(load_scenario(EXAMPLE)) == []


def test_the_example_plays_its_first_half_hour():
    loaded = load_scenario(EXAMPLE)
    drill = run_headless(
        loaded, loaded.scenario.meta.default_seed, ExpertBot(loaded.scenario), until_min=30
    )
    kinds = [e.kind for e in drill.events]
    assert drill.now == pytest.approx(30)
    assert "HazardStarted" in kinds  # the creek floods from minute 0
    crash = [e for e in drill.events if e.kind == "IncidentCreated"]
    assert [e.data["incident"] for e in crash] == ["s12-crash"]
    assert crash[0].data["zone"] == "liuxi" and crash[0].data["people"] == 3
    assert "UnitDispatched" in kinds
