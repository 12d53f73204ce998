"""The new-incident alert stands where the critical banner is, inside the window.

The banner moves aside off the map's marks (and is narrower on a small
window); the alert goes under it, lined up with it, not in the middle of the
map where the banner no longer is. A long incident name gets a smaller type
rather than running off the window's edges. Played with key presses and time
only, at 1280×720 and 1024×600, in English and Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
import yaml

from sim import LoadedScenario, load_scenario
from tests.conftest import MINI, mini_with
from tests.ui.conftest import CASES, IDS
from ui import theme
from ui.app import App
from ui.hud import ALERT_PAD_PX
from ui.scenes.drill import DrillScene
from ui.scripted import Person
from ui.tutorial import notices_bottom

ROOT = Path(__file__).resolve().parents[2]


def played(app: App, scenario: Path | LoadedScenario, minutes: float) -> DrillScene:
    """The drill paused with Space at once, then ``minutes`` of it let pass."""
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    person = Person(app, scene)
    person.key(pygame.K_SPACE)
    person.run(minutes)
    person.frames(3)
    return scene


def readable(scene: DrillScene) -> list[str]:
    """What is wrong with the alert as drawn: off the window or the map, on the banner, over
    the room under it where the tutorial's card and the hints go, or its text cut off."""
    alert = scene.alert.rect
    assert alert is not None, "no new-incident alert on screen"
    window = pygame.Rect((0, 0), scene.app.size)
    problems = []
    if not window.contains(alert):
        problems.append(f"alert {alert} runs off the window {window}")
    if not scene.map.rect.contains(alert):
        problems.append(f"alert {alert} runs off the map {scene.map.rect}")
    banner = scene.timeline.banner_rect
    if banner is not None and alert.colliderect(banner):
        problems.append(f"alert {alert} lies on the critical banner {banner}")
    if alert.bottom > notices_bottom(scene):
        problems.append(f"alert {alert} reaches below the notices' room ({notices_bottom(scene)})")
    for line in scene.alert.lines:  # each line within the box's padding
        width = theme.font(scene.alert.size, True).size(line)[0]
        if width > alert.w - 2 * ALERT_PAD_PX[0]:
            problems.append(f"{line!r} ({width} px) is wider than the alert {alert}")
    return problems


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_the_alert_stands_under_the_banner_where_the_banner_went(screen):
    """A minute into the chlorine leak the gas has reached the park's staff (a critical line
    in the banner) and a casualties incident appears (the alert)."""
    scene = played(screen, ROOT / "scenarios" / "chlorine_leak.yaml", 1.5)
    banner = scene.timeline.banner_rect
    alert = scene.alert.rect
    assert banner is not None and alert is not None
    assert not readable(scene)
    assert alert.top >= banner.bottom  # under it ...
    assert banner.left <= alert.centerx <= banner.right  # ... and where it is, not elsewhere
    marks = [m.kind for m in scene.map.layout.marks if alert.colliderect(m.rect)]
    assert not marks, f"the alert hides {marks}"
    if screen.size == (1280, 720):  # room enough to leave every name readable
        names = [name for name, box in scene.map.labels if alert.colliderect(box)]
        assert not names, f"the alert hides {names}"


@pytest.mark.parametrize("screen", [("en", (1024, 600))], ids=["en-1024"], indirect=True)
def test_the_alert_follows_the_banner_to_the_side_it_moved_to(screen):
    """In English at 1024×600 the banner goes right, off the names at the top left; the
    alert goes right with it and leaves those names readable. (At 1280×720 the hospital's
    and gymnasium's names now stand left of their marks, off the road, and the banner
    stays in the middle.)"""
    scene = played(screen, ROOT / "scenarios" / "chlorine_leak.yaml", 1.5)
    banner, alert, map_rect = scene.timeline.banner_rect, scene.alert.rect, scene.map.rect
    assert banner is not None and alert is not None
    assert banner.centerx > map_rect.centerx + 20  # the banner is on the right ...
    assert alert.right == banner.right  # ... and the alert lined up under its right edge
    top_left = [box for name, box in scene.map.labels if box.centerx < map_rect.centerx]
    assert top_left and alert.collidelist(top_left) < 0


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_with_no_banner_the_alert_keeps_off_the_marks_at_the_top_of_the_map(screen):
    """Ten minutes into the mini drill a crash is injected, no critical line waits: the
    alert goes along the map's top edge where it hides no unit, incident or facility."""
    scene = played(screen, MINI, 10.5)
    assert scene.timeline.banner_rect is None
    alert = scene.alert.rect
    assert alert is not None and not readable(scene)
    assert alert.top < scene.map.rect.y + 10  # at the top edge, nothing above it to go under
    marks = [m.kind for m in scene.map.layout.marks if alert.colliderect(m.rect)]
    assert not marks, f"the alert hides {marks}"


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_a_long_incident_name_stays_inside_the_window(screen):
    """The tutorial's casualties on Waterworks Lane have a long name in English (wider than
    the map at 1024 px in the alert's usual type): it is set smaller, inside the window, the
    guide's card and the hints below it."""
    scene = played(screen, ROOT / "scenarios" / "tutorial.yaml", 8.5)
    assert scene.alert.rect is not None
    assert not readable(scene)
    guide = scene.coach.guide
    covered = [r for r in [guide.card] if guide is not None and guide.active]
    covered += [r for r, _ in scene.coach.hints.boxes]
    assert scene.alert.rect.collidelist(covered) < 0


def test_the_alert_goes_when_its_time_is_up(app):
    scene = played(app, ROOT / "scenarios" / "chlorine_leak.yaml", 1.5)
    assert scene.alert.rect is not None
    Person(app, scene).frames(7 * 60)  # seven seconds of frames, the drill still paused
    assert scene.alert.rect is None


LONG_EAST = {
    "en": "East Village, the Old Ferry Landing and the Riverside Industrial Estate beyond it",
    "zh": "东村、老渡口码头及其以东的滨江工业园区和沿江物流仓储基地以及渔港新村安置小区一带",
}


@pytest.mark.parametrize("screen", CASES, ids=IDS, indirect=True)
def test_a_name_too_long_for_one_line_takes_two_inside_the_window(screen):
    """An instructor's scenario with a very long village name: the crash near it is
    announced on two lines rather than cut off, above the room the tutorial's card uses."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["zones"][1]["name"] = LONG_EAST
    scene = played(screen, mini_with(zones=data["zones"]), 10.5)
    assert scene.alert.rect is not None
    assert not readable(scene)
    if screen.size == (1024, 600):
        assert len(scene.alert.lines) == 2
    words = "".join(scene.alert.lines).replace(" ", "")
    assert words == scene.alert.text.replace(" ", "")  # nothing of the name left out
