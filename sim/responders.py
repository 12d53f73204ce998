"""Rescue units as SimPy processes: drive, work on scene, carry, return, rest.

Each unit is one process (:func:`rescue_unit`) that waits for an order,
carries it out and goes home. A new order or a recall is an ``interrupt()``:
the unit finishes the road stretch it is on (a vehicle cannot turn mid-block)
and then follows the new order. Routes are re-planned at every node, so a
road that closes ahead of a unit sends it another way.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.incidents import Incident
from sim.population import PersonState
from sim.scenario.schema import IncidentKind, SupplyItem
from sim.supplies import TRUCK_LOAD
from sim.units import Capability, Leg, Unit, UnitStatus, straight_minutes

if TYPE_CHECKING:
    from sim.engine import Drill

Proc = Generator[simpy.Event, Any, Any]

WORK_CHUNK_MIN = 5.0  # units report progress every 5 minutes on scene
STRANDED_RETRY_MIN = 10.0  # a stranded unit looks for an open road this often
LOAD_MIN = 5.0  # loading or unloading supplies (casualties: UnitSpec.load_min)
# A helicopter rescue sortie: take-off, a few km out and back at ~200 km/h, and 15-20 min
# hovering or loading on scene (DrillCommand planning figure; cf. the 2 x travel + 15 min
# the expert bot allows a spent crew).
MIN_SORTIE_MIN = 30.0
BOAT_ON_WATER_KMH = 15.0  # inflatable rescue boat in urban flood water


@dataclass(frozen=True)
class Order:
    """What a unit has been told to do."""

    kind: str  # "incident" | "zone" | "stage" | "supply" | "base"
    target: str = ""
    source: str = ""
    item: SupplyItem | None = None
    amount: float = 0.0


def rescue_unit(env: simpy.Environment, drill: Drill, unit: Unit) -> Proc:
    """The whole life of one unit in the drill."""
    while True:
        try:
            order: Order | None = drill.orders.get(unit.id)
            if order is None:
                yield from _stand_by(env, drill, unit)  # until an order interrupts
                continue
            yield from _finish_leg(env, unit)
            yield from _carry_out(env, drill, unit, order)
            if order.kind == "base":
                drill.orders.pop(unit.id, None)
                yield from _rest_if_due(env, drill, unit)
            elif order.kind != "stage":
                drill.orders[unit.id] = Order("base")
            else:
                unit.status = UnitStatus.STAGED
                drill.orders.pop(unit.id, None)
        except simpy.Interrupt:
            continue


def _finish_leg(env: simpy.Environment, unit: Unit) -> Proc:
    if unit.leg is not None:
        remaining = unit.leg.end_min - env.now
        if remaining > 0:
            yield env.timeout(remaining)
        unit.node = unit.leg.end_node
        unit.leg = None


def _carry_out(env: simpy.Environment, drill: Drill, unit: Unit, order: Order) -> Proc:
    unit.task = f"{order.kind}:{order.target}" if order.target else order.kind
    if unit.shift_started_min is None:
        unit.shift_started_min = env.now
    elif unit.grounded_since_min is not None:  # the clock resumes where it stopped
        unit.shift_started_min += env.now - unit.grounded_since_min
    unit.grounded_since_min = None
    if unit.carrying_people:
        yield from _deliver_casualties(env, drill, unit)  # patients aboard come first
    if order.kind == "incident":
        yield from _work_incident(env, drill, unit, drill.incidents[order.target])
    elif order.kind == "zone":
        yield from _work_zone(env, drill, unit, drill.world.zone_by_id[order.target].index)
    elif order.kind == "stage":
        unit.status = UnitStatus.EN_ROUTE
        yield from drive(env, drill, unit, drill.world.facilities[order.target].node)
        drill.emit(ev.UNIT_ARRIVED, unit=unit.id, at=order.target)
    elif order.kind == "supply":
        yield from _supply_run(env, drill, unit, order)
    else:
        yield from _go_home(env, drill, unit)


def drive(env: simpy.Environment, drill: Drill, unit: Unit, target: int) -> Proc:
    """Move ``unit`` to road node ``target``, re-planning at every node."""
    roads = drill.world.roads
    if unit.spec.air_kmh > 0:
        start, end = roads.xy(unit.node), roads.xy(target)
        minutes = straight_minutes(start, end, unit.spec.air_kmh)
        unit.leg = Leg(start, end, env.now, env.now + minutes, target)
        yield env.timeout(minutes)
        unit.node, unit.leg = target, None
        return
    ignores = unit.spec.ignores
    stranded = False
    while unit.node != target:
        found = roads.route(unit.node, target, unit.spec.road_kmh, ignores)
        if found is None:
            if not stranded:
                unit.status, stranded = UnitStatus.STRANDED, True
                drill.emit(ev.UNIT_STRANDED, unit=unit.id, node=unit.node)
            yield env.timeout(STRANDED_RETRY_MIN)
            continue
        if stranded:
            unit.status, stranded = UnitStatus.EN_ROUTE, False
        unit.route = found[0]
        for a, b in zip(found[0], found[0][1:], strict=False):
            edge = roads.edge(a, b)
            if edge.closures - ignores:
                drill.emit(ev.UNIT_REROUTED, unit=unit.id, road=edge.road_id)
                break
            speed = BOAT_ON_WATER_KMH if "flood" in edge.closures else unit.spec.road_kmh
            minutes = roads.edge_minutes(edge, speed)
            unit.leg = Leg(roads.xy(a), roads.xy(b), env.now, env.now + minutes, b)
            yield env.timeout(minutes)
            unit.node, unit.leg = b, None
    unit.route = []


def _work_incident(env: simpy.Environment, drill: Drill, unit: Unit, incident: Incident) -> Proc:
    unit.status = UnitStatus.EN_ROUTE
    yield from drive(env, drill, unit, incident.node)
    if not incident.is_open:
        return
    unit.status = UnitStatus.ON_SCENE
    incident.units.add(unit.id)
    if incident.first_unit_min is None:
        incident.first_unit_min = env.now
    drill.emit(ev.UNIT_ARRIVED, unit=unit.id, incident=incident.id)
    try:
        while incident.is_open and not _shift_over(env, unit):
            if incident.kind == IncidentKind.CASUALTIES:
                carried = yield from _carry_casualties(env, drill, unit, incident)
                if not carried:
                    break
            elif incident.managed:
                yield env.timeout(WORK_CHUNK_MIN)  # the hazard reads who is on scene
            elif incident.is_people:
                yield env.timeout(WORK_CHUNK_MIN)
                drill.rescue(incident, _rescued_this_chunk(unit, incident), unit.id)
            else:
                yield env.timeout(WORK_CHUNK_MIN)
                drill.work_on(incident, WORK_CHUNK_MIN * unit.spec.work_factor, unit.id)
    finally:
        incident.units.discard(unit.id)


def _rescued_this_chunk(unit: Unit, incident: Incident) -> int:
    rate = unit.spec.rescue_per_h
    if Capability.WATER_RESCUE not in unit.spec.capabilities and incident.source.startswith(
        "flood"
    ):
        rate *= 0.5  # without a boat, rescuing from water is slow and dangerous
    incident.rescue_carry += rate * WORK_CHUNK_MIN / 60.0
    whole = math.floor(incident.rescue_carry)
    incident.rescue_carry -= whole
    return whole


def _carry_casualties(env: simpy.Environment, drill: Drill, unit: Unit, incident: Incident) -> Proc:
    """One trip: load casualties, take them to hospital, come back if needed."""
    load = min(unit.spec.carry_persons, incident.people)
    if load <= 0:
        return False
    hospital = drill.nearest_hospital(unit, load)
    if hospital is None:
        yield env.timeout(STRANDED_RETRY_MIN)  # every bed is taken: wait on scene
        return True
    yield env.timeout(unit.spec.load_min)
    load = min(load, incident.people)  # another crew may have taken them meanwhile
    if load <= 0:
        return False
    incident.people -= load
    unit.carrying_people, unit.carrying_zone = load, incident.zone
    drill.update_incident(incident)
    yield from _deliver_casualties(env, drill, unit, hospital)
    if incident.is_open and incident.people > 0 and not _shift_over(env, unit):
        unit.status = UnitStatus.EN_ROUTE
        yield from drive(env, drill, unit, incident.node)
        unit.status = UnitStatus.ON_SCENE
    return True


def _deliver_casualties(
    env: simpy.Environment, drill: Drill, unit: Unit, hospital: str | None = None
) -> Proc:
    """Drive the casualties aboard to a hospital with beds and hand them over."""
    unit.status = UnitStatus.TRANSPORTING
    while unit.carrying_people:
        hospital = hospital or drill.nearest_hospital(unit, unit.carrying_people)
        if hospital is None:
            yield env.timeout(STRANDED_RETRY_MIN)  # every bed is taken: keep looking
            continue
        yield from drive(env, drill, unit, drill.world.facilities[hospital].node)
        yield env.timeout(unit.spec.load_min)
        drill.hospitalise(unit.carrying_zone, hospital, unit.carrying_people, unit.id)
        unit.carrying_people = 0


def _work_zone(env: simpy.Environment, drill: Drill, unit: Unit, zone: int) -> Proc:
    unit.status = UnitStatus.EN_ROUTE
    yield from drive(env, drill, unit, drill.world.zones[zone].node)
    unit.status = UnitStatus.ON_SCENE
    drill.emit(ev.UNIT_ARRIVED, unit=unit.id, zone=drill.world.zones[zone].id)
    drill.zone_teams[zone].add(unit.id)
    carry = 0.0
    try:
        while not _shift_over(env, unit):
            yield env.timeout(WORK_CHUNK_MIN)
            carry += unit.spec.door_to_door_per_h * WORK_CHUNK_MIN / 60.0
            reached = math.floor(carry)
            carry -= reached
            drill.door_to_door(zone, reached, unit.id)
    finally:
        drill.zone_teams[zone].discard(unit.id)


def _supply_run(env: simpy.Environment, drill: Drill, unit: Unit, order: Order) -> Proc:
    assert order.item is not None
    remaining = order.amount - drill.delivered.get(unit.id, 0.0)
    while remaining > 1e-9:
        if unit.cargo.get(order.item, 0.0) <= 0:
            unit.status = UnitStatus.EN_ROUTE
            yield from drive(env, drill, unit, drill.world.facilities[order.source].node)
            yield env.timeout(LOAD_MIN)
            wanted = min(remaining, TRUCK_LOAD[order.item] * unit.spec.payload_units)
            loaded = drill.stocks.take(order.source, order.item, wanted)
            if loaded <= 0:
                drill.emit(ev.SUPPLIES_RAN_OUT, facility=order.source, item=order.item.value)
                return
            unit.cargo[order.item] = loaded
            drill.emit(
                ev.SUPPLIES_LOADED,
                unit=unit.id,
                facility=order.source,
                item=order.item.value,
                amount=round(loaded, 6),
            )
        unit.status = UnitStatus.TRANSPORTING
        yield from drive(env, drill, unit, drill.world.facilities[order.target].node)
        yield env.timeout(LOAD_MIN)
        amount = unit.cargo.pop(order.item)
        drill.stocks.put(order.target, order.item, amount)
        drill.delivered[unit.id] = drill.delivered.get(unit.id, 0.0) + amount
        drill.emit(
            ev.SUPPLIES_DELIVERED,
            unit=unit.id,
            facility=order.target,
            item=order.item.value,
            amount=round(amount, 6),
        )
        remaining -= amount
    drill.delivered.pop(unit.id, None)


def _go_home(env: simpy.Environment, drill: Drill, unit: Unit) -> Proc:
    if unit.node != unit.base_node:
        unit.status = UnitStatus.RETURNING
        yield from drive(env, drill, unit, unit.base_node)
    for item, amount in list(unit.cargo.items()):
        drill.stocks.put(unit.base, item, amount)  # undelivered cargo goes back into store
        del unit.cargo[item]
    unit.status = UnitStatus.AVAILABLE
    unit.task = None
    drill.emit(ev.UNIT_RETURNED, unit=unit.id)


def _shift_over(env: simpy.Environment, unit: Unit) -> bool:
    started = unit.shift_started_min
    return started is not None and env.now - started >= unit.spec.shift_h * 60.0


def _stand_by(env: simpy.Environment, drill: Drill, unit: Unit) -> Proc:
    """Wait for an order.

    A ground crew at base whose duty period ends while it waits stands down to
    rest then, as it would on coming back from a job; it is not sent out spent.
    An aircrew is limited by flight time as well as duty (ICAO Annex 6 Part I,
    fatigue management: flight time, flight duty period and rest limits); the
    4-h figure here is flying between rests, so its clock stops while it
    stands by on the ground; an aircrew back at base with less flying left than
    a sortie needs (:data:`MIN_SORTIE_MIN`) rests then, rather than stand by
    unable to fly.
    """
    started = unit.shift_started_min
    at_base = unit.status == UnitStatus.AVAILABLE and unit.node == unit.base_node
    if unit.spec.air_kmh > 0 and started is not None:
        unit.grounded_since_min = env.now
        spent = unit.duty_left_min(env.now) < MIN_SORTIE_MIN
        if at_base and spent:  # too little flying left for any sortie: the crew rests now
            yield from _rest(env, drill, unit)
            return
    if started is None or not at_base or unit.spec.air_kmh > 0:
        yield env.event()
        return
    yield env.timeout(max(0.0, started + unit.spec.shift_h * 60.0 - env.now))
    yield from _rest(env, drill, unit)


def _rest_if_due(env: simpy.Environment, drill: Drill, unit: Unit) -> Proc:
    if _shift_over(env, unit):
        yield from _rest(env, drill, unit)


def _rest(env: simpy.Environment, drill: Drill, unit: Unit) -> Proc:
    unit.status = UnitStatus.RESTING
    unit.rest_until_min = env.now + unit.spec.rest_h * 60.0
    drill.emit(ev.UNIT_RESTING, unit=unit.id, until=round(unit.rest_until_min, 6))
    yield env.timeout(unit.spec.rest_h * 60.0)
    unit.shift_started_min = None
    unit.status = UnitStatus.AVAILABLE
    drill.emit(ev.UNIT_AVAILABLE, unit=unit.id)


def person_state_of(kind: IncidentKind) -> PersonState:
    """The state in which the people of an incident are counted."""
    return PersonState.INJURED if kind == IncidentKind.CASUALTIES else PersonState.TRAPPED
