"""Running drills without a window, replaying them from their logs, and resuming them.

Bots act between slices of time exactly as the game does (advance, look,
submit), so a bot's drill log replays like a trainee's: every command is
re-submitted at its recorded minute, after the engine has advanced to it.

A drill that was stopped (killed, or aborted by a signal) resumes from its
log: :func:`resume_drill` rebuilds it deterministically, checking every
event it rebuilds against the log's, and only then cuts the log after its
last reproduced line and carries on writing, the signature chain unbroken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sim import events as ev
from sim import integrity
from sim.commands import Command, CommandResult, command_from_json
from sim.drill_log import (
    DrillLogWriter,
    LogContents,
    LogError,
    encode,
    load_key,
    make_header,
    read_contents,
)
from sim.engine import Drill
from sim.events import Event
from sim.scenario.loader import LoadedScenario, ScenarioError, parse_scenario

DECISION_EVERY_MIN = 1.0  # a command centre's dispatchers look at the board every minute

StopAsked = Callable[[], bool]


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
    stop: StopAsked | None = None,
) -> Drill:
    """Play a drill with ``bot``; write the log to ``log_path`` if given.

    The drill is played to the scenario's end (``DrillEnded``), or, if
    ``until_min`` falls before it, stopped at that minute the way a trainee
    stops a drill in the game: ``DrillAborted`` with the outcome so far, and
    no bot decision at the stopping minute itself. Until then the drill is the
    same, event for event, as one played to the end. ``stop`` is asked before
    each decision (a signal handler's flag): when it says so, the drill is
    stopped there in the same way.

    If the engine fails mid-drill, the log still ends with a ``DrillAborted``
    line before the error propagates.
    """
    header = make_header(loaded, seed, bot.name)
    writer = DrillLogWriter(log_path, header) if log_path else None
    drill = Drill(loaded, seed, listeners=[writer.write] if writer else [])
    try:
        play_on(drill, bot, 0.0, until_min, decision_every_min, stop)
    finally:
        if writer:
            writer.close()
    return drill


def play_on(
    drill: Drill,
    bot: Bot,
    t: float,
    until_min: float | None = None,
    every_min: float = DECISION_EVERY_MIN,
    stop: StopAsked | None = None,
) -> None:
    """Let ``bot`` command ``drill`` from minute ``t`` (a decision at ``t`` first) until the
    end, ``until_min`` or ``stop``; the drill is finished (aborted if stopped) either way."""
    end = drill.end_min if until_min is None else max(0.0, min(float(until_min), drill.end_min))
    try:
        while not drill.finished and drill.now < end and not (stop and stop()):
            for command in bot.decide(drill.snapshot()):
                _tell(bot, command, drill.submit(command))
            t = min(t + every_min, end)
            drill.advance(t)
        drill.finish(aborted=not drill.finished)  # a no-op once the drill has ended
    except BaseException:
        drill.finish(aborted=True)
        raise


@dataclass(frozen=True)
class ReplayResult:
    """How a replayed log compares with the original (by line bodies, MACs left aside)."""

    identical: bool
    lines: int
    first_difference: int | None = None  # 1-based line number
    expected: str = ""
    got: str = ""
    ended: bool = True  # False: the log has no end line, only its lines were compared


def scenario_of(contents: LogContents, base_dir: Path | None = None) -> LoadedScenario:
    """The scenario a log's header carries; LogError if it is invalid or not the one hashed."""
    header = contents.header
    try:
        loaded = parse_scenario(header["scenario_yaml"], header["scenario_name"], base_dir)
    except ScenarioError as exc:
        raise LogError(
            f"{contents.path}:1: the scenario in the header is invalid:\n{exc}"
        ) from None
    if loaded.content_hash != header["scenario_hash"]:
        raise LogError(
            f"{contents.path}:1: the scenario text in the header does not match its hash "
            "(it was edited after the drill)"
        )
    return loaded


def replay_log(log_path: str | Path, base_dir: Path | None = None) -> tuple[Drill, list[str]]:
    """Re-run the commands of a log at their recorded times; return the drill and new lines.

    The lines are unsigned bodies (compare them with :func:`sim.integrity.body`
    of the log's lines). A log with no end line is replayed to its last event.
    """
    contents = read_contents(log_path)
    loaded = scenario_of(contents, base_dir)
    header, events = contents.header, contents.events
    lines = [encode(header)]
    drill = Drill(
        loaded, int(header["seed"]), listeners=[lambda e: lines.append(encode(e.to_record()))]
    )
    replay_commands(drill, events)
    if not drill.finished and any(e.kind == ev.DRILL_ENDED for e in events):
        drill.advance(drill.end_min)
    elif not drill.finished and events:
        drill.advance(events[-1].t_min)
    return drill, lines


def replay_commands(drill: Drill, events: list[Event], until_min: float | None = None) -> None:
    """Submit the logged commands at their minutes (those up to ``until_min``), and abort the
    drill where the log does."""
    for event in events:
        if until_min is not None and event.t_min > until_min:
            break
        if event.kind == ev.COMMAND_ISSUED:
            drill.advance(event.t_min)
            drill.submit(command_from_json(dict(event.data["command"])))
        elif event.kind == ev.DRILL_ABORTED:
            drill.advance(event.t_min)
            drill.finish(aborted=True)


def verify_log(log_path: str | Path, base_dir: Path | None = None) -> ReplayResult:
    """Replay a log and compare it with the original, line by line (bodies, not MACs)."""
    contents = read_contents(log_path)
    original = [integrity.body(line) for line in contents.lines]
    _, lines = replay_log(log_path, base_dir)
    for number, (want, got) in enumerate(zip(original, lines, strict=False), start=1):
        if want != got:
            return ReplayResult(False, len(original), number, want, got, contents.ended)
    if len(original) != len(lines) and not _tail_of_last_minute(contents, len(lines)):
        number = min(len(original), len(lines)) + 1
        want = original[number - 1] if number <= len(original) else "<end of log>"
        got = lines[number - 1] if number <= len(lines) else "<end of replay>"
        return ReplayResult(False, len(original), number, want, got, contents.ended)
    return ReplayResult(True, len(original), ended=contents.ended)


def _tail_of_last_minute(contents: LogContents, replayed: int) -> bool:
    """A log with no end line replays to the minute of its last event, not through it: the
    lines it has beyond the replay's are all of that minute."""
    if contents.ended or replayed > len(contents.lines):
        return False
    last = contents.events[-1].t_min if contents.events else 0.0
    return all(e.t_min == last for e in contents.events[replayed - 1 :])


# -- resuming a stopped drill -------------------------------------------------------------------
class _Continuation:
    """A drill listener that checks rebuilt events against the log, then appends the new ones.

    Until the log's kept events are all reproduced, each event must equal the
    log's next one (else :class:`LogError`, the file untouched). The first
    event after them cuts the file after the last kept line and is written,
    signed, continuing the chain.
    """

    def __init__(self, contents: LogContents, kept: int, key: bytes) -> None:
        self.contents = contents
        self.expected = [integrity.body(line) for line in contents.lines[1 : 1 + kept]]
        self.keep_chars = sum(len(line) + 1 for line in contents.lines[: 1 + kept])
        self.previous_mac = integrity.split(contents.lines[kept])[1] or ""
        self.key = key
        self.matched = 0
        self.writer: DrillLogWriter | None = None
        self.failure: LogError | None = None

    def __call__(self, event: Event) -> None:
        if self.failure is not None:
            return
        if self.writer is None and self.matched < len(self.expected):
            line = encode(event.to_record())
            if line != self.expected[self.matched]:
                number = self.matched + 2
                self.failure = LogError(
                    f"{self.contents.path}:{number}: the drill does not rebuild to what the log "
                    f"says here, so it cannot be resumed\n  log:     "
                    f"{self.expected[self.matched][:200]}\n  rebuilt: {line[:200]}"
                )
                raise self.failure
            self.matched += 1
            return
        self.open()
        assert self.writer is not None
        self.writer.write(event)

    def open(self) -> None:
        """Every kept event reproduced: cut the log after them and write on (once)."""
        if self.writer is not None:
            return
        if self.matched < len(self.expected):
            number = self.matched + 2
            raise LogError(
                f"{self.contents.path}:{number}: the rebuilt drill stops before this line, so "
                "it cannot be resumed"
            )
        self.writer = DrillLogWriter.continuing(
            self.contents.path, self.keep_chars, self.previous_mac, self.key
        )

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Resumption:
    """A drill rebuilt from its log, ready to be played on from ``from_min``.

    ``log`` is the listener that writes on into the log file (close it when the
    drill is over); ``note`` says what was kept and dropped, for the person.
    """

    drill: Drill
    from_min: float
    log: _Continuation
    note: str

    @property
    def path(self) -> Path:
        """The log file the drill goes on writing to."""
        return self.log.contents.path

    def close(self) -> None:
        self.log.close()


def open_for_resume(
    log_path: str | Path, key: bytes | None = None, base_dir: Path | None = None
) -> tuple[LogContents, LoadedScenario, bytes]:
    """Read a log and check it may be resumed here: signed with this installation's key, its
    chain whole, its scenario intact, and its drill not ended. LogError says why not."""
    contents = read_contents(log_path)
    key = load_key(key)
    path = contents.path
    check = integrity.check_chain(contents.lines, contents.header.get("key_id"), key)
    if check.status == "unsigned":
        raise LogError(
            f"{path}:1: an unsigned log (format 1, written before logs were signed) cannot be "
            "resumed; replay it with python -m sim replay"
        )
    if check.status == "other_key":
        raise LogError(
            f"{path}:1: the log was signed at another installation (key {check.detail}); it can "
            "only be resumed there"
        )
    if check.status == "broken":
        raise LogError(
            f"{path}:{check.line}: {check.detail}: the log was changed after it "
            "was written, so it cannot be resumed"
        )
    if contents.events and contents.events[-1].kind == ev.DRILL_ENDED:
        raise LogError(
            f"{path}: the drill ended at minute {contents.events[-1].t_min:g}: nothing to resume"
        )
    return contents, scenario_of(contents, base_dir), key


def _before_abort(events: list[Event]) -> list[Event]:
    """The events before a drill's stop: the abort line and the footprints it wrote go."""
    if not events or events[-1].kind != ev.DRILL_ABORTED:
        return events
    stop = events[-1].t_min
    kept = len(events) - 1
    while kept and events[kept - 1].kind == ev.HAZARD_FOOTPRINT and events[kept - 1].t_min == stop:
        kept -= 1
    return events[:kept]


def resume_drill(
    log_path: str | Path,
    bot: Bot | None = None,
    key: bytes | None = None,
    base_dir: Path | None = None,
    stop: StopAsked | None = None,
) -> Resumption:
    """Rebuild a stopped drill from its log and, with ``bot``, play it on to the end.

    With ``bot`` the bot the log names (``driver``), the bot plays the drill
    again from its start: it is deterministic, so it gives the log's commands
    again, and every event is checked against the log's line before the log
    goes on; the resumed log is the one an unbroken drill would have written.
    Otherwise (a trainee's drill, or another bot taking over) the logged
    commands are re-submitted at their minutes up to the minute of the log's
    last whole event, the drill is left there (events of that minute are
    rebuilt, not kept) and ``bot``, if given, plays on from it. Without a bot
    the drill is returned at that minute for a person to play on (the game),
    its log cut after the last line kept and open for the rest. Raises
    :class:`LogError` naming the file and line when the log may not or cannot
    be resumed; the file is left untouched then.
    """
    contents, loaded, key = open_for_resume(log_path, key, base_dir)
    events = _before_abort(contents.events)
    stopped_by = "stopped" if len(events) < len(contents.events) else "cut off"
    last_min = events[-1].t_min if events else 0.0
    same_bot = bot is not None and contents.header.get("driver") == bot.name
    if same_bot:
        kept = len(events)
    else:
        kept = next((i for i, e in enumerate(events) if e.t_min >= last_min), len(events))
    continuation = _Continuation(contents, kept, key)
    drill = Drill(loaded, int(contents.header["seed"]), listeners=[continuation])

    def stop_after_rebuild() -> bool:  # never stop half-way through the rebuild
        return continuation.writer is not None and stop is not None and stop()

    stop_min = contents.events[-1].t_min if contents.events else 0.0
    how = f"replayed by bot {bot.name} from its start" if same_bot else "rebuilt from its commands"
    note = (
        f"{contents.path}: the drill was {stopped_by} at minute {stop_min:g}; {how} "
        f"({kept} events checked against the log, {len(contents.lines) - 1 - kept} after them "
        "made anew)"
    )
    resumption = Resumption(drill, last_min, continuation, note)
    try:
        if same_bot:
            assert bot is not None
            play_on(drill, bot, 0.0, stop=stop_after_rebuild)
            continuation.open()  # a rebuild that ended short of the log is refused, not kept
            return resumption
        replay_commands(drill, events, last_min)
        drill.advance(last_min)
        continuation.open()
        if bot is not None:
            play_on(drill, bot, last_min, stop=stop_after_rebuild)
    except BaseException:
        continuation.close()
        raise
    return resumption
