"""The report speaks one language: a Chinese report is wholly Chinese, and no report shows an id.

For a short drill of each shipped scenario (the naive commander's first 90
minutes: warnings, evacuations, dispatches, a level, refused orders), the
report is rendered in both languages. The Chinese page's text and every text
drawn on its figures may hold Latin letters only in the allowed tokens
(units, standard designations, road numbers, the product name); no page in either language
shows a scenario's id or an id of its zones, facilities, units, incidents or
reinforcements. File names and names a person typed are marked up as such
and are not words of the report.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import sim
from analysis import costliest
from analysis.drilldata import drill_from_events
from analysis.i18n import translator
from analysis.naive_bot import NaiveBot
from analysis.names import Names
from analysis.report import build_report, figures
from analysis.scoring import score_drill

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
MINUTES = 90.0
# Latin words a Chinese report may hold: units, standard designations (AQ/T 9009, GB/T 46792,
# HSEEP, AEGL-2) and the product's name.
ALLOWED = {"km", "m", "ppm", "AEGL", "AQ", "GB", "T", "HSEEP", "DrillCommand"}
LATIN = re.compile(r"[A-Za-z]+")
ANNEX = re.compile(r"附录[A-Z]")  # "Annex A" as Chinese standards write it
ROAD_NUMBER = re.compile(r"(?<![A-Za-z])[GSXY]\d+")  # national/provincial roads: G15, S32
ZERO = {"above_aegl2": 0.0, "deaths": 0.0, "injuries": 0.0, "trapped": 0.0, "unmet_person_h": 0.0}


class Words(HTMLParser):
    """The text a reader sees: no markup, styles, or file names and typed names."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self.skip or tag in ("style", "script") or classes in ("file", "user"):
            self.skip += 1
        if tag == "img":
            self.words.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.words.append(data)


def visible(page: str) -> str:
    parser = Words()
    parser.feed(page)
    return "\n".join(parser.words)


def short_drill(path: Path):
    loaded = sim.load_scenario(path)
    seed = loaded.scenario.meta.default_seed
    header = sim.make_header(loaded, seed)
    naive = sim.run_headless(loaded, seed, NaiveBot(loaded.scenario), until_min=MINUTES)
    expert = sim.run_headless(
        loaded, seed, sim.make_bot("expert", loaded.scenario), until_min=MINUTES
    )
    drill = drill_from_events(header, naive.events)
    figures_ = {
        "idle": {**ZERO, "deaths": 400.0},
        "unavoidable": {**ZERO, "deaths": 1.0},
        "forecast": {"deaths": 400.0, "injuries": 100.0, "people_reached": 5000.0, "arrivals": {}},
    }
    card = score_drill(drill, figures_)
    card["costliest"] = costliest.costliest(
        costliest.place_record(drill),
        costliest.place_record(drill_from_events(header, expert.events)),
        costliest.weights_for(drill),
    )
    return drill, card


def ids_of(drill) -> set[str]:
    """The ids a reader must never see (those that are not plain words)."""
    s = drill.scenario
    ids = {s.meta.id}
    ids |= {z.id for z in s.zones} | {f.id for f in s.facilities}
    ids |= {r.id for r in s.forces.reinforcements} | {h.id for h in s.hazards}
    ids |= {str(e.data["incident"]) for e in drill.of("IncidentCreated")}
    ids |= {str(e.data["unit"]) for e in drill.of("UnitDispatched")}
    return {i for i in ids if "-" in i or "_" in i} | {s.meta.id}


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def drill_and_card(request):
    return short_drill(request.param)


def test_the_chinese_report_holds_no_latin_word_but_units_and_standards(drill_and_card):
    drill, card = drill_and_card
    page = visible(
        build_report(
            drill,
            card,
            "zh-CN",
            {"trainee": "anonymous", "log": "a.jsonl", "date": "2026-11-30 10:00 UTC"},
        )
    )
    tr = translator("zh-CN")
    drawn = [t for *_, texts in figures(drill, card, tr, Names(drill, tr)) for t in texts]
    text = ROAD_NUMBER.sub("", ANNEX.sub("附录", page + "\n".join(drawn)))
    foreign = sorted({w for w in LATIN.findall(text) if w not in ALLOWED})
    assert foreign == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_no_report_shows_an_id(drill_and_card, lang):
    drill, card = drill_and_card
    page = visible(build_report(drill, card, lang, {"trainee": "anonymous", "log": "a.jsonl"}))
    tr = translator(lang)
    drawn = [t for *_, texts in figures(drill, card, tr, Names(drill, tr)) for t in texts]
    text = page + "\n".join(drawn)
    shown = sorted(
        i for i in ids_of(drill) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)
    )
    assert shown == []


def test_the_english_report_holds_no_chinese(drill_and_card):
    drill, card = drill_and_card
    page = visible(build_report(drill, card, "en", {"trainee": "anonymous", "log": "a.jsonl"}))
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", page) == []


def test_an_incident_injected_without_a_zone_is_named_by_where_it_is(crafted):
    # The trial's crash on the G55 expressway read "casualties at Riverside campsite": the
    # engine files a zone-less inject under the nearest zone. The mini's crash is on the main
    # road, 100 m north of East Village; its house fire lies inside West Village.
    import yaml

    from tests.conftest import MINI, mini_with

    roads = yaml.safe_load(MINI.read_text(encoding="utf-8"))["roads"]
    roads[0]["name"] = {"en": "Riverside Road", "zh": "滨河路"}
    events = [
        (
            10.0,
            "IncidentCreated",
            {
                "incident": "crash",
                "kind": "casualties",
                "x": 1600.0,
                "y": 700.0,
                "zone": "east",
                "people": 5,
            },
        ),
        (
            30.0,
            "IncidentCreated",
            {
                "incident": "house-fire",
                "kind": "building_fire",
                "x": 400.0,
                "y": 1000.0,
                "zone": "west",
                "people": 4,
            },
        ),
    ]
    named_road = crafted(events, mini_with(roads=roads))
    no_names = crafted(events)
    said = {
        lang: [
            Names(drill, translator(lang)).incident(i)
            for drill in (named_road, no_names)
            for i in ("crash", "house-fire")
        ]
        for lang in ("en", "zh-CN")
    }
    assert said["en"] == [
        "casualties on Riverside Road",
        "building fire at West Village",
        "casualties near East Village",  # no road has a name: the zone it lies beside
        "building fire at West Village",
    ]
    assert said["zh-CN"] == ["滨河路人员伤亡", "西村建筑火灾", "东村附近人员伤亡", "西村建筑火灾"]
    # The decisions that cost most name it the same way (their entry keeps the engine's zone).
    entry = {
        "place": "incident:crash",
        "incident_kind": "casualties",
        "incident_zone": "east",
        "at_min": 12.0,
        "expert_at_min": 11.0,
        "between": 0,
        "people": {"injured": 2},
        "expert_people": {},
        "cost": 0.2,
        "step": "unit",
        "action": None,
        "expert_action": None,
    }
    words = costliest.describe(entry, named_road, Names(named_road, translator("en")))
    assert words["place"] == "casualties on Riverside Road"


def test_a_report_shows_only_the_rows_that_apply_to_its_hazards(drill_and_card):
    # The trial's flood report held the gas rows, with dashes: "at most 0 people of — is the
    # residue no warning system reaches".
    drill, card = drill_and_card
    kinds = {str(h.kind) for h in drill.scenario.hazards}
    for lang in ("en", "zh-CN"):
        tr = translator(lang)
        page = visible(build_report(drill, card, lang, {"trainee": "t", "log": "a.jsonl"}))
        gas_rows = [tr("kpi.above_aegl2"), tr("item.no_aegl2_exposure"), tr("source.aegl2")]
        gas_rows.append(tr("harm.above_aegl2"))
        assert [row in page for row in gas_rows] == [("gas" in kinds)] * 4, (lang, kinds)
        into_hazard = (
            tr("item.evacuation_safe") if "gas" in kinds else tr("item.evacuation_safe.no_gas")
        )
        assert (into_hazard in page) == bool(kinds & {"flood", "gas"})
        if "gas" not in kinds:
            assert "AEGL-2" not in page.replace(tr("cost.intro"), "")  # the costs' weights
