"""Where a point of the map is, in words a person would use: in a zone, on a named road, at a
facility, or near the nearest of them.

The engine files every incident under a zone (the nearest one, for an incident an inject
placed without a zone), which is right for its people but wrong for its name: a crash on the
expressway is not "at Riverside campsite". The game screen (``ui.names``) and the after-action
report (``analysis.names``) both name such an incident by :meth:`Places.where`, so the trainee
at the screen and the reviewer reading the report see the same place.

The engine also files under their zone the people a hazard harms away from home (evacuees
hurt on a road, in a shelter across the creek): their incident's point can be far from that
zone, and "casualties at Hexi Community" would send a crew to the wrong bank.
:meth:`Places.placed` says which incidents are named by where they are instead, and after
whose people they hold.

Pure: scenario geometry in metres, no grid, no state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, NamedTuple

from sim.incidents import PEOPLE_KINDS
from sim.scenario.schema import Scenario
from sim.world.geometry import Point, point_in_polygon, point_to_polyline_m

ON_CELLS = 2  # a point this many map cells from a road's line or a facility is on / at it

PlaceKind = Literal["zone", "road", "facility"]

_PEOPLE_KINDS = frozenset(k.value for k in PEOPLE_KINDS)


class Place(NamedTuple):
    """The named thing a point is in, on, at or near."""

    kind: PlaceKind
    ident: str  # the zone's, road's or facility's id ("" if the map names nothing)
    close: bool  # inside the zone, or within ON_CELLS cells of the road or facility

    @property
    def relation(self) -> Literal["at", "on", "near"]:
        """How a name says it: "at" a zone it is inside or a facility it is close to, "on" a
        road it is close to, "near" anything farther (a zone's edge is always "near")."""
        if not self.close:
            return "near"
        return "on" if self.kind == "road" else "at"


class Placed(NamedTuple):
    """Where to name an incident by instead of its zone, and whose people it holds."""

    place: Place
    people_of: str  # the zone whose people they are, "" when that is not worth saying


class Places:
    """The named places of a scenario's map: zones (their areas), named roads, facilities."""

    def __init__(self, scenario: Scenario) -> None:
        self.on_m = ON_CELLS * float(scenario.map.cell_m)
        self.zones = [(z.id, [_point(p) for p in z.polygon]) for z in scenario.zones]
        self._polygons = dict(self.zones)
        self.roads = [(r.id, [_point(p) for p in r.points]) for r in scenario.roads if r.name]
        self.facilities = [(f.id, _point(f.at)) for f in scenario.facilities]

    def where(self, point: Point) -> Place:
        """The zone whose area holds ``point``; else the nearest named road, facility or zone
        edge, ``close`` if it is a road or facility within :data:`ON_CELLS` cells (first
        listed wins a tie: zones, then roads, then facilities, each in scenario order)."""
        for ident, polygon in self.zones:
            if point_in_polygon(point, polygon):
                return Place("zone", ident, True)
        found: list[tuple[PlaceKind, str, float]] = [
            ("zone", i, point_to_polyline_m(point, [*poly, poly[0]])) for i, poly in self.zones
        ]
        found += [("road", i, point_to_polyline_m(point, line)) for i, line in self.roads]
        found += [("facility", i, math.dist(point, at)) for i, at in self.facilities]
        if not found:
            return Place("zone", "", False)
        kind, ident, metres = min(found, key=lambda f: f[2])
        return Place(kind, ident, kind != "zone" and metres <= self.on_m)

    def placed(
        self, point: Point, zone_id: str, kind: str, *, injected_without_zone: bool = False
    ) -> Placed | None:
        """How an incident of ``kind`` at ``point``, filed under zone ``zone_id``, is named if
        not after that zone: None (named after its zone, as always) when the point is inside
        the zone's area or within :data:`ON_CELLS` cells of its edge, or the zone is unknown;
        else by :meth:`where` it is. One an inject placed without a zone is always named by
        where it is, and not after the zone the engine chose for it. People hurt or trapped
        away from their zone (evacuees on a road or in a shelter) also keep their zone, as
        whose people they are, unless the place named is that zone itself."""
        if injected_without_zone:
            return Placed(self.where(point), "")
        polygon = self._polygons.get(zone_id)
        if polygon is None or point_in_polygon(point, polygon):
            return None
        if point_to_polyline_m(point, [*polygon, polygon[0]]) <= self.on_m:
            return None
        place = self.where(point)
        own = place.kind == "zone" and place.ident == zone_id
        return Placed(place, zone_id if kind in _PEOPLE_KINDS and not own else "")


def injected_without_zone(scenario: Scenario) -> dict[str, Point]:
    """The incidents the scenario's injects create without naming a zone: id -> where, to
    the millimetre as the engine's ``IncidentCreated`` event logs it."""
    return {
        str(action.id): (round(float(action.at[0]), 3), round(float(action.at[1]), 3))
        for inject in scenario.injects
        for action in inject.actions
        if action.type == "incident" and not getattr(action, "zone", None)
    }


def _point(p: Sequence[float]) -> Point:
    return (float(p[0]), float(p[1]))
