"""A served drill: seats join with a token, each seat's role is checked, the log replays.

The server runs in this process on a free localhost port with a clock the
test turns by hand (wall seconds handed to it), so the drill moves only when
a test says so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sim import (
    DelayReinforcement,
    Drill,
    FireInject,
    HoldInject,
    IssueWarning,
    LoseRoad,
    MarkMoment,
    OpenRoad,
    Reason,
    Role,
    SendMessage,
    StartIncident,
    read_log,
    verify_log,
)
from sim.commands import Channel, WarningLevel
from sim.seats import Seat
from sim.serve import DrillServer
from tests.conftest import ROOT
from ui.net import JoinRefused, SeatLink
from ui.remote_session import RemoteSession


class HandClock:
    """Wall time that moves only when the test turns it."""

    def __init__(self) -> None:
        self.s = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            return self.s

    def turn(self, seconds: float) -> None:
        with self.lock:
            self.s += seconds


def until(condition: Callable[[], bool], what: str, limit_s: float = 30.0) -> None:
    """Wait for something the server does on its own threads (not a timing assertion)."""
    end = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < end, f"never happened: {what}"
        time.sleep(0.02)


@pytest.fixture
def served(mini, tmp_path: Path) -> Iterator[tuple[DrillServer, HandClock]]:
    clock = HandClock()
    server = DrillServer(mini, 3, tmp_path / "served.jsonl", port=0, now=clock)
    server.start()
    yield server, clock
    server.stop()


def run_to(server: DrillServer, clock: HandClock, minute: float) -> None:
    """Turn the hand clock until the served drill reaches ``minute`` (at 60x)."""
    with server.lock:
        server.host.set_clock(Seat.INSTRUCTOR, 5, None)
    while server.host.drill.now < minute:
        clock.turn(1.0)
        time.sleep(0.06)


def _sees(seat: RemoteSession, incident: str) -> bool:
    seat.tick(0.0)
    return any(i.id == incident for i in seat.snapshot.incidents)


def test_instructors_inject_reaches_the_trainees_picture_and_the_log_as_the_instructors(
    served,
) -> None:
    server, clock = served
    trainee = RemoteSession(server.address, server.token, "trainee")
    instructor = RemoteSession(server.address, server.token, "instructor")
    run_to(server, clock, 2.0)
    result = instructor.submit(FireInject(inject="fire"))
    assert result.accepted
    until(lambda: _sees(trainee, "house-fire"), "the fire shows on the trainee's map")
    trainee.close()
    instructor.close()
    server.stop()
    _, events = read_log(server.log_path)
    fired = [e for e in events if e.kind == "CommandIssued"]
    assert fired[0].data["command"]["issuer"] == "instructor"
    assert fired[0].data["accepted"] is True
    assert any(e.kind == "InjectFired" and e.data["source"] == "instructor" for e in events)
    assert verify_log(server.log_path).identical


def test_a_trainee_seat_cannot_fire_an_inject_even_claiming_to_be_the_instructor(served) -> None:
    server, _ = served
    trainee = RemoteSession(server.address, server.token, "trainee")
    forged = FireInject(inject="fire", issuer=Role.INSTRUCTOR)
    result = trainee.submit(forged)
    assert not result.accepted and result.reason == Reason.NOT_INSTRUCTOR
    trainee.close()
    server.stop()
    _, events = read_log(server.log_path)
    issued = [e for e in events if e.kind == "CommandIssued"]
    assert issued[0].data["command"]["issuer"] == "commander"
    assert issued[0].data["accepted"] is False
    assert not any(e.kind == "InjectFired" for e in events)


def test_an_observer_issues_nothing_and_the_instructor_does_not_command_units(served) -> None:
    server, _ = served
    observer = RemoteSession(server.address, server.token, "observer")
    instructor = RemoteSession(server.address, server.token, "instructor")
    warn = IssueWarning(zone="west", level=WarningLevel.BLUE, channel=Channel.BROADCAST)
    assert observer.submit(warn).params == {"refused": "seat_cannot_command"}
    assert observer.submit(FireInject(inject="fire")).params == {"refused": "seat_cannot_command"}
    assert instructor.submit(warn).params == {"refused": "not_this_seats_order"}
    assert server.host.drill.events == [] or not any(
        e.kind == "CommandIssued" for e in server.host.drill.events
    )


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_connection_without_the_token_is_refused(served, token: str) -> None:
    server, _ = served
    with pytest.raises(JoinRefused, match="bad_token"):
        SeatLink(server.address, token, "trainee")
    assert not server.host.seated.get(Seat.TRAINEE)


def test_a_second_trainee_seat_is_refused_while_the_first_is_seated(served) -> None:
    server, _ = served
    first = RemoteSession(server.address, server.token, "trainee")
    with pytest.raises(JoinRefused, match="seat_taken"):
        RemoteSession(server.address, server.token, "trainee")
    first.close()


TRAINEE_CLIENT = textwrap.dedent(
    """
    import sys, time
    from sim import IssueWarning
    from sim.commands import Channel, WarningLevel
    from ui.remote_session import RemoteSession
    seat = RemoteSession(sys.argv[1], sys.argv[2], "trainee")
    warn = IssueWarning(zone="west", level=WarningLevel.RED, channel=Channel.BROADCAST)
    print("accepted" if seat.submit(warn).accepted else "refused", flush=True)
    time.sleep(600)
    """
)


def test_killing_the_trainees_client_pauses_the_drill_and_a_rejoin_loses_nothing(served) -> None:
    server, clock = served
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    client = subprocess.Popen(
        [sys.executable, "-c", TRAINEE_CLIENT, server.address, server.token],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert client.stdout is not None
        assert client.stdout.readline().strip() == "accepted"
        run_to(server, clock, 3.0)
        client.send_signal(signal.SIGKILL)
        client.wait()
    finally:
        if client.poll() is None:
            client.kill()
    until(lambda: not server.host.clock.trainee_seated, "the server sees the seat empty")
    stopped_at = server.host.drill.now
    for _ in range(5):
        clock.turn(10.0)  # ten minutes of wall time at 60x: the drill must not move
        time.sleep(0.06)
    assert server.host.drill.now == stopped_at
    again = RemoteSession(server.address, server.token, "trainee")
    assert again.drill.now == stopped_at
    assert len(again.drill.events) == len(server.host.drill.events)
    assert again.snapshot.zone("west").warning == "red"
    run_to(server, clock, stopped_at + 1.0)  # seated again: the drill runs on
    again.close()


# -- the instructor's commands at the engine's door ---------------------------------


def _drill(mini) -> Drill:
    return Drill(mini, 3)


def test_a_held_inject_does_not_fire_on_time_but_fires_when_the_instructor_says(mini) -> None:
    drill = _drill(mini)
    assert drill.submit(HoldInject(inject="crash", issuer=Role.INSTRUCTOR)).accepted
    drill.advance(20)
    assert "crash" not in drill.incidents
    assert drill.submit(FireInject(inject="crash", issuer=Role.INSTRUCTOR)).accepted
    assert "crash" in drill.incidents


def test_the_instructor_opens_an_incident_where_they_click(mini) -> None:
    drill = _drill(mini)
    command = StartIncident(incident="trapped", x_m=1600, y_m=700, people=3, issuer=Role.INSTRUCTOR)
    assert drill.submit(command).accepted
    created = [e for e in drill.events if e.kind == "IncidentCreated"]
    assert created and created[-1].data["source"] == "instructor"
    outside = StartIncident(incident="trapped", x_m=9e6, y_m=700, issuer=Role.INSTRUCTOR)
    assert drill.submit(outside).reason == Reason.OUTSIDE_MAP


def test_a_road_the_instructor_takes_away_the_trainee_cannot_reopen(mini) -> None:
    drill = _drill(mini)
    road = next(r.id for r in mini.scenario.roads)
    assert drill.submit(LoseRoad(road=road, issuer=Role.INSTRUCTOR)).accepted
    assert any(e.kind == "RoadClosed" and e.data["road"] == road for e in drill.events)
    assert drill.submit(OpenRoad(road=road)).reason == Reason.ROAD_NOT_CLOSED_BY_COMMAND


def test_messages_notes_and_delays_are_the_instructors_alone(mini) -> None:
    drill = _drill(mini)
    for command in (
        SendMessage(text="Caller reports water in the school"),
        MarkMoment(note="Trainee ignored the first call"),
        HoldInject(inject="crash"),
        LoseRoad(road=next(r.id for r in mini.scenario.roads)),
    ):
        assert drill.submit(command).reason == Reason.NOT_INSTRUCTOR
    assert drill.submit(SendMessage(text="水厂来电", issuer=Role.INSTRUCTOR)).accepted
    assert drill.submit(MarkMoment(note="未及时预警", issuer=Role.INSTRUCTOR)).accepted
    kinds = [e.kind for e in drill.events]
    assert "MessageReceived" in kinds and "MomentMarked" in kinds
    delay = DelayReinforcement(reinforcement="boats", extra_delay_min=30, issuer=Role.INSTRUCTOR)
    assert drill.submit(delay).accepted
    assert drill.reinforcement_extra_min["boats"] == 30


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Instructor&#x27;s notes"), ("zh-CN", "导调员批注")]
)
def test_a_marked_moment_appears_in_the_after_action_report(
    mini, tmp_path: Path, lang: str, title: str
) -> None:
    from analysis.drilldata import load_drill
    from analysis.i18n import translator
    from analysis.report import instructor_notes
    from sim import DrillLogWriter, make_header

    path = tmp_path / "noted.jsonl"
    writer = DrillLogWriter(path, make_header(mini, 3))
    drill = Drill(mini, 3, listeners=[writer.write])
    drill.advance(12)
    drill.submit(MarkMoment(note="No warning 12 min after the call", issuer=Role.INSTRUCTOR))
    drill.finish(aborted=True)
    writer.close()
    html = instructor_notes(load_drill(path), translator(lang))
    assert title in html and "No warning 12 min after the call" in html and "09:12" in html


def test_sim_serve_prints_a_token_refuses_without_it_and_its_log_verifies(tmp_path: Path) -> None:
    from sim.cli import main as sim_main
    from tests.conftest import MINI

    log = tmp_path / "served.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path / "data")}
    command = [sys.executable, "-m", "sim", "serve", str(MINI), "--port", "0", "--log", str(log)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        address = lines[1].split()[2]
        token = lines[2].split()[2]
        with pytest.raises(JoinRefused, match="bad_token"):
            SeatLink(address, "", "trainee")
        instructor = RemoteSession(address, token, "instructor")
        trainee = RemoteSession(address, token, "trainee")
        assert instructor.submit(FireInject(inject="crash")).accepted
        until(lambda: _sees(trainee, "crash"), "the crash shows on the trainee's map")
        trainee.close()
        instructor.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    _, events = read_log(log)
    assert events[-1].kind == "DrillAborted"
    assert sim_main(["replay", "--verify", str(log)]) == 0
