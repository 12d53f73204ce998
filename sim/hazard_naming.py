"""How a drill's hazards are told apart by name: the one rule the game screen
(``ui.hazard_names``) and the after-action report (``analysis.names``) both follow, so a
trainee who saw "fire front 2 (Yunxi Logistics Park)" / "火线2（云溪物流园）" on the screen
finds "fire 2 (Yunxi Logistics Park)" / "火灾2（云溪物流园）" in the report.

The rule, for each hazard of a drill:

1. A hazard the drill names (its ``name`` with ``en`` and ``zh``) is called by that name.
2. Otherwise, the only hazard of its kind is called by its kind ("flood" / "洪水"; the screen
   says a fire's front: "fire front" / "火线").
3. Otherwise (another hazard of its kind exists) it is its kind, **numbered** in the drill's
   order among the unnamed hazards of its kind when there are two or more of them, and
   followed by **the place it starts** when the map names one: a fire's first ignition, a
   flood's first inflow point (:meth:`sim.world.places.Places.where`: the zone around it, else
   the nearest named road, facility or zone edge), a gas leak's source facility.

The number and the place are the identifying part and are the same on both sides; only the
kind word differs (the report's "fire" / "火灾" is the screen's "fire front" / "火线"). The
number is there whenever two unnamed hazards share a kind, even when their places differ,
because the screen has room only for the number where it names a fire on the map or as the
kind of the incident its front opens ("fire front 2 at Yunxi old town").

This module returns only the parts (number, place ids); each side words them with its own
translation tables. Pure: scenario geometry, no grid, no state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.schema import FireHazard, FloodHazard, GasHazard, Scenario
from sim.world.geometry import Point
from sim.world.places import Place, Places

Hazard = FireHazard | FloodHazard | GasHazard


@dataclass(frozen=True)
class HazardIdentity:
    """What tells one hazard apart from the drill's others (see the module docstring)."""

    id: str
    kind: str
    given: tuple[str, str] | None  # the drill's own name for it (en, zh), if any
    number: int  # its number among the unnamed hazards of its kind (1, 2, …); 0 if not needed
    place: Place | None  # where it starts, when it must be told from another of its kind
    origin: Point | None  # where it starts (m): first ignition or inflow point, gas source


def hazard_origin(hazard: Hazard, scenario: Scenario) -> Point | None:
    """Where a hazard starts: a fire's first ignition, a flood's first inflow point, a gas
    leak's source facility; None if the drill does not say (a fire with no ignition)."""
    if isinstance(hazard, GasHazard):
        at = next((f.at for f in scenario.facilities if f.id == hazard.source), None)
    elif isinstance(hazard, FireHazard):
        at = hazard.ignitions[0].at if hazard.ignitions else None
    else:
        at = hazard.inflow_at[0] if hazard.inflow_at else None
    return (float(at[0]), float(at[1])) if at is not None else None


def hazard_place(hazard: Hazard, scenario: Scenario, places: Places) -> Place | None:
    """The named place a hazard starts at (a gas leak: its source facility); None if the
    map names nothing there."""
    if isinstance(hazard, GasHazard) and any(f.id == hazard.source for f in scenario.facilities):
        return Place("facility", hazard.source, True)
    origin = hazard_origin(hazard, scenario)
    if origin is None:
        return None
    place = places.where(origin)
    return place if place.ident else None


def hazard_identities(
    scenario: Scenario, places: Places | None = None
) -> dict[str, HazardIdentity]:
    """Every hazard of the drill by id, in the drill's order, with what names it apart."""
    places = places or Places(scenario)
    kinds = [str(h.kind) for h in scenario.hazards]
    unnamed = [str(h.kind) for h in scenario.hazards if h.name is None]
    counted: dict[str, int] = {}
    identities: dict[str, HazardIdentity] = {}
    for hazard in scenario.hazards:
        kind = str(hazard.kind)
        origin = hazard_origin(hazard, scenario)
        if hazard.name is not None:
            given = (hazard.name.en, hazard.name.zh)
            identities[hazard.id] = HazardIdentity(hazard.id, kind, given, 0, None, origin)
            continue
        counted[kind] = counted.get(kind, 0) + 1
        number = counted[kind] if unnamed.count(kind) > 1 else 0
        place = hazard_place(hazard, scenario, places) if kinds.count(kind) > 1 else None
        identities[hazard.id] = HazardIdentity(hazard.id, kind, None, number, place, origin)
    return identities
