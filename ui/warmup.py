"""Scoring anchors computed in the background while the drill is played, so the debrief is quick.

The debrief's score needs the idle bot's full drill on the same scenario and
seed (:func:`analysis.baselines.figures_for`): up to a quarter of a minute on
the flood drills. When a drill scene starts, :meth:`Warmup.start` spawns one
worker *process* (the engine is pure Python and holds the GIL, so a thread
would take its time from the game's frames; the ``spawn`` context starts a
fresh interpreter and copies no pygame state). The worker, at a lower CPU
priority, plays the idle bot and stores its figures in the records database,
then plays the expert bot and stores the expert's score and harm under its own
key (:func:`reference_bot`) as a reference point for the debrief, never an
anchor, and the expert's per-place record (:mod:`analysis.costliest`) the
debrief's "decisions that cost most" compare the trainee's drill with; last,
doing nothing's own score (the idle bot judged like a trainee), so the
debrief can show the scale whole.
It reports over a pipe: ``("idle", (one idle drill's seconds, all the figures'
seconds))``, ``("expert", scores)``, ``("idle_score", scores)`` or ``("failed", reason)``.

Cancelling (a new drill on another scenario or seed, or the game quitting)
terminates the worker and waits for it: no process outlives the game. SIGTERM
is held off while the worker writes a row (and SQLite commits a row whole or
not at all), so a cancelled warm-up leaves either a whole row or none.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sim import LoadedScenario, make_header

log = logging.getLogger(__name__)
REFERENCE_SUFFIX = "score"  # "expert-score@<analysis fingerprint>": a score depends on the code
TIMING_BOT = "idle-play-seconds"  # one idle drill's time here: the play-out's estimate
WORKER_NICE = 10  # the game's own process keeps priority over the warm-up
JOIN_S = 2.0  # how long a terminated worker is given to exit before it is killed
POLL_S = 0.05


def reference_bot(bot: str = "expert") -> str:
    """The records key (bot column) of a bot's cached score for this scoring code."""
    from analysis.baselines import analysis_build

    return f"{bot}-{REFERENCE_SUFFIX}@{analysis_build()}"


@dataclass
class Task:
    """One worker: its process, the pipe it reports on, and what it has reported so far."""

    key: tuple[str, int]  # (scenario hash, seed)
    process: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    idle_s: float | None = None  # one idle drill's time (0 when unknown)
    figures_s: float | None = None  # the whole of the idle figures' time here (~0 when cached)
    expert: dict[str, float] | None = None
    idle_score: dict[str, float] | None = None  # doing nothing's score on this drill
    failure: str | None = None
    closed: bool = False
    started_s: float = field(default_factory=time.monotonic)

    @property
    def idle_done(self) -> bool:
        return self.idle_s is not None

    @property
    def over(self) -> bool:
        """Nothing more will come: it reported everything, failed, or died."""
        return self.closed


class Warmup:
    """At most one background warm-up at a time; a no-op when ``enabled`` is False."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.task: Task | None = None
        self._lock = threading.Lock()  # the scene's thread and the scoring thread both read

    def start(self, loaded: LoadedScenario, seed: int, db: Path | None = None) -> None:
        """Warm the cache for a drill of ``loaded`` with ``seed`` (``db``: the records database).

        A warm-up already running (or done) for the same scenario and seed is
        kept; one for another drill is cancelled first.
        """
        if not self.enabled:
            return
        header = make_header(loaded, seed)
        key = (str(header["scenario_hash"]), int(header["seed"]))
        with self._lock:
            if self.task is not None and self.task.key == key and self.task.failure is None:
                return
        self.cancel()
        path = db if db is not None else _records_path()
        if path is None:
            return  # no analysis: the debrief says why, nothing to warm
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=work, args=(dict(header), str(path), send), name="drill-warmup", daemon=True
        )
        process.start()
        send.close()  # the worker holds the only sending end: EOF when it exits
        with self._lock:
            self.task = Task(key, process, receive)

    def for_key(self, scenario_hash: str, seed: int) -> Task | None:
        """The task warming this scenario and seed (after reading what it has reported)."""
        with self._lock:
            task = self.task
            if task is None or task.key != (scenario_hash, seed):
                return None
            _pump(task)
            return task

    def wait_idle(self, scenario_hash: str, seed: int, cancelled: Callable[[], bool]) -> bool:
        """Block until the idle figures for this drill are cached; False if no warm-up has them.

        Returns False at once when no warm-up runs for this scenario and seed,
        and as soon as it fails or dies; ``cancelled`` is asked between polls.
        """
        while not cancelled():
            task = self.for_key(scenario_hash, seed)
            if task is None or task.failure is not None:
                return False
            if task.idle_done:
                return True
            if task.over:
                return False
            time.sleep(POLL_S)
        return False

    def wait_expert(self, scenario_hash: str, seed: int, cancelled: Callable[[], bool]) -> bool:
        """Block until the expert's drill on this seed is cached; False if no warm-up will have it
        (none runs for this drill, it failed or died); ``cancelled`` is asked between polls."""
        while not cancelled():
            task = self.for_key(scenario_hash, seed)
            if task is None or task.failure is not None:
                return False
            if task.expert is not None:
                return True
            if task.over:
                return False
            time.sleep(POLL_S)
        return False

    def cancel(self) -> None:
        """Stop the current worker (if any) and wait for it to be gone."""
        with self._lock:
            task, self.task = self.task, None
        if task is None:
            return
        process = task.process
        if process.is_alive():
            process.terminate()
            process.join(JOIN_S)
            if process.is_alive():
                process.kill()
                process.join()
        else:
            process.join()
        task.conn.close()
        task.closed = True

    close = cancel  # the game quitting


def _pump(task: Task) -> None:
    """Read every message the worker has sent; mark the task over at EOF."""
    if task.closed:
        return
    try:
        while task.conn.poll():
            kind, value = task.conn.recv()
            if kind == "idle":
                task.idle_s, task.figures_s = (float(v) for v in value)
            elif kind == "expert":
                task.expert = dict(value)
            elif kind == "idle_score":
                task.idle_score = dict(value)
            else:
                task.failure = str(value)
    except (EOFError, OSError):
        task.closed = True  # the worker is gone (finished, failed or killed)
        task.process.join(JOIN_S)  # reaped, not left a zombie
        if not task.idle_done and task.failure is None:
            task.failure = "stopped"


_kernel_warmup: list[threading.Thread] = []  # at most one per process (numba's cache is too)


def warm_flood_kernel() -> threading.Thread:
    """Compile the flood's numba kernel, or load it from numba's disk cache, in a thread.

    Started while the briefing is read, so the drill's first flood step (on
    its first frame) finds the kernel ready instead of compiling it (about half
    a minute the first time on a machine; under a second from the cache).
    Started once per process; returns the thread.
    """
    if not _kernel_warmup:
        thread = threading.Thread(target=_warm_flood_kernel, name="flood-kernel", daemon=True)
        thread.start()
        _kernel_warmup.append(thread)
    return _kernel_warmup[0]


def _warm_flood_kernel() -> None:
    try:
        from sim.hazards.flood_kernel import warm

        warm()
    except Exception:  # the first flood step then compiles it; worth a line in the log
        log.exception("flood kernel warm-up failed")


def _records_path() -> Path | None:
    try:
        from analysis.records import default_path
    except Exception:
        return None
    return default_path()


# --- the worker process --------------------------------------------------------------------


@contextmanager
def sigterm_held() -> Iterator[None]:
    """Hold SIGTERM off for the block (POSIX), so a terminated worker finishes its write."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def work(header: dict[str, Any], db: str, conn: Connection) -> None:
    """The worker: idle figures, then the expert's reference score, each cached as it is done."""
    with suppress(AttributeError, OSError):  # no nice() on Windows; refused: run as is
        os.nice(WORKER_NICE)
    records = None
    try:
        from analysis.baselines import FIGURES_BOT, baseline_key, figures_for
        from analysis.drilldata import drill_from_events
        from analysis.records import Records

        class HeldRecords(Records):
            def save_baseline(self, *args: Any, **kwargs: Any) -> None:
                with sigterm_held():
                    super().save_baseline(*args, **kwargs)

        drill = drill_from_events(header, [])
        records = HeldRecords(db)
        key = seed_key(drill)
        start = time.perf_counter()
        cached = records.baseline(*baseline_key(drill), FIGURES_BOT) is not None
        figures = figures_for(drill, records)
        timing = records.baseline(*key, TIMING_BOT)
        if timing is None and not cached:  # one idle drill's time: the play-out's estimate
            timing = {"seconds": round((time.perf_counter() - start) / idle_runs(), 3)}
            records.save_baseline(*key, TIMING_BOT, timing)
        timing = timing or {"seconds": 0.0}
        conn.send(("idle", (float(timing["seconds"]), time.perf_counter() - start)))
        conn.send(("expert", expert_reference(drill, figures, records)))
        conn.send(("idle_score", bot_reference(drill, figures, records, "idle")))
    except Exception as exc:  # reported to the game, which scores without the warm cache
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        if records is not None:
            records.close()
        conn.close()


def expert_reference(drill: Any, figures: Mapping[str, Any], records: Any) -> dict[str, float]:
    """The expert bot's score and harm on this scenario and seed (:func:`bot_reference`,
    cached), and its per-place record (:func:`analysis.costliest.expert_record`, cached) from
    the same drill: what the debrief's "decisions that cost most" compare with."""
    from analysis.costliest import expert_key, expert_record

    if records.baseline(*expert_key(drill)) is not None:
        return bot_reference(drill, figures, records, "expert")
    played: list[Any] = []
    found = bot_reference(drill, figures, records, "expert", played)
    expert_record(drill, records, played=played[0] if played else None)
    return found


def bot_reference(
    drill: Any, figures: Mapping[str, Any], records: Any, bot: str, played: list[Any] | None = None
) -> dict[str, float]:
    """A bot's total, process and outcome scores and its harm (deaths, injuries, trapped at the
    end, unmet person-hours) on this scenario and seed, from the cache or played now (the
    drill it played is appended to ``played``, when given)."""
    from analysis.baselines import play
    from analysis.scoring import score_drill

    key, name = seed_key(drill), reference_bot(bot)
    cached = records.baseline(*key, name)
    if cached is None:
        run = play(drill, bot)
        if played is not None:
            played.append(run)
        card = score_drill(run, figures)
        cached = {"total": card["total"], "process": card["process_score"]}
        if card["outcome"]["score"] is not None:
            cached["outcome"] = card["outcome"]["score"]
        cached.update({k: float(v) for k, v in card["outcome"]["parts"].items()})
        records.save_baseline(*key, name, cached)
    return cached


def cached_reference(
    records: Any, key: tuple[str, int, str], bot: str = "expert"
) -> dict[str, float] | None:
    """A bot's cached score for ``key`` (:func:`seed_key`), if any."""
    return records.baseline(*key, reference_bot(bot))


def seed_key(drill: Any) -> tuple[str, int, str]:
    """(scenario hash, the drill's own seed, engine): the records key of what depends on the seed.

    The idle anchors may be keyed otherwise (:func:`analysis.baselines.baseline_key`);
    the expert's score and the idle drill's time belong to this seed.
    """
    from analysis.baselines import baseline_key

    scenario_hash, _, engine = baseline_key(drill)
    return scenario_hash, int(drill.header["seed"]), engine


def idle_runs() -> int:
    """How many idle drills the anchors are the mean of (one if analysis plays one seed)."""
    from analysis import baselines

    return max(1, len(getattr(baselines, "ANCHOR_SEEDS", ())))
