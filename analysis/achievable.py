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
the same for every seed. A zone the water reaches 30 minutes after the
release cannot have 90 % of its people in a shelter: no commander can pass
that, and none is asked to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sim
from analysis.drilldata import DrillData
from sim.commands import WarningLevel
from sim.people import (
    CHANNELS,
    COMPLIANCE,
    DEPARTURE_TIME_CONSTANT_MIN,
    PEOPLE_STEP_MIN,
    SHELTER_TIME_CONSTANT_MIN,
    TRAFFIC_CONTROL_GAIN,
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


def _warned_share(vulnerable_share: float, minutes: float) -> float:
    """Expected share of a zone warned ``minutes`` after both channels were sent at once."""
    missed = 1.0
    for spec in CHANNELS.values():
        reach = (1 - vulnerable_share) * spec.reach + vulnerable_share * spec.reach_vulnerable
        steps = max(1, round(spec.spread_min))
        done = min(steps, max(0, math.floor(minutes - spec.delay_min) + 1))
        p_step = 1.0 - (1.0 - reach) ** (1.0 / steps)
        missed *= (1.0 - p_step) ** done
    return 1.0 - missed


def best_share(
    vulnerable_share: float,
    minutes: float,
    actions: tuple[str, ...],
    route: tuple[float, float] | None,
    population: int,
) -> float:
    """Expected share of a zone out of harm's way ``minutes`` after the hazard began, had it
    been warned at red on every channel and given ``actions`` (evacuation and/or shelter in
    place, whichever gets more people out) at that first minute."""
    best = 0.0
    steps = math.floor(minutes / PEOPLE_STEP_MIN + 1e-9)
    if "ShelterInPlaceOrdered" in actions:
        p = 1.0 - math.exp(-PEOPLE_STEP_MIN / SHELTER_TIME_CONSTANT_MIN)
        warned = sheltering = 0.0
        for k in range(1, steps + 1):
            fresh = _warned_share(vulnerable_share, k * PEOPLE_STEP_MIN)
            warned += fresh - _warned_share(vulnerable_share, (k - 1) * PEOPLE_STEP_MIN)
            moved = warned * p
            warned, sheltering = warned - moved, sheltering + moved
        best = max(best, sheltering)
    if "EvacuationOrdered" in actions and route is not None and population > 0:
        travel, per_min = route
        per_min *= TRAFFIC_CONTROL_GAIN  # police on the route, as the quickest commander sends
        cap = per_min * PEOPLE_STEP_MIN / population  # as a share of the zone
        p_leave = COMPLIANCE[WarningLevel.RED] * (
            1.0 - math.exp(-PEOPLE_STEP_MIN / DEPARTURE_TIME_CONSTANT_MIN)
        )
        aware = arrived = carry = 0.0
        for k in range(1, steps + 1):
            t = k * PEOPLE_STEP_MIN
            aware += _warned_share(vulnerable_share, t) - _warned_share(
                vulnerable_share, t - PEOPLE_STEP_MIN
            )
            carry += cap
            leaving = min(aware * p_leave, carry)
            carry = min(carry - leaving, cap)
            aware -= leaving
            if t + travel <= minutes + 1e-9:  # in the shelter by then
                arrived += leaving
        best = max(best, arrived)
    return best


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
