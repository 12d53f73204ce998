"""Display names for the ids of a scenario, in the trainee's language.

Nothing a person reads should show an id: every unit, zone, facility, road,
incident, reinforcement, hazard and levee has a name here. Things the
scenario names (zones, facilities, most roads) use its two texts; the rest
are named from what they are and where: an incident from its kind and zone
("casualties (Park staff)", "人员伤亡（园区职工）"), a unit from its type and
number ("救护车1"), an unnamed road or a levee from the nearest named place.

An incident an inject places without a zone is named by where it is, exactly as
the after-action report names it (both ask :class:`sim.world.places.Places`):
"casualties on G55 Expressway" / "G55高速人员伤亡", "casualties near East
Village" / "东村附近人员伤亡", "… at <zone or facility>", never after the zone
the engine files it under (a crash on the expressway is not at the campsite).
So is any incident whose point lies outside its zone (:meth:`Places.placed`):
evacuees hurt on a road are "casualties on Ring Road (from Hexi Community)" /
"环城路人员伤亡（河西社区）", not "casualties (Hexi Community)" across the creek.
An id this scenario does not know reads as a generic word ("incident",
"road"), never as itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sim import Event, IncidentView, LoadedScenario
from sim.world.places import Place, Placed, Places, injected_without_zone
from ui.hazard_names import HazardNames
from ui.i18n import Translator

Point = tuple[float, float]


def _middle(points: Sequence[Sequence[float]]) -> Point:
    """The point halfway along a polyline's vertices (its middle vertex, or between two)."""
    middle = points[len(points) // 2]
    if len(points) % 2 == 0:
        before = points[len(points) // 2 - 1]
        return ((before[0] + middle[0]) / 2, (before[1] + middle[1]) / 2)
    return (float(middle[0]), float(middle[1]))


def _centre(polygon: Sequence[Sequence[float]]) -> Point:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return (sum(xs) / len(xs), sum(ys) / len(ys))


class Names:
    """Turns the ids of one scenario into readable names in the translator's language."""

    def __init__(self, loaded: LoadedScenario, t: Translator) -> None:
        scenario = loaded.scenario
        self.t = t
        self._zones = {z.id: (z.name.en, z.name.zh) for z in scenario.zones}
        self._facilities = {f.id: (f.name.en, f.name.zh) for f in scenario.facilities}
        self._roads = {r.id: (r.name.en, r.name.zh) for r in scenario.roads if r.name}
        self._reinforcements = {
            r.id: (r.count, r.type.value) for r in scenario.forces.reinforcements
        }
        self._hazards = {h.id: h.kind for h in scenario.hazards}
        self.hazards = HazardNames(loaded, t)  # a fire's front by what the drill says it is
        self._sources: dict[str, str] = {}  # incident id -> the hazard that opened it
        # Where named places are, to name the unnamed things (roads, levees) after the nearest.
        self._landmarks: list[tuple[Point, tuple[str, str]]] = [
            (_centre(z.polygon), (z.name.en, z.name.zh)) for z in scenario.zones
        ] + [((f.at[0], f.at[1]), (f.name.en, f.name.zh)) for f in scenario.facilities]
        self._unnamed_roads = {
            r.id: self._nearest(_middle(r.points)) for r in scenario.roads if not r.name
        }
        self._levees = {
            lv.id: self._nearest(_middle(lv.points))
            for h in scenario.hazards
            for lv in getattr(h, "levees", [])
        }
        self._injects = {i.id for i in scenario.injects}
        self._places = Places(scenario)
        self._where = injected_without_zone(scenario)  # id -> the point an inject puts it at
        self._incidents: dict[str, tuple[str, str]] = {}  # id -> (kind, zone id), as they appear
        self._points: dict[str, Point] = {}  # id -> where it is, once known
        self._ordinal: dict[str, int] = {}  # id -> its number among incidents of a kind and zone
        for inject in scenario.injects:  # known before they happen: orders may name them
            for action in inject.actions:
                if action.type == "incident":
                    at = (float(action.at[0]), float(action.at[1]))
                    self._learn(action.id, action.incident.value, action.zone or "", at)

    def _nearest(self, point: Point) -> tuple[str, str] | None:
        if not self._landmarks:
            return None
        return min(self._landmarks, key=lambda mark: math.dist(mark[0], point))[1]

    def _learn(self, incident_id: str, kind: str, zone: str, point: Point | None = None) -> None:
        if point is not None:
            self._points.setdefault(incident_id, point)
        known = self._incidents.get(incident_id)
        if known is not None and (known[1] or incident_id in self._where):
            return  # a zone-less inject keeps no zone: it is named by where it is
        same = sum(
            1
            for i, (k, z) in self._incidents.items()
            if (k, z) == (kind, zone) and i != incident_id and self._placement(i) is None
        )
        self._ordinal[incident_id] = same + 1
        self._incidents[incident_id] = (kind, zone)

    def note_incidents(self, incidents: Iterable[IncidentView]) -> None:
        """Learn the incidents of a snapshot, so their ids read as "hazmat leak (Plant staff)"."""
        for incident in incidents:
            self._learn(incident.id, incident.kind, incident.zone, (incident.x, incident.y))

    def note_event(self, event: Event) -> None:
        """Learn an incident from its ``IncidentCreated`` event (the feed reads them in order)."""
        if event.kind == "IncidentCreated":
            data = event.data
            point = (float(data["x"]), float(data["y"])) if "x" in data and "y" in data else None
            zone = str(data.get("zone", ""))
            if data.get("source"):
                self._sources[str(data.get("incident"))] = str(data["source"])
            self._learn(str(data.get("incident")), str(data.get("kind")), zone, point)

    @property
    def incidents_known(self) -> int:
        return len(self._incidents)

    def incident(self, incident_id: str | None) -> str:
        """``casualties-park-staff-1`` → "casualties (Park staff)" / "人员伤亡（园区职工）"."""
        if incident_id not in self._incidents:
            return self.t("thing.incident_unknown")
        kind, zone = self._incidents[incident_id]
        what = self.incident_kind(incident_id, kind)
        placed = self._placement(incident_id)
        if placed is not None:
            return self._placed(what, placed)
        if zone not in self._zones:
            return what
        number = self._ordinal.get(incident_id, 1)
        if number > 1:
            return self.t("thing.incident_nth", kind=what, zone=self.zone(zone), n=number)
        return self.t("thing.incident", kind=what, zone=self.zone(zone))

    def incident_kind(self, incident_id: str | None, kind: str) -> str:
        """An incident's kind in words; a fire's front by its fire (ui.hazard_names): "fire
        front" at a warehouse, "wildfire front" in the hills, the drill's name for it if any."""
        if kind == "wildfire":
            return self.hazards.front(self._sources.get(str(incident_id)))
        return self.t.enum("incident_kind", kind)

    def where(self, incident_id: str | None) -> str | None:
        """Where an incident named by where it is (placed by an inject without a zone, or
        outside its zone) is: "on G55 Expressway" / "G55高速", "near East Village" / "东村附近";
        None for any other incident (it is in its zone, :meth:`zone`)."""
        placed = self._placement(incident_id)
        if placed is None or not placed.place.ident:
            return None
        place = placed.place
        return self.t(f"names.where_{place.relation}", place=self._place_name(place))

    def _placement(self, incident_id: str | None) -> Placed | None:
        """How :class:`Places` places an incident, None if it is named after its zone."""
        if incident_id in self._where:
            return self._places.placed(self._where[incident_id], "", "", injected_without_zone=True)
        point = self._points.get(str(incident_id))
        if point is None or incident_id not in self._incidents:
            return None
        kind, zone = self._incidents[str(incident_id)]
        return self._places.placed(point, zone, kind)

    def _placed(self, what: str, placed: Placed) -> str:
        """An incident's kind ``what`` and the place it is in, on, at or near, in the
        report's words ("casualties on G55 Expressway" / "G55高速人员伤亡"), and whose people
        they are if they are away from their zone ("… (from Hexi Community)")."""
        place = placed.place
        if not place.ident:
            return what
        name = self.t(f"names.incident_{place.relation}", kind=what, place=self._place_name(place))
        if placed.people_of:
            return self.t("names.incident_from", name=name, zone=self.zone(placed.people_of))
        return name

    def _place_name(self, place: Place) -> str:
        if place.kind == "road":
            return self.road(place.ident)
        if place.kind == "facility":
            return self.facility(place.ident)
        return self.zone(place.ident)

    def reinforcement(self, spec_id: str | None) -> str:
        """``city-ambulances`` → "4× ambulance"."""
        if spec_id not in self._reinforcements:
            return self.t("thing.reinforcement_unknown")
        count, kind = self._reinforcements[spec_id]
        return self.t("thing.reinforcement", count=count, type=self.t.enum("unit_type", kind))

    def unit(self, unit_id: str | None) -> str:
        """``fire_engine-2`` → "fire engine 2" / "消防车2"."""
        kind, _, number = str(unit_id).rpartition("-")
        if not kind or not self.t.has(f"unit_type.{kind}"):
            return self.t("thing.unit_unknown")
        sep = "" if self.t.is_chinese else " "
        return f"{self.t.enum('unit_type', kind)}{sep}{number}"

    def zone(self, zone_id: str | None) -> str:
        if zone_id in self._zones:
            return self.t.pick(*self._zones[zone_id])
        return self.t("thing.zone_unknown")

    def facility(self, facility_id: str | None) -> str:
        if facility_id in self._facilities:
            return self.t.pick(*self._facilities[facility_id])
        return self.t("thing.facility_unknown")

    def road(self, road_id: str | None) -> str:
        """A road's name; an unnamed one is "the road by <nearest place>"."""
        if road_id in self._roads:
            return self.t.pick(*self._roads[road_id])
        near = self._unnamed_roads.get(str(road_id))
        if near is not None:
            return self.t("thing.road_near", place=self.t.pick(*near))
        return self.t("thing.road_unknown")

    def levee(self, levee_id: str | None) -> str:
        """``town-levee`` → "the levee by Riverside Town" / "滨江镇堤防"."""
        near = self._levees.get(str(levee_id))
        if near is not None:
            return self.t("thing.levee_near", place=self.t.pick(*near))
        return self.t("thing.levee_unknown")

    def hazard_told_apart(self, hazard_id: str | None) -> bool:
        """Whether :meth:`hazard` names this hazard apart from its kind (one of several of
        its kind, or one the drill names)."""
        kind = self._hazards.get(str(hazard_id))
        return bool(kind) and (
            self.hazards.several(kind) or self.hazards.facts[str(hazard_id)].given is not None
        )

    def hazard(self, hazard_id: str | None) -> str:
        """A hazard by its kind: ``qing-river`` → "flood" / "洪水"; one of several of its kind
        (or one the drill names) as the legend and the report name it ("fire front 2")."""
        kind = self._hazards.get(str(hazard_id))
        if self.hazard_told_apart(hazard_id):
            return self.hazards.title(str(hazard_id), with_place=False)
        return self.t.enum("hazard", kind) if kind else self.t("thing.hazard_unknown")

    def cause(self, cause: str | None) -> str:
        """Why something was lost or breached: a hazard, an inject, an incident or a code."""
        if cause in self._hazards:
            return self.hazard(cause)
        if cause in self._incidents:
            return self.incident(cause)
        if cause in self._injects:
            return self.t("cause.inject")
        key = f"cause.{cause}"
        return self.t(key) if self.t.has(key) else self.t("cause.unknown")

    def place(self, place_id: str | None) -> str:
        """A zone, facility or incident id, whichever it is (also a task, "incident:<id>")."""
        if place_id and ":" in place_id and place_id not in self._incidents:
            kind, _, target = place_id.partition(":")
            key = f"task.{kind}"
            if target and self.t.has(key):
                return self.t(key, target=self.place(target))
            return self.place(target or None)
        if place_id == "base":
            return self.t("task.base")
        if place_id in self._zones:
            return self.zone(place_id)
        if place_id in self._facilities:
            return self.facility(place_id)
        if place_id in self._incidents:
            return self.incident(place_id)
        return self.t("thing.place_unknown")
