"""Running drills without a window, and replaying them from their logs.

Bots act between slices of time exactly as the game does (advance, look,
submit), so a bot's drill log replays like a trainee's: every command is
re-submitted at its recorded minute, after the engine has advanced to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sim import events as ev
from sim.commands import Command, CommandResult, command_from_json
from sim.drill_log import DrillLogWriter, LogError, encode, make_header, read_log
from sim.engine import Drill
from sim.scenario.loader import LoadedScenario, ScenarioError, parse_scenario

DECISION_EVERY_MIN = 1.0  # a command centre's dispatchers look at the board every minute


class Bot(Protocol):
    """A scripted commander: looks at a snapshot, returns commands."""

    name: str

    def decide(self, snapshot: object) -> list[Command]: ...


def _tell(bot: Bot, command: Command, result: CommandResult) -> None:
    """Bots that want to learn from rejections have a ``learn`` method."""
    learn = getattr(bot, "learn", None)
    if learn is not None:
        learn(command, result)


def run_headless(
    loaded: LoadedScenario,
    seed: int,
    bot: Bot,
    log_path: str | Path | None = None,
    decision_every_min: float = DECISION_EVERY_MIN,
    until_min: float | None = None,
) -> Drill:
    """Play a drill with ``bot``; write the log to ``log_path`` if given.

    The drill is played to the scenario's end (``DrillEnded``), or, if
    ``until_min`` falls before it, stopped at that minute the way a trainee
    stops a drill in the game: ``DrillAborted`` with the outcome so far, and
    no bot decision at the stopping minute itself. Until then the drill is the
    same, event for event, as one played to the end.

    If the engine fails mid-drill, the log still ends with a ``DrillAborted``
    line before the error propagates.
    """
    writer = DrillLogWriter(log_path, make_header(loaded, seed)) if log_path else None
    drill = Drill(loaded, seed, listeners=[writer.write] if writer else [])
    stop = drill.end_min if until_min is None else max(0.0, min(float(until_min), drill.end_min))
    try:
        t = 0.0
        while not drill.finished and drill.now < stop:
            snapshot = drill.snapshot()
            for command in bot.decide(snapshot):
                _tell(bot, command, drill.submit(command))
            t = min(t + decision_every_min, stop)
            drill.advance(t)
        drill.finish(aborted=not drill.finished)  # a no-op once the drill has ended
    except BaseException:
        drill.finish(aborted=True)
        raise
    finally:
        if writer:
            writer.close()
    return drill


@dataclass(frozen=True)
class ReplayResult:
    """How a replayed log compares with the original."""

    identical: bool
    lines: int
    first_difference: int | None = None  # 1-based line number
    expected: str = ""
    got: str = ""


def replay_log(log_path: str | Path, base_dir: Path | None = None) -> tuple[Drill, list[str]]:
    """Re-run the commands of a log at their recorded times; return the drill and new lines."""
    header, events = read_log(log_path)
    try:
        loaded = parse_scenario(header["scenario_yaml"], header["scenario_name"], base_dir)
    except ScenarioError as exc:
        raise LogError(f"{log_path}:1: the scenario in the header is invalid:\n{exc}") from None
    if loaded.content_hash != header["scenario_hash"]:
        raise LogError(f"{log_path}:1: scenario hash does not match its text")
    lines = [encode(header)]
    drill = Drill(
        loaded, int(header["seed"]), listeners=[lambda e: lines.append(encode(e.to_record()))]
    )
    for event in events:
        if event.kind == ev.COMMAND_ISSUED:
            drill.advance(event.t_min)
            drill.submit(command_from_json(dict(event.data["command"])))
        elif event.kind == ev.DRILL_ABORTED:
            drill.advance(event.t_min)
            drill.finish(aborted=True)
    if not drill.finished and any(e.kind == ev.DRILL_ENDED for e in events):
        drill.advance(drill.end_min)
    return drill, lines


def verify_log(log_path: str | Path, base_dir: Path | None = None) -> ReplayResult:
    """Replay a log and compare it with the original, line by line."""
    original = Path(log_path).read_text(encoding="utf-8").splitlines()
    _, lines = replay_log(log_path, base_dir)
    for number, (want, got) in enumerate(zip(original, lines, strict=False), start=1):
        if want != got:
            return ReplayResult(False, len(original), number, want, got)
    if len(original) != len(lines):
        number = min(len(original), len(lines)) + 1
        want = original[number - 1] if number <= len(original) else "<end of log>"
        got = lines[number - 1] if number <= len(lines) else "<end of replay>"
        return ReplayResult(False, len(original), number, want, got)
    return ReplayResult(True, len(original))
