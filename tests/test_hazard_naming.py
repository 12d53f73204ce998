"""The one rule that tells a drill's hazards apart (sim.hazard_naming), which the game screen
and the after-action report both word: a drill's own name; else the kind alone for the only
hazard of its kind; else numbered among the unnamed of its kind and placed where it starts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sim import LoadedScenario, load_scenario
from sim.hazard_naming import hazard_identities
from sim.scenario.schema import Text
from sim.world.places import Place

ROOT = Path(__file__).resolve().parents[1]
TRIAL = ROOT / "tests" / "data" / "trial_fire.yaml"
SCENARIOS = ROOT / "scenarios"


def with_hazards(loaded: LoadedScenario, hazards: list) -> LoadedScenario:
    return replace(loaded, scenario=loaded.scenario.model_copy(update={"hazards": hazards}))


def parts(loaded: LoadedScenario) -> dict[str, tuple]:
    told = hazard_identities(loaded.scenario)
    return {i: (t.given, t.number, t.place) for i, t in told.items()}


def test_two_fires_in_one_park_are_numbered_in_the_drills_order_and_placed_in_the_park():
    park = Place("zone", "park", True)
    assert parts(load_scenario(TRIAL)) == {
        "warehouse-fire": (None, 1, park),
        "tyre-fire": (None, 2, park),
    }


def test_two_floods_are_numbered_and_placed_by_their_first_inflow_point():
    loaded = load_scenario(SCENARIOS / "riverside_flood.yaml")
    river = loaded.scenario.hazards[0]
    creek = river.model_copy(update={"id": "north-creek", "inflow_at": [(3300.0, 0.0)]})
    told = parts(with_hazards(loaded, [river, creek]))
    assert [told[i][1] for i in ("qing-river", "north-creek")] == [1, 2]
    places = [told[i][2] for i in ("qing-river", "north-creek")]
    assert all(p is not None and p.ident for p in places) and places[0] != places[1]


def test_two_gas_leaks_are_placed_at_their_source_facilities():
    loaded = load_scenario(SCENARIOS / "chlorine_leak.yaml")
    tank = loaded.scenario.hazards[0]
    second = tank.model_copy(update={"id": "second-leak", "source": "park-fire-station"})
    assert parts(with_hazards(loaded, [tank, second])) == {
        "chlorine": (None, 1, Place("facility", "huafeng-tank", True)),
        "second-leak": (None, 2, Place("facility", "park-fire-station", True)),
    }


def test_a_named_hazard_keeps_its_name_and_its_unnamed_twin_needs_no_number():
    loaded = load_scenario(TRIAL)
    warehouse, tyre = loaded.scenario.hazards
    named = tyre.model_copy(update={"name": Text(en="Tyre yard fire", zh="轮胎堆场火灾")})
    assert parts(with_hazards(loaded, [warehouse, named])) == {
        "warehouse-fire": (None, 0, Place("zone", "park", True)),
        "tyre-fire": (("Tyre yard fire", "轮胎堆场火灾"), 0, None),
    }


def test_a_hazard_alone_of_its_kind_needs_neither_number_nor_place():
    for drill in ("typhoon_cascade.yaml", "industrial_fire_ammonia.yaml", "wildfire_wui.yaml"):
        told = parts(load_scenario(SCENARIOS / drill))
        assert all(t == (None, 0, None) for t in told.values()), (drill, told)
