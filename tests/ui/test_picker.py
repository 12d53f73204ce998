"""The scenario picker with more drills than fit: every one reachable by mouse and by keys,
and every word of the chosen drill's briefing readable, at the smallest window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest

from ui.app import App
from ui.scenes import picker as picker_module
from ui.scenes.briefing import BriefingScene
from ui.scenes.picker import PickerScene

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
TRIAL_TEXT = "Qinglong spillway"  # the long-titled drill an instructor added


def long_drill(folder: Path) -> None:
    """A shipped drill under a long title and a long briefing (an instructor's own)."""
    source = (folder / "riverside_flood.yaml").read_text(encoding="utf-8")
    lines = source.splitlines()
    title = next(i for i, line in enumerate(lines) if line.strip() == "title:")
    lines[title + 1] = '    en: "Zzz Nanhe Town flash flood after the Qinglong spillway release"'
    text = "The river rises through the night and the hospital must be emptied first. " * 30
    brief = next(i for i, line in enumerate(lines) if line.strip() == "briefing:")
    end = next(i for i in range(brief + 2, len(lines)) if lines[i].lstrip().startswith("zh:"))
    lines[brief + 1 : end] = [f'    en: "{text}"']
    (folder / "zz_long.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Thirteen valid drills (the shipped ones twice, one long) and a broken file."""
    for path in SHIPPED:
        shutil.copy(path, tmp_path / path.name)
        shutil.copy(path, tmp_path / f"copy_{path.name}")
    long_drill(tmp_path)
    (tmp_path / "zzz_broken.yaml").write_text("schema_version: 1\nmeta: {id: x}\n", "utf-8")
    monkeypatch.setattr(picker_module, "SCENARIOS_DIR", tmp_path)
    return tmp_path


def small_picker(app: App) -> PickerScene:
    scene = PickerScene(app)
    app.switch(scene)
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=600))
    frames(app)
    return scene


def frames(app: App, n: int = 2) -> None:
    for _ in range(n):
        app.step(1 / 60)


def post_key(app: App, code: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))
    frames(app)


def post_click(app: App, pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0,) * 3))
    frames(app)
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1))
    frames(app, 3)


def button(scene: PickerScene, starts: str) -> pygame.Rect | None:
    return next((b.rect for b in scene.buttons.actions if b.text.startswith(starts)), None)


def back_button(scene: PickerScene) -> pygame.Rect:
    rect = button(scene, scene.t("picker.back"))
    assert rect is not None
    return rect


def test_every_drill_is_reached_by_keys_and_none_sits_under_the_back_button(app, many):
    scene = small_picker(app)
    valid = [e for e in scene.entries if e.valid]
    assert len(valid) == 13 and len(scene.rows) < len(scene.entries)  # the list must scroll
    seen = set()
    for _ in scene.entries:
        seen.add(id(scene.chosen))
        row = scene.rows[id(scene.chosen)]  # the chosen row is always on screen
        assert row.bottom <= back_button(scene).top and scene.list_area().contains(row)
        post_key(app, pygame.K_DOWN)
    assert seen == {id(e) for e in scene.entries}
    post_key(app, pygame.K_UP)  # the broken file is last; the drill before it is the long one
    assert TRIAL_TEXT in scene.label(scene.chosen)
    post_key(app, pygame.K_RETURN)
    assert isinstance(app.scene, BriefingScene)
    assert TRIAL_TEXT in app.scene.loaded.scenario.meta.title.en


def test_the_last_drill_is_reached_by_mouse_clicks_alone(app, many):
    scene = small_picker(app)
    target = next(e for e in scene.entries if e.valid and TRIAL_TEXT in scene.label(e))
    for _ in scene.entries:
        if id(target) in scene.rows:
            break
        more = button(scene, "▼")
        assert more is not None, "no way down the list"
        post_click(app, more.center)
    post_click(app, scene.rows[id(target)].center)
    assert scene.chosen is target
    brief = button(scene, scene.t("picker.choose"))
    assert brief is not None
    post_click(app, brief.center)
    assert isinstance(app.scene, BriefingScene)
    assert TRIAL_TEXT in app.scene.loaded.scenario.meta.title.en


def test_the_wheel_scrolls_the_list_and_the_long_briefing_to_its_end(app, many):
    scene = small_picker(app)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=scene.list_area().center,
                                         rel=(0, 0), buttons=(0,) * 3))  # fmt: skip
    for _ in range(20):
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False))
    frames(app)
    assert id(scene.entries[-1]) in scene.rows  # the wheel reached the end of the list
    target = next(e for e in scene.entries if e.valid and TRIAL_TEXT in scene.label(e))
    post_click(app, scene.rows[id(target)].center)
    area = scene.detail_area()
    assert scene.detail_h > area.h  # the long briefing does not fit: it must scroll
    for _ in range(20):
        post_key(app, pygame.K_PAGEDOWN)
    assert scene.detail_scroll == scene.detail_h - area.h  # the last line is in view
    post_key(app, pygame.K_HOME)
    assert scene.chosen is scene.entries[0] and scene.detail_scroll == 0


def test_a_broken_file_in_the_list_shows_its_messages_and_cannot_be_briefed(app, many):
    scene = small_picker(app)
    post_key(app, pygame.K_END)
    broken = scene.chosen
    assert broken is not None and not broken.valid
    assert scene.label(broken) == "Invalid file: zzz_broken.yaml"
    brief = next(b for b in scene.buttons.actions if b.text == scene.t("picker.choose"))
    assert not brief.is_enabled
    post_key(app, pygame.K_RETURN)
    assert app.scene is scene
