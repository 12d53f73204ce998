"""A fire is called what the drill says it is, and two fires are told apart on screen.

The trial drill (tests/data/trial_fire.yaml, written by an outside instructor) has a
warehouse fire and a tyre-yard fire in a logistics park: neither is a "wildfire" / "山火"
(a hill or forest fire), and the panel, legend and event log must say which is which. The
shipped wildfire_wui drill starts in grassland and forest, and keeps its "wildfire front".
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pygame
import pytest

from sim import Drill, load_scenario
from sim.scenario.schema import Text
from ui import input as intents
from ui.app import App
from ui.hazard_names import WILDLAND_SHARE, HazardNames, hazard_facts
from ui.i18n import Translator
from ui.names import Names
from ui.paths import SCENARIOS_DIR
from ui.scenes.drill import DrillScene

TRIAL = Path(__file__).resolve().parents[1] / "data" / "trial_fire.yaml"
WILD_WORDS = ("wildfire", "Wildfire", "山火")


def test_the_wildland_rule_calls_only_a_fire_that_starts_in_wildland_a_wildfire():
    trial = hazard_facts(load_scenario(TRIAL))
    forest = hazard_facts(load_scenario(SCENARIOS_DIR / "wildfire_wui.yaml"))
    plant = hazard_facts(load_scenario(SCENARIOS_DIR / "industrial_fire_ammonia.yaml"))
    assert not trial["warehouse-fire"].wildland and not trial["tyre-fire"].wildland
    assert not any(f.wildland for f in plant.values() if f.kind == "fire")
    assert all(f.wildland for f in forest.values() if f.kind == "fire")
    shares = [f.wildland_share for f in [*trial.values(), *plant.values()] if f.kind == "fire"]
    assert max(shares) < WILDLAND_SHARE / 2, "the park's fires are far from the threshold"


@pytest.mark.parametrize(
    ("lang", "first", "second", "forest"),
    [
        ("en", "fire front 1", "fire front 2", "wildfire front"),
        ("zh-CN", "火线1", "火线2", "山火火线"),
    ],
)
def test_a_fire_front_is_called_by_its_fire(lang, first, second, forest):
    t = Translator(lang)
    trial = HazardNames(load_scenario(TRIAL), t)
    assert trial.front("warehouse-fire") == first
    assert trial.front("tyre-fire") == second
    assert trial.front(None) == t("hazard_name.fire_front")  # a front whose fire is unknown
    wui = HazardNames(load_scenario(SCENARIOS_DIR / "wildfire_wui.yaml"), t)
    assert wui.front(None) == forest


def test_a_fire_the_drill_names_is_called_by_its_name_in_both_languages():
    loaded = load_scenario(TRIAL)
    tyre = next(h for h in loaded.scenario.hazards if h.id == "tyre-fire")
    named = tyre.model_copy(update={"name": Text(en="Tyre yard fire", zh="轮胎堆场火灾")})
    hazards = [named if h.id == "tyre-fire" else h for h in loaded.scenario.hazards]
    scenario = loaded.scenario.model_copy(update={"hazards": hazards})
    renamed = replace(loaded, scenario=scenario)
    assert HazardNames(renamed, Translator("en")).front("tyre-fire") == "Tyre yard fire"
    assert HazardNames(renamed, Translator("zh-CN")).title("tyre-fire") == "轮胎堆场火灾"


def test_each_fires_fields_are_told_apart_as_the_engine_names_them():
    """Pinned against the engine: the plain fields are the warehouse fire's, the prefixed
    ones the tyre fire's (it starts at minute 95)."""
    loaded = load_scenario(TRIAL)
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    drill.advance(110)
    snap = drill.snapshot()
    names = HazardNames(loaded, Translator("en"))
    cell = snap.map.cell_m
    ignitions = {h.id: h.ignitions[0].at for h in loaded.scenario.hazards}
    for field in ("fire_burnt", "fire:fire_burnt", "fire_burning", "fire:fire_burning"):
        assert field in snap.fields
    for field in ("fire_burnt", "fire:fire_burnt"):
        owner = names.owner(field)
        x, y = ignitions[owner]
        burnt = np.asarray(snap.fields[field]) | np.asarray(
            snap.fields[field.replace("burnt", "burning")]
        )
        assert burnt[int(y // cell), int(x // cell)], f"{field} has burnt at {owner}'s ignition"
        other = next(i for i in ignitions if i != owner)
        ox, oy = ignitions[other]
        if other == "tyre-fire":  # the warehouse fire has not reached the tyre yard's own cell
            assert not np.asarray(snap.fields[field])[int(oy // cell), int(ox // cell)]


@pytest.fixture(params=["en", "zh-CN"])
def played(request):
    """The trial drill on the drill screen, played to minute 110 with no orders."""
    app = App(language=request.param)
    scene = DrillScene(app, load_scenario(TRIAL), seed=5)
    app.switch(scene)
    session = scene.session
    while session.drill.now < 110.0:
        session.target_min = 110.0
        session.tick(0.0, budget_s=30.0)
        scene.update(0.0)
    for _ in range(10):  # the map recolours one hazard layer a frame
        app.step(1 / 60)
    yield app, scene
    pygame.quit()


def test_no_wildfire_words_on_the_trial_drills_screen(played):
    app, scene = played
    fronts = [i for i in scene.session.snapshot.incidents if i.kind == "wildfire"]
    assert fronts, "the park fires open fire-front incidents"
    texts = [line.text for line in scene.feed.lines]
    for incident in fronts:
        scene.act(intents.Select("incident", incident.id))
        app.step(1 / 60)
        texts.append(scene.panel.title)
        assert scene.panel.title.lower().startswith(scene.t("hazard_name.fire_front").lower())
    texts += [entry.title for entry in scene.map.legend_entries()]
    assert not [text for text in texts if any(word in text for word in WILD_WORDS)]
    said = [line.text for line in scene.feed.lines if line.kind == "IncidentCreated"]
    fronts_said = [text for text in said if scene.t("hazard_name.fire_front") in text]
    assert fronts_said, "the event log names the fire fronts"


def test_the_legend_panel_and_map_name_each_of_the_two_fires(played):
    app, scene = played
    t = scene.t
    titles = [entry.title for entry in scene.map.legend_entries()]
    names = scene.names.hazards
    fire_titles = [
        title
        for title in titles
        if title in {names.layer_title("fire_burnt", ""), names.layer_title("fire:fire_burnt", "")}
    ]
    assert len(fire_titles) == 2, titles  # one legend entry per fire, not "Fire" once
    assert t.pick("Yunxi Logistics Park", "云溪物流园") in fire_titles[0]
    scene.act(intents.Deselect())
    app.step(1 / 60)
    overlay_text = " ".join(text for line in scene.panel.lines for text, _ in line if "[F" in text)
    on_map = {text for text, _ in scene.map.labels}
    for hazard_id in ("warehouse-fire", "tyre-fire"):
        assert names.title(hazard_id, False) in overlay_text, overlay_text
        assert names.title(hazard_id, False) in on_map, "each fire is named where it started"


def test_names_learns_which_fire_opened_a_front_from_the_event_log():
    loaded = load_scenario(TRIAL)
    drill = Drill(loaded, loaded.scenario.meta.default_seed)
    drill.advance(110)
    names = Names(loaded, Translator("en"))
    sources = {}
    for event in drill.events:
        names.note_event(event)
        if event.kind == "IncidentCreated" and event.data.get("kind") == "wildfire":
            sources[event.data["incident"]] = event.data["source"]
    assert set(sources.values()) == {"warehouse-fire", "tyre-fire"}
    for incident_id, source in sources.items():
        number = 1 if source == "warehouse-fire" else 2
        assert names.incident(incident_id).startswith(f"fire front {number}")


def test_three_fires_keep_three_sets_of_layers_each_named_for_its_own_fire():
    # A third fire's fields used to replace the second's in the snapshot (both "fire:…").
    loaded = load_scenario(TRIAL)
    fires = [h for h in loaded.scenario.hazards if h.kind == "fire"]
    third = fires[0].model_copy(update={"id": "third-fire", "start_min": 0.0})
    scenario = loaded.scenario.model_copy(update={"hazards": [*loaded.scenario.hazards, third]})
    loaded = replace(loaded, scenario=scenario)
    fields = Drill(loaded, loaded.scenario.meta.default_seed).snapshot().fields
    burning = [f for f in fields if f.rpartition(":")[2] == "fire_burning"]
    assert len(burning) == 3
    names = HazardNames(loaded, Translator("en"))
    assert sorted(names.owner(f) for f in burning) == sorted(h.id for h in [*fires, third])
