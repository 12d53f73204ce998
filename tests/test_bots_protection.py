"""The expert bot's protective actions: which zones it moves, where to, and when it changes
its mind.

Each test plays the mini drill (two villages, West and East, a school shelter north of the
main road) with a chlorine tank between the villages, and, where the situation must be exact,
hands the bot the forecast it would read (each hazard's own threat to each zone) instead of
the engine's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import numpy as np

import sim
from sim import ExpertBot
from sim.commands import Command, OrderEvacuation, OrderShelterInPlace
from sim.snapshot import Snapshot
from tests.conftest import MINI

Views = Mapping[str, Mapping[str, tuple[float, str]]]  # hazard id -> zone id -> threat, advice

TANK = '  - {id: tank, type: hazard_source, name: {en: "Tank", zh: "储罐"}, at: [%d, 1050]}\n'
HALL = (
    '  - {id: hall, type: shelter, name: {en: "Village hall", zh: "村礼堂"}, '
    "at: [%d, %d], capacity: %d}\n"
)
HAZARDS = """
hazards:
  - kind: flood
    id: river
    inflow_at: [[0, 1450], [50, 1450]]
    hydrograph: [{at_min: 0, discharge_m3_per_s: 1}]
  - kind: gas
    id: cloud
    source: tank
    substance: chlorine
    inventory_kg: 2000
    rate_kg_per_s: 2
"""


def _drill(
    school: int = 1000,
    hall: tuple[int, int, int] | None = None,
    gas: bool = True,
    tank_x: int = 1000,
) -> sim.Drill:
    """The mini drill with the tank at ``tank_x`` (between the villages unless told;
    leaking from the start if ``gas``, else only if an inject started it), the school holding
    ``school`` people and, if given, a hall at (x, y) holding that many."""
    text = MINI.read_text(encoding="utf-8").replace("capacity: 1000", f"capacity: {school}")
    head, forces = text.split("\nforces:", 1)
    head = head.rstrip() + "\n" + TANK % tank_x + (HALL % hall if hall else "")
    hazards = HAZARDS if gas else HAZARDS + "    start_min: null\n"
    loaded = sim.parse_scenario(head + "forces:" + forces.rstrip() + hazards, "mini_tank.yaml")
    return sim.Drill(loaded, seed=1)


def _play(
    drill: sim.Drill,
    bot: ExpertBot,
    until: float,
    views: Callable[[float], Views] | None = None,
    wind_from: Callable[[float], float] | None = None,
) -> list[tuple[float, Command]]:
    """Let ``bot`` command ``drill`` once a minute until ``until``; its protective orders.
    ``views`` and ``wind_from`` (by minute) replace the forecast and the wind it reads."""
    orders = []
    while drill.now < until:
        snap = drill.snapshot()
        if views is not None:
            snap = _seen(snap, views(drill.now))
        if wind_from is not None:
            weather = dataclasses.replace(snap.weather, wind_from_deg=wind_from(drill.now))
            snap = dataclasses.replace(snap, weather=weather)
        for command in bot.decide(snap):
            drill.submit(command)
            if isinstance(command, OrderEvacuation | OrderShelterInPlace):
                orders.append((drill.now, command))
        drill.advance(drill.now + 1)
    return orders


def _seen(snap: Snapshot, views: Views) -> Snapshot:
    """``snap`` with ``views`` as its forecast (and their worst per zone as the merged one)."""
    worst: dict[str, tuple[float, str]] = {}
    for threats in views.values():
        for zone, (level, advice) in threats.items():
            if level > worst.get(zone, (0.0, ""))[0]:
                worst[zone] = (level, advice)
    return dataclasses.replace(snap, threats=worst, hazard_threats=views)


def _of(orders: list[tuple[float, Command]], zone: str) -> list[tuple[float, str]]:
    return [
        (t, "evacuate" if isinstance(c, OrderEvacuation) else "shelter")
        for t, c in orders
        if c.zone == zone
    ]


def test_the_zone_upwind_of_the_leak_is_left_in_peace_and_the_one_downwind_takes_cover():
    # The wind blows from the west: the cloud drifts over East, a few hundred metres
    # away; West lies as near the tank, upwind. Only East is told to act.
    drill = _drill()
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 10)
    assert _of(orders, "west") == []
    assert _of(orders, "east") == [(0.0, "shelter")]
    assert "west" not in bot.plans


def test_a_cloud_due_within_minutes_outranks_a_flood_forecast_for_the_same_zone():
    # The river's forecast says East will flood (1.0) and the cloud will be over it in
    # minutes (0.8, shelter): sending East onto the road now would meet the cloud there.
    # East takes cover, and leaves once the cloud has gone and the water is still coming.
    def views(t: float) -> Views:
        cloud = {"east": (0.8, "shelter")} if t < 20 else {}
        return {"river": {"east": (1.0, "evacuate")}, "cloud": cloud}

    drill = _drill(gas=False)
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 30, views)
    assert _of(orders, "east") == [(0.0, "shelter"), (20.0, "evacuate")]
    assert "water or fire" in bot.plans["east"].reason


def test_an_evacuation_is_not_reversed_while_the_cloud_it_was_ordered_for_draws_near():
    # The tank stands west of West and the wind blows from the east: East, told the cloud
    # may come, has time to leave and is sent out. As the forecast's advice turns to
    # shelter (the clock running down), nothing else changes: the order stands.
    def views(t: float) -> Views:
        return {"cloud": {"east": (0.8, "evacuate" if t < 10 else "shelter")}}

    drill = _drill(gas=False, tank_x=60)
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 25, views, wind_from=lambda t: 90.0)
    assert _of(orders, "east") == [(0.0, "evacuate")]
    assert [d[2] for d in bot.decisions if d[1] == "east"] == ["evacuate"]


def test_a_wind_shift_that_brings_the_cloud_early_sends_those_still_at_home_indoors_and_says_why():
    # As above, until the wind backs round to the west at minute 5 and blows from the tank
    # straight at East: those not yet gone take cover, and the bot says why.
    def views(t: float) -> Views:
        return {"cloud": {"east": (0.8, "evacuate" if t < 5 else "shelter")}}

    drill = _drill(gas=False, tank_x=60)
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 8, views, wind_from=lambda t: 90.0 if t < 5 else 270.0)
    assert _of(orders, "east") == [(0.0, "evacuate"), (5.0, "shelter")]
    assert "wind shift from 90 to 270 degrees" in bot.plans["east"].reason
    assert [d[1:3] for d in bot.decisions if d[1] == "east"] == [
        ("east", "evacuate"),
        ("east", "shelter"),
    ]


def _flooding(zones: tuple[str, ...]) -> Callable[[float], Views]:
    return lambda t: {"river": {z: (1.0, "evacuate") for z in zones}}


def test_evacuees_are_sent_only_where_there_is_room_for_them():
    # West (900 people) is to leave; the school, nearest, holds 750; the hall holds
    # 1,000. Nobody is sent where they would wait outside a full door.
    drill = _drill(school=750, hall=(1900, 650, 1000), gas=False)
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 120, _flooding(("west",)))
    assert [c.shelter for _, c in orders] == ["hall"]
    assert not [e for e in drill.events if e.kind == "ShelterFull"]


def test_a_zone_larger_than_its_shelter_spills_over_to_the_next_one():
    # West (900) and no shelter holds them all: the school takes 500, and once 500 have
    # left for it the rest are sent to the hall, before anyone waits at a full door.
    drill = _drill(school=500, hall=(1900, 650, 500), gas=False)
    bot = ExpertBot(drill.scenario)
    orders = _play(drill, bot, 180, _flooding(("west",)))
    assert [c.shelter for _, c in orders] == ["school", "hall"]
    assert not [e for e in drill.events if e.kind == "ShelterFull"]
    held = {f.id: f.occupants for f in drill.snapshot().facilities if f.type == "shelter"}
    assert 450 <= held["school"] <= 500 and 300 <= held["hall"] <= 500  # the school all but full


def test_evacuees_are_not_routed_through_the_toxic_cloud():
    # West must leave. The hall, east along the main road, has room for all; the school,
    # north, for only 100. The cloud stands over the main road east of the junction:
    # West is sent to the school, not along the road through the cloud.
    drill = _drill(school=100, hall=(1900, 650, 1000))
    snap = drill.snapshot()
    cloud = np.zeros(snap.map.zone_index.shape)
    cell = snap.map.cell_m
    cloud[int(600 // cell) : int(800 // cell), int(1200 // cell) : int(1700 // cell)] = 1e4
    bot = ExpertBot(drill.scenario)
    views = {"river": {"west": (1.0, "evacuate")}}
    seen = dataclasses.replace(_seen(snap, views), fields={**snap.fields, "gas_ppm": cloud})
    orders = [c for c in bot.decide(seen) if isinstance(c, OrderEvacuation)]
    assert [(c.zone, c.shelter) for c in orders] == [("west", "school")]


def test_the_expert_opens_each_shelter_once_so_none_of_its_orders_is_refused():
    # A decision that both opens every shelter for a threat and evacuates a zone to one of
    # them used to open that shelter twice: the second order was refused (and the game's
    # autoplay, which plays the expert through the screen, found no "Open shelter" button).
    from sim import events as ev
    from tests.conftest import ROOT

    for name in ("tests/data/trial_fire.yaml", "scenarios/wildfire_wui.yaml"):
        loaded = sim.load_scenario(ROOT / name)
        drill = sim.run_headless(loaded, 5, ExpertBot(loaded.scenario), until_min=30)
        issued = [e for e in drill.events if e.kind == ev.COMMAND_ISSUED]
        assert any(e.data["command"]["type"] == "open_shelter" for e in issued)
        assert [e.data for e in issued if not e.data["accepted"]] == []
