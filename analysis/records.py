"""The drill-records database: one SQLite file, every drill and its scores.

Default place: ``$XDG_DATA_HOME/drillcommand/records.sqlite`` (falling back to
``~/.local/share``), never the working directory; the key that signs drill
logs (``drill-log.key``, :mod:`sim.integrity`) is kept beside it. It also caches the bot
baselines by (scenario hash, seed, bot, engine version).

A log is one drill, however often and in whichever language its report is
made: a drill is keyed by the SHA-256 of its log file (``log_digest``), and
reporting the same log again updates its row (its scores, and its trainee
when a name is given; an unnamed report keeps the name recorded). Only a
person's drill is a trainee's (``kind`` ``trainee``): a log a bot played
(its header names a ``driver``) is kept as ``bot`` and a what-if branch (its
header names a parent) as ``branch``; neither is counted in a trainee's
progress or among the drills on a scenario (:meth:`Records.drills_of`,
:meth:`Records.drills_on`); the bots' are shown apart as references
(:meth:`Records.bot_drills_on`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim import integrity

SCHEMA = """
CREATE TABLE IF NOT EXISTS drills (
    id INTEGER PRIMARY KEY,
    trainee TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    played_at TEXT NOT NULL,
    total REAL NOT NULL,
    process REAL NOT NULL,
    outcome REAL,
    scores_json TEXT NOT NULL,
    log_path TEXT NOT NULL,
    log_digest TEXT,
    kind TEXT NOT NULL DEFAULT 'trainee',
    bot TEXT NOT NULL DEFAULT '',
    title_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS baselines (
    scenario_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    engine_version TEXT NOT NULL,
    bot TEXT NOT NULL,
    parts_json TEXT NOT NULL,
    PRIMARY KEY (scenario_hash, seed, engine_version, bot)
);
"""
# The columns of the first databases, and what later versions added (with their defaults).
FIRST_COLUMNS = (
    "id, trainee, scenario_id, scenario_hash, seed, played_at, total, process, outcome,"
    " scores_json, log_path"
)
ADDED_COLUMNS = {
    "log_digest": "TEXT",
    "kind": "TEXT NOT NULL DEFAULT 'trainee'",
    "bot": "TEXT NOT NULL DEFAULT ''",
    "title_json": "TEXT NOT NULL DEFAULT '{}'",
}
ONE_ROW_PER_LOG = "CREATE UNIQUE INDEX IF NOT EXISTS drills_by_log ON drills(log_digest)"
VERSION = 2  # PRAGMA user_version once old rows are keyed by their logs and merged
UNNAMED = "anonymous"  # the trainee of a report that names none (the CLI's and game's default)
KINDS = ("trainee", "bot", "branch")


SEED_LIMIT = 2**63  # SQLite keeps a signed 64-bit INTEGER


def _seed(seed: Any) -> int:
    """A drill's ``seed`` if the database can keep it; a ValueError naming it otherwise.

    (The baselines table also keys anchors with the seed -1: not a drill's seed.)
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise ValueError(f"seed {seed!r} is out of range for the records (0 to 2^63 - 1)")
    return seed


def default_path() -> Path:
    """The records database: in the data folder, beside the drill-log key (sim.integrity)."""
    return integrity.data_dir() / "records.sqlite"


@dataclass(frozen=True)
class LogFacts:
    """What the records keep of a log file: its digest, who played it, its scenario's title."""

    digest: str
    kind: str  # "trainee" (a person), "bot" (the header names a driver) or "branch"
    bot: str  # the driver's name ("" for a person)
    title: dict[str, str]  # the scenario's title by language ("en", "zh"); empty if unknown


def log_facts(path: str | Path) -> LogFacts | None:
    """The :class:`LogFacts` of the log at ``path``; None if it cannot be read as a log."""
    try:
        data = Path(path).read_bytes()
        header = json.loads(data.split(b"\n", 1)[0])
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict):
        return None
    driver = str(header.get("driver") or "")
    kind = "branch" if header.get("branch") else "bot" if driver else "trainee"
    return LogFacts(hashlib.sha256(data).hexdigest(), kind, driver, _title(header))


def _title(header: Mapping[str, Any]) -> dict[str, str]:
    """The scenario's title from the YAML a log's header carries ({} if it has none)."""
    try:
        meta = (yaml.safe_load(str(header.get("scenario_yaml", ""))) or {}).get("meta", {})
        title = meta.get("title", {})
        return {k: str(title[k]) for k in ("en", "zh") if k in title}
    except (yaml.YAMLError, AttributeError, TypeError):
        return {}


@dataclass(frozen=True)
class DrillRecord:
    id: int
    trainee: str
    scenario_id: str
    scenario_hash: str
    seed: int
    played_at: str
    total: float
    process: float
    outcome: float | None  # None: the scenario left nothing preventable
    scores: dict[str, Any]
    log_path: str
    kind: str = "trainee"  # see KINDS
    bot: str = ""
    title: dict[str, str] = field(default_factory=dict)

    def scenario_title(self, lang: str) -> str:
        """The scenario's title in ``lang`` ("zh-CN" or "en"); its id when none is known."""
        return self.title.get("zh" if lang == "zh-CN" else "en") or self.scenario_id


class Records:
    """A handle on the database (created on first use)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)
        self._let_outcome_be_empty()
        self._key_rows_by_log()

    def _let_outcome_be_empty(self) -> None:
        """Databases made before an outcome could be empty held it NOT NULL: rebuild the table
        once without that constraint, rows kept (SQLite cannot drop a constraint in place)."""
        columns = self.db.execute("PRAGMA table_info(drills)").fetchall()
        if not any(c[1] == "outcome" and c[3] for c in columns):
            return
        with self.db:
            self.db.execute("ALTER TABLE drills RENAME TO drills_old")
            self.db.executescript(SCHEMA)
            self.db.execute(
                f"INSERT INTO drills ({FIRST_COLUMNS}) SELECT {FIRST_COLUMNS} FROM drills_old"
            )
            self.db.execute("DROP TABLE drills_old")

    def _key_rows_by_log(self) -> None:
        """Databases made before a log was one drill: add the columns, key each old row by its
        log (when the file is still there) and merge the rows one log made (a report run again,
        in another language or under another name), once."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] >= VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then skips
        try:
            if self.db.execute("PRAGMA user_version").fetchone()[0] < VERSION:
                self._migrate()
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def _migrate(self) -> None:
        have = {c[1] for c in self.db.execute("PRAGMA table_info(drills)")}
        for name, decl in ADDED_COLUMNS.items():
            if name not in have:
                self.db.execute(f"ALTER TABLE drills ADD COLUMN {name} {decl}")
        rows = self.db.execute(
            "SELECT id, log_path FROM drills WHERE log_digest IS NULL ORDER BY id"
        ).fetchall()
        for row_id, path in rows:
            facts = log_facts(path)
            if facts is not None:
                self._merge_old(row_id, facts)
        self.db.execute(ONE_ROW_PER_LOG)
        self.db.execute(f"PRAGMA user_version = {VERSION}")

    def _merge_old(self, row_id: int, facts: LogFacts) -> None:
        """Key an old row by its log; a later row of a log already keyed is merged into it."""
        first = self.db.execute(
            "SELECT id, trainee FROM drills WHERE log_digest = ?", (facts.digest,)
        ).fetchone()
        if first is None:
            self.db.execute(
                "UPDATE drills SET log_digest=?, kind=?, bot=?, title_json=? WHERE id=?",
                (facts.digest, facts.kind, facts.bot, json.dumps(facts.title), row_id),
            )
            return
        (trainee,) = self.db.execute("SELECT trainee FROM drills WHERE id=?", (row_id,)).fetchone()
        if trainee != UNNAMED:
            self.db.execute("UPDATE drills SET trainee=? WHERE id=?", (trainee, first[0]))
        self.db.execute("DELETE FROM drills WHERE id=?", (row_id,))

    def close(self) -> None:
        self.db.close()

    def add_drill(
        self, trainee: str, played_at: str, card: Mapping[str, Any], log_path: str
    ) -> int:
        """Record a scored drill, once per log; returns its id.

        The log at ``log_path`` is read for its digest and header: a log recorded
        before is updated in place (its scores; its trainee unless ``trainee`` is
        :data:`UNNAMED`), not added again. A bot's log or a what-if branch is kept
        apart (``kind``), never as a trainee's drill. A ``log_path`` that cannot be
        read is recorded as a person's drill without a digest.
        """
        facts = log_facts(log_path)
        scores = json.dumps(card, ensure_ascii=False, sort_keys=True)
        figures = (card["total"], card["process_score"], card["outcome"]["score"], scores)
        seed = _seed(card["seed"])
        known = (
            self.db.execute(
                "SELECT id, trainee FROM drills WHERE log_digest = ?", (facts.digest,)
            ).fetchone()
            if facts
            else None
        )
        if known is not None:
            name = known[1] if trainee == UNNAMED else trainee
            self.db.execute(
                "UPDATE drills SET trainee=?, total=?, process=?, outcome=?, scores_json=?,"
                " log_path=? WHERE id=?",
                (name, *figures, log_path, known[0]),
            )
            self.db.commit()
            return int(known[0])
        kind, bot, title = (facts.kind, facts.bot, facts.title) if facts else ("trainee", "", {})
        cur = self.db.execute(
            "INSERT INTO drills (trainee, scenario_id, scenario_hash, seed, played_at, total,"
            " process, outcome, scores_json, log_path, log_digest, kind, bot, title_json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                trainee,
                card["scenario_id"],
                card["scenario_hash"],
                seed,
                played_at,
                *figures,
                log_path,
                facts.digest if facts else None,
                kind,
                bot,
                json.dumps(title, ensure_ascii=False),
            ),
        )
        self.db.commit()
        return int(cur.lastrowid or 0)

    def _rows(self, where: str, args: tuple[Any, ...]) -> list[DrillRecord]:
        rows = self.db.execute(
            "SELECT id, trainee, scenario_id, scenario_hash, seed, played_at, total, process,"
            " outcome, scores_json, log_path, kind, bot, title_json FROM drills"
            f" WHERE {where} ORDER BY played_at, id",
            args,
        ).fetchall()
        return [
            DrillRecord(*r[:9], json.loads(r[9]), r[10], r[11], r[12], json.loads(r[13]))
            for r in rows
        ]

    def drills_of(self, trainee: str) -> list[DrillRecord]:
        """The trainee's drills (a person's logs only), oldest first."""
        return self._rows("trainee = ? AND kind = 'trainee'", (trainee,))

    def drills_on(self, scenario_id: str) -> list[DrillRecord]:
        """Every trainee's drills on a scenario (no bot's log, no branch), oldest first."""
        return self._rows("scenario_id = ? AND kind = 'trainee'", (scenario_id,))

    def bot_drills_on(self, scenario_id: str) -> list[DrillRecord]:
        """The bots' logs recorded on a scenario (references, not trainees' drills)."""
        return self._rows("scenario_id = ? AND kind = 'bot'", (scenario_id,))

    def every_drill(self) -> list[DrillRecord]:
        """Every row, of every kind (trainees', bots' and branches')."""
        return self._rows("1", ())

    def baseline(self, scenario_hash: str, seed: int, engine: str, bot: str) -> dict | None:
        row = self.db.execute(
            "SELECT parts_json FROM baselines WHERE scenario_hash=? AND seed=? AND"
            " engine_version=? AND bot=?",
            (scenario_hash, seed, engine, bot),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def save_baseline(
        self, scenario_hash: str, seed: int, engine: str, bot: str, parts: Mapping[str, float]
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO baselines VALUES (?,?,?,?,?)",
            (scenario_hash, seed, engine, bot, json.dumps(dict(parts), sort_keys=True)),
        )
        self.db.commit()
