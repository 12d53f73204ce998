"""Readable names for a drill's ids in the report's language: zones, facilities, units,
incidents, reinforcements, roads, hazards, warning channels and response levels.

The after-action report, its plots and the debrief's "decisions that cost most"
never show an id: every object is named from the scenario (zones and facilities
carry a bilingual name) or from the analysis locale tables (unit types,
incident kinds, channels). An id the scenario does not know is shown as it is,
so a name is never lost, only left plain.

An incident is named after its zone ("casualties at Riverside campsite"),
except one an inject put on the map without a zone (the engine files it under
the nearest zone): it is named by where it is (:class:`sim.world.places.Places`,
which the game screen's names use too). Inside a zone's area, after that zone;
otherwise after the nearest named road, facility or zone edge: "casualties on
G55 Expressway" (a road within two map cells of the point), "… at People's
Hospital" (a facility that close), "… near …" (farther). So is any incident whose
point lies outside its zone's area (evacuees hurt on a road or in a shelter across
the creek), with whose people they are: "casualties on Ring Road (from Hexi
Community)" / "环城路人员伤亡（河西社区）" (:meth:`Places.placed`).

Hazards are told apart as the game screen tells them apart (sim.hazard_naming): two
fires are "fire 1 (Yunxi Logistics Park)" and "fire 2 (…)" here and "fire front 1 (…)"
and "fire front 2 (…)" on the screen, and the incidents their fronts open are "fire
front 2 at Yunxi old town" / "云溪老街火线2" in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from analysis.drilldata import DrillData
from sim.hazard_naming import hazard_identities
from sim.world.places import Place, Placed, Places, injected_without_zone

Tr = Callable[..., str]


class Names:
    """Turns ids of one drill into names, with the analysis translator ``tr``."""

    def __init__(self, drill: DrillData, tr: Tr) -> None:
        scenario = drill.scenario
        self.tr = tr
        self.chinese = tr("lang") == "zh-CN"
        self._zones = {z.id: (z.name.en, z.name.zh) for z in scenario.zones}
        self._facilities = {f.id: (f.name.en, f.name.zh) for f in scenario.facilities}
        self._roads = {r.id: (r.name.en, r.name.zh) for r in scenario.roads if r.name}
        self._reinforcements = {
            r.id: (r.count, r.type.value) for r in scenario.forces.reinforcements
        }
        self._hazards = {h.id: str(h.kind) for h in scenario.hazards}
        self._tame_fires = {  # fires that start outside wildland: a fire front, not a wildfire
            str(e.data["hazard"])
            for e in drill.of("HazardStarted")
            if e.data.get("wildland") is False
        }
        self._sources = {
            str(e.data["incident"]): str(e.data.get("source", ""))
            for e in drill.of("IncidentCreated")
        }
        self._incidents: dict[str, tuple[str, str]] = {
            str(e.data["incident"]): (str(e.data.get("kind", "")), str(e.data.get("zone", "")))
            for e in drill.of("IncidentCreated")
        }
        self._places = Places(scenario)
        zoneless = injected_without_zone(scenario)
        self._points = {  # where each incident is, as the engine logged it
            str(e.data["incident"]): (float(e.data["x"]), float(e.data["y"]))
            for e in drill.of("IncidentCreated")
            if "x" in e.data and "y" in e.data
        }
        self._zoneless = set(zoneless)  # placed by an inject without a zone
        self._told = hazard_identities(scenario, self._places)  # the screen's rule, too
        self._hazard_names = self._name_hazards()

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.chinese else pair[0]

    def zone(self, zone_id: object) -> str:
        key = str(zone_id)
        return self.pick(self._zones[key]) if key in self._zones else key

    def facility(self, facility_id: object) -> str:
        key = str(facility_id)
        return self.pick(self._facilities[key]) if key in self._facilities else key

    def road(self, road_id: object) -> str:
        key = str(road_id)
        return self.pick(self._roads[key]) if key in self._roads else self.tr("name.road")

    def unit(self, unit_id: object) -> str:
        """``fire_engine-2`` → "fire engine 2" / "消防车2"."""
        kind, _, number = str(unit_id).rpartition("-")
        if not kind:
            return str(unit_id)
        return self.tr("name.unit", type=self.tr(f"unit_type.{kind}"), n=number)

    def unit_type(self, kind: str) -> str:
        return self.tr(f"unit_type.{kind}")

    def incident(self, incident_id: object) -> str:
        """An incident by its kind and place: "casualties at Riverside Town" / "滨江镇人员伤亡";
        one an inject placed without a zone by where it is ("casualties on G55 Expressway")."""
        key = str(incident_id)
        if key not in self._incidents:
            return key
        kind, zone = self._incidents[key]
        source = self._told.get(self._sources.get(key, ""))
        if kind == "wildfire" and self._sources.get(key) in self._tame_fires:
            kind = "fire_front"  # (the screen's rule: sim.landuse.starts_in_wildland)
        what = self.tr(f"incident_kind.{kind}")
        if kind in ("wildfire", "fire_front") and source is not None:  # its fire's own front,
            # as the screen names it: "fire front 2", or the drill's name for the fire
            what = self.pick(source.given) if source.given else self._numbered(what, source.number)
        placed = self._placement(key)
        if placed is None:
            return self.tr("name.incident", kind=what, zone=self.zone(zone))
        name = self._placed(what, placed)
        if placed.people_of:
            return self.tr("name.incident_from", name=name, zone=self.zone(placed.people_of))
        return name

    def _placement(self, key: str) -> Placed | None:
        """How :class:`Places` places an incident, None if it is named after its zone."""
        point = self._points.get(key)
        if point is None:
            return None
        kind, zone = self._incidents[key]
        zoneless = key in self._zoneless
        return self._places.placed(point, zone, kind, injected_without_zone=zoneless)

    def _placed(self, what: str, placed: Placed) -> str:
        place = placed.place
        if place.kind == "road":
            name = self.road(place.ident)
        elif place.kind == "facility":
            name = self.facility(place.ident)
        else:
            name = self.zone(place.ident)
        if place.relation == "at":
            return self.tr("name.incident", kind=what, zone=name)
        return self.tr(f"name.incident_{place.relation}", kind=what, road=name, place=name)

    def knows_incident(self, incident_id: object) -> bool:
        """Whether the drill's log created this incident (so :meth:`incident` can place it)."""
        return str(incident_id) in self._incidents

    def reinforcement(self, spec_id: object) -> str:
        """``city-ambulances`` → "4× ambulance" / "4×救护车"."""
        key = str(spec_id)
        if key not in self._reinforcements:
            return key
        count, kind = self._reinforcements[key]
        return self.tr("name.reinforcement", count=count, type=self.unit_type(kind))

    @property
    def hazard_kinds(self) -> set[str]:
        """The kinds of hazard the drill has ("flood", "fire", "gas")."""
        return set(self._hazards.values())

    @property
    def several_of_a_kind(self) -> bool:
        """Whether the drill has two hazards (or more) of one kind, named apart."""
        kinds = list(self._hazards.values())
        return len(kinds) > len(set(kinds))

    def hazard(self, hazard_id: object) -> str:
        """A hazard by the rule the game screen names it by too (sim.hazard_naming): its
        drill's name if it has one; else its kind, "flood" / "洪水", when it is the only one;
        else its kind numbered when two or more share it unnamed, and where it starts: "fire 2
        (Yunxi Logistics Park)" / "火灾2（云溪物流园）", which the screen shows as "fire front 2
        (Yunxi Logistics Park)" / "火线2（云溪物流园）"."""
        key = str(hazard_id)
        return self._hazard_names.get(key) or key

    def _name_hazards(self) -> dict[str, str]:
        """Every hazard's name (see :meth:`hazard`)."""
        names: dict[str, str] = {}
        for ident, told in self._told.items():
            if told.given is not None:
                names[ident] = self.pick(told.given)
                continue
            name = self._numbered(self.tr(f"hazard.{told.kind}"), told.number)
            place = self._hazard_place(told.place)
            names[ident] = self.tr("name.hazard_at", name=name, place=place) if place else name
        return names

    def _numbered(self, word: str, number: int) -> str:
        """A kind's word with a hazard's number, if it has one ("fire 2" / "火灾2")."""
        return self.tr("name.hazard_numbered", name=word, n=number) if number else word

    def _hazard_place(self, place: Place | None) -> str:
        """Where a hazard starts in words ("Yunxi Logistics Park", "near East Village" /
        "东村附近"), "" when it needs none."""
        if place is None:
            return ""
        if place.kind == "road":
            name = self.road(place.ident)
        elif place.kind == "facility":
            name = self.facility(place.ident)
        else:
            name = self.zone(place.ident)
        return self.tr("name.hazard_near", place=name) if place.relation == "near" else name

    def front(self, hazard_id: object) -> str:
        """What of a hazard reaches a place: "the water", "the fire", "the gas cloud"."""
        kind = self._hazards.get(str(hazard_id))
        return self.tr(f"hazard_front.{kind}") if kind else str(hazard_id)

    def channel(self, channel: object) -> str:
        return self.tr(f"channel.{channel}")

    def level(self, level: object) -> str:
        return self.tr(f"level.{level or 'none'}")

    def place(self, place_id: object) -> str:
        """A zone, facility or incident id, whichever it is."""
        key = str(place_id)
        if key in self._zones:
            return self.zone(key)
        if key in self._facilities:
            return self.facility(key)
        if key in self._incidents:
            return self.incident(key)
        return key

    def clauses(self, items: Iterable[str]) -> str:
        """Items that hold lists of their own, joined so they stay apart ("a; b" / "a；b")."""
        return ("；" if self.chinese else "; ").join(items) or "—"

    def listing(self, names: Iterable[str]) -> str:
        """Names joined as the language lists them ("a, b" / "a、b"); "—" for none."""
        items = list(names)
        return ("、" if self.chinese else ", ").join(items) if items else "—"
