"""Where a point of the map is, in words a person would use: in a zone, on a named road, at a
facility, or near the nearest of them.

The engine files every incident under a zone (the nearest one, for an incident an inject
placed without a zone), which is right for its people but wrong for its name: a crash on the
expressway is not "at Riverside campsite". The game screen (``ui.names``) and the after-action
report (``analysis.names``) both name such an incident by :meth:`Places.where`, so the trainee
at the screen and the reviewer reading the report see the same place.

Pure: scenario geometry in metres, no grid, no state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, NamedTuple

from sim.scenario.schema import Scenario
from sim.world.geometry import Point, point_in_polygon, point_to_polyline_m

ON_CELLS = 2  # a point this many map cells from a road's line or a facility is on / at it

PlaceKind = Literal["zone", "road", "facility"]


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


class Places:
    """The named places of a scenario's map: zones (their areas), named roads, facilities."""

    def __init__(self, scenario: Scenario) -> None:
        self.on_m = ON_CELLS * float(scenario.map.cell_m)
        self.zones = [(z.id, [_point(p) for p in z.polygon]) for z in scenario.zones]
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
