"""A drill in play: the engine, its log, and the game clock that drives it.

The trainee's wall time times the speed becomes sim time (at 1× one
sim-second per wall-second). Each frame the engine advances in slices of at
most ``MAX_SLICE_MIN`` until the frame's engine budget is spent; time the
engine could not catch up is kept (up to ``MAX_LAG_MIN``) rather than
freezing the window.
"""

from __future__ import annotations

import time
from pathlib import Path

from sim import Command, CommandResult, Drill, DrillLogWriter, LoadedScenario, Snapshot, make_header
from ui.paths import new_log_path

SPEEDS = (1, 2, 5, 15, 30, 60, 120)
MAX_SLICE_MIN = 0.5
ENGINE_BUDGET_S = 0.010
MAX_LAG_MIN = 2.0


class DrillSession:
    """One drill with its log file; the only object that calls the engine's doors."""

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int,
        log_path: Path | None = None,
        resume: tuple[Drill, DrillLogWriter] | None = None,
    ) -> None:
        """A new drill, or with ``resume`` one already under way and the writer of its log
        (a what-if branch rebuilt from another drill's log: ui.replay_take)."""
        self.loaded = loaded
        self.seed = seed
        if resume is None:
            self.log_path = log_path or new_log_path(loaded.scenario.meta.id, seed)
            self.writer = DrillLogWriter(self.log_path, make_header(loaded, seed))
            self.drill = Drill(loaded, seed, listeners=[self.writer.write])
        else:
            self.drill, self.writer = resume
            self.log_path = self.writer.path
        self.speed_index = 0
        self.paused = False
        self.target_min = self.drill.now
        self.snapshot: Snapshot = self.drill.snapshot()
        self.last_tick_s = 0.0  # wall time the engine took in the last tick

    @property
    def speed(self) -> int:
        return SPEEDS[self.speed_index]

    @property
    def finished(self) -> bool:
        return self.drill.finished

    def set_speed(self, index: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, index))

    def tick(self, dt_s: float, budget_s: float = ENGINE_BUDGET_S) -> None:
        """Advance by ``dt_s`` wall seconds at the current speed, within ``budget_s``."""
        drill = self.drill
        self.last_tick_s = 0.0
        if self.paused or drill.finished:
            return
        lag_cap = drill.now + MAX_LAG_MIN
        target = max(self.target_min, drill.now) + dt_s * self.speed / 60.0
        self.target_min = min(target, lag_cap)
        start = time.perf_counter()
        while drill.now < self.target_min and not drill.finished:
            drill.advance(min(self.target_min, drill.now + MAX_SLICE_MIN))
            if time.perf_counter() - start > budget_s:
                break
        self.snapshot = drill.snapshot()
        self.last_tick_s = time.perf_counter() - start

    def submit(self, command: Command) -> CommandResult:
        """Submit ``command`` now (it is logged either way) and refresh the snapshot."""
        result = self.drill.submit(command)
        self.snapshot = self.drill.snapshot()
        return result

    def abort(self) -> None:
        """Stop the drill mid-way: DrillAborted goes into the log, which is closed intact."""
        self.drill.finish(aborted=True)
        self.close()

    def close(self) -> None:
        self.writer.close()
