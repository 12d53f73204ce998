"""The protective-action item on a flood→ammonia cascade, judged on hand-made logs of the
drill an outside instructor wrote (tests/data/trial_cascade.yaml).

The park's living quarters were ordered out at minute 0 ahead of the river; at 112 the
ammonia tank fails and its cloud is over the quarters a minute later (no notice); the
water reaches them at 125.5. Sheltering from the cloud and then evacuating before the
water is the decision the drill trains: it must pass, and never score worse than the
same evacuation ordered after the water came. A commander who spams both orders at every
zone must fail (the old rule, judging only the first hazard to come, passed half of them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sim
from analysis.drilldata import load_drill
from analysis.i18n import translator
from analysis.kpis import all_kpis
from analysis.names import Names
from analysis.report import reason
from analysis.rubric import judge_all
from analysis.scoring import baseline_figures, score_drill
from tests.analysis.conftest import sample, write_log
from tests.conftest import DATA

CASCADE = DATA / "trial_cascade.yaml"
QUARTERS = "living-quarters"
ZONES = ("xiasha", QUARTERS, "chem-park", "longxi-town")
Ev = tuple[float, str, dict[str, Any]]

RIVER = (0.0, "HazardStarted", {"hazard": "longxi-river", "kind": "flood"})
WARN = (0.0, "WarningIssued", {"zone": QUARTERS, "level": "red", "channel": "sms"})
OUT_AHEAD = (0.0, "EvacuationOrdered", {"zone": QUARTERS, "shelter": "nanshan-school"})
LEAK = (112.0, "HazardStarted", {"hazard": "ammonia-leak", "kind": "gas"})
TAKE_COVER = (113.0, "ShelterInPlaceOrdered", {"zone": QUARTERS})
END = (
    360.0,
    "DrillEnded",
    {"people": {"dead": 0, "injured": 0, "trapped": 0}, "unmet_need_person_h": 0.0},
)


def reached(t: float, hazard: str, kind: str, zone: str = QUARTERS) -> Ev:
    milestone = {"hazard": hazard, "kind": kind, "milestone": "zone_reached", "zone": zone}
    return (t, "HazardMilestone", milestone)


CLOUD = reached(113.0, "ammonia-leak", "gas")
WATER = reached(125.5, "longxi-river", "flood")


def out(t: float, zone: str = QUARTERS) -> Ev:
    return (t, "EvacuationOrdered", {"zone": zone, "shelter": "nanshan-school"})


def cover(t: float, zone: str = QUARTERS) -> Ev:
    return (t, "ShelterInPlaceOrdered", {"zone": zone})


def gas_above_aegl2(t: float, zone: str = QUARTERS) -> Ev:
    """A sample with the cloud above AEGL-2 over ``zone`` (and on the map)."""
    cloud = {"people_above_aegl2_by_zone": {zone: 40}, "aegl2_area_m2": 65000.0}
    return sample(t, hazards={"ammonia-leak": cloud})


@pytest.fixture(scope="module")
def cascade() -> sim.LoadedScenario:
    return sim.load_scenario(CASCADE)


@pytest.fixture
def drill_of(tmp_path: Path, cascade: sim.LoadedScenario):
    counter = iter(range(1000))

    def make(events: list[Ev]):
        ordered = sorted([*events, END], key=lambda e: e[0])  # stable: same-minute order kept
        path = tmp_path / f"log{next(counter)}.jsonl"
        return load_drill(write_log(path, ordered, loaded=cascade))

    return make


# The reason's clause naming the zones told to shelter from water or fire, with none named.
SHELTERED_FROM_WATER_NONE = {
    "en": "Zones told to shelter from water or fire (they must leave): —.",
    "zh-CN": "面对洪水或火灾却只令就地避险的区域（应当转移）：—。",
}


def judged(drill, item: str):
    return next(j for j in judge_all(drill, all_kpis(drill)) if j.item == item)


def test_shelter_from_the_cloud_then_evacuation_before_the_water_passes(drill_of):
    drill = drill_of([RIVER, WARN, OUT_AHEAD, LEAK, TAKE_COVER, CLOUD, out(121.0), WATER])
    got = judged(drill, "threatened_zones_acted")
    assert (got.result, got.params["wrong"], got.params["into_gas"]) == ("yes", "-", "-")
    assert judged(drill, "evacuation_safe").result == "yes"


def test_the_right_decision_is_not_capped_and_its_report_does_not_say_shelter(drill_of):
    # The author's drill_v3 run: the score was capped at 40 and the report said the quarters
    # "faced flood or fire with only shelter in place", though the log shows two evacuations.
    drill = drill_of([RIVER, WARN, OUT_AHEAD, LEAK, TAKE_COVER, CLOUD, out(121.0), WATER])
    card = score_drill(drill, baseline_figures(drill_of([RIVER, WATER])))
    assert "threatened_zones_acted" not in {f["item"] for f in card["findings"]}
    item = next(j for j in card["judgements"] if j["item"] == "threatened_zones_acted")
    for lang, nobody_sheltered in SHELTERED_FROM_WATER_NONE.items():
        assert nobody_sheltered in reason(card, item, Names(drill, translator(lang)))


def test_shelter_still_standing_when_the_water_comes_fails(drill_of):
    drill = drill_of([RIVER, WARN, LEAK, TAKE_COVER, CLOUD, WATER])
    got = judged(drill, "threatened_zones_acted")
    assert (got.result, got.params["wrong"]) == ("no", QUARTERS)
    # and the reason names the quarters as sheltered from the water, in both languages
    card = score_drill(drill, baseline_figures(drill_of([RIVER, WATER])))
    item = next(j for j in card["judgements"] if j["item"] == "threatened_zones_acted")
    for lang, nobody_sheltered in SHELTERED_FROM_WATER_NONE.items():
        names = Names(drill, translator(lang))
        quarters_sheltered = nobody_sheltered.replace("—", names.zone(QUARTERS))
        assert quarters_sheltered in reason(card, item, names)


def test_shelter_under_a_cloud_above_aegl2_when_the_water_comes_is_not_demanded_to_leave(
    drill_of,
):
    # Leaving as the water came would have taken people out into gas above AEGL-2, which
    # evacuation_safe fails: the item never asks for what another item calls unsafe.
    standing = [gas_above_aegl2(t) for t in (115.0, 120.0, 125.0)]
    drill = drill_of([RIVER, WARN, LEAK, TAKE_COVER, CLOUD, *standing, WATER])
    assert judged(drill, "threatened_zones_acted").result == "yes"
    leaving = drill_of([RIVER, WARN, LEAK, TAKE_COVER, CLOUD, *standing, out(125.0), WATER])
    assert judged(leaving, "evacuation_safe").result == "no"


def test_evacuating_after_the_water_came_fails_and_never_beats_evacuating_before(drill_of):
    before = drill_of([RIVER, WARN, OUT_AHEAD, LEAK, TAKE_COVER, CLOUD, out(121.0), WATER])
    after = drill_of([RIVER, WARN, OUT_AHEAD, LEAK, TAKE_COVER, CLOUD, WATER, out(126.0)])
    unsafe = judged(after, "evacuation_safe")
    assert (unsafe.result, unsafe.params["zones"]) == ("no", QUARTERS)  # still judged there
    assert judged(after, "threatened_zones_acted").result == "no"  # shelter stood at 125.5

    def failed(drill) -> set[str]:
        return {j.item for j in judge_all(drill, all_kpis(drill)) if j.result == "no"}

    assert failed(before) < failed(after)


def test_leaving_straight_into_a_cloud_that_gave_no_notice_is_still_wrong(drill_of):
    # No cover first: ordered out two minutes after the cloud came.
    got = judged(drill_of([RIVER, WARN, LEAK, CLOUD, out(115.0), WATER]), "threatened_zones_acted")
    assert (got.result, got.params["into_gas"], got.params["wrong"]) == ("no", QUARTERS, "-")
    # Took cover, but the cloud still stood above AEGL-2 when they were sent out.
    standing = [gas_above_aegl2(t) for t in (115.0, 120.0)]
    events = [RIVER, WARN, LEAK, TAKE_COVER, CLOUD, *standing, out(121.0), WATER]
    assert judged(drill_of(events), "threatened_zones_acted").params["into_gas"] == QUARTERS


def spam(every_min: float, first: str, until: float = 180.0) -> list[Ev]:
    """Every zone ordered out and to take cover at every tick, ``first`` of the two first."""
    events: list[Ev] = []
    t = 0.0
    while t <= until:
        for zone in ZONES:
            pair = [out(t, zone), cover(t, zone)]
            events += pair if first == "evacuate" else pair[::-1]
        t += every_min
    return events


@pytest.mark.parametrize("every_min", [1.0, 5.0, 10.0])
@pytest.mark.parametrize("first", ["evacuate", "shelter"])
def test_spamming_both_orders_at_every_zone_fails(drill_of, every_min, first):
    # The old rule judged only the first hazard to come (here the cloud), so the spammer
    # whose ticks end in shelter passed it. Each hazard is judged now, and neither gets
    # through: the last order of each tick is what stands (shelter when the water came,
    # or out into the cloud with no cover first: an order countermanded in its own minute
    # protected nobody).
    events = [RIVER, WARN, LEAK, CLOUD, WATER, *spam(every_min, first)]
    got = judged(drill_of(events), "threatened_zones_acted")
    assert got.result == "no"
    culprit = "wrong" if first == "evacuate" else "into_gas"  # shelter last / evacuate last
    assert got.params[culprit] == QUARTERS


@pytest.mark.parametrize("first", ["evacuate", "shelter"])
def test_spamming_both_orders_fails_a_cloud_with_notice_too(drill_of, first):
    # The cloud takes 20 min to reach the quarters, after the water: the old rule judged
    # the water alone and passed the spammer whose ticks end in evacuation. The cloud was
    # due within half an hour of each of those orders; and shelter chosen at minute 0,
    # before any gas, is no excuse for sheltering from the water.
    events = [RIVER, WARN, LEAK, reached(132.0, "ammonia-leak", "gas"), WATER, *spam(5.0, first)]
    assert judged(drill_of(events), "threatened_zones_acted").result == "no"
