"""Engine throughput: sim-hours per wall-second and SimPy events per second.

For each shipped drill, runs it headless with the expert bot and counts the
SimPy events the engine processes; beside it, measures raw SimPy (processes
that only yield timeouts) in the same run, so the ratio is comparable across
machines. Run: ``python benchmarks/bench_engine.py`` (not part of the tests).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import Drill, ExpertBot, load_scenario  # noqa: E402
from sim.runner import DECISION_EVERY_MIN  # noqa: E402


def raw_simpy_events_per_s(events: int = 300_000) -> float:
    """Events per second of bare SimPy: 100 processes yielding timeouts."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment, step: float):
        while True:
            yield env.timeout(step)

    for k in range(100):
        env.process(ticker(env, 1.0 + k / 100.0))
    counted = 0
    start = time.perf_counter()
    while counted < events:
        env.step()
        counted += 1
    return counted / (time.perf_counter() - start)


def run_drill(path: Path) -> tuple[float, float, int]:
    """(sim hours, wall seconds, SimPy events) of one expert-bot drill."""
    loaded = load_scenario(path)
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    bot = ExpertBot(loaded.scenario)
    counter = [0]
    step = drill.env.step

    def counting_step() -> None:
        counter[0] += 1
        step()

    drill.env.step = counting_step  # type: ignore[method-assign]
    start = time.perf_counter()
    t = 0.0
    while not drill.finished:
        for command in bot.decide(drill.snapshot()):
            drill.submit(command)
        t = min(t + DECISION_EVERY_MIN, drill.end_min)
        drill.advance(t)
    wall = time.perf_counter() - start
    return drill.end_min / 60.0, wall, counter[0]


def main() -> None:
    raw = raw_simpy_events_per_s()
    print(f"raw SimPy: {raw:,.0f} events/s (timeouts only, measured in this run)\n")
    print(
        f"{'drill':<22}{'sim h':>7}{'wall s':>9}{'sim h/s':>9}{'events':>9}"
        f"{'events/s':>11}{'vs raw':>8}"
    )
    paths = [ROOT / "tests" / "data" / "mini.yaml", *sorted((ROOT / "scenarios").glob("*.yaml"))]
    for path in paths:
        hours, wall, events = run_drill(path)
        rate = events / wall
        print(
            f"{path.stem:<22}{hours:>7.1f}{wall:>9.2f}{hours / wall:>9.2f}{events:>9,}"
            f"{rate:>11,.0f}{rate / raw:>8.3f}"
        )
    print("\nmini = a drill with no hazards: the engine's own overhead per event.")
    print("Events are SimPy events; most engine time is spent inside the hazard kernels'")
    print("numpy steps (one per sim-minute), so events/s understates the work per event.")


if __name__ == "__main__":
    main()
