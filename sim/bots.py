"""Scripted commanders that use the same public API as a trainee.

* :class:`IdleBot` never acts: the floor of the score scale.
* :class:`ExpertBot` is a sound heuristic commander: it escalates, opens
  shelters, warns and evacuates threatened zones early, sends the nearest
  capable unit to every incident, keeps shelters supplied and asks for
  reinforcements when it runs short. It is the par of the score scale.

Bots see only snapshots and speak only commands.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

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
from sim.scenario.schema import ResponseLevel, Scenario, SupplyItem
from sim.snapshot import FacilityView, IncidentView, Snapshot, UnitView, ZoneView
from sim.supplies import TRUCK_LOAD

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


class IdleBot:
    """Never gives an order."""

    name = "idle"

    def decide(self, snapshot: Snapshot) -> list[Command]:
        del snapshot
        return []


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


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
        self.pledged: dict[str, int] = {}
        self.next_report_min = 0.0

    def decide(self, snapshot: Snapshot) -> list[Command]:
        commands: list[Command] = []
        busy: set[str] = set()
        commands += self._escalate(snapshot)
        commands += self._report(snapshot)
        commands += self._replan_cut_off(snapshot)  # before this minute's new orders
        commands += self._protect_people(snapshot)
        commands += self._all_clear(snapshot)
        commands += self._recall_stranded(snapshot, busy)
        commands += self._respond(snapshot, busy)
        commands += self._door_to_door(snapshot, busy)
        commands += self._preposition(snapshot, busy)
        commands += self._supply(snapshot, busy)
        return commands

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
        commands: list[Command] = []
        shelters = [f for f in snap.facilities if f.type == "shelter" and not f.lost]
        threatened = [
            (z, *snap.threats[z.id]) for z in snap.zones if snap.threats.get(z.id, (0.0, ""))[0] > 0
        ]
        if threatened:
            for shelter in shelters:
                if not shelter.is_open:
                    commands.append(OpenShelter(shelter=shelter.id, issuer=self.role))
        for zone, threat, advice in sorted(threatened, key=lambda z: -z[1]):
            level = _warning_level(threat)
            if threat >= 0.3 and advice in ("evacuate", "shelter"):
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
            if advice == "shelter" and zone.id not in self.sheltering and threat >= 0.3:
                self.sheltering.add(zone.id)
                self.evacuating.discard(zone.id)
                commands.append(OrderShelterInPlace(zone=zone.id, issuer=self.role))
            elif advice == "evacuate" and zone.id not in self.evacuating and threat >= 0.3:
                people = sum(zone.people.values())
                shelter = self._shelter_for(zone, snap, shelters, people, reachable_only=True)
                if shelter is not None:
                    self.evacuating.add(zone.id)
                    commands.append(
                        OrderEvacuation(zone=zone.id, shelter=shelter.id, issuer=self.role)
                    )
                elif shelters and zone.id not in self.sheltering:
                    # Every shelter is cut off by road: take cover rather than order a
                    # move the roads cannot carry (it would be refused).
                    self.sheltering.add(zone.id)
                    commands.append(OrderShelterInPlace(zone=zone.id, issuer=self.role))
        return commands

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
                del self.clear_since[zone.id]
                commands.append(LiftShelterInPlace(zone=zone.id, issuer=self.role))
        return commands

    def _replan_cut_off(self, snap: Snapshot) -> list[Command]:
        """An evacuation whose road to its shelter is cut, or whose shelter was lost, is sent
        to another shelter the open roads still reach; with none, the people left at home
        take cover where they are. Closures and losses are on the commander's map."""
        commands: list[Command] = []
        places = {f.id: f for f in snap.facilities if f.type == "shelter" and not f.lost}
        for zone in snap.zones:
            target = places.get(zone.evacuating_to or "")
            at_home = zone.people.get("warned", 0) + zone.people.get("unaware", 0)
            if at_home == 0 or (target is not None and snap.joined(zone.node, target.node)):
                continue
            if target is None and (zone.id not in self.evacuating or zone.sheltering_in_place):
                continue  # not leaving (a lost shelter ends an evacuation: that one is ours)
            if target is not None:
                self.pledged[target.id] = self.pledged.get(target.id, 0) - at_home
            others = [s for s in places.values() if target is None or s.id != target.id]
            shelter = self._shelter_for(zone, snap, others, at_home, reachable_only=True)
            if shelter is not None:
                if not shelter.is_open:
                    commands.append(OpenShelter(shelter=shelter.id, issuer=self.role))
                commands.append(OrderEvacuation(zone=zone.id, shelter=shelter.id, issuer=self.role))
            else:
                self.evacuating.discard(zone.id)
                self.sheltering.add(zone.id)
                commands.append(OrderShelterInPlace(zone=zone.id, issuer=self.role))
        return commands

    def _shelter_for(
        self,
        zone: ZoneView,
        snap: Snapshot,
        shelters: list[FacilityView],
        people: int,
        reachable_only: bool = False,
    ) -> FacilityView | None:
        """The nearest shelter with room for most of ``people`` among those open roads join
        to the zone (with ``reachable_only``, None if none is joined; otherwise any)."""
        joined = [s for s in shelters if snap.joined(zone.node, s.node)]
        if reachable_only or joined:
            shelters = joined
        if not shelters:
            return None
        roomy = [s for s in shelters if s.capacity - self.pledged.get(s.id, 0) >= people * 0.8]
        choice = min(roomy or shelters, key=lambda s: _distance((zone.x, zone.y), (s.x, s.y)))
        self.pledged[choice.id] = self.pledged.get(choice.id, 0) + people
        return choice

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
        for zone in zones:
            if not boats:
                break
            site = min(snap.facilities, key=lambda f: _distance((f.x, f.y), (zone.x, zone.y)))
            if any(u.task == f"stage:{site.id}" for u in snap.units if u.type == BOAT):
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
                    for (s, i, t), a in self.sent.items()
                    if s == shelter.id and i == item and snap.t_min - t < IN_TRANSIT_TRUST_MIN
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
    if (
        unit.id in busy
        or not set(unit.capabilities) & set(needs)
        or not snap.can_reach(unit, node)
    ):
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


def make_bot(name: str, scenario: Scenario) -> IdleBot | ExpertBot:
    """A bot by name: ``idle`` or ``expert``."""
    if name == "idle":
        return IdleBot()
    if name == "expert":
        return ExpertBot(scenario)
    raise ValueError(f"unknown bot {name!r}: choose idle or expert")
