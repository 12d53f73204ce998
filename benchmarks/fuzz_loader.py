"""Fuzz the scenario loader and the drills it accepts, longer than the test does.

Run from anywhere: `python benchmarks/fuzz_loader.py [--files 2000] [--seed 1]`.
The mutator is the test's (tests/test_fuzz_loader.py: keys dropped and
duplicated, wrong types, zero/negative/huge/non-finite numbers, ids that name
nothing, odd unicode, byte damage). Each mutant is validated in a worker
process with a time limit, so a hang is counted rather than waited on; every
`--cli-every`-th mutant is also given to `python -m sim validate`. Each mutant
that validates is played for ten minutes (nobody in command) with people and
supplies checked every minute. Prints: files tried, clean errors, accepted,
tracebacks, hangs, drills run and drills whose invariants held.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VALIDATE_LIMIT_S = 5.0  # the loader answers within a second; five is a hang
DRILL_LIMIT_S = 120.0  # ten drill minutes take well under a second on the shipped maps


def _worker(tasks: mp.Queue, results: mp.Queue, folder: str) -> None:
    from sim import ScenarioError, load_scenario
    from sim.scenario.warnings import scenario_warnings
    from tests.test_fuzz_loader import run_briefly

    path = Path(folder) / "mutant.yaml"
    while True:
        task = tasks.get()
        if task is None:
            return
        raw, seed = task
        try:
            path.write_bytes(raw)
            loaded = load_scenario(path)
        except ScenarioError:
            results.put(("clean", None))
            continue
        except Exception:
            results.put(("traceback", traceback.format_exc(limit=3)))
            continue
        try:
            scenario_warnings(loaded)  # what `sim validate` adds for a file that loads
        except Exception:
            results.put(("traceback", traceback.format_exc(limit=3)))
            continue
        results.put(("accepted", None))
        try:
            run_briefly(loaded, seed)
        except AssertionError as exc:
            results.put(("invariant", repr(exc)[:300]))
        except Exception:
            results.put(("drill_error", traceback.format_exc(limit=3)))
        else:
            results.put(("drill_ok", None))


class Pool:
    """One worker process that is replaced when it hangs."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.ctx = mp.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self.tasks = self.ctx.Queue()
        self.results = self.ctx.Queue()
        self.process = self.ctx.Process(
            target=_worker, args=(self.tasks, self.results, self.folder), daemon=True
        )
        self.process.start()

    def get(self, limit_s: float) -> tuple[str, str | None] | None:
        try:
            return self.results.get(timeout=limit_s)
        except Exception:  # queue.Empty: the worker is stuck
            self.process.kill()
            self.process.join()
            self._start()
            return None

    def close(self) -> None:
        self.tasks.put(None)
        self.process.join(timeout=10)


def _cli_validate(raw: bytes, folder: Path) -> str:
    path = folder / "cli-mutant.yaml"
    path.write_bytes(raw)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sim", "validate", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang"
    if "Traceback" in result.stderr or result.returncode not in (0, 1):
        return "traceback"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cli-every", type=int, default=100)
    args = parser.parse_args()
    from tests.test_fuzz_loader import make_mutant

    rnd = random.Random(args.seed)
    counts: Counter[str] = Counter()
    samples: dict[str, str] = {}
    folder = Path(tempfile.mkdtemp(prefix="fuzz-bench-"))
    pool = Pool(str(folder))
    started = time.perf_counter()
    slowest = 0.0
    for index in range(args.files):
        _, raw = make_mutant(rnd)
        counts["files"] += 1
        pool.tasks.put((raw, rnd.randrange(2**32)))
        t0 = time.perf_counter()
        answer = pool.get(VALIDATE_LIMIT_S)
        slowest = max(slowest, time.perf_counter() - t0)
        if answer is None:
            counts["hangs"] += 1
            samples.setdefault("hang", raw[:300].decode("utf-8", "replace"))
            continue
        kind, detail = answer
        counts[kind] += 1
        if detail:
            samples.setdefault(kind, detail)
        if kind == "accepted":
            outcome = pool.get(DRILL_LIMIT_S)
            if outcome is None:
                counts["drill_hangs"] += 1
            else:
                counts[outcome[0]] += 1
                if outcome[1]:
                    samples.setdefault(outcome[0], outcome[1])
        if args.cli_every and index % args.cli_every == 0:
            counts[f"cli_{_cli_validate(raw, folder)}"] += 1
        if (index + 1) % 250 == 0:
            print(f"  {index + 1} files, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    pool.close()
    drills = sum(counts[k] for k in ("drill_ok", "invariant", "drill_error", "drill_hangs"))
    print(f"fuzz_loader: seed {args.seed}, {time.perf_counter() - started:.0f} s")
    print(f"  files tried        {counts['files']:6d}")
    print(f"  clean errors       {counts['clean']:6d}")
    print(f"  accepted           {counts['accepted']:6d}")
    print(f"  tracebacks         {counts['traceback']:6d}")
    print(f"  hangs (> {VALIDATE_LIMIT_S:g} s)     {counts['hangs']:6d}")
    print(f"  slowest answer     {slowest:6.2f} s")
    cli = counts["cli_ok"] + counts["cli_traceback"] + counts["cli_hang"]
    print(
        f"  sim validate (CLI) {cli:6d} tried, {counts['cli_traceback']} tracebacks, "
        f"{counts['cli_hang']} hangs"
    )
    print(f"  drills run         {drills:6d} (10 drill-minutes each)")
    print(f"  invariants held    {counts['drill_ok']:6d}")
    print(f"  invariant breaks   {counts['invariant']:6d}")
    print(f"  drill exceptions   {counts['drill_error']:6d}")
    print(f"  drill hangs        {counts['drill_hangs']:6d}")
    for kind, text in samples.items():
        print(f"\nfirst {kind}:\n{text}")
    bad = counts["traceback"] + counts["hangs"] + counts["cli_traceback"] + counts["cli_hang"]
    bad += counts["invariant"] + counts["drill_error"] + counts["drill_hangs"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
