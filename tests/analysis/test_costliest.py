"""The decisions that cost most, from crafted logs of a trainee and an expert on one seed."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from analysis import costliest as C
from analysis.i18n import translator
from analysis.names import Names
from analysis.records import Records
from analysis.scoring import weights_for
from tests.analysis.conftest import Ev

RIVERSIDE = Path(__file__).resolve().parents[2] / "scenarios" / "riverside_flood.yaml"


def harmed(
    t: float, zone: str, cause: str = "flood", dead: int = 0, injured: int = 0, trapped: int = 0
) -> Ev:
    return (
        t,
        "PeopleHarmed",
        {"zone": zone, "cause": cause, "dead": dead, "injured": injured, "trapped": trapped},
    )


def warned(t: float, zone: str) -> Ev:
    return (t, "WarningIssued", {"zone": zone, "level": "red", "channel": "sms"})


def evacuated(t: float, zone: str) -> Ev:
    return (t, "EvacuationOrdered", {"zone": zone, "shelter": "school"})


def sheltered(t: float, zone: str) -> Ev:
    return (t, "ShelterInPlaceOrdered", {"zone": zone})


def crash(t: float = 0.0) -> Ev:
    return (
        t,
        "IncidentCreated",
        {
            "incident": "crash",
            "kind": "casualties",
            "x": 1600.0,
            "y": 700.0,
            "zone": "east",
            "people": 5,
            "source": "crash",
        },
    )


def sent(t: float, target: str) -> Ev:
    return (t, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": target})


def end(t: float = 240.0) -> Ev:
    return (t, "DrillEnded", {"people": {}})


def compare(crafted, trainee: list[Ev], expert: list[Ev], **kw) -> list[dict]:
    mine = crafted(trainee, **kw)
    return C.costliest(
        C.place_record(mine), C.place_record(crafted(expert, **kw)), weights_for(mine)
    )


def test_a_late_warning_costs_the_harm_in_its_zone_and_counts_who_was_caught_in_between(crafted):
    trainee = [
        warned(40, "west"),
        evacuated(45, "west"),
        harmed(20, "west", dead=3),
        harmed(30, "west", injured=2),
        harmed(50, "west", dead=1),
        end(),
    ]
    expert = [warned(10, "west"), evacuated(45, "west"), end()]
    [row] = compare(crafted, trainee, expert)
    assert row["place"] == "zone:west"
    assert row["cost"] == pytest.approx(4.2)  # 4 dead + 2 injured × 0.1, the expert lost none
    assert (row["step"], row["at_min"], row["expert_at_min"]) == ("warn", 40, 10)
    assert row["between"] == 5  # harmed from minute 10 to minute 40
    assert row["people"] == {"dead": 4, "injured": 2, "trapped": 0, "above_aegl2": 0}


def test_places_are_ranked_by_cost_and_a_place_the_trainee_did_better_is_not_a_cost(crafted):
    trainee = [
        warned(0, "west"),
        warned(0, "east"),
        harmed(60, "west", dead=1),
        harmed(60, "east", dead=5),
        end(),
    ]
    expert = [warned(0, "west"), warned(0, "east"), harmed(60, "west", dead=3), end()]
    rows = compare(crafted, trainee, expert)
    assert [r["place"] for r in rows] == ["zone:east"]  # west: 1 dead against the expert's 3
    assert rows[0]["share"] == 1.0


def test_a_step_never_taken_is_named_and_counts_harm_from_the_experts_order_to_the_end(crafted):
    trainee = [warned(5, "east"), harmed(30, "east", trapped=20), harmed(90, "east", dead=2), end()]
    expert = [warned(5, "east"), evacuated(8, "east"), end()]
    [row] = compare(crafted, trainee, expert)
    assert (row["step"], row["at_min"], row["expert_at_min"]) == ("protect", None, 8)
    assert row["between"] == 22
    drill = crafted(trainee)
    words = C.describe(row, drill, Names(drill, translator("en")))
    assert words["decision"] == (
        "You never ordered East Village evacuated or sheltered; "
        "the expert ordered it evacuated at 09:08."
    )
    assert words["between"].startswith("22 people")


def test_sheltering_where_the_expert_evacuated_names_both_orders_in_chinese(crafted):
    trainee = [warned(0, "west"), sheltered(3, "west"), harmed(40, "west", injured=30), end()]
    expert = [warned(0, "west"), evacuated(3, "west"), end()]
    [row] = compare(crafted, trainee, expert)
    assert (row["action"], row["expert_action"]) == ("shelter", "evacuate")
    drill = crafted(trainee)
    words = C.describe(row, drill, Names(drill, translator("zh-CN")))
    assert words["decision"] == "你于09:03下令西村就地避险；专家于09:03下令转移。"
    assert words["harm"] == "受伤30人"


def test_an_injected_incident_both_drills_had_is_its_own_place_judged_by_the_first_unit_sent(
    crafted,
):
    trainee = [crash(), sent(30, "crash"), harmed(20, "east", cause="crash", dead=2), end()]
    expert = [crash(), sent(5, "crash"), end()]
    [row] = compare(crafted, trainee, expert)
    assert (row["place"], row["step"], row["between"]) == ("incident:crash", "send", 2)
    drill = crafted(trainee)
    words = C.describe(row, drill, Names(drill, translator("en")))
    assert words["place"] == "casualties near East Village"  # injected 100 m north of it
    assert "crash" not in " ".join(words.values())  # names, never ids


def test_harm_at_an_incident_the_hazard_made_goes_to_its_zone(crafted):
    loaded = sim.load_scenario(RIVERSIDE)
    spawned = (
        100.0,
        "IncidentCreated",
        {
            "incident": "trapped-nanpo-1",
            "kind": "trapped",
            "x": 0.0,
            "y": 0.0,
            "zone": "nanpo",
            "people": 0,
            "source": "qing-river",
        },
    )
    trainee = [spawned, harmed(120, "nanpo", cause="trapped-nanpo-1", dead=3), end(600)]
    expert = [spawned, end(600)]
    [row] = compare(crafted, trainee, expert, loaded=loaded)
    assert row["place"] == "zone:nanpo"  # it follows from how Nanpo was protected


def test_the_experts_record_is_cached_in_the_records_database(crafted, tmp_path):
    trainee = crafted([warned(40, "west"), harmed(50, "west", dead=1), end()])
    expert = crafted([warned(10, "west"), end()])
    records = Records(tmp_path / "records.sqlite")
    try:
        first = C.expert_record(trainee, records, played=expert)
        again = C.expert_record(trainee, records)  # no drill given: it must come from the DB
        assert again == first
        [row] = C.for_drill(trainee, records)
        assert row["expert_at_min"] == 10
    finally:
        records.close()
