"""Launch to first frame: wall time from starting ``python game.py`` to its first frame presented.

Run from anywhere: ``python benchmarks/bench_startup.py [--runs N] [--no-importtime]``.
Each run starts the game as a fresh process (SDL dummy video and audio
drivers) with ``DRILLCOMMAND_FIRST_FRAME_FILE`` set, which makes the app write
the wall time of its first ``pygame.display.flip()`` to that file (see
``ui/app.py``); the process is then terminated. Two launches are measured: with
``scenarios/riverside_flood.yaml`` on the command line (the game opens on its
briefing) and with no scenario (the title screen, the picker's way in). The
time counts from just before the process is spawned, so it includes the
interpreter's own start. Goal: the first frame within 1.5 s.

Then, unless ``--no-importtime``, one more launch of each under
``python -X importtime`` (ended at its first frame) shows where the time
before the first frame goes: the top-level imports by cumulative time (they
add up to the import total) and the heaviest single modules by their own time.
``-X importtime`` itself slows imports down somewhat, so read its figures as
shares, not as seconds. The environment is passed on as it is; with
PYTHONDONTWRITEBYTECODE set (the header says) the project's own modules are
compiled from source at every launch, as a player's first launch would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GAME = REPO / "game.py"
SCENARIO = REPO / "scenarios" / "riverside_flood.yaml"
FIRST_FRAME_ENV = "DRILLCOMMAND_FIRST_FRAME_FILE"  # read by ui/app.py
GOAL_S = 1.5
TIMEOUT_S = 60.0
POLL_S = 0.002


@dataclass(frozen=True)
class Launch:
    name: str
    args: tuple[str, ...]


LAUNCHES = (
    Launch("riverside_flood.yaml (briefing)", (str(SCENARIO),)),
    Launch("no scenario (title → picker)", ()),
)


def first_frame_s(args: tuple[str, ...]) -> float:
    """Seconds from spawning ``game.py args`` to its first frame (written by ui/app.py)."""
    with tempfile.TemporaryDirectory(prefix="bench_startup") as folder:
        stamp = Path(folder) / "first_frame"
        env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        env[FIRST_FRAME_ENV] = str(stamp)
        start = time.time()
        process = subprocess.Popen(
            [sys.executable, str(GAME), *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            shown = _wait_for_stamp(stamp, process)
        finally:
            process.terminate()
            process.wait(10)
        return shown - start


def _wait_for_stamp(stamp: Path, process: subprocess.Popen) -> float:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if stamp.exists():
            try:
                return float(stamp.read_text(encoding="utf-8"))
            except ValueError:
                pass  # caught mid-write: read again
        elif process.poll() is not None:
            raise RuntimeError(f"game.py exited with {process.returncode} before a frame")
        time.sleep(POLL_S)
    raise RuntimeError(f"no frame within {TIMEOUT_S:g} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# --- -X importtime --------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    name: str
    depth: int
    self_us: int
    cumulative_us: int


def parse_importtime(stderr: str) -> list[Import]:
    """The ``import time:`` lines of ``-X importtime`` output."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        head, cumulative_us, name = line.split("|", 2)
        self_us = head.removeprefix("import time:")
        rows.append(Import(name.strip(), _depth(name), int(self_us), int(cumulative_us)))
    return rows


def _depth(name: str) -> int:
    return (len(name) - len(name.lstrip(" ")) - 1) // 2


def summarise_imports(label: str, stderr: str, total_s: float, top: int) -> None:
    rows = parse_importtime(stderr)
    if not rows:
        print(f"  ({label}: no -X importtime output)")
        return
    top_level = sorted((r for r in rows if r.depth == 0), key=lambda r: -r.cumulative_us)
    imports_s = sum(r.cumulative_us for r in top_level) / 1e6
    print(
        f"\n{label}: first frame {total_s:.2f} s under -X importtime, of which imports "
        f"{imports_s:.2f} s ({len(rows)} modules); the rest is the interpreter's start, "
        "the window, fonts, the scenario and the first drawing"
    )
    print(f"  top-level imports by cumulative time (the first {top}):")
    for row in top_level[:top]:
        print(f"    {row.cumulative_us / 1000:8.1f} ms  {row.name}")
    print(f"  heaviest modules by their own time (the first {top}):")
    for row in sorted(rows, key=lambda r: -r.self_us)[:top]:
        print(f"    {row.self_us / 1000:8.1f} ms  {row.name}")


# Runs game.py as __main__ and ends the process right after its first frame, so that the
# -X importtime lines are those of the imports made before the first frame and no others.
UNTIL_FIRST_FRAME = """
import os, runpy, sys
import pygame
flip = pygame.display.flip
def first_flip(*args):
    flip(*args)
    sys.stderr.flush()
    os._exit(0)
pygame.display.flip = first_flip
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def imports_before_first_frame(args: tuple[str, ...]) -> tuple[float, str]:
    """Seconds to the first frame under ``-X importtime`` and the child's stderr."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", UNTIL_FIRST_FRAME, str(GAME), *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        timeout=TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"game.py ended with {done.returncode}: {done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stderr


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="launches of each kind")
    parser.add_argument("--top", type=int, default=12, help="rows in each import list")
    parser.add_argument("--no-importtime", action="store_true", help="skip the import summary")
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    bytecode = "not written" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    print(f"load average {load}, {os.cpu_count()} CPUs; project bytecode {bytecode}")
    header = f"{'launch':<34} {'runs':>4} | {'p50 s':>6} {'max s':>6} {'min s':>6}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for launch in LAUNCHES:
        first_frame_s(launch.args)  # once unmeasured: bytecode caches and the disk cache warm
        times = [first_frame_s(launch.args) for _ in range(args.runs)]
        worst = max(worst, max(times))
        print(
            f"{launch.name:<34} {len(times):>4} | {percentile(times, 50):>6.2f} "
            f"{max(times):>6.2f} {min(times):>6.2f}"
        )
    print(f"(goal: first frame within {GOAL_S:g} s; slowest launch {worst:.2f} s)")
    if not args.no_importtime:
        for launch in LAUNCHES:
            total_s, stderr = imports_before_first_frame(launch.args)
            summarise_imports(launch.name, stderr, total_s, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
