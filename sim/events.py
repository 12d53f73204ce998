"""Events: everything that happens in a drill, each with its sim time.

An event is a past-tense kind (``UnitArrived``) and a flat mapping of plain
JSON values. The drill log is the sequence of events, so whatever a score,
a plot or a replay needs must be in an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Event kinds (past tense). Kept as plain strings so a log stays readable.
COMMAND_ISSUED = "CommandIssued"
DRILL_STARTED = "DrillStarted"
DRILL_ENDED = "DrillEnded"
DRILL_ABORTED = "DrillAborted"
STATE_SAMPLED = "StateSampled"
UNIT_DISPATCHED = "UnitDispatched"
UNIT_ARRIVED = "UnitArrived"
UNIT_REROUTED = "UnitRerouted"
UNIT_STRANDED = "UnitStranded"
UNIT_RETURNED = "UnitReturned"
UNIT_RESTING = "UnitResting"
UNIT_AVAILABLE = "UnitAvailable"
REINFORCEMENT_REQUESTED = "ReinforcementRequested"
REINFORCEMENT_ARRIVED = "ReinforcementArrived"
WARNING_ISSUED = "WarningIssued"
WARNING_DELIVERED = "WarningDelivered"
EVACUATION_ORDERED = "EvacuationOrdered"
EVACUATION_BLOCKED = "EvacuationBlocked"
SHELTER_IN_PLACE_ORDERED = "ShelterInPlaceOrdered"
SHELTER_IN_PLACE_LIFTED = "ShelterInPlaceLifted"  # all clear: people sheltering come out
SHELTER_OPENED = "ShelterOpened"
SHELTER_CLOSED = "ShelterClosed"
SHELTER_FULL = "ShelterFull"
PEOPLE_ARRIVED = "PeopleArrived"
PEOPLE_REDIRECTED = "PeopleRedirected"
PEOPLE_HARMED = "PeopleHarmed"
PEOPLE_RESCUED = "PeopleRescued"
PEOPLE_HOSPITALISED = "PeopleHospitalised"
SUPPLIES_LOADED = "SuppliesLoaded"
SUPPLIES_DELIVERED = "SuppliesDelivered"
SUPPLIES_RAN_OUT = "SuppliesRanOut"
INCIDENT_CREATED = "IncidentCreated"
INCIDENT_RESOLVED = "IncidentResolved"
INCIDENT_ACCESS = "IncidentAccess"  # an open incident cut off from, or rejoined to, the roads
ZONE_ACCESS = "ZoneAccess"  # a zone cut off from, or rejoined to, the teams' bases by road
ROAD_CLOSED = "RoadClosed"
ROAD_OPENED = "RoadOpened"
RESPONSE_LEVEL_SET = "ResponseLevelSet"
REPORT_SUBMITTED = "ReportSubmitted"
HAZARD_FOOTPRINT = "HazardFootprint"
INJECT_FIRED = "InjectFired"
MESSAGE_RECEIVED = "MessageReceived"
MOMENT_MARKED = "MomentMarked"  # the instructor's note on a moment, for the after-action review
WEATHER_CHANGED = "WeatherChanged"
HAZARD_STARTED = "HazardStarted"
HAZARD_MILESTONE = "HazardMilestone"
LEVEE_BREACHED = "LeveeBreached"
FACILITY_LOST = "FacilityLost"


@dataclass(frozen=True)
class Event:
    """One happening: its sim time (minutes from the drill's start), kind and data."""

    t_min: float
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The JSON object written to the drill log."""
        return {"t": self.t_min, "event": self.kind, **self.data}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Event:
        data = {k: v for k, v in record.items() if k not in ("t", "event")}
        return cls(float(record["t"]), str(record["event"]), data)
