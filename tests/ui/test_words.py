"""No id and no engine code reaches the drill screen, on any shipped scenario, in either language.

Each drill is played through the screen in each language by ui.autoplay
(the expert's decisions given by mouse and keys) for its first PLAY_MIN
minutes while every string the game draws is captured: our own text
(everything goes through ui.theme.text) and every pygame_gui button's label
and tooltip; then every thing on the map is selected in turn. The whole
drill, played to its end by the same expert (headless, once), goes through
the event timeline in each language: every line and every critical banner.
No string may hold a scenario id (zones, facilities with their shelters and
depots, roads, units, reinforcements, hazards, levees, injects, incidents
including the injected ones) or a snake_case engine code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pygame
import pytest

from sim import load_scenario, make_bot, run_headless
from tests.ui.test_clipping import selections
from tests.ui.test_glyphs import missing, scenario_texts
from ui import input as intents
from ui import theme
from ui.app import App
from ui.autoplay import Autoplayer
from ui.feed import Feed
from ui.i18n import LANGUAGES, load_table
from ui.names import Names
from ui.scenes.drill import DrillScene
from ui.timeline import Timeline

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
PLAY_MIN = 20.0
SNAKE = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*_[a-z0-9_]+")
WORD = re.compile(r"[A-Za-z]+")


class Capture:
    """Every string drawn while the drill scene is on screen."""

    def __init__(self, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app = app
        self.strings: set[str] = set()
        original_text, original_draw = theme.text, App.draw

        def text(size: int, message: str, *args: object, **kwargs: object) -> pygame.Surface:
            if isinstance(app.scene, DrillScene):
                self.strings.add(message)
            return original_text(size, message, *args, **kwargs)

        def draw(this: App) -> None:
            original_draw(this)
            if isinstance(this.scene, DrillScene):
                for element in this.manager.get_sprite_group().sprites():
                    self.strings.add(str(getattr(element, "text", "") or ""))
                    self.strings.add(str(getattr(element, "tool_tip_text", "") or ""))

        monkeypatch.setattr(theme, "text", text)
        monkeypatch.setattr(App, "draw", draw)


def scenario_ids(scene: DrillScene) -> set[str]:
    """Every id of the drill: its scenario's, its units' and every incident that happened."""
    scenario = scene.session.loaded.scenario
    ids = {z.id for z in scenario.zones} | {f.id for f in scenario.facilities}
    ids |= {r.id for r in scenario.roads} | {r.id for r in scenario.forces.reinforcements}
    ids |= {h.id for h in scenario.hazards} | {i.id for i in scenario.injects}
    ids |= {lv.id for h in scenario.hazards for lv in getattr(h, "levees", [])}
    ids |= {a.id for i in scenario.injects for a in i.actions if a.type == "incident"}
    ids |= {u.id for u in scene.session.snapshot.units}
    events = scene.session.drill.events
    ids |= {str(e.data["incident"]) for e in events if e.kind == "IncidentCreated"}
    return ids


def vocabulary(scene: DrillScene) -> set[str]:
    """Words the English screen may say: the English table's and the scenario's own texts."""
    texts = list(load_table("en").values()) + scenario_texts(scene.session.loaded.scenario)
    return {word.lower() for text in texts for word in WORD.findall(text)}


def ids_in(text: str, ids: set[str], words: set[str], chinese: bool) -> list[str]:
    """The ids and snake_case codes in ``text``.

    An id with a hyphen or underscore is found anywhere it stands on its own;
    a one-word id ("depot", "gangkou") only where it is not a word the
    screen may say in English (a Chinese screen has no such words).
    """
    found = [m.group(0) for m in SNAKE.finditer(text)]
    for ident in ids:
        pattern = rf"(?<![A-Za-z0-9_-]){re.escape(ident)}(?![A-Za-z0-9_-])"
        if not re.search(pattern, text):
            continue
        if "-" in ident or "_" in ident or chinese or ident.lower() not in words:
            found.append(ident)
    return found


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_no_id_reaches_the_drill_screen(app, monkeypatch, tmp_path, path):
    loaded = load_scenario(path)
    seed = loaded.scenario.meta.default_seed
    whole = run_headless(loaded, seed, make_bot("expert", loaded.scenario)).events
    capture = Capture(app, monkeypatch)
    shown: dict[str, list[str]] = {}
    boxes: dict[str, str] = {}  # characters drawn as the font's missing-glyph box
    for language in LANGUAGES:
        app.t.language = language
        scene = DrillScene(app, loaded, seed, tmp_path / f"drill-{language}.jsonl")
        app.switch(scene)
        player = Autoplayer(app, scene, make_bot("expert", loaded.scenario), until_min=PLAY_MIN)
        monkeypatch.setattr(player, "end_drill", lambda: None)  # stay on the drill screen
        assert player.play().carried > 0
        scene.session.paused = True
        for selection in selections(scene):
            scene.act(selection or intents.Deselect())
            app.step(0.0)
        lines = timeline_texts(scene, whole)  # the whole drill as the timeline shows it
        ids, words = scenario_ids(scene) | incident_ids(whole), vocabulary(scene)
        assert len(lines) > 20 and len(capture.strings) > 100
        for text in capture.strings | lines:
            shown[text] = ids_in(text, ids, words, app.t.is_chinese)
        boxes.update(missing(list(capture.strings | lines)))  # e.g. a mark the code draws
        capture.strings.clear()
        scene.session.abort()
    assert {text: found for text, found in shown.items() if found} == {}
    assert boxes == {}


def timeline_texts(scene: DrillScene, events: list) -> set[str]:
    """Every line and banner the timeline shows for ``events`` (a whole drill)."""
    start = scene.session.snapshot.clock_min - scene.session.snapshot.t_min
    feed = Feed(scene.t, Names(scene.session.loaded, scene.t), start, scene.feed.populated)
    feed.pull(events)
    line = Timeline(feed, scene.t)
    surface = pygame.Surface((1280, 720))
    texts = {entry.text for entry in feed.lines}
    while line.draw_banner(surface, pygame.Rect(0, 40, 930, 680)) is not None:
        texts |= {label.text for label in line.banner_labels}
        line.acknowledge()
    return texts


def incident_ids(events: list) -> set[str]:
    return {str(e.data["incident"]) for e in events if e.kind == "IncidentCreated"}


def test_the_id_finder_finds_ids_and_codes_but_not_words():
    ids = {"casualties-park-staff-1", "town-levee", "depot", "gangkou", "fire_engine-2"}
    words = {"depot", "supply"}
    assert ids_in("send ambulance 1 to casualties-park-staff-1", ids, words, False) == [
        "casualties-park-staff-1"
    ]
    assert ids_in("堤防决口：town-levee", ids, words, True) == ["town-levee"]
    assert ids_in("overlay gas_ppm on", ids, words, False) == ["gas_ppm"]
    assert ids_in("the supply depot is full", ids, words, False) == []
    assert ids_in("运往 depot", ids, words, True) == ["depot"]
    assert ids_in("warning to gangkou", ids, words, False) == ["gangkou"]
    assert ids_in("消防车2 到达 港口社区", ids, words, True) == []
