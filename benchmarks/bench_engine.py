"""Engine throughput: sim-hours per wall-second, against raw SimPy and bare numpy.

Runs a drill headless with the expert bot (by default the large reference
drill, ``benchmarks/large_reference.yaml``: 256 x 256 cells, flood, fire and
gas, 45 units, 26,000 people, 24 hours) and reports it as sim-hours per
wall-second. Beside it, measured in the same run so the ratios hold across
machines:

* **raw SimPy** — an empty event loop that processes as many timeouts as the
  drill created (processes that only yield timeouts);
* **bare numpy** — the hazard kernels alone: every call the drill made on its
  flood, fire and gas models, replayed in order on fresh copies of them,
  with no drill around them.

The CPU time of the play is printed beside its wall time: on a shared
machine it is what the wall time would be on an idle one. A second,
instrumented play of the same drill splits its CPU time: the kernels (per
hazard; the flood kernel is ``sim/hazards/flood*.py``), the bot's snapshots,
the bot's decisions, and the rest of the engine (roads, people, units,
events). ``--hours H`` stops each drill after H sim-hours; ``--all`` adds
every shipped drill (one line each). The drill is played with the flood on
one thread and on ``--threads`` (default: the machine's cores; the result is
the same), the rest on the latter: run it on an otherwise idle machine, as a
thread waiting for a busy core stalls every substep. Run:
``python benchmarks/bench_engine.py [SCENARIO ...] [--hours H] [--threads N] [--all]``
(not part of the tests).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import Drill, ExpertBot, load_scenario  # noqa: E402
from sim.hazards.flood import use_threads  # noqa: E402
from sim.runner import DECISION_EVERY_MIN  # noqa: E402

LARGE = ROOT / "benchmarks" / "large_reference.yaml"
KERNELS = ("model", "release", "exposure")  # a runtime's kernel objects (flood/fire, gas)


def play(
    path: Path, before: Callable[[Drill], None] | None = None, hours: float | None = None
) -> tuple[Drill, float, dict]:
    """Play ``path`` headless with the expert bot, as ``sim.run_headless`` does; return the
    drill, its wall seconds and where the bot's time went (snapshots, decisions) and the
    CPU seconds of the whole play (``cpu``: on a shared machine, what the wall would be on
    an idle one). With ``hours``, the drill is stopped there (``DrillAborted``)."""
    loaded = load_scenario(path)
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    if before:
        before(drill)
    bot = ExpertBot(loaded.scenario)
    parts = {"snapshot": 0.0, "decide": 0.0}
    cpu = time.process_time()
    start = time.perf_counter()
    t = 0.0
    stop = drill.end_min if hours is None else min(drill.end_min, 60.0 * hours)
    while not drill.finished and drill.now < stop:
        a = time.process_time()  # CPU time: the split holds on a shared machine
        snapshot = drill.snapshot()
        b = time.process_time()
        for command in bot.decide(snapshot):
            learn = getattr(bot, "learn", None)
            result = drill.submit(command)
            if learn:
                learn(command, result)
        parts["snapshot"] += b - a
        parts["decide"] += time.process_time() - b
        t = min(t + DECISION_EVERY_MIN, stop)
        drill.advance(t)
    drill.finish(aborted=not drill.finished)
    wall = time.perf_counter() - start
    parts["cpu"] = time.process_time() - cpu
    return drill, wall, parts


class Recorder:
    """Stands in for a kernel object: passes every call through, times it, and keeps a copy
    of its arguments so the calls can be replayed on a fresh kernel."""

    def __init__(self, target: Any, calls: list, seconds: dict, hazard: str) -> None:
        self.__dict__.update(_target=target, _calls=calls, _seconds=seconds, _hazard=hazard)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value) or name.startswith("__"):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append((name, copy.deepcopy(args), copy.deepcopy(kwargs)))
            start = time.process_time()
            try:
                return value(*args, **kwargs)
            finally:
                self._seconds[self._hazard] += time.process_time() - start

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)


def instrumented(path: Path, hours: float | None) -> dict[str, Any]:
    """Play again with every kernel call recorded and timed and every timeout counted."""
    fresh: list[tuple[Any, list]] = []  # (copy of a kernel at the start, its calls)
    seconds: dict[str, float] = {}
    timeouts = [0]

    def wrap(drill: Drill) -> None:
        # Fresh kernels from a second, untouched drill: built by the same code, so arrays
        # that are views of one another stay so (a deep copy would part them).
        spare = Drill(drill.loaded, drill.seed)
        for hazard_id, hazard in drill.hazards.items():
            seconds.setdefault(hazard.kind, 0.0)
            for name in KERNELS:
                kernel = getattr(hazard, name, None)
                if kernel is None:
                    continue
                calls: list = []
                fresh.append((getattr(spare.hazards[hazard_id], name), calls))
                setattr(hazard, name, Recorder(kernel, calls, seconds, hazard.kind))
        make = drill.env.timeout

        def counted(delay: float = 0, value: Any = None) -> simpy.Timeout:
            timeouts[0] += 1
            return make(delay, value)

        drill.env.timeout = counted  # type: ignore[method-assign]

    drill, wall, parts = play(path, wrap, hours)
    return {
        "drill": drill,
        "wall": wall,
        "parts": parts,
        "kernel_s": seconds,
        "fresh": fresh,
        "timeouts": timeouts[0],
    }


def bare_numpy_s(fresh: list[tuple[Any, list]]) -> tuple[float, float]:
    """(wall, CPU) seconds to replay every recorded kernel call on the fresh copies."""
    cpu, start = time.process_time(), time.perf_counter()
    for kernel, calls in fresh:
        for name, args, kwargs in calls:
            getattr(kernel, name)(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


def raw_simpy_s(timeouts: int, processes: int = 100) -> tuple[float, float]:
    """(wall, CPU) seconds for bare SimPy to process ``timeouts`` timeouts yielded by
    ``processes``."""
    env = simpy.Environment()
    left = [timeouts]

    def ticker(env: simpy.Environment, step: float) -> Any:
        while left[0] > 0:
            left[0] -= 1
            yield env.timeout(step)

    for k in range(processes):
        env.process(ticker(env, 1.0 + k / processes))
    cpu, start = time.process_time(), time.perf_counter()
    env.run()
    return time.perf_counter() - start, time.process_time() - cpu


def report_large(path: Path, hours: float | None = None, threads: int = 1) -> None:
    load0 = os.getloadavg()[0]
    plays = {}
    for n in sorted({1, threads}):
        use_threads(n)
        play(path, hours=0.1)  # warm-up: compiled kernels load (or compile) before the clock runs
        plays[n] = play(path, hours=hours)[1:]  # the figures that count: no instrument in the way
    load1 = os.getloadavg()[0]
    probe = instrumented(path, hours)  # on ``threads`` threads
    drill = probe["drill"]
    numpy_s = bare_numpy_s(probe["fresh"])
    simpy_s = raw_simpy_s(probe["timeouts"])
    played_h = drill.now / 60.0  # the whole drill unless --hours stopped it
    units, people = len(drill.units), drill.population.total
    print(
        f"{drill.scenario.meta.id}: {drill.world.shape[0]} x {drill.world.shape[1]} cells, "
        f"{', '.join(sorted({h.kind for h in drill.hazards.values()}))}, {units} units "
        f"(with reinforcements), {people:,} people, {played_h:g} h"
    )
    for n, (wall, timed) in plays.items():
        cpu = timed["cpu"]
        print(
            f"  headless, expert bot, flood on {n} thread{'s' if n > 1 else ''}: {wall:6.2f} s "
            f"wall = {played_h / wall:6.2f} sim-h per wall-s; CPU {cpu:6.2f} s"
        )
    print(f"  (load average {load0:.2f} -> {load1:.2f} on {os.cpu_count()} cores)")
    for name, (w, c) in (
        (f"raw SimPy, {probe['timeouts']:,} timeouts", simpy_s),
        ("bare numpy, the hazard kernels alone", numpy_s),
    ):
        print(
            f"  {name}: {w:.3f} s wall, {c:.3f} s CPU; the drill takes "
            f"{cpu / max(c, 1e-9):,.1f}x its CPU time ({wall / max(w, 1e-9):,.1f}x its wall)"
        )
    kernel = probe["kernel_s"]
    parts = probe["parts"]
    inst = parts["cpu"]
    rest = inst - sum(kernel.values()) - parts["snapshot"] - parts["decide"]
    print(f"  where the CPU time goes (instrumented play, {inst:.2f} s):")
    for name, seconds in [
        *((f"{k} kernel", s) for k, s in sorted(kernel.items())),
        ("bot snapshots", parts["snapshot"]),
        ("bot decisions", parts["decide"]),
        ("rest of the engine", rest),
    ]:
        print(f"    {name:<22}{seconds:7.2f} s {100 * seconds / inst:5.1f} %")


def report_line(path: Path) -> None:
    drill, wall, _ = play(path)
    hours = drill.end_min / 60.0
    print(f"  {path.stem:<26}{hours:>6.1f} h{wall:>8.2f} s{hours / wall:>9.2f} sim-h/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="*", type=Path, default=[LARGE])
    parser.add_argument("--all", action="store_true", help="also every shipped drill, briefly")
    parser.add_argument("--hours", type=float, help="stop each drill after this many sim-hours")
    parser.add_argument(
        "--threads", type=int, default=len(os.sched_getaffinity(0)),
        help="threads for the flood's substeps, besides one (default: this machine's cores)",
    )  # fmt: skip
    args = parser.parse_args()
    for path in args.scenarios:
        report_large(path, args.hours, args.threads)
    if args.all:
        print("\nshipped drills, headless with the expert bot:")
        for path in [
            ROOT / "tests" / "data" / "mini.yaml",
            *sorted((ROOT / "scenarios").glob("*.yaml")),
        ]:
            report_line(path)


if __name__ == "__main__":
    main()
