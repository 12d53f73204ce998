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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from analysis.drilldata import DrillData
from sim.scenario.schema import FireHazard, FloodHazard, GasHazard
from sim.world.places import Placed, Places, injected_without_zone

Tr = Callable[..., str]
Hazard = FireHazard | FloodHazard | GasHazard


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
        self._hazard_names = self._name_hazards(drill)

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
        if kind == "wildfire" and self._sources.get(key) in self._tame_fires:
            kind = "fire_front"  # (the screen's rule: sim.landuse.starts_in_wildland)
        what = self.tr(f"incident_kind.{kind}")
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
        """A hazard by its kind: "flood" / "洪水". Where the drill has more than one of that
        kind, each is named by where it starts, as an incident is ("fire at Yunxi Logistics
        Park" / "云溪物流园火灾"), then, if that is not enough, by when it started ("…, from
        14:55" / "…（14:55起）"), then by its order, so two fires are never one name."""
        key = str(hazard_id)
        return self._hazard_names.get(key) or key

    def _name_hazards(self, drill: DrillData) -> dict[str, str]:
        """Every hazard's name (see :meth:`hazard`)."""
        from analysis.costliest import clock  # (costliest names things with this class)

        scenario = drill.scenario
        started = {str(e.data["hazard"]): e.t_min for e in drill.of("HazardStarted")}
        names: dict[str, str] = {}
        for kind in dict.fromkeys(self._hazards.values()):
            what = self.tr(f"hazard.{kind}")
            mine = [h for h in scenario.hazards if str(h.kind) == kind]
            given = [h for h in mine if getattr(h, "name", None) is not None]
            for h in given:  # the drill's own name for it
                names[h.id] = self.pick((h.name.en, h.name.zh))
            mine = [h for h in mine if h.id not in names]
            if not mine:
                continue
            if len(mine) == 1 and not given:
                names[mine[0].id] = what
                continue
            named = {h.id: self._hazard_at(what, h) for h in mine}
            if len(set(named.values())) < len(named):
                named = {
                    i: self.tr("name.hazard_from", name=n, clock=clock(drill, started[i]))
                    if i in started
                    else n
                    for i, n in named.items()
                }
            seen: dict[str, int] = {}
            for ident, name in named.items():
                seen[name] = seen.get(name, 0) + 1
                names[ident] = name if seen[name] == 1 else f"{name} ({seen[name]})"
        return names

    def _hazard_at(self, what: str, hazard: Hazard) -> str:
        """The kind at where a hazard starts ("fire at …"): a fire's first ignition, a flood's
        inflow, a gas leak's source facility."""
        if isinstance(hazard, GasHazard):
            return self.tr("name.incident", kind=what, zone=self.facility(hazard.source))
        if isinstance(hazard, FireHazard):
            points = [i.at for i in hazard.ignitions]
        else:
            points = list(hazard.inflow_at)
        if not points:
            return what
        place = self._places.where((float(points[0][0]), float(points[0][1])))
        return self._placed(what, Placed(place, "")) if place.ident else what

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
