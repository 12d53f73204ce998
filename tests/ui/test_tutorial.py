"""The tutorial drill teaches by a guide a newcomer can follow with mouse and keys alone.

A scripted person comes in through the title and the picker (where the tutorial
is first), reads each card of the guide and clicks where it frames (a unit's
icon, the leak, the village, a panel button) or presses the key it names, in
both languages, until the guide says it is done. The engine must then have
received exactly the orders the guide asked for, accepted; the guide must
have noticed each one from the screen (never from a call to the engine); and
the drill plays on to its debrief.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from sim import load_scenario
from ui.app import App
from ui.autoplay import press_label
from ui.input import Select, SetShelterOpen
from ui.scenes.drill import DrillScene
from ui.scenes.picker import PickerScene
from ui.scenes.title import TitleScene
from ui.scripted import Person
from ui.tutorial import STEPS, TUTORIAL_ID, Guide

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
WAIT_MIN = 1.0  # how long the person lets the clock run when the guide says to wait
MAX_ACTIONS = 80


def walk_in(app: App) -> DrillScene:
    """Title → picker (the tutorial is first and already chosen) → briefing → drill."""
    t = app.t
    app.switch(TitleScene(app))
    app.step(0.0)
    press_label(app, t("title.start"))
    picker = app.scene
    assert isinstance(picker, PickerScene)
    first = next(e for e in picker.entries if e.valid)
    assert first.loaded is not None and first.loaded.scenario.meta.id == TUTORIAL_ID
    assert picker.chosen is first
    press_label(app, t("picker.choose"))
    press_label(app, t("briefing.start"))
    scene = app.scene
    assert isinstance(scene, DrillScene)
    return scene


def follow_guide(
    app: App, scene: DrillScene, shoot: Callable[[str], None] | None = None
) -> list[str]:
    """Do what each card says, by events only; the names of the steps seen, in order."""
    person = Person(app, scene)
    guide = scene.coach.guide
    assert guide is not None
    seen: list[str] = []
    for _ in range(MAX_ACTIONS):
        person.frames(1)
        if not guide.active:
            return seen
        step = guide.step
        assert step is not None
        if not seen or seen[-1] != step.name:
            seen.append(step.name)
        aim = step.aim(guide)
        if shoot is not None:
            shoot(f"{guide.index + 1:02d}-{step.name}-{aim.key.rsplit('.', 1)[-1] or 'read'}")
        act(person, guide, step.reading, aim.key, aim.click_at)
    raise AssertionError(f"the guide did not finish; stuck at {guide.step}")


def act(
    person: Person, guide: Guide, reading: bool, key: str, click_at: tuple[int, int] | None
) -> None:
    """One thing a trainee does on reading the card."""
    t = person.scene.t
    if reading:
        wanted = {t("tutorial.next"), t("tutorial.close")}
        rect = next(r for r, label, _ in guide.buttons if label in wanted)
        person.click(rect.center)
    elif key == "tutorial.aim.clear":
        person.key(pygame.K_ESCAPE)
    elif click_at is None:
        person.run(WAIT_MIN)
    else:
        person.click(click_at)
        if person.scene.modal:  # an order that asks first: yes
            person.press_order_in_modal()


def issued(scene: DrillScene) -> list[tuple[dict, bool]]:
    return [
        ({k: v for k, v in e.data["command"].items() if k != "issuer"}, e.data["accepted"])
        for e in scene.session.drill.events
        if e.kind == "CommandIssued"
    ]


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_newcomer_completes_the_tutorial_by_following_the_guide(language, monkeypatch):
    app = App(language=language)
    try:
        scene = walk_in(app)
        seen = follow_guide(app, scene)
        assert seen == [step.name for step in STEPS]
        orders = issued(scene)
        assert all(accepted for _, accepted in orders)
        assert [o["type"] for o, _ in orders] == [
            "dispatch",
            "warn",
            "warn",
            "shelter_in_place",
            "dispatch",
            "set_response_level",
            "request_reinforcement",
            "report_upward",
        ]
        snap = scene.session.snapshot
        assert orders[0][0] == {
            "type": "dispatch",
            "unit": "hazmat_team-1",
            "target": "leak-chlorine",
        }
        assert {o["channel"] for o, _ in orders[1:3]} == {"broadcast", "sms"}
        assert orders[4][0]["unit"].startswith("ambulance")
        assert snap.zone("dongcun").sheltering_in_place
        assert snap.response_level == "II" and snap.t_min < 15
        # The guide is gone; the drill plays on to its end and the debrief.
        person = Person(app, scene)
        person.run(snap.end_min - snap.t_min)
        app.step(1 / 60)
        assert app.scene is not scene and type(app.scene).__name__ == "DebriefScene"
        job = getattr(app.scene, "job", None)
        if job is not None and job.started:
            job.cancel()
            job.join(60)
    finally:
        pygame.quit()


def test_the_guide_can_be_skipped_and_the_drill_goes_on(app):
    scene = DrillScene(app, load_scenario(TUTORIAL), 7)
    app.switch(scene)
    person = Person(app, scene)
    person.frames(2)
    guide = scene.coach.guide
    assert guide is not None and guide.active
    skip = next(r for r, label, _ in guide.buttons if label == app.t("tutorial.skip"))
    person.click(skip.center)
    assert not guide.active and scene.selected is None  # the click went no further
    person.run(2)
    assert scene.session.drill.now >= 2 and not issued(scene)


def test_an_evacuation_of_the_village_is_corrected_not_counted(app):
    """Evacuating from a cloud minutes away is the wrong action: the shelter step stays."""
    scene = DrillScene(app, load_scenario(TUTORIAL), 7)
    app.switch(scene)
    guide = scene.coach.guide
    assert guide is not None
    person = Person(app, scene)
    follow_until(person, guide, "shelter")
    spot = guide.zone_spot(scene.session.snapshot.zone("dongcun"))
    shelter = scene.map.position_of(scene.session.snapshot, Select("facility", "xiwan-school"))
    assert spot is not None and shelter is not None
    person.click(shelter)  # a shelter takes evacuees once it is open
    person.press_order(lambda it: it == SetShelterOpen("xiwan-school", True))
    person.click(spot)
    person.key(pygame.K_e)  # the evacuate key on the selected village
    if scene.modal:
        person.press_order_in_modal()
    person.frames(2)
    assert guide.step is not None and guide.step.name == "shelter"
    aim = guide.step.aim(guide)
    assert scene.session.snapshot.zone("dongcun").evacuating_to == "xiwan-school"
    assert aim.key == "tutorial.shelter.not_evacuate" and aim.target is not None
    act(person, guide, False, aim.key, aim.click_at)
    person.frames(2)
    assert guide.step is not None and guide.step.name == "ambulance"
    assert scene.session.snapshot.zone("dongcun").sheltering_in_place


def follow_until(person: Person, guide: Guide, name: str) -> None:
    for _ in range(MAX_ACTIONS):
        person.frames(1)
        step = guide.step
        assert step is not None
        aim = step.aim(guide)
        if step.name == name and aim.key.endswith(".press"):
            return
        act(person, guide, step.reading, aim.key, aim.click_at)
    raise AssertionError(f"never reached {name}")


def test_the_tutorial_is_first_in_the_picker_even_though_its_file_sorts_last(app):
    app.switch(PickerScene(app))
    valid = [e for e in app.scene.entries if e.valid]
    assert valid[0].path.name == "tutorial.yaml" and len(valid) > 1
    assert valid[-1].path.name != "tutorial.yaml"
