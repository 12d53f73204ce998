"""What the map's furniture and tips leave visible: the whole map at the opening view clear
of the scale bar and wind panel (the legend beside it where there is room), a folded legend
in the briefing's preview, and the pointer's tip beside, not over, the names it is about."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from sim import load_scenario
from tools.screenshots import run_drill
from ui import hud
from ui.scenes.briefing import BriefingScene
from ui.scenes.drill import DrillScene
from ui.scripted import Person

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
SIZES = ((1280, 720), (1024, 600))


def resize(app, size: tuple[int, int]) -> None:
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1]))
    app.step(0.0)


def map_box(widget) -> pygame.Rect:
    """The whole map's rectangle on screen."""
    left, top = widget.camera.to_screen(0.0, 0.0)
    right, bottom = widget.camera.to_screen(widget.camera.width_m, widget.camera.height_m)
    return pygame.Rect(left, top, right - left, bottom - top)


def content_points(widget, snap) -> list[tuple[int, int]]:
    """Where the roads' nodes and the facilities are on screen."""
    points = [widget.camera.to_screen(x, y) for x, y in snap.map.node_xy]
    return points + [widget.camera.to_screen(f.x, f.y) for f in snap.facilities]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_opening_view_shows_the_whole_map_and_nothing_under_scale_bar_or_wind(app, path):
    loaded = load_scenario(path)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    for language in ("en", "zh-CN"):
        app.set_language(language)
        for size in SIZES:
            resize(app, size)
            widget = app.scene.map
            assert widget.rect.inflate(2, 2).contains(map_box(widget)), f"{language} {size}"
            furniture = [widget.panels["scale"], widget.panels["wind"]]
            hidden = [p for p in content_points(widget, app.scene.session.snapshot)
                      if any(panel.collidepoint(p) for panel in furniture)]  # fmt: skip
            assert not hidden, f"{language} {size}: roads or facilities under the furniture"
    scene.session.abort()


FLOODS = [p for p in SCENARIOS if p.stem in ("riverside_flood", "typhoon_cascade")]


@pytest.mark.parametrize("path", FLOODS, ids=[p.stem for p in FLOODS])
def test_a_flood_drills_legend_hides_no_road_or_facility(app, path):
    """The flood drills' maps leave room for the legend (depth bands grown after an hour)
    beside or under them. (The chlorine map fills its view: there the legend goes where it
    hides least, over a road's end rather than the gas.)"""
    loaded = load_scenario(path)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    run_drill(app, scene, min(60.0, scene.session.drill.end_min / 2))  # the legend has grown
    found = []
    for size in SIZES:
        resize(app, size)
        app.step(0.0)
        widget, snap = app.scene.map, app.scene.session.snapshot
        legend = widget.panels["legend"]
        found += [(size, p) for p in content_points(widget, snap) if legend.collidepoint(p)]
    assert not found
    scene.session.abort()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_briefing_preview_legend_is_folded_and_hides_no_hospital(app, path):
    loaded = load_scenario(path)
    app.switch(BriefingScene(app, loaded))
    resize(app, (1024, 600))
    widget = app.scene.map
    legend = widget.panels["legend"]
    assert widget.legend_mode == "folded"
    assert legend.w * legend.h < 0.12 * widget.rect.w * widget.rect.h  # a corner, not a third
    for facility in app.scene.preview.facilities:
        if facility.type == "hospital":
            where = widget.camera.to_screen(facility.x, facility.y)
            assert not legend.collidepoint(where), facility.name_en
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=legend.center, button=1))
    app.step(0.0)
    assert widget.legend_mode == "brief"  # a click shows the zone colours too


def test_the_pointer_tip_leaves_the_names_it_is_near_readable(app, monkeypatch):
    """Over each facility of the drills, the hover text goes to a corner by the pointer that
    hides no name or mark, whenever one such corner exists (it used to sit below right
    whatever it covered, such as the village's name under its school)."""
    drawn: list[pygame.Rect] = []
    real = hud.tip_box

    def spy(*args, **kwargs) -> pygame.Rect:
        drawn.append(real(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(hud, "tip_box", spy)
    checked = 0
    for path in SCENARIOS:
        loaded = load_scenario(path)
        scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
        app.switch(scene)
        resize(app, (1024, 600))
        person = Person(app, app.scene)
        scene = app.scene
        scene.coach.hints.on = False  # the tutorial's card and hints are not at issue here
        for mark in [m for m in scene.map.layout.marks if m.kind == "facility"]:
            drawn.clear()
            pos = mark.rect.center
            person.move(pos)
            if not drawn or not scene.hover_text:
                continue
            box, avoid = drawn[-1], scene.map.tip_avoid()
            assert scene.map.rect.contains(box) and not box.collidepoint(pos)
            pointer = pygame.Rect(pos[0] - 2, pos[1] - 2, 14, 20)  # the arrow
            free = [c for c in corners(scene, pos, box.size) if not c.colliderect(pointer)]
            if any(not corner.collidelistall(avoid) for corner in free):
                assert not box.collidelistall(avoid), f"{path.stem}: {scene.hover_text!r}"
                checked += 1
        scene.session.abort()
    assert checked >= 10


def corners(scene, pos: tuple[int, int], size: tuple[int, int]) -> list[pygame.Rect]:
    """The four places beside the pointer a tip may take, kept inside the map."""
    (x, y), (w, h), (gx, gy) = pos, size, hud.TIP_GAP_PX
    places = [
        (x + gx, y + gy),
        (x + gx, y - gy - h),
        (x - gx - w, y + gy),
        (x - gx - w, y - gy - h),
    ]
    return [pygame.Rect(p, size).clamp(scene.map.rect) for p in places]
