"""The game screen names an incident an inject placed without a zone by where it is, in the
same words as the after-action report, so the trainee and the reviewer see one place."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from analysis.drilldata import load_drill
from analysis.i18n import translator
from analysis.names import Names as ReportNames
from tests.conftest import MINI, mini_with
from ui.i18n import Translator
from ui.names import Names

DRILL = yaml.safe_load(MINI.read_text(encoding="utf-8"))
ROADS = [
    {**DRILL["roads"][0], "name": {"en": "Riverside Road", "zh": "滨河路"}},
    *DRILL["roads"][1:],
]


def incident(ident: str, kind: str, at: list[float], zone: str | None = None) -> dict:
    action = {"type": "incident", "id": ident, "incident": kind, "at": at, "people": 3}
    return action | ({"zone": zone} if zone else {})


INJECTS = [
    {
        "id": "incidents",
        "at_min": 5,
        "actions": [
            incident("crash", "casualties", [1600, 700]),  # on the main road, between villages
            incident("pile-up", "casualties", [1120, 640]),  # 22 m from the police station
            incident("lost-walkers", "trapped", [1200, 1450]),  # in the fields south-west of East
            incident("car-in-yard", "trapped", [400, 1000]),  # inside West Village
            # The engine's way (evacuees hurt on the move): filed under their zone, 200 m out.
            incident("east-evacuees", "casualties", [1600, 600], zone="east"),
            incident("west-evacuees", "casualties", [400, 600], zone="west"),  # the same road
            incident("at-the-gate", "trapped", [1600, 1350], zone="east"),  # 50 m out: its edge
            incident("ward", "casualties", [1600, 1000], zone="east"),  # the scenario's zone
        ],
    }
]
OUT_OF_ZONE = {
    "en": {
        "east-evacuees": "casualties on Riverside Road (from East Village)",
        "west-evacuees": "casualties on Riverside Road (from West Village)",
        "at-the-gate": "people trapped (East Village)",
        "ward": "casualties (East Village)",
    },
    "zh-CN": {
        "east-evacuees": "滨河路人员伤亡（东村）",
        "west-evacuees": "滨河路人员伤亡（西村）",
        "at-the-gate": "人员被困（东村）",
        "ward": "人员伤亡（东村）",
    },
}
REPORT_IN_ZONE = {  # the report's words for the two that stay named after their zone
    "en": {"at-the-gate": "people trapped at East Village", "ward": "casualties at East Village"},
    "zh-CN": {"at-the-gate": "东村人员被困", "ward": "东村人员伤亡"},
}
SAID = {
    "en": {
        "crash": "casualties on Riverside Road",
        "pile-up": "casualties at Police",
        "lost-walkers": "people trapped near East Village",
        "car-in-yard": "people trapped at West Village",
    },
    "zh-CN": {
        "crash": "滨河路人员伤亡",
        "pile-up": "派出所人员伤亡",
        "lost-walkers": "东村附近人员被困",
        "car-in-yard": "西村人员被困",
    },
}


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[sim.LoadedScenario, sim.Drill, Path]:
    """The mini drill with the injects above, played by the idle bot past them."""
    loaded = mini_with(roads=ROADS, injects=INJECTS)
    log = tmp_path_factory.mktemp("names") / "drill.jsonl"
    drill = sim.run_headless(loaded, 3, sim.IdleBot(), log, until_min=20)
    return loaded, drill, log


def fed(loaded: sim.LoadedScenario, drill: sim.Drill, log: Path, lang: str) -> Names:
    """The screen's names, told what the game tells them: the feed's events, the snapshot's
    incidents (the engine files each zone-less incident under its nearest zone)."""
    names = Names(loaded, Translator(lang))
    for event in load_drill(log).events:
        names.note_event(event)
    names.note_incidents(drill.snapshot().incidents)
    return names


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_zoneless_injected_incident_reads_on_screen_as_in_the_report(played, lang):
    loaded, drill, log = played
    engine_zones = {i.id: i.zone for i in drill.snapshot().incidents}
    assert engine_zones["crash"] == "east"  # what the screen used to name it after
    before = Names(loaded, Translator(lang))  # an order or the instructor may name it early
    screen = fed(loaded, drill, log, lang)
    report = ReportNames(load_drill(log), translator(lang))
    for ident, words in SAID[lang].items():
        assert screen.incident(ident) == report.incident(ident) == words
        assert before.incident(ident) == words
        assert screen.place(ident) == screen.cause(ident) == words


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "casualties (East Village)"), ("zh-CN", "人员伤亡（东村）")]
)
def test_an_incident_injected_into_a_zone_keeps_its_zone_name(played, lang, words):
    # Not "no. 2": the crash the engine also files under East Village is named by its road.
    loaded, drill, log = played
    assert fed(loaded, drill, log, lang).incident("ward") == words


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_incident_outside_its_zone_is_named_where_it_is_and_whose_people_they_are(played, lang):
    # Hurt 200 m from their village, on the road: "casualties (East Village)" sent crews to
    # the village. Two villages' evacuees on one road still read apart; 50 m past the edge
    # (the on/at distance, two cells) is still the village, and the village's own incident is
    # not "no. 2" for the one on the road.
    loaded, drill, log = played
    engine_zones = {i.id: i.zone for i in drill.snapshot().incidents}
    assert engine_zones["east-evacuees"] == engine_zones["at-the-gate"] == "east"
    before = Names(loaded, Translator(lang))
    screen = fed(loaded, drill, log, lang)
    report = ReportNames(load_drill(log), translator(lang))
    for ident, words in OUT_OF_ZONE[lang].items():
        assert screen.incident(ident) == before.incident(ident) == words
        assert report.incident(ident) == REPORT_IN_ZONE[lang].get(ident, words)
    assert screen.where("east-evacuees") == ("on Riverside Road" if lang == "en" else "滨河路")
    assert screen.where("ward") is None  # the panel says its zone


ALERTS = {
    "en": [
        "New incident: casualties on Riverside Road (3 people)",
        "New incident: casualties at Police (3 people)",
        "New incident: people trapped near East Village (3 people)",
        "New incident: people trapped at West Village (3 people)",
        "New incident: casualties on Riverside Road (from East Village) (3 people)",
        "New incident: casualties on Riverside Road (from West Village) (3 people)",
        "New incident: people trapped in East Village (3 people)",
        "New incident: casualties in East Village (3 people)",
    ],
    "zh-CN": [
        "新事件：滨河路人员伤亡（3人）",
        "新事件：派出所人员伤亡（3人）",
        "新事件：东村附近人员被困（3人）",
        "新事件：西村人员被困（3人）",
        "新事件：滨河路人员伤亡（东村）（3人）",
        "新事件：滨河路人员伤亡（西村）（3人）",
        "新事件：东村人员被困（3人）",
        "新事件：东村人员伤亡（3人）",
    ],
}


@pytest.mark.parametrize(
    ("lang", "panel"), [("en", "Where: on Riverside Road"), ("zh-CN", "位置：滨河路")]
)
def test_the_drill_screen_says_where_a_zoneless_incident_is_in_its_alerts_and_panel(lang, panel):
    import pygame

    from ui import input as intents
    from ui.app import App
    from ui.scenes.drill import DrillScene

    app = App(language=lang)
    try:
        scene = DrillScene(app, mini_with(roads=ROADS, injects=INJECTS), seed=3)
        app.switch(scene)
        session = scene.session
        while session.drill.now < 6.0:
            session.target_min = 6.0
            session.tick(0.0, budget_s=10.0)
            scene.update(0.0)
        said = [
            line.text.split(" ", 1)[-1]
            for line in scene.feed.lines
            if line.kind == "IncidentCreated"
        ]
        assert said == ALERTS[lang]  # the last one (the zone's own) is the alert on the map
        scene.act(intents.Select("incident", "crash"))
        app.step(1 / 60)
        assert scene.panel.lines[0][0][0] == panel  # not the engine's zone, East Village
    finally:
        pygame.quit()
