"""The drill-records database: one SQLite file, every drill and its scores.

Default place: ``$XDG_DATA_HOME/drillcommand/records.sqlite`` (falling back to
``~/.local/share``), never the working directory; the key that signs drill
logs (``drill-log.key``, :mod:`sim.integrity`) is kept beside it. It also caches the bot
baselines by (scenario hash, seed, bot, engine version).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    log_path TEXT NOT NULL
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


class Records:
    """A handle on the database (created on first use)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)
        self._let_outcome_be_empty()

    def _let_outcome_be_empty(self) -> None:
        """Databases made before an outcome could be empty held it NOT NULL: rebuild the table
        once without that constraint, rows kept (SQLite cannot drop a constraint in place)."""
        columns = self.db.execute("PRAGMA table_info(drills)").fetchall()
        if not any(c[1] == "outcome" and c[3] for c in columns):
            return
        with self.db:
            self.db.execute("ALTER TABLE drills RENAME TO drills_old")
            self.db.executescript(SCHEMA)
            self.db.execute("INSERT INTO drills SELECT * FROM drills_old")
            self.db.execute("DROP TABLE drills_old")

    def close(self) -> None:
        self.db.close()

    def add_drill(
        self, trainee: str, played_at: str, card: Mapping[str, Any], log_path: str
    ) -> int:
        """Record a scored drill; returns its id."""
        cur = self.db.execute(
            "INSERT INTO drills (trainee, scenario_id, scenario_hash, seed, played_at, total,"
            " process, outcome, scores_json, log_path) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                trainee,
                card["scenario_id"],
                card["scenario_hash"],
                _seed(card["seed"]),
                played_at,
                card["total"],
                card["process_score"],
                card["outcome"]["score"],
                json.dumps(card, ensure_ascii=False, sort_keys=True),
                log_path,
            ),
        )
        self.db.commit()
        return int(cur.lastrowid or 0)

    def _rows(self, where: str, args: tuple[Any, ...]) -> list[DrillRecord]:
        rows = self.db.execute(
            "SELECT id, trainee, scenario_id, scenario_hash, seed, played_at, total, process,"
            f" outcome, scores_json, log_path FROM drills WHERE {where} ORDER BY played_at, id",
            args,
        ).fetchall()
        return [DrillRecord(*r[:9], json.loads(r[9]), r[10]) for r in rows]

    def drills_of(self, trainee: str) -> list[DrillRecord]:
        return self._rows("trainee = ?", (trainee,))

    def drills_on(self, scenario_id: str) -> list[DrillRecord]:
        return self._rows("scenario_id = ?", (scenario_id,))

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
