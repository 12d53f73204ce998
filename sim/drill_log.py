"""The drill log: JSON Lines, a header then one event per line, flushed as written.

The header names the format and engine versions, the scenario's content hash
and the seed (and, for a headless drill, the bot that drove it), and carries
the scenario text itself, so a log is enough to replay or score a drill
anywhere. Lines are encoded deterministically (insertion-ordered keys,
shortest round-trip floats, no NaN), so a replay can be compared byte for
byte. Every line is signed, chained to the line before (:mod:`sim.integrity`);
a log of format version 1 has no chain and is read as unsigned.

A crash loses at most the event being written: a log whose last line was cut
off mid-way is read up to its last whole line, and the note says so.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sim import integrity
from sim.events import Event
from sim.scenario.loader import LoadedScenario

FORMAT = "drillcommand-log"
FORMAT_VERSION = 2  # 2: every line signed (sim.integrity); 1: no chain, still read
READABLE_VERSIONS = (1, 2)
ENGINE_VERSION = "0.1.0"
END_KINDS = ("DrillEnded", "DrillAborted")


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


def make_header(loaded: LoadedScenario, seed: int, driver: str | None = None) -> dict[str, Any]:
    """The log's first line; ``driver`` names the bot that plays the drill (None: a person)."""
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine_version": ENGINE_VERSION,
        "engine_build": engine_build(),
        "scenario_id": loaded.scenario.meta.id,
        "scenario_name": Path(loaded.name).name,
        "scenario_hash": loaded.content_hash,
        "seed": seed,
    }
    if driver is not None:
        header["driver"] = driver
    header["scenario_yaml"] = loaded.text
    return header


def load_key(key: bytes | None = None) -> bytes:
    """``key``, or this installation's key (made on first use); LogError if it cannot be."""
    if key is not None:
        return key
    try:
        return integrity.installation_key()
    except integrity.KeyFileError as exc:
        raise LogError(str(exc)) from None


class DrillLogWriter:
    """Appends events to a log file, one signed, flushed line each.

    ``key`` signs the lines (default: this installation's key, see
    :mod:`sim.integrity`); the header gains the key's id.
    """

    def __init__(self, path: str | Path, header: dict[str, Any], key: bytes | None = None) -> None:
        self.path = Path(path)
        key = load_key(key)
        self._chain = integrity.Chain(key)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = self.path.open("w", encoding="utf-8", newline="\n")
        self._write({**header, "format_version": FORMAT_VERSION, "key_id": integrity.key_id(key)})

    @classmethod
    def continuing(
        cls, path: str | Path, keep_chars: int, previous_mac: str, key: bytes | None = None
    ) -> DrillLogWriter:
        """A writer that appends to ``path`` after its first ``keep_chars`` characters (whole
        lines), the chain going on from ``previous_mac``; what followed them is cut off."""
        writer = cls.__new__(cls)
        writer.path = Path(path)
        writer._chain = integrity.Chain(load_key(key), previous_mac)
        handle = writer.path.open("r+", encoding="utf-8", newline="\n")
        kept = handle.read(keep_chars)
        handle.seek(0, 2)
        handle.truncate(len(kept.encode("utf-8")))
        handle.seek(0, 2)
        writer._file = handle
        return writer

    def _write(self, record: dict[str, Any]) -> None:
        assert self._file is not None, "the log is closed"
        self._file.write(self._chain.sign(encode(record)) + "\n")
        self._file.flush()

    def write(self, event: Event) -> None:
        """Listener for :class:`sim.engine.Drill`: write ``event`` at once."""
        self._write(event.to_record())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass(frozen=True)
class LogContents:
    """A log read up to its last whole line.

    ``lines`` are the whole lines as written (header first); ``cut`` says the
    last line was cut off mid-way (a drill killed while writing it) and
    ``note`` says so in a sentence naming the file and line.
    """

    path: Path
    header: dict[str, Any]
    events: list[Event]
    lines: list[str]
    cut: bool = False
    note: str = ""

    @property
    def signed(self) -> bool:
        return self.header.get("key_id") is not None

    @property
    def ended(self) -> bool:
        return bool(self.events) and self.events[-1].kind in END_KINDS


def read_log(path: str | Path) -> tuple[dict[str, Any], list[Event]]:
    """The header and events of a log; raises :class:`LogError` naming the bad line.

    A last line cut off mid-way is left out (see :func:`read_contents` for the note).
    """
    contents = read_contents(path)
    return contents.header, contents.events


def read_contents(path: str | Path) -> LogContents:
    """Read a log up to its last whole line; raises :class:`LogError` naming the bad line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LogError(f"{path}: cannot read the drill log: {exc.strerror or exc}") from None
    lines, cut = whole_lines(path, raw)
    if not lines:
        raise LogError(f"{path}:1: the drill log is empty")
    records = [_record(path, number, line) for number, line in enumerate(lines, start=1)]
    header = records[0]
    if header.get("format") != FORMAT:
        raise LogError(f"{path}:1: not a DrillCommand drill log (no format header)")
    if header.get("format_version") not in READABLE_VERSIONS:
        raise LogError(
            f"{path}:1: log format version {header.get('format_version')} is not supported "
            f"(this engine reads versions {', '.join(map(str, READABLE_VERSIONS))})"
        )
    events = [Event.from_record(r) for r in records[1:]]
    note = ""
    if cut:
        when = f"minute {events[-1].t_min:g}" if events else "the header"
        note = (
            f"{path}:{len(lines) + 1}: the last line is cut off (the drill was stopped while "
            f"writing it); read up to line {len(lines)}, {when}"
        )
    return LogContents(path, header, events, lines, cut, note)


def whole_lines(path: Path, raw: bytes) -> tuple[list[str], bool]:
    """The log's whole lines, and whether a cut-off last line was left out."""
    parts = raw.split(b"\n")
    tail = parts.pop()  # after the last newline: empty, or a line cut off mid-way
    cut = False
    if tail.startswith(b"{"):  # the start of a line: whole, or cut off while being written
        try:
            record = json.loads(tail.decode("utf-8"))
            whole = isinstance(record, dict)
        except (UnicodeDecodeError, ValueError, RecursionError):
            whole = False
        if whole or not parts:  # a one-line file is read as it is (and judged there)
            parts.append(tail)
        else:
            cut = True
    elif tail:  # not a line of a log at all: read, so that what is wrong is named
        parts.append(tail)
    lines = []
    for number, part in enumerate(parts, start=1):
        try:
            lines.append(part.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LogError(
                f"{path}:{number}: not a drill log: byte 0x{part[exc.start]:02X} is not UTF-8 text"
            ) from None
    return lines, cut


def _record(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LogError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
    except RecursionError:
        raise LogError(f"{path}:{number}: nested too deep to be a drill log line") from None
    if not isinstance(record, dict):
        raise LogError(f"{path}:{number}: a log line must be a JSON object")
    if number > 1 and not ("t" in record and "event" in record):
        raise LogError(f"{path}:{number}: an event needs 't' and 'event'")
    record.pop(integrity.MAC_FIELD, None)
    return record
