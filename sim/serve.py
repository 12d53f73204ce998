"""``python -m sim serve``: one process owns a drill; seats join it over WebSockets.

The server owns the engine, the drill's log and the drill's clock (wall time ×
speed, paused by the instructor or while the trainee's seat is empty). Seats
join with the token printed at start (``ws://HOST:PORT/?token=T&seat=trainee``);
a connection without it is refused before it opens (HTTP 403). Every seat's
command passes one lock into the engine's one door, so commands have one
order, the log's; the server sends each command, with its minute, to every
seat.

A seat keeps a mirror of the drill: the engine is deterministic, so a mirror
that applies the same commands at the same minutes is the same drill (the
lock-step of strategy games). A seat that joins or rejoins gets the log's
header (with the scenario) and every command so far, and rebuilds the drill as
it is; nothing a dropped seat missed is lost. The server's clock messages say
how far the mirrors may advance; each carries the server's event count so a
mirror can tell if it ever differs.

Messages are JSON text frames (the drill log is JSON already):

- server → seat: ``welcome`` (header, commands, clock), ``command`` (one record),
  ``clock``, ``result`` (the answer to the seat's own request), ``refused``.
- seat → server: ``command`` (``{"type": "command", "id": n, "command": {...}}``),
  ``clock`` (``{"type": "clock", "speed_index": i, "paused": b}``).

This module reads the wall clock; the engine it drives does not (the clock's
seconds are handed to :meth:`sim.seats.DrillHost.owe`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from pydantic import ValidationError
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from sim.commands import CommandResult, command_from_json
from sim.drill_log import DrillLogWriter, make_header
from sim.engine import Drill
from sim.scenario.loader import LoadedScenario
from sim.seats import DrillHost, Refusal, Seat, token_matches

TICK_S = 0.05  # the server's clock loop: how often the engine is owed time
CLOCK_EVERY_S = 0.2  # how often every seat hears the clock
ENGINE_BUDGET_S = 0.04  # engine time per tick before the lock is let go for commands


def seat_of(path: str, token: str) -> Seat | Refusal:
    """The seat a connection's request path asks for, or why it is refused."""
    query = parse_qs(urlparse(path).query)
    if not token_matches((query.get("token") or [None])[0], token):
        return Refusal.BAD_TOKEN
    try:
        return Seat((query.get("seat") or ["trainee"])[0])
    except ValueError:
        return Refusal.BAD_ROLE


class DrillServer:
    """A served drill: :class:`DrillHost` behind a WebSocket server and a clock thread."""

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int,
        log_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token or secrets.token_urlsafe(16)
        self.log_path = log_path
        header = make_header(loaded, seed)
        self.writer = DrillLogWriter(log_path, header)
        drill = Drill(loaded, seed, listeners=[self.writer.write])
        self.host = DrillHost(drill, header)
        self.lock = threading.Lock()
        self.seats: dict[ServerConnection, Seat] = {}
        self._now = now
        self._stop = threading.Event()
        self.server: Server = serve(
            self._handle, host, port, process_request=self._check, max_size=2**26
        )
        self.address = "{}:{}".format(*self.server.socket.getsockname()[:2])
        self._threads: list[threading.Thread] = []

    # -- joining ---------------------------------------------------------------
    def _check(self, connection: ServerConnection, request: Any) -> Any:
        seat = seat_of(request.path, self.token)
        if isinstance(seat, Refusal):
            return connection.respond(HTTPStatus.FORBIDDEN, f"{seat.value}\n")
        with self.lock:
            if seat in (Seat.TRAINEE, Seat.INSTRUCTOR) and self.host.seated.get(seat, 0):
                return connection.respond(HTTPStatus.CONFLICT, f"{Refusal.SEAT_TAKEN.value}\n")
        return None

    def _handle(self, connection: ServerConnection) -> None:
        seat = seat_of(connection.request.path, self.token)  # type: ignore[union-attr]
        assert isinstance(seat, Seat)
        with self.lock:
            refusal = self.host.join(seat)
            if refusal is not None:
                connection.send(json.dumps({"type": "refused", "reason": refusal.value}))
                return
            self.seats[connection] = seat
            welcome = {**self.host.welcome(seat), "log_path": str(self.log_path)}
            connection.send(json.dumps(welcome, ensure_ascii=False))
            self._broadcast({"type": "clock", **self.host.state()})
        try:
            for text in connection:
                self._request(connection, seat, text)
        except ConnectionClosed:
            pass
        finally:
            with self.lock:
                self.seats.pop(connection, None)
                self.host.leave(seat)
                self._broadcast({"type": "clock", **self.host.state()})

    # -- requests --------------------------------------------------------------
    def _request(self, connection: ServerConnection, seat: Seat, text: str | bytes) -> None:
        try:
            message = json.loads(text)
            kind = message["type"]
        except (ValueError, KeyError, TypeError):
            connection.send(json.dumps({"type": "result", "refused": Refusal.BAD_COMMAND.value}))
            return
        if kind == "clock":
            with self.lock:
                ok = self.host.set_clock(seat, message.get("speed_index"), message.get("paused"))
                self._broadcast({"type": "clock", **self.host.state()})
            if not ok:
                connection.send(
                    json.dumps({"type": "result", "refused": Refusal.SEAT_CANNOT_COMMAND.value})
                )
            return
        if kind == "command":
            self._command(connection, seat, message)

    def _command(self, connection: ServerConnection, seat: Seat, message: dict) -> None:
        ident = message.get("id")
        try:
            command = command_from_json(dict(message["command"]))
        except (ValidationError, KeyError, TypeError, ValueError):
            reply = {"type": "result", "id": ident, "refused": Refusal.BAD_COMMAND.value}
            connection.send(json.dumps(reply))
            return
        with self.lock:
            record, result = self.host.submit(seat, command)
            if record is not None:
                self._broadcast({"type": "command", **record})
        if isinstance(result, CommandResult):
            reply = {
                "type": "result",
                "id": ident,
                "accepted": result.accepted,
                "reason": result.reason.value if result.reason else None,
                "params": {k: str(v) for k, v in result.params.items()},
            }
        else:
            reply = {"type": "result", "id": ident, "refused": result.value}
        connection.send(json.dumps(reply, ensure_ascii=False))

    def _broadcast(self, message: dict) -> None:
        """Send to every seat (the caller holds the lock, so all seats hear one order)."""
        text = json.dumps(message, ensure_ascii=False)
        for connection in list(self.seats):
            with contextlib.suppress(ConnectionClosed):
                connection.send(text)

    # -- the clock -------------------------------------------------------------
    def _clock_loop(self) -> None:
        last = self._now()
        last_told = last
        while not self._stop.is_set():
            time.sleep(TICK_S)
            now = self._now()
            with self.lock:
                self.host.owe(now - last)
                start = self._now()
                while self.host.step() and self._now() - start < ENGINE_BUDGET_S:
                    pass
                if now - last_told >= CLOCK_EVERY_S or self.host.drill.finished:
                    self._broadcast({"type": "clock", **self.host.state()})
                    last_told = now
            last = now

    def start(self) -> None:
        """Serve in background threads (the clock, and one per seat)."""
        for target in (self.server.serve_forever, self._clock_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving; a drill not yet over ends with DrillAborted and the log is closed."""
        self._stop.set()
        with self.lock:
            if not self.host.drill.finished:
                self.host.drill.finish(aborted=True)
                self._broadcast({"type": "aborted", "t": self.host.drill.now})
            self.writer.close()
        self.server.shutdown()
        for thread in self._threads:
            thread.join(timeout=5)


def default_log_path(scenario_id: str, seed: int) -> Path:
    """Where a served drill's log goes unless ``--log`` says: the user's log folder."""
    from sim.integrity import data_dir

    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    path = folder / f"{scenario_id}-seed{seed}-served.jsonl"
    while path.exists():
        number += 1
        path = folder / f"{scenario_id}-seed{seed}-served-{number}.jsonl"
    return path


def _serve(args: argparse.Namespace) -> int:
    from sim.cli import check_output_file, stop_on_signals
    from sim.drill_log import load_key
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario)
    seed = loaded.scenario.meta.default_seed if args.seed is None else args.seed
    log_path = Path(args.log) if args.log else default_log_path(loaded.scenario.meta.id, seed)
    check_output_file(str(log_path), "drill log")
    load_key()  # a key that cannot be made is named before the drill starts
    server = DrillServer(loaded, seed, log_path, host=args.host, port=args.port)
    server.start()
    meta = loaded.scenario.meta
    print(f"{meta.title.en} / {meta.title.zh} — seed {seed}", flush=True)
    print(f"  serving on {server.address} (drill log: {log_path})", flush=True)
    print(f"  join token: {server.token}", flush=True)
    join = f"--join {server.address} --token {server.token}"
    print(f"  instructor: python game.py --instructor {join}", flush=True)
    print(f"  trainee:    python game.py {join}", flush=True)
    with stop_on_signals() as stop:  # SIGTERM, Ctrl-C: the log ends with DrillAborted
        try:
            told = False
            while stop.signum is None:
                time.sleep(0.2)
                if server.host.drill.finished and not told:
                    print("drill over; Ctrl-C stops the server", file=sys.stderr, flush=True)
                    told = True
        finally:
            server.stop()
    print(f"stopped at minute {server.host.drill.now:.1f}; log: {log_path}", flush=True)
    return 0


def add_serve_command(commands: Any) -> None:
    """The ``serve`` subcommand of ``python -m sim`` (sim.cli)."""
    from sim.cli import seed_arg

    p = commands.add_parser("serve", help="run a drill that seats (trainee, instructor) join")
    p.add_argument("scenario")
    p.add_argument("--seed", type=seed_arg, default=None, help="default: the scenario's seed")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: localhost)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free)")
    p.add_argument("--log", help="drill log to write (default: the user's log folder)")
    p.set_defaults(func=_serve)
