"""Seats: who may join a served drill, and what each seat may order.

A served drill (:mod:`sim.serve`) has seats: one trainee (the incident
commander), one instructor, any number of observers. A seat's role is fixed
when it joins and checked on every command: the seat stamps its own issuer on
the command (whatever the client wrote), an observer issues nothing, and the
instructor issues only the instructor's commands (injects, wind, messages,
notes: :data:`sim.commands.INSTRUCTOR_ONLY`). A trainee's command goes to the
engine's door as the commander's, so an inject from the trainee's seat is
refused by the engine and logged as refused.

:class:`DrillHost` is the served drill without the network: the engine, its
log, the seats and the drill's clock (wall seconds × speed, paused by the
instructor or while no trainee is seated). The clock is advanced by whoever
owns wall time (:mod:`sim.serve`, or a test), so the engine still never reads
the wall clock.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sim.commands import INSTRUCTOR_ONLY, Command, CommandResult, Role, command_to_json
from sim.engine import Drill

SPEEDS = (1, 2, 5, 15, 30, 60, 120)  # as the game offers them (ui.session)
MAX_SLICE_MIN = 0.5  # the engine advances in slices this long, so commands get in between
MAX_LAG_MIN = 2.0  # sim time the engine could not catch up is dropped beyond this


class Seat(StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    OBSERVER = "observer"


ISSUER = {Seat.TRAINEE: Role.COMMANDER, Seat.INSTRUCTOR: Role.INSTRUCTOR}
SINGLE = (Seat.TRAINEE, Seat.INSTRUCTOR)  # one of each at a time; observers are many


class Refusal(StrEnum):
    """Why the server turned a request away before it reached the engine."""

    BAD_TOKEN = "bad_token"
    BAD_ROLE = "bad_role"
    SEAT_TAKEN = "seat_taken"
    SEAT_CANNOT_COMMAND = "seat_cannot_command"  # an observer
    NOT_THIS_SEATS_ORDER = "not_this_seats_order"  # the instructor ordering the trainee's units
    BAD_COMMAND = "bad_command"


def token_matches(given: str | None, token: str) -> bool:
    """Compare a join token in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def seat_check(seat: Seat, command: Command) -> Refusal | None:
    """None if ``seat`` may send ``command`` to the engine's door; else why not."""
    if seat == Seat.OBSERVER:
        return Refusal.SEAT_CANNOT_COMMAND
    if seat == Seat.INSTRUCTOR and not isinstance(command, INSTRUCTOR_ONLY):
        return Refusal.NOT_THIS_SEATS_ORDER
    return None


def stamped(seat: Seat, command: Command) -> Command:
    """``command`` with its issuer set by the seat (a client cannot claim another role)."""
    return command.model_copy(update={"issuer": ISSUER[seat]})


@dataclass
class Clock:
    """The drill's clock: sim minutes owed to the engine at ``speed``; paused by the
    instructor (``held``), by the trainee (``paused``) or while no trainee is seated."""

    speed_index: int = 0
    paused: bool = False
    held: bool = False
    trainee_seated: bool = False
    target_min: float = 0.0

    @property
    def speed(self) -> int:
        return SPEEDS[self.speed_index]

    @property
    def running(self) -> bool:
        return self.trainee_seated and not self.paused and not self.held


@dataclass
class DrillHost:
    """A served drill without the network: the engine, its seats and its clock."""

    drill: Drill
    header: dict[str, Any]
    clock: Clock = field(default_factory=Clock)
    commands: list[dict[str, Any]] = field(default_factory=list)
    seated: dict[Seat, int] = field(default_factory=dict)

    def join(self, seat: Seat) -> Refusal | None:
        """Take a seat; None if taken, else why not (a second trainee or instructor)."""
        if seat in SINGLE and self.seated.get(seat, 0):
            return Refusal.SEAT_TAKEN
        self.seated[seat] = self.seated.get(seat, 0) + 1
        self.clock.trainee_seated = bool(self.seated.get(Seat.TRAINEE, 0))
        return None

    def leave(self, seat: Seat) -> None:
        """A seat dropped or left; the clock stops while the trainee's seat is empty."""
        self.seated[seat] = max(0, self.seated.get(seat, 0) - 1)
        self.clock.trainee_seated = bool(self.seated.get(Seat.TRAINEE, 0))

    def submit(self, seat: Seat, command: Command) -> tuple[dict[str, Any] | None, Any]:
        """Pass ``command`` from ``seat`` through the engine's door now.

        Returns (the record every seat's mirror applies, or None if the seat
        may not send it; the engine's :class:`CommandResult` or a
        :class:`Refusal`).
        """
        refusal = seat_check(seat, command)
        if refusal is not None:
            return None, refusal
        command = stamped(seat, command)
        result: CommandResult = self.drill.submit(command)
        record = {
            "t": self.drill.now,
            "command": command_to_json(command),
            "accepted": result.accepted,
            "reason": result.reason.value if result.reason else None,
            "seat": seat.value,
        }
        self.commands.append(record)
        return record, result

    def set_clock(self, seat: Seat, speed_index: int | None, paused: bool | None) -> bool:
        """Speed or pause from a seat: the trainee sets speed and pause, the instructor
        speed and hold (a hold only the instructor lifts). False if the seat may not."""
        if seat == Seat.OBSERVER:
            return False
        if speed_index is not None:
            self.clock.speed_index = max(0, min(len(SPEEDS) - 1, int(speed_index)))
        if paused is not None:
            if seat == Seat.INSTRUCTOR:
                self.clock.held = bool(paused)
            else:
                self.clock.paused = bool(paused)
        return True

    def owe(self, dt_s: float) -> None:
        """``dt_s`` wall seconds passed: owe the engine that much sim time at the speed."""
        drill, clock = self.drill, self.clock
        if not clock.running or drill.finished:
            clock.target_min = drill.now
            return
        target = max(clock.target_min, drill.now) + dt_s * clock.speed / 60.0
        clock.target_min = min(target, drill.now + MAX_LAG_MIN, drill.end_min)

    def step(self) -> bool:
        """Advance the engine one slice toward what it is owed; True if time moved."""
        drill = self.drill
        if drill.finished or drill.now >= self.clock.target_min:
            return False
        drill.advance(min(self.clock.target_min, drill.now + MAX_SLICE_MIN))
        return True

    def state(self) -> dict[str, Any]:
        """The clock as every seat sees it."""
        clock = self.clock
        return {
            "t": self.drill.now,
            "speed_index": clock.speed_index,
            "paused": clock.paused,
            "held": clock.held,
            "trainee_seated": clock.trainee_seated,
            "finished": self.drill.finished,
            "events": len(self.drill.events),
        }

    def welcome(self, seat: Seat) -> dict[str, Any]:
        """What a seat gets on joining or rejoining: enough to rebuild the drill as it is."""
        return {
            "type": "welcome",
            "seat": seat.value,
            "header": self.header,
            "commands": list(self.commands),
            "clock": self.state(),
        }


class MirrorDiffers(Exception):
    """A seat's mirror reached the server's minute with a different drill (never expected:
    the engine is deterministic; raised so it cannot pass unnoticed)."""


class DrillMirror:
    """A seat's copy of a served drill, rebuilt from the server's messages.

    It applies the server's commands at their minutes and advances no further
    than the server's clock, so its snapshots are the served drill's.
    """

    def __init__(self, welcome: dict[str, Any], base_dir: Any = None) -> None:
        from sim.scenario.loader import parse_scenario

        header = welcome["header"]
        self.loaded = parse_scenario(header["scenario_yaml"], header["scenario_name"], base_dir)
        self.seed = int(header["seed"])
        self.seat = Seat(welcome["seat"])
        self.drill = Drill(self.loaded, self.seed)
        self.pending: list[dict[str, Any]] = [{"type": "command", **r} for r in welcome["commands"]]
        self.clock: dict[str, Any] = dict(welcome["clock"])
        self.pending.append({"type": "clock", **self.clock})

    def receive(self, message: dict[str, Any]) -> None:
        """Queue a server message (applied by :meth:`catch_up`)."""
        if message.get("type") in ("command", "clock", "aborted"):
            self.pending.append(message)

    def catch_up(self, budget_s: float, timer: Any) -> None:
        """Apply queued messages in order, advancing the engine in slices, until done or
        ``budget_s`` seconds of ``timer()`` are spent (the rest waits for the next call)."""
        start = timer()
        drill = self.drill
        while self.pending:
            message = self.pending[0]
            until = float(message["t"])
            while drill.now < until and not drill.finished:
                drill.advance(min(until, drill.now + MAX_SLICE_MIN))
                if timer() - start > budget_s:
                    return
            self.pending.pop(0)
            self._apply(message)

    def _apply(self, message: dict[str, Any]) -> None:
        from sim.commands import command_from_json

        kind = message["type"]
        if kind == "command" and not self.drill.finished:
            result = self.drill.submit(command_from_json(dict(message["command"])))
            if result.accepted != message["accepted"]:
                raise MirrorDiffers(f"command at minute {message['t']} answered differently")
        elif kind == "clock":
            self.clock = {k: v for k, v in message.items() if k != "type"}
            if not self.drill.finished and len(self.drill.events) != message["events"]:
                raise MirrorDiffers(f"event count differs at minute {message['t']}")
        elif kind == "aborted":
            self.drill.finish(aborted=True)

    @property
    def behind(self) -> bool:
        return bool(self.pending)
