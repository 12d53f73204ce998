"""The game offers a drill cut off last time, and a signal stops a drill in play cleanly."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pygame

from ui.app import App
from ui.resume_offer import stop_drill_in_play, stop_on_signals
from ui.scenes.drill import DrillScene
from ui.scenes.title import TitleScene

SHOTS = Path(os.environ.get("DRILLCOMMAND_SHOTS", "/tmp/drillcommand-shots"))


def _killed_drill(app: App, mini, minutes: float) -> Path:
    """Play a drill in the game for ``minutes`` and leave its log as a kill does (no end line,
    the last line cut off mid-way)."""
    scene = DrillScene(app, mini, seed=3)
    app.switch(scene)
    scene.session.set_speed(6)
    while scene.session.drill.now < minutes:
        app.step(1 / 30)
    scene.session.writer.close()  # the process dies: no DrillAborted
    log = scene.session.log_path
    data = log.read_bytes()
    log.write_bytes(data[:-40])
    return log


def _resume_button(scene: TitleScene) -> str | None:
    return next((label for label in scene.buttons.labels() if "Resume" in label), None)


def test_the_title_offers_the_drill_cut_off_last_time_and_resumes_it_paused(app, mini):
    log = _killed_drill(app, mini, 20)
    lines = log.read_text(encoding="utf-8").splitlines()[:-1]
    last_min = json.loads(lines[-1])["t"]
    title = TitleScene(app)
    app.switch(title)
    label = _resume_button(title)
    assert label is not None and label.startswith("Resume the drill you were playing: Mini drill")
    app.step(1 / 60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.screen, str(SHOTS / "title-resume-en.png"))
    app.set_language("zh-CN")
    zh = next(
        lb for lb in title.buttons.labels() if lb.startswith("继续上次未完成的演练：小型演练")
    )
    app.step(1 / 60)
    pygame.image.save(app.screen, str(SHOTS / "title-resume-zh.png"))

    assert title.buttons.press(zh)
    scene = app.scene
    assert isinstance(scene, DrillScene) and scene.session.paused
    assert scene.session.drill.now == last_min and scene.session.log_path == log
    scene.session.paused = False
    while scene.session.drill.now < last_min + 5:
        app.step(1 / 30)
    scene.session.abort()
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["event"] == "DrillAborted" and records[-1]["t"] > last_min
    from sim import verify_log

    assert verify_log(log).identical


def test_no_offer_once_the_newest_drill_has_ended(app, mini):
    scene = DrillScene(app, mini, seed=3)
    app.switch(scene)
    scene.session.abort()
    title = TitleScene(app)
    app.switch(title)
    assert _resume_button(title) is None


def test_sigterm_in_the_game_stops_the_drill_with_drill_aborted_and_one_line(app, mini, capsys):
    scene = DrillScene(app, mini, seed=3)
    app.switch(scene)
    app.step(1 / 30)
    with stop_on_signals(app) as caught:
        os.kill(os.getpid(), signal.SIGTERM)
        app.run()  # the frame loop ends instead of the process
    assert caught == [signal.SIGTERM] and not app.running
    assert stop_drill_in_play(app, caught[0]) == 143
    log = scene.session.log_path
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"SIGTERM: drill stopped at minute {scene.session.drill.now:g}, "
        f"DrillAborted written to {log}"
    ]
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["event"] == "DrillAborted"
