"""The scenes, from the title to the debrief, with scripted button presses."""

from __future__ import annotations

import shutil

import numpy as np
import pygame

from tests.ui.conftest import MINI
from ui import input as intents
from ui.catalog import discover
from ui.scenes.briefing import BriefingScene
from ui.scenes.debrief import DebriefScene
from ui.scenes.drill import DrillScene
from ui.scenes.picker import PickerScene
from ui.scenes.title import TitleScene


def test_switching_to_chinese_on_the_title_renders_chinese_labels(app):
    app.switch(TitleScene(app))
    app.step(1 / 60)
    english = pygame.surfarray.array3d(app.screen).copy()
    assert app.scene.buttons.press("中文")
    app.step(1 / 60)
    assert app.t.language == "zh-CN"
    assert "开始演练" in app.scene.buttons.labels()
    chinese = pygame.surfarray.array3d(app.screen)
    assert not np.array_equal(english, chinese)


def test_the_picker_lists_invalid_files_with_their_messages(tmp_path):
    shutil.copy(MINI, tmp_path / "mini.yaml")
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nmeta: {id: x}\n", encoding="utf-8")
    entries = discover(tmp_path)
    by_name = {e.path.name: e for e in entries}
    assert by_name["mini.yaml"].valid
    broken = by_name["broken.yaml"]
    assert not broken.valid and broken.problems
    assert broken.problems[0].startswith(str(tmp_path / "broken.yaml"))


def test_a_scenario_named_on_the_command_line_comes_first(tmp_path):
    entries = discover(tmp_path, MINI)
    assert [e.path for e in entries] == [MINI.resolve()]


def test_title_to_debrief_and_back_to_the_menu(app):
    app.cli_scenario = MINI
    app.switch(TitleScene(app))
    assert app.scene.buttons.press("Start a drill")
    assert isinstance(app.scene, PickerScene)
    app.scene.chosen = next(e for e in app.scene.entries if e.path == MINI.resolve())
    app.rebuild()
    app.step(1 / 60)
    assert app.scene.buttons.press("Brief me")
    assert isinstance(app.scene, BriefingScene)
    app.step(1 / 60)
    assert app.scene.buttons.press("Take command")
    assert isinstance(app.scene, DrillScene)
    app.step(1 / 60)
    app.scene.act(intents.Quick("end"))
    assert app.scene.modal_buttons.press("Yes")
    assert isinstance(app.scene, DebriefScene)
    app.step(1 / 60)
    labels = dict(app.scene.figures())
    assert labels["dead"] == "0"
    assert app.scene.buttons.press("Main menu")
    assert isinstance(app.scene, TitleScene)
