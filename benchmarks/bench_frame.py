"""Frame time of the drill screen: p50 / p99 at 1280×720 on the largest shipped drill.

Run from anywhere: ``python benchmarks/bench_frame.py [--frames N] [--warmup-min M]``.
Headless (SDL dummy driver). Loads every scenario in scenarios/ and picks the
one with the most grid cells (ties: the most hazards), runs it ``--warmup-min``
sim-minutes so hazards are active, then times ``--frames`` full frames
(events, engine slice, drawing) at each speed, with every hazard overlay shown
and the same 1/60 s wall step per frame as the game's 60 fps loop. The goal is
p99 under 16.7 ms at 120×. Columns: whole frame, and its engine and drawing parts.
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
from ui.catalog import discover
from ui.scenes.drill import DrillScene
from ui.session import SPEEDS

FRAME_S = 1 / 60
WARM_FRAMES = 30


def largest(entries: list) -> object:
    def size(entry: object) -> tuple[int, int]:
        spec = entry.loaded.scenario
        return spec.map.width_cells * spec.map.height_cells, len(spec.hazards)

    return max((e for e in entries if e.valid), key=size)


def time_frames(app: App, scene: DrillScene, frames: int) -> dict[str, np.ndarray]:
    total, engine, draw = [], [], []
    for _ in range(frames):
        start = time.perf_counter()
        scene.update(FRAME_S)
        middle = time.perf_counter()
        app.manager.update(FRAME_S)
        app.draw()
        end = time.perf_counter()
        total.append(end - start)
        engine.append(middle - start)
        draw.append(end - middle)
    return {
        name: np.array(v) * 1000
        for name, v in (("frame", total), ("engine", engine), ("draw", draw))
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--warmup-min", type=float, default=90.0)
    parser.add_argument("--speeds", default="1,30,120")
    args = parser.parse_args(argv)
    entry = largest(discover())
    loaded = entry.loaded
    app = App(language="en", size=(1280, 720))
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_frame.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    scene.session.drill.advance(args.warmup_min)
    spec = loaded.scenario.map
    print(
        f"scenario {entry.path.name}: {spec.width_cells}×{spec.height_cells} cells, "
        f"hazards {', '.join(entry.hazards) or 'none'}; fields "
        f"{', '.join(sorted(scene.session.drill.snapshot().fields)) or 'none'}; "
        f"{args.frames} frames per speed from minute {args.warmup_min:g}, 1280×720"
    )
    header = f"{'speed':>6} {'sim min':>8} | {'frame p50':>9} {'p99':>7} {'max':>7} | "
    header += f"{'engine p50':>10} {'p99':>7} | {'draw p50':>8} {'p99':>7}"
    print(header)
    print("-" * len(header))
    for speed in (int(s) for s in args.speeds.split(",")):
        scene.session.set_speed(SPEEDS.index(speed))
        scene.session.paused = False
        time_frames(app, scene, WARM_FRAMES)  # fill text and layer caches first
        before = scene.session.drill.now
        times = time_frames(app, scene, args.frames)
        f, e, d = times["frame"], times["engine"], times["draw"]
        print(
            f"{speed:>5}× {scene.session.drill.now - before:>8.1f} | "
            f"{np.percentile(f, 50):>9.2f} {np.percentile(f, 99):>7.2f} {f.max():>7.2f} | "
            f"{np.percentile(e, 50):>10.2f} {np.percentile(e, 99):>7.2f} | "
            f"{np.percentile(d, 50):>8.2f} {np.percentile(d, 99):>7.2f}"
        )
    print("(milliseconds; goal: frame p99 < 16.7 ms at 120×)")
    scene.session.abort()
    log.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
