"""Shared fixtures: the small test scenario and a way to mutate it."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(scope="session", autouse=True)
def own_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Drill logs, the records database and the log-signing key of the test session go to
    a folder of its own (subprocesses inherit it), never into the user's data folder."""
    import os

    folder = tmp_path_factory.mktemp("xdg-data")
    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = before
