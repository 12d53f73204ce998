"""``python -m sim``: validate and document scenarios, run drills headless, replay and resume logs.

User mistakes end with a message naming the file (and line) and what is
wrong, never a traceback: ``validate`` exits 1 when a file has mistakes (its
verdict); a bad input to any command (a file missing, unreadable, a folder or
a pipe, a corrupt log, a seed out of range, an output that cannot be written)
exits 2, and leaves no partial file behind. A drill stopped by SIGTERM or
Ctrl-C ends its log with ``DrillAborted``, says so in one line and exits
128 + the signal's number; ``resume`` plays it on.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from sim import events as ev
from sim import integrity
from sim.bots import make_bot
from sim.drill_log import FORMAT, LogContents, LogError, load_key, read_contents, whole_lines
from sim.engine import Drill
from sim.runner import replay_log, resume_drill, run_headless, scenario_of, verify_log
from sim.scenario.loader import LoadedScenario, ScenarioError, load_scenario
from sim.scenario.schema import Scenario


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


SEED_LIMIT = 2**63  # seeds are 0 … 2^63 - 1 (the records database keeps a signed 64-bit integer)
USAGE_ERROR = 2


class UsageError(Exception):
    """A bad input named with its file (and line): printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line, not the usage text and a line."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message}\n")


def seed_arg(text: str) -> int:
    """An argparse type: a whole number from 0 to 2^63 - 1."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed (a whole number)") from None
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"seed {value} is out of range (0 to 2^63 - 1)")
    return value


def seeds_arg(text: str) -> list[int]:
    """An argparse type: comma-separated seeds, as in ``3,7,11``."""
    parts = [part for part in text.split(",")]
    if not text.strip() or any(not part.strip() for part in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of seeds")
    return [seed_arg(part) for part in parts]


def threads_arg(text: str) -> int:
    """An argparse type: a number of threads, at least 1."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of threads") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"threads {value}: give 1 or more")
    return value


@contextmanager
def _threads(args: argparse.Namespace) -> Iterator[None]:
    """A flood's substeps on ``--threads`` threads (the drill's result is the same on any)."""
    from sim.hazards.flood import use_threads

    before = use_threads(args.threads)
    try:
        yield
    finally:
        use_threads(before)


def check_input_file(path: str | Path, what: str = "file") -> Path:
    """``path`` if it is a regular file that can be read; else :class:`UsageError`."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: is a pipe or device, not a {what}")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: cannot read the {what}: permission denied")
    return path


def check_output_file(path: str | Path, what: str = "file") -> Path:
    """``path`` if a file can be written there (its folder is made if need be)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name for the {what}")
    check_output_folder(path.parent if str(path.parent) else Path("."), f"folder of the {what}")
    return path


def check_output_folder(folder: str | Path, what: str = "output folder") -> Path:
    """``folder`` if files can be written in it (it is made if it does not exist)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: the {what} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):  # permissions alone do not tell (root, mounts)
            pass
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write the {what}: {exc.strerror or exc}") from None
    return folder


def check_log(path: str | Path) -> LogContents:
    """Read a drill log and check what replaying and scoring rely on.

    Raises :class:`LogError` naming the file and line: not UTF-8 text, not
    JSON lines, a header without a whole-number seed in range, an event time
    that is not a finite number, a command that is not a command. A last line
    cut off mid-way is left out; the result's ``note`` says so.
    """
    from pydantic import ValidationError

    from sim.commands import command_from_json

    path = check_input_file(path, "drill log")
    for number, record in enumerate(_records(path), start=1):
        if number == 1 and isinstance(record, dict) and record.get("format") == FORMAT:
            _check_header(path, record)
        elif number > 1 and isinstance(record, dict) and "t" in record:
            _check_time(path, number, record["t"])
    contents = read_contents(path)
    for number, event in enumerate(contents.events, start=2):
        if event.kind != ev.COMMAND_ISSUED:
            continue
        command = event.data.get("command")
        try:
            if not isinstance(command, dict):
                raise ValueError("no command object")
            command_from_json(dict(command))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            detail = f"{where}: {error['msg']}" if where else error["msg"]
            raise LogError(f"{path}:{number}: not a valid command: {detail[:160]}") from None
        except ValueError as exc:
            raise LogError(f"{path}:{number}: not a valid command: {exc}") from None
    return contents


def chain_verdict(contents: LogContents, key: bytes | None = None) -> tuple[bool, str]:
    """(intact, one line naming the file and, if broken, the first line that does not follow).

    ``intact`` is False for a broken chain only; an unsigned log or one signed
    elsewhere is readable, and the line says what it is.
    """
    key = load_key(key)
    check = integrity.check_chain(contents.lines, contents.header.get("key_id"), key)
    path = contents.path
    if check.status == "signed":
        return True, f"{path}: signed here, every line follows from the one before"
    if check.status == "unsigned":
        return True, f"{path}: unsigned (a log written before logs were signed)"
    if check.status == "other_key":
        return True, (
            f"{path}: signed at another installation (key {check.detail}; this one is "
            f"{integrity.key_id(key)}): its signatures cannot be checked here"
        )
    return False, f"{path}:{check.line}: {check.detail} (the log was changed after it was written)"


def _records(path: Path) -> list[Any]:
    """Each whole line of the log parsed as JSON (None where it is not: read_log names it)."""
    lines, _cut = whole_lines(path, path.read_bytes())
    if lines and lines[0].strip() and not lines[0].lstrip().startswith("{"):
        raise LogError(f"{path}:1: not a drill log (it does not start with a JSON header)")
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except ValueError:
            records.append(None)
        except RecursionError:
            raise LogError(f"{path}:{number}: nested too deep to be a drill log line") from None
    return records


def _check_time(path: Path, number: int, t: Any) -> None:
    if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t):
        raise LogError(f"{path}:{number}: event time {t!r} is not a finite number")
    if t < 0:
        raise LogError(f"{path}:{number}: event time {t!r} is before the drill began")


def _check_header(path: Path, header: dict[str, Any]) -> None:
    seed = header.get("seed")
    if seed is None:
        raise LogError(f"{path}:1: the header has no seed")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise LogError(f"{path}:1: the header's seed {seed!r} is not a whole number")
    if not 0 <= seed < SEED_LIMIT:
        raise LogError(f"{path}:1: the header's seed {seed} is out of range (0 to 2^63 - 1)")
    for key in ("scenario_yaml", "scenario_name", "scenario_hash"):
        if not isinstance(header.get(key), str):
            raise LogError(f"{path}:1: the header has no {key}")


def scenario_json_schema() -> str:
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "DrillCommand scenario (schema_version 1)"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files:
        try:
            loaded = load_scenario(name)
        except ScenarioError as exc:
            failed += 1
            print("\n".join(issue.text(args.lang) for issue in exc.issues), file=sys.stderr)
        else:
            failed += _report_warnings(loaded, args.strict, args.lang)
        # One file's lines go out before the next file's, whichever streams are joined.
        sys.stdout.flush()
        sys.stderr.flush()
    return 1 if failed else 0


def _report_warnings(loaded: LoadedScenario, strict: bool, language: str = "en") -> int:
    """Print a loaded file's verdict and warnings: 1 if they fail it (``strict``), else 0.

    A file that passes prints ``FILE: ok (N warnings)`` on standard output with
    its warnings right under it, on the same stream, so that several files in a
    pipe keep their warnings beside them; with ``strict`` the warnings are the
    file's errors and go, like any error, to standard error. The verdict, the
    labels and the messages are in ``language``.
    """
    from sim.scenario.messages import say
    from sim.scenario.warnings import scenario_warnings

    found = scenario_warnings(loaded)
    if found and strict:
        for warning in found:
            print(warning.text(language, strict=True), file=sys.stderr)
        return 1
    if not found:
        verdict = say("validate.ok", file=loaded.name)
    elif len(found) == 1:
        verdict = say("validate.ok.one", file=loaded.name)
    else:
        verdict = say("validate.ok.many", file=loaded.name, count=len(found))
    print(verdict.in_language(language))
    for warning in found:
        print(warning.text(language))
    return 0


def _schema(args: argparse.Namespace) -> int:
    text = scenario_json_schema()
    if args.out:
        write_atomically(check_output_file(args.out, "schema"), text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


class StopFlag:
    """Set by SIGTERM or Ctrl-C while a drill runs: the drill stops at its next decision."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def __call__(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum is not None else ""


@contextmanager
def stop_on_signals() -> Iterator[StopFlag]:
    """While inside, SIGTERM and SIGINT (Ctrl-C) set the flag instead of killing the process;
    a second Ctrl-C interrupts at once (the drill still ends its log with DrillAborted)."""
    flag = StopFlag()

    def handler(signum: int, frame: object) -> None:
        del frame
        if flag.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt
        flag.signum = signum

    previous = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals cannot be caught here
        pass
    try:
        yield flag
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _stopped(flag: StopFlag, drill: Drill, log: str | None) -> int:
    """The one line a drill stopped by a signal ends with, and the exit status."""
    where = f"; resume it with: python -m sim resume {log}" if log else ""
    print(
        f"{flag.name}: drill stopped at minute {drill.now:g}, DrillAborted written to its "
        f"log{where}",
        file=sys.stderr,
    )
    return 128 + int(flag.signum or signal.SIGINT)


def _print_outcome(drill: Drill) -> None:
    outcome = drill.outcome()
    people = outcome["people"]
    print(
        f"  dead {people['dead']}, injured {people['injured'] + people['hospitalised']}, "
        f"trapped {people['trapped']}, evacuated {people['evacuated']}, "
        f"sheltering {people['sheltering']}, unaware {people['unaware']}"
    )
    print(
        f"  unmet need {outcome['unmet_need_person_h']:.0f} person-h, warnings "
        f"{outcome['warnings_issued']}, response level {outcome['response_level']}, "
        f"open incidents {outcome['incidents_open']}"
    )
    injects = [i.id for i in drill.scenario.injects]
    if injects:
        fired = {e.data.get("inject") for e in drill.events if e.kind == ev.INJECT_FIRED}
        silent = [i for i in injects if i not in fired]
        line = f"  injects fired {len(injects) - len(silent)} of {len(injects)}"
        print(line + (f"; never fired: {', '.join(silent)}" if silent else ""))


def _run(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    if args.out:
        check_output_file(args.out, "drill log")
        load_key()  # a key that cannot be made is named before the drill starts
    seed = loaded.scenario.meta.default_seed if args.seed is None else args.seed
    with _threads(args), stop_on_signals() as stop:
        drill = run_headless(loaded, seed, make_bot(args.bot, loaded.scenario), args.out, stop=stop)
    if stop():
        return _stopped(stop, drill, args.out)
    meta = loaded.scenario.meta
    print(f"{meta.title.en} / {meta.title.zh} — bot {args.bot}, seed {seed}")
    _print_outcome(drill)
    if args.out:
        print(f"  drill log: {args.out}")
    return 0


BOTS = ("idle", "expert")
THREADS_HELP = (
    "threads for a flood's substeps (default 1). The result is the same on any number. More "
    "only on a machine with a core free for each: a thread that waits for a busy core holds up "
    "every substep (measured 30x slower on a loaded machine)"
)


def _resume(args: argparse.Namespace) -> int:
    contents = check_log(args.log)
    if contents.note:
        print(contents.note, file=sys.stderr)
    driver = contents.header.get("driver")
    name = args.bot or driver
    if name is None:
        raise UsageError(
            f"{args.log}: the log names no bot (it was played in the game): give --bot "
            f"{' or '.join(BOTS)} to play it on headless, or resume it in the game"
        )
    if name not in BOTS:
        raise UsageError(f"{args.log}:1: the log's bot {name!r} is not one of {', '.join(BOTS)}")
    base_dir = _scenario_dir(args)
    loaded = scenario_of(contents, base_dir)  # for the bot; resume_drill checks it again
    with _threads(args), stop_on_signals() as stop:
        resumed = resume_drill(args.log, make_bot(name, loaded.scenario), None, base_dir, stop)
    resumed.close()
    print(resumed.note, file=sys.stderr)
    if stop():
        return _stopped(stop, resumed.drill, args.log)
    print(f"{args.log}: resumed with bot {name}, played to minute {resumed.drill.now:g}")
    _print_outcome(resumed.drill)
    return 0


def _scenario_dir(args: argparse.Namespace) -> Path | None:
    if args.scenario_dir and not Path(args.scenario_dir).is_dir():
        raise UsageError(f"{args.scenario_dir}: --scenario-dir is not a folder")
    return Path(args.scenario_dir) if args.scenario_dir else None


def _replay(args: argparse.Namespace) -> int:
    base_dir = _scenario_dir(args)
    contents = check_log(args.log)
    if contents.note:
        print(contents.note, file=sys.stderr)
    if args.verify:
        return _verify(args.log, contents, base_dir)
    drill, lines = replay_log(args.log, base_dir)
    ended = "to its end" if drill.finished else f"to minute {drill.now:g} (the log has no end)"
    print(f"{args.log}: replayed {len(lines) - 1} events {ended}")
    _print_outcome(drill)
    return 0


def _verify(log: str, contents: LogContents, base_dir: Path | None) -> int:
    """The chain, then the replay line by line: exit 1 if either fails."""
    intact, verdict = chain_verdict(contents)
    print(verdict, file=sys.stdout if intact else sys.stderr)
    result = verify_log(log, base_dir)
    if result.identical:
        upto = "" if result.ended else " as far as the log goes (it has no end)"
        print(f"{log}: replay identical{upto} ({result.lines} lines)")
        return 0 if intact else 1
    print(
        f"{log}:{result.first_difference}: replay differs\n"
        f"  log:    {result.expected[:300]}\n  replay: {result.got[:300]}",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m sim", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("validate", help="check scenario files; list every mistake")
    p.add_argument("files", nargs="+")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--lang", choices=["en", "zh-CN"], default="en",
        help="language of the errors and warnings (as in the drill picker)",
    )  # fmt: skip
    p.set_defaults(func=_validate)
    p = commands.add_parser("schema", help="write the scenario JSON Schema")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_schema)
    p = commands.add_parser("run", help="play a scenario headless with a bot")
    p.add_argument("scenario")
    p.add_argument("--bot", choices=["idle", "expert"], default="expert")
    p.add_argument("--seed", type=seed_arg, default=None, help="default: the scenario's seed")
    p.add_argument("--out", help="drill log to write (JSON Lines)")
    p.add_argument("--threads", type=threads_arg, default=1, help=THREADS_HELP)
    p.set_defaults(func=_run)
    p = commands.add_parser("replay", help="replay a drill log and show its outcome")
    p.add_argument("log")
    p.add_argument(
        "--verify",
        action="store_true",
        help="also check the log's signatures and that the replay is identical line by line",
    )
    p.add_argument("--scenario-dir", help="folder of image files the scenario refers to")
    p.set_defaults(func=_replay)
    p = commands.add_parser("resume", help="play on a drill that was stopped or killed")
    p.add_argument("log")
    p.add_argument("--bot", choices=BOTS, help="default: the bot the log names")
    p.add_argument("--scenario-dir", help="folder of image files the scenario refers to")
    p.add_argument("--threads", type=threads_arg, default=1, help=THREADS_HELP)
    p.set_defaults(func=_resume)
    from sim.branch import add_branch_command  # what-if branches (sim/branch.py)

    add_branch_command(commands)
    from sim.serve import add_serve_command  # a drill that seats join (sim/serve.py)

    add_serve_command(commands)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # a second Ctrl-C: the drill's log still ends with DrillAborted
        print("SIGINT: stopped", file=sys.stderr)
        return 128 + signal.SIGINT
    except (ScenarioError, LogError, UsageError) as exc:
        print(exc, file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:
        print(f"{exc.filename or 'python -m sim'}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
