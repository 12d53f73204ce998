"""The drill log: JSON Lines, a header then one event per line, flushed as written.

The header names the format and engine versions, the scenario's content hash
and the seed, and carries the scenario text itself, so a log is enough to
replay or score a drill anywhere. Lines are encoded deterministically
(insertion-ordered keys, shortest round-trip floats, no NaN), so a replay can
be compared byte for byte. A crash loses at most the event being written.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import IO, Any

from sim.events import Event
from sim.scenario.loader import LoadedScenario

FORMAT = "drillcommand-log"
FORMAT_VERSION = 1
ENGINE_VERSION = "0.1.0"


@functools.cache
def engine_build() -> str:
    """A fingerprint of the engine's source: two drills agree only on the same build.

    The version number changes by hand; the build changes with every edit, so
    caches of bot baselines and replays can tell engines apart.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class LogError(Exception):
    """A drill log that cannot be read; the message names the file and line."""


def encode(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def make_header(loaded: LoadedScenario, seed: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine_version": ENGINE_VERSION,
        "engine_build": engine_build(),
        "scenario_id": loaded.scenario.meta.id,
        "scenario_name": Path(loaded.name).name,
        "scenario_hash": loaded.content_hash,
        "seed": seed,
        "scenario_yaml": loaded.text,
    }


class DrillLogWriter:
    """Appends events to a log file, one flushed line each."""

    def __init__(self, path: str | Path, header: dict[str, Any]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = self.path.open("w", encoding="utf-8", newline="\n")
        self._write(header)

    def _write(self, record: dict[str, Any]) -> None:
        assert self._file is not None, "the log is closed"
        self._file.write(encode(record) + "\n")
        self._file.flush()

    def write(self, event: Event) -> None:
        """Listener for :class:`sim.engine.Drill`: write ``event`` at once."""
        self._write(event.to_record())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_log(path: str | Path) -> tuple[dict[str, Any], list[Event]]:
    """The header and events of a log; raises :class:`LogError` naming the bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LogError(f"{path}: cannot read the drill log: {exc}") from None
    if not lines:
        raise LogError(f"{path}:1: the drill log is empty")
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LogError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        if not isinstance(record, dict):
            raise LogError(f"{path}:{number}: a log line must be a JSON object")
        if number > 1 and not ("t" in record and "event" in record):
            raise LogError(f"{path}:{number}: an event needs 't' and 'event'")
        records.append(record)
    header = records[0]
    if header.get("format") != FORMAT:
        raise LogError(f"{path}:1: not a DrillCommand drill log (no format header)")
    if header.get("format_version") != FORMAT_VERSION:
        raise LogError(
            f"{path}:1: log format version {header.get('format_version')} is not supported "
            f"(this engine reads version {FORMAT_VERSION})"
        )
    return header, [Event.from_record(r) for r in records[1:]]
