"""Command handlers: check an order against the drill, then carry it out.

Each handler returns either a rejection (:class:`CommandResult`) or the
effect to apply. The engine logs the command with its result first and then
applies the effect, so the log reads in the order a person would tell it:
"ordered X — accepted — X happened".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import commands as c
from sim import events as ev
from sim.commands import CommandResult, Reason
from sim.people import warning_broadcast
from sim.population import PersonState
from sim.responders import Order
from sim.scenario.schema import FacilityType
from sim.units import Capability, UnitStatus
from sim.world.roads import joined

if TYPE_CHECKING:
    from sim.engine import Drill

Outcome = CommandResult | Callable[[], None]


def handle(drill: Drill, command: c.Command) -> Outcome:
    """Check and prepare ``command``; see the module docstring."""
    problem = c.check_values(command)
    if problem is not None:
        return problem
    if isinstance(command, c.INSTRUCTOR_ONLY) and command.issuer != c.Role.INSTRUCTOR:
        return CommandResult.reject(Reason.NOT_INSTRUCTOR)
    handler = _HANDLERS[type(command)]
    return handler(drill, command)


def _give_order(drill: Drill, unit_id: str, order: Order) -> Callable[[], None]:
    def effect() -> None:
        unit = drill.units[unit_id]
        drill.orders[unit_id] = order
        unit.status = UnitStatus.EN_ROUTE if order.kind != "base" else UnitStatus.RETURNING
        drill.emit(ev.UNIT_DISPATCHED, unit=unit_id, order=order.kind, target=order.target)
        unit.process.interrupt()  # type: ignore[attr-defined]

    return effect


def _unit_ready(drill: Drill, unit_id: str) -> CommandResult | None:
    unit = drill.units.get(unit_id)
    if unit is None:
        return CommandResult.reject(Reason.UNKNOWN_UNIT, unit=unit_id)
    if unit.status == UnitStatus.RESTING:
        return CommandResult.reject(Reason.CREW_RESTING, unit=unit_id)
    return None


def _dispatch(drill: Drill, cmd: c.DispatchUnit) -> Outcome:
    problem = _unit_ready(drill, cmd.unit)
    if problem:
        return problem
    unit = drill.units[cmd.unit]
    if cmd.target in drill.incidents:
        incident = drill.incidents[cmd.target]
        if not incident.is_open:
            return CommandResult.reject(Reason.INCIDENT_RESOLVED, incident=cmd.target)
        if not unit.can_do(incident.needs):
            return CommandResult.reject(Reason.NOT_CAPABLE, unit=cmd.unit, target=cmd.target)
        order = Order("incident", cmd.target)
        node = incident.node
    elif cmd.target in drill.world.zone_by_id:
        needs = frozenset({Capability.DOOR_TO_DOOR, Capability.TRAFFIC_CONTROL})
        if not unit.can_do(needs):
            return CommandResult.reject(Reason.NOT_CAPABLE, unit=cmd.unit, target=cmd.target)
        order = Order("zone", cmd.target)
        node = drill.world.zone_by_id[cmd.target].node
    elif cmd.target in drill.world.facilities:
        order = Order("stage", cmd.target)
        node = drill.world.facilities[cmd.target].node
    else:
        return CommandResult.reject(Reason.UNKNOWN_TARGET, target=cmd.target)
    if not drill.can_reach(unit, node):
        return CommandResult.reject(Reason.NO_ROUTE, unit=cmd.unit, target=cmd.target)
    return _give_order(drill, cmd.unit, order)


def _recall(drill: Drill, cmd: c.RecallUnit) -> Outcome:
    problem = _unit_ready(drill, cmd.unit)
    if problem:
        return problem
    unit = drill.units[cmd.unit]
    if unit.status == UnitStatus.AVAILABLE and unit.node == unit.base_node:
        return CommandResult.reject(Reason.ALREADY_AT_BASE, unit=cmd.unit)
    return _give_order(drill, cmd.unit, Order("base"))


def _zone(drill: Drill, zone_id: str) -> int | CommandResult:
    zone = drill.world.zone_by_id.get(zone_id)
    return CommandResult.reject(Reason.UNKNOWN_ZONE, zone=zone_id) if zone is None else zone.index


def _warn(drill: Drill, cmd: c.IssueWarning) -> Outcome:
    zone = _zone(drill, cmd.zone)
    if isinstance(zone, CommandResult):
        return zone
    if cmd.channel == c.Channel.DOOR_TO_DOOR and not drill.zone_teams[zone]:
        return CommandResult.reject(Reason.NO_TEAM_IN_ZONE, zone=cmd.zone)

    def effect() -> None:
        levels = list(c.WarningLevel)
        current = drill.zone_warning[zone]
        if current is None or levels.index(cmd.level) > levels.index(current):
            drill.zone_warning[zone] = cmd.level
        drill.warnings_issued += 1
        drill.emit(
            ev.WARNING_ISSUED, zone=cmd.zone, level=cmd.level.value, channel=cmd.channel.value
        )
        if cmd.channel != c.Channel.DOOR_TO_DOOR:
            drill.env.process(warning_broadcast(drill.env, drill, zone, cmd.channel))

    return effect


def _shelter(drill: Drill, shelter_id: str) -> CommandResult | None:
    facility = drill.world.facilities.get(shelter_id)
    if facility is None:
        return CommandResult.reject(Reason.UNKNOWN_FACILITY, facility=shelter_id)
    if facility.type != FacilityType.SHELTER:
        return CommandResult.reject(Reason.NOT_A_SHELTER, facility=shelter_id)
    if drill.shelters[shelter_id].lost:
        return CommandResult.reject(Reason.SHELTER_LOST, facility=shelter_id)
    return None


def _unwarned(drill: Drill, zone: int, zone_id: str) -> CommandResult | None:
    """Doctrine: a protective-action order reaches people through a warning.

    An evacuation or shelter-in-place order is carried to the public by the
    warning system (broadcast, SMS, teams at the door), so it is refused in a
    zone no warning has been issued to, or no door-to-door team is working in:
    people who have heard nothing cannot act on it. Warn first, then order.
    """
    if drill.zone_warning[zone] is None and not drill.zone_teams[zone]:
        return CommandResult.reject(Reason.NOT_WARNED, zone=zone_id)
    return None


def _evacuate(drill: Drill, cmd: c.OrderEvacuation) -> Outcome:
    zone = _zone(drill, cmd.zone)
    if isinstance(zone, CommandResult):
        return zone
    problem = _shelter(drill, cmd.shelter)
    if problem:
        return problem
    if not drill.shelters[cmd.shelter].open:
        return CommandResult.reject(Reason.SHELTER_CLOSED, facility=cmd.shelter)
    if drill.evacuation_route(zone, cmd.shelter) is None:
        return CommandResult.reject(Reason.NO_ROUTE, zone=cmd.zone, target=cmd.shelter)
    pop = drill.population
    if (
        pop.count(zone, PersonState.UNAWARE)
        + pop.count(zone, PersonState.WARNED)
        + pop.count(zone, PersonState.SHELTERING)
        == 0
    ):
        return CommandResult.reject(Reason.NOBODY_TO_MOVE, zone=cmd.zone)
    unwarned = _unwarned(drill, zone, cmd.zone)
    if unwarned:
        return unwarned

    def effect() -> None:
        drill.evacuation_target[zone] = cmd.shelter
        drill.shelter_in_place[zone] = False
        drill.emit(ev.EVACUATION_ORDERED, zone=cmd.zone, shelter=cmd.shelter)

    return effect


def _shelter_in_place(drill: Drill, cmd: c.OrderShelterInPlace) -> Outcome:
    zone = _zone(drill, cmd.zone)
    if isinstance(zone, CommandResult):
        return zone
    unwarned = _unwarned(drill, zone, cmd.zone)
    if unwarned:
        return unwarned

    def effect() -> None:
        drill.shelter_in_place[zone] = True
        drill.evacuation_target[zone] = None
        drill.emit(ev.SHELTER_IN_PLACE_ORDERED, zone=cmd.zone)

    return effect


def _lift_shelter_in_place(drill: Drill, cmd: c.LiftShelterInPlace) -> Outcome:
    zone = _zone(drill, cmd.zone)
    if isinstance(zone, CommandResult):
        return zone
    sheltering = drill.population.count(zone, PersonState.SHELTERING)
    if not drill.shelter_in_place[zone] and sheltering == 0:
        return CommandResult.reject(Reason.NOT_SHELTERING, zone=cmd.zone)

    def effect() -> None:
        drill.shelter_in_place[zone] = False
        # Out of doors at once, windows open: they breathe the outdoor air from now on.
        moved = drill.population.move(zone, PersonState.SHELTERING, PersonState.WARNED, sheltering)
        drill.emit(ev.SHELTER_IN_PLACE_LIFTED, zone=cmd.zone, people=moved)

    return effect


def _open_shelter(drill: Drill, cmd: c.OpenShelter) -> Outcome:
    problem = _shelter(drill, cmd.shelter)
    if problem:
        return problem
    if drill.shelters[cmd.shelter].open:
        return CommandResult.reject(Reason.SHELTER_ALREADY_OPEN, facility=cmd.shelter)

    def effect() -> None:
        drill.shelters[cmd.shelter].open = True
        drill.emit(ev.SHELTER_OPENED, shelter=cmd.shelter)

    return effect


def _close_shelter(drill: Drill, cmd: c.CloseShelter) -> Outcome:
    problem = _shelter(drill, cmd.shelter)
    if problem:
        return problem
    if not drill.shelters[cmd.shelter].open:
        return CommandResult.reject(Reason.SHELTER_CLOSED, facility=cmd.shelter)

    def effect() -> None:
        drill.shelters[cmd.shelter].open = False  # residents stay; no one new is admitted
        for zone, target in enumerate(drill.evacuation_target):
            if target == cmd.shelter:
                drill.evacuation_target[zone] = None
        drill.emit(ev.SHELTER_CLOSED, shelter=cmd.shelter)

    return effect


def _move_supplies(drill: Drill, cmd: c.MoveSupplies) -> Outcome:
    places = drill.world.facilities
    for place in (cmd.source, cmd.destination):
        if place not in places:
            return CommandResult.reject(Reason.UNKNOWN_FACILITY, facility=place)
        if places[place].type not in (FacilityType.DEPOT, FacilityType.SHELTER):
            return CommandResult.reject(Reason.NOT_A_DEPOT_OR_SHELTER, facility=place)
    if cmd.source == cmd.destination:
        return CommandResult.reject(Reason.SAME_PLACE)
    if drill.stocks.place(cmd.source)[cmd.item] <= 0:
        return CommandResult.reject(
            Reason.INSUFFICIENT_STOCK, facility=cmd.source, item=cmd.item.value
        )
    source, destination = places[cmd.source].node, places[cmd.destination].node
    by_road = joined(drill.road_parts(), source, destination)
    # By road when a road joins the two places; else by air, if an aircraft is free.
    truck = _nearest_idle_carrier(drill, source, by_air=not by_road)
    if truck is None and not by_road:
        return CommandResult.reject(Reason.NO_ROUTE, target=cmd.destination)
    if truck is None:
        return CommandResult.reject(Reason.NO_TRUCK_AVAILABLE)
    order = Order("supply", cmd.destination, cmd.source, cmd.item, cmd.amount)
    return _give_order(drill, truck, order)


def _nearest_idle_carrier(drill: Drill, node: int, by_air: bool) -> str | None:
    """The free supply carrier that would reach ``node`` soonest: a truck by road, or an
    aircraft when the load must fly."""
    best: tuple[float, str] | None = None
    for unit in sorted(drill.units.values(), key=lambda u: u.id):
        if Capability.SUPPLY_TRANSPORT not in unit.spec.capabilities:
            continue
        if unit.status not in (UnitStatus.AVAILABLE, UnitStatus.STAGED) or unit.id in drill.orders:
            continue
        if (unit.spec.air_kmh > 0) != by_air:
            continue
        minutes = drill.travel_minutes(unit, node)
        if minutes is not None and (best is None or minutes < best[0]):
            best = (minutes, unit.id)
    return best[1] if best else None


def _set_level(drill: Drill, cmd: c.SetResponseLevel) -> Outcome:
    if cmd.level == drill.response_level:
        return CommandResult.reject(Reason.LEVEL_UNCHANGED, level=cmd.level.value)

    def effect() -> None:
        drill.response_level = cmd.level
        drill.emit(ev.RESPONSE_LEVEL_SET, level=cmd.level.value)

    return effect


def _request(drill: Drill, cmd: c.RequestReinforcement) -> Outcome:
    spec = next(
        (r for r in drill.scenario.forces.reinforcements if r.id == cmd.reinforcement), None
    )
    if spec is None:
        return CommandResult.reject(Reason.UNKNOWN_REINFORCEMENT, reinforcement=cmd.reinforcement)
    if cmd.reinforcement in drill.reinforcements_requested:
        return CommandResult.reject(Reason.ALREADY_REQUESTED, reinforcement=cmd.reinforcement)
    if drill.response_level.rank < spec.level.rank:
        return CommandResult.reject(Reason.LEVEL_TOO_LOW, needed=spec.level.value)

    def effect() -> None:
        from sim.reinforcements import reinforcement

        drill.reinforcements_requested.add(cmd.reinforcement)
        drill.emit(
            ev.REINFORCEMENT_REQUESTED, reinforcement=cmd.reinforcement, delay_min=spec.delay_min
        )
        drill.env.process(reinforcement(drill.env, drill, spec))

    return effect


def _road(drill: Drill, cmd: c.CloseRoad | c.OpenRoad) -> Outcome:
    keys = drill.world.roads.road_edges.get(cmd.road)
    if keys is None or cmd.road.startswith("access:"):
        return CommandResult.reject(Reason.UNKNOWN_ROAD, road=cmd.road)
    closing = isinstance(cmd, c.CloseRoad)
    by_command = all("command" in drill.world.roads.edges[k].closures for k in keys)
    if closing and by_command:
        return CommandResult.reject(Reason.ROAD_ALREADY_CLOSED, road=cmd.road)
    if not closing and not any("command" in drill.world.roads.edges[k].closures for k in keys):
        return CommandResult.reject(Reason.ROAD_NOT_CLOSED_BY_COMMAND, road=cmd.road)
    return lambda: drill.set_road_closed(cmd.road, "command", closing)


def _report(drill: Drill, cmd: c.ReportUpward) -> Outcome:
    def effect() -> None:
        drill.reports += 1
        totals = drill.population.totals()
        drill.emit(
            ev.REPORT_SUBMITTED,
            to=cmd.to.value,
            number=drill.reports,
            final=cmd.final,
            dead=totals["dead"],
            injured=totals["injured"] + totals["hospitalised"],
            trapped=totals["trapped"],
            evacuated=totals["evacuated"],
            response_level=drill.response_level.value,
        )

    return effect


def _fire_inject(drill: Drill, cmd: c.FireInject) -> Outcome:
    from sim.injects import fire_inject

    if cmd.inject not in {i.id for i in drill.scenario.injects}:
        return CommandResult.reject(Reason.UNKNOWN_INJECT, inject=cmd.inject)
    if cmd.inject in drill.injects_fired:
        return CommandResult.reject(Reason.INJECT_ALREADY_FIRED, inject=cmd.inject)
    return lambda: fire_inject(drill, cmd.inject, source="instructor")


def _shift_wind(drill: Drill, cmd: c.ShiftWind) -> Outcome:
    from sim.weather import shift_wind

    return lambda: shift_wind(drill, cmd.wind_speed_m_per_s, cmd.wind_from_deg, "instructor")


def _hold_inject(drill: Drill, cmd: c.HoldInject) -> Outcome:
    if cmd.inject not in {i.id for i in drill.scenario.injects}:
        return CommandResult.reject(Reason.UNKNOWN_INJECT, inject=cmd.inject)
    if cmd.inject in drill.injects_fired:
        return CommandResult.reject(Reason.INJECT_ALREADY_FIRED, inject=cmd.inject)
    if cmd.inject in drill.injects_held:
        return CommandResult.reject(Reason.INJECT_ALREADY_HELD, inject=cmd.inject)
    return lambda: drill.injects_held.add(cmd.inject)


def _start_incident(drill: Drill, cmd: c.StartIncident) -> Outcome:
    rows, cols = drill.world.shape
    if cmd.x_m >= cols * drill.world.cell_m or cmd.y_m >= rows * drill.world.cell_m:
        return CommandResult.reject(Reason.OUTSIDE_MAP)
    return lambda: drill.create_incident(
        cmd.incident,
        (cmd.x_m, cmd.y_m),
        people=cmd.people,
        work_min=cmd.work_min,
        source="instructor",
    )


def _lose_road(drill: Drill, cmd: c.LoseRoad) -> Outcome:
    keys = drill.world.roads.road_edges.get(cmd.road)
    if keys is None or cmd.road.startswith("access:"):
        return CommandResult.reject(Reason.UNKNOWN_ROAD, road=cmd.road)
    if all("inject" in drill.world.roads.edges[k].closures for k in keys):
        return CommandResult.reject(Reason.ROAD_ALREADY_LOST, road=cmd.road)
    return lambda: drill.set_road_closed(cmd.road, "inject", True)


def _delay_reinforcement(drill: Drill, cmd: c.DelayReinforcement) -> Outcome:
    ids = {r.id for r in drill.scenario.forces.reinforcements}
    if cmd.reinforcement not in ids:
        return CommandResult.reject(Reason.UNKNOWN_REINFORCEMENT, reinforcement=cmd.reinforcement)
    arrived = any(
        e.kind == ev.REINFORCEMENT_ARRIVED and e.data.get("reinforcement") == cmd.reinforcement
        for e in drill.events
    )
    if arrived:
        return CommandResult.reject(Reason.REINFORCEMENT_ARRIVED, reinforcement=cmd.reinforcement)

    def effect() -> None:
        extra = drill.reinforcement_extra_min
        extra[cmd.reinforcement] = extra.get(cmd.reinforcement, 0.0) + cmd.extra_delay_min

    return effect


def _send_message(drill: Drill, cmd: c.SendMessage) -> Outcome:
    # The instructor writes in one language; both fields carry it (the feed picks by language).
    return lambda: drill.emit(ev.MESSAGE_RECEIVED, en=cmd.text, zh=cmd.text, sender="instructor")


def _mark_moment(drill: Drill, cmd: c.MarkMoment) -> Outcome:
    return lambda: drill.emit(ev.MOMENT_MARKED, note=cmd.note)


_HANDLERS: dict[type, Callable[[Drill, c.Command], Outcome]] = {  # type: ignore[dict-item]
    c.DispatchUnit: _dispatch,
    c.RecallUnit: _recall,
    c.IssueWarning: _warn,
    c.OrderEvacuation: _evacuate,
    c.OrderShelterInPlace: _shelter_in_place,
    c.LiftShelterInPlace: _lift_shelter_in_place,
    c.OpenShelter: _open_shelter,
    c.CloseShelter: _close_shelter,
    c.MoveSupplies: _move_supplies,
    c.SetResponseLevel: _set_level,
    c.RequestReinforcement: _request,
    c.CloseRoad: _road,
    c.OpenRoad: _road,
    c.ReportUpward: _report,
    c.FireInject: _fire_inject,
    c.ShiftWind: _shift_wind,
    c.HoldInject: _hold_inject,
    c.StartIncident: _start_incident,
    c.LoseRoad: _lose_road,
    c.DelayReinforcement: _delay_reinforcement,
    c.SendMessage: _send_message,
    c.MarkMoment: _mark_moment,
}
