"""Engine time per simulated minute as a drill's grid grows: the figure ``validate`` warns with.

Run from anywhere: ``python benchmarks/bench_drill_size.py [SCENARIO ...] [--sides 160,512]``.
For each shipped drill named (default: the flood, the fire and the gas drills) and each grid
side, the drill's map is resized to side x side cells (its cell size kept) and played with no
orders for ``--minutes``; the CPU time of each ten-minute slice is measured and the dearest
slice is printed per simulated minute and per million cells. ``sim.scenario.warnings`` keeps
these per-million-cell figures (``ENGINE_S_PER_MIN_PER_MCELL``): update them from this output.
CPU time (``time.process_time``) is used so other work on the machine counts less, but a
loaded machine still slows the kernels (shared caches): say the load beside the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import Drill, parse_scenario  # noqa: E402

DEFAULT = ("riverside_flood", "wildfire_wui", "chlorine_leak")
SLICE_MIN = 10.0


def dearest_minute_s(name: str, side: int | None, minutes: float) -> tuple[int, float, float]:
    """(cells, cell size m, CPU seconds of the dearest simulated minute) of drill ``name``."""
    data = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    if side:
        data["map"]["width_cells"] = data["map"]["height_cells"] = side
    loaded = parse_scenario(yaml.safe_dump(data, allow_unicode=True), f"{name}.yaml")
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    worst, t, last = 0.0, 0.0, time.process_time()
    while t < minutes:
        t += SLICE_MIN
        drill.advance(t)
        now = time.process_time()
        worst, last = max(worst, (now - last) / SLICE_MIN), now
    cells = data["map"]["width_cells"] * data["map"]["height_cells"]
    return cells, float(data["map"]["cell_m"]), worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=list(DEFAULT))
    parser.add_argument("--sides", default="0,320", help="grid sides (0: the drill's own)")
    parser.add_argument("--minutes", type=float, default=240.0)
    args = parser.parse_args(argv)
    sides = [int(s) for s in args.sides.split(",")]
    print("drill                cells  cell_m  dearest s/sim-min  s/sim-min per Mcell")
    for name in args.scenarios:
        for side in sides:
            cells, cell_m, worst = dearest_minute_s(name, side or None, args.minutes)
            print(
                f"{name:18} {cells:8d} {cell_m:7.0f} {worst:18.4f} {worst / cells * 1e6:20.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
