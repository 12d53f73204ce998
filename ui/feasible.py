"""What the trainee may order now, read from the snapshot before any click.

Each check mirrors the engine's own refusal (sim/orders.py) and returns the
:class:`sim.Reason` value the engine would answer, or None when the order
would be accepted. The screen uses them to dim a control and say why on it,
or to leave an impossible order out, so a refusal is the rare case that the
snapshot could not foresee (something changed in between), not the way a
trainee finds out. Nothing here changes the drill.
"""

from __future__ import annotations

from sim import FacilityView, IncidentView, Reason, Snapshot, UnitView, ZoneView

ZONE_WORK = frozenset({"door_to_door", "traffic_control"})
FREE = ("available", "staged")
LEVELS = ("none", "IV", "III", "II", "I")
MOVABLE = ("unaware", "warned", "sheltering")


def incident(snap: Snapshot, incident_id: str) -> IncidentView | None:
    return next((i for i in snap.incidents if i.id == incident_id), None)


def facility(snap: Snapshot, facility_id: str) -> FacilityView | None:
    return next((f for f in snap.facilities if f.id == facility_id), None)


def target_node(snap: Snapshot, target_id: str) -> int | None:
    """The road node of an incident, zone or facility id (None if unknown)."""
    for things in (snap.incidents, snap.zones, snap.facilities):
        for thing in things:
            if thing.id == target_id:
                return thing.node
    return None


def can_serve(unit: UnitView, needs: tuple[str, ...] | frozenset[str]) -> bool:
    return bool(set(unit.capabilities) & set(needs))


def dispatch(snap: Snapshot, unit: UnitView, target_id: str) -> str | None:
    """Why sending ``unit`` to an incident, zone or facility would be refused, or None."""
    if unit.status == "resting":
        return Reason.CREW_RESTING.value
    found = incident(snap, target_id)
    if found is not None:
        if not found.is_open:
            return Reason.INCIDENT_RESOLVED.value
        if not can_serve(unit, found.needs):
            return Reason.NOT_CAPABLE.value
    elif any(z.id == target_id for z in snap.zones):
        if not can_serve(unit, ZONE_WORK):
            return Reason.NOT_CAPABLE.value
    elif facility(snap, target_id) is None:
        return Reason.UNKNOWN_TARGET.value
    node = target_node(snap, target_id)
    if node is None or not snap.can_reach(unit, node):
        return Reason.NO_ROUTE.value
    return None


def recall(snap: Snapshot, unit: UnitView) -> str | None:
    if unit.status == "resting":
        return Reason.CREW_RESTING.value
    base = facility(snap, unit.base)
    if unit.status == "available" and base is not None and unit.node == base.node:
        return Reason.ALREADY_AT_BASE.value
    return None


def warn(zone: ZoneView, channel: str) -> str | None:
    if channel == "door_to_door" and not zone.teams:
        return Reason.NO_TEAM_IN_ZONE.value
    return None


def movable(zone: ZoneView) -> int:
    """People an evacuation order would move (those not yet gone, hurt or dead)."""
    return sum(zone.people.get(state, 0) for state in MOVABLE)


def unwarned(zone: ZoneView) -> bool:
    """Doctrine (sim.orders): an order reaches people through a warning or a team."""
    return zone.warning is None and not zone.teams


def evacuate(snap: Snapshot, zone: ZoneView, shelter: FacilityView) -> str | None:
    if shelter.type != "shelter":
        return Reason.NOT_A_SHELTER.value
    if not shelter.is_open:
        return Reason.SHELTER_CLOSED.value
    if not snap.joined(zone.node, shelter.node):
        return Reason.NO_ROUTE.value
    if movable(zone) == 0:
        return Reason.NOBODY_TO_MOVE.value
    if unwarned(zone):
        return Reason.NOT_WARNED.value
    return None


def shelter_in_place(zone: ZoneView) -> str | None:
    return Reason.NOT_WARNED.value if unwarned(zone) else None


def all_clear(zone: ZoneView) -> str | None:
    if zone.sheltering_in_place or zone.people.get("sheltering", 0) > 0:
        return None
    return Reason.NOT_SHELTERING.value


def response_level(snap: Snapshot, level: str) -> str | None:
    return Reason.LEVEL_UNCHANGED.value if snap.response_level == level else None


def reinforcement(snap: Snapshot, spec_id: str, level: str) -> str | None:
    if spec_id in snap.reinforcements_requested:
        return Reason.ALREADY_REQUESTED.value
    if LEVELS.index(snap.response_level) < LEVELS.index(level):
        return Reason.LEVEL_TOO_LOW.value
    return None


def road_closures(snap: Snapshot, road_id: str) -> list[tuple[str, ...]]:
    """The closure reasons of each stretch of ``road_id``."""
    return [
        tuple(snap.closed_edges.get((a, b), ()))
        for a, b, road, _ in snap.map.edges
        if road == road_id
    ]


def close_road(snap: Snapshot, road_id: str) -> str | None:
    stretches = road_closures(snap, road_id)
    if stretches and all("command" in reasons for reasons in stretches):
        return Reason.ROAD_ALREADY_CLOSED.value
    return None


def open_road(snap: Snapshot, road_id: str) -> str | None:
    if not any("command" in reasons for reasons in road_closures(snap, road_id)):
        return Reason.ROAD_NOT_CLOSED_BY_COMMAND.value
    return None


def open_shelter(shelter: FacilityView) -> str | None:
    return Reason.SHELTER_ALREADY_OPEN.value if shelter.is_open else None


def close_shelter(shelter: FacilityView) -> str | None:
    return None if shelter.is_open else Reason.SHELTER_CLOSED.value


def supplies(
    snap: Snapshot, source: FacilityView, destination: FacilityView, item: str
) -> str | None:
    """Why moving ``item`` from ``source`` to ``destination`` would be refused, or None."""
    for place in (source, destination):
        if place.type not in ("depot", "shelter"):
            return Reason.NOT_A_DEPOT_OR_SHELTER.value
    if source.id == destination.id:
        return Reason.SAME_PLACE.value
    if source.stocks.get(item, 0.0) <= 0:
        return Reason.INSUFFICIENT_STOCK.value
    by_road = snap.joined(source.node, destination.node)
    carriers = [
        u
        for u in snap.units
        if "supply_transport" in u.capabilities
        and u.status in FREE
        and (u.way == "air") != by_road
        and snap.can_reach(u, source.node)
    ]
    if carriers:
        return None
    return Reason.NO_TRUCK_AVAILABLE.value if by_road else Reason.NO_ROUTE.value

