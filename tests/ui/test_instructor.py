"""The instructor's console at a served drill, driven by mouse and key events.

A server runs in this process (its clock turned by hand: the drill moves only
when a test says), the console is a seat at it, and a second seat, the
trainee's, watches what reaches the trainee.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from sim import read_log
from sim.seats import Seat
from sim.serve import DrillServer
from tests.test_serve import HandClock
from ui.app import App
from ui.remote_session import RemoteSession
from ui.scenes.instructor import InstructorScene


@pytest.fixture
def seats(
    mini, tmp_path: Path
) -> Iterator[tuple[DrillServer, App, InstructorScene, RemoteSession]]:
    server = DrillServer(mini, 3, tmp_path / "served.jsonl", port=0, now=HandClock())
    server.start()
    trainee = RemoteSession(server.address, server.token, "trainee")
    console = RemoteSession(server.address, server.token, "instructor")
    app = App(language="en")
    scene = InstructorScene(app, console)
    app.switch(scene)
    app.step(1 / 60)
    yield server, app, scene, trainee
    trainee.close()
    console.close()
    server.stop()
    pygame.quit()


def click(app: App, pos: tuple[int, int], button: int = 1) -> None:
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    )
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    for _ in range(3):
        app.step(1 / 60)


def button_at(scene: InstructorScene, label: str, row: int = 0) -> tuple[int, int]:
    """The centre of the ``row``-th button showing ``label`` (top to bottom)."""
    found = sorted((b.rect for b in scene.buttons.actions if b.text == label), key=lambda r: r.y)
    return found[row].center


def until(app: App, condition, what: str, limit_s: float = 20.0) -> None:
    """Step frames until the server's answer arrives (not a timing assertion)."""
    end = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < end, f"never happened: {what}"
        app.step(1 / 60)
        time.sleep(0.02)


def trainee_events(trainee: RemoteSession, kind: str) -> list:
    trainee.tick(0.0)
    return [e for e in trainee.drill.events if e.kind == kind]


def test_an_inject_fired_early_from_the_console_reaches_the_trainee(seats) -> None:
    server, app, scene, trainee = seats
    fire_row = [i.id for i in scene.session.loaded.scenario.injects].index("fire")
    click(app, button_at(scene, "Fire", fire_row))
    assert scene.last == ("Done: in the drill and its log", True)
    assert any(i.id == "house-fire" for i in (trainee.tick(0.0), trainee.snapshot)[1].incidents)
    assert "fire" in server.host.drill.injects_fired
    click(app, button_at(scene, "Fire", fire_row))  # a second time: refused, and said why
    assert scene.last == ("the inject has already fired", False)


def test_a_held_inject_stays_unfired_past_its_minute(seats) -> None:
    server, app, scene, _trainee = seats
    crash_row = [i.id for i in scene.session.loaded.scenario.injects].index("crash")
    click(app, button_at(scene, "Hold", crash_row))
    assert "crash" in server.host.drill.injects_held
    with server.lock:
        server.host.drill.advance(15)  # past the inject's minute 10
    assert "crash" not in server.host.drill.incidents


def test_an_incident_opens_where_the_instructor_clicks(seats) -> None:
    _server, app, scene, trainee = seats
    click(app, button_at(scene, "Place on map…"))
    assert scene.placing
    target = scene.map.camera.to_screen(1600.0, 700.0)
    click(app, target)
    until(app, lambda: trainee_events(trainee, "IncidentCreated"), "the incident reached them")
    created = trainee_events(trainee, "IncidentCreated")
    assert created[-1].data["source"] == "instructor"
    data = created[-1].data
    assert abs(data["x"] - 1600.0) < 100 and abs(data["y"] - 700.0) < 100


def test_a_message_reaches_the_trainee_and_a_note_reaches_the_log(seats) -> None:
    server, app, scene, trainee = seats
    scene.entry.set_text("Caller: water in the school yard")
    click(app, button_at(scene, "Send to trainee"))
    messages = trainee_events(trainee, "MessageReceived")
    assert messages and messages[-1].data["en"] == "Caller: water in the school yard"
    scene.entry.set_text("No warning ten minutes after the call")
    click(app, button_at(scene, "Mark this moment"))
    server.stop()
    _, events = read_log(server.log_path)
    notes = [e for e in events if e.kind == "MomentMarked"]
    assert notes[0].data["note"] == "No warning ten minutes after the call"
    issued = [e.data["command"]["issuer"] for e in events if e.kind == "CommandIssued"]
    assert issued == ["instructor", "instructor"]


def test_hold_pauses_the_drill_for_every_seat_until_the_instructor_resumes(seats) -> None:
    server, app, scene, trainee = seats
    click(app, button_at(scene, "Hold drill"))
    until(app, lambda: scene.session.clock["held"], "the server holds the drill")
    assert not server.host.clock.running
    trainee.paused = False  # the trainee cannot lift the instructor's hold
    until(app, lambda: not trainee.tick(0.0) and trainee.clock["paused"] is False, "heard")
    assert server.host.clock.held and trainee.paused
    click(app, button_at(scene, "Resume drill"))
    until(app, lambda: not scene.session.clock["held"], "the drill resumes")
    assert server.host.clock.running
    assert server.host.seated[Seat.TRAINEE] == 1
