"""The event feed words each hazard's milestones as what they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import Drill, load_scenario
from ui.feed import describe_event
from ui.i18n import Translator
from ui.names import Names

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TRIAL_FIRE = Path(__file__).resolve().parents[1] / "data" / "trial_fire.yaml"


def _feed(path: Path, minutes: float, language: str, kind: str, milestone: str | None = None):
    """(event, feed line) for the drill's ``kind`` events (of ``milestone``) over its first
    ``minutes``, seed 5, as the feed words them in ``language``."""
    loaded = load_scenario(path)
    drill = Drill(loaded, seed=5)
    drill.advance(minutes)
    t = Translator(language)
    names = Names(loaded, t)
    return [
        (e, describe_event(e, t, names)[0])
        for e in drill.events
        if e.kind == kind and (milestone is None or e.data.get("milestone") == milestone)
    ]


@pytest.mark.parametrize(
    ("language", "ignition", "reached"),
    [
        ("en", "fire started", "fire reached Songlin Village"),
        ("zh-CN", "起火", "火线已到达松林村"),
    ],
)
def test_fire_milestones_read_as_fire_not_water(language, ignition, reached):
    lines = [line for _, line in _feed(SCENARIOS / "wildfire_wui.yaml", 90, language,
                                       "HazardMilestone")]  # fmt: skip
    assert any(ignition in line for line in lines)
    assert any(reached in line for line in lines)
    assert not any("water" in line or "洪水" in line for line in lines)


@pytest.mark.parametrize(
    ("language", "reached"),
    [("en", "(above AEGL-1) reached"), ("zh-CN", "毒气云（AEGL-1以上）已到达")],
)
def test_a_toxic_cloud_reaching_a_zone_says_at_what_level(language, reached):
    # The red banner's "toxic cloud reached the village" comes at AEGL-1 (discomfort, no
    # lasting harm): it says so, so a trainee does not read it as people being hurt.
    lines = [line for _, line in _feed(SCENARIOS / "chlorine_leak.yaml", 60, language,
                                       "HazardMilestone", "zone_reached")]  # fmt: skip
    assert lines and all(reached in line for line in lines), lines


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("en", "fire front 1 reached", "fire front 2 reached"),
        ("zh-CN", "火线1已到达", "火线2已到达"),
    ],
)
def test_with_two_fires_the_feed_says_which_fire_reached_a_place(language, first, second):
    # "fire reached the school" fits both fires of the trial drill; the line names the
    # fire as the map's legend and the report do.
    reached = [(e.data["hazard"], line)
               for e, line in _feed(TRIAL_FIRE, 240, language, "HazardMilestone", "zone_reached")]
    fires = [h.id for h in load_scenario(TRIAL_FIRE).scenario.hazards if h.kind == "fire"]
    assert {h for h, _ in reached} == set(fires)
    for hazard, line in reached:
        assert (first if hazard == fires[0] else second) in line, line


@pytest.mark.parametrize(("language", "began"), [("en", "Hazard began: fire front "),
                                                  ("zh-CN", "灾害开始：火线")])  # fmt: skip
def test_with_two_fires_the_feed_says_which_fire_began(language, began):
    lines = [line for _, line in _feed(TRIAL_FIRE, 120, language, "HazardStarted")]
    assert sorted(lines) == [f"{began}1", f"{began}2"]
