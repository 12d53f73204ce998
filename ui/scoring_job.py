"""Scoring a finished drill in the background, so the debrief keeps drawing while the bots play.

The debrief is the one place the front end reaches into ``analysis/``: it
runs :func:`analysis.pipeline.score_and_report` on a daemon thread (the
baselines replay the scenario with the idle and expert bots, up to half a
minute on a large scenario). Analysis is imported on that thread, so a game
installed without the ``analysis`` extra still plays and shows why there is
no score. The thread opens its own records database (SQLite connections
belong to the thread that made them). The scene polls the job each frame;
leaving the scene cancels it at the next stage, and closing the window
simply ends the process (the thread is a daemon, and files are written
atomically, so nothing is left half-written).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
REASON_CHARS = 200


class ScoringCancelled(Exception):
    """Raised inside the worker when the scene no longer wants the result."""


class ScoringJob:
    """Score one closed drill log and write its report, on a daemon thread.

    After :attr:`done` is set, exactly one of ``card`` (with ``page``, the
    HTML report) or ``error`` (a translation key and a one-line reason) is set.
    """

    def __init__(self, log_path: Path, lang: str, trainee: str, db: Path | None = None) -> None:
        self.log_path = log_path
        self.lang = lang
        self.trainee = trainee
        # Resolved now, on the scene's thread: the worker must not read the environment later.
        self.db = db or records_path()
        self.stage = "start"
        self.card: dict[str, Any] | None = None
        self.page: Path | None = None
        self.error: tuple[str, str] | None = None
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
        self.stage = stage

    def _run(self) -> None:
        try:
            from analysis.pipeline import report_dir, score_and_report

            files = score_and_report(
                self.log_path,
                report_dir(self.log_path),
                self.lang,
                self.trainee,
                self.db,
                progress=self._progress,
            )
            self.page = files.page
            self.card = files.card
        except ScoringCancelled:
            self.error = ("debrief.score_cancelled", "")
        except Exception as exc:  # any failure becomes a message on screen, never a crash
            log.warning("scoring %s failed", self.log_path, exc_info=True)
            key = error_key(exc)
            reason = one_line(exc, self.log_path)
            if key == "debrief.score_failed":  # an unexpected error: its type helps a bug report
                reason = f"{type(exc).__name__}: {reason}"
            self.error = (key, reason)
        finally:
            self.done.set()


def records_path() -> Path | None:
    """The default records database (None if analysis cannot be imported: the job says why)."""
    try:
        from analysis.records import default_path
    except Exception:  # broken or missing analysis: the worker meets it again and reports it
        return None
    return default_path()


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
