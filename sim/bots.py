"""Scripted commanders that use the same public API as a trainee.

* :class:`IdleBot` never acts: the floor of the score scale.
* :class:`ExpertBot` is a sound heuristic commander: it escalates, opens
  shelters, warns threatened zones and protects their people early, sends the
  nearest capable unit to every incident, keeps shelters supplied and asks for
  reinforcements when it runs short. It is a reference player on the score scale.

Protecting people (:meth:`ExpertBot._protect_people`) follows doctrine: each
hazard's own forecast is weighed apart (a zone upwind of a release is not in
its plume, whatever a flood forecast says of it); a toxic cloud due before a
zone could be cleared means shelter in place, water or fire means leaving (and
people sheltering from a cloud leave ahead of the water or fire once the cloud is
over them and below AEGL-2: :meth:`ExpertBot._cloud_passable`); the
choice is made once per zone (:class:`Plan`) and reversed only when the
situation changed (a wind shift, a new hazard, the shelter cut off or in the
plume), the reason kept in :attr:`ExpertBot.decisions`; evacuees are sent only
where there is room, the rest spilling over to the next shelter.

Bots see only snapshots and speak only commands.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from sim.commands import (
    Channel,
    Command,
    DispatchUnit,
    IssueWarning,
    LiftShelterInPlace,
    MoveSupplies,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    RecallUnit,
    ReportLevel,
    ReportUpward,
    RequestReinforcement,
    Role,
    SetResponseLevel,
    WarningLevel,
)
from sim.grades import LEVEL_OF_RANK, harm_rank, reach_rank
from sim.hazards.flood_runtime import WET_M
from sim.hazards.gas_runtime import (
    FORECAST_HORIZON_MIN,
    SHELTER_IF_WITHIN_MIN,
    THREAT_MIN_DOWNWIND_M,
    downwind,
)
from sim.hazards.toxicity import aegl_ppm
from sim.people import DEPARTURE_TIME_CONSTANT_MIN, EVACUATION_KMH
from sim.scenario.schema import ResponseLevel, Scenario, SupplyItem
from sim.snapshot import FacilityView, IncidentView, Snapshot, UnitView, ZoneView
from sim.supplies import TRUCK_LOAD
from sim.world.geometry import point_cell
from sim.world.roads import ACCESS_SPEED_KMH, SPEED_KMH

SPENT_CREW_MIN = 30.0  # a crew with less duty time left is sent only on a job it can finish
SHORT_JOB_MIN = 15.0  # time on scene allowed for such a job (loading, a short rescue)
REPORT_EVERY_MIN = 60.0  # situation updates upward (first report at once)
SUPPLY_HORIZON_H = 8.0  # keep each shelter stocked this far ahead
IN_TRANSIT_TRUST_MIN = 60.0  # a load not delivered within the hour is assumed lost
SHELTER_NEEDS = (
    (SupplyItem.WATER_L, 15.0),
    (SupplyItem.FOOD_RATIONS, 1.0),
    (SupplyItem.BLANKETS, 0.0),
)
LEVELS = [
    ResponseLevel.NONE,
    ResponseLevel.IV,
    ResponseLevel.III,
    ResponseLevel.II,
    ResponseLevel.I,
]
READY = ("available", "staged")
AT_WORK = ("en_route", "on_scene", "transporting")  # triage may send these on elsewhere
HURT_PER_CARRIER = 4  # casualties per carrier sent to a small scene (two ambulance trips)
BOAT = "rescue_boat"
ALL_CLEAR_AFTER_MIN = 15.0  # threat gone this long (no wind flip back) before the all clear
FORWARD_GAIN_M = 500.0  # a boat is moved forward only if that brings it this much nearer
# The forecast threat at which the plans call for protective action (the after-action
# review judges from the same mark: analysis.rubric.FORECAST_THREAT_MIN).
ACT_AT = 0.3
# A wind shift: the direction changes by 45 degrees or more (Federal Meteorological
# Handbook No. 1, "Surface Weather Observations and Reports", definition of a wind shift).
# Only then has a toxic cloud's path truly changed; a forecast counting down has not.
WIND_SHIFT_DEG = 45.0
# Clearing a zone: nine in ten households set off within ln 10 departure time constants
# (the engine's exponential departures, sim.people, after Lindell & Prater 2007), then drive.
CLEARED_SHARE = 0.9
# A wind carries a cloud towards a zone within this angle of straight downwind (a generous
# bound: a Pasquill-Gifford plume is far narrower), for judging when it could come.
DOWNWIND_HALF_ANGLE_DEG = 45.0
EVACUATE = "evacuate"
SHELTER = "shelter"


class IdleBot:
    """Never gives an order."""

    name = "idle"

    def decide(self, snapshot: Snapshot) -> list[Command]:
        del snapshot
        return []


def _once(commands: list[Command]) -> list[Command]:
    """The minute's commands with a shelter opened once: several parts of a decision may each
    open the one they need, and the snapshot they read still shows it closed."""
    opened: set[str] = set()
    kept = []
    for command in commands:
        if isinstance(command, OpenShelter):
            if command.shelter in opened:
                continue
            opened.add(command.shelter)
        kept.append(command)
    return kept


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


@dataclass(frozen=True)
class ZoneThreat:
    """One zone's forecast threats, each hazard kind weighed apart."""

    level: float  # the worst over every hazard (0..1)
    gas: float  # the worst toxic cloud's
    gas_soon: bool  # a cloud is due before the zone could be cleared (the forecast says shelter)
    other: float  # the worst water's or fire's: only leaving protects from them


_CALM = ZoneThreat(level=0.0, gas=0.0, gas_soon=False, other=0.0)


@dataclass
class Plan:
    """The protective action chosen for a zone, and what it was chosen on."""

    action: str  # EVACUATE or SHELTER
    reason: str
    t_min: float
    wind_from_deg: float  # the wind it was chosen (or last confirmed) under
    gas_known: bool  # a toxic cloud threatened the zone when it was chosen


def _wind_turned(a: float, b: float) -> float:
    """Degrees between two wind directions (0..180)."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def assess_threats(snap: Snapshot, kinds: Mapping[str, str]) -> dict[str, ZoneThreat]:
    """Each threatened zone's :class:`ZoneThreat`, from each hazard's own forecast
    (``kinds``: hazard id -> kind). A gas forecast advising shelter means its cloud
    is due sooner than people could leave (:mod:`sim.hazards.gas_runtime`)."""
    by_hazard = snap.hazard_threats or {"": snap.threats}  # one merged view if that is all
    found: dict[str, list[float]] = {}  # zone -> [level, gas, gas soon, other]
    for hazard, threats in by_hazard.items():
        for zone, (level, advice) in threats.items():
            seen = found.setdefault(zone, [0.0, 0.0, 0.0, 0.0])
            seen[0] = max(seen[0], level)
            # In a merged view only a toxic cloud's forecast ever advises shelter.
            if kinds.get(hazard) == "gas" or (hazard == "" and advice == SHELTER):
                seen[1] = max(seen[1], level)
                if advice == SHELTER:
                    seen[2] = max(seen[2], level)
            else:
                seen[3] = max(seen[3], level)
    return {
        zone: ZoneThreat(level=v[0], gas=v[1], gas_soon=v[2] >= ACT_AT, other=v[3])
        for zone, v in found.items()
    }


class ExpertBot:
    """A sound heuristic commander (see the module docstring)."""

    name = "expert"
    role = Role.BOT

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.warned: dict[str, WarningLevel] = {}
        self.evacuating: set[str] = set()
        self.sheltering: set[str] = set()
        self.clear_since: dict[str, float] = {}  # zone -> minute its threat was last seen gone
        self.recalled: set[str] = set()  # stranded units already called back
        self.requested: set[str] = set()
        self.sent: dict[tuple[str, SupplyItem, float], float] = {}
        # The same loads by (shelter, item): minute -> amount, in the order sent (a shelter's
        # loads are summed every minute; ``sent`` holds every load of the drill).
        self._sent_to: dict[tuple[str, SupplyItem], dict[float, float]] = {}
        self.pledged: dict[str, int] = {}  # shelter -> people promised its room
        self.plans: dict[str, Plan] = {}  # zone -> its protective action
        # zone -> (shelter, people it takes, zone's departed count at the order), then the
        # shelters the rest spill over to, in turn
        self.quota: dict[str, tuple[str, int, int]] = {}
        self.spill: dict[str, list[tuple[str, int]]] = {}
        self.gone: dict[str, int] = {}  # zone -> people gone to its present shelter so far
        # (minute, zone, order, reason) of every protective order: why it was given
        self.decisions: list[tuple[float, str, str, str]] = []
        self.held: set[str] = set()  # evacuations waiting for the cloud to clear their way
        self.kinds = {h.id: h.kind for h in scenario.hazards}
        # Air no one should travel through: above the lowest hour-long AEGL-1 of the gases.
        self.cloud_ppm = min(
            (aegl_ppm(h.substance.value, 1, 60.0) for h in scenario.hazards if h.kind == "gas"),
            default=math.inf,
        )
        # Air no one may be sent out into even ahead of water or fire: above the lowest
        # hour-long AEGL-2 ("serious, long-lasting effects or an impaired ability to escape",
        # NRC AEGL definitions), the mark the engine counts gas harm from.
        self.harm_ppm = min(
            (aegl_ppm(h.substance.value, 2, 60.0) for h in scenario.hazards if h.kind == "gas"),
            default=math.inf,
        )
        self._assessed: tuple[Snapshot | None, dict[str, ZoneThreat]] = (None, {})
        self._radii: dict[str, float] = {}
        self._cells_map: object = None  # the map _zone_cells were found on
        self._cells: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._sites: dict[str, str] = {}  # zone -> the facility nearest it (_preposition)
        self.next_report_min = 0.0

    def decide(self, snapshot: Snapshot) -> list[Command]:
        commands: list[Command] = []
        busy: set[str] = set()
        commands += self._escalate(snapshot)
        commands += self._report(snapshot)
        commands += self._replan_cut_off(snapshot)  # before this minute's new orders
        commands += self._spill_over(snapshot)
        commands += self._protect_people(snapshot)
        commands += self._all_clear(snapshot)
        commands += self._recall_stranded(snapshot, busy)
        commands += self._respond(snapshot, busy)
        commands += self._door_to_door(snapshot, busy)
        commands += self._preposition(snapshot, busy)
        commands += self._supply(snapshot, busy)
        return _once(commands)

    # -- command and control --------------------------------------------------
    def _escalate(self, snap: Snapshot) -> list[Command]:
        """Set the level the event's grade calls for (:mod:`sim.grades`), as it becomes known.

        By harm so far, and by reach: the people in zones the forecast threatens
        and in the incidents. Never steps down during the drill.
        """
        threatened = [z for z in snap.zones if snap.threats.get(z.id, (0.0, ""))[0] >= 0.3]
        happened = bool(threatened) or any(i.is_open for i in snap.incidents)
        hurt = snap.people["injured"] + snap.people["hospitalised"]
        reach = sum(sum(z.people.values()) for z in threatened) + sum(
            i.people for i in snap.incidents if i.is_open
        )
        rank = harm_rank(snap.people["dead"], hurt, happened)
        if happened:
            rank = max(rank, reach_rank(reach))
        want = LEVEL_OF_RANK[rank]
        current = ResponseLevel(snap.response_level)
        commands: list[Command] = []
        if LEVELS.index(want) > LEVELS.index(current):
            commands.append(SetResponseLevel(level=want, issuer=self.role))
            current = want
        for spec in self.scenario.forces.reinforcements:
            if spec.id not in self.requested and spec.level.rank <= current.rank:
                self.requested.add(spec.id)
                commands.append(RequestReinforcement(reinforcement=spec.id, issuer=self.role))
        return commands

    def _report(self, snap: Snapshot) -> list[Command]:
        """Report upward at once when anything happens, then every hour, to the level in charge."""
        active = snap.threats or any(i.is_open for i in snap.incidents)
        if not active or snap.t_min < self.next_report_min:
            return []
        self.next_report_min = snap.t_min + REPORT_EVERY_MIN
        rank = ResponseLevel(snap.response_level).rank
        to = (
            ReportLevel.PROVINCE
            if rank >= 3
            else ReportLevel.CITY
            if rank >= 2
            else (ReportLevel.COUNTY)
        )
        return [ReportUpward(to=to, issuer=self.role)]

    def _protect_people(self, snap: Snapshot) -> list[Command]:
        """Warn every threatened zone; for each the forecast threatens enough to act on, choose
        once between shelter in place and evacuation (:meth:`_choose`) and keep to it unless
        the situation changed (:meth:`_changed`)."""
        commands: list[Command] = []
        shelters = [f for f in snap.facilities if f.type == "shelter" and not f.lost]
        assessed = self._assess(snap)
        threatened = [(z, assessed[z.id]) for z in snap.zones if z.id in assessed]
        if threatened:
            for shelter in shelters:
                if not shelter.is_open:
                    commands.append(OpenShelter(shelter=shelter.id, issuer=self.role))
        for zone, threat in sorted(threatened, key=lambda zt: -zt[1].level):
            level = _warning_level(threat.level)
            if threat.level >= ACT_AT:
                # An order to leave or take cover is the gravest message: say it in red,
                # which most people act on (sim.people.COMPLIANCE).
                level = WarningLevel.RED
            old = self.warned.get(zone.id)
            if old is None or list(WarningLevel).index(level) > list(WarningLevel).index(old):
                self.warned[zone.id] = level
                for channel in (Channel.SMS, Channel.BROADCAST):
                    commands.append(
                        IssueWarning(zone=zone.id, level=level, channel=channel, issuer=self.role)
                    )
            if threat.level < ACT_AT:
                continue
            plan = self.plans.get(zone.id)
            change = (
                self._choose(snap, zone, threat)
                if plan is None
                else self._changed(snap, zone, plan, threat)
            )
            if change is not None:
                commands += self._order(snap, zone, *change, shelters, threat)
        return commands

    def _choose(self, snap: Snapshot, zone: ZoneView, threat: ZoneThreat) -> tuple[str, str]:
        """Shelter in place from a toxic cloud due before the zone could be cleared (people
        take half an hour and more to set off: on the road they would meet it without walls);
        leave ahead of water or fire, and ahead of a cloud only with time to clear the zone."""
        if threat.gas_soon and not self._water_or_fire_here(snap, zone, threat):
            return SHELTER, "toxic cloud due before the zone could be cleared"
        if threat.other >= ACT_AT:
            return EVACUATE, "water or fire coming: only leaving protects"
        due, clear = self._cloud_due_min(snap, zone), self._clear_min(snap, zone)
        if due < clear:
            return SHELTER, (
                f"toxic cloud due in about {due:.0f} min, before the zone could be cleared "
                f"(about {clear:.0f} min)"
            )
        if math.isinf(due):
            return EVACUATE, "no forecast wind carries the toxic cloud here yet: time to leave"
        return EVACUATE, f"toxic cloud not due for {due:.0f} min: time to clear the zone"

    def _changed(
        self, snap: Snapshot, zone: ZoneView, plan: Plan, threat: ZoneThreat
    ) -> tuple[str, str] | None:
        """A new action for a zone that has one, only when the situation changed; None to keep it.

        Sheltering people leave when water or fire comes (walls do not keep it out) and no
        cloud is due first, or the cloud has come and they can pass it
        (:meth:`_cloud_passable`). Evacuating people still at home take cover when a cloud is
        now due before they could leave (unless, with water or fire coming, they can pass it),
        and that is news: a toxic cloud the plan did not know of, or a wind shift since it was
        made. A cloud merely drawing nearer as its forecast said is no reason: the plan allowed
        for it."""
        wind = snap.weather.wind_from_deg
        if plan.action == SHELTER:
            if threat.other >= ACT_AT and not threat.gas_soon:
                return EVACUATE, "water or fire coming: shelter in place does not keep it out"
            if threat.other >= ACT_AT and self._water_or_fire_here(snap, zone, threat):
                return EVACUATE, "water or fire in the zone: walls do not keep it out"
            passable = self._cloud_passable(snap, zone, threat)
            if passable is not None:
                return EVACUATE, (
                    f"water or fire coming and the toxic cloud over the zone stays below AEGL-2 "
                    f"(about {passable:.0f} ppm): leave before it comes"
                )
            return None
        at_home = zone.people.get("warned", 0) + zone.people.get("unaware", 0)
        cloud_first = threat.gas_soon or (
            threat.gas >= ACT_AT
            and not plan.gas_known
            and self._cloud_due_min(snap, zone) < self._clear_min(snap, zone)
        )
        if (
            cloud_first
            and at_home > 0
            and not self._water_or_fire_here(snap, zone, threat)
            # those leaving ahead of water or fire go on through a cloud they can pass
            and self._cloud_passable(snap, zone, threat) is None
        ):
            if not plan.gas_known:
                return SHELTER, "a toxic cloud now threatens, due before the rest could leave"
            if _wind_turned(wind, plan.wind_from_deg) >= WIND_SHIFT_DEG:
                return SHELTER, (
                    f"wind shift from {plan.wind_from_deg:.0f} to {wind:.0f} degrees: "
                    "the cloud is due before the rest could leave"
                )
        if threat.gas >= ACT_AT and not plan.gas_known:
            plan.gas_known = True  # the plan stands under the cloud's forecast too
            plan.wind_from_deg = wind
        return None

    def _order(
        self,
        snap: Snapshot,
        zone: ZoneView,
        action: str,
        reason: str,
        shelters: list[FacilityView],
        threat: ZoneThreat,
    ) -> list[Command]:
        """Give ``action`` for ``zone`` and make it the zone's plan. An evacuation goes to the
        shelters with room for its people (:meth:`_allocate`); a zone with nowhere to go takes
        cover instead, and so does one only a cloud threatens when the shelters cannot take
        all its people (a cloud passes; a crowd at a full shelter's door is outdoors)."""
        plan = self.plans.get(zone.id)
        if action == EVACUATE:
            people = _at_home(zone)
            places = self._allocate(snap, zone, shelters, people, whole=threat.other < ACT_AT)
            if places:
                return self._evacuate(snap, zone, places, reason)
            if not shelters or (plan is not None and plan.action == SHELTER):
                return []  # nowhere to go, or already under cover: wait for a shelter
            reachable = any(snap.joined(zone.node, s.node) for s in shelters)
            action = SHELTER
            if not reachable:
                reason = "no open road to any shelter: shelter in place"
            elif threat.other < ACT_AT:
                reason = "no room in the shelters for all: a cloud passes, shelter in place"
            else:
                reason = (
                    "no shelter the open roads reach clear of the toxic cloud: shelter in place"
                )
        if zone.id in self.quota:  # those still at home stay: release the room kept for them
            self._release(zone.id, _at_home(zone))
        self.evacuating.discard(zone.id)
        self.sheltering.add(zone.id)
        self._plan(snap, zone.id, SHELTER, reason, threat)
        return [OrderShelterInPlace(zone=zone.id, issuer=self.role)]

    def _plan(
        self, snap: Snapshot, zone: str, action: str, reason: str, threat: ZoneThreat | None
    ) -> None:
        gas_known = threat is not None and threat.gas >= ACT_AT
        old = self.plans.get(zone)
        self.plans[zone] = Plan(
            action,
            reason,
            snap.t_min,
            snap.weather.wind_from_deg,
            gas_known or bool(old and old.gas_known),
        )
        self.decisions.append((snap.t_min, zone, action, reason))

    def _evacuate(
        self, snap: Snapshot, zone: ZoneView, places: list[tuple[FacilityView, int]], reason: str
    ) -> list[Command]:
        """Send ``zone`` to the first of ``places``; the rest are where its people spill over."""
        (first, people), rest = places[0], places[1:]
        self.quota[zone.id] = (first.id, people, _departed(zone))
        self.gone[zone.id] = 0
        self.spill[zone.id] = [(s.id, n) for s, n in rest]
        self.sheltering.discard(zone.id)
        self.evacuating.add(zone.id)
        if rest:
            reason += "; room for the rest at " + ", ".join(s.id for s, _ in rest)
        if people == 0:
            reason += "; no shelter has room left: its staff send on those it cannot take in"
        threat = self._assess(snap).get(zone.id)
        self._plan(snap, zone.id, EVACUATE, f"{reason} (to {first.id})", threat)
        commands: list[Command] = []
        if not first.is_open:
            commands.append(OpenShelter(shelter=first.id, issuer=self.role))
        commands.append(OrderEvacuation(zone=zone.id, shelter=first.id, issuer=self.role))
        return commands

    def _release(self, zone: str, people: int) -> None:
        """Give back the room kept for ``people`` of ``zone`` who will not come after all."""
        shelter, promised, _ = self.quota.pop(zone)
        for place, n in [(shelter, promised), *self.spill.pop(zone, [])]:
            back = min(n, people)
            self.pledged[place] = self.pledged.get(place, 0) - back
            people -= back

    def _all_clear(self, snap: Snapshot) -> list[Command]:
        """Lift shelter-in-place where the cloud has gone and nothing threatens any more:
        indoor air keeps the gas that leaked in, so people air their homes and come out."""
        commands: list[Command] = []
        for zone in snap.zones:
            if zone.id not in self.sheltering or snap.threats.get(zone.id, (0.0, ""))[0] > 0:
                self.clear_since.pop(zone.id, None)
                continue
            since = self.clear_since.setdefault(zone.id, snap.t_min)
            if snap.t_min - since >= ALL_CLEAR_AFTER_MIN:
                self.sheltering.discard(zone.id)
                self.plans.pop(zone.id, None)  # a threat that comes back is a new decision
                del self.clear_since[zone.id]
                commands.append(LiftShelterInPlace(zone=zone.id, issuer=self.role))
        return commands

    def _replan_cut_off(self, snap: Snapshot) -> list[Command]:
        """An evacuation whose road to its shelter is cut, whose shelter was lost, or whose
        shelter a toxic cloud now threatens (a wind shift put it in the plume) is sent to
        another shelter the open roads reach; with none, the people left at home take cover
        where they are. Closures, losses and the plume are on the commander's map."""
        commands: list[Command] = []
        places = {f.id: f for f in snap.facilities if f.type == "shelter" and not f.lost}
        assessed = self._assess(snap)
        for zone in snap.zones:
            target = places.get(zone.evacuating_to or "")
            at_home = zone.people.get("warned", 0) + zone.people.get("unaware", 0)
            if at_home == 0:
                continue
            if target is None:
                if zone.id not in self.evacuating or zone.sheltering_in_place:
                    continue  # not leaving (a lost shelter ends an evacuation: that one is ours)
                why = "its shelter was lost"
            elif not snap.joined(zone.node, target.node):
                why = f"the road to {target.id} is cut"
            elif assessed.get(zone.id, _CALM).level >= ACT_AT and self._in_plume(snap, target):
                why = f"a wind shift put {target.id} in the toxic cloud's path"
            else:
                continue
            threat = assessed.get(zone.id)
            if threat is not None and threat.gas_soon:
                continue  # a cloud is due here first: they take cover (_protect_people)
            if zone.id in self.quota:
                self._release(zone.id, at_home)
            others = [s for s in places.values() if target is None or s.id != target.id]
            whole = threat is not None and threat.other < ACT_AT
            found = self._allocate(snap, zone, others, at_home, whole=whole)
            if found:
                self.held.discard(zone.id)
                commands += self._evacuate(snap, zone, found, why)
            elif not whole and any(snap.joined(zone.node, s.node) for s in others):
                # Leaving is the only protection from water or fire, and roads still lead
                # out, past the cloud: the order stands and they leave once the way is clear.
                if zone.id not in self.held:
                    self.held.add(zone.id)
                    hold = f"{why}; every other way passes the toxic cloud: wait until it clears"
                    self.decisions.append((snap.t_min, zone.id, EVACUATE, hold))
            else:
                self.held.discard(zone.id)
                self.evacuating.discard(zone.id)
                self.sheltering.add(zone.id)
                self._plan(
                    snap, zone.id, SHELTER, f"{why}, no other shelter: shelter in place", threat
                )
                commands.append(OrderShelterInPlace(zone=zone.id, issuer=self.role))
        return commands

    def _spill_over(self, snap: Snapshot) -> list[Command]:
        """A zone whose shelter has taken all the people promised room there sends the rest to
        the next shelter with room, before they crowd at a full door."""
        commands: list[Command] = []
        places = {f.id: f for f in snap.facilities if f.type == "shelter" and not f.lost}
        for zone in snap.zones:
            quota = self.quota.get(zone.id)
            if quota is None or zone.evacuating_to != quota[0]:
                continue
            shelter, promised, departed = quota
            at_home = zone.people.get("warned", 0) + zone.people.get("unaware", 0)
            gone = _departed(zone) - departed
            # Those leaving in the next minute (as many as in the last) must find room too.
            pace = gone - self.gone.get(zone.id, 0)
            self.gone[zone.id] = gone
            if at_home == 0 or gone + pace < promised:
                continue
            if self._assess(snap).get(zone.id, _CALM).level < ACT_AT:
                continue  # nothing threatens them any more: those at home may stay
            if self._hazard_here(snap, zone):
                # A new order now would send people out into the water or the cloud; the
                # order standing keeps them going, and a full shelter's staff send them on.
                continue
            queue = [
                (places[s], n)
                for s, n in self.spill.get(zone.id, [])
                if s in places and snap.joined(zone.node, places[s].node)
            ]
            if not queue:
                others = [s for s in places.values() if s.id != shelter]
                queue = self._allocate(snap, zone, others, at_home)
                if not queue or queue[0][1] == 0:
                    continue  # nowhere with room: the shelter's staff send on whoever comes
            why = f"{shelter} has taken the people it had room for"
            commands += self._evacuate(snap, zone, queue, why)
        return commands

    def _water_or_fire_here(self, snap: Snapshot, zone: ZoneView, threat: ZoneThreat) -> bool:
        """Water or fire threatens ``zone`` and is in it already: a cloud due soon does not
        outrank it (nobody shelters from a toxic cloud in a flooding or burning home)."""
        return threat.other >= ACT_AT and self._hazard_here(snap, zone, gas=False)

    def _cloud_passable(self, snap: Snapshot, zone: ZoneView, threat: ZoneThreat) -> float | None:
        """The worst toxic air (ppm) over ``zone`` if its people, told to take cover from a
        cloud, should rather leave ahead of the water or fire its forecast says is coming (and
        walls do not keep out); None if they should stay under cover.

        They leave once the cloud is over the zone (air above AEGL-1 in it: one still on its
        way would meet them on the road, where they have no walls) and leaving does not mean
        going out into air above AEGL-2: none stands in the zone now, and the cloud's forecast
        does not put AEGL-2 air at its edge (the forecast's top, 1.0, means that, or a zone
        wholly inside the cloud, where the air itself shows what it is). Beyond the zone
        :meth:`_allocate` keeps the way clear of the cloud. A flood's or a fire's forecast
        says whether it comes, not when, so the soonest safe minute is taken: it leaves the
        most of the time the people need to clear the zone (:meth:`_clear_min`) before it."""
        if threat.other < ACT_AT or not threat.gas_soon:
            return None
        cells = self._zone_cells(snap, zone)
        clouds = [f[cells] for k, f in snap.fields.items() if k.endswith("gas_ppm")]
        worst = max((float(c.max(initial=0.0)) for c in clouds), default=0.0)
        if worst <= self.cloud_ppm or worst > self.harm_ppm:
            return None  # not here yet, or too strong to go out into
        inside = np.logical_or.reduce([c > self.cloud_ppm for c in clouds])
        forecast_top = any(
            self.kinds.get(hazard) == "gas" and threats.get(zone.id, (0.0, ""))[0] >= 1.0
            for hazard, threats in snap.hazard_threats.items()
        )
        if forecast_top and not bool(np.all(inside)):
            return None  # still coming in, and the forecast says it reaches AEGL-2
        return worst

    def _hazard_here(self, snap: Snapshot, zone: ZoneView, gas: bool = True) -> bool:
        """Whether water (deeper than the flood's wet mark), fire or, with ``gas``, a toxic
        cloud (above AEGL-1) is in ``zone`` now."""
        cells = self._zone_cells(snap, zone)
        for name, field in snap.fields.items():
            if name.endswith("depth_m") and float(field[cells].max(initial=0.0)) > WET_M:
                return True
            if name.endswith("fire_burning") and bool(field[cells].any()):
                return True
            gassed = gas and name.endswith("gas_ppm")
            if gassed and float(field[cells].max(initial=0.0)) > self.cloud_ppm:
                return True
        return False

    def _zone_cells(self, snap: Snapshot, zone: ZoneView) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cols) of the map cells of ``zone`` (``zone_index`` equal to its place in
        ``snap.zones``), in the map's order: what the mask ``zone_index == i`` picks out of a
        field, found once per map instead of comparing the whole map at every question."""
        if self._cells_map is not snap.map:
            self._cells_map, self._cells = snap.map, {}
        found = self._cells.get(zone.id)
        if found is None:
            found = np.nonzero(snap.map.zone_index == snap.zones.index(zone))
            self._cells[zone.id] = found
        return found

    def _room(self, shelter: FacilityView) -> int:
        """People ``shelter`` can still take: its capacity less those there, at its door and
        promised room there."""
        taken = max(self.pledged.get(shelter.id, 0), shelter.occupants + shelter.waiting)
        return max(0, shelter.capacity - taken)

    def _cloud_due_min(self, snap: Snapshot, zone: ZoneView) -> float:
        """Minutes until a toxic cloud could reach ``zone``: the soonest, over every gas source
        and the wind now and each change the official forecast gives within its horizon (the
        scenario's schedule: sim.weather.WeatherState.forecast_winds), of when that wind would
        start carrying it there plus its travel to the zone's near edge; inf if no wind does."""
        now = snap.t_min
        winds = [(now, snap.weather.wind_speed_m_per_s, snap.weather.wind_from_deg)] + [
            (p.at_min, p.wind_speed_m_per_s, p.wind_from_deg)
            for p in self.scenario.weather
            if now < p.at_min <= now + FORECAST_HORIZON_MIN
        ]
        radius = self._radius_m(snap, zone)
        # Never sooner than the official forecast says: it advises shelter within the half
        # hour, so a zone it tells to evacuate has at least that long.
        floor = SHELTER_IF_WITHIN_MIN if self._assess(snap).get(zone.id, _CALM).gas else 0.0
        sources = {f.id: f for f in snap.facilities}
        due = math.inf
        for hazard in self.scenario.hazards:
            source = sources.get(getattr(hazard, "source", ""))
            if hazard.kind != "gas" or source is None or not snap.hazard_threats.get(hazard.id):
                continue  # not a gas, or not leaking (its forecast threatens nobody)
            for at, speed, from_deg in winds:
                along, across = downwind((source.x, source.y), (zone.x, zone.y), from_deg)
                if along + radius <= 0.0 or across - radius > max(along, 0.0) * math.tan(
                    math.radians(DOWNWIND_HALF_ANGLE_DEG)
                ):
                    continue  # upwind, or off to the side of where this wind carries it
                near = max(along - radius, THREAT_MIN_DOWNWIND_M)
                due = min(due, at - now + near / (max(speed, 1.0) * 60.0))
        return max(due, floor)

    def _clear_min(self, snap: Snapshot, zone: ZoneView) -> float:
        """Minutes to clear ``zone``: nine in ten set off (sim.people's departure rate), then
        drive to the nearest shelter the open roads reach at evacuation speed."""
        leave = DEPARTURE_TIME_CONSTANT_MIN * math.log(1.0 / (1.0 - CLEARED_SHARE))
        drives = [
            found[1]
            for s in snap.facilities
            if s.type == "shelter" and not s.lost
            if (found := _evacuation_route(snap, zone.node, s.node)) is not None
        ]
        return leave + min(drives, default=0.0)

    def _radius_m(self, snap: Snapshot, zone: ZoneView) -> float:
        """The radius of a circle as large as ``zone`` (its cells on the map)."""
        if zone.id not in self._radii:
            index = snap.zones.index(zone)
            cells = int(np.count_nonzero(snap.map.zone_index == index))
            self._radii[zone.id] = math.sqrt(cells * snap.map.cell_m**2 / math.pi)
        return self._radii[zone.id]

    def _assess(self, snap: Snapshot) -> dict[str, ZoneThreat]:
        """:func:`assess_threats` of ``snap`` (worked out once per snapshot)."""
        if self._assessed[0] is not snap:
            self._assessed = (snap, assess_threats(snap, self.kinds))
        return self._assessed[1]

    def _in_plume(self, snap: Snapshot, shelter: FacilityView) -> bool:
        """Whether ``shelter`` stands in air above AEGL-1 now, or in a zone a toxic cloud is
        due at within the half hour (the forecast's shelter advice)."""
        row, col = point_cell((shelter.x, shelter.y), snap.map.zone_index.shape, snap.map.cell_m)
        index = int(snap.map.zone_index[row, col])
        if index >= 0 and self._assess(snap).get(snap.zones[index].id, _CALM).gas_soon:
            return True
        return any(
            float(c[row, col]) > self.cloud_ppm
            for k, c in snap.fields.items()
            if k.endswith("gas_ppm")
        )

    def _through_cloud(self, snap: Snapshot, zone: ZoneView, shelter: FacilityView) -> bool:
        """Whether the way evacuees of ``zone`` would drive to ``shelter`` (the engine's: the
        fastest open roads at evacuation speed) passes a toxic cloud: air above AEGL-1 on the
        map now, or another zone the cloud's forecast threatens. On the road people have no
        walls around them; the shelter itself standing in the plume counts the same."""
        here = snap.zones.index(zone)
        assessed = self._assess(snap)
        gassed = {
            i
            for i, z in enumerate(snap.zones)
            if i != here and assessed.get(z.id, _CALM).gas >= ACT_AT
        }
        limit = self.cloud_ppm
        clouds = [
            c for k, c in snap.fields.items() if k.endswith("gas_ppm") and float(c.max()) > limit
        ]
        if not gassed and not clouds:
            return False
        path = _evacuation_path(snap, zone.node, shelter.node)
        if path is None:
            return False
        cell_m = snap.map.cell_m
        shape = snap.map.zone_index.shape
        xy = snap.map.node_xy
        for a, b in list(pairwise(path)) or [(path[0], path[0])]:
            (xa, ya), (xb, yb) = xy[a], xy[b]
            steps = max(1, math.ceil(math.hypot(xb - xa, yb - ya) / cell_m))
            for k in range(steps + 1):
                row, col = point_cell(
                    (xa + (xb - xa) * k / steps, ya + (yb - ya) * k / steps), shape, cell_m
                )
                if int(snap.map.zone_index[row, col]) in gassed:
                    return True
                if int(snap.map.zone_index[row, col]) != here and any(
                    c[row, col] > limit for c in clouds
                ):
                    return True
        return False

    def _allocate(
        self,
        snap: Snapshot,
        zone: ZoneView,
        shelters: list[FacilityView],
        people: int,
        whole: bool = False,
    ) -> list[tuple[FacilityView, int]]:
        """Where ``people`` of ``zone`` go: the nearest shelter with room for them all, else the
        nearest with room, the rest spilling over to the next nearest with room; each only
        if open roads join it to the zone and no toxic cloud threatens it. The room is
        promised (``pledged``). With ``whole``, all or nothing: [] unless all fit. Otherwise,
        with no room anywhere, the nearest, promised nobody: people fleeing water or fire must
        leave all the same, and a full shelter's staff send on whoever they cannot take in."""
        joined = sorted(
            (
                s
                for s in shelters
                if snap.joined(zone.node, s.node) and not self._through_cloud(snap, zone, s)
            ),
            key=lambda s: (_distance((zone.x, zone.y), (s.x, s.y)), s.id),
        )
        if not joined:
            return []
        roomy = [s for s in joined if self._room(s) >= people]
        if roomy:
            found = [(roomy[0], people)]
        else:
            found, left = [], people
            for shelter in joined:
                take = min(left, self._room(shelter))
                if take > 0:
                    found.append((shelter, take))
                    left -= take
                if left == 0:
                    break
            if left > 0 and whole:
                return []
            if not found:
                found = [(joined[0], 0)]  # no room anywhere: see below
        for shelter, n in found:
            self.pledged[shelter.id] = self.pledged.get(shelter.id, 0) + n
        return found

    # -- operations -----------------------------------------------------------
    def _recall_stranded(self, snap: Snapshot, busy: set[str]) -> list[Command]:
        """A crew with no open road to its task is called back at once, not left waiting."""
        commands: list[Command] = []
        for unit in snap.units:
            if unit.status != "stranded":
                self.recalled.discard(unit.id)
                continue
            busy.add(unit.id)
            if unit.id in self.recalled:  # called back already: it comes when a road opens
                continue
            self.recalled.add(unit.id)
            commands.append(RecallUnit(unit=unit.id, issuer=self.role))
        return commands

    def _respond(self, snap: Snapshot, busy: set[str]) -> list[Command]:
        """The nearest free units to every open incident, the largest first; then, by triage,
        a unit taken from a well-served incident for any incident that still has none."""
        commands: list[Command] = []
        incidents = sorted(
            (i for i in snap.incidents if i.is_open), key=lambda i: (-i.people, i.created_min)
        )
        serving = {i.id: _serving(snap, i, busy) for i in incidents}
        for incident in incidents:
            while self._wants_more(snap, incident, serving[incident.id]):
                unit = self._nearest(
                    snap,
                    incident.needs,
                    (incident.x, incident.y),
                    incident.node,
                    busy,
                    incident.people,
                )
                if unit is None:
                    break
                busy.add(unit)
                serving[incident.id].add(unit)
                commands.append(DispatchUnit(unit=unit, target=incident.id, issuer=self.role))
        for incident in incidents:
            if serving[incident.id]:
                continue
            unit = self._spare(snap, incident, serving, busy)
            if unit is not None:
                busy.add(unit)
                for units in serving.values():
                    units.discard(unit)
                serving[incident.id].add(unit)
                commands.append(DispatchUnit(unit=unit, target=incident.id, issuer=self.role))
        return commands

    @staticmethod
    def _wants_more(snap: Snapshot, incident: IncidentView, serving: set[str]) -> bool:
        """Casualties: a carrier for every four hurt, until one round of trips lifts them
        all (a mass-casualty scene takes every bus and ambulance free, a crash of seven
        two ambulances, keeping one for the next call). Other incidents: a few crews."""
        if incident.kind == "casualties":
            lift = sum(snap.unit(u).carry_persons for u in serving)
            enough = lift >= incident.people or len(serving) >= math.ceil(
                incident.people / HURT_PER_CARRIER
            )
            return not serving or not enough
        return len(serving) < _units_wanted(incident.kind, incident.people, incident.work_min)

    def _spare(
        self,
        snap: Snapshot,
        incident: IncidentView,
        serving: dict[str, set[str]],
        busy: set[str],
    ) -> str | None:
        """Triage (检伤分类, first unit to everyone): the nearest unit able to answer
        ``incident`` from another incident that keeps at least one unit of its own.
        One with patients aboard hands them over first, then comes (sim.responders)."""
        donors = [
            u
            for other, units in serving.items()
            if other != incident.id and len(units) >= 2
            for u in (snap.unit(i) for i in sorted(units))
            if u.status in AT_WORK and _fit(snap, u, incident.needs, incident.node, busy)
        ]
        if not donors:
            return None
        at = (incident.x, incident.y)
        return min(donors, key=lambda u: (_distance((u.x, u.y), at), u.id)).id

    def _nearest(
        self,
        snap: Snapshot,
        needs: tuple[str, ...],
        at: tuple[float, float],
        node: int,
        busy: set[str],
        people: int = 0,
    ) -> str | None:
        """The best ready unit able to do ``needs`` that has a way to ``node`` now.

        Specialists first; then, for ``people`` to carry, no bus for a few casualties
        while an ambulance can go; then the nearest."""
        ready = [u for u in snap.units if u.status in READY and _fit(snap, u, needs, node, busy)]
        if not ready:
            return None
        # Prefer specialists: the unit whose capabilities best match the need.
        return min(
            ready,
            key=lambda u: (
                -len(set(u.capabilities) & set(needs)),
                u.carry_persons > max(people, HURT_PER_CARRIER),
                _distance((u.x, u.y), at),
                u.id,
            ),
        ).id

    def _preposition(self, snap: Snapshot, busy: set[str]) -> list[Command]:
        """Rescue boats forward, before anyone is trapped, to the place nearest each zone
        the forecast threatens (flood-control doctrine: 预置抢险救援力量, pre-position the
        rescue forces). A boat goes only if that place is much nearer the zone than it is."""
        commands: list[Command] = []
        boats = [
            u for u in snap.units if u.type == BOAT and u.status == "available" and u.id not in busy
        ]
        zones = sorted(
            (z for z in snap.zones if snap.threats.get(z.id, (0.0, ""))[0] >= 0.3),
            key=lambda z: (-snap.threats[z.id][0], z.id),
        )
        staged = {u.task for u in snap.units if u.type == BOAT}
        facilities = {f.id: f for f in snap.facilities}
        for zone in zones:
            if not boats:
                break
            site_id = self._sites.get(zone.id)
            if site_id not in facilities:  # the nearest place: places stay where they are
                site_id = min(
                    snap.facilities, key=lambda f: _distance((f.x, f.y), (zone.x, zone.y))
                ).id
                self._sites[zone.id] = site_id
            site = facilities[site_id]
            if f"stage:{site.id}" in staged:
                continue
            near = _distance((site.x, site.y), (zone.x, zone.y)) + FORWARD_GAIN_M
            able = [
                u
                for u in boats
                if snap.can_reach(u, site.node) and _distance((u.x, u.y), (zone.x, zone.y)) > near
            ]
            if not able:
                continue
            boat = min(able, key=lambda u: (_distance((u.x, u.y), (site.x, site.y)), u.id))
            boats.remove(boat)
            busy.add(boat.id)
            commands.append(DispatchUnit(unit=boat.id, target=site.id, issuer=self.role))
        return commands

    def _door_to_door(self, snap: Snapshot, busy: set[str]) -> list[Command]:
        """A police or volunteer team into every threatened zone with people still unaware,
        and into every zone being evacuated (to direct the traffic out)."""
        commands: list[Command] = []
        zones = sorted(
            (
                z
                for z in snap.zones
                if snap.threats.get(z.id, (0.0, ""))[0] >= 0.3 or z.id in self.evacuating
            ),
            key=lambda z: (-z.people["unaware"], z.id),
        )
        for zone in zones:
            leaving = zone.id in self.evacuating and zone.people["warned"] > 0
            if zone.teams or (zone.people["unaware"] < 50 and not leaving):
                continue
            if any(u.task == f"zone:{zone.id}" for u in snap.units):
                continue
            unit = self._nearest(snap, ("door_to_door",), (zone.x, zone.y), zone.node, busy)
            if unit is None:
                break
            busy.add(unit)
            commands.append(DispatchUnit(unit=unit, target=zone.id, issuer=self.role))
        return commands

    def _supply(self, snap: Snapshot, busy: set[str]) -> list[Command]:
        """One truck-load per free truck, to the shelter whose cover runs out first, from the
        nearest depot a road joins to it."""
        # Aircraft can airlift too, but they are kept for rescue: their flying hours are
        # few (sim.units), and an airlift flown now is a rescue not flown later.
        trucks = sum(
            1
            for u in snap.units
            if "supply_transport" in u.capabilities
            and u.way != "air"
            and u.status in READY
            and u.task is None
            and u.id not in busy
        )
        if trucks == 0:
            return []
        depots = [f for f in snap.facilities if f.type == "depot"]
        wants = []
        for shelter in (f for f in snap.facilities if f.type == "shelter" and f.is_open):
            people = shelter.occupants + shelter.waiting
            if people == 0:
                continue
            for item, per_day in SHELTER_NEEDS:
                sent = sum(
                    a
                    for t, a in self._sent_to.get((shelter.id, item), {}).items()
                    if snap.t_min - t < IN_TRANSIT_TRUST_MIN
                )
                have = shelter.stocks.get(item.value, 0.0) + sent
                need = people * (per_day * SUPPLY_HORIZON_H / 24.0 if per_day else 1.0)
                if have < need:
                    cover = have / need
                    wants.append((cover, shelter, item, need - have))
        commands: list[Command] = []
        for _, shelter, item, short in sorted(wants, key=lambda w: (w[0], w[1].id, w[2].value)):
            if len(commands) >= trucks:
                break
            sources = [
                d
                for d in depots
                if d.stocks.get(item.value, 0.0) > 0 and snap.joined(d.node, shelter.node)
            ]
            if not sources:
                continue
            source = min(sources, key=lambda d: _distance((d.x, d.y), (shelter.x, shelter.y)))
            # Whole truck-loads, or half of one when that covers the shortfall: a half-empty
            # truck wastes a round trip, and a dispatcher orders loads, not litres.
            load = TRUCK_LOAD[item] if short > TRUCK_LOAD[item] / 2 else TRUCK_LOAD[item] / 2
            amount = min(load, source.stocks[item.value])
            self.sent[(shelter.id, item, snap.t_min)] = amount
            self._sent_to.setdefault((shelter.id, item), {})[snap.t_min] = amount
            commands.append(
                MoveSupplies(
                    source=source.id,
                    destination=shelter.id,
                    item=item,
                    amount=amount,
                    issuer=self.role,
                )
            )
        return commands


def _fit(snap: Snapshot, unit: UnitView, needs: Iterable[str], node: int, busy: set[str]) -> bool:
    """Able to do one of ``needs``, not given an order this turn, with a way to ``node``
    and crew time left to do something there (a nearly spent crew still takes a job
    short enough to finish: there and back, and a quarter-hour's work)."""
    if unit.id in busy or not set(unit.capabilities) & set(needs) or not snap.can_reach(unit, node):
        return False
    if unit.shift_left_min is None or unit.shift_left_min >= SPENT_CREW_MIN:
        return True
    travel = snap.travel_minutes(unit, node)
    return travel is not None and unit.shift_left_min >= 2 * travel + SHORT_JOB_MIN


def _serving(snap: Snapshot, incident: IncidentView, busy: set[str]) -> set[str]:
    """The units on scene at ``incident`` or on their way there (not those just called off)."""
    on_way = {u.id for u in snap.units if u.task == f"incident:{incident.id}"}
    return (on_way | set(incident.units)) - busy


def _warning_level(threat: float) -> WarningLevel:
    if threat >= 0.7:
        return WarningLevel.RED
    if threat >= 0.5:
        return WarningLevel.ORANGE
    if threat >= 0.3:
        return WarningLevel.YELLOW
    return WarningLevel.BLUE


def _units_wanted(kind: str, people: int, work_min: float) -> int:
    if kind == "trapped":
        return min(4, max(1, math.ceil(people / 30)))
    return min(3, max(1, math.ceil(work_min / 60)))


def _evacuation_path(snap: Snapshot, source: int, target: int) -> list[int] | None:
    """The road nodes evacuees drive through from ``source`` to ``target``: the fastest path
    on open roads at evacuation speed, as the engine routes them (sim.engine); None if none."""
    found = _evacuation_route(snap, source, target)
    return None if found is None else found[0]


def _evacuation_route(snap: Snapshot, source: int, target: int) -> tuple[list[int], float] | None:
    """:func:`_evacuation_path` and its minutes."""
    links: dict[int, list[tuple[int, float]]] = {}
    xy = snap.map.node_xy
    for a, b, _road, cls in snap.map.edges:
        if snap.closed_edges.get((a, b)):
            continue
        kmh = min(ACCESS_SPEED_KMH if cls == "access" else SPEED_KMH[cls], EVACUATION_KMH)
        minutes = math.hypot(*(xy[a] - xy[b])) / 1000.0 / kmh * 60.0
        links.setdefault(a, []).append((b, minutes))
        links.setdefault(b, []).append((a, minutes))
    best, came = {source: 0.0}, {source: source}
    queue = [(0.0, source)]
    while queue:
        here_min, here = heapq.heappop(queue)
        if here == target:
            path = [here]
            while path[-1] != source:
                path.append(came[path[-1]])
            return path[::-1], here_min
        if here_min > best[here]:
            continue
        for there, minutes in links.get(here, ()):
            if here_min + minutes < best.get(there, math.inf):
                best[there] = here_min + minutes
                came[there] = here
                heapq.heappush(queue, (here_min + minutes, there))
    return None


def _at_home(zone: ZoneView) -> int:
    """People of ``zone`` who have not left: those an evacuation order would move."""
    return sum(zone.people.get(state, 0) for state in ("unaware", "warned", "sheltering"))


def _departed(zone: ZoneView) -> int:
    """People of ``zone`` who have left for a shelter: on the road or arrived."""
    return zone.people.get("evacuating", 0) + zone.people.get("evacuated", 0)


def make_bot(name: str, scenario: Scenario) -> IdleBot | ExpertBot:
    """A bot by name: ``idle`` or ``expert``."""
    if name == "idle":
        return IdleBot()
    if name == "expert":
        return ExpertBot(scenario)
    raise ValueError(f"unknown bot {name!r}: choose idle or expert")
