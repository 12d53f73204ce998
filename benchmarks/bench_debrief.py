"""Time from a drill's end to its score on the debrief screen, for every shipped drill.

Run from anywhere: ``python benchmarks/bench_debrief.py [--scenario NAME ...]``.
Headless (SDL dummy driver), each drill on its default seed. The expert bot
plays the drill in a game session (the drill scene starts the background
warm-up, :mod:`ui.warmup`, as the game does); the clock starts when the drill
has ended and the debrief is entered, and stops at the first frame (60 fps)
that draws the score. Columns:

* warm — the warm-up's idle figures are cached (in a real drill they always
  are: the idle drill takes seconds, the drill at 120× takes minutes);
* report — when the after-action report is written too (the score is up first);
* cold — no warm-up, an empty records database: the debrief plays the idle bot;
* before — what the debrief did until now: ``analysis.pipeline.score_and_report``
  (idle bot, score, report, record) before anything is shown, cold;
* stopped — the expert stops at half-time, cache warm: the drill is played out
  to its end with no further orders before it can be scored;
* warm-up — how long the background idle drills took (at nice 10, beside the game);
* 120× — the shortest wall time the drill can take in the game (its top speed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim
from ui.app import App
from ui.catalog import discover
from ui.paths import SCENARIOS_DIR
from ui.scenes.debrief import DebriefScene
from ui.scenes.drill import DrillScene
from ui.session import SPEEDS, DrillSession

FPS = 60


class ColdCache(RuntimeError):
    """The warm-up's figures were not found: the engine build (the cache key) changed."""


TIMEOUT_S = 300.0


def play_expert(session: DrillSession, until_min: float | None = None) -> None:
    """The expert bot commands the session's drill, deciding every sim-minute (as run_headless)."""
    drill = session.drill
    bot = sim.make_bot("expert", session.loaded.scenario)
    stop = drill.end_min if until_min is None else until_min
    t = 0.0
    while not drill.finished and drill.now < stop:
        for command in bot.decide(drill.snapshot()):
            result = drill.submit(command)
            learn = getattr(bot, "learn", None)
            if learn is not None:
                learn(command, result)
        t = min(t + 1.0, stop)
        drill.advance(t)
    if until_min is None:
        drill.finish()
        session.close()
    else:
        session.abort()


def to_score(app: App, session: DrillSession) -> tuple[float, float, DebriefScene]:
    """Enter the debrief; seconds until the score is drawn, and until the report is written."""
    start = time.perf_counter()
    scene = DebriefScene(app, session)
    app.switch(scene)
    scored = None
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        app.clock.tick(FPS)
        app.step(1 / FPS)
        if scored is None and (scene.job.card is not None or scene.job.error is not None):
            scored = time.perf_counter() - start  # this frame drew it
        if scene.job.done.is_set():
            break
    if scene.job.error is not None:
        raise RuntimeError(f"{session.loaded.scenario.meta.id}: {scene.job.error}")
    return float(scored or 0.0), time.perf_counter() - start, scene


def drill_scene(app: App, loaded: sim.LoadedScenario, log: Path) -> DrillScene:
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    return scene


def warm_case(
    loaded: sim.LoadedScenario, scratch: Path, stop_at_half: bool
) -> tuple[dict[str, float], DrillSession]:
    """The game's path: warm-up during the drill, then the debrief."""
    os.environ["XDG_DATA_HOME"] = str(scratch / "warm")
    app = App(language="en", warm_up=True)
    try:
        name = "half" if stop_at_half else "full"
        scene = drill_scene(app, loaded, scratch / f"{loaded.scenario.meta.id}-{name}.jsonl")
        session = scene.session
        play_expert(session, session.drill.end_min / 2 if stop_at_half else None)
        key = (loaded.content_hash, loaded.scenario.meta.default_seed)
        never = lambda: False  # noqa: E731
        if not app.warmup.wait_idle(*key, never):
            raise RuntimeError("the warm-up failed")
        idle_s = float(app.warmup.for_key(*key).figures_s or 0.0)
        scored, reported, debrief = to_score(app, session)
        if not debrief.job.warm:
            raise ColdCache("cold cache after the warm-up: did sim/ change during the run?")
        return {"scored": scored, "reported": reported, "idle_s": idle_s}, session
    finally:
        app.warmup.close()


def warm_case_again(
    loaded: sim.LoadedScenario, scratch: Path, stop_at_half: bool, tries: int = 3
) -> tuple[dict[str, float], DrillSession]:
    """:func:`warm_case`, again if the engine's source changed under it (the cache key moved)."""
    for attempt in range(tries):
        try:
            return warm_case(loaded, scratch, stop_at_half)
        except ColdCache:
            if attempt == tries - 1:
                raise
            print(f"({Path(loaded.name).stem}: sim/ changed during the run; again)", flush=True)
    raise AssertionError("unreachable")


def cold_case(session: DrillSession, scratch: Path) -> float:
    """The same drill, no warm-up and an empty records database: the debrief plays the idle bot."""
    os.environ["XDG_DATA_HOME"] = str(scratch / "cold")
    app = App(language="en")
    scored, _, debrief = to_score(app, session)
    assert debrief.job.warm is False
    return scored


def before_case(scratch: Path, log: Path) -> float:
    """The old debrief: score_and_report in full before anything shows, cold."""
    from analysis.pipeline import score_and_report

    start = time.perf_counter()
    score_and_report(log, scratch / "before-report", db=scratch / "before.sqlite", record=True)
    return time.perf_counter() - start


def measure(loaded: sim.LoadedScenario) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="drillcommand-bench-debrief-") as folder:
        scratch = Path(folder)
        full, session = warm_case_again(loaded, scratch, stop_at_half=False)
        half, _ = warm_case_again(loaded, scratch, stop_at_half=True)
        return {
            "warm": full["scored"],
            "report": full["reported"],
            "cold": cold_case(session, scratch),
            "before": before_case(scratch, session.log_path),
            "stopped": half["scored"],
            "idle_s": full["idle_s"],
            "fastest_s": loaded.scenario.meta.duration_h * 3600.0 / SPEEDS[-1],
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", help="scenario file stem(s); default: all")
    args = parser.parse_args(argv)
    entries = [e for e in discover(SCENARIOS_DIR) if e.valid and e.loaded is not None]
    chosen = [
        e.loaded for e in entries if not args.scenario or Path(e.loaded.name).stem in args.scenario
    ]
    print("seconds from the drill's end to the score on screen (expert bot, default seed)")
    print(
        "| drill | warm | report | cold | before | stopped at ½, warm | warm-up (background)"
        " | drill at 120× |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for loaded in sorted(chosen, key=lambda item: Path(item.name).stem):
        row = measure(loaded)
        print(
            f"| {Path(loaded.name).stem} | {row['warm']:.2f} | {row['report']:.2f}"
            f" | {row['cold']:.2f} | {row['before']:.2f} | {row['stopped']:.2f}"
            f" | {row['idle_s']:.1f} | {row['fastest_s']:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
