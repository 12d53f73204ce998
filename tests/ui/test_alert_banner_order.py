"""The critical banner shows the newest line waiting, and keeps the map's names readable.

Two hours into the typhoon drill with no orders given, three critical lines
wait: water reached Riverside Town (21:00), its levee breached (21:14), and
deaths there (21:59), and a new incident's alert has just come up. The banner
shows the newest line (the one that can still change the next order; the
older ones are counted in its stack); a click on it acknowledges what it
showed and the next newest comes up. The banner and the alert beside or under
it hide no facility's or zone's name and no mark: an outside instructor saw
the oldest line on top, 83 minutes old, with the two notices stacked over a
hospital's and a town's names (the banner placed itself without counting the
alert that goes with it). Played with key presses, clicks and frames only.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from sim import load_scenario
from ui.app import App
from ui.scenes.drill import DrillScene
from ui.scripted import Person

TYPHOON = Path(__file__).resolve().parents[2] / "scenarios" / "typhoon_cascade.yaml"


def played(app: App, minutes: float) -> tuple[DrillScene, Person]:
    loaded = load_scenario(TYPHOON)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    person = Person(app, scene)
    person.key(pygame.K_SPACE)  # paused: only the person's waiting lets time pass
    person.run(minutes)
    person.frames(3)
    return scene, person


def banner_words(scene: DrillScene) -> str:
    return " ".join(label.text for label in scene.timeline.banner_labels)


def newest_waiting(scene: DrillScene) -> list[str]:
    """The critical lines not yet acknowledged, newest first, read off the event log."""
    acknowledged = scene.timeline.acknowledged
    lines = [w for w in scene.feed.lines if w.critical and w.key not in acknowledged]
    return [w.text for w in sorted(lines, key=lambda w: w.t_min, reverse=True)]


def hidden(scene: DrillScene) -> list[str]:
    """The names and marks the banner's stack or the new-incident alert lies on."""
    boxes = [r for r in (scene.timeline.banner_rect, scene.alert.rect) if r is not None]
    names = [n for n, r in scene.map.labels if r.collidelist(boxes) >= 0]
    marks = [m.kind for m in scene.map.layout.marks if m.rect.collidelist(boxes) >= 0]
    return names + marks


@pytest.mark.parametrize("screen", [("zh-CN", (1280, 720)), ("en", (1280, 720))], indirect=True)
def test_the_banner_shows_the_newest_line_and_hides_no_name(screen):
    scene, person = played(screen, 120)
    waiting = newest_waiting(scene)
    assert len(waiting) >= 3 and scene.alert.rect is not None
    shown = banner_words(scene)
    assert waiting[0] in shown, f"the banner shows {shown!r}, not the newest {waiting[0]!r}"
    assert not any(older in shown for older in waiting[1:])
    assert not hidden(scene), f"the banner or the alert hides {hidden(scene)}"
    map_top = scene.map.rect.y
    assert scene.timeline.banner_rect.top < map_top + 12  # still on the map's top edge

    person.click(scene.timeline.banner_rect.center)  # acknowledges what it showed ...
    assert newest_waiting(scene) == waiting[1:]
    assert waiting[1] in banner_words(scene)  # ... and the next newest comes up
    person.key(pygame.K_RETURN)
    assert newest_waiting(scene) == waiting[2:]
    assert waiting[2] in banner_words(scene)
    assert not hidden(scene), f"the banner or the alert hides {hidden(scene)}"


@pytest.mark.parametrize("screen", [("zh-CN", (1280, 720))], indirect=True)
def test_a_click_acknowledges_the_line_read_not_one_that_came_in_since(screen):
    """A critical line that arrives between the frame the commander read and the click is
    not acknowledged unread: the click takes the line the banner showed."""
    scene, person = played(screen, 65)  # water has reached the town; the levee still holds
    read = newest_waiting(scene)
    assert len(read) == 1 and read[0] in banner_words(scene)
    box = scene.timeline.banner_rect
    scene.session.paused = False
    while len(newest_waiting(scene)) == 1:  # the levee breaks: the feed takes it in ...
        scene.session.target_min = scene.session.drill.now + 1.0
        scene.session.tick(0.0, budget_s=10.0)
        scene.update(0.0)
    scene.session.paused = True
    arrived = newest_waiting(scene)[0]
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=box.center, button=1))
    assert newest_waiting(scene) == [arrived]  # ... before the banner was drawn again
    person.frames(2)
    assert arrived in banner_words(scene)
