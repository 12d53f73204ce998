"""``python -m sim``: validate and document scenarios, run drills headless, replay logs.

User mistakes end with a message naming the file (and line) and what is
wrong, never a traceback: ``validate`` exits 1 when a file has mistakes (its
verdict); a bad input to any command (a file missing, unreadable, a folder or
a pipe, a corrupt log, a seed out of range, an output that cannot be written)
exits 2, and leaves no partial file behind.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from sim.bots import make_bot
from sim.drill_log import FORMAT, LogError, read_log
from sim.runner import run_headless, verify_log
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


def check_log(path: str | Path) -> tuple[dict[str, Any], list[Any]]:
    """Read a drill log and check what replaying and scoring rely on.

    Raises :class:`LogError` naming the file and line: not UTF-8 text, not
    JSON lines, a header without a whole-number seed in range, an event time
    that is not a finite number, a command that is not a command.
    """
    from pydantic import ValidationError

    from sim import events as ev
    from sim.commands import command_from_json

    path = check_input_file(path, "drill log")
    for number, record in enumerate(_records(path), start=1):
        if number == 1 and isinstance(record, dict) and record.get("format") == FORMAT:
            _check_header(path, record)
        elif number > 1 and isinstance(record, dict) and "t" in record:
            _check_time(path, number, record["t"])
    header, events = read_log(path)
    for number, event in enumerate(events, start=2):
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
    return header, events


def _records(path: Path) -> list[Any]:
    """Each line of the log parsed as JSON (None where it is not: read_log names it)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LogError(
            f"{path}:{line}: not a drill log: byte 0x{raw[exc.start]:02X} is not UTF-8 text"
        ) from None
    if text.strip() and not text.lstrip().startswith("{"):
        raise LogError(f"{path}:1: not a drill log (it does not start with a JSON header)")
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
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
            print(exc, file=sys.stderr)
        else:
            failed += _report_warnings(loaded, args.strict)
    return 1 if failed else 0


def _report_warnings(loaded: LoadedScenario, strict: bool) -> int:
    """Print a loaded file's warnings (errors with ``strict``): 1 if that fails it, else 0."""
    from sim.scenario.warnings import scenario_warnings

    found = scenario_warnings(loaded)
    for warning in found:
        print(warning.render(strict), file=sys.stderr)
    if found and strict:
        return 1
    suffix = f" ({len(found)} warning{'s' if len(found) > 1 else ''})" if found else ""
    print(f"{loaded.name}: ok{suffix}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    text = scenario_json_schema()
    if args.out:
        write_atomically(check_output_file(args.out, "schema"), text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _run(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    if args.out:
        check_output_file(args.out, "drill log")
    seed = loaded.scenario.meta.default_seed if args.seed is None else args.seed
    drill = run_headless(loaded, seed, make_bot(args.bot, loaded.scenario), args.out)
    outcome = drill.outcome()
    people = outcome["people"]
    meta = loaded.scenario.meta
    print(f"{meta.title.en} / {meta.title.zh} — bot {args.bot}, seed {seed}")
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
    if args.out:
        print(f"  drill log: {args.out}")
    return 0


def _replay(args: argparse.Namespace) -> int:
    if args.scenario_dir and not Path(args.scenario_dir).is_dir():
        raise UsageError(f"{args.scenario_dir}: --scenario-dir is not a folder")
    check_log(args.log)
    result = verify_log(args.log, Path(args.scenario_dir) if args.scenario_dir else None)
    if result.identical:
        print(f"{args.log}: replay identical ({result.lines} lines)")
        return 0
    print(
        f"{args.log}:{result.first_difference}: replay differs\n"
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
    p.set_defaults(func=_validate)
    p = commands.add_parser("schema", help="write the scenario JSON Schema")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_schema)
    p = commands.add_parser("run", help="play a scenario headless with a bot")
    p.add_argument("scenario")
    p.add_argument("--bot", choices=["idle", "expert"], default="expert")
    p.add_argument("--seed", type=seed_arg, default=None, help="default: the scenario's seed")
    p.add_argument("--out", help="drill log to write (JSON Lines)")
    p.set_defaults(func=_run)
    p = commands.add_parser("replay", help="replay a drill log")
    p.add_argument("log")
    p.add_argument("--verify", action="store_true", help="confirm the replay is byte-identical")
    p.add_argument("--scenario-dir", help="folder of image files the scenario refers to")
    p.set_defaults(func=_replay)
    from sim.branch import add_branch_command  # what-if branches (sim/branch.py)

    add_branch_command(commands)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ScenarioError, LogError, UsageError) as exc:
        print(exc, file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:
        print(f"{exc.filename or 'python -m sim'}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
