"""Benchmark: cost of one FireModel.run_one_step with an active front.

Run from anywhere: ``python benchmarks/bench_fire.py``.  For 256^2 and 512^2
grids it reports the mean time of a 60 s step (constant wind, and wind that
changes every step so the whole front is re-timed), next to a plain numpy
kernel measured in the same run: one full-grid 16-neighbour min-plus sweep
(``arrival = min(arrival, shift_k(arrival) + travel_k)`` for the 16 moves),
i.e. the array traffic a grid-wide cellular automaton pays every step.  The
ratio < 1 means the front-proportional model step is cheaper than touching the
whole grid once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.hazards.fire import FireModel
from sim.landuse import LandUse

CELL_M = 30.0
STEP_S = 60.0
WARMUP_STEPS = 240
TIMED_STEPS = 30
MOVES = [(0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1)] + [
    (a * p, b * q) for p, q in ((1, 2), (2, 1)) for a in (1, -1) for b in (1, -1)
]


def landscape(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic mixed landscape: grass with farm, shrub, forest, a town and a river."""
    i, j = np.mgrid[0:n, 0:n]
    lu = np.full((n, n), LandUse.GRASSLAND, dtype=np.uint8)
    lu[(i // 16 + j // 16) % 5 == 1] = LandUse.FARMLAND
    lu[(i // 16 + j // 16) % 5 == 3] = LandUse.SHRUB
    lu[(i * 3 + j) % 97 < 12] = LandUse.FOREST
    lu[n // 8 : n // 4, n // 2 : n // 2 + n // 8] = LandUse.RESIDENTIAL
    lu[np.abs(j - (n // 6 + 8 * np.sin(i / 20))) < 1.5] = LandUse.WATER
    elevation = 40.0 * np.sin(i / 37.0) * np.cos(j / 53.0)
    return lu, elevation


def time_model(n: int, varying_wind: bool) -> tuple[float, int, int]:
    """Mean seconds per step after warm-up, and burning / tentative cell counts."""
    lu, elevation = landscape(n)
    fire = FireModel(lu, elevation, CELL_M, dead_moisture=0.06)
    fire.ignite(np.array([[n // 2, n // 2], [n // 2 + 5, n // 2 + 40]]))
    for _ in range(WARMUP_STEPS):
        fire.run_one_step(STEP_S, 6.0, 225.0)
    start = time.perf_counter()
    for k in range(TIMED_STEPS):
        direction = 225.0 + (10.0 * np.sin(k) if varying_wind else 0.0)
        fire.run_one_step(STEP_S, 6.0, direction)
    elapsed = (time.perf_counter() - start) / TIMED_STEPS
    return elapsed, int(fire.burning.sum()), int(fire._tentative.size)


def time_reference_kernel(n: int, repeats: int = 5) -> float:
    """Seconds for one full-grid 16-neighbour min-plus sweep on float64 arrays."""
    pad = 2
    arrival = np.full((n + 2 * pad, n + 2 * pad), np.inf)
    arrival[pad:-pad, pad:-pad] = np.linspace(0.0, 1e4, n * n).reshape(n, n)
    travel = [np.full((n, n), 60.0 * np.hypot(di, dj)) for di, dj in MOVES]
    out = arrival[pad:-pad, pad:-pad].copy()
    cand = np.empty((n, n))
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for (di, dj), t in zip(MOVES, travel, strict=True):
            src = arrival[pad - di : pad - di + n, pad - dj : pad - dj + n]
            np.add(src, t, out=cand)
            np.minimum(out, cand, out=out)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"FireModel.run_one_step, {STEP_S:.0f} s steps, {CELL_M:.0f} m cells, active front")
    header = f"{'grid':>8} {'wind':>9} {'step ms':>9} {'kernel ms':>10} {'ratio':>6} {'burning':>8}"
    print(header + f" {'tentative':>9}")
    for n in (256, 512):
        kernel = time_reference_kernel(n)
        for varying in (False, True):
            step, burning, tentative = time_model(n, varying)
            label = "varying" if varying else "constant"
            print(
                f"{n:>4}^2   {label:>9} {step * 1e3:9.2f} {kernel * 1e3:10.2f} "
                f"{step / kernel:6.2f} {burning:8d} {tentative:9d}"
            )


if __name__ == "__main__":
    main()
