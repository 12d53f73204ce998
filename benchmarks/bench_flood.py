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
Last, the CPU time per substep of the finite-volume zone's passes (a disc of
~1,960 cells on the channel, the size of the large drill's breach zone), run
in a compiled loop as the flood runs them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.hazards import flood_fv_kernel as fvk
from sim.hazards.flood import FloodModel, use_threads
from sim.hazards.flood_fv import GRAVITY_M_PER_S2, ShockZone

CELL_M = 10.0
MANNING_N = 0.035
RIVER_INFLOW_M3_PER_S = 800.0
RAIN_MM_PER_H = 10.0
SPIN_UP_S = 300.0
TIMED_STEP_S = 60.0
REPEATS = 7
FLOODED_DEPTH_M = 0.05
ZONE_RADIUS_CELLS = 25  # a finite-volume zone as the large drill's breach has (~1,960 cells)
ZONE_SUBSTEPS = 2000  # substeps of the zone's passes per timing


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
    n: int, kernel: str, threads: int = 1, clock: Callable[[], float] = time.process_time
) -> tuple[float, int, float]:
    """Best time per substep (ms), substeps per timed step, flooded fraction."""
    use_threads(threads)
    bed, depth = river_valley(n)
    model = FloodModel(bed, CELL_M, MANNING_N, initial_depth_m=depth, kernel=kernel)
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


@njit(error_model="numpy")
def _zone_passes(count: int, state: tuple, zone: tuple, faces: tuple, work: tuple) -> None:
    """The finite-volume zone's passes of ``count`` substeps, as flood_kernel.run_substeps
    calls them on one thread (dt 0 in the momentum, so the state stays as it is)."""
    z, h, qx, qy, g_n2, nx, dx = state
    cells, hu, hv, cell_index, touched = zone
    x_faces, y_faces, zmax_x, zmax_y = faces
    uv, x_out, y_out, scratch = work
    for _ in range(count):
        fvk.stable_dt(h, cell_index, hu, hv, dx)
        fvk.velocity_pass(h, qx, qy, (cells, hu, hv), touched, nx, uv)
        fvk.flux_pass(z, h, uv, zmax_x, x_faces, 1, x_out)
        fvk.flux_pass(z, h, uv, zmax_y, y_faces, nx, y_out)
        fvk.set_mass_flux(qx, x_faces, x_out)
        fvk.set_mass_flux(qy, y_faces, y_out)
        fvk.momentum_pass(h, (qx, qy), (cell_index, x_faces, y_faces, hu, hv),
                          (x_out, y_out), scratch, g_n2, nx, (0.0, dx), False)  # fmt: skip


def time_zone(n: int) -> tuple[float, int, int]:
    """Best CPU time (us) of the finite-volume zone's passes per substep; its cells, faces.

    The zone is a disc of ZONE_RADIUS_CELLS on the river's channel, half wet, as
    around a levee breach; the passes are timed in a compiled loop, as the flood
    runs them (no Python call per pass).
    """
    bed, depth = river_valley(n)
    z, h = bed.ravel(), depth.ravel()
    rows, cols = np.mgrid[0:n, 0:n]
    centre = (n // 2, int(n * (0.5 - 0.12)))  # river_valley's channel at mid-valley
    disc = np.hypot(rows - centre[0], cols - centre[1]) <= ZONE_RADIUS_CELLS
    qx, qy = np.zeros(n * n - 1), np.zeros(n * n - n)
    shock = ShockZone((n, n))
    shock.add(disc, qx, qy, h)
    state = (z, h, qx, qy, np.full(n * n, GRAVITY_M_PER_S2 * MANNING_N**2), n, CELL_M)
    zone = (shock.cells, shock.hu, shock.hv, shock.cell_index, shock.touched)
    faces = (shock.x_faces, shock.y_faces, np.maximum(z[:-1], z[1:]), np.maximum(z[:-n], z[n:]))
    work = (shock.uv, shock.x_out, shock.y_out, shock.scratch)
    _zone_passes(1, state, zone, faces, work)  # compile
    best_us = np.inf
    for _ in range(REPEATS):
        start = time.process_time()
        _zone_passes(ZONE_SUBSTEPS, state, zone, faces, work)
        best_us = min(best_us, 1e6 * (time.process_time() - start) / ZONE_SUBSTEPS)
    return best_us, shock.cell_index.size, shock.x_faces.size + shock.y_faces.size


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
    zone_us, zone_cells, zone_faces = time_zone(256)
    print(
        f"finite-volume zone (a breach's: {zone_cells} cells, {zone_faces} faces, on 256^2):"
        f" {zone_us:.1f} us a substep on one thread (CPU time, best of {REPEATS})"
    )


if __name__ == "__main__":
    main()
