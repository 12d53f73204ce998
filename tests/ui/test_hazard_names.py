"""A hazard has one name on the screen and in the after-action report.

A trainee who saw "火线2（云溪物流园）" on the screen must find that fire in the report, and a
reviewer who reads "fire 2 (Yunxi Logistics Park)" must know which fire the trainee saw.
Both sides follow sim.hazard_naming: the kind word may differ (the screen shows a fire's
front, "fire front" / "火线", the report the fire, "fire" / "火灾"), but what follows it,
the number and the place the hazard starts, is the same.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from analysis.drilldata import DrillData
from analysis.i18n import translator
from analysis.names import Names as ReportNames
from sim import LoadedScenario, load_scenario
from sim.events import Event
from sim.scenario.schema import Text
from ui.feed import describe_event
from ui.hazard_names import HazardNames
from ui.i18n import Translator
from ui.names import Names as ScreenNames
from ui.paths import SCENARIOS_DIR

TRIAL = Path(__file__).resolve().parents[1] / "data" / "trial_fire.yaml"
LANGS = ("en", "zh-CN")


def with_hazards(loaded: LoadedScenario, hazards: list) -> LoadedScenario:
    scenario = loaded.scenario.model_copy(update={"hazards": hazards})
    return replace(loaded, scenario=scenario)


def two_floods() -> LoadedScenario:
    """The riverside flood with a second river coming in at the top of the map."""
    loaded = load_scenario(SCENARIOS_DIR / "riverside_flood.yaml")
    river = loaded.scenario.hazards[0]
    creek = river.model_copy(update={"id": "north-creek", "inflow_at": [(3300.0, 0.0)]})
    return with_hazards(loaded, [river, creek])


def two_gas_leaks() -> LoadedScenario:
    """The chlorine drill with a second leak, at the park's fire station."""
    loaded = load_scenario(SCENARIOS_DIR / "chlorine_leak.yaml")
    tank = loaded.scenario.hazards[0]
    second = tank.model_copy(update={"id": "second-leak", "source": "park-fire-station"})
    return with_hazards(loaded, [tank, second])


def two_leaks_at_one_tank() -> LoadedScenario:
    loaded = load_scenario(SCENARIOS_DIR / "chlorine_leak.yaml")
    tank = loaded.scenario.hazards[0]
    return with_hazards(loaded, [tank, tank.model_copy(update={"id": "second-leak"})])


def report_names(loaded: LoadedScenario, lang: str, events: tuple = ()) -> ReportNames:
    return ReportNames(DrillData({}, events, loaded), translator(lang))


def both(loaded: LoadedScenario, lang: str) -> list[tuple[str, str, str, str]]:
    """Each hazard's (screen name, report name, screen kind word, report kind word)."""
    t, tr = Translator(lang), translator(lang)
    screen, report = HazardNames(loaded, t), report_names(loaded, lang)
    said = []
    for ident, fact in screen.facts.items():
        if fact.kind == "fire":
            on_screen = t(
                "hazard_name.wildfire_front" if fact.wildland else "hazard_name.fire_front"
            )
        else:
            on_screen = t.enum("hazard", fact.kind)
        said.append(
            (screen.title(ident), report.hazard(ident), on_screen, tr(f"hazard.{fact.kind}"))
        )
    return said


DRILLS = {
    "trial fire (two fires at one park)": (lambda: load_scenario(TRIAL), ("1", "2")),
    "two floods": (two_floods, ("1", "2")),
    "two gas leaks": (two_gas_leaks, ("1", "2")),
    "two leaks at one tank": (two_leaks_at_one_tank, ("1", "2")),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", DRILLS)
def test_screen_and_report_name_each_hazard_by_the_same_number_and_place(drill, lang):
    make, numbers = DRILLS[drill]
    said = both(make(), lang)
    for (screen, report, screen_word, report_word), number in zip(said, numbers, strict=True):
        assert screen.startswith(screen_word) and report.startswith(report_word)
        identifying = screen.removeprefix(screen_word).strip()
        assert identifying == report.removeprefix(report_word).strip(), (screen, report)
        assert identifying.startswith(number), "numbered in the drill's order"
        assert len(identifying) > len(number) + 2, f"the place it starts is named: {screen}"
    for side in (0, 1):
        names = [s[side] for s in said]
        assert len(set(names)) == len(names), f"no two hazards share a name: {names}"


@pytest.mark.parametrize(
    ("lang", "fires", "screen", "report"),
    [
        (
            "en",
            ("warehouse-fire", "tyre-fire"),
            ["fire front 1 (Yunxi Logistics Park)", "fire front 2 (Yunxi Logistics Park)"],
            ["fire 1 (Yunxi Logistics Park)", "fire 2 (Yunxi Logistics Park)"],
        ),
        (
            "zh-CN",
            ("warehouse-fire", "tyre-fire"),
            ["火线1（云溪物流园）", "火线2（云溪物流园）"],
            ["火灾1（云溪物流园）", "火灾2（云溪物流园）"],
        ),
    ],
)
def test_the_trial_drills_fires_as_a_trainee_and_a_reviewer_read_them(lang, fires, screen, report):
    loaded = load_scenario(TRIAL)
    on_screen = HazardNames(loaded, Translator(lang))
    in_report = report_names(loaded, lang)
    assert [on_screen.title(f) for f in fires] == screen
    assert [in_report.hazard(f) for f in fires] == report


@pytest.mark.parametrize(
    ("lang", "front", "report"),
    [("en", "fire front 2", "fire front 2 at Yunxi old town"), ("zh-CN", "火线2", "云溪老街火线2")],
)
def test_a_fire_front_incident_carries_its_fires_number_on_screen_and_in_the_report(
    lang, front, report
):
    """The front the tyre fire opens in the old town (as the trial drill's log has it): the
    screen's "fire front 2" is in the report's name of the same incident."""
    loaded = load_scenario(TRIAL)
    events = (
        Event(
            0.0, "HazardStarted", {"hazard": "warehouse-fire", "kind": "fire", "wildland": False}
        ),
        Event(95.0, "HazardStarted", {"hazard": "tyre-fire", "kind": "fire", "wildland": False}),
        Event(
            156.0,
            "IncidentCreated",
            {
                "incident": "wildfire-laojie-1",
                "kind": "wildfire",
                "x": 2800.0,
                "y": 2275.0,
                "zone": "laojie",
                "people": 0,
                "source": "tyre-fire",
            },
        ),
    )
    screen = ScreenNames(loaded, Translator(lang))
    for event in events:
        screen.note_event(event)
    on_screen = screen.incident("wildfire-laojie-1")
    in_report = report_names(loaded, lang, events).incident("wildfire-laojie-1")
    assert on_screen.startswith(front)
    assert in_report == report
    assert front in in_report


@pytest.mark.parametrize("lang", LANGS)
def test_a_named_hazard_is_its_name_and_its_unnamed_twin_is_told_by_place(lang):
    loaded = load_scenario(TRIAL)
    warehouse, tyre = loaded.scenario.hazards
    named = tyre.model_copy(update={"name": Text(en="Tyre yard fire", zh="轮胎堆场火灾")})
    loaded = with_hazards(loaded, [warehouse, named])
    (screen_w, report_w, word_w, rword_w), (screen_t, report_t, _, _) = both(loaded, lang)
    t = Translator(lang)
    assert screen_t == report_t == t.pick("Tyre yard fire", "轮胎堆场火灾")
    park = t.pick("Yunxi Logistics Park", "云溪物流园")
    assert screen_w.removeprefix(word_w) == report_w.removeprefix(rword_w)
    assert park in screen_w and not any(c.isdigit() for c in screen_w), "one unnamed: no number"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "drill", ["riverside_flood.yaml", "chlorine_leak.yaml", "industrial_fire_ammonia.yaml"]
)
def test_a_hazard_alone_of_its_kind_is_called_by_its_kind_on_both_sides(drill, lang):
    loaded = load_scenario(SCENARIOS_DIR / drill)
    for screen, report, screen_word, report_word in both(loaded, lang):
        assert (screen, report) == (screen_word, report_word)


@pytest.mark.parametrize(("lang", "said"), [("en", "(fire front 2)"), ("zh-CN", "（火线2）")])
def test_the_event_log_says_which_of_two_fires_destroyed_a_facility(lang, said):
    loaded = load_scenario(TRIAL)
    t = Translator(lang)
    lost = Event(150.0, "FacilityLost", {"facility": "yunxi-fire", "cause": "tyre-fire"})
    line = describe_event(lost, t, ScreenNames(loaded, t))[0]
    assert said in line
    alone = load_scenario(SCENARIOS_DIR / "wildfire_wui.yaml")  # one fire: its kind will do
    assert ScreenNames(alone, t).hazard("pine-ridge-fire") == t.enum("hazard", "fire")
