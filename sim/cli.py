"""``python -m sim``: validate and document scenarios, run drills headless, replay logs.

User mistakes (a bad scenario, a missing file, a corrupt log) end with a
message naming the file and line and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from sim.bots import make_bot
from sim.drill_log import LogError
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
        write_atomically(Path(args.out), text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _run(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
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
    parser = argparse.ArgumentParser(prog="python -m sim", description=__doc__.splitlines()[0])
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
    p.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    p.add_argument("--out", help="drill log to write (JSON Lines)")
    p.set_defaults(func=_run)
    p = commands.add_parser("replay", help="replay a drill log")
    p.add_argument("log")
    p.add_argument("--verify", action="store_true", help="confirm the replay is byte-identical")
    p.add_argument("--scenario-dir", help="folder of image files the scenario refers to")
    p.set_defaults(func=_replay)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ScenarioError, LogError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
