"""Benchmark of the gas kernel: time per GasRelease.run_one_step at 256² and 512².

Run from anywhere: `python benchmarks/bench_gas.py`. For each case a continuous chlorine
release runs until its cloud fills the map (many puffs alive, a meandering wind), then
`run_one_step` is timed. Beside it, in the same run, a plain numpy kernel moves the same
array traffic: the multiply-and-add over as many cells as the puff windows covered in
the timed step, plus the full-grid clear and unit conversion. Their ratio is the price
of the puff bookkeeping, the 1-D Gaussians and the Python loop over sub-puffs. The last
column estimates what evaluating every sub-puff on the whole grid would cost instead.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.hazards.gas import GasRelease

CELL_M = 10.0
TIMED_STEPS = 20
REPEATS = 5

# (label, dt_s, wind_m_per_s, stability, meander amplitude in degrees)
CASES = (
    ("60 s steps, 2 m/s, D", 60.0, 2.0, "D", 20.0),
    ("15 s steps, 1 m/s, F", 15.0, 1.0, "F", 30.0),
)


def wind_from_deg(step: int, amplitude_deg: float) -> float:
    """A slowly meandering westerly: 270° ± amplitude, period 40 steps."""
    return 270.0 + amplitude_deg * math.sin(2.0 * math.pi * step / 40.0)


def spin_up(n: int, dt_s: float, wind: float, stability: str, meander: float) -> GasRelease:
    release = GasRelease(
        (n, n), CELL_M, (n // 2, n // 8), "chlorine", inventory_kg=1.0e9, rate_kg_per_s=5.0
    )
    crossing_steps = int(1.2 * n * CELL_M / (wind * dt_s)) + 1  # cloud front past the edge
    for k in range(crossing_steps):
        release.run_one_step(dt_s, wind, wind_from_deg(k, meander), stability)
    return release


def time_steps(release: GasRelease, dt_s: float, wind: float, stability: str, meander: float):
    """Median seconds per step over REPEATS blocks of TIMED_STEPS steps."""
    k0 = round(release.time_s / dt_s)
    per_step = []
    cells = []
    for r in range(REPEATS):
        t0 = time.perf_counter()
        for k in range(TIMED_STEPS):
            step = k0 + r * TIMED_STEPS + k
            release.run_one_step(dt_s, wind, wind_from_deg(step, meander), stability)
            cells.append(release.evaluated_cells)
        per_step.append((time.perf_counter() - t0) / TIMED_STEPS)
    return statistics.median(per_step), int(statistics.mean(cells))


def time_plain_numpy(n: int, cells: int) -> float:
    """Same array traffic without the model: c = a·b; d += c over `cells`, plus 2 grid passes."""
    a, b = np.random.default_rng(0).random((2, cells))
    c, d = np.empty(cells), np.zeros(cells)
    field, out = np.zeros((n, n)), np.zeros((n, n))
    runs = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for _ in range(TIMED_STEPS):
            field.fill(0.0)
            np.multiply(a, b, out=c)
            d += c
            np.multiply(field, 1.0, out=out)
        runs.append((time.perf_counter() - t0) / TIMED_STEPS)
    return statistics.median(runs)


def time_full_grid_subpuff(n: int) -> float:
    """Seconds to add one separable Gaussian over the whole n×n grid (no window)."""
    xc = (np.arange(n) + 0.5) * CELL_M
    field, tile = np.zeros((n, n)), np.zeros((n, n))
    t0 = time.perf_counter()
    for _ in range(50):
        gx = np.exp(-0.5 * ((xc - 900.0) / 80.0) ** 2)
        gy = np.exp(-0.5 * ((xc - 1300.0) / 80.0) ** 2)
        np.multiply.outer(gy, gx, out=tile)
        field += tile
    return (time.perf_counter() - t0) / 50


def main() -> None:
    print(f"numpy {np.__version__}, cell {CELL_M:g} m, median of {REPEATS}×{TIMED_STEPS} steps")
    header = (
        f"{'case':<24}{'grid':>6}{'puffs':>7}{'subpuffs':>9}{'cells/step':>12}"
        f"{'step ms':>9}{'numpy ms':>10}{'ratio':>7}{'full-grid ms':>14}"
    )
    print(header)
    print("-" * len(header))
    for label, dt_s, wind, stability, meander in CASES:
        for n in (256, 512):
            release = spin_up(n, dt_s, wind, stability, meander)
            step_s, cells = time_steps(release, dt_s, wind, stability, meander)
            plain_s = time_plain_numpy(n, max(cells, 1))
            full_s = time_full_grid_subpuff(n) * release.subpuff_count
            print(
                f"{label:<24}{n:>6}{release.puff_count:>7}{release.subpuff_count:>9}"
                f"{cells:>12}{1e3 * step_s:>9.2f}{1e3 * plain_s:>10.2f}"
                f"{step_s / plain_s:>7.1f}{1e3 * full_s:>14.1f}"
            )


if __name__ == "__main__":
    main()
