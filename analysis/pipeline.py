"""Score one drill log and write its after-action report: the one path the CLI and the game share.

``score_and_report`` loads the log, plays (or reads from the records
database) the bot baselines, scores the drill, writes ``score.json`` and
``report.<lang>.html`` into a folder, and records the drill. Files are
written atomically (a temporary file in the same folder, then
``os.replace``), so a reader never finds half a report. The records
database is opened and closed inside the call, on the calling thread, as
SQLite requires.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.baselines import early_end_min, figures_for, played_out
from analysis.costliest import for_drill as costliest_for
from analysis.drilldata import DrillData, load_drill
from analysis.log_check import check_scoreable
from analysis.records import Records, log_facts
from analysis.scoring import score_drill

# Stages reported to ``progress`` in order; the baselines are the slow part.
STAGES = ("load", "baseline_idle", "score", "report", "record")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`score_and_report` produced: the score card and where the files are."""

    card: dict[str, Any]
    page: Path
    score_json: Path
    recorded: bool = False  # False when asked not to, or the log may not be (see notes)
    kind: str = "trainee"  # how it was recorded: a trainee's drill, a bot's or a branch
    notes: tuple[str, ...] = ()  # what the log check found (analysis.log_check)


def report_dir(log: str | Path) -> Path:
    """Where the game puts a drill's report: ``<log dir>/<log stem>-report``."""
    path = Path(log)
    return path.parent / f"{path.stem}-report"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that it appears whole or not at all."""
    # A plain open() (not mkstemp) so the file gets the user's umask, like any other.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def score_stopped_or_whole(
    drill: DrillData, figures: Mapping[str, Any], whole: DrillData | None = None
) -> dict[str, Any]:
    """The drill's score card; a drill stopped early is judged as stopped.

    The rest of it is played out with no further orders (:func:`analysis.baselines.played_out`)
    and that whole drill is scored; the card says from which minute
    (``played_out_from_min``), so the report can say so. ``whole``: the drill already
    played out, when the caller has it (it is not played twice).
    """
    stopped = early_end_min(drill)
    card = score_drill(whole if whole is not None else played_out(drill), figures)
    card["played_out_from_min"] = stopped
    return card


def score_and_report(
    log: str | Path,
    out: str | Path,
    lang: str = "en",
    trainee: str = "anonymous",
    db: str | Path | None = None,
    record: bool = True,
    progress: Progress | None = None,
    luck_seeds: list[int] | None = None,
) -> ReportFiles:
    """Score ``log`` and write ``score.json`` and ``report.<lang>.html`` into ``out``.

    ``db`` is the records database (default: :func:`analysis.records.default_path`);
    ``progress`` is called with each name in :data:`STAGES` as it starts (it may
    raise to abandon the work; nothing half-written is left). ``luck_seeds``
    adds the band the same orders score in on those seeds (:mod:`analysis.luck`). Raises
    ``sim.LogError`` / ``sim.ScenarioError`` for a bad log (one that fails
    :func:`analysis.log_check.check_scoreable`: changed, empty, cut off, or, when
    it is to be recorded, not reproduced by a replay) and ``ImportError`` when
    the report's plotting extra (matplotlib) is not installed. A log that is
    unsigned or signed elsewhere is scored but not recorded (``recorded``, ``notes``).
    """
    step = progress or (lambda stage: None)
    step("load")
    trust = check_scoreable(log, replay=record)  # refuses a changed, empty or cut-off log
    drill = load_drill(log)
    records = Records(db)
    try:
        step("baseline_idle")
        figures = figures_for(drill, records)
        step("score")
        whole = played_out(drill)
        card = score_stopped_or_whole(drill, figures, whole)
        card["costliest"] = costliest_for(whole, records)  # against the expert, same seed
        if luck_seeds:
            from analysis.luck import luck_band

            card["luck"] = luck_band(drill, luck_seeds, score_drill, records)
        step("report")
        page, score_json = write_report(drill, card, out, lang, trainee, log)
        recorded = record and trust.recordable
        if recorded:
            step("record")
            records.add_drill(trainee, played_at(log), card, drill.log_path)
    finally:
        records.close()
    facts = log_facts(log)
    kind = facts.kind if facts else "trainee"
    return ReportFiles(card, page, score_json, recorded, notes=trust.notes, kind=kind)


def played_at(log: str | Path) -> str:
    """When the drill was played, as the report and the records give it (the log's time, UTC)."""
    return datetime.fromtimestamp(Path(log).stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M")


def write_report(
    drill: DrillData,
    card: Mapping[str, Any],
    out: str | Path,
    lang: str,
    trainee: str,
    log: str | Path,
) -> tuple[Path, Path]:
    """Write ``score.json`` and ``report.<lang>.html`` into ``out`` (each appears whole);
    return (page, score.json). Raises ``ImportError`` without the plotting extra."""
    from analysis.report import build_report

    meta = {"trainee": trainee, "date": played_at(log) + " UTC", "log": Path(log).name}
    page_html = build_report(drill, card, lang, meta)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    score_json = folder / "score.json"
    page = folder / f"report.{lang}.html"
    write_atomic(score_json, json.dumps(card, ensure_ascii=False, sort_keys=True, indent=1))
    write_atomic(page, page_html)
    return page, score_json
