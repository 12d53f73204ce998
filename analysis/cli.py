"""``python -m analysis report|compare``: the after-action report and a trainee's progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sim
from analysis.pipeline import score_and_report
from analysis.records import Records


def _report(args: argparse.Namespace) -> int:
    files = score_and_report(
        args.log, args.out, args.lang, args.trainee, args.db, record=not args.no_record
    )
    card = files.card
    print(
        f"score {card['total']} (process {card['process_score']}, "
        f"outcome {card['outcome']['score']})\nreport: {files.page}"
    )
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    rep = sub.add_parser("report", help="score a drill log and write its HTML report")
    rep.add_argument("log")
    rep.add_argument("--out", required=True)
    rep.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    rep.add_argument("--trainee", default="anonymous")
    rep.add_argument("--no-record", action="store_true", help="do not add it to the records DB")
    cmp_ = sub.add_parser("compare", help="plot a trainee's progress and the scenario spread")
    cmp_.add_argument("--trainee", required=True)
    cmp_.add_argument("--scenario", help="scenario id (default: the trainee's latest)")
    cmp_.add_argument("--out", required=True)
    cmp_.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    for p in (rep, cmp_):
        p.add_argument("--db", help="records database (default: XDG data dir)")
    args = parser.parse_args(argv)
    try:
        return _report(args) if args.cmd == "report" else _compare(args)
    except (sim.LogError, sim.ScenarioError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
