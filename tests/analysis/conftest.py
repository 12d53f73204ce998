"""Crafted drill logs: the mini scenario's header and hand-written events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sim
from analysis.drilldata import DrillData, load_drill
from tests.conftest import MINI

Ev = tuple[float, str, dict[str, Any]]


def sample(t: float, **data: Any) -> Ev:
    base = {
        "people": {},
        "zones": {},
        "units": {},
        "hazards": {},
        "stocks": {},
        "shelters": {},
        "unmet_need_person_h": 0.0,
    }
    base.update(data)
    return (t, "StateSampled", base)


def write_log(
    path: Path, events: list[Ev], seed: int = 3, loaded: sim.LoadedScenario | None = None
) -> Path:
    header = sim.make_header(loaded or sim.load_scenario(MINI), seed)
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps({"t": t, "event": kind, **data}) for t, kind, data in events]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def crafted(tmp_path: Path):
    """``crafted(events)`` -> DrillData read back from a log written to tmp_path."""
    counter = iter(range(1000))

    def make(events: list[Ev], loaded: sim.LoadedScenario | None = None) -> DrillData:
        path = tmp_path / f"log{next(counter)}.jsonl"
        return load_drill(write_log(path, events, loaded=loaded))

    return make
