"""A logged drill made watchable: the drill re-run once, a picture kept every sim-minute.

The log holds what happened but not where every unit was or how deep the
water stood, so the viewer re-runs the drill from the log (scenario, seed,
the commands at their minutes: :class:`sim.branch.Replayer`) a slice per
frame and keeps a snapshot at every whole minute (hazard fields copied, as
a snapshot's fields are views of the engine's live arrays). Scrubbing is
then a look-up: any moment, backwards or forwards, is drawn from the frame
before it, with units moved along their routes towards where the next frame
has them. The events the re-run emits are checked against the log as they
come, so the viewer can say if what it shows is not what was logged.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim import Event, Snapshot, UnitView
from sim.branch import Parent, finish_like_parent, replay_all

FRAME_EVERY_MIN = 1.0
COMPUTE_BUDGET_S = 0.025  # engine time per game frame while the replay is computed
INJECT_COMMANDS = ("fire_inject", "shift_wind")  # the exercise director's, not the trainee's


@dataclass(frozen=True)
class Mark:
    """A moment on the timeline: an order given (or refused), or an inject."""

    t_min: float
    kind: str  # "order", "refused" or "inject"
    event: Event  # the CommandIssued or InjectFired event
    index: int  # its position among the log's events


def marks_of(events: Sequence[Event]) -> list[Mark]:
    """The trainee's orders and the injects of a log, in time order."""
    marks = []
    for index, event in enumerate(events):
        if event.kind == "CommandIssued":
            command = event.data.get("command", {})
            if command.get("type") in INJECT_COMMANDS or command.get("issuer") == "instructor":
                kind = "inject"
            else:
                kind = "order" if event.data.get("accepted") else "refused"
            marks.append(Mark(event.t_min, kind, event, index))
        elif event.kind == "InjectFired":
            marks.append(Mark(event.t_min, "inject", event, index))
    return marks


def _still(array: np.ndarray) -> np.ndarray:
    """A read-only copy of a field that the engine will not change under us."""
    copy = array.astype(np.float32) if array.dtype.kind == "f" else array.copy()
    copy.flags.writeable = False
    return copy


class ReplayFrames:
    """The frames of one logged drill, computed a budget at a time."""

    def __init__(self, parent: Parent) -> None:
        self.parent = parent
        self.replayed: list[Event] = []
        self._replayer = replay_all(parent, [self.replayed.append])
        self.times: list[float] = []
        self.frames: list[Snapshot] = []
        self.diverged_at: int | None = None  # first log line (1-based) the re-run differs on
        self._checked = 0
        self.done = False
        self._keep(self._replayer.drill.snapshot())

    @property
    def last_min(self) -> float:
        """Where the logged drill stopped (its end, or where it was stopped)."""
        return self.parent.last_min

    @property
    def computed_min(self) -> float:
        return self.times[-1]

    @property
    def progress(self) -> float:
        return 1.0 if self.done or self.last_min <= 0 else self.computed_min / self.last_min

    def compute(self, budget_s: float = COMPUTE_BUDGET_S) -> None:
        """Re-run the drill for about ``budget_s`` of wall time, keeping a frame a minute."""
        start = time.perf_counter()
        while not self.done and time.perf_counter() - start < budget_s:
            self.step()

    def step(self) -> None:
        """Compute the next frame (the last one is the drill as its log ended)."""
        if self.done:
            return
        replayer = self._replayer
        next_min = self.computed_min + FRAME_EVERY_MIN
        if next_min < self.last_min:
            replayer.advance(next_min)
        else:
            replayer.advance(self.last_min)
            finish_like_parent(replayer)
            self.done = True
        self._keep(replayer.drill.snapshot())
        self._check()

    def _keep(self, snap: Snapshot) -> None:
        previous = self.frames[-1].fields if self.frames else {}
        fields = {}
        for name, array in snap.fields.items():
            old = previous.get(name)
            same = old is not None and old.shape == array.shape and np.array_equal(old, array)
            fields[name] = old if same else _still(array)
        self.frames.append(dataclasses.replace(snap, fields=fields))
        self.times.append(snap.t_min)

    def _check(self) -> None:
        logged = self.parent.events
        upto = min(len(self.replayed), len(logged))
        if self.diverged_at is None:
            for index in range(self._checked, upto):
                if self.replayed[index].to_record() != logged[index].to_record():
                    self.diverged_at = index + 2  # the header is line 1
                    break
        self._checked = upto
        if self.done and self.diverged_at is None and len(self.replayed) != len(logged):
            self.diverged_at = upto + 2

    def at(self, t_min: float) -> Snapshot:
        """The drill at ``t_min`` (within what is computed): the frame before it, its units
        moved on towards the next frame."""
        t_min = max(0.0, min(float(t_min), self.computed_min))
        i = bisect.bisect_right(self.times, t_min) - 1
        frame, t0 = self.frames[i], self.times[i]
        if t_min <= t0 or i + 1 >= len(self.frames):
            return frame
        later, t1 = self.frames[i + 1], self.times[i + 1]
        share = (t_min - t0) / (t1 - t0)
        moved = {u.id: u for u in later.units}
        units = tuple(_moved(u, moved.get(u.id), share) for u in frame.units)
        return dataclasses.replace(
            frame, units=units, t_min=t_min, clock_min=frame.clock_min + (t_min - t0)
        )

    def frame_minute(self, t_min: float) -> float:
        """The minute of the frame drawn at ``t_min`` (what is shown exactly, not moved on)."""
        i = bisect.bisect_right(self.times, max(0.0, min(t_min, self.computed_min))) - 1
        return self.times[i]


def _moved(unit: UnitView, later: UnitView | None, share: float) -> UnitView:
    """``unit`` moved ``share`` of the way to where ``later`` has it, along its route."""
    if later is None or (later.x, later.y) == (unit.x, unit.y):
        return unit
    path = [(unit.x, unit.y), *unit.route_xy]
    x, y = _along(path, (later.x, later.y), share)
    return dataclasses.replace(unit, x=x, y=y)


def _along(
    path: Sequence[tuple[float, float]], end: tuple[float, float], share: float
) -> tuple[float, float]:
    """The point ``share`` of the way from ``path[0]`` to ``end`` following ``path``; a
    straight line when ``end`` is not on it (the unit turned off its route)."""
    best, best_m, walked = math.inf, 0.0, 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(path):
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        along = (
            0.0
            if length == 0
            else max(0.0, min(1.0, ((end[0] - ax) * dx + (end[1] - ay) * dy) / length**2))
        )
        gap = math.hypot(ax + along * dx - end[0], ay + along * dy - end[1])
        if gap < best:
            best, best_m = gap, walked + along * length
        walked += length
    if best > 1.0:  # metres: not on the route
        (x0, y0), (x1, y1) = path[0], end
        return x0 + (x1 - x0) * share, y0 + (y1 - y0) * share
    goal, walked = best_m * share, 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(path):
        length = math.hypot(bx - ax, by - ay)
        if walked + length >= goal and length > 0:
            f = (goal - walked) / length
            return ax + (bx - ax) * f, ay + (by - ay) * f
        walked += length
    return end


def memory_bytes(frames: ReplayFrames) -> int:
    """The fields' share of the frames' memory (each distinct array counted once)."""
    seen: dict[int, int] = {}
    for frame in frames.frames:
        for array in frame.fields.values():
            seen[id(array)] = array.nbytes
    return sum(seen.values())
