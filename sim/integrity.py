"""Tamper evidence for drill logs: a keyed hash on every line, chained to the line before.

Each line of a signed log (format version 2) ends with ``"mac":"<64 hex>"``:
HMAC-SHA256, under this installation's key, of the previous line's MAC
followed by the line's *body* (the line with its ``,"mac":…`` member cut
out). The first line's "previous MAC" is a fixed domain string. Editing,
inserting, removing or reordering any line breaks the chain from that line
on, and nobody without the key can recompute it. The header names the key
by a short id (an HMAC of a fixed string, which reveals nothing of the key),
so a log signed at another installation is told apart from a tampered one.

The key is 32 random bytes in ``drill-log.key`` beside the records database
(``$XDG_DATA_HOME/drillcommand``), made on first use, readable by its owner
only (0600, in a 0700 folder when the folder is made here). The limit, said
plainly: whoever can read the key file can forge a log, so a trainee who
plays under the same account as the scoring installation can. Keep the
records (and the key) under an account the trainee does not have.

Comparing two logs (a replay, a branch and its parent, a viewer) compares
*bodies*: the MACs differ whenever the headers differ (a branch names its
parent) or the key does (another machine), while the events are the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_FILE = "drill-log.key"
KEY_BYTES = 32
CHAIN_START = b"drillcommand-log chain v2\n"
MAC_FIELD = "mac"
_MAC_TAIL = re.compile(r',"mac":"([0-9a-f]{64})"\}$')
_KEY_ID_LABEL = b"drillcommand key id"


class KeyFileError(Exception):
    """The installation's key cannot be made or read; the message names the file."""


def data_dir() -> Path:
    """The user's DrillCommand data folder (``$XDG_DATA_HOME`` or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drillcommand"


def key_path() -> Path:
    """Where this installation's log key is kept: beside the default records database."""
    return data_dir() / KEY_FILE


def installation_key(path: Path | None = None) -> bytes:
    """This installation's key, made on first use (raises :class:`KeyFileError` naming the file).

    Made without a race: the new key is written to a private temporary file
    and hard-linked into place, which fails if another process got there
    first (its key is then read instead).
    """
    path = path or key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        return _read_key(path)
    except OSError as exc:
        raise KeyFileError(
            f"{path}: cannot make the drill-log key: {exc.strerror or exc}"
        ) from None


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise KeyFileError(
            f"{path}: cannot read the drill-log key: {exc.strerror or exc}"
        ) from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path}: not a drill-log key ({len(key)} bytes, not {KEY_BYTES})")
    return key


def key_id(key: bytes) -> str:
    """A short public name for ``key`` (the header carries it)."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def mac_of(key: bytes, previous: str | None, body: str) -> str:
    """The MAC of a line whose body is ``body``, after a line whose MAC was ``previous``."""
    start = CHAIN_START if previous is None else bytes.fromhex(previous)
    return hmac.new(key, start + body.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(body: str, mac: str) -> str:
    """The signed line: ``body`` (a JSON object) with the ``mac`` member added last."""
    return f'{body[:-1]},"{MAC_FIELD}":"{mac}"}}'


def split(line: str) -> tuple[str, str | None]:
    """(body, MAC) of a line; the MAC is None for an unsigned line."""
    match = _MAC_TAIL.search(line)
    if match is None:
        return line, None
    return line[: match.start()] + "}", match.group(1)


def body(line: str) -> str:
    """A line without its MAC: what two logs' events are compared by."""
    return split(line)[0]


class Chain:
    """Signs lines one after another (the writer's side of the chain)."""

    def __init__(self, key: bytes, previous: str | None = None) -> None:
        self.key = key
        self.previous = previous

    def sign(self, body_line: str) -> str:
        mac = mac_of(self.key, self.previous, body_line)
        self.previous = mac
        return seal(body_line, mac)


@dataclass(frozen=True)
class ChainCheck:
    """What the chain says of a log.

    ``status``: ``signed`` (every line follows), ``unsigned`` (an old log with
    no chain), ``other_key`` (signed with another installation's key: cannot
    be checked here) or ``broken`` (``line`` is the first that does not follow).
    """

    status: str
    line: int | None = None
    detail: str = ""

    @property
    def intact(self) -> bool:
        return self.status == "signed"


def check_chain(lines: list[str], header_key_id: object, key: bytes) -> ChainCheck:
    """Check the chain of a log's whole ``lines`` (header first) against ``key``."""
    macs = [split(line)[1] for line in lines]
    if header_key_id is None:
        if all(m is None for m in macs):
            return ChainCheck("unsigned")
        return ChainCheck("broken", 1, "the header names no key, yet lines are signed")
    if header_key_id != key_id(key):
        return ChainCheck("other_key", None, str(header_key_id))
    previous: str | None = None
    for number, line in enumerate(lines, start=1):
        body_line, mac = split(line)
        if mac is None:
            return ChainCheck("broken", number, "the line has no MAC")
        if not hmac.compare_digest(mac, mac_of(key, previous, body_line)):
            return ChainCheck("broken", number, "its MAC does not follow from the line before")
        previous = mac
    return ChainCheck("signed")
