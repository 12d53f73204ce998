"""The expert bot in a flood -> toxic-gas cascade: people sheltering from a cloud leave ahead
of the water once the way out is not into gas above AEGL-2, and stay under cover while it is.

The outside instructor's typhoon night (tests/data/trial_cascade.yaml) is played only as far
as the flood reaching the park's living quarters; the rest are hand-made situations on the
mini drill (two villages, a school shelter north of the main road): the forecast the bot
reads (each hazard's threat to each zone) and the air over East are set by hand.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim
from sim import ExpertBot
from sim import events as ev
from sim.commands import OrderEvacuation, OrderShelterInPlace
from sim.hazards.toxicity import aegl_ppm
from tests.conftest import MINI, ROOT
from tests.test_bots_protection import HAZARDS as PROTECTION_HAZARDS

HAZARDS = PROTECTION_HAZARDS + "    start_min: null\n"  # the cloud is started by hand
TANK = '  - {id: tank, type: hazard_source, name: {en: "Tank", zh: "储罐"}, at: [1000, 1050]}\n'
AEGL1 = aegl_ppm("chlorine", 1, 60.0)
AEGL2 = aegl_ppm("chlorine", 2, 60.0)


def test_the_park_living_quarters_take_cover_from_the_ammonia_then_leave_before_the_flood():
    # Typhoon night: the flood sends the living quarters out from the start; the rising
    # water floods the tank farm and the ammonia cloud blows over the stragglers, who take
    # cover. The cloud there stays below AEGL-2, and the water is still coming: they are
    # ordered out again before it reaches them, not after.
    loaded = sim.load_scenario(ROOT / "tests/data/trial_cascade.yaml")
    bot = ExpertBot(loaded.scenario)
    drill = sim.run_headless(loaded, 3, bot, until_min=130)
    zone = "living-quarters"
    flood, gas = (
        min(
            e.t_min
            for e in drill.events
            if e.kind == ev.HAZARD_MILESTONE
            and e.data.get("zone") == zone
            and e.data.get("kind") == kind
            and e.data.get("milestone") == "zone_reached"
        )
        for kind in ("flood", "gas")
    )
    assert gas < flood  # the cascade as written: the cloud first, then the water
    orders = [
        (e.t_min, e.kind)
        for e in drill.events
        if e.kind in (ev.EVACUATION_ORDERED, ev.SHELTER_IN_PLACE_ORDERED) and e.data["zone"] == zone
    ]
    before = [kind for t, kind in orders if t <= flood]
    assert before[-2:] == [ev.SHELTER_IN_PLACE_ORDERED, ev.EVACUATION_ORDERED]
    took_cover = max(t for t, kind in orders if kind == ev.SHELTER_IN_PLACE_ORDERED)
    left = max(t for t, kind in orders if t <= flood and kind == ev.EVACUATION_ORDERED)
    assert gas <= took_cover < left < flood
    reason = next(d[3] for d in bot.decisions if d[0] == left and d[1] == zone)
    assert "below AEGL-2" in reason


def _mini() -> sim.Drill:
    text = MINI.read_text(encoding="utf-8")
    head, forces = text.split("\nforces:", 1)
    loaded = sim.parse_scenario(
        head.rstrip() + "\n" + TANK + "forces:" + forces.rstrip() + HAZARDS, "mini_cascade.yaml"
    )
    return sim.Drill(loaded, seed=1)


def _orders_for_east(
    air_ppm: float, cloud_level: float, covered: float, minutes: int = 12
) -> tuple[list[tuple[float, str]], ExpertBot]:
    """Play the mini drill ``minutes`` with the river forecast to flood East (the water never
    comes) and a cloud due over it at once (the forecast's shelter advice at ``cloud_level``);
    from minute 3 the air over the ``covered`` share of East (its west side, nearest the
    tank) holds ``air_ppm``. East's protective orders (minute, action), and the bot."""
    drill = _mini()
    bot = ExpertBot(drill.scenario)
    views = {"river": {"east": (0.6, "evacuate")}, "cloud": {"east": (cloud_level, "shelter")}}
    orders = []
    while drill.now < minutes:
        snap = drill.snapshot()
        air = np.zeros(snap.map.zone_index.shape)
        if drill.now >= 3:
            east = snap.map.zone_index == [z.id for z in snap.zones].index("east")
            cols = np.flatnonzero(east.any(axis=0))
            near = cols[: max(1, round(covered * cols.size))]
            air[np.ix_(east.any(axis=1), near)] = air_ppm
            air[~east] = 0.0
        snap = dataclasses.replace(
            snap,
            threats={"east": max(views["river"]["east"], views["cloud"]["east"])},
            hazard_threats=views,
            fields={**snap.fields, "gas_ppm": air},
        )
        for command in bot.decide(snap):
            drill.submit(command)
            if not isinstance(command, OrderEvacuation | OrderShelterInPlace):
                continue
            if command.zone == "east":
                kind = "evacuate" if isinstance(command, OrderEvacuation) else "shelter"
                orders.append((drill.now, kind))
        drill.advance(drill.now + 1)
    return orders, bot


def test_a_zone_sheltering_from_a_cloud_below_aegl2_leaves_ahead_of_the_water():
    # The cloud is due at once: East takes cover rather than meet it on the road. At
    # minute 3 it is over East, between AEGL-1 and AEGL-2, and so says its forecast: the
    # water is still coming, so East is ordered out then, not when the water is at the door.
    orders, bot = _orders_for_east((AEGL1 + AEGL2) / 2, cloud_level=0.7, covered=0.5)
    assert orders == [(0.0, "shelter"), (3.0, "evacuate")]
    assert "below AEGL-2" in bot.plans["east"].reason


@pytest.mark.parametrize(
    ("air_ppm", "cloud_level", "covered"),
    [
        (2 * AEGL2, 1.0, 1.0),  # air above AEGL-2 over East
        ((AEGL1 + AEGL2) / 2, 1.0, 0.5),  # still coming in; its forecast reaches AEGL-2
        (0.0, 0.7, 0.0),  # still on its way: on the road people would meet it
    ],
    ids=["above-aegl2", "forecast-aegl2", "not-yet-here"],
)
def test_a_zone_stays_under_cover_while_leaving_means_going_into_the_gas(
    air_ppm: float, cloud_level: float, covered: float
):
    orders, _ = _orders_for_east(air_ppm, cloud_level, covered)
    assert orders == [(0.0, "shelter")]
