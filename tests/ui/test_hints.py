"""Hints say what the screen shows is left undone, and only that.

They are read from the snapshot the drill screen draws (the forecast threat and
advice the zone panel prints, units and incidents on the map) and the reports
the trainee sent; they are off by default in ordinary drills and on in the
tutorial, and F8 or a click on the chip switches them.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pygame
import pytest

from sim import DispatchUnit, Drill, IssueWarning, OrderShelterInPlace, load_scenario
from ui.hints import IDLE_CARRIER_MIN, Watcher, hints_for
from ui.i18n import Translator
from ui.names import Names
from ui.scenes.drill import DrillScene
from ui.scripted import Person

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TUTORIAL = SCENARIOS / "tutorial.yaml"


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(TUTORIAL)


def watch(drill: Drill, watcher: Watcher, until_min: float) -> None:
    """Advance minute by minute, the watcher seeing every snapshot (as the screen does)."""
    while drill.now < until_min:
        drill.advance(drill.now + 1.0)
        watcher.observe(drill.snapshot())


def about(drill: Drill, watcher: Watcher, language: str = "en", reports: int = 0) -> dict:
    t = Translator(language)
    names = Names(drill.loaded, t)
    snap = drill.snapshot()
    names.note_incidents(snap.incidents)
    return {h.about: h.text for h in hints_for(snap, watcher, reports, t, names)}


def test_an_unwarned_threatened_village_is_pointed_out_until_it_is_warned_and_sheltered(
    tutorial,
):
    drill, watcher = Drill(tutorial, seed=7), Watcher()
    watch(drill, watcher, 1)
    said = about(drill, watcher)
    assert "Nobody in Dongcun village has been warned yet" in said["unwarned:dongcun"]
    assert "shelter in place" in said["unwarned:dongcun"]  # the forecast's advice, as printed
    drill.submit(IssueWarning(zone="dongcun", level="orange", channel="broadcast"))
    said = about(drill, watcher)
    assert "unwarned:dongcun" not in said
    assert "told it to shelter in place" in said["no_action:dongcun"]
    drill.submit(OrderShelterInPlace(zone="dongcun"))
    assert not [k for k in about(drill, watcher) if k.endswith(":dongcun")]
    assert "Xiwan" not in " ".join(about(drill, watcher).values())  # upwind: not threatened


def test_an_ambulance_left_free_while_casualties_wait_is_named_with_the_minutes_they_waited(
    tutorial,
):
    drill, watcher = Drill(tutorial, seed=7), Watcher()
    watch(drill, watcher, 4)  # the gate casualties are reported at minute 4
    assert not [k for k in about(drill, watcher) if k.startswith("idle:")]
    watch(drill, watcher, 4 + IDLE_CARRIER_MIN)
    said = about(drill, watcher)
    idle = [text for key, text in said.items() if key.startswith("idle:")]
    # The ambulances stood at the hospital from minute 0; they count as idle from when
    # the casualties were waiting, not from the start.
    assert idle == [
        "ambulance 1 has stood free for 5 min while injured people still wait at casualties "
        "on Waterworks Lane (from Qingshui Waterworks) (3 without a carrier)."
    ]
    drill.submit(DispatchUnit(unit="ambulance-1", target="waterworks-gate-casualties"))
    watch(drill, watcher, drill.now + 1)  # the map shows it on its way: two seats for three
    said = about(drill, watcher)
    assert said.get("idle:ambulance-2", "").endswith("(1 without a carrier).")
    drill.submit(DispatchUnit(unit="ambulance-2", target="waterworks-gate-casualties"))
    watch(drill, watcher, drill.now + 1)
    assert not [k for k in about(drill, watcher) if k.startswith("idle:")]


def test_no_level_and_no_report_are_pointed_out_after_a_while_and_never_with_an_id(tutorial):
    drill, watcher = Drill(tutorial, seed=7), Watcher()
    watch(drill, watcher, 21)
    for language in ("en", "zh-CN"):
        said = about(drill, watcher, language)
        assert {"level", "report"} <= set(said)
        shown = " ".join(said.values())
        assert not re.search(r"[a-z]+[-_][a-z0-9]+", shown), shown  # ids look like this
    assert "report" not in about(drill, watcher, reports=1)


def test_hints_read_the_forecast_on_screen_not_the_hidden_truth(tutorial):
    """The same snapshot without its forecast threats: the zone hints go with it."""
    drill, watcher = Drill(tutorial, seed=7), Watcher()
    watch(drill, watcher, 1)
    snap = drill.snapshot()
    t = Translator("en")
    blind = dataclasses.replace(snap, threats={})
    assert any(
        h.about.startswith("unwarned:") for h in hints_for(snap, watcher, 0, t, Names(tutorial, t))
    )
    assert not any(
        h.about.startswith(("unwarned:", "no_action:"))
        for h in hints_for(blind, watcher, 0, t, Names(tutorial, t))
    )


def test_hints_are_off_in_an_ordinary_drill_and_f8_or_the_chip_switches_them(app):
    scene = DrillScene(app, load_scenario(SCENARIOS / "chlorine_leak.yaml"), 11)
    app.switch(scene)
    person = Person(app, scene)
    person.frames(2)
    assert not scene.coach.hints.on and scene.coach.guide is None
    person.key(pygame.K_F8)
    person.frames(40)  # hints refresh twice a second
    assert scene.coach.hints.on and scene.coach.hints.current
    person.click(scene.coach.hints.chip.center)
    assert not scene.coach.hints.on and not scene.coach.hints.current
    assert scene.selected is None  # the click on the chip went no further


def test_hints_are_on_in_the_tutorial(app, tutorial):
    scene = DrillScene(app, tutorial, 7)
    app.switch(scene)
    Person(app, scene).frames(40)
    assert scene.coach.hints.on
    assert [h.about for h in scene.coach.hints.current][:1] == ["unwarned:dongcun"]


def test_a_click_on_a_hint_selects_what_it_is_about_and_nothing_under_it(app, tutorial):
    scene = DrillScene(app, tutorial, 7)
    app.switch(scene)
    person = Person(app, scene)
    person.frames(40)
    box, hint = scene.coach.hints.boxes[0]
    assert hint.about == "unwarned:dongcun"
    assert scene.plan(box.center).kind == "nothing"  # the map under it takes no click
    person.click(box.center)
    assert scene.selected is not None and (scene.selected.kind, scene.selected.id) == (
        "zone",
        "dongcun",
    )
