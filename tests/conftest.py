"""Shared fixtures: the small test scenario and a way to mutate it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim import LoadedScenario, load_scenario, parse_scenario

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mini() -> LoadedScenario:
    return load_scenario(MINI)


def mini_with(**changes: object) -> LoadedScenario:
    """The mini scenario with top-level sections replaced (for focused tests)."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data.update(changes)
    return parse_scenario(yaml.safe_dump(data, allow_unicode=True), "mini-variant.yaml")
