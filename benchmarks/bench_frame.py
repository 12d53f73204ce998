"""Frame time of the drill screen: p50 / p99 at 1280×720 and 1024×600 on the largest shipped drill.

Run from anywhere: ``python benchmarks/bench_frame.py [--frames N] [--warmup-min M]
[--sizes 1280x720,1024x600]``. Headless (SDL dummy driver). Loads every
scenario in scenarios/ and picks the one with the most grid cells (ties: the
most hazards); for each window size it starts the drill afresh, runs it
``--warmup-min`` sim-minutes so hazards are active, then times ``--frames``
full frames (events, engine slice, drawing) at each speed, with every hazard
overlay shown and the same 1/60 s wall step per frame as the game's 60 fps
loop. The goal is p99 under 16.7 ms at 120× at both sizes (the game's default
window and its smallest). Columns: whole frame (and its CPU time, to tell the
frame's own cost from time lost to other programs), and its engine and drawing
parts, and the CPU time of the map's own drawing; after each size, the CPU time
of the first frame after a mouse-wheel zoom step (the map draws that zoom's
terrain tiles then).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from ui.app import App
from ui.catalog import Entry, discover
from ui.scenes.drill import DrillScene
from ui.session import SPEEDS

FRAME_S = 1 / 60
WARM_FRAMES = 30


def largest(entries: list[Entry]) -> Entry:
    def size(entry: Entry) -> tuple[int, int]:
        spec = entry.loaded.scenario
        return spec.map.width_cells * spec.map.height_cells, len(spec.hazards)

    return max((e for e in entries if e.valid), key=size)


def timed_map(scene: DrillScene, into: list[float]) -> None:
    """Time the map's own drawing (CPU seconds) on every frame, into ``into``."""
    draw = scene.map.draw

    def timed(*args, **kwargs) -> None:
        start = time.thread_time()
        draw(*args, **kwargs)
        into.append(time.thread_time() - start)

    scene.map.draw = timed  # type: ignore[method-assign]


def zoom_steps(app: App, scene: DrillScene, steps: int = 6) -> np.ndarray:
    """CPU ms of the first frame after each wheel step in (new terrain tiles are drawn)."""
    out = []
    for _ in range(steps):
        scene.map.camera.zoom_by(1.2)
        start = time.thread_time()
        app.draw()
        out.append(time.thread_time() - start)
    for _ in range(steps):
        scene.map.camera.zoom_by(1 / 1.2)
    return np.array(out) * 1000


def time_frames(app: App, scene: DrillScene, frames: int) -> dict[str, np.ndarray]:
    total, engine, draw, cpu, map_cpu = [], [], [], [], []
    timed_map(scene, map_cpu)
    for _ in range(frames):
        start, cpu_start = time.perf_counter(), time.thread_time()
        scene.update(FRAME_S)
        middle = time.perf_counter()
        app.manager.update(FRAME_S)
        app.draw()
        end = time.perf_counter()
        cpu.append(time.thread_time() - cpu_start)
        total.append(end - start)
        engine.append(middle - start)
        draw.append(end - middle)
    del scene.map.draw  # the class's own again
    return {
        name: np.array(v) * 1000
        for name, v in (
            ("frame", total), ("engine", engine), ("draw", draw), ("cpu", cpu), ("map", map_cpu)
        )
    }


def run_size(entry: Entry, size: tuple[int, int], args: argparse.Namespace) -> list[str]:
    """One window size: a fresh drill, warmed up, timed at each speed; one table row a speed.

    Returns the overlays that were shown.
    """
    loaded = entry.loaded
    app = App(language="en", size=size)
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_frame.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    scene.session.drill.advance(args.warmup_min)
    app.draw()  # the map learns the hazard fields, then every overlay is switched on
    scene.map.overlay_shown.update(dict.fromkeys(scene.map.overlay_shown, True))
    shown = sorted(scene.map.overlay_shown)
    label = f"{size[0]}×{size[1]}"
    try:
        for speed in (int(s) for s in args.speeds.split(",")):
            scene.session.set_speed(SPEEDS.index(speed))
            scene.session.paused = False
            time_frames(app, scene, WARM_FRAMES)  # fill text and layer caches first
            before = scene.session.drill.now
            times = time_frames(app, scene, args.frames)
            f, e, d, c, m = (times[k] for k in ("frame", "engine", "draw", "cpu", "map"))
            print(
                f"{label:>9} {speed:>5}× {scene.session.drill.now - before:>8.1f} | "
                f"{np.percentile(f, 50):>9.2f} {np.percentile(f, 99):>7.2f} {f.max():>7.2f} "
                f"{np.percentile(c, 99):>7.2f} | "
                f"{np.percentile(e, 50):>10.2f} {np.percentile(e, 99):>7.2f} | "
                f"{np.percentile(d, 50):>8.2f} {np.percentile(d, 99):>7.2f} | "
                f"{np.percentile(m, 50):>7.2f} {np.percentile(m, 99):>7.2f}"
            )
        zoom = zoom_steps(app, scene)
        print(
            f"{label:>9} zoom: first frame after a wheel step (new terrain tiles) "
            f"p50 {np.percentile(zoom, 50):.1f} ms, max {zoom.max():.1f} ms CPU"
        )
    finally:
        scene.session.abort()
        log.unlink(missing_ok=True)
    return shown


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--warmup-min", type=float, default=90.0)
    parser.add_argument("--speeds", default="1,30,120")
    parser.add_argument("--sizes", default="1280x720,1024x600", help="window sizes, WxH,…")
    parser.add_argument("--scenario", help="a file name in scenarios/ instead of the largest")
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    entries = discover()
    entry = largest(entries)
    if args.scenario:
        entry = next(e for e in entries if e.valid and e.path.name == args.scenario)
    spec = entry.loaded.scenario.map
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs; "
        f"scenario {entry.path.name}: {spec.width_cells}×{spec.height_cells} cells, "
        f"hazards {', '.join(entry.hazards) or 'none'}, every overlay shown; "
        f"{args.frames} frames per speed from minute {args.warmup_min:g}"
    )
    header = f"{'window':>9} {'speed':>6} {'sim min':>8} | {'frame p50':>9} {'p99':>7} "
    header += f"{'max':>7} {'cpu p99':>7} | {'engine p50':>10} {'p99':>7} | "
    header += f"{'draw p50':>8} {'p99':>7} | {'map p50':>7} {'p99':>7}"
    print(header)
    print("-" * len(header))
    shown: set[str] = set()
    for size in sizes:
        shown.update(run_size(entry, (size[0], size[1]), args))
    print(f"overlays shown: {', '.join(sorted(shown)) or 'none'}")
    print(
        "(milliseconds of wall time, but 'cpu p99' and 'map': the frame's own CPU time and "
        "the map's drawing's, which the other programs on a shared machine do not inflate; "
        "goal: frame p99 < 16.7 ms at 120× at every size)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
