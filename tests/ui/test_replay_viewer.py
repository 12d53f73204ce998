"""The replay viewer, driven by posted mouse and key events: it shows the logged drill, scrubs
back and forth, plays at its speeds, marks orders and injects, and hands a branch of the drill
to the command screen."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

import game
from sim import make_bot, read_log, run_headless, verify_log
from sim.branch import check_branch, open_parent
from ui.replay_frames import _along
from ui.scenes.drill import DrillScene
from ui.scenes.replay import ReplayScene
from ui.scripted import Person


@pytest.fixture
def parent_log(tmp_path: Path, mini) -> Path:
    path = tmp_path / "expert.jsonl"
    run_headless(mini, 3, make_bot("expert", mini.scenario), path)
    return path


@pytest.fixture
def viewer(app, parent_log) -> ReplayScene:
    scene = ReplayScene(app, parent_log)
    app.switch(scene)
    return scene


def frames(app, n: int = 2, dt_s: float = 1 / 60) -> None:
    for _ in range(n):
        app.step(dt_s)


def post(app, kind: int, **data) -> None:
    pygame.event.post(pygame.event.Event(kind, **data))
    frames(app)


def click(app, pos: tuple[int, int]) -> None:
    post(app, pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    post(app, pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
    post(app, pygame.MOUSEBUTTONUP, pos=pos, button=1)
    frames(app)


def key(app, code: int) -> None:
    post(app, pygame.KEYDOWN, key=code, mod=0, unicode="")


def press(app, scene, label: str) -> None:
    button = next(b for b in scene.buttons.actions if b.text == label)
    assert button.is_enabled, f"{label!r} is disabled"
    click(app, button.rect.center)


def computed(app, scene: ReplayScene) -> None:
    key(app, pygame.K_SPACE)  # pause, so the playhead stays where the test puts it
    while not scene.frames.done:
        frames(app, 1)


def test_the_viewer_recomputes_the_drill_and_finds_it_is_the_logged_one(app, viewer):
    assert not viewer.frames.done  # it opens at once and computes while it is on screen
    computed(app, viewer)
    assert viewer.frames.diverged_at is None
    assert viewer.frames.times[-1] == viewer.frames.last_min == 240.0
    assert len(viewer.frames.times) == 241  # a picture every minute
    assert viewer.frames.at(240.0).finished


def test_scrubbing_back_along_the_timeline_shows_that_minute_and_its_feed(app, viewer):
    computed(app, viewer)
    bar = viewer.bar
    start, end = bar.x_of(200.0), bar.x_of(50.0)
    post(app, pygame.MOUSEMOTION, pos=(start, bar.track_y), rel=(0, 0), buttons=(0, 0, 0))
    post(app, pygame.MOUSEBUTTONDOWN, pos=(start, bar.track_y), button=1)
    assert viewer.now_min == pytest.approx(200.0, abs=0.5)
    lines_at_200 = len(viewer.feed.lines)
    for x in range(start, end - 1, -40):
        post(app, pygame.MOUSEMOTION, pos=(x, bar.track_y), rel=(-40, 0), buttons=(1, 0, 0))
    post(app, pygame.MOUSEMOTION, pos=(end, bar.track_y), rel=(-1, 0), buttons=(1, 0, 0))
    post(app, pygame.MOUSEBUTTONUP, pos=(end, bar.track_y), button=1)
    assert viewer.now_min == pytest.approx(50.0, abs=0.5)
    snap = viewer.frames.at(viewer.now_min)
    assert snap.t_min == pytest.approx(viewer.now_min)
    shown = [line.t_min for line in viewer.feed.lines]
    assert shown and max(shown) <= viewer.now_min  # nothing from after the playhead
    assert len(shown) < lines_at_200


def test_orders_and_injects_are_marks_and_a_click_on_one_goes_there(app, viewer, parent_log):
    _, events = read_log(parent_log)
    orders = [e for e in events if e.kind == "CommandIssued"]
    injects = [e for e in events if e.kind == "InjectFired"]
    kinds = [m.kind for m in viewer.marks]
    assert kinds.count("order") + kinds.count("refused") == len(orders)
    assert kinds.count("inject") == len(injects) > 0
    computed(app, viewer)
    inject = next(m for m in viewer.marks if m.kind == "inject")
    click(app, (viewer.bar.x_of(inject.t_min), viewer.bar.track_y + 10))
    assert viewer.now_min == inject.t_min
    said = "09:10 inject: New incident: casualties near East Village (5 people)"  # on a road
    assert viewer.mark_text(inject) == said


def test_play_runs_sim_time_at_the_chosen_speed_and_space_pauses(app, viewer):
    computed(app, viewer)
    assert viewer.paused
    press(app, viewer, "10×")
    assert not viewer.paused and viewer.speed == 10
    before = viewer.now_min
    frames(app, 6, dt_s=0.5)  # 3 wall seconds at 10× = 0.5 sim-minutes
    assert viewer.now_min - before == pytest.approx(0.5 + 5 / 60 * 10 / 60, abs=0.05)
    key(app, pygame.K_SPACE)
    paused_at = viewer.now_min
    frames(app, 4, dt_s=0.5)
    assert viewer.paused and viewer.now_min == paused_at
    key(app, pygame.K_4)  # 300×
    frames(app, 2, dt_s=0.5)
    assert viewer.now_min - paused_at > 4.9


def test_taking_command_rebuilds_the_drill_there_and_logs_a_branch(app, viewer, parent_log):
    computed(app, viewer)
    key(app, pygame.K_HOME)
    for _ in range(12):
        key(app, pygame.K_RIGHT)  # minute by minute to T+12
    assert viewer.take_minute == 12.0
    press(app, viewer, "Take command from 09:12")
    while isinstance(app.scene, ReplayScene):
        frames(app, 1)
    drill_scene = app.scene
    assert isinstance(drill_scene, DrillScene)
    session = drill_scene.session
    assert session.drill.now == 12.0 and session.paused
    assert drill_scene.session.snapshot.people == viewer.frames.at(12.0).people
    person = Person(app, drill_scene)
    person.press("III", exact=True)  # the command bar: response level III
    given = person.issued()[-1]
    assert given["command"]["issuer"] == "commander" and given["accepted"]
    person.run(5.0)
    session.abort()
    log = session.log_path
    assert check_branch(log, parent_log).ok
    assert verify_log(log).identical
    header, events = read_log(log)
    assert header["branch"]["parent"] == parent_log.name and header["branch"]["at_min"] == 12.0
    mine = [e.data["command"] for e in events if e.kind == "CommandIssued" and e.t_min >= 12.0]
    assert mine[0] == {"issuer": "commander", "type": "set_response_level", "level": "III"}


def test_a_log_this_engine_replays_differently_is_said_to_differ(app, parent_log, tmp_path):
    lines = parent_log.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if '"StateSampled"' in line and i > 20)
    record = json.loads(lines[number])
    record["unmet_need_person_h"] = 12345.0  # not what this engine computes
    lines[number] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    edited = tmp_path / "edited.jsonl"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scene = ReplayScene(app, open_parent(edited))
    app.switch(scene)
    computed(app, scene)
    assert scene.frames.diverged_at == number + 1


def test_units_between_two_pictures_move_along_their_route():
    route = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)]  # an L-shaped road
    assert _along(route, (100.0, 100.0), 0.5) == pytest.approx((100.0, 0.0))
    assert _along(route, (100.0, 50.0), 0.5) == pytest.approx((75.0, 0.0))
    assert _along(route, (0.0, 80.0), 0.5) == pytest.approx((0.0, 40.0))  # off the route


def test_game_replay_with_a_log_that_is_not_one_says_so_in_one_line(tmp_path, capsys):
    bad = tmp_path / "notes.jsonl"
    bad.write_text("hello\n", encoding="utf-8")
    assert game.main(["--replay", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(bad)) and "\n" not in err
