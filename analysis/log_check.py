"""What a log must show before its score is given, and before it is recorded.

A score is only as good as the log it is computed from, and a log is a file a
trainee can edit. So before scoring, :func:`check_scoreable` refuses a log
whose signature chain breaks (naming the first line that does not follow,
:mod:`sim.integrity`), a log with no events or no end (a header alone, a drill
killed mid-way: resume it first), and a log whose scenario text no longer
matches its hash. Before recording, it replays the log's commands and refuses
a log that does not reproduce line for line (a forged outcome signed by
someone holding the key; a log written by another engine build, named as
such). A log that is unsigned (written before logs were signed) or signed at
another installation is scored but not recorded, and the note says why. A
log played on another version of a shipped scenario is named as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim import integrity
from sim.cli import UsageError, check_log
from sim.drill_log import LogContents, LogError, engine_build, load_key
from sim.runner import scenario_of, verify_log

SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "scenarios"


@dataclass(frozen=True)
class Trust:
    """What the checks found: whether the score may go into the records, and notes to show."""

    recordable: bool
    notes: tuple[str, ...] = ()


def check_scoreable(
    log: str | Path, replay: bool = True, key: bytes | None = None, base_dir: Path | None = None
) -> Trust:
    """Check ``log`` before it is scored; raise ``sim.LogError`` naming the file and line if it
    must not be. With ``replay``, a recordable log is also replayed and must reproduce."""
    try:
        contents = check_log(log)
    except UsageError as exc:  # missing, a folder, a pipe: a log that cannot be read
        raise LogError(str(exc)) from None
    path = contents.path
    notes = [contents.note] if contents.note else []
    recordable = _chain(contents, key, notes)
    if not contents.events:
        raise LogError(f"{path}: the log has no events, only its header: nothing to score")
    if not contents.ended:
        raise LogError(
            f"{path}:{len(contents.lines)}: the drill has no end (it was cut off at minute "
            f"{contents.events[-1].t_min:g}); resume it with python -m sim resume {path}, then "
            "score it"
        )
    loaded = scenario_of(contents, base_dir)
    notes += _scenario_version(contents, loaded.content_hash, loaded.scenario.meta.id)
    if replay and recordable:
        _reproduces(contents, base_dir)
    return Trust(recordable, tuple(notes))


def _chain(contents: LogContents, key: bytes | None, notes: list[str]) -> bool:
    """Refuse a broken chain; True if the log is signed here (its score may be recorded)."""
    key = load_key(key)
    check = integrity.check_chain(contents.lines, contents.header.get("key_id"), key)
    path = contents.path
    if check.status == "broken":
        raise LogError(
            f"{path}:{check.line}: {check.detail}: the log was changed after it was written, "
            "and is not scored"
        )
    if check.status == "unsigned":
        notes.append(
            f"{path}: an unsigned log (written before logs were signed): scored, not recorded"
        )
    elif check.status == "other_key":
        notes.append(
            f"{path}: signed at another installation (key {check.detail}), so it cannot be "
            "checked here: scored, not recorded"
        )
    return check.intact


def _reproduces(contents: LogContents, base_dir: Path | None) -> None:
    result = verify_log(contents.path, base_dir)
    if result.identical:
        return
    build = contents.header.get("engine_build")
    why = (
        f" (the log was written by engine build {build} and this is {engine_build()}: an "
        "engine change may be why)"
        if build != engine_build()
        else "; the log's events are not what its commands give"
    )
    raise LogError(
        f"{contents.path}:{result.first_difference}: the log does not reproduce: replaying its "
        f"commands gives another line here{why}. Not scored\n"
        f"  log:    {result.expected[:200]}\n  replay: {result.got[:200]}"
    )


def _scenario_version(contents: LogContents, content_hash: str, scenario_id: str) -> list[str]:
    """A note when the shipped scenario of the same name and id is now another version."""
    shipped = SCENARIOS_DIR / str(contents.header.get("scenario_name", ""))
    if not shipped.is_file():
        return []
    from sim.scenario.loader import ScenarioError, load_scenario

    try:
        current = load_scenario(shipped)
    except ScenarioError:
        return []
    if current.scenario.meta.id != scenario_id or current.content_hash == content_hash:
        return []
    return [
        f"{contents.path}: played on another version of scenario '{scenario_id}' "
        f"({content_hash[:19]}…; {shipped.name} is now {current.content_hash[:19]}…): "
        "scored on the version it was played on"
    ]
