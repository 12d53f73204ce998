"""How people respond: warnings reach them, they evacuate or shelter, hazards harm them.

One process, :func:`civil_population`, moves every zone's people once a
minute: warnings spread, evacuees leave as fast as the roads let them and
arrive at shelters, people shelter in place, hazards and waiting harm them,
and shelters consume supplies. Each step is a function below. Behavioural
figures are planning assumptions, named and sourced where a source exists;
instructors see them in the docs.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim import events as ev
from sim.commands import Channel, WarningLevel
from sim.incidents import DEATH_RATE_PER_H
from sim.population import AT_HOME, Evacuees, PersonState
from sim.rng import DEPARTURE, SHELTER_IN_PLACE, WARNING_REACH
from sim.supplies import NEED_PER_PERSON_PER_MIN, ONE_EACH

if TYPE_CHECKING:
    from sim.engine import Drill, ShelterState

PEOPLE_STEP_MIN = 1.0


@dataclass(frozen=True)
class ChannelSpec:
    """How a warning channel reaches people: after a delay, over a spread time."""

    delay_min: float
    spread_min: float
    reach: float  # share of the unaware who hear it
    reach_vulnerable: float  # ... among the elderly and children


# Warning diffusion after Sorensen (2000), "Hazard warning systems: review of
# 20 years of progress", Nat. Hazards Rev. 1(2): sirens/loudspeakers and media
# reach most people within 15–30 min, never everyone; phone alerts are faster
# but miss many elderly. Door-to-door is slow but reaches nearly all (its rate
# is set by the teams in :mod:`sim.units`). Who a channel misses (no phone, radio
# off, siren out of earshot) is a property of the people, so a channel reaches
# its share once and a resend on it reaches no one new (see warning_broadcast).
CHANNELS: dict[Channel, ChannelSpec] = {
    Channel.BROADCAST: ChannelSpec(delay_min=5, spread_min=20, reach=0.75, reach_vulnerable=0.7),
    Channel.SMS: ChannelSpec(delay_min=2, spread_min=10, reach=0.85, reach_vulnerable=0.45),
}

# Share of warned people who act on an evacuation order, by warning colour:
# compliance rises with perceived threat (Lindell & Perry 2012, Protective
# Action Decision Model; Huang et al. 2016 meta-analysis of hurricane
# evacuation: official orders and perceived risk are the strongest predictors).
COMPLIANCE: dict[WarningLevel | None, float] = {
    None: 0.4,
    WarningLevel.BLUE: 0.5,
    WarningLevel.YELLOW: 0.7,
    WarningLevel.ORANGE: 0.85,
    WarningLevel.RED: 0.95,
}
DEPARTURE_TIME_CONSTANT_MIN = 30.0  # household preparation time (Lindell & Prater 2007: 30–60 min)
SHELTER_TIME_CONSTANT_MIN = 5.0  # going indoors and closing windows
PERSONS_PER_VEHICLE = 2.5  # household evacuation vehicle occupancy (Lindell 2008, EMBLEM2)
EVACUATION_KMH = 20.0  # congested evacuation traffic
TRAFFIC_CONTROL_GAIN = 1.5  # police at junctions raise evacuation flow (contraflow, signals)
SPREAD_STEP_MIN = 1.0  # a channel's message spreads in steps this far apart


# The chances below are the engine's own: its processes draw with them, and the score
# (analysis.achievable) takes the expectation of the same process with them, so the
# two cannot drift apart.


def spread_chance(channel: Channel, vulnerable_share: float) -> tuple[int, float]:
    """How a channel's first message spreads through a zone: (its number of steps, the chance
    per step that it reaches a person still unaware), such that a person unaware all along
    has been missed with chance 1 - reach, reach mixed by the zone's ``vulnerable_share``."""
    spec = CHANNELS[channel]
    steps = _spread_steps(spec)
    reach = (1 - vulnerable_share) * spec.reach + vulnerable_share * spec.reach_vulnerable
    return steps, 1.0 - (1.0 - reach) ** (1.0 / steps)


def spread_steps_by(channel: Channel, minutes: float) -> int:
    """How many of a channel's spread steps have been taken ``minutes`` after it was sent: the
    first at its delay, then one every :data:`SPREAD_STEP_MIN` (see :func:`warning_broadcast`)."""
    spec = CHANNELS[channel]
    taken = math.floor((minutes - spec.delay_min) / SPREAD_STEP_MIN) + 1
    return min(_spread_steps(spec), max(0, taken))


def _spread_steps(spec: ChannelSpec) -> int:
    return max(1, round(spec.spread_min / SPREAD_STEP_MIN))


def expected_warned_share(
    vulnerable_share: float, minutes: float, channels: Iterable[Channel] = tuple(CHANNELS)
) -> float:
    """Expected share of a zone's people warned ``minutes`` after the first message on each of
    ``channels`` was sent to it at once, all of them unaware before: the expectation of
    :func:`warning_broadcast` (channels reach independently)."""
    missed = 1.0
    for channel in channels:
        _, p_step = spread_chance(channel, vulnerable_share)
        missed *= (1.0 - p_step) ** spread_steps_by(channel, minutes)
    return 1.0 - missed


def departure_chance(level: WarningLevel | None) -> float:
    """Chance per people step that a warned person ordered out sets off (the road's capacity
    permitting), for the zone's warning colour."""
    return COMPLIANCE[level] * (1.0 - math.exp(-PEOPLE_STEP_MIN / DEPARTURE_TIME_CONSTANT_MIN))


def shelter_chance() -> float:
    """Chance per people step that a warned person told to shelter in place is sheltering."""
    return 1.0 - math.exp(-PEOPLE_STEP_MIN / SHELTER_TIME_CONSTANT_MIN)


def evacuation_flow(capacity_per_min: float, traffic_control: bool) -> float:
    """People per minute a zone's evacuation route carries, with or without police on it."""
    return capacity_per_min * TRAFFIC_CONTROL_GAIN if traffic_control else capacity_per_min


def civil_population(env: simpy.Environment, drill: Drill) -> Generator[simpy.Event, Any, Any]:
    """Every minute: move people, apply harm, supply the shelters."""
    while True:
        yield env.timeout(PEOPLE_STEP_MIN)
        for zone in range(len(drill.world.zones)):
            if drill.evacuation_target[zone] is not None:
                _evacuate(drill, zone)
            if drill.shelter_in_place[zone]:
                _shelter_in_place(drill, zone)
        _arrivals(drill)
        _admit_waiting(drill)
        drill.apply_hazard_harm(PEOPLE_STEP_MIN)
        _waiting_deaths(drill)
        _supply_shelters(drill)
        drill.check_conditional_injects()
        drill.check_incident_access()


def warning_broadcast(
    env: simpy.Environment, drill: Drill, zone: int, channel: Channel
) -> Generator[simpy.Event, Any, Any]:
    """A broadcast or SMS warning spreading through one zone.

    A channel reaches a zone's people once: its first message reaches, over
    ``spread_min``, each person then unaware with the channel's reach (mixed
    by the zone's vulnerable share), and a resend on the same channel reaches
    no one new. Who can receive a channel (a phone, the radio on, within
    earshot of a siren) is a property of the people, not of how often the
    channel is used (Sorensen 2000, above: each channel has its own ceiling of
    reach). Channels reach independently, so people missed by SMS may still
    hear the broadcast. Repetition does matter for belief and action (Mileti &
    Sorensen 1990, "Communication of emergency public warnings", ORNL-6609):
    that is the warning colour, which a resend may raise (compliance,
    :data:`COMPLIANCE`). A resend is logged as delivered to no one new.
    """
    first = drill.population.first_on_channel(zone, channel.value)
    yield env.timeout(CHANNELS[channel].delay_min)
    reached = 0
    if first:
        luck = drill.rng.stream(WARNING_REACH, drill.world.zones[zone].id, channel.value)
        # A constant chance per step (spread_chance), one step every SPREAD_STEP_MIN from
        # the delay on: the timing spread_steps_by counts, and expected_warned_share takes
        # the expectation of.
        steps, p_step = spread_chance(channel, drill.world.zones[zone].vulnerable_share)
        for _ in range(steps):
            unaware = drill.population.count(zone, PersonState.UNAWARE)
            reached += drill.population.move(
                zone, PersonState.UNAWARE, PersonState.WARNED, luck.binomial(unaware, p_step)
            )
            yield env.timeout(SPREAD_STEP_MIN)
    drill.emit(
        ev.WARNING_DELIVERED,
        zone=drill.world.zones[zone].id,
        channel=channel.value,
        reached=reached,
    )


def _evacuate(drill: Drill, zone: int) -> None:
    shelter = drill.evacuation_target[zone]
    assert shelter is not None
    pop = drill.population
    aware = pop.count(zone, PersonState.WARNED) + pop.count(zone, PersonState.SHELTERING)
    if aware == 0:
        return
    route = drill.evacuation_route(zone, shelter)
    if route is None:
        if not drill.evacuation_blocked[zone]:
            drill.evacuation_blocked[zone] = True
            drill.emit(ev.EVACUATION_BLOCKED, zone=drill.world.zones[zone].id, shelter=shelter)
        return
    drill.evacuation_blocked[zone] = False
    travel_min, capacity_per_min = route
    capacity_per_min = evacuation_flow(capacity_per_min, bool(drill.zone_teams[zone]))
    p_leave = departure_chance(drill.zone_warning[zone])
    drill.evacuation_flow_carry[zone] += capacity_per_min * PEOPLE_STEP_MIN
    room = math.floor(drill.evacuation_flow_carry[zone])
    luck = drill.rng.stream(DEPARTURE, drill.world.zones[zone].id)
    leaving = min(luck.binomial(aware, p_leave), room)
    drill.evacuation_flow_carry[zone] = min(
        drill.evacuation_flow_carry[zone] - leaving, capacity_per_min * PEOPLE_STEP_MIN
    )
    moved = pop.move(zone, PersonState.WARNED, PersonState.EVACUATING, leaving)
    moved += pop.move(zone, PersonState.SHELTERING, PersonState.EVACUATING, leaving - moved)
    if moved:
        path = drill.evacuation_path(zone, shelter)
        drill.in_transit.append(_on_the_road(drill, zone, shelter, moved, path, travel_min))


def _on_the_road(
    drill: Drill, zone: int, shelter: str, people: int, path: list[int], travel_min: float
) -> Evacuees:
    """A group setting off now along ``path`` (road nodes), arriving in ``travel_min``."""
    roads = drill.world.roads
    xy = np.array([roads.xy(node) for node in path], dtype=float).reshape(-1, 2)
    legs = [roads.edge_minutes(roads.edge(a, b), EVACUATION_KMH) for a, b in pairwise(path)]
    at_min = np.concatenate(([0.0], np.cumsum(legs)))
    now = drill.env.now
    return Evacuees(zone, shelter, people, now, now + travel_min, xy, at_min)


def _shelter_in_place(drill: Drill, zone: int) -> None:
    warned = drill.population.count(zone, PersonState.WARNED)
    p = shelter_chance()
    luck = drill.rng.stream(SHELTER_IN_PLACE, drill.world.zones[zone].id)
    drill.population.move(
        zone, PersonState.WARNED, PersonState.SHELTERING, luck.binomial(warned, p)
    )


def _arrivals(drill: Drill) -> None:
    now = drill.env.now
    arrived = [group for group in drill.in_transit if group.arrive_min <= now]
    if not arrived:
        return
    drill.in_transit = [group for group in drill.in_transit if group.arrive_min > now]
    for group in arrived:
        if group.people <= 0:  # all of them harmed on the way
            continue
        zone, shelter = group.zone, group.shelter
        state = drill.shelters[shelter]
        state.waiting[zone] = state.waiting.get(zone, 0) + group.people
        drill.emit(
            ev.PEOPLE_ARRIVED, zone=drill.world.zones[zone].id, shelter=shelter, people=group.people
        )


def _admit_waiting(drill: Drill) -> None:
    for shelter_id, state in drill.shelters.items():
        if not state.waiting:
            continue
        for zone in sorted(state.waiting):
            room = state.room if state.open else 0
            admitted = min(room, state.waiting[zone])
            if admitted:
                drill.population.move(zone, PersonState.EVACUATING, PersonState.EVACUATED, admitted)
                state.residents[zone] = state.residents.get(zone, 0) + admitted
                state.waiting[zone] -= admitted
            if state.waiting[zone] == 0:
                del state.waiting[zone]
        if state.waiting and state.open and not state.full_reported:
            state.full_reported = True
            drill.emit(ev.SHELTER_FULL, shelter=shelter_id, waiting=sum(state.waiting.values()))
        if state.waiting:
            _redirect(drill, shelter_id, state)


def _redirect(drill: Drill, shelter_id: str, state: ShelterState) -> None:
    """Shelter staff send those they cannot take in on to the nearest shelter with room."""
    here = drill.world.facilities[shelter_id].node
    roomy = [
        other_id
        for other_id, other in drill.shelters.items()
        if other_id != shelter_id and other.open and other.room > 0
    ]
    best = drill.nearest_by_road(here, roomy, EVACUATION_KMH)
    if best is None:
        return
    minutes, target = best
    found = drill.world.roads.route(here, drill.world.facilities[target].node, EVACUATION_KMH)
    path = found[0] if found else [here]
    room = drill.shelters[target].room
    for zone in sorted(state.waiting):
        moving = min(room, state.waiting[zone])
        if moving <= 0:
            break
        room -= moving
        state.waiting[zone] -= moving
        if state.waiting[zone] == 0:
            del state.waiting[zone]
        drill.in_transit.append(_on_the_road(drill, zone, target, moving, path, minutes))
        drill.emit(
            ev.PEOPLE_REDIRECTED,
            zone=drill.world.zones[zone].id,
            shelter=shelter_id,
            to=target,
            people=moving,
        )


def _waiting_deaths(drill: Drill) -> None:
    """People waiting in incidents (trapped, injured, in a burning building) die at a rate."""
    for incident in list(drill.incidents.values()):
        if not incident.is_open or incident.people <= 0:
            continue
        rate = DEATH_RATE_PER_H.get(incident.kind, 0.0)
        p = 1.0 - math.exp(-rate * PEOPLE_STEP_MIN / 60.0)
        deaths = drill.tally.count(("waiting", incident.id), incident.people, p)
        if deaths:
            drill.incident_deaths(incident, deaths)


def _supply_shelters(drill: Drill) -> None:
    """Shelters consume water and food; people without them count as unmet need."""
    unmet = 0.0
    for shelter_id, state in drill.shelters.items():
        occupants = state.occupants
        unmet += sum(state.waiting.values())  # no place to stay is an unmet need
        if occupants == 0:
            continue
        served = 1.0
        for item, per_person in NEED_PER_PERSON_PER_MIN.items():
            wanted = occupants * per_person * PEOPLE_STEP_MIN
            got = drill.stocks.consume(shelter_id, item, wanted)
            served = min(served, got / wanted)
            if got < wanted and item not in state.ran_out:
                state.ran_out.add(item)
                drill.emit(ev.SUPPLIES_RAN_OUT, facility=shelter_id, item=item.value)
            elif got >= wanted:
                state.ran_out.discard(item)
        for item in ONE_EACH:
            lacking = occupants - state.issued.get(item, 0)
            if lacking > 0:
                given = math.floor(drill.stocks.consume(shelter_id, item, float(lacking)))
                state.issued[item] = state.issued.get(item, 0) + given
            served = min(served, min(state.issued.get(item, 0), occupants) / occupants)
        unmet += occupants * (1.0 - served)
    unmet += _displaced_at_home(drill)
    drill.unmet_person_min += unmet * PEOPLE_STEP_MIN


def _displaced_at_home(drill: Drill) -> float:
    """People whose homes a hazard has made uninhabitable, still there or trapped."""
    # Each hazard answers for every zone at once; the sum runs zone by zone as before.
    shares = [hazard.displaced_shares() for hazard in drill.hazards.values()]
    counts = drill.population.counts
    at_home = counts[:, list(AT_HOME)].sum(axis=1).tolist()  # whole people: exact
    trapped = counts[:, PersonState.TRAPPED].tolist()
    displaced = 0.0
    for zone in range(len(drill.world.zones)):
        share = max((of_hazard[zone] for of_hazard in shares), default=0.0)
        displaced += share * at_home[zone] + trapped[zone]
    return displaced
