"""No text is cut and no two controls overlap, at 1280×720 and at 1024×600, in both languages.

Every shipped scenario is played for an hour (a few sensible orders given),
then every thing on its map is selected in turn; at each, every button's
text must fit inside the button, no two buttons may overlap, none may reach
into the event timeline or off the window, the side panel must have placed
every button it offered, and our own drawn text (the top bar's chips, the
panel's lines, the timeline's lines and chips, the critical banner, the hints
and the tutorial's card) must lie inside its box. Chinese line-breaking moves a
glyph down rather than letting a closing mark hang (ui.theme.wrap), so no
overhang is allowed. The title, picker and briefing screens are held to the
same rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from tools.screenshots import first_orders, run_drill
from ui import input as intents
from ui import theme
from ui.app import App
from ui.panel import BUTTON_PAD_PX, LINE_PX, TITLE_PX
from ui.scenes.briefing import BriefingScene
from ui.scenes.drill import DrillScene
from ui.scenes.picker import PickerScene
from ui.scenes.title import TitleScene

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
SIZES = ((1280, 720), (1024, 600))
LANGUAGES = ("en", "zh-CN")
PLAY_MIN = 60.0


def button_problems(buttons: list, window: pygame.Rect) -> list[str]:
    """Text wider than its button, buttons on top of each other or off the window."""
    problems = []
    for button in buttons:
        text, rect = button.text, button.rect
        width, height = button.font.size(text)
        if width > rect.w - BUTTON_PAD_PX or height > rect.h:
            problems.append(f"button text cut: {text!r} is {width} px in a {rect.w} px button")
        if not window.contains(rect):
            problems.append(f"button off the window: {text!r} at {rect}")
    for i, a in enumerate(buttons):
        for b in buttons[i + 1 :]:
            if a.rect.colliderect(b.rect):
                problems.append(f"buttons overlap: {a.text!r} {a.rect} and {b.text!r} {b.rect}")
    return problems


def live_buttons(app: App) -> list:
    return [e for e in app.manager.get_sprite_group().sprites() if type(e).__name__ == "UIButton"]


def text_inside(what: str, text: str, box: pygame.Rect, area: pygame.Rect) -> list[str]:
    return [] if area.contains(box) else [f"{what} text outside its box: {text!r} {box} in {area}"]


def drill_problems(scene: DrillScene) -> list[str]:
    """Everything the drill screen shows now that is cut, overlapping or misplaced."""
    app = scene.app
    window = pygame.Rect((0, 0), app.size)
    buttons = live_buttons(app)
    problems = button_problems(buttons, window)
    panel, timeline = scene.panel, scene.timeline
    problems += [f"no room for a button: {panel.dropped} dropped"] if panel.dropped else []
    for button in buttons:
        if button.rect.colliderect(timeline.rect):
            problems.append(f"button over the event timeline: {button.text!r} {button.rect}")
    for text, box in scene.top_chips:
        problems += text_inside("top bar", text, box, scene.top_rect)
    for (_, a), (_, b) in zip(scene.top_chips, scene.top_chips[1:], strict=False):
        problems += [f"top bar chips overlap: {a} {b}"] if a.colliderect(b) else []
    title_w = theme.font(panel.title_size(), True).size(panel.title)[0]
    if title_w > panel.title_room():
        problems.append(f"panel title cut: {panel.title!r}")
    problems += panel_text_problems(scene)
    for label in timeline.labels:
        problems += text_inside("timeline", label.text, label.box, timeline.rect)
    if timeline.banner_rect is not None:
        for label in timeline.banner_labels:
            problems += text_inside("banner", label.text, label.box, timeline.banner_rect)
    for text, box, hint in scene.coach.hints.lines:
        problems += text_inside("hint", text, box, hint)
    guide = scene.coach.guide
    if guide is not None and guide.active:
        for text, box in guide.lines:
            problems += text_inside("guide card", text, box, guide.card)
    return problems


def panel_text_problems(scene: DrillScene) -> list[str]:
    panel = scene.panel
    problems = []
    half = (panel.rect.w - 16) // 2
    first_button = min(
        (r.y for r, _ in panel.placed if r.y > panel.rect.y + TITLE_PX), default=None
    )
    for row, line in enumerate(panel.lines):
        room = panel.rect.w - 16 if len(line) == 1 else half - 4
        bottom = panel.rect.y + TITLE_PX + (row + 1) * LINE_PX
        for words, _ in line:
            if theme.font(14).size(words)[0] > room:
                problems.append(f"panel line cut: {words!r}")
        if bottom > panel.rect.bottom or (first_button is not None and bottom > first_button):
            problems.append(f"panel line under a button or off the panel: {line[0][0]!r}")
    for words, _, bold, top in panel.notes:
        if theme.font(14, bold).size(words)[0] > panel.rect.w - 16:
            problems.append(f"panel note cut: {words!r}")
        if top + LINE_PX > panel.rect.bottom:
            problems.append(f"panel note off the panel: {words!r}")
    return problems


def selections(scene: DrillScene) -> Iterator[intents.Select | None]:
    """Nothing, then every zone, open incident, facility and road, and a unit of each type."""
    snap = scene.session.snapshot
    yield None
    yield from (intents.Select("zone", z.id) for z in snap.zones)
    yield from (intents.Select("incident", i.id) for i in snap.incidents if i.is_open)
    yield from (intents.Select("facility", f.id) for f in snap.facilities)
    yield from (intents.Select("road", r.id) for r in scene.session.loaded.scenario.roads)
    kinds = {u.type: u.id for u in reversed(snap.units)}
    yield from (intents.Select("unit", unit_id) for unit_id in sorted(kinds.values()))


def resize(app: App, size: tuple[int, int]) -> None:
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1]))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_no_drill_screen_text_is_cut_and_no_controls_overlap(app, path):
    from sim import load_scenario

    loaded = load_scenario(path)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    half = min(PLAY_MIN, scene.session.drill.end_min / 2) / 2  # the tutorial lasts an hour
    run_drill(app, scene, half)
    first_orders(scene)
    run_drill(app, scene, half)
    scene.session.paused = True
    assert app.scene is scene and not scene.session.finished
    problems: set[str] = set()
    for language in LANGUAGES:
        app.set_language(language)
        for size in SIZES:
            resize(app, size)
            for selection in selections(scene):
                scene.act(selection or intents.Deselect())
                app.step(0.0)
                where = f"{language} {size[0]}x{size[1]} {selection}"
                problems |= {f"{where}: {p}" for p in drill_problems(scene)}
    assert not problems, "\n".join(sorted(problems))


def test_the_menus_and_briefing_fit_at_both_sizes(app):
    from ui.catalog import discover
    from ui.paths import SCENARIOS_DIR

    problems: list[str] = []
    entries = [e for e in discover(SCENARIOS_DIR) if e.valid]
    for language in LANGUAGES:
        app.t.language = language
        for size in SIZES:
            app.screen = pygame.display.set_mode(size)
            app.manager.set_window_resolution(size)
            scenes = [TitleScene(app), PickerScene(app)]
            scenes += [BriefingScene(app, e.loaded) for e in entries]
            for scene in scenes:
                app.switch(scene)
                app.step(0.0)
                window = pygame.Rect((0, 0), size)
                where = f"{language} {size[0]}x{size[1]} {type(scene).__name__}"
                problems += [f"{where}: {p}" for p in button_problems(live_buttons(app), window)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("copies", [1, 2], ids=["7 drills", "13 drills"])
def test_the_picker_with_many_drills_fits_at_both_sizes(app, tmp_path, monkeypatch, copies):
    """Every row above the Back button, no button cut or overlapping, the chosen drill's
    title and briefing wrapped inside the details column (an instructor's long title)."""
    import shutil

    from ui.scenes import picker as picker_module

    for path in SCENARIOS:
        for k in range(copies):
            shutil.copy(path, tmp_path / f"{k}_{path.name}")
    source = (tmp_path / "0_riverside_flood.yaml").read_text(encoding="utf-8")
    long_title = "Nanhe Town flash flood after the Qinglong spillway release"
    long = source.replace('"Riverside Town flood"', f'"{long_title}"')
    (tmp_path / "9_long.yaml").write_text(long, encoding="utf-8")
    monkeypatch.setattr(picker_module, "SCENARIOS_DIR", tmp_path)
    problems: list[str] = []
    for language in LANGUAGES:
        app.t.language = language
        scene = PickerScene(app)
        app.switch(scene)
        for size in SIZES:
            resize(app, size)
            for _ in scene.entries:
                app.step(0.0)
                where = f"{language} {size[0]}x{size[1]} {scene.label(scene.chosen)!r}"
                window = pygame.Rect((0, 0), size)
                found = button_problems(live_buttons(app), window)
                back = next(b.rect for b in scene.buttons.actions if b.text == app.t("picker.back"))
                found += [f"row {r} under Back" for r in scene.rows.values() if r.bottom > back.top]
                area = scene.detail_area()
                found += [f"details cut: {text!r}" for text, box in scene.texts
                          if box.left < area.left or box.right > area.right]  # fmt: skip
                problems += [f"{where}: {p}" for p in found]
                scene.step_choice(1)
            scene.step_choice(-len(scene.entries))
    assert not problems, "\n".join(problems)
