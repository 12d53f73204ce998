"""A seat at a served drill, with the same face as :class:`ui.session.DrillSession`.

The drill scene (trainee) and the instructor console drive a
:class:`RemoteSession` as they would a local session: ``tick`` each frame,
``submit`` a command, read ``snapshot``. Underneath, the server owns the drill
and its clock; this session keeps a mirror of it (:class:`sim.seats.DrillMirror`)
that applies the server's commands at their minutes. Speed and pause are asked
of the server. A dropped connection is rejoined on the next ticks; the mirror
is rebuilt from the server's commands, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import math
import queue
import time
from pathlib import Path
from typing import Any

from sim import Command, CommandResult, Drill, Reason, Role, Snapshot
from sim.seats import SPEEDS, DrillMirror
from ui.net import JoinRefused, SeatLink

ENGINE_BUDGET_S = 0.010
RESULT_WAIT_S = 5.0
REJOIN_EVERY_S = 2.0


class RemoteSession:
    """One seat's view of a served drill (see the module docstring)."""

    def __init__(self, address: str, token: str, seat: str = "trainee") -> None:
        self.address, self.token, self.seat = address, token, seat
        self.viewer = Role.INSTRUCTOR if seat == "instructor" else Role.COMMANDER
        self.results: dict[int, dict[str, Any]] = {}
        self.last_tick_s = 0.0
        self.connected = False
        self._next_rejoin_s = 0.0
        self._join()

    def _join(self) -> None:
        self.link = SeatLink(self.address, self.token, self.seat)
        welcome = self.link.welcome()
        self.mirror = DrillMirror(welcome)
        self.loaded, self.seed = self.mirror.loaded, self.mirror.seed
        log = welcome.get("log_path")
        self.log_path = Path(log) if log else None
        self.mirror.catch_up(math.inf, time.perf_counter)  # the drill as it is now
        self.snapshot: Snapshot = self.mirror.drill.snapshot(self.viewer)
        self.connected = True

    # -- DrillSession's face ---------------------------------------------------------
    @property
    def drill(self) -> Drill:
        return self.mirror.drill

    @property
    def clock(self) -> dict[str, Any]:
        return self.mirror.clock

    @property
    def speed_index(self) -> int:
        return int(self.clock["speed_index"])

    @property
    def speed(self) -> int:
        return SPEEDS[self.speed_index]

    @property
    def target_min(self) -> float:
        return float(self.clock["t"])

    @property
    def finished(self) -> bool:
        return self.drill.finished

    @property
    def paused(self) -> bool:
        """The drill is not running: paused, held by the instructor, or no trainee seated."""
        clock = self.clock
        return bool(clock["paused"] or clock["held"] or not clock["trainee_seated"])

    @paused.setter
    def paused(self, value: bool) -> None:
        self.link.send_clock(paused=value)

    def set_speed(self, index: int) -> None:
        self.link.send_clock(speed_index=max(0, min(len(SPEEDS) - 1, index)))

    def tick(self, dt_s: float, budget_s: float = ENGINE_BUDGET_S) -> None:
        """Take in the server's messages and bring the mirror up to the server's minute."""
        start = time.perf_counter()
        if self.link.closed.is_set() and self.link.inbox.empty():
            self._rejoin(start)
            return
        self._drain()
        self.mirror.catch_up(budget_s, time.perf_counter)
        self.snapshot = self.drill.snapshot(self.viewer)
        self.last_tick_s = time.perf_counter() - start

    def submit(self, command: Command) -> CommandResult:
        """Send ``command`` to the server and wait for its answer (the mirror applies it)."""
        ident = self.link.send_command(command)
        deadline = time.perf_counter() + RESULT_WAIT_S
        while ident not in self.results and time.perf_counter() < deadline:
            self._drain(wait_s=0.05)
        self.mirror.catch_up(math.inf, time.perf_counter)
        self.snapshot = self.drill.snapshot(self.viewer)
        answer = self.results.pop(ident, None)
        if answer is None or "refused" in answer:
            refused = "no_answer" if answer is None else answer["refused"]
            return CommandResult(False, None, {"refused": refused})
        reason = Reason(answer["reason"]) if answer.get("reason") else None
        return CommandResult(bool(answer["accepted"]), reason, dict(answer.get("params", {})))

    def abort(self) -> None:
        """Leaving a served drill leaves the seat; the drill is the server's to end."""
        self.close()

    def close(self) -> None:
        self.link.close()
        self.connected = False

    # -- the link ---------------------------------------------------------------------
    def _drain(self, wait_s: float = 0.0) -> None:
        try:
            inbox = self.link.inbox
            message = inbox.get(timeout=wait_s) if wait_s else inbox.get_nowait()
        except queue.Empty:
            return
        while True:
            if message.get("type") == "result" and message.get("id") is not None:
                self.results[int(message["id"])] = message
            else:
                self.mirror.receive(message)
            try:
                message = self.link.inbox.get_nowait()
            except queue.Empty:
                return

    def _rejoin(self, now_s: float) -> None:
        self.connected = False
        if now_s < self._next_rejoin_s:
            return
        self._next_rejoin_s = now_s + REJOIN_EVERY_S
        with contextlib.suppress(JoinRefused):  # away, or the seat still held: try again soon
            self._join()


def run_seat(args: Any) -> int:
    """``game.py --join`` (the trainee) or ``game.py --instructor``: take a seat and play.

    The instructor without ``--join`` hosts the drill of the scenario named (or the
    tutorial) in this process, on localhost, and shows how the trainee joins.
    """
    import sys

    from ui.app import App
    from ui.i18n import Translator

    seat = "instructor" if args.instructor else "trainee"
    server = None
    try:
        if args.join:
            session = RemoteSession(args.join, args.token, seat)
            hint = ""
        else:
            server = _host(args.scenario)
            session = RemoteSession(server.address, server.token, seat)
            hint = Translator(args.lang)(
                "instructor.join_hint", address=server.address, token=server.token
            )
    except JoinRefused as exc:
        t = Translator(args.lang)
        print(t("join.refused", address=exc.address, reason=exc.reason), file=sys.stderr)
        return 2
    app = App(language=args.lang, trainee=args.trainee, warm_up=not args.instructor)
    try:
        app.switch(_scene(app, session, hint))
        app.run()
    finally:
        session.close()
        if server is not None:
            server.stop()
            print(f"drill log: {server.log_path}")
    return 0


def _host(scenario: Path | None) -> Any:
    from sim import load_scenario
    from sim.serve import DrillServer, default_log_path
    from ui.paths import SCENARIOS_DIR

    loaded = load_scenario(scenario or SCENARIOS_DIR / "tutorial.yaml")
    seed = loaded.scenario.meta.default_seed
    log = default_log_path(loaded.scenario.meta.id, seed)
    try:
        server = DrillServer(loaded, seed, log, port=8765)
    except OSError:  # the usual port is taken (another drill): any free one
        server = DrillServer(loaded, seed, log, port=0)
    server.start()
    print(f"serving on {server.address}; join token: {server.token}", flush=True)
    return server


def _scene(app: Any, session: RemoteSession, hint: str) -> Any:
    if session.seat == "instructor":
        from ui.scenes.instructor import InstructorScene

        return InstructorScene(app, session, hint)
    from ui.scenes.drill import DrillScene

    return DrillScene(app, session.loaded, session.seed, session=session)  # type: ignore[arg-type]
