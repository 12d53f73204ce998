"""People an inject puts in a work incident (a leak, a damaged levee, a wildfire) are owned."""

from __future__ import annotations

import pytest
import yaml

from sim import Drill, ExpertBot, run_headless
from tests.conftest import MINI, mini_with


def _with_inject(kind: str, people: int):
    injects = yaml.safe_load(MINI.read_text(encoding="utf-8"))["injects"]
    injects.append(
        {
            "id": "odd",
            "at_min": 5,
            "actions": [
                {
                    "type": "incident",
                    "id": "odd",
                    "incident": kind,
                    "at": [1600, 1000],
                    "people": people,
                    "work_min": 60,
                }
            ],
        }
    )
    return mini_with(injects=injects)


@pytest.mark.parametrize("kind", ["leak", "levee_damage", "wildfire"])
def test_people_injected_with_a_work_incident_are_trapped_in_an_incident_of_their_own(kind):
    loaded = _with_inject(kind, 20)
    drill = Drill(loaded, 3)
    drill.advance(6)
    drill.check_invariants()  # every trapped person is owned by an incident
    trapped = [
        i for i in drill.incidents.values() if i.kind.value == "trapped" and i.source == "odd"
    ]
    assert [(i.id, i.people) for i in trapped] == [("odd-people", 20)]
    work = drill.incidents["odd"]
    assert (work.kind.value, work.people) == (kind, 0)


def test_a_drill_with_people_in_an_injected_leak_plays_to_the_end_with_people_conserved(tmp_path):
    loaded = _with_inject("leak", 20)
    drill = run_headless(loaded, 3, ExpertBot(loaded.scenario), tmp_path / "d.jsonl")
    drill.check_invariants()
    assert drill.finished and drill.population.total == loaded.scenario.zones[0].population + (
        loaded.scenario.zones[1].population
    )
