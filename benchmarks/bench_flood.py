"""Time per substep of the flood kernel: the numpy reference beside the compiled one.

Run from anywhere: ``python benchmarks/bench_flood.py``. For a wet river valley
at 256^2 and 512^2 cells it prints, measured in the same run, the FloodModel
time per substep with the numpy kernel (the path the drills took until the
compiled kernel came, and still the test oracle), with the compiled numba
kernel, and their ratio; and, as a floor for numpy, a plain loop doing as many
full-array passes (binary ufuncs over arrays of the same size) as one numpy
substep does. Rain falls on every cell, so the compiled kernel steps the whole
map (no dry country to skip): its worst case. The compiled kernel is warmed
first (compiled or loaded from numba's cache), outside the timing. Times are
this process's CPU time (``time.process_time``), best of several runs, so
other work on a shared machine counts as little as it can (it still shares
the caches); beside them, the compiled kernel's wall time on every core
(``use_threads``), which means something only on an otherwise idle machine.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.hazards.flood import FloodModel, use_threads

CELL_M = 10.0
MANNING_N = 0.035
RIVER_INFLOW_M3_PER_S = 800.0
RAIN_MM_PER_H = 10.0
SPIN_UP_S = 300.0
TIMED_STEP_S = 60.0
REPEATS = 7
FLOODED_DEPTH_M = 0.05
ZONE_RADIUS_CELLS = 25  # a finite-volume zone as the large drill's breach has (~1,960 cells)


def river_valley(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A meandering river valley draining south, its floodplain half under water."""
    rows, cols = np.mgrid[0:n, 0:n] / n
    centre = 0.5 + 0.12 * np.sin(2.0 * np.pi * 1.5 * rows)
    across = np.abs(cols - centre)
    bed = 0.002 * CELL_M * n * (1.0 - rows)  # valley slope 0.002 to the south
    bed += 8.0 * across**1.2 + 0.2 * np.sin(25.0 * cols) * np.cos(19.0 * rows)
    bed -= np.where(across < 0.03, 2.0, 0.0)  # main channel
    stage = 0.002 * CELL_M * n * (1.0 - rows) + 1.2  # water surface of the flood
    return bed, np.maximum(stage - bed, 0.0)


def time_model(
    n: int,
    kernel: str,
    threads: int = 1,
    clock: Callable[[], float] = time.process_time,
    zone: bool = False,
) -> tuple[float, int, float]:
    """Best time per substep (ms), substeps per timed step, flooded fraction.

    ``zone``: a disc of ZONE_RADIUS_CELLS around the river's inflow is solved by
    finite volumes (``use_shock_capturing``), as around a levee breach.
    """
    use_threads(threads)
    bed, depth = river_valley(n)
    model = FloodModel(bed, CELL_M, MANNING_N, initial_depth_m=depth, kernel=kernel)
    if zone:
        rows, cols = np.mgrid[0:n, 0:n]
        centre = (ZONE_RADIUS_CELLS + 2, n // 2)
        disc = np.hypot(rows - centre[0], cols - centre[1]) <= ZONE_RADIUS_CELLS
        model.use_shock_capturing(disc)
    model.set_inflow(
        np.array([[0, c] for c in range(n // 2 - 8, n // 2 + 8)]), RIVER_INFLOW_M3_PER_S
    )
    model.run_one_step(SPIN_UP_S, RAIN_MM_PER_H)
    best_ms, substeps = np.inf, 0
    for _ in range(REPEATS):
        start_count = model.substeps_taken
        start = clock()
        model.run_one_step(TIMED_STEP_S, RAIN_MM_PER_H)
        elapsed = clock() - start
        substeps = model.substeps_taken - start_count
        best_ms = min(best_ms, 1e3 * elapsed / substeps)
    return best_ms, substeps, float((model.depth_m > FLOODED_DEPTH_M).mean())


def same_traffic_passes(n: int) -> list[tuple]:
    """The substep's full-array passes as bare ufuncs on arrays of the same shapes.

    Each entry is (ufunc, a, b, out) mirroring one pass of FloodModel._substep
    over the same operands (cells, x faces, y faces), with max/log/exp/abs/clip
    replaced by add or multiply. Scalars are 1 or 0 so values stay bounded.
    """
    size = n * n
    cell = {k: np.ones(size) for k in ("z", "h", "eta", "buf")}
    limited = np.zeros(size, dtype=bool)
    passes: list[tuple] = [(np.add, cell["z"], cell["h"], cell["eta"])]  # eta = z + h
    faces = []
    for step in (1, n):  # x faces join k, k+1; y faces join k, k+n
        f = {k: np.ones(size - step) for k in ("q", "zmax", "hf", "grad", "fric", "g_n2", "tmp")}
        f["f32"], f["wet"] = np.ones(size - step, np.float32), np.ones(size - step, bool)
        lo, hi, mul, add = cell["eta"][:-step], cell["eta"][step:], np.multiply, np.add
        passes += [
            (add, lo, hi, f["hf"]), (np.subtract, f["hf"], f["zmax"], f["hf"]),
            (np.greater, f["hf"], 0.0, f["wet"]), (add, f["hf"], 0.0, f["hf"]),
            (add, f["hf"], 0.0, f["f32"]), (mul, f["f32"], 1.0, f["f32"]),
            (mul, f["f32"], 1.0, f["f32"]), (mul, f["f32"], 1.0, f["f32"]),
            (mul, f["q"], 1.0, f["fric"]), (mul, f["fric"], f["g_n2"], f["fric"]),
            (mul, f["fric"], f["f32"], f["fric"]), (mul, f["fric"], 1.0, f["fric"]),
            (add, f["fric"], 0.0, f["fric"]), (np.subtract, hi, lo, f["grad"]),
            (mul, f["grad"], f["hf"], f["grad"]), (mul, f["grad"], 1.0, f["grad"]),
            (np.subtract, f["q"], f["grad"], f["q"]), (np.divide, f["q"], f["fric"], f["q"]),
            (mul, f["q"], f["wet"], f["q"]),
        ]  # fmt: skip
        faces.append((step, f))
    need, h = cell["buf"], cell["h"]
    for step, f in faces:  # outflow limiter: outgoing flux per cell
        passes += [
            (np.add, f["q"], 0.0, f["tmp"]), (np.add, need[:-step], f["tmp"], need[:-step]),
            (np.add, f["q"], 0.0, f["tmp"]), (np.subtract, need[step:], f["tmp"], need[step:]),
        ]  # fmt: skip
    passes += [(np.multiply, need, 1.0, need), (np.greater, need, h, limited)]
    passes += [(np.logical_or, limited, False, limited)]  # limited.any()
    dh = cell["buf"]
    for step, f in faces:  # continuity: flux divergence
        passes += [(np.add, dh[step:], f["q"], dh[step:])]
        passes += [(np.subtract, dh[:-step], f["q"], dh[:-step])]
    passes += [(np.multiply, dh, 0.0, dh), (np.add, h, dh, h), (np.add, h, 0.0, h)]
    passes += [(np.maximum, h, 0.0, h)]  # h.max() for the CFL step
    return passes


def time_plain_numpy(n: int, loops: int = 30) -> tuple[float, int]:
    """Best time (ms) of one substep's worth of bare passes, and the pass count."""
    passes = same_traffic_passes(n)
    best_ms = np.inf
    with np.errstate(all="ignore"):
        for _ in range(REPEATS):
            start = time.process_time()
            for _ in range(loops):
                for ufunc, a, b, out in passes:
                    ufunc(a, b, out=out)
            best_ms = min(best_ms, 1e3 * (time.process_time() - start) / loops)
    return best_ms, len(passes)


def main() -> None:
    from sim.hazards.flood_kernel import warm

    threads = len(os.sched_getaffinity(0))
    warm()  # compile or load the machine code before any timing
    if threads > 1:
        warm(threads)
    print("FloodModel time per substep: numpy kernel vs compiled kernel (same run)")
    header = (
        f"{'grid':>7} {'flooded':>8} {'substeps':>8} {'numpy ms':>9} {'compiled ms':>12}"
        f" {'/numpy':>7} {f'{threads} threads ms':>13} {'/numpy':>7} {'bare numpy ms':>14}"
    )
    print(header)
    print("-" * len(header))
    for n in (256, 512):
        numpy_ms, substeps, flooded = time_model(n, "numpy")
        compiled_ms, _, _ = time_model(n, "compiled")
        wall_ms = time_model(n, "compiled", threads, time.perf_counter)[0]
        plain_ms, passes = time_plain_numpy(n)
        print(
            f"{f'{n}^2':>7} {100 * flooded:7.1f}% {substeps:8d} {numpy_ms:9.2f} {compiled_ms:12.2f}"
            f" {compiled_ms / numpy_ms:7.3f} {wall_ms:13.2f} {wall_ms / numpy_ms:7.3f}"
            f" {plain_ms:14.2f}"
        )
    print(f"(flooded: depth > {FLOODED_DEPTH_M} m; substeps per {TIMED_STEP_S:.0f} s step;")
    print(f" best of {REPEATS} runs; bare numpy: {passes} full-array passes, the old")
    print(f" substep's traffic with nothing else; {threads} threads: wall time, the")
    print(" substep's rows in bands on every core (sim run --threads), valid only on an")
    print(" otherwise idle machine; every other column is CPU time)")
    n = 256
    plain_ms = time_model(n, "compiled")[0]
    zone_ms = time_model(n, "compiled", zone=True)[0]
    print(
        f"finite-volume zone (a disc of radius {ZONE_RADIUS_CELLS} cells at the inflow,"
        f" {n}^2, compiled, CPU time): {zone_ms:.3f} ms per substep against {plain_ms:.3f}"
        f" without it: the zone costs {1e3 * (zone_ms - plain_ms):.0f} us a substep"
    )


if __name__ == "__main__":
    main()
