"""The situation map as a trainee reads it: hazard bands, legend, wind, labels, stacks, minimap."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest

from sim import Drill, aegl_ppm, load_scenario
from tests.conftest import ROOT
from tests.ui.conftest import click
from ui.catalog import discover
from ui.colours import LAND_USE_RGB
from ui.i18n import Translator
from ui.input import Select
from ui.map_legend import WIND_RGB, compass, wind_panel
from ui.map_widget import MapWidget
from ui.names import Names
from ui.paths import SCENARIOS_DIR
from ui.scenes.drill import DrillScene

SIZES = ((1280, 720), (1024, 600))


def scenarios() -> dict[str, object]:
    return {e.path.stem: e.loaded for e in discover(SCENARIOS_DIR) if e.valid}


def map_of(loaded, language: str, size: tuple[int, int], minutes: float = 0.0):
    """A drill's map as the drill screen lays it out (the map left of a 350-px panel)."""
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    if minutes:
        drill.advance(minutes)
    snap = drill.snapshot()
    t = Translator(language)
    rect = pygame.Rect(0, 40, size[0] - 350, size[1] - 40)
    widget = MapWidget(rect, snap, t, Names(loaded, t), loaded)
    widget.layers.update_overlays(snap.fields, snap.t_min, force=True)
    surface = pygame.Surface(size)
    widget.draw(surface, snap, None)
    return widget, snap, surface


def overlapping(rects: list[pygame.Rect]) -> list[tuple[pygame.Rect, pygame.Rect]]:
    return [(a, b) for a, b in itertools.combinations(rects, 2) if a.colliderect(b)]


def test_the_gas_aegl2_band_is_drawn_in_its_legend_colour_where_the_air_exceeds_aegl2(app):
    loaded = scenarios()["chlorine_leak"]
    widget, snap, _ = map_of(loaded, "en", (1280, 720), minutes=40)
    ppm = np.asarray(snap.fields["gas_ppm"])
    aegl2, aegl3 = aegl_ppm("chlorine", 2, 60.0), aegl_ppm("chlorine", 3, 60.0)
    band = (ppm > aegl2 * 1.3) & (ppm < aegl3 / 1.3)
    inner = band[1:-1, 1:-1].copy()
    for dy, dx in itertools.product((-1, 0, 1), repeat=2):  # well inside the band
        inner &= band[1 + dy : band.shape[0] - 1 + dy, 1 + dx : band.shape[1] - 1 + dx]
    rows, cols = np.nonzero(inner)
    assert rows.size, "the cloud has an AEGL-2 band at minute 40"
    entry = next(e for e in widget.legend_entries() if "Chlorine" in e.title)
    aegl2_band = next(b for b in entry.style.bands if b.key == "legend.aegl2")
    assert "AEGL-2" in widget.t(f"map.{aegl2_band.key}", value=aegl2_band.value)
    surface = pygame.Surface((1280, 720))
    surface.fill((0, 0, 0))
    widget.layers.overlays["gas_ppm"].draw(surface, widget.camera)
    r, g, b, a = aegl2_band.rgba
    expected = np.array([r, g, b]) * a / 255
    cell = widget.layers.map.cell_m
    for row, col in list(zip(rows + 1, cols + 1, strict=True))[::7][:20]:
        x, y = widget.camera.to_screen((col + 0.5) * cell, (row + 0.5) * cell)
        pixel = np.array(surface.get_at((x, y))[:3])
        assert np.abs(pixel - expected).max() <= 4, (row, col, pixel, expected)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_no_two_labels_or_marks_overlap_on_any_shipped_scenario_at_the_default_view(app, language):
    for name, loaded in scenarios().items():
        for size in SIZES:
            widget, _, _ = map_of(loaded, language, size)
            labels = [rect for _, rect in widget.labels]
            assert labels, f"{name} {size}: no label drawn"
            assert not overlapping(labels), f"{name} {language} {size}: labels overlap"
            marks = [m.rect for m in widget.layout.marks if widget.rect.colliderect(m.rect)]
            assert not overlapping(marks), f"{name} {language} {size}: marks overlap"
            for label in labels:
                assert label.collidelist(marks) < 0, f"{name} {language} {size}: label on a mark"
                assert widget.rect.contains(label)
            zone_names = {widget.t.pick(z.name.en, z.name.zh) for z in loaded.scenario.zones}
            drawn = {text for text, _ in widget.labels}
            assert zone_names <= drawn, f"{name} {language} {size}: zone names dropped"


def test_a_stack_shows_a_count_and_a_click_on_it_offers_the_units_it_holds(app):
    loaded = scenarios()["chlorine_leak"]
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    app.step(1 / 60)
    snap = scene.session.snapshot
    chips = [m for m in scene.map.layout.marks if m.kind == "more"]
    ambulances = [u.id for u in snap.units if u.type == "ambulance"]
    chip = next(m for m in chips if set(m.ids) <= set(ambulances))
    assert chip.count == len(chip.ids) == 2  # four at the hospital: two shown, "+2"
    shown = [m for m in scene.map.layout.marks if m.kind == "unit" and m.ids[0] in ambulances]
    assert len(shown) == 2 and not set(m.ids[0] for m in shown) & set(chip.ids)
    click(app, chip.rect.center)
    assert scene.chooser.is_open
    assert sorted(scene.chooser.labels()) == ["ambulance 3", "ambulance 4"]


def test_once_zoomed_in_a_click_on_the_minimap_moves_the_view_there(app):
    loaded = scenarios()["riverside_flood"]
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    app.step(1 / 60)
    camera, minimap = scene.map.camera, scene.map.minimap
    assert not scene.map.minimap_shown  # the whole map is in view: nothing to find
    camera.zoom_by(4.0)
    app.step(1 / 60)
    assert scene.map.minimap_shown
    target = (minimap.rect.x + minimap.rect.w // 5, minimap.rect.y + minimap.rect.h * 4 // 5)
    click(app, target)
    centre = camera.to_world(camera.rect.center)
    want = minimap.to_world(target)
    assert abs(centre[0] - want[0]) < 60 and abs(centre[1] - want[1]) < 60
    assert scene.selected is None  # the click moved the view and selected nothing


@pytest.mark.parametrize(("from_deg", "side"), [(270, "right"), (0, "bottom"), (90, "left")])
def test_the_wind_arrow_points_the_way_the_wind_blows_to(app, from_deg, side):
    loaded = scenarios()["chlorine_leak"]
    snap = Drill(loaded, 1).snapshot()
    weather = type(snap.weather)(3.0, float(from_deg), 0.0, 4.0, True)
    panel = wind_panel(type(snap)(**{**snap.__dict__, "weather": weather}), None, Translator())
    pixels = pygame.surfarray.pixels3d(panel)
    dial = pixels[6:66, 6:66]  # the dial: PAD_PX + 60 px
    wind = np.all(np.abs(dial.astype(int) - WIND_RGB) <= 2, axis=2)  # (x, y)
    xs, ys = np.nonzero(wind)
    centre = 30
    halves = {
        "right": (xs > centre).sum() - (xs < centre).sum(),
        "left": (xs < centre).sum() - (xs > centre).sum(),
        "bottom": (ys > centre + 4).sum() - (ys < centre + 4).sum(),
    }
    assert halves[side] > 10  # the head's triangle outweighs the shaft's tail


def test_the_wind_panel_announces_the_forecast_shift(app):
    loaded = scenarios()["chlorine_leak"]
    widget, snap, _ = map_of(loaded, "en", (1280, 720))
    change = widget.wind_change(snap)
    assert change is not None and (change.at_min, change.from_deg) == (50, 310)
    zh, _, _ = map_of(loaded, "zh-CN", (1280, 720))
    assert zh.t("map.wind.forecast", dir=zh.t("map.compass.nw"), speed="3") == "转西北风 3 米/秒"


def test_the_wind_is_named_on_sixteen_points_as_it_is_reported(app):
    loaded = scenarios()["chlorine_leak"]
    en, _, _ = map_of(loaded, "en", (1280, 720))
    zh, _, _ = map_of(loaded, "zh-CN", (1280, 720))
    got = {deg: (compass(en.t, deg), compass(zh.t, deg)) for deg in (290, 340, 350, 20, 315)}
    assert got == {
        290: ("WNW", "西西北"),  # a west-north-west wind is not a west wind
        340: ("NNW", "北西北"),
        350: ("N", "北"),
        20: ("NNE", "北东北"),
        315: ("NW", "西北"),
    }


def test_the_terrain_stays_sharp_when_zoomed_in(app):
    """A land-use edge changes colour within two pixels at 16× (a scaled bitmap blurs it)."""
    loaded = scenarios()["wildfire_wui"]
    widget, snap, _ = map_of(loaded, "en", (1280, 720))
    grid = snap.map
    land, zones = np.asarray(grid.land_use), np.asarray(grid.zone_index)
    colours = LAND_USE_RGB[land].sum(axis=2)
    edge = (np.abs(np.diff(colours, axis=1)) > 60) & (zones[:, 1:] == zones[:, :-1])
    rows, cols = np.nonzero(edge[5:-5, 5:-5])
    row, col = rows[0] + 5, cols[0] + 5
    terrain = widget.layers.terrain
    scale = 80 / grid.cell_m  # 80 px a cell
    x_m, y_m = (col + 1) * grid.cell_m - 40 / scale, (row + 0.5) * grid.cell_m
    strip = pygame.surfarray.array3d(terrain.render(x_m, y_m, scale, 80, 1))[:, 0].astype(int)
    steps = np.abs(np.diff(strip, axis=0)).sum(axis=1)
    assert steps.max() > 0.6 * np.abs(strip[-1] - strip[0]).sum()  # one sharp step
    assert (steps > 12).sum() <= 2


def test_the_selected_zone_is_outlined(app):
    loaded = scenarios()["chlorine_leak"]
    widget, snap, _ = map_of(loaded, "en", (1280, 720))
    zone = snap.zone("dormitories")
    surface = pygame.Surface((1280, 720))
    widget.draw(surface, snap, Select("zone", zone.id))
    index = [z.id for z in snap.zones].index(zone.id)
    rows, cols = np.nonzero(np.asarray(snap.map.zone_index) == index)
    cell = snap.map.cell_m
    x, _ = widget.camera.to_screen(cols.min() * cell, 0)  # the zone's west edge
    _, y = widget.camera.to_screen(0, (rows.min() + rows.max() + 1) / 2 * cell)
    edge = [tuple(surface.get_at((x + dx, y))[:3]) for dx in (-1, 0, 1)]
    assert (120, 220, 255) in edge
    widget.draw(surface, snap, None)
    assert (120, 220, 255) not in [tuple(surface.get_at((x + dx, y))[:3]) for dx in (-1, 0, 1)]


def test_incidents_at_the_leak_stand_beside_the_hazard_source_not_on_it(app):
    loaded = scenarios()["chlorine_leak"]
    widget, snap, _ = map_of(loaded, "en", (1280, 720), minutes=20)
    source = next(m for m in widget.layout.marks if m.kind == "facility" and
                  m.thing.type == "hazard_source")  # fmt: skip
    assert source.rect.collidepoint(source.anchor)  # the tank is drawn where it is
    at_tank = [m for m in widget.layout.marks if m.kind == "incident" and
               m.anchor == source.anchor]  # fmt: skip
    assert at_tank, "the leak (and its casualties) are at the tank by minute 20"
    for mark in at_tank:
        assert not mark.rect.colliderect(source.rect)
        # a leader line runs back to the true point
        assert any(start == mark.anchor for start, _ in widget.layout.leaders)
    picked, _ = widget.pick_all(source.anchor, snap)
    assert {p.id for p in picked} >= {m.ids[0] for m in at_tank} | {source.ids[0]}


def test_a_facility_named_as_its_zone_is_named_once(app, tmp_path):
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace(  # the police station becomes "West Village", inside West Village
        '{id: police, type: police_station, name: {en: "Police", zh: "派出所"}, at: [1100, 650]}',
        '{id: police, type: police_station, name: {en: "West Village", zh: "西村"},'
        " at: [400, 1000]}",
    )
    path = tmp_path / "same_name.yaml"
    path.write_text(text, encoding="utf-8")
    for language in ("en", "zh-CN"):
        widget, _, _ = map_of(load_scenario(path), language, (1280, 720))
        names = [name for name, _ in widget.labels]
        assert len(names) == len(set(names)), names
        assert widget.t.pick("West Village", "西村") in names
