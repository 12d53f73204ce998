"""A capability's HSEEP rating follows what the log shows it doing, and the report says what."""

from __future__ import annotations

import re

import sim
from analysis.report import build_report
from analysis.rubric import Judgement
from analysis.scoring import dimension_scores, score_drill
from tests.analysis.conftest import sample
from tests.analysis.test_costliest import RIVERSIDE

ZERO = {"above_aegl2": 0.0, "deaths": 0.0, "injuries": 0.0, "trapped": 0.0, "unmet_person_h": 0.0}
FIGURES = {
    "idle": {**ZERO, "deaths": 4.0},
    "unavoidable": {**ZERO, "deaths": 1.0},
    "forecast": {"deaths": 4.0, "injuries": 0.0, "people_reached": 900.0, "arrivals": {}},
}


def protection(*results: str) -> list[Judgement]:
    """Judged protection items: the first critical, the others major."""
    return [
        Judgement(f"item{n}", "protection", r, "critical" if n == 0 else "major")
        for n, r in enumerate(results)
    ]


def test_nobody_protected_reads_u_though_the_items_that_forbid_mistakes_passed(crafted):
    drill = crafted(
        [
            sample(0.0, people={"unaware": 13000}),
            sample(60.0, people={"unaware": 13000}),
            (600.0, "DrillEnded", {"people": {"unaware": 13000}}),
        ],
        loaded=sim.load_scenario(RIVERSIDE),
    )
    card = score_drill(drill, FIGURES)
    protect = card["dimensions"]["protection"]
    assert protect["score"] == 100.0  # nobody sent into the water, no unit stranded: passed
    assert protect["done"] == 0
    assert protect["rating"] == "U"
    page = build_report(drill, card, "en")
    assert re.search(
        r"Protection of people: score [\d.]+, HSEEP rating U, unable to be performed "
        r"\(nobody evacuated or sheltering\)",
        page,
    )


def test_a_handful_protected_in_a_town_of_thousands_is_still_u(crafted):
    drill = crafted(
        [
            sample(0.0, people={"unaware": 13000}),
            sample(60.0, people={"unaware": 12996, "sheltering": 4}),
            (600.0, "DrillEnded", {"people": {"unaware": 12996, "sheltering": 4}}),
        ],
        loaded=sim.load_scenario(RIVERSIDE),
    )
    protect = score_drill(drill, FIGURES)["dimensions"]["protection"]
    assert (protect["done"], protect["rating"]) == (4, "U")  # within the 1 % no warning reaches


def test_thousands_sheltered_is_not_u_even_when_every_item_failed():
    dims = dimension_scores(protection("no", "no", "no"), {"protection": 3827})
    assert (dims["protection"]["score"], dims["protection"]["rating"]) == (0.0, "M")


def test_a_failed_critical_item_keeps_the_rating_at_m():
    dims = dimension_scores(protection("no", "yes", "yes", "yes", "yes"), {"protection": 3827})
    assert dims["protection"]["score"] >= 70  # S by the score alone
    assert dims["protection"]["rating"] == "M"


def test_without_facts_the_rating_is_the_scores_band():
    dims = dimension_scores(protection("yes", "yes", "yes"))
    assert dims["protection"]["rating"] == "P" and "done" not in dims["protection"]


def test_the_chinese_report_says_what_the_capability_did(crafted):
    drill = crafted(
        [
            sample(0.0, people={"unaware": 1500}),
            sample(60.0, people={"unaware": 700, "sheltering": 800}),
            (240.0, "DrillEnded", {"people": {"unaware": 700, "sheltering": 800}}),
        ]
    )
    card = score_drill(drill, FIGURES)
    assert card["dimensions"]["protection"]["done"] == 800
    assert card["dimensions"]["protection"]["rating"] != "U"
    assert "最多800人同时脱离危险" in build_report(drill, card, "zh-CN")
