"""Degenerate commanders that try to earn the score without commanding.

A reviewer checking whether the score can be trusted plays these against it,
as a trainee gaming it would: act once and walk away, over-react, spam, do
one job well and nothing else. They are written from the trainee's side:
they see only :class:`sim.Snapshot` and speak only :mod:`sim` commands, as
the game's player does. ``python -m analysis ladder`` holds every one of
:data:`ADVERSARIES` to at most 40 points on every drill and seed.

Two more, :class:`ExpertResend` and :class:`ExpertNoise`, are probes of spam
and luck played beside the expert: neither may move the expert's score (a
resent message reaches no one new; a harmless message does not reshuffle
the drill's luck).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import TypeVar

import numpy as np

import sim

PANIC_LEVEL = sim.ResponseLevel.I
LOUD_CHANNELS = (sim.Channel.BROADCAST, sim.Channel.SMS)  # every channel needing no team
WARN_AGAIN_MIN = 10.0  # warn_only repeats its red warnings this often
SPAM_PER_MIN = 3  # random_spam's orders a minute (about 720 in a four-hour drill)
FORGET_AFTER_MIN = 10.0  # fire_and_forget plays the expert this long, then nothing
RESENDS_PER_MIN = 10  # expert_resend's identical blue texts a minute
NOISE_AT_MIN = 30.0  # expert_noise's one harmless text
READY = ("available", "staged")
SPENT_CREW_MIN = 30.0  # a crew with less duty time left would turn back (as sim.bots)
T = TypeVar("T")
ZONE_WORK = ("door_to_door", "traffic_control")  # what a unit sent to a zone does there


def _distance(ax: float, ay: float, bx: float, by: float) -> float:
    return math.hypot(ax - bx, ay - by)


def _nearest(items: Iterable[T], x: float, y: float, at: Callable[[T], tuple[float, float]]) -> T:
    return min(items, key=lambda item: _distance(x, y, *at(item)))


def _xy(
    view: sim.ZoneView | sim.FacilityView | sim.IncidentView | sim.UnitView,
) -> tuple[float, float]:
    return view.x, view.y


def _shelters(snap: sim.Snapshot) -> list[sim.FacilityView]:
    return [f for f in snap.facilities if f.type == "shelter"]


class _Panic(ABC):
    """Everything at minute 0, then nothing: level I, red on every channel to every zone,
    every shelter open, every zone ordered to act, every unit sent once."""

    name = "panic"

    def __init__(self, scenario: sim.Scenario) -> None:
        del scenario
        self.done = False

    @abstractmethod
    def protect(self, snap: sim.Snapshot, zone: sim.ZoneView) -> sim.Command | None:
        """The protective-action order for ``zone`` (None: none possible)."""

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        if self.done:
            return []
        self.done = True
        snap = snapshot
        commands: list[sim.Command] = []
        if snap.response_level != PANIC_LEVEL.value:
            commands.append(sim.SetResponseLevel(level=PANIC_LEVEL))
        for zone in snap.zones:
            for channel in LOUD_CHANNELS:
                commands.append(
                    sim.IssueWarning(zone=zone.id, level=sim.WarningLevel.RED, channel=channel)
                )
        commands += [sim.OpenShelter(shelter=s.id) for s in _shelters(snap) if not s.is_open]
        for zone in snap.zones:
            order = self.protect(snap, zone)
            if order is not None:
                commands.append(order)
        commands += _send_everyone(snap)
        return commands


def _send_everyone(snap: sim.Snapshot) -> list[sim.Command]:
    """Every unit out once: to the nearest open incident it can work and reach, else to the
    nearest zone (door to door, traffic) if it can work there, else staged at the place
    nearest that zone."""
    commands: list[sim.Command] = []
    incidents = [i for i in snap.incidents if i.is_open]
    for unit in snap.units:
        if unit.status not in READY:
            continue
        able = [
            i
            for i in incidents
            if set(unit.capabilities) & set(i.needs) and snap.can_reach(unit, i.node)
        ]
        if able:
            target = _nearest(able, unit.x, unit.y, _xy).id
        else:
            zone = _nearest(snap.zones, unit.x, unit.y, _xy)
            if set(unit.capabilities) & set(ZONE_WORK):
                target = zone.id
            else:
                target = _nearest(snap.facilities, zone.x, zone.y, _xy).id
        commands.append(sim.DispatchUnit(unit=unit.id, target=target))
    return commands


class PanicEvacuate(_Panic):
    """Over-reaction, then walking away: at minute 0 level I, red warnings by broadcast and
    SMS to every zone, every shelter opened, every zone ordered to evacuate to its nearest
    shelter, every unit sent once (to the nearest open incident it can work, else to a
    zone); then no order for the rest of the drill. Tries to earn the warning, protective
    action, level and dispatch items with one burst of orders and no command after."""

    name = "panic_evacuate"

    def protect(self, snap: sim.Snapshot, zone: sim.ZoneView) -> sim.Command | None:
        shelters = _shelters(snap)
        if not shelters:
            return None
        joined = [s for s in shelters if snap.joined(zone.node, s.node)]
        shelter = _nearest(joined or shelters, zone.x, zone.y, _xy)
        return sim.OrderEvacuation(zone=zone.id, shelter=shelter.id)


class PanicShelter(_Panic):
    """:class:`PanicEvacuate` with shelter in place instead of evacuation: every zone warned
    red and told to take cover at minute 0, every unit sent once, then nothing. (The
    issue's 61.9 on the chlorine drill.)"""

    name = "panic_shelter"

    def protect(self, snap: sim.Snapshot, zone: sim.ZoneView) -> sim.Command | None:
        del snap
        return sim.OrderShelterInPlace(zone=zone.id)


SPAMMER_SEED = 0x5BA4  # which random commander the spammer is


class RandomSpam:
    """Spam: every minute, :data:`SPAM_PER_MIN` orders of random types (every type a trainee
    may give) with random arguments drawn from the map (units, zones, places, roads,
    reinforcements), so most are impossible or pointless and some land by chance. Tries
    to earn items that only count whether an order of a kind was given. Its own numpy
    Generator, seeded with a fixed number of its own and not the drill seed: one random
    commander, the same on every seed, so the spread of its score over seeds is the
    drill's luck, as for every other policy on the ladder."""

    name = "random_spam"

    def __init__(self, scenario: sim.Scenario, seed: int) -> None:
        del seed  # the same spammer on every seed (see the class docstring)
        self.rng = np.random.default_rng(SPAMMER_SEED)
        self.reinforcements = [r.id for r in scenario.forces.reinforcements]
        self.makers: list[Callable[[sim.Snapshot], sim.Command]] = [
            self._dispatch,
            self._recall,
            self._warn,
            self._evacuate,
            self._shelter_in_place,
            self._lift_shelter_in_place,
            self._open_shelter,
            self._close_shelter,
            self._move_supplies,
            self._set_level,
            self._request,
            self._close_road,
            self._open_road,
            self._report,
        ]
        if not self.reinforcements:
            self.makers.remove(self._request)

    def _pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[int(self.rng.integers(len(items)))]

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        return [self._pick(self.makers)(snapshot) for _ in range(SPAM_PER_MIN)]

    def _dispatch(self, snap: sim.Snapshot) -> sim.Command:
        targets = [i.id for i in snap.incidents] + [z.id for z in snap.zones]
        targets += [f.id for f in snap.facilities]
        return sim.DispatchUnit(unit=self._pick(snap.units).id, target=self._pick(targets))

    def _recall(self, snap: sim.Snapshot) -> sim.Command:
        return sim.RecallUnit(unit=self._pick(snap.units).id)

    def _warn(self, snap: sim.Snapshot) -> sim.Command:
        return sim.IssueWarning(
            zone=self._pick(snap.zones).id,
            level=self._pick(list(sim.WarningLevel)),
            channel=self._pick(list(sim.Channel)),
        )

    def _evacuate(self, snap: sim.Snapshot) -> sim.Command:
        places = _shelters(snap) or list(snap.facilities)
        return sim.OrderEvacuation(zone=self._pick(snap.zones).id, shelter=self._pick(places).id)

    def _shelter_in_place(self, snap: sim.Snapshot) -> sim.Command:
        return sim.OrderShelterInPlace(zone=self._pick(snap.zones).id)

    def _lift_shelter_in_place(self, snap: sim.Snapshot) -> sim.Command:
        return sim.LiftShelterInPlace(zone=self._pick(snap.zones).id)

    def _open_shelter(self, snap: sim.Snapshot) -> sim.Command:
        return sim.OpenShelter(shelter=self._pick(_shelters(snap) or list(snap.facilities)).id)

    def _close_shelter(self, snap: sim.Snapshot) -> sim.Command:
        return sim.CloseShelter(shelter=self._pick(_shelters(snap) or list(snap.facilities)).id)

    def _move_supplies(self, snap: sim.Snapshot) -> sim.Command:
        places = [f.id for f in snap.facilities if f.type in ("depot", "shelter")]
        places = places or [f.id for f in snap.facilities]
        return sim.MoveSupplies(
            source=self._pick(places),
            destination=self._pick(places),
            item=self._pick(list(sim.SupplyItem)),
            amount=float(self.rng.integers(1, 5001)),
        )

    def _set_level(self, snap: sim.Snapshot) -> sim.Command:
        del snap
        return sim.SetResponseLevel(level=self._pick(list(sim.ResponseLevel)))

    def _request(self, snap: sim.Snapshot) -> sim.Command:
        del snap
        return sim.RequestReinforcement(reinforcement=self._pick(self.reinforcements))

    def _road(self, snap: sim.Snapshot) -> str:
        return self._pick(sorted({road for _, _, road, _ in snap.map.edges}))

    def _close_road(self, snap: sim.Snapshot) -> sim.Command:
        return sim.CloseRoad(road=self._road(snap))

    def _open_road(self, snap: sim.Snapshot) -> sim.Command:
        return sim.OpenRoad(road=self._road(snap))

    def _report(self, snap: sim.Snapshot) -> sim.Command:
        del snap
        return sim.ReportUpward(
            to=self._pick(list(sim.ReportLevel)), final=bool(self.rng.random() < 0.1)
        )


class WarnOnly:
    """Warnings and nothing else: every zone warned red by broadcast and SMS at minute 0 and
    again every :data:`WARN_AGAIN_MIN` minutes, whether threatened or not; no level, no
    protective action, no unit, no report. Tries to earn the warning items (coverage,
    timeliness, channels) and with them the outcome, by volume."""

    name = "warn_only"

    def __init__(self, scenario: sim.Scenario) -> None:
        del scenario
        self.next_min = 0.0

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        if snapshot.t_min < self.next_min:
            return []
        self.next_min = snapshot.t_min + WARN_AGAIN_MIN
        return [
            sim.IssueWarning(zone=zone.id, level=sim.WarningLevel.RED, channel=channel)
            for zone in snapshot.zones
            for channel in LOUD_CHANNELS
        ]


class DispatchOnly:
    """A good dispatcher and nothing more: every open incident answered at once by the
    nearest free unit able to work it and with a road there (more for a big casualty or
    rescue scene, as a dispatcher would), stranded crews recalled; but never a warning, a
    protective action, a response level, a shelter, supplies or a report. Tries to earn a
    pass on response times alone, leaving people unwarned in the hazard's path."""

    name = "dispatch_only"

    def __init__(self, scenario: sim.Scenario) -> None:
        del scenario

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        snap = snapshot
        commands: list[sim.Command] = []
        busy: set[str] = set()
        for unit in snap.units:
            if unit.status == "stranded":
                busy.add(unit.id)
                commands.append(sim.RecallUnit(unit=unit.id))
        incidents = sorted(
            (i for i in snap.incidents if i.is_open), key=lambda i: (i.created_min, i.id)
        )
        for incident in incidents:
            serving = {u.id for u in snap.units if u.task == f"incident:{incident.id}"}
            serving |= set(incident.units)
            while len(serving) < _crews_wanted(snap, incident, serving):
                free = [
                    u
                    for u in snap.units
                    if u.status in READY
                    and u.id not in busy
                    and set(u.capabilities) & set(incident.needs)
                    and snap.can_reach(u, incident.node)
                    and (u.shift_left_min is None or u.shift_left_min >= SPENT_CREW_MIN)
                ]
                if not free:
                    break
                at = (incident.x, incident.y)
                unit = min(free, key=lambda u: (_distance(u.x, u.y, *at), u.id))
                busy.add(unit.id)
                serving.add(unit.id)
                commands.append(sim.DispatchUnit(unit=unit.id, target=incident.id))
        return commands


def _crews_wanted(snap: sim.Snapshot, incident: sim.IncidentView, serving: set[str]) -> int:
    """How many units a dispatcher sends: carriers until one round lifts every casualty,
    a rescue crew per 30 trapped (up to 4), one to three crews by the work."""
    if incident.kind == "casualties":
        lift = sum(snap.unit(u).carry_persons for u in serving)
        return len(serving) + 1 if lift < incident.people else len(serving)
    if incident.kind == "trapped":
        return min(4, max(1, math.ceil(incident.people / 30)))
    return min(3, max(1, math.ceil(incident.work_min / 60)))


class FireAndForget:
    """Start well, then walk away: the expert bot for the first :data:`FORGET_AFTER_MIN`
    minutes (its warnings, level, first dispatches), then no order at all. Tries to earn
    items judged on the first moves (time to first warning, first dispatch) without
    commanding the rest of the drill."""

    name = "fire_and_forget"

    def __init__(self, scenario: sim.Scenario) -> None:
        self.expert = sim.make_bot("expert", scenario)

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        if snapshot.t_min >= FORGET_AFTER_MIN:
            return []
        return self.expert.decide(snapshot)


class ExpertResend:
    """Probe of spam: the expert, plus :data:`RESENDS_PER_MIN` identical blue SMS warnings a
    minute to the zone the forecast threatens most. A resend reaches no one the channel
    could not reach before, so it must not score above the expert."""

    name = "expert_resend"

    def __init__(self, scenario: sim.Scenario) -> None:
        self.expert = sim.make_bot("expert", scenario)

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        commands = self.expert.decide(snapshot)
        if snapshot.threats:
            zone = max(sorted(snapshot.threats), key=lambda z: snapshot.threats[z][0])
            resend = sim.IssueWarning(
                zone=zone, level=sim.WarningLevel.BLUE, channel=sim.Channel.SMS
            )
            commands += [resend] * RESENDS_PER_MIN
        return commands


class ExpertNoise:
    """Probe of luck: the expert, plus one harmless blue SMS at minute :data:`NOISE_AT_MIN`
    to the zone farthest from every hazard (its source and its footprint) and every
    incident. An unrelated message must not reshuffle the drill (±1 point)."""

    name = "expert_noise"

    def __init__(self, scenario: sim.Scenario) -> None:
        self.expert = sim.make_bot("expert", scenario)
        self.sent = False

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        commands = self.expert.decide(snapshot)
        if not self.sent and snapshot.t_min >= NOISE_AT_MIN:
            self.sent = True
            zone = farthest_zone(snapshot)
            commands.append(
                sim.IssueWarning(zone=zone, level=sim.WarningLevel.BLUE, channel=sim.Channel.SMS)
            )
        return commands


FOOTPRINT_SHARE = 0.01  # a hazard field's cells above this share of its peak are its footprint


def hazard_points(snap: sim.Snapshot) -> np.ndarray:
    """(x, y) of every hazard source, incident and footprint cell in ``snap``, metres."""
    points = [(f.x, f.y) for f in snap.facilities if f.type == "hazard_source"]
    points += [(i.x, i.y) for i in snap.incidents]
    cell = snap.map.cell_m
    arrays = [np.asarray(points, dtype=float).reshape(-1, 2)]
    for field in snap.fields.values():
        values = np.nan_to_num(np.asarray(field, dtype=float))
        if values.ndim != 2:
            continue
        peak = float(values.max(initial=0.0))
        if peak <= 0:
            continue
        rows, cols = np.nonzero(values > FOOTPRINT_SHARE * peak)
        arrays.append(np.column_stack(((cols + 0.5) * cell, (rows + 0.5) * cell)))
    return np.concatenate(arrays)


def farthest_zone(snap: sim.Snapshot) -> str:
    """The zone whose centre is farthest from every hazard and incident (first by id on ties)."""
    points = hazard_points(snap)
    if len(points) == 0:
        return sorted(z.id for z in snap.zones)[0]

    def clearance(zone: sim.ZoneView) -> float:
        return float(np.hypot(points[:, 0] - zone.x, points[:, 1] - zone.y).min())

    return max(sorted(snap.zones, key=lambda z: z.id), key=clearance).id


Adversary = (
    PanicEvacuate
    | PanicShelter
    | RandomSpam
    | WarnOnly
    | DispatchOnly
    | FireAndForget
    | ExpertResend
    | ExpertNoise
)
ADVERSARIES = (
    "panic_evacuate",
    "panic_shelter",
    "random_spam",
    "warn_only",
    "dispatch_only",
    "fire_and_forget",
)
PROBES = ("expert_resend", "expert_noise")
_CLASSES: dict[str, type] = {
    cls.name: cls
    for cls in (
        PanicEvacuate,
        PanicShelter,
        RandomSpam,
        WarnOnly,
        DispatchOnly,
        FireAndForget,
        ExpertResend,
        ExpertNoise,
    )
}


def make_adversary(name: str, scenario: sim.Scenario, seed: int) -> Adversary:
    """An adversary (:data:`ADVERSARIES`) or a probe (:data:`PROBES`) by name, for one drill."""
    if name == RandomSpam.name:
        return RandomSpam(scenario, seed)
    if name not in _CLASSES:
        known = ", ".join(ADVERSARIES + PROBES)
        raise ValueError(f"unknown adversary {name!r}: choose one of {known}")
    return _CLASSES[name](scenario)
