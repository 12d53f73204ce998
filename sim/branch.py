"""What-if branches: a drill rebuilt from its log to a minute, then played on differently.

A branch log is a new drill log that shares its parent's prefix. The parent's
commands issued *before* the branch minute are re-submitted at their recorded
minutes (the engine is a function of scenario, seed and commands, so every
event before that minute comes out as the parent logged it); from the branch
minute on, someone else commands: nobody, a bot (``python -m sim branch``) or
a trainee in the game (the replay viewer's "take command from here"). A
parent's command at exactly the branch minute is the new commander's to give
or not.

The branch header is an ordinary drill header (so ``sim replay --verify``
and the scoring read it like any log) plus ``branch``: the parent's file
name, the minute, a digest of the parent's header and a digest of the prefix
(the events before the minute, compared as events, never as raw lines: a line
may carry more than its event, such as tamper-evidence fields), so that a
branch can be checked against a parent file later (:func:`check_branch`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import events as ev
from sim.commands import Command, command_from_json
from sim.drill_log import DrillLogWriter, LogError, encode, make_header, read_log
from sim.engine import Drill, EventListener
from sim.scenario.loader import LoadedScenario, ScenarioError, parse_scenario

BRANCH_KEY = "branch"
ENDS = (ev.DRILL_ENDED, ev.DRILL_ABORTED)


def event_record(event: ev.Event) -> dict[str, Any]:
    """The event as the engine emitted it (what prefixes are compared by)."""
    return event.to_record()


def digest(records: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of records in their log encoding, one per line."""
    sha = hashlib.sha256()
    for record in records:
        sha.update(encode(dict(record)).encode("utf-8"))
        sha.update(b"\n")
    return sha.hexdigest()


def prefix_events(events: Sequence[ev.Event], at_min: float) -> list[ev.Event]:
    """The events before ``at_min``: what a branch at ``at_min`` shares with its parent."""
    return [e for e in events if e.t_min < at_min]


def prefix_digest(events: Sequence[ev.Event], at_min: float) -> str:
    return digest(event_record(e) for e in prefix_events(events, at_min))


@dataclass(frozen=True)
class Parent:
    """A drill log read for replaying or branching: its header, events and scenario."""

    path: Path
    header: Mapping[str, Any]
    events: tuple[ev.Event, ...]
    loaded: LoadedScenario

    @property
    def seed(self) -> int:
        return int(self.header["seed"])

    @property
    def end_min(self) -> float:
        """The scenario's end (minutes)."""
        return self.loaded.scenario.meta.duration_h * 60.0

    @property
    def last_min(self) -> float:
        """The minute the logged drill stopped at: its end, or where it was aborted or cut."""
        return self.events[-1].t_min if self.events else 0.0

    @property
    def ended(self) -> str | None:
        """``DrillEnded`` or ``DrillAborted`` if the log has its last line, else None."""
        return self.events[-1].kind if self.events and self.events[-1].kind in ENDS else None

    def commands(self, before_min: float | None = None) -> list[tuple[float, Command]]:
        """(minute, command) of every command logged (before ``before_min`` if given)."""
        return [
            (e.t_min, command_from_json(dict(e.data["command"])))
            for e in self.events
            if e.kind == ev.COMMAND_ISSUED and (before_min is None or e.t_min < before_min)
        ]


def open_parent(path: str | Path, base_dir: Path | None = None) -> Parent:
    """Read a drill log and its scenario; raises :class:`LogError` naming the file and line."""
    path = Path(path)
    header, events = read_log(path)
    try:
        loaded = parse_scenario(header["scenario_yaml"], header["scenario_name"], base_dir)
    except (KeyError, TypeError):
        raise LogError(f"{path}:1: the header has no scenario text") from None
    except ScenarioError as exc:
        raise LogError(f"{path}:1: the scenario in the header is invalid:\n{exc}") from None
    if loaded.content_hash != header.get("scenario_hash"):
        raise LogError(f"{path}:1: scenario hash does not match its text")
    return Parent(path, header, tuple(events), loaded)


def check_branch_minute(parent: Parent, at_min: float) -> float:
    """``at_min`` as a float if a branch can start there; else :class:`ValueError` saying why."""
    at_min = float(at_min)
    if not at_min >= 0.0:  # also refuses NaN
        raise ValueError(f"branch minute {at_min:g} is before the drill began")
    if at_min > parent.end_min:
        raise ValueError(
            f"branch minute {at_min:g} is after the drill's end (minute {parent.end_min:g})"
        )
    if at_min > parent.last_min:
        raise ValueError(
            f"branch minute {at_min:g} is after the logged drill stopped "
            f"(minute {parent.last_min:g}); nothing is known of it after that"
        )
    return at_min


def branch_header(parent: Parent, at_min: float) -> dict[str, Any]:
    """A header for a branch of ``parent`` at ``at_min``: this engine's, plus ``branch``."""
    header = make_header(parent.loaded, parent.seed)
    header[BRANCH_KEY] = {
        "parent": parent.path.name,
        "at_min": float(at_min),
        "parent_header_sha256": digest([parent.header]),
        "prefix_sha256": prefix_digest(parent.events, at_min),
        "prefix_events": len(prefix_events(parent.events, at_min)),
    }
    return header


def branch_of(header: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``branch`` block of a log header, or None for a drill that is not a branch."""
    block = header.get(BRANCH_KEY)
    return block if isinstance(block, Mapping) else None


class Replayer:
    """A drill re-run from minute 0 with a log's commands at their minutes, advanced in steps.

    Steps let a front end spread the work over frames and show progress; the
    events are the same whatever the steps (commands are applied only where
    a step lands exactly on their minute).
    """

    def __init__(
        self,
        parent: Parent,
        stop_min: float,
        commands: Sequence[tuple[float, Command]],
        listeners: Sequence[EventListener] = (),
    ) -> None:
        self.parent = parent
        self.stop_min = float(stop_min)
        self.drill = Drill(parent.loaded, parent.seed, listeners=list(listeners))
        self._commands = list(commands)
        self._next = 0

    @property
    def done(self) -> bool:
        return self.drill.finished or (
            self.drill.now >= self.stop_min and self._next >= len(self._commands)
        )

    @property
    def progress(self) -> float:
        """How far the rebuild is, 0..1."""
        return 1.0 if self.stop_min <= 0 else min(1.0, self.drill.now / self.stop_min)

    def advance(self, until_min: float) -> None:
        """Advance to ``until_min`` (at most the stop), submitting the commands due by then."""
        until = min(float(until_min), self.stop_min)
        drill = self.drill
        while self._next < len(self._commands) and self._commands[self._next][0] <= until:
            t_min, command = self._commands[self._next]
            drill.advance(t_min)
            drill.submit(command)
            self._next += 1
        drill.advance(until)


def rebuild(parent: Parent, at_min: float, listeners: Sequence[EventListener] = ()) -> Drill:
    """The parent's drill at ``at_min``, its commands before that minute re-submitted."""
    at_min = check_branch_minute(parent, at_min)
    replayer = Replayer(parent, at_min, parent.commands(before_min=at_min), listeners)
    replayer.advance(at_min)
    return replayer.drill


def replay_all(parent: Parent, listeners: Sequence[EventListener] = ()) -> Replayer:
    """A :class:`Replayer` of the whole logged drill (to where it stopped)."""
    return Replayer(parent, parent.last_min, parent.commands(), listeners)


def finish_like_parent(replayer: Replayer) -> None:
    """End a whole-drill replay the way its log ended (aborted, or ran to the end)."""
    drill, parent = replayer.drill, replayer.parent
    if parent.ended == ev.DRILL_ABORTED and not drill.finished:
        drill.advance(parent.last_min)
        drill.finish(aborted=True)
    elif parent.ended == ev.DRILL_ENDED and not drill.finished:
        drill.advance(drill.end_min)


def play_branch(
    parent: Parent,
    at_min: float,
    out: str | Path,
    bot: Any | None = None,
    until_min: float | None = None,
    decision_every_min: float = 1.0,
) -> Drill:
    """Write the branch of ``parent`` at ``at_min`` to ``out`` and return its drill.

    From ``at_min`` the ``bot`` (anything with ``decide(snapshot)``) commands,
    deciding every ``decision_every_min`` as in :func:`sim.runner.run_headless`;
    without one nobody does. The drill runs to its end, or is stopped at
    ``until_min`` (``DrillAborted``). The file appears whole or not at all.
    """
    at_min = check_branch_minute(parent, at_min)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    writer = DrillLogWriter(temporary, branch_header(parent, at_min))
    try:
        drill = rebuild(parent, at_min, [writer.write])
        stop = drill.end_min if until_min is None else min(float(until_min), drill.end_min)
        t = at_min
        while not drill.finished and drill.now < stop:
            if bot is not None:
                for command in bot.decide(drill.snapshot()):
                    result = drill.submit(command)
                    learn = getattr(bot, "learn", None)
                    if learn is not None:
                        learn(command, result)
            t = min(t + decision_every_min, stop) if bot is not None else stop
            drill.advance(t)
        drill.finish(aborted=not drill.finished)
        writer.close()
        os.replace(temporary, out)
    except BaseException:
        writer.close()
        temporary.unlink(missing_ok=True)
        raise
    return drill


@dataclass(frozen=True)
class BranchCheck:
    """What :func:`check_branch` found: problems (empty when the branch holds)."""

    at_min: float
    parent: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_branch(branch_path: str | Path, parent_path: str | Path | None = None) -> BranchCheck:
    """Check a branch log against its header's digests, and against a parent file if given.

    Raises :class:`LogError` if ``branch_path`` is not a branch log.
    """
    header, events = read_log(branch_path)
    block = branch_of(header)
    if block is None:
        raise LogError(f"{branch_path}:1: not a branch log (its header names no parent)")
    at_min = float(block["at_min"])
    problems = []
    if prefix_digest(events, at_min) != block.get("prefix_sha256"):
        problems.append(f"{branch_path}: its events before minute {at_min:g} are not its parent's")
    if parent_path is not None:
        parent_header, parent_events = read_log(parent_path)
        if digest([parent_header]) != block.get("parent_header_sha256"):
            problems.append(f"{parent_path}: its header is not the one the branch names")
        if prefix_digest(parent_events, at_min) != block.get("prefix_sha256"):
            problems.append(f"{parent_path}: its events before minute {at_min:g} differ")
    return BranchCheck(at_min, str(block.get("parent", "")), tuple(problems))


def find_parent(branch_path: str | Path, header: Mapping[str, Any]) -> Path | None:
    """The parent log a branch names, if it is in the branch's folder."""
    block = branch_of(header)
    if block is None:
        return None
    candidate = Path(branch_path).parent / str(block.get("parent", ""))
    return candidate if candidate.is_file() else None


# -- python -m sim branch -------------------------------------------------------------------
def add_branch_command(commands: Any) -> None:
    """Add ``branch`` to ``python -m sim``'s subcommands."""
    p = commands.add_parser(
        "branch", help="rebuild a drill from its log to a minute and play on from there"
    )
    p.add_argument("log", help="the parent drill log")
    p.add_argument("--at", type=_minute_arg, required=True, help="branch minute (sim minutes)")
    p.add_argument("--out", required=True, help="branch log to write (JSON Lines)")
    p.add_argument("--bot", choices=["idle", "expert"], help="who commands after the branch")
    p.add_argument("--until", type=_minute_arg, help="stop the branch at this minute")
    p.add_argument("--scenario-dir", help="folder of image files the scenario refers to")
    p.set_defaults(func=_branch_command)


def _minute_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a minute (a number)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite minute")
    return value


def _branch_command(args: argparse.Namespace) -> int:
    from sim.bots import make_bot
    from sim.cli import UsageError, check_log, check_output_file

    if args.scenario_dir and not Path(args.scenario_dir).is_dir():
        raise UsageError(f"{args.scenario_dir}: --scenario-dir is not a folder")
    check_log(args.log)
    out = check_output_file(args.out, "branch log")
    if out.resolve() == Path(args.log).resolve():
        raise UsageError(f"{out}: the branch would overwrite its parent; name another file")
    parent = open_parent(args.log, Path(args.scenario_dir) if args.scenario_dir else None)
    try:
        at_min = check_branch_minute(parent, args.at)
    except ValueError as exc:
        raise UsageError(f"{args.log}: {exc}") from None
    if args.until is not None and args.until < at_min:
        raise UsageError(f"--until {args.until:g} is before the branch minute {at_min:g}")
    bot = make_bot(args.bot, parent.loaded.scenario) if args.bot else None
    drill = play_branch(parent, at_min, out, bot, args.until)
    people = drill.outcome()["people"]
    prefix = len(prefix_events(parent.events, at_min))
    print(
        f"{out}: branch of {parent.path.name} at minute {at_min:g} "
        f"({prefix} events shared), then {args.bot or 'no further orders'} to minute "
        f"{drill.now:g}: dead {people['dead']}, injured "
        f"{people['injured'] + people['hospitalised']}, evacuated {people['evacuated']}"
    )
    return 0
