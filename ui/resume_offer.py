"""A drill that was cut off is offered again on the next launch; a signal ends a drill cleanly.

When the game (or the machine) is killed mid-drill, the log stops at its last
whole line, with no ``DrillEnded`` or ``DrillAborted``. On the next launch the
title scene asks "resume the drill you were playing?" when the newest log in
the trainee's log folder is such a log, played in the game (a bot's log names
its bot and is resumed with ``python -m sim resume``). Resuming rebuilds the
drill from the log's commands (:func:`sim.resume_drill`, which first checks
the log's signatures) and hands it, paused, to the drill scene; its log goes
on in place. Finding the offer reads only the log's first and last lines, with
no engine import, so the title still draws at once.

SIGTERM and Ctrl-C while the game runs end the frame loop; a drill in play is
then stopped the way the trainee's own "end drill" stops it (``DrillAborted``
in its log), and one line says so on the terminal: no traceback.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.paths import data_dir

if TYPE_CHECKING:
    from ui.app import App
    from ui.session import DrillSession

TAIL_BYTES = 64 * 1024  # enough for the last line of any log (a footprint line is the longest)
END_EVENTS = ("DrillEnded", "DrillAborted")


@dataclass(frozen=True)
class Offer:
    """A cut-off drill of the trainee's that can be resumed."""

    log: Path
    title_en: str
    title_zh: str
    minute: float


def cut_off_drill(folder: Path | None = None) -> Offer | None:
    """The newest log in the log folder if it is a game drill that was cut off, else None."""
    folder = folder or data_dir() / "logs"
    with suppress(OSError):
        logs = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True)
        return _offer(logs[0]) if logs else None
    return None


def _offer(log: Path) -> Offer | None:
    with suppress(OSError, ValueError, KeyError, TypeError), log.open("rb") as handle:
        header = json.loads(handle.readline())
        size = log.stat().st_size
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read().split(b"\n")
        whole = [line for line in tail[:-1] if line.strip()]  # tail[-1]: '' or a cut line
        if not whole or header.get("format") != "drillcommand-log" or "driver" in header:
            return None
        last = json.loads(whole[-1])
        if last.get("event") in END_EVENTS or "t" not in last:
            return None
        en, zh = _titles(header)
        return Offer(log, en, zh, float(last["t"]))
    return None


def _titles(header: dict[str, Any]) -> tuple[str, str]:
    import yaml

    meta = (yaml.safe_load(str(header.get("scenario_yaml", ""))) or {}).get("meta", {})
    title = meta.get("title") or {}
    name = str(header.get("scenario_id", "?"))
    return str(title.get("en", name)), str(title.get("zh", name))


def resume_session(offer: Offer) -> DrillSession:
    """The offered drill rebuilt and paused, its log going on; ``sim.LogError`` says why not."""
    from sim import resume_drill
    from ui.session import DrillSession

    resumption = resume_drill(offer.log)
    drill = resumption.drill
    session = DrillSession(drill.loaded, drill.seed, resume=(drill, resumption))  # type: ignore[arg-type]
    session.paused = True
    return session


# -- signals ---------------------------------------------------------------------------------
@contextmanager
def stop_on_signals(app: App) -> Iterator[list[int]]:
    """While inside, SIGTERM and Ctrl-C end the frame loop (after the frame) instead of the
    process; the list gets the signal's number. A second Ctrl-C interrupts at once."""
    caught: list[int] = []

    def handler(signum: int, frame: object) -> None:
        del frame
        if caught and signum == signal.SIGINT:
            raise KeyboardInterrupt
        caught.append(signum)
        app.running = False

    previous = {}
    with suppress(ValueError):  # not the main thread: leave the signals alone
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, handler)
    try:
        yield caught
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def stop_drill_in_play(app: App, signum: int) -> int:
    """Stop the drill on screen, if one is under way (DrillAborted in its log); say so in one
    line; the exit status (128 + the signal's number)."""
    name = signal.Signals(signum).name
    session = getattr(app.scene, "session", None)
    if session is not None and not session.finished:
        session.abort()
        print(
            f"{name}: drill stopped at minute {session.drill.now:g}, DrillAborted written to "
            f"{session.log_path}",
            file=sys.stderr,
        )
    else:
        print(f"{name}: stopped", file=sys.stderr)
    return 128 + signum


# -- the title scene's button ----------------------------------------------------------------
RESUME_W = 600


def add_resume_button(scene: Any, x_centre: int, y: int, height: int) -> None:
    """Offer the cut-off drill, if there is one, with a button centred on ``x_centre`` at ``y``
    (the title scene's hook). A drill that cannot be rebuilt leaves the button disabled, saying
    why."""
    import pygame

    if not hasattr(scene, "resume_offer"):
        scene.resume_offer, scene.resume_failed = cut_off_drill(), None
    offer: Offer | None = scene.resume_offer
    if offer is None:
        return
    t = scene.t
    rect = pygame.Rect(x_centre - RESUME_W // 2, y, RESUME_W, height)
    if scene.resume_failed is not None:
        label = t("resume.failed", reason=scene.resume_failed)
        scene.buttons.add(rect, label[:90], lambda: None, "@title_button", False, label)
        return
    title = t.pick(offer.title_en, offer.title_zh)
    label = t("resume.offer", scenario=title, clock=_clock(offer))
    scene.buttons.add(rect, label, lambda: _resume(scene, offer), "@title_button", True, label)


def _clock(offer: Offer) -> str:
    """The drill's clock (HH:MM) when it was cut off."""
    import yaml

    with offer.log.open("rb") as handle:
        header = json.loads(handle.readline())
    meta = (yaml.safe_load(str(header.get("scenario_yaml", ""))) or {}).get("meta", {})
    hours, minutes = (int(part) for part in str(meta.get("start_time", "00:00")).split(":")[:2])
    total = int(hours * 60 + minutes + offer.minute) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _resume(scene: Any, offer: Offer) -> None:
    from sim import LogError, ScenarioError
    from ui.scenes.drill import DrillScene

    try:
        session = resume_session(offer)
    except (LogError, ScenarioError, OSError) as exc:
        scene.resume_failed = str(exc).splitlines()[0].replace(str(offer.log), offer.log.name)
        scene.app.rebuild()
        return
    scene.app.switch(DrillScene(scene.app, session.loaded, session.seed, session=session))
