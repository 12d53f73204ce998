"""What the fastest possible protective action could have achieved in a zone.

"People out of harm's way before arrival" is judged from when it could be
done: against the share of a zone's people that the quickest commander could
have had evacuated (or sheltering, where the hazard's doctrine allows it) by
the time the hazard reached the zone. That commander warns the zone on every
public channel at red and gives the order the minute the hazard begins, sends
traffic police to the route, and picks the quickest shelter; from there the
people behave as the engine's planning figures say (:mod:`sim.people`): each
channel's delay, spread and reach, red-warning compliance, the household
preparation time, the route's capacity and travel time. The expectation of
that process is worked out minute by minute here, without drawing, so it is
the same for every seed; every chance in it is the engine's own function
(:func:`sim.people.expected_warned_share`, :func:`~sim.people.departure_chance`,
:func:`~sim.people.shelter_chance`, :func:`~sim.people.evacuation_flow`), so a
change to the engine's warning or behaviour figures moves it too (and
tests/test_achievable_engine.py holds it to the engine's own runs). A zone the
water reaches 30 minutes after the release cannot have 90 % of its people in
a shelter: no commander can pass that, and none is asked to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sim
from analysis.drilldata import DrillData
from sim.commands import WarningLevel
from sim.people import (
    PEOPLE_STEP_MIN,
    departure_chance,
    evacuation_flow,
    expected_warned_share,
    shelter_chance,
)

# Routes at the start of the drill, by scenario hash: (travel min, people per min) to the
# quickest shelter from each zone. The engine's world at minute 0 is a property of the
# scenario alone, so one look serves every drill of it.
_ROUTES: dict[str, dict[str, tuple[float, float]]] = {}


def quickest_routes(drill: DrillData) -> dict[str, tuple[float, float]]:
    """Zone id -> (travel minutes, people per minute) to its quickest shelter by road at the
    drill's start (the engine's own routing at evacuation speed); zones no road leads from to
    any shelter are left out."""
    key = str(drill.header.get("scenario_hash", "")) or str(id(drill.loaded))
    if key not in _ROUTES:
        engine = sim.Drill(drill.loaded, int(drill.header.get("seed", 0)))
        routes: dict[str, tuple[float, float]] = {}
        for index, zone in enumerate(engine.world.zones):
            found = [engine.evacuation_route(index, s) for s in sorted(engine.shelters)]
            found = [f for f in found if f is not None]
            if found:
                routes[zone.id] = min(found)
        _ROUTES[key] = routes
    return _ROUTES[key]


def expected_out_share(
    vulnerable_share: float,
    minutes: float,
    action: str,
    route: tuple[float, float] | None,
    population: int,
    level: WarningLevel | None = WarningLevel.RED,
    traffic_control: bool = True,
) -> float:
    """Expected share of a zone out of harm's way ``minutes`` after it was warned on every
    public channel at ``level`` and given ``action`` (``"EvacuationOrdered"``: in a shelter by
    then, along ``route``, with police on it if ``traffic_control``; ``"ShelterInPlaceOrdered"``:
    sheltering) at that first minute: the expectation of the engine's people steps
    (:mod:`sim.people`), one a minute, each drawing with the engine's own chances."""
    steps = math.floor(minutes / PEOPLE_STEP_MIN + 1e-9)

    def fresh(k: int) -> float:  # the share first warned by the k-th people step
        return expected_warned_share(vulnerable_share, k * PEOPLE_STEP_MIN) - expected_warned_share(
            vulnerable_share, (k - 1) * PEOPLE_STEP_MIN
        )

    if action == "ShelterInPlaceOrdered":
        p = shelter_chance()
        warned = sheltering = 0.0
        for k in range(1, steps + 1):
            warned += fresh(k)
            moved = warned * p
            warned, sheltering = warned - moved, sheltering + moved
        return sheltering
    if action != "EvacuationOrdered":
        raise ValueError(f"not a protective order: {action!r}")
    if route is None or population <= 0:
        return 0.0
    travel, per_min = route
    cap = evacuation_flow(per_min, traffic_control) * PEOPLE_STEP_MIN / population  # a share
    p_leave = departure_chance(level)
    aware = arrived = carry = 0.0
    for k in range(1, steps + 1):
        t = k * PEOPLE_STEP_MIN
        aware += fresh(k)
        if aware == 0.0:  # as the engine: no road room is banked before anyone could go
            continue
        carry += cap
        leaving = min(aware * p_leave, carry)
        carry = min(carry - leaving, cap)
        aware -= leaving
        if t + travel <= minutes + 1e-9:  # in the shelter by then
            arrived += leaving
    return arrived


def best_share(
    vulnerable_share: float,
    minutes: float,
    actions: tuple[str, ...],
    route: tuple[float, float] | None,
    population: int,
) -> float:
    """Expected share of a zone out of harm's way ``minutes`` after the hazard began, had it
    been warned at red on every channel and given ``actions`` (evacuation and/or shelter in
    place, whichever gets more people out) at that first minute, police on the route."""
    return max(
        (
            expected_out_share(vulnerable_share, minutes, a, route, population)
            for a in ("ShelterInPlaceOrdered", "EvacuationOrdered")
            if a in actions
        ),
        default=0.0,
    )


def achievable_shares(
    drill: DrillData,
    windows: Mapping[str, tuple[float, str]],
    actions_of: Mapping[str, tuple[str, ...]],
) -> dict[str, float]:
    """Zone id -> the best expected share out of harm's way (:func:`best_share`), for
    ``windows``: zone -> (minutes from its hazard's start to the moment it is judged,
    hazard kind); ``actions_of`` maps a hazard kind to the protective orders that fit it."""
    zones = {z.id: z for z in drill.scenario.zones}
    routes = quickest_routes(drill)
    out: dict[str, float] = {}
    for zone, (minutes, kind) in windows.items():
        spec = zones.get(zone)
        if spec is None:
            continue
        actions = actions_of.get(kind, ("EvacuationOrdered",))
        share = best_share(
            float(spec.vulnerable_share), minutes, actions, routes.get(zone), spec.population
        )
        out[zone] = round(share, 4)
    return out
