"""The replay's tips (a timeline mark's text by the pointer) stay on screen and off what is
pointed at, placed as the drill map's tips are.

A drill log with an order at its first minute (the timeline's left end), one and an inject
in its last minutes (its right end; injects hang below the track, by the window's bottom
edge) and the expert's orders between. The pointer is moved onto each mark with motion
events, at 1280×720 and 1024×600, in English and Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
import yaml

from sim import ReportUpward, make_bot, run_headless
from tests.conftest import MINI, mini_with
from tests.ui.conftest import CASES, IDS
from ui.app import App
from ui.replay_frames import Mark
from ui.scenes.replay import ReplayScene

LATE_MESSAGE = {
    "en": "Radio check from the county: every unit reports its status now",
    "zh": "县指挥中心无线电点名：各单位立即报告状态",
}


class ReportsAtBothEnds:
    """The expert bot, and a report up at the first minute and a final one near the end."""

    name = "reports-at-both-ends"

    def __init__(self, scenario) -> None:
        self.expert = make_bot("expert", scenario)
        self.sent: set[float] = set()

    def decide(self, snapshot) -> list:
        commands = list(self.expert.decide(snapshot))
        for at in (0.0, 237.0):
            if snapshot.t_min >= at and at not in self.sent:
                self.sent.add(at)
                commands.append(ReportUpward(to="county", final=at > 0))
        return commands


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    late = {"id": "late", "at_min": 236, "actions": [{"type": "message", "text": LATE_MESSAGE}]}
    loaded = mini_with(injects=[*data["injects"], late])
    path = tmp_path_factory.mktemp("replay-tips") / "both-ends.jsonl"
    run_headless(loaded, 3, ReportsAtBothEnds(loaded.scenario), path)
    return path


@pytest.fixture
def viewer(request, log):
    language, size = request.param
    app = App(language=language, size=size)
    scene = ReplayScene(app, log)
    app.switch(scene)
    frames(app)
    post(app, pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode="")  # pause: it stays put
    while not scene.frames.done:
        frames(app, 1)
    yield scene
    pygame.quit()


def frames(app: App, n: int = 2) -> None:
    for _ in range(n):
        app.step(1 / 60)


def post(app: App, kind: int, **data) -> None:
    pygame.event.post(pygame.event.Event(kind, **data))
    frames(app)


def point_at(scene: ReplayScene, mark: Mark) -> tuple[int, int]:
    """Move the pointer onto ``mark`` (orders stand above the track, injects below it)."""
    bar = scene.bar
    pos = (bar.x_of(mark.t_min), bar.track_y + (12 if mark.kind == "inject" else -10))
    post(scene.app, pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    frames(scene.app)
    return pos


def mark_drawn(scene: ReplayScene, mark: Mark) -> pygame.Rect:
    """Where the timeline draws ``mark`` (an order's stroke above the track, an inject's
    triangle below it), at its hovered size."""
    x, y = scene.bar.x_of(mark.t_min), scene.bar.track_y
    return pygame.Rect(x - 6, y - 18, 13, 38)


def ends_and_middle(scene: ReplayScene) -> dict[str, Mark]:
    marks = scene.marks
    orders = [m for m in marks if m.kind != "inject"]
    injects = [m for m in marks if m.kind == "inject"]
    return {
        "first order (left end)": orders[0],
        "last order (right end)": orders[-1],
        "last inject (right end, bottom edge)": injects[-1],
        "a mark in the middle": marks[len(marks) // 2],
    }


@pytest.mark.parametrize("viewer", CASES, ids=IDS, indirect=True)
def test_a_marks_tip_is_inside_the_window_and_off_the_pointer_and_the_mark(viewer):
    scene = viewer
    window = pygame.Rect((0, 0), scene.app.size)
    picked = ends_and_middle(scene)
    assert picked["first order (left end)"].t_min == 0.0
    assert picked["last inject (right end, bottom edge)"].t_min == 236.0
    problems = []
    for where, mark in picked.items():
        pos = point_at(scene, mark)
        tip = scene.tip_rect
        assert scene.hovered is mark and tip is not None, f"no tip for the {where}"
        pointer = pygame.Rect(pos[0] - 2, pos[1] - 2, 14, 20)  # the arrow's own area
        buttons = [b.rect for b in scene.buttons.actions]
        if not window.contains(tip):
            problems.append(f"{where}: tip {tip} runs off the window {window}")
        if tip.colliderect(pointer):
            problems.append(f"{where}: tip {tip} covers the pointer at {pos}")
        if tip.colliderect(mark_drawn(scene, mark)):
            problems.append(f"{where}: tip {tip} covers the mark pointed at")
        if tip.collidelist(buttons) >= 0:  # the buttons draw over it: its text half hidden
            problems.append(f"{where}: tip {tip} lies under a button")
        if tip.colliderect(scene.panel):
            problems.append(f"{where}: tip {tip} lies on the panel {scene.panel}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewer", CASES, ids=IDS, indirect=True)
def test_a_tip_stands_beside_the_pointer_off_the_maps_furniture_where_there_is_room(viewer):
    """Mid-timeline the tip stands to one side of the pointer (as a tip on the drill map
    does), not centred on it; at 1280 px, where the map's bottom edge has room between the
    legend and scale bar (left) and the wind readout (right), it covers none of them. (At
    1024 px the two sides leave too little room for a tip's line: it covers the least.)"""
    scene = viewer
    middle = min(scene.marks, key=lambda m: abs(m.t_min - scene.bar.end_min / 2))
    pos = point_at(scene, middle)
    tip = scene.tip_rect
    assert tip is not None
    assert tip.left > pos[0] or tip.right < pos[0]
    covered = [name for name, box in scene.map.panels.items() if tip.colliderect(box)]
    if scene.app.size == (1280, 720):
        assert not covered, f"the tip covers the map's {covered}"


@pytest.mark.parametrize("viewer", [CASES[0]], ids=IDS[:1], indirect=True)
def test_the_tip_goes_when_the_pointer_leaves_the_mark(viewer):
    scene = viewer
    point_at(scene, ends_and_middle(scene)["a mark in the middle"])
    assert scene.tip_rect is not None
    away = scene.map.rect.center
    post(scene.app, pygame.MOUSEMOTION, pos=away, rel=(0, 0), buttons=(0, 0, 0))
    assert scene.hovered is None and scene.tip_rect is None
