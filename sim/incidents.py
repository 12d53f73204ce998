"""Incidents: discrete needs that capable units resolve.

An incident is either *people* (trapped people to free, casualties to carry;
the people belong to the incident and are counted in their zone's TRAPPED or
INJURED state) or *work* (a building fire, a leak, a damaged levee: crew-
minutes of effort). Injects create incidents now; hazards create them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.scenario.schema import IncidentKind
from sim.units import INCIDENT_NEEDS, Capability

PEOPLE_KINDS = (IncidentKind.TRAPPED, IncidentKind.CASUALTIES)
# Kinds whose incident holds people of its own (a burning house: those inside walk free when
# the fire is out). The people scripted with any other kind (a leak, a damaged levee, a
# wildfire) are trapped beside it and get a trapped incident of their own, which boats and USAR
# work like any other; else they would be trapped with no incident owning them.
HOLDS_PEOPLE = (*PEOPLE_KINDS, IncidentKind.BUILDING_FIRE)

# Chance per hour that a person waiting in an incident dies. Engineering
# assumptions, set so that waiting costs lives at the pace responders expect:
# untreated serious injury (golden-hour reasoning: Lerner & Moscati 2001
# review a time-to-care effect without a fixed rate), people trapped in a
# burning building (tenability is lost within tens of minutes: SFPE Handbook,
# ch. on tenability), people trapped by water (hypothermia, collapse).
DEATH_RATE_PER_H: dict[IncidentKind, float] = {
    IncidentKind.CASUALTIES: 0.02,
    IncidentKind.BUILDING_FIRE: 0.30,
    IncidentKind.TRAPPED: 0.01,
}


@dataclass
class Incident:
    """One need on the map (mutable: the engine's own record)."""

    id: str
    kind: IncidentKind
    xy: tuple[float, float]
    node: int
    zone: int
    created_min: float
    people: int = 0  # still trapped or injured here
    work_min: float = 0.0  # crew-minutes still needed
    first_unit_min: float | None = None
    resolved_min: float | None = None
    source: str = ""  # inject id or hazard id that made it
    units: set[str] = field(default_factory=set)  # units assigned now
    rescue_carry: float = 0.0  # fractional rescues carried between work chunks
    managed: bool = False  # a hazard decides when it is over (a fire front, a leak cloud)

    @property
    def needs(self) -> frozenset[Capability]:
        return INCIDENT_NEEDS[self.kind]

    @property
    def is_open(self) -> bool:
        return self.resolved_min is None

    @property
    def is_people(self) -> bool:
        return self.kind in PEOPLE_KINDS

    def done(self) -> bool:
        if self.managed:
            return False
        if self.is_people:
            return self.people <= 0
        return self.work_min <= 0 and self.people <= 0
