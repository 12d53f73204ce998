"""Display names for the ids of a scenario, in the trainee's language."""

from __future__ import annotations

from collections.abc import Iterable

from sim import IncidentView, LoadedScenario
from ui.i18n import Translator


class Names:
    """Turns unit, zone, facility, road, incident and reinforcement ids into readable names."""

    def __init__(self, loaded: LoadedScenario, t: Translator) -> None:
        scenario = loaded.scenario
        self.t = t
        self._zones = {z.id: (z.name.en, z.name.zh) for z in scenario.zones}
        self._facilities = {f.id: (f.name.en, f.name.zh) for f in scenario.facilities}
        self._roads = {r.id: (r.name.en, r.name.zh) for r in scenario.roads if r.name}
        self._reinforcements = {
            r.id: (r.count, r.type.value) for r in scenario.forces.reinforcements
        }
        self._incidents: dict[str, tuple[str, str]] = {}  # id -> (kind, zone id), as they appear

    def note_incidents(self, incidents: Iterable[IncidentView]) -> None:
        """Learn the incidents of a snapshot, so their ids read as "hazmat leak (Plant staff)"."""
        for incident in incidents:
            self._incidents.setdefault(incident.id, (incident.kind, incident.zone))

    @property
    def incidents_known(self) -> int:
        return len(self._incidents)

    def incident(self, incident_id: str) -> str:
        kind, zone = self._incidents[incident_id]
        return self.t(
            "thing.incident", kind=self.t.enum("incident_kind", kind), zone=self.zone(zone)
        )

    def reinforcement(self, spec_id: str | None) -> str:
        """``city-ambulances`` → "4× ambulance"."""
        if spec_id not in self._reinforcements:
            return str(spec_id)
        count, kind = self._reinforcements[spec_id]
        return self.t("thing.reinforcement", count=count, type=self.t.enum("unit_type", kind))

    def unit(self, unit_id: str) -> str:
        """``fire_engine-2`` → "fire engine 2" / "消防车2"."""
        kind, _, number = unit_id.rpartition("-")
        if not kind:
            return unit_id
        sep = "" if self.t.is_chinese else " "
        return f"{self.t.enum('unit_type', kind)}{sep}{number}"

    def zone(self, zone_id: str | None) -> str:
        if zone_id in self._zones:
            return self.t.pick(*self._zones[zone_id])
        return str(zone_id)

    def facility(self, facility_id: str | None) -> str:
        if facility_id in self._facilities:
            return self.t.pick(*self._facilities[facility_id])
        return str(facility_id)

    def road(self, road_id: str | None) -> str:
        if road_id in self._roads:
            return self.t.pick(*self._roads[road_id])
        return str(road_id)

    def place(self, place_id: str | None) -> str:
        """A zone, facility or incident id, whichever it is."""
        if place_id in self._zones:
            return self.zone(place_id)
        if place_id in self._facilities:
            return self.facility(place_id)
        if place_id in self._incidents:
            return self.incident(place_id)
        return str(place_id)
