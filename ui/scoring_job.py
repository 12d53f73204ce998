"""Scoring a finished drill in the background, so the debrief keeps drawing while it is judged.

The debrief is the one place the front end reaches into ``analysis/``: it
scores the drill log on a daemon thread with the pieces
:func:`analysis.pipeline.score_and_report` is made of, but in an order that
puts the score on screen first: the idle bot's figures (from the records
database, where :mod:`ui.warmup` put them while the drill was played, or
played now), the score card (a drill stopped early is played out to the end
with no further orders first: the slow part, ~10 s on the flood drills),
then the decisions that cost most (:mod:`analysis.costliest`, against the
expert bot's drill on the same seed, which the warm-up caches), then the
after-action report and the drill's record. Analysis is imported on
that thread, so a game installed without the ``analysis`` extra still plays
and shows why there is no score. The thread opens its own records database
(SQLite connections belong to the thread that made them). The scene polls the
job each frame; leaving the scene cancels it at the next stage, and closing
the window simply ends the process (the thread is a daemon, and files are
written atomically, so nothing is left half-written).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.warmup import Warmup

log = logging.getLogger(__name__)
REASON_CHARS = 200


class ScoringCancelled(Exception):
    """Raised inside the worker when the scene no longer wants the result."""


class ScoringJob:
    """Score one closed drill log, then write its report and record it, on a daemon thread.

    ``card`` is set (and :attr:`scored` with it) as soon as the score is
    known; ``page`` (the HTML report) once it is written. After :attr:`done`
    is set, exactly one of ``card`` or ``error`` (a translation key and a
    one-line reason) is set; ``report_error`` and ``record_error`` say what
    went wrong after the score was in. ``stopped_min`` is the minute a drill
    stopped early ended at (known after the log is read), and
    ``play_out_estimate_s`` how long playing it out should take, when known.
    """

    def __init__(
        self,
        log_path: Path,
        lang: str,
        trainee: str,
        db: Path | None = None,
        warmup: Warmup | None = None,
    ) -> None:
        self.log_path = log_path
        self.lang = lang
        self.trainee = trainee
        # Resolved now, on the scene's thread: the worker must not read the environment later.
        self.db = db or records_path()
        self.warmup = warmup
        self.stage = "start"
        self.stage_since_s = time.monotonic()
        self.card: dict[str, Any] | None = None
        self.page: Path | None = None
        self.error: tuple[str, str] | None = None
        self.report_error: tuple[str, str] | None = None
        self.record_error: str | None = None
        self.stopped_min: float | None = None
        self.duration_min: float | None = None
        self.play_out_estimate_s: float | None = None
        self.warm: bool | None = None  # the idle figures were in the cache when scoring needed them
        self.reference: dict[str, float] | None = None  # the expert's score on this seed, if cached
        self.drill_key: tuple[str, int] | None = None  # (scenario hash, seed) of the drill
        self.key: tuple[str, int, str] | None = None  # its records key (ui.warmup.seed_key)
        self.whole: Any = None  # the drill as scored (a stopped one played out to its end)
        self.figures: Any = None  # the idle anchors it was scored with
        self.idle_reference: dict[str, float] | None = None  # doing nothing's score, if cached
        self.costliest: list[dict[str, Any]] | None = None  # set once compared with the expert
        self.compare_error: str | None = None
        self.scored = threading.Event()
        self.done = threading.Event()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drill-scoring", daemon=True)

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def start(self) -> None:
        """Start the worker (once: the scene may be entered again after a window resize)."""
        if not self.started:
            self._thread.start()

    def cancel(self) -> None:
        """Ask the worker to stop at its next stage (it never blocks the caller)."""
        self._cancel.set()

    def join(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the worker; True if it has finished."""
        return self.done.wait(timeout_s)

    def _progress(self, stage: str) -> None:
        if self._cancel.is_set():
            raise ScoringCancelled(stage)
        if stage != self.stage:
            self.stage, self.stage_since_s = stage, time.monotonic()

    def _run(self) -> None:
        try:
            from analysis.drilldata import load_drill
            from analysis.log_check import check_scoreable
            from analysis.records import Records

            self._progress("load")
            check_scoreable(self.log_path, replay=False)  # a changed, empty or cut log: no score
            drill = load_drill(self.log_path)
            records = Records(self.db)
            try:
                self.card = self._score(drill, records)
                self.scored.set()
                self._compare(records)
                self._report(drill, self.card)
                self._record(drill, self.card, records)
            finally:
                records.close()
        except ScoringCancelled:
            if self.card is None:
                self.error = ("debrief.score_cancelled", "")
        except Exception as exc:  # any failure becomes a message on screen, never a crash
            log.warning("scoring %s failed", self.log_path, exc_info=True)
            failure = explain(exc, self.log_path)
            if self.card is None:
                self.error = failure
            else:
                self.report_error = failure
        finally:
            self.done.set()

    def _score(self, drill: Any, records: Any) -> dict[str, Any]:
        """The score card, with the idle figures from the cache when the warm-up put them there."""
        from analysis.baselines import (
            FIGURES_BOT,
            baseline_key,
            early_end_min,
            figures_for,
            played_out,
        )
        from analysis.pipeline import score_stopped_or_whole
        from ui.warmup import idle_runs, seed_key

        self.duration_min = drill.scenario.meta.duration_h * 60.0
        self.stopped_min = early_end_min(drill)
        self.drill_key = (str(drill.header["scenario_hash"]), int(drill.header["seed"]))
        self.key = key = seed_key(drill)
        self._progress("baseline_idle")
        if self.warmup is not None:  # the figures are (nearly) ready: wait rather than play twice
            self.warmup.wait_idle(*self.drill_key, self._cancel.is_set)
            self._progress("baseline_idle")  # the wait ends early when the scene is left
        self.warm = records.baseline(*baseline_key(drill), FIGURES_BOT) is not None
        started = time.perf_counter()
        figures = figures_for(drill, records)
        played_s = None if self.warm else (time.perf_counter() - started) / idle_runs()
        if self.stopped_min is not None:
            self.play_out_estimate_s = self._estimate(records, key, played_s)
            self._progress("play_out")
        else:
            self._progress("score")
        self.whole = played_out(drill)  # kept: the costliest decisions are read from it
        self.figures = figures
        card = score_stopped_or_whole(drill, figures, self.whole)
        self.reference = self._reference(records, key)
        self.idle_reference = self._reference(records, key, "idle")
        return card

    def _compare(self, records: Any) -> None:
        """The decisions that cost most, against the expert's drill on the same seed (which the
        warm-up caches; played here when no warm-up has it). Set on the card before the report
        is written, so the screen and the report say the same; a failure is noted, the score
        stands."""
        from analysis.costliest import for_drill
        from ui.warmup import expert_reference

        self._progress("compare")
        if self.warmup is not None and self.drill_key is not None:
            self.warmup.wait_expert(*self.drill_key, self._cancel.is_set)
            self._progress("compare")
        try:  # cached by the warm-up; else the expert is played (and cached) here
            reference = expert_reference(self.whole, self.figures, records)
            self.reference = self.reference or reference
            found = for_drill(self.whole, records)
        except Exception as exc:
            log.warning("comparing %s with the expert failed", self.log_path, exc_info=True)
            self.compare_error = one_line(exc, self.log_path)
            return
        if self.card is not None:
            self.card["costliest"] = found
        self.costliest = found

    @staticmethod
    def _estimate(records: Any, key: tuple[str, int, str], played_s: float | None) -> float | None:
        """How long the play-out should take: about as long as the idle bot's whole drill.

        (The play-out replays the drill from its start with the trainee's orders.)
        """
        from ui.warmup import TIMING_BOT

        if played_s is not None:
            return played_s
        timing = records.baseline(*key, TIMING_BOT)
        return float(timing["seconds"]) if timing else None

    def _reference(
        self, records: Any, key: tuple[str, int, str], bot: str = "expert"
    ) -> dict[str, float] | None:
        from ui.warmup import cached_reference

        return cached_reference(records, key, bot)

    def _report(self, drill: Any, card: dict[str, Any]) -> None:
        """Write ``score.json`` and the HTML report next to the log (files appear whole)."""
        from analysis.pipeline import report_dir, write_report

        self._progress("report")
        try:
            self.page, _ = write_report(
                drill, card, report_dir(self.log_path), self.lang, self.trainee, self.log_path
            )
        except ImportError as exc:  # no plotting extra: the score stands, the report says why
            self.report_error = explain(exc, self.log_path)

    def _record(self, drill: Any, card: dict[str, Any], records: Any) -> None:
        """Record the drill in the records database; a failure is noted, the score stands."""
        self._progress("record")
        from analysis.pipeline import played_at

        try:
            records.add_drill(self.trainee, played_at(self.log_path), card, drill.log_path)
        except Exception as exc:
            log.warning("recording %s failed", self.log_path, exc_info=True)
            self.record_error = one_line(exc, self.log_path)


def records_path() -> Path | None:
    """The default records database (None if analysis cannot be imported: the job says why)."""
    try:
        from analysis.records import default_path
    except Exception:  # broken or missing analysis: the worker meets it again and reports it
        return None
    return default_path()


def explain(exc: BaseException, log_path: Path) -> tuple[str, str]:
    """The translation key and one-line reason that tell a trainee what went wrong."""
    key = error_key(exc)
    reason = one_line(exc, log_path)
    if key == "debrief.score_failed":  # an unexpected error: its type helps a bug report
        reason = f"{type(exc).__name__}: {reason}"
    return key, reason


def error_key(exc: BaseException) -> str:
    """The translation key that explains ``exc`` to a trainee."""
    if isinstance(exc, ImportError):
        return "debrief.score_no_extra"
    import sim

    if isinstance(exc, sim.LogError | sim.ScenarioError):
        return "debrief.score_bad_log"
    return "debrief.score_failed"


def one_line(exc: BaseException, log_path: Path) -> str:
    """The first line of ``exc``'s message, with the log's folder cut off and length capped."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    text = text.replace(str(log_path), log_path.name)
    if isinstance(exc, ImportError) and exc.name:
        text = exc.name
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"
