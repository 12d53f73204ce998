"""Batch speed-up: the same calibration drills in one process, then as Dask tasks.

Plays a calibration (the anchors' idle drills, then each bot on each seed,
scored against those anchors) one drill after another in this process, then
as ``python -m analysis calibrate`` does (``run_calibration``) on a local Dask
cluster of 1 and of 2 worker processes, and prints the wall time and speed-up
of each over the single process. The machine is shared, so beside each phase it prints how
busy the cores were: the load average and the share of all cores' time used
by other processes during the phase (from /proc/stat, less this process and
its workers). Run: ``python benchmarks/bench_batch.py [SCENARIO] [--seeds N]``
(not part of the tests).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sim  # noqa: E402
from analysis.baselines import ANCHOR_SEEDS  # noqa: E402
from analysis.batch import dask_client, progress_bar  # noqa: E402
from analysis.calibrate import BOTS, _anchor_figures, play_and_score, run_calibration  # noqa: E402
from analysis.scoring import mean_figures  # noqa: E402


def cpu_jiffies() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / hz, sum(fields) / hz


def own_cpu_s() -> float:
    """CPU seconds of this process and its children still alive (the Dask workers)."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # a worker that just ended
            total += sum(child.cpu_times()[:2])
    return total


class Busy:
    """How busy the machine was while a phase ran, besides this benchmark."""

    def __enter__(self) -> Busy:
        self.load0 = os.getloadavg()[0]
        self.busy0, self.total0 = cpu_jiffies()
        self.own0 = own_cpu_s()
        return self

    def stop(self) -> None:
        """Read the counters now (call while the phase's workers are still alive)."""
        busy, total = cpu_jiffies()
        own = own_cpu_s() - self.own0
        self.others = max(0.0, (busy - self.busy0) - own)
        self.share = self.others / max(total - self.total0, 1e-9)
        # Cores this benchmark got: its CPU seconds over the elapsed seconds.
        self.cores = own / max((total - self.total0) / (os.cpu_count() or 1), 1e-9)
        self.load1 = os.getloadavg()[0]

    def __exit__(self, *exc: object) -> None:
        if not hasattr(self, "share"):
            self.stop()

    def __str__(self) -> str:
        return (
            f"load {self.load0:.2f}->{self.load1:.2f}, others used "
            f"{100 * self.share:.0f} % of all cores, this run got {self.cores:.2f} cores"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/chlorine_leak.yaml"))
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    loaded = sim.load_scenario(args.scenario)
    seeds = range(1, args.seeds + 1)
    jobs = [(bot, seed) for bot in BOTS for seed in seeds]
    print(
        f"{loaded.scenario.meta.id}: {len(ANCHOR_SEEDS) + len(jobs)} drills ({len(ANCHOR_SEEDS)}"
        f" for the anchors, {len(BOTS)} bots x {args.seeds} seeds)"
    )
    print(f"cores: {os.cpu_count()} (this process may use {len(os.sched_getaffinity(0))})\n")

    total = len(ANCHOR_SEEDS) + len(jobs)
    with Busy() as busy, progress_bar(total, "one process", "drill") as bar:
        start = time.perf_counter()
        runs = []
        for seed in ANCHOR_SEEDS:
            runs.append(_anchor_figures(loaded, seed))
            bar.update(1)
        anchors = mean_figures(runs)
        serial = []
        for bot, seed in jobs:
            serial.append(play_and_score(loaded, bot, seed, anchors))
            bar.update(1)
        one = time.perf_counter() - start
    print(f"one process, no Dask:   {one:7.1f} s                     ({busy})")

    for workers in (1, 2):
        with Busy() as busy:
            started = time.perf_counter()
            with dask_client(workers=workers) as client:
                up = time.perf_counter() - started
                start = time.perf_counter()
                _, tasked = run_calibration(loaded, seeds, client, BOTS, f"dask x{workers}")
                wall = time.perf_counter() - start
                busy.stop()
        same = [replace(d, seconds=0.0) for d in tasked] == [
            replace(d, seconds=0.0) for d in serial
        ]
        print(
            f"dask, {workers} worker process{'es' if workers > 1 else '  '}: {wall:7.1f} s "
            f"(x{one / wall:.2f}; start {up:.1f} s, x{one / (wall + up):.2f} with it) "
            f"({busy}){'' if same else '  RESULTS DIFFER'}"
        )


if __name__ == "__main__":
    main()
