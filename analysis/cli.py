"""``python -m analysis report|compare|ladder``: the after-action report, a trainee's progress,
and the bot ladder that checks the score orders commanders fairly."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sim
from analysis.pipeline import score_and_report
from analysis.records import Records


def _report(args: argparse.Namespace) -> int:
    luck = [int(s) for s in args.luck_seeds.split(",")] if args.luck_seeds else None
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
    print(
        f"score {card['total']} (process {card['process_score']}, "
        f"outcome {card['outcome']['score']})"
    )
    if "luck" in card:
        band = card["luck"]
        print(f"same orders on seeds {band['seeds']}: {band['low']}–{band['high']}")
    print(f"report: {files.page}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from analysis.progress import compare_figure

    records = Records(args.db)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = compare_figure(records, args.trainee, args.scenario, out / "compare.png", args.lang)
    records.close()
    print(f"comparison: {path}")
    return 0


def _ladder(args: argparse.Namespace) -> int:
    from analysis.ladder import (
        POLICIES,
        default_workers,
        format_fails,
        format_gates,
        format_rungs,
        gates,
        print_progress,
        run_ladder,
    )

    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [None]
    policies = args.policies.split(",") if args.policies else list(POLICIES)
    rungs = run_ladder(
        args.scenarios, seeds, policies, args.workers or default_workers(), print_progress
    )
    checks = gates(rungs)
    print(format_rungs(rungs))
    print("\n" + format_fails(rungs))
    print("\n" + format_gates(checks, rungs))
    held = all(g.passed for g in checks)
    print(f"\nladder: {'pass' if held else 'FAIL'}")
    return 0 if held else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    rep = sub.add_parser("report", help="score a drill log and write its HTML report")
    rep.add_argument("log")
    rep.add_argument("--out", required=True)
    rep.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    rep.add_argument("--trainee", default="anonymous")
    rep.add_argument("--no-record", action="store_true", help="do not add it to the records DB")
    rep.add_argument(
        "--luck-seeds",
        help="comma-separated seeds: replay the same orders on them and show the score's band",
    )
    cmp_ = sub.add_parser("compare", help="plot a trainee's progress and the scenario spread")
    cmp_.add_argument("--trainee", required=True)
    cmp_.add_argument("--scenario", help="scenario id (default: the trainee's latest)")
    cmp_.add_argument("--out", required=True)
    cmp_.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    for p in (rep, cmp_):
        p.add_argument("--db", help="records database (default: XDG data dir)")
    lad = sub.add_parser(
        "ladder", help="score the bots and the degenerate commanders on scenarios, check the gates"
    )
    lad.add_argument("scenarios", nargs="+", help="scenario YAML files")
    lad.add_argument("--seeds", help="comma-separated seeds (default: each scenario's own)")
    lad.add_argument(
        "--policies", help="comma-separated policies (default: all; idle is always played)"
    )
    lad.add_argument("--workers", type=int, help="worker processes (default: the machine's cores)")
    args = parser.parse_args(argv)
    commands = {"report": _report, "compare": _compare, "ladder": _ladder}
    try:
        return commands[args.cmd](args)
    except (sim.LogError, sim.ScenarioError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
