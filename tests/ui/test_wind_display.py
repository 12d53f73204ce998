"""The drill screen shows the wind as a trainee reads a weather map.

A wind is named after where it comes from (270° is a west wind, "W" / 西风) and
its arrow points where it blows to (east for 270°, south — down the screen —
for 0°). On the map the fire runs, and its smoke drifts, the way that arrow
points. Checked on the frames the game draws, in both languages.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from tests.hazards.test_wind_convention import CENTRE_M, FIRE, flat_drill
from tests.ui.conftest import key
from tools.screenshots import run_drill
from ui import theme
from ui.app import App
from ui.map_furniture import WIND_DIAL_PX
from ui.map_legend import FONT_PX, PAD_PX, WIND_RGB
from ui.scenes.drill import DrillScene

# (wind from, the arrow's screen direction (x right, y down), what the panel says)
WINDS = {
    270.0: ((1.0, 0.0), {"en": "Wind from W, 5 m/s", "zh-CN": "当前西风 5 米/秒"}),
    0.0: ((0.0, 1.0), {"en": "Wind from N, 5 m/s", "zh-CN": "当前北风 5 米/秒"}),
}
# Both languages, both window sizes, each wind.
CASES = [
    (lang, size, from_deg)
    for lang, size in (("en", (1280, 720)), ("zh-CN", (1024, 600)))
    for from_deg in WINDS
]
IDS = [f"{lang}-{size[0]}-{from_deg:g}" for lang, size, from_deg in CASES]


def frame(app: App) -> np.ndarray:
    """Draw one frame without letting time pass (no pulse moves) and return its pixels."""
    app.step(0.0)
    return pygame.surfarray.array3d(app.screen).astype(int)  # (x, y, rgb)


def wind_drill(language: str, size: tuple[int, int], from_deg: float) -> tuple[App, DrillScene]:
    """The flat grass fire under a steady wind, 20 minutes on, paused."""
    app = App(language=language, size=size)
    scene = DrillScene(app, flat_drill(from_deg, FIRE), 1)
    app.switch(scene)
    run_drill(app, scene, 20)
    scene.session.paused = True
    frame(app)
    return app, scene


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def arrow_direction(pixels: np.ndarray, panel: pygame.Rect) -> np.ndarray:
    """Screen unit vector of the wind arrow on the dial: along its pixels' long axis, towards
    the wider end (the head's wings span several times the shaft; the north mark may hide
    the tail of a north wind's arrow)."""
    x0, y0 = panel.x + PAD_PX, panel.y + PAD_PX
    dial = pixels[x0 : x0 + WIND_DIAL_PX, y0 : y0 + WIND_DIAL_PX]
    points = np.argwhere(np.all(dial == WIND_RGB, axis=2)).astype(float)  # (x, y)
    assert len(points) > 40, "no wind arrow on the dial"
    centred = points - points.mean(axis=0)
    axis = np.linalg.eigh(centred.T @ centred)[1][:, -1]  # the long axis, either way
    along = centred @ axis
    across = centred @ np.array([-axis[1], axis[0]])
    quarter = (along.max() - along.min()) / 4

    def width(end: np.ndarray) -> float:
        return float(np.ptp(across[end]))

    return (
        axis
        if width(along > along.max() - quarter) > width(along < along.min() + quarter)
        else -axis
    )


def drawn(before: np.ndarray, after: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """(x, y) of the pixels that changed between two frames, inside ``keep``."""
    changed = (np.abs(before - after).max(axis=2) > 8) & keep
    return np.argwhere(changed)


def map_only(scene: DrillScene, shape: tuple[int, ...]) -> np.ndarray:
    """The map's pixels, without its furniture (legend, scale, wind) and labels: the only
    pixels an overlay shown or hidden may change."""
    keep = np.zeros(shape[:2], dtype=bool)
    r = scene.map.rect
    keep[r.left : r.right, r.top : r.bottom] = True
    for rect in [*scene.map.panels.values(), *(rect for _, rect in scene.map.labels)]:
        keep[rect.left : rect.right, rect.top : rect.bottom] = False
    return keep


def toggled(app: App, scene: DrillScene, f_key: int, field: str) -> np.ndarray:
    """Frame with ``field`` shown, then hidden by its function key (as the side panel
    says), then shown again; returns the pixels it covers on the map."""
    shown = frame(app)
    labels, keep = list(scene.map.labels), map_only(scene, shown.shape)
    key(app, f_key)
    assert not scene.map.overlay_shown[field], f"the key did not hide {field}"
    hidden = frame(app)
    assert scene.map.labels == labels, "hiding an overlay moved the labels"
    keep &= map_only(scene, shown.shape)  # the legend is shorter without the field
    key(app, f_key)
    assert scene.map.overlay_shown[field]
    return drawn(shown, hidden, keep)


@pytest.mark.parametrize(("language", "size", "from_deg"), CASES, ids=IDS)
def test_the_wind_panel_names_the_wind_from_where_it_comes_and_points_where_it_goes(
    language, size, from_deg
):
    app, scene = wind_drill(language, size, from_deg)
    try:
        pixels = frame(app)
        panel = scene.map.panels["wind"]
        towards, says = WINDS[from_deg]
        assert np.dot(arrow_direction(pixels, panel), towards) > 0.95
        # The first line, drawn in the arrow's colour beside the dial, is exactly the
        # expected words: its solid pixels are those of that text rendered on its own.
        text = theme.text(FONT_PX, says[language], WIND_RGB, True)
        want = pygame.surfarray.array_alpha(text) == 255
        x0 = panel.x + 2 * PAD_PX + WIND_DIAL_PX
        beside = pixels[x0 : panel.right, panel.top : panel.bottom]
        got = np.all(beside == WIND_RGB, axis=2)
        assert got.any(), "no wind text in the panel"
        assert np.array_equal(crop(got), crop(want)), f"the panel does not say {says[language]!r}"
    finally:
        pygame.quit()


@pytest.mark.parametrize(("language", "size", "from_deg"), CASES, ids=IDS)
def test_on_the_map_the_fire_runs_and_its_smoke_drifts_the_way_the_arrow_points(
    language, size, from_deg
):
    app, scene = wind_drill(language, size, from_deg)
    try:
        towards = np.array(WINDS[from_deg][0])
        arrow = arrow_direction(frame(app), scene.map.panels["wind"])
        burning = toggled(app, scene, pygame.K_F1, "fire_burning")
        smoke = toggled(app, scene, pygame.K_F3, "fire_smoke")
        assert len(burning) > 50 and len(smoke) > 50
        ignition = np.array(scene.map.camera.to_screen(CENTRE_M, CENTRE_M))
        # the front has run downwind of where the fire started ...
        assert np.dot(unit(burning.mean(axis=0) - ignition), arrow) > 0.9
        # ... and the smoke lies downwind of the front, as the arrow points
        assert np.dot(unit(smoke.mean(axis=0) - burning.mean(axis=0)), arrow) > 0.9
        assert np.dot(arrow, towards) > 0.95
    finally:
        pygame.quit()


def crop(mask: np.ndarray) -> np.ndarray:
    xs, ys = np.nonzero(mask)
    return mask[xs.min() : xs.max() + 1, ys.min() : ys.max() + 1]
