"""``python -m analysis report|compare|ladder``: the after-action report, a trainee's progress,
and the bot ladder that checks the score orders commanders fairly."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

import sim
from analysis import calibrate
from analysis.pipeline import score_and_report
from analysis.records import Records
from sim.cli import (
    USAGE_ERROR,
    Parser,
    UsageError,
    check_input_file,
    check_log,
    check_output_folder,
    seeds_arg,
)


def _check_db(db: str | None) -> None:
    """A records database named with ``--db`` must be a file that can be made or opened."""
    if db is None:
        return
    path = Path(db)
    if path.is_dir():
        raise UsageError(f"{path}: --db names a folder; give the database file")
    if path.exists():
        check_input_file(path, "records database")
        with path.open("rb") as handle:
            head = handle.read(16)
        if head and head != b"SQLite format 3\x00":
            raise UsageError(f"{path}: is not a records database (not an SQLite file)")
    check_output_folder(path.parent if str(path.parent) else Path("."), "database's folder")


def _positive(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1 to 256)")
    return value


def _report(args: argparse.Namespace) -> int:
    check_log(args.log)
    _check_db(args.db)
    check_output_folder(args.out)
    luck = args.luck_seeds
    files = score_and_report(
        args.log,
        args.out,
        args.lang,
        args.trainee,
        args.db,
        record=not args.no_record,
        luck_seeds=luck,
    )
    card = files.card
    for note in files.notes:
        print(note, file=sys.stderr)
    print(
        f"score {card['total']} (process {card['process_score']}, "
        f"outcome {card['outcome']['score']})"
    )
    if "luck" in card:
        band = card["luck"]
        print(f"same orders on seeds {band['seeds']}: {band['low']}–{band['high']}")
    print(f"report: {files.page}")
    if not args.no_record:
        if not files.recorded:
            print("not recorded (see the note above)")
        elif files.kind == "trainee":
            print("recorded")
        else:  # kept apart from the trainees' drills (compare shows bots as reference lines)
            print(
                f"recorded as a {'bot' if files.kind == 'bot' else 'what-if branch'}'s drill,"
                " not a trainee's"
            )
    return 0


def _compare(args: argparse.Namespace) -> int:
    from analysis.progress import compare_figure, no_bots_note

    if args.logs:  # PARENT BRANCH: a what-if branch beside its parent
        from analysis.branch_compare import compare_command

        return compare_command(args.logs, args.lang, args.out)
    if not args.trainee or not args.out:
        raise UsageError("compare needs --trainee and --out (or two logs: PARENT BRANCH)")

    _check_db(args.db)
    check_output_folder(args.out)
    records = Records(args.db)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        path = compare_figure(records, args.trainee, args.scenario, out / "compare.png", args.lang)
        note = no_bots_note(records, args.trainee, args.scenario, args.lang)
    finally:
        records.close()
    print(f"comparison: {path}")
    if note:
        print(note)
    return 0


def _ladder(args: argparse.Namespace) -> int:
    from analysis.ladder import (
        POLICIES,
        default_workers,
        format_fails,
        format_gates,
        format_rungs,
        gates,
        run_ladder,
        verdict,
    )

    for name in args.scenarios:
        check_input_file(name, "scenario file")
    seeds = args.seeds or [None]
    policies = args.policies.split(",") if args.policies else list(POLICIES)
    rungs = run_ladder(
        args.scenarios, seeds, policies, args.workers or default_workers(), True, args.scheduler
    )
    checks = gates(rungs)
    print(format_rungs(rungs))
    print("\n" + format_fails(rungs))
    print("\n" + format_gates(checks, rungs))
    held = all(g.passed for g in checks)
    print("\n" + verdict(checks, rungs))
    return 0 if held else 1


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    rep = sub.add_parser("report", help="score a drill log and write its HTML report")
    rep.add_argument("log")
    rep.add_argument("--out", required=True)
    rep.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    rep.add_argument("--trainee", default="anonymous")
    rep.add_argument("--no-record", action="store_true", help="do not add it to the records DB")
    rep.add_argument(
        "--luck-seeds",
        type=seeds_arg,
        help="comma-separated seeds: replay the same orders on them and show the score's band",
    )
    cmp_ = sub.add_parser("compare", help="plot a trainee's progress and the scenario spread")
    cmp_.add_argument("logs", nargs="*", help="PARENT BRANCH: set a what-if branch beside it")
    cmp_.add_argument("--trainee")
    cmp_.add_argument("--scenario", help="scenario id (default: the trainee's latest)")
    cmp_.add_argument("--out")
    cmp_.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    for p in (rep, cmp_):
        p.add_argument("--db", help="records database (default: XDG data dir)")
    lad = sub.add_parser(
        "ladder", help="score the bots and the degenerate commanders on scenarios, check the gates"
    )
    lad.add_argument("scenarios", nargs="+", help="scenario YAML files")
    lad.add_argument(
        "--seeds", type=seeds_arg, help="comma-separated seeds (default: each scenario's own)"
    )
    lad.add_argument(
        "--policies", help="comma-separated policies (default: all; idle is always played)"
    )
    lad.add_argument(
        "--workers", type=_positive, help="worker processes (default: the machine's cores)"
    )
    lad.add_argument("--scheduler", help="address of a running Dask scheduler (default: local)")
    calibrate.add_parser(sub)
    args = parser.parse_args(argv)
    commands = {"report": _report, "compare": _compare, "ladder": _ladder}
    commands["calibrate"] = calibrate.command
    try:
        return commands[args.cmd](args)
    except (sim.LogError, sim.ScenarioError, LookupError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except sqlite3.Error as exc:
        print(f"error: {args.db or 'records database'}: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
