"""Zone names stand in their own zone (or are led into it), never in another; names keep off
the roads where they can; a briefing map names every facility, in a numbered key if need be.

Checked on every shipped drill and on tests/data/trial_fire.yaml, a drill an outside
instructor wrote from the README alone: its "Dongyuan housing estate" was drawn ~150 px
west of its zone, inside the logistics park beside the fire.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pygame
import pytest

from sim import Drill, load_scenario
from sim.world.geometry import point_in_polygon
from ui.catalog import discover
from ui.i18n import Translator
from ui.label_spots import RoadLines, best_free
from ui.map_layout import Occupied, label_options
from ui.map_widget import MapWidget
from ui.names import Names
from ui.paths import SCENARIOS_DIR

TRIAL = Path(__file__).resolve().parents[1] / "data" / "trial_fire.yaml"
SIZES = ((1280, 720), (1024, 600))
LANGUAGES = ("en", "zh-CN")


def drills() -> dict[str, object]:
    found = {e.path.stem: e.loaded for e in discover(SCENARIOS_DIR) if e.valid}
    found["trial_fire"] = load_scenario(TRIAL)
    return found


def drawn_map(loaded, language: str, size: tuple[int, int], briefing: bool, minutes: float = 0):
    """The drill screen's map (left of its 350-px panel) or the briefing's (the left half)."""
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    if minutes:
        drill.advance(minutes)
    snap = drill.snapshot()
    t = Translator(language)
    width, height = size
    if briefing:
        rect = pygame.Rect(30, 80, width // 2 - 45, height - 170)
    else:
        rect = pygame.Rect(0, 40, width - 350, height - 40)
    widget = MapWidget(rect, snap, t, Names(loaded, t), loaded)
    widget.key_unplaced = briefing
    widget.layers.update_overlays(snap.fields, snap.t_min, force=True)
    widget.draw(pygame.Surface(size), snap, None)
    return widget, snap


def probe_points(box: pygame.Rect, inset_px: int) -> list[tuple[int, int]]:
    """The corners, edge middles and centre of a label's box, ``inset_px`` inside it."""
    inner = box.inflate(-2 * inset_px, -2 * inset_px)
    xs, ys = (inner.left, inner.centerx, inner.right), (inner.top, inner.centery, inner.bottom)
    return [(x, y) for x in xs for y in ys]


def misplaced_zone_labels(loaded, widget) -> list[str]:
    polygons = {z.id: [tuple(p) for p in z.polygon] for z in loaded.scenario.zones}
    # A zone is drawn by its cells (a cell is the zone's if its centre is in the polygon), so
    # its drawn edge may stand half a cell off the polygon's: the probes keep that far in, and
    # clear of the text's 2-px halo.
    inset_px = 3 + math.ceil(widget.camera.scale * loaded.scenario.map.cell_m / 2)
    wrong = []
    for zone_id, label in widget.zone_labels.items():
        own = polygons[zone_id]
        anchor = label.leader_to or label.box.center
        if not point_in_polygon(widget.camera.to_world(anchor), own):
            wrong.append(f"{zone_id}: its {'leader' if label.leader_to else 'label'} is outside it")
        for other_id, other in polygons.items():
            if other_id == zone_id or point_in_polygon(widget.camera.to_world(anchor), other):
                continue  # a zone inside another: its own cells are the other's too
            if any(
                point_in_polygon(widget.camera.to_world(p), other)
                for p in probe_points(label.box, inset_px)
            ):
                wrong.append(f"{zone_id}: its label lies in {other_id}")
    return wrong


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_every_zone_name_stands_in_its_own_zone_or_is_led_into_it_and_never_in_another(
    app, language, size
):
    for name, loaded in drills().items():
        for briefing in (False, True):
            widget, _ = drawn_map(loaded, language, size, briefing)
            where = f"{name} {language} {size} {'briefing' if briefing else 'drill'}"
            assert not misplaced_zone_labels(loaded, widget), (
                where,
                misplaced_zone_labels(loaded, widget),
            )
            in_view = [
                z
                for z in loaded.scenario.zones
                if widget.rect.collidepoint(widget.camera.to_screen(*np.mean(z.polygon, axis=0)))
            ]
            keyed = {title for _, title, _ in widget.label_key}
            for zone in in_view:  # a briefing numbers a name it has no room for, in its key
                title = widget.t.pick(zone.name.en, zone.name.zh)
                assert zone.id in widget.zone_labels or (briefing and title in keyed), (
                    where,
                    f"{zone.id} not named",
                )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trial_drills_housing_estate_is_named_in_the_estate_with_the_fire_burning(
    app, language
):
    loaded = load_scenario(TRIAL)
    for size in SIZES:
        widget, _ = drawn_map(loaded, language, size, briefing=False, minutes=75)
        assert not misplaced_zone_labels(loaded, widget), (
            size,
            misplaced_zone_labels(loaded, widget),
        )
        estate = widget.zone_labels["dongyuan"]
        assert estate.leader_to is None, "the estate is big enough to hold its own name"


def road_segments(widget, snap) -> np.ndarray:
    points = widget.camera.to_screen_array(np.asarray(snap.map.node_xy, dtype=float))
    return points[widget.edges]


def crosses(box: pygame.Rect, segments: np.ndarray) -> bool:
    """Whether a road segment passes through the label's text (sampled every pixel)."""
    inner = box.inflate(-4, -4)
    for (x1, y1), (x2, y2) in segments:
        steps = int(max(abs(x2 - x1), abs(y2 - y1))) + 1
        xs, ys = np.linspace(x1, x2, steps), np.linspace(y1, y2, steps)
        if (
            (xs >= inner.left) & (xs < inner.right) & (ys >= inner.top) & (ys < inner.bottom)
        ).any():
            return True
    return False


def test_the_town_health_centres_name_is_not_crossed_by_a_road_on_the_briefing_map(app):
    """At 1280 x 720 a spot off the roads is free beside the mark; at 1024 x 600 every
    free spot beside it is crossed by Yunxi Avenue or Laojie Street, so it may be."""
    loaded = load_scenario(TRIAL)
    widget, snap = drawn_map(loaded, "zh-CN", (1280, 720), briefing=True)
    box = dict(widget.labels)["云溪镇卫生院"]
    assert not crosses(box, road_segments(widget, snap))


def test_a_label_takes_a_free_spot_off_the_roads_before_one_on_a_road():
    room = Occupied(pygame.Rect(0, 0, 400, 300))
    roads = RoadLines(np.array([[[0, 150], [400, 150]]], dtype=float))
    mark = pygame.Rect(95, 140, 20, 20)  # on the road: the spots right and left of it cross it
    options = label_options((60, 12), mark, centred=False)
    box = best_free(room, options, (roads.crosses,))
    assert box is not None and not roads.crosses(box) and box.top > mark.bottom
    assert roads.crosses(options[0]), "the first spot (right of the mark) is on the road"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_briefing_map_names_every_facility_in_view_on_the_map_or_in_its_numbered_key(
    app, language
):
    for name, loaded in drills().items():
        for size in SIZES:
            widget, snap = drawn_map(loaded, language, size, briefing=True)
            named = {text for text, _ in widget.labels}
            marks = {m.ids[0] for m in widget.layout.marks if m.kind == "facility"}
            for facility in snap.facilities:
                mark = next(m for m in widget.layout.marks if m.ids == (facility.id,))
                if facility.id in marks and widget.rect.colliderect(mark.rect):
                    title = widget.t.pick(facility.name_en, facility.name_zh)
                    assert title in named, f"{name} {language} {size}: {title} not named"
            for number, title, chip in widget.label_key:
                assert widget.rect.contains(chip), (name, number, title)


def test_the_trial_briefing_keys_the_county_fire_station_it_has_no_room_to_name(app):
    loaded = load_scenario(TRIAL)
    widget, _ = drawn_map(loaded, "en", (1280, 720), briefing=True)
    keyed = {title: chip for _, title, chip in widget.label_key}
    named_on_map = {text for text, box in widget.labels if text not in keyed}
    assert "County special-service fire station" in keyed | {t: None for t in named_on_map}
    assert "Yunxi County People's Hospital" in keyed | {t: None for t in named_on_map}
    for title, chip in keyed.items():
        mark = next(
            m
            for m in widget.layout.marks
            if m.kind == "facility" and widget.t.pick(m.thing.name_en, m.thing.name_zh) == title
        )
        assert chip.inflate(8, 8).colliderect(mark.rect), f"the number of {title} is by its mark"
