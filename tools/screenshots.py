"""Save a PNG of each scene to docs/screenshots/ (for the README and for looking at).

    python tools/screenshots.py [scenario.yaml] [--out docs/screenshots]
    python tools/screenshots.py --trainee [--size 1024x600] [--out DIR]
    python tools/screenshots.py --autoplay [--minutes 120] [--out docs/screenshots/autoplay]

Runs headless (SDL's dummy video driver): opens each scene in English and in
Chinese, at 1280×720 and at 1024×600 (the window resized as a person would),
drives the drill a little (a few orders, lets time run) so the drill screen
shows units moving and incidents, and saves one frame of each: title,
picker, briefing, the drill with an incident, a zone and nothing selected,
and the debrief (``<scene>-<en|zh>.png`` at 1280×720, ``…-1024x600.png``).
``--trainee`` instead plays the chlorine drill as a trainee would, with
posted mouse and key events only (ui.scripted), and saves a frame after each
step: hazmat team to the leak, warn then evacuate a zone, a level, a
reinforcement and a report upward (``trainee-<step>-<lang>-<width>.png``).
``--autoplay`` plays the chlorine drill's first ``--minutes`` with the
expert bot's decisions given by ui.autoplay (mouse and keys only) and saves
its frames: the first order of each kind with the pointer on its control,
every question it answers, and one an hour (``NN-minMMM-<order>.png``).
The debrief is shot once its score is in (the bot baselines take a while on a
large scenario); logs, reports and the records database go to a temporary
folder, never the user's.
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
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pygame  # noqa: E402

from sim import LoadedScenario  # noqa: E402
from ui import input as intents  # noqa: E402
from ui.app import App  # noqa: E402
from ui.catalog import discover  # noqa: E402
from ui.paths import SCENARIOS_DIR  # noqa: E402
from ui.scenes.briefing import BriefingScene  # noqa: E402
from ui.scenes.debrief import DebriefScene  # noqa: E402
from ui.scenes.drill import DrillScene  # noqa: E402
from ui.scenes.picker import PickerScene  # noqa: E402
from ui.scenes.title import TitleScene  # noqa: E402
from ui.scripted import Person  # noqa: E402


def frame(app: App, path: Path, frames: int = 2) -> None:
    for _ in range(frames):
        app.step(1 / 60)
    pygame.image.save(app.screen, str(path))
    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


def wait_for_score(app: App, scene: DebriefScene, timeout_s: float = 300.0) -> None:
    """Keep drawing frames until the debrief's scoring is done."""
    deadline = time.monotonic() + timeout_s
    while not scene.job.join(1 / 60) and time.monotonic() < deadline:
        app.step(1 / 60)
    if scene.job.error:
        print(f"scoring failed: {scene.job.error}", file=sys.stderr)


def run_drill(app: App, scene: DrillScene, minutes: float) -> None:
    """Let the drill run ``minutes`` of sim time, at top speed, with a big engine budget."""
    session = scene.session
    end = session.drill.now + minutes
    while session.drill.now < end and not session.finished:
        session.target_min = min(end, session.drill.now + 2.0)
        session.tick(0.0, budget_s=10.0)
        scene.update(0.0)


def first_orders(scene: DrillScene) -> None:
    """A few sensible orders: warn and evacuate the first zone, send units to incidents."""
    snap = scene.session.snapshot
    zone = snap.zones[0]
    scene.act(intents.SetLevel("IV"))
    scene.act(intents.Warn(zone.id, "orange", "broadcast"))
    shelters = [f for f in snap.facilities if f.type == "shelter"]
    for shelter in shelters:
        scene.act(intents.SetShelterOpen(shelter.id, True))
    if shelters:
        scene.act(intents.Evacuate(zone.id, shelters[0].id))
    for incident in [i for i in snap.incidents if i.is_open][:3]:
        for unit in snap.units:
            if set(unit.capabilities) & set(incident.needs) and unit.status == "available":
                scene.act(intents.Dispatch(unit.id, incident.id))
                break


def trainee(language: str, size: tuple[int, int], out: Path, scratch: Path) -> None:
    """The chlorine drill played through events only, a frame after each step."""
    loaded = next(e for e in discover(SCENARIOS_DIR) if e.path.stem == "chlorine_leak").loaded
    assert loaded is not None
    app = App(language=language, size=size)
    tag = f"{'zh' if language.startswith('zh') else 'en'}-{size[0]}"
    log = scratch / f"trainee-{tag}.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    person = Person(app, scene)
    person.key(pygame.K_SPACE)  # pause: the trainee reads before ordering
    person.run(10)

    def shot(step: str) -> None:
        frame(app, out / f"trainee-{step}-{tag}.png")

    snap = scene.session.snapshot
    leak = next(i for i in snap.incidents if i.kind == "leak")
    person.click(person.unit_icon("hazmat_team-1"))
    person.move(person.at(leak.x, leak.y))
    shot("1-hazmat-hover")
    person.click(person.at(leak.x, leak.y))
    shot("2-hazmat-sent")
    person.click(person.at(leak.x, leak.y))
    shot("3-chooser")
    person.key(pygame.K_ESCAPE)
    gym = next(f for f in snap.facilities if f.type == "shelter")
    person.click(person.at(gym.x, gym.y))
    person.press_order(lambda it: isinstance(it, intents.SetShelterOpen))
    zone = snap.zone("dormitories")
    person.click(person.at(zone.x, zone.y + 60))
    shot("4-zone-unwarned")
    person.press_order(lambda it: isinstance(it, intents.Warn) and it.level == "orange")
    shot("5-zone-warned")
    person.press_order(lambda it: isinstance(it, intents.Evacuate))
    shot("6-evacuate-asks")
    person.press_order_in_modal()
    shot("7-evacuating")
    person.key(pygame.K_ESCAPE)
    person.press_order(lambda it: isinstance(it, intents.SetLevel) and it.level == "II")
    person.press_order(lambda it: isinstance(it, intents.Reinforce))
    person.press_order(lambda it: isinstance(it, intents.Report) and not it.final)
    shot("8-command")
    person.run(15)
    person.click(person.unit_icon("ambulance-1"))
    shot("9-unit")
    scene.session.abort()


def autoplay_sequence(out: Path, minutes: float, scratch: Path) -> int:
    """The chlorine drill played by ui.autoplay, a frame at each notable order (into ``out``)."""
    from ui.autoplay import autoplay

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):  # a fresh sequence, not a mix of two runs
        old.unlink()
    outcome = autoplay(
        SCENARIOS_DIR / "chlorine_leak.yaml",
        out=scratch / "autoplay.jsonl",
        until_min=minutes,
        frames_dir=out,
        frame_every_min=60.0,
    )
    for path in outcome.frames:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    for failure in outcome.failures:
        print(failure.line(), file=sys.stderr)
    return 1 if outcome.failures else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--minutes", type=float, default=75.0, help="sim time before the shot")
    parser.add_argument("--trainee", action="store_true", help="the chlorine drill by events")
    parser.add_argument("--size", default="1280x720", help="window size for --trainee")
    parser.add_argument("--autoplay", action="store_true", help="the chlorine drill by ui.autoplay")
    args = parser.parse_args(argv)
    if args.autoplay:
        given = {arg.split("=")[0] for arg in argv}
        out = args.out if "--out" in given else args.out / "autoplay"
        with tempfile.TemporaryDirectory(prefix="drillcommand-screenshots-") as scratch:
            os.environ["XDG_DATA_HOME"] = scratch
            minutes = args.minutes if "--minutes" in given else 120.0
            return autoplay_sequence(out, minutes, Path(scratch))
    args.out.mkdir(parents=True, exist_ok=True)
    if args.trainee:
        size = tuple(int(v) for v in args.size.split("x"))
        with tempfile.TemporaryDirectory(prefix="drillcommand-screenshots-") as scratch:
            os.environ["XDG_DATA_HOME"] = scratch
            for language in ("en", "zh-CN"):
                trainee(language, (size[0], size[1]), args.out, Path(scratch))
        pygame.quit()
        return 0
    entries = [e for e in discover(SCENARIOS_DIR, args.scenario) if e.valid]
    if not entries:
        print("no valid scenario to show", file=sys.stderr)
        return 1
    loaded = entries[0].loaded
    assert loaded is not None
    with tempfile.TemporaryDirectory(prefix="drillcommand-screenshots-") as scratch:
        os.environ["XDG_DATA_HOME"] = scratch  # records DB and logs: not the user's
        shoot(loaded, args, Path(scratch))
    pygame.quit()
    return 0


SIZES = ((1280, 720), (1024, 600))


def resize(app: App, size: tuple[int, int]) -> None:
    """The window resized as a person would drag it (the scene lays itself out again)."""
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1]))


def shot_name(scene: str, suffix: str, size: tuple[int, int]) -> str:
    """``drill-en.png`` at 1280×720 (the README's), ``drill-en-1024x600.png`` at the other."""
    tail = "" if size == SIZES[0] else f"-{size[0]}x{size[1]}"
    return f"{scene}-{suffix}{tail}.png"


def shoot(loaded: LoadedScenario, args: argparse.Namespace, scratch: Path) -> None:
    """Every scene, in English then Chinese, at 1280×720 and at 1024×600."""
    for language, suffix in (("en", "en"), ("zh-CN", "zh")):
        shoot_language(loaded, args, scratch, language, suffix)


def shoot_language(
    loaded: LoadedScenario, args: argparse.Namespace, scratch: Path, language: str, suffix: str
) -> None:
    """Every scene in one language, each at both window sizes."""
    app = App(language=language, cli_scenario=args.scenario)

    def both(scene: str, order: tuple[tuple[int, int], ...] = SIZES) -> None:
        for size in order:
            resize(app, size)
            frame(app, args.out / shot_name(scene, suffix, size))

    app.switch(TitleScene(app))
    both("title")
    app.switch(PickerScene(app))
    both("picker")
    app.switch(BriefingScene(app, loaded))
    both("briefing")
    log = scratch / f"drillcommand-screenshot-{suffix}.jsonl"
    drill = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(drill)
    run_drill(app, drill, 30.0)
    first_orders(drill)
    run_drill(app, drill, args.minutes - 30.0)
    drill.session.paused = True
    open_incidents = [i for i in drill.session.snapshot.incidents if i.is_open]
    if open_incidents:
        drill.act(intents.Select("incident", open_incidents[0].id))
    both("drill")
    drill.act(intents.Select("zone", drill.session.snapshot.zones[0].id))
    both("drill-zone")
    drill.act(intents.Deselect())
    both("drill-none")
    drill.session.abort()
    debrief = DebriefScene(app, drill.session)
    app.switch(debrief)
    wait_for_score(app, debrief)
    both("debrief", SIZES[::-1])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
