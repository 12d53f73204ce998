"""Take command from a moment of a replay: the drill rebuilt to that minute, a branch log.

The engine's state cannot be copied out of a running drill (its actors are
live generators), so taking over at minute M re-runs the drill from minute 0
with the logged commands before M (:mod:`sim.branch`), writing the new log
as it goes: its header names the parent and M, its events before M are the
parent's. The work is spread over frames (``step``) with its progress on
screen; once at M the drill is handed to the normal drill scene, paused, for
the trainee to command.
"""

from __future__ import annotations

import time
from pathlib import Path

from sim import DrillLogWriter
from sim.branch import Parent, Replayer, branch_header, check_branch_minute
from ui.paths import new_log_path
from ui.session import DrillSession

REBUILD_STEP_MIN = 1.0
REBUILD_BUDGET_S = 0.03


class TakeOver:
    """A drill being rebuilt to ``at_min`` from ``parent``, its branch log open."""

    def __init__(self, parent: Parent, at_min: float, log_path: Path | None = None) -> None:
        self.parent = parent
        self.at_min = check_branch_minute(parent, at_min)
        meta = parent.loaded.scenario.meta
        self.log_path = log_path or new_log_path(f"{meta.id}-branch{int(self.at_min)}", parent.seed)
        self.writer = DrillLogWriter(self.log_path, branch_header(parent, self.at_min))
        commands = parent.commands(before_min=self.at_min)
        self.replayer = Replayer(parent, self.at_min, commands, [self.writer.write])

    @property
    def done(self) -> bool:
        return self.replayer.done

    @property
    def progress(self) -> float:
        return self.replayer.progress

    def step(self, budget_s: float = REBUILD_BUDGET_S) -> None:
        """Rebuild for about ``budget_s`` of wall time."""
        start = time.perf_counter()
        while not self.done and time.perf_counter() - start < budget_s:
            self.replayer.advance(self.replayer.drill.now + REBUILD_STEP_MIN)

    def finish(self) -> DrillSession:
        """Rebuild what is left and hand the drill over, paused, as a drill session."""
        while not self.done:
            self.step(1.0)
        session = DrillSession(
            self.parent.loaded, self.parent.seed, resume=(self.replayer.drill, self.writer)
        )
        session.paused = True
        return session

    def cancel(self) -> None:
        """Give up the take-over: the half-written branch log is removed."""
        self.writer.close()
        self.log_path.unlink(missing_ok=True)
