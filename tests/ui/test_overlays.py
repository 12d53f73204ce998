"""What the drill screen lays over its map hides neither itself nor what it talks about.

The critical banner and the new-incident alert under it hold the top of the
map; the hint chip sits by the scale bar; the hints and the tutorial's card
go where they cover least. At 1280×720 and 1024×600, in both languages, none
of them may lie on another or reach into the room of the alert, and the
tutorial's first card leaves readable the leak and the village it points
the trainee to.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from sim import load_scenario
from tests.ui.conftest import CASES, IDS
from tools.screenshots import first_orders, run_drill
from ui import input as intents
from ui.app import App
from ui.scenes.drill import DrillScene
from ui.scripted import Person
from ui.tutorial import notices_bottom

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def drill(app: App, name: str) -> tuple[DrillScene, Person]:
    loaded = load_scenario(SCENARIOS / f"{name}.yaml")
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    scene.session.paused = True
    person = Person(app, scene)
    person.frames(3)
    return scene, person


def zone_label(scene: DrillScene, zone_id: str) -> pygame.Rect:
    zone = scene.session.snapshot.zone(zone_id)
    name = scene.t.pick(zone.name_en, zone.name_zh)
    return next(rect for label, rect in scene.map.labels if label == name)


def overlay_problems(scene: DrillScene) -> list[str]:
    """Overlays on one another, off the map, or in the top notices' room."""
    coach, timeline = scene.coach, scene.timeline
    boxes = [("hint chip", coach.hints.chip)]
    boxes += [(f"hint {hint.about}", rect) for rect, hint in coach.hints.boxes]
    guide = coach.guide
    if guide is not None and guide.active:
        boxes.append(("guide card", guide.card))
    problems = []
    top = notices_bottom(scene)
    for name, box in boxes:
        if box.top < top:
            problems.append(f"{name} {box} reaches into the top notices (down to y={top})")
        if not scene.map.rect.contains(box):
            problems.append(f"{name} {box} is not inside the map {scene.map.rect}")
    if timeline.banner_rect is not None:
        boxes.append(("critical banner", timeline.banner_rect))
    for i, (a, box_a) in enumerate(boxes):
        problems += [
            f"{a} {box_a} on {b} {box_b}" for b, box_b in boxes[i + 1 :] if box_a.colliderect(box_b)
        ]
    return problems


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_tutorials_first_card_leaves_the_leak_and_the_village_readable(screen):
    scene, _ = drill(screen, "tutorial")
    guide = scene.coach.guide
    assert guide is not None and guide.step is not None and guide.step.name == "welcome"
    source = scene.map.position_of(
        scene.session.snapshot, intents.Select("facility", "chlorine-room")
    )
    assert source is not None
    assert not guide.card.collidepoint(source), "the card hides the leak (yellow triangle)"
    assert not guide.card.colliderect(zone_label(scene, "dongcun")), "the card hides Dongcun"
    if screen.size == (1280, 720):  # room enough for every zone's name
        zones = scene.session.snapshot.zones
        covered = [z.id for z in zones if guide.card.colliderect(zone_label(scene, z.id))]
        assert not covered


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_click_here_tag_leaves_the_villages_name_readable(screen):
    scene, person = drill(screen, "tutorial")
    guide = scene.coach.guide
    assert guide is not None
    guide.next()  # past the welcome
    scene.session.paused = False
    person.run(6)  # the leak is reported
    leak = guide.leak()
    assert leak is not None
    scene.act(intents.Dispatch("hazmat_team-1", leak.id))
    person.frames(3)
    assert guide.step is not None and guide.step.name == "warn"
    aim = guide.step.aim(guide)
    assert aim.key == "tutorial.aim.click_zone" and aim.spot is not None
    tag = guide.targets[-1]
    label = zone_label(scene, "dongcun")
    assert not tag.colliderect(label) and not label.collidepoint(aim.spot)


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_tutorials_overlays_do_not_hide_one_another(screen):
    scene, person = drill(screen, "tutorial")
    assert not overlay_problems(scene)
    scene.session.paused = False
    person.run(40)  # the gas reaches Dongcun: a critical line waits, hints pile up
    scene.session.paused = True
    person.frames(3)
    assert scene.timeline.banner_rect is not None and scene.coach.hints.boxes
    assert not overlay_problems(scene)



def play_with_orders(app, scene, then_min: float) -> None:
    """Half an hour of the drill, the first orders (as tools/screenshots.py gives them),
    ``then_min`` more, paused."""
    scene.session.paused = False  # run_drill waits on the clock
    run_drill(app, scene, 30.0)
    first_orders(scene)
    run_drill(app, scene, then_min)
    scene.session.paused = True

@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_tutorials_overlays_leave_room_after_a_few_orders(screen):
    """Half an hour in, a few orders given (as tools/screenshots.py plays it): a crowded
    screen, where fewer hints are shown rather than one laid on the card."""
    scene, person = drill(screen, "tutorial")
    play_with_orders(screen, scene, then_min=10.0)
    person.frames(3)
    guide = scene.coach.guide
    assert guide is not None and guide.active and scene.coach.hints.boxes
    assert not overlay_problems(scene)
    assert not [r for r, _ in scene.coach.hints.boxes if r.collidelist(guide.targets) >= 0]


def test_the_typhoons_banner_chip_and_hints_do_not_hide_one_another(app):
    """Two hours into the typhoon (a stack of critical lines, hints switched on), seen in
    each language at each size."""
    scene, person = drill(app, "typhoon_cascade")
    play_with_orders(app, scene, then_min=90.0)
    person.key(pygame.K_F8)  # hints on
    problems = []
    for language, size in CASES:
        app.set_language(language)
        app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1]))
        person.frames(40)
        assert len(scene.timeline.pending()) > 1 and scene.coach.hints.boxes
        problems += [f"{language} {size}: {p}" for p in overlay_problems(scene)]
    assert not problems, "\n".join(problems)
