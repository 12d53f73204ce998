"""The debrief's words for a score item state the drill's own target, as the report does."""

from __future__ import annotations

from analysis.i18n import translator
from ui.score_card import top_findings
from ui.score_words import failed_critical

NEEDS = "needs_met_10h"


def _card(hours: float | None) -> dict:
    card = {
        "judgements": [{"item": NEEDS, "severity": "critical", "result": "no"}],
        "findings": [{"grade": "U", "dimension": "mass_care", "item": NEEDS}],
    }
    if hours is not None:
        card["targets"] = {"basic_needs_within_h": hours}
    return card


def test_a_drill_that_sets_three_hours_is_named_with_three_hours_in_both_languages():
    for lang, three, ten in (("en", "3 h", "10 h"), ("zh-CN", "在3小时内", "在10小时内")):
        tr = translator(lang)
        named = failed_critical(_card(3), tr)[0]
        assert three in named and ten not in named
        assert top_findings(_card(3), tr)[0][3] == named
        assert ten in failed_critical(_card(None), tr)[0]  # an old card: the default
