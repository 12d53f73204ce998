"""A naive commander: a novice who does the right kinds of things, late and thinly.

It sits between the idle bot (doing nothing) and the expert on the score
ladder, so the ladder can check the score orders commanders as an
instructor would. A novice on duty:

* declares level IV when something happens and never escalates or asks for
  reinforcements;
* warns a zone only once the forecast threat is grave, on one channel
  (broadcast), then orders the action the forecast advises there a few
  minutes later (evacuation to the nearest shelter, opening it if need be,
  or shelter in place);
* answers an incident only after it has waited ``REACTION_MIN``, with the
  single nearest free unit, and never re-tasks or recalls;
* reports upward once, late; never moves supplies.
"""

from __future__ import annotations

import math

import sim

REACTION_MIN = 20.0  # minutes an incident waits before the naive commander notices it
GRAVE_THREAT = 0.7  # forecast threat at which it finally warns (red, in the expert's scale)
ORDER_AFTER_MIN = 5.0  # minutes between its warning and its protective order
REPORT_AT_MIN = 90.0  # its one report upward, after the event began (the limit is 60)


class NaiveBot:
    """Same protocol as :mod:`sim.bots`: ``name`` and ``decide(snapshot)``."""

    name = "naive"
    role = sim.Role.BOT

    def __init__(self, scenario: sim.Scenario) -> None:
        del scenario
        self.answered: set[str] = set()
        self.warned: dict[str, float] = {}  # zone id -> minute warned
        self.ordered: set[str] = set()
        self.began: float | None = None
        self.reported = False

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        commands = self._mobilise(snapshot)
        commands += self._protect(snapshot)
        busy: set[str] = set()
        for incident in sorted(snapshot.incidents, key=lambda i: (i.created_min, i.id)):
            late = snapshot.t_min - incident.created_min >= REACTION_MIN
            if not incident.is_open or incident.id in self.answered or not late:
                continue
            unit = _nearest(snapshot, incident, busy)
            if unit is not None:
                busy.add(unit)
                self.answered.add(incident.id)
                commands.append(sim.DispatchUnit(unit=unit, target=incident.id, issuer=self.role))
        return commands

    def _mobilise(self, snap: sim.Snapshot) -> list[sim.Command]:
        """Level IV once something happens; one late report upward."""
        happened = bool(snap.incidents) or any(t > 0 for t, _ in snap.threats.values())
        if not happened:
            return []
        commands: list[sim.Command] = []
        if self.began is None:
            self.began = snap.t_min
            commands.append(sim.SetResponseLevel(level=sim.ResponseLevel.IV, issuer=self.role))
        if not self.reported and snap.t_min - self.began >= REPORT_AT_MIN:
            self.reported = True
            commands.append(sim.ReportUpward(to=sim.ReportLevel.COUNTY, issuer=self.role))
        return commands

    def _protect(self, snap: sim.Snapshot) -> list[sim.Command]:
        commands: list[sim.Command] = []
        for zone in snap.zones:
            threat, advice = snap.threats.get(zone.id, (0.0, ""))
            if threat >= GRAVE_THREAT and zone.id not in self.warned:
                self.warned[zone.id] = snap.t_min
                commands.append(
                    sim.IssueWarning(
                        zone=zone.id,
                        level=sim.WarningLevel.RED,
                        channel=sim.Channel.BROADCAST,
                        issuer=self.role,
                    )
                )
            warned_at = self.warned.get(zone.id)
            if warned_at is None or zone.id in self.ordered:
                continue
            if snap.t_min - warned_at >= ORDER_AFTER_MIN:
                self.ordered.add(zone.id)
                commands += self._order(snap, zone, advice)
        return commands

    def _order(self, snap: sim.Snapshot, zone: sim.ZoneView, advice: str) -> list[sim.Command]:
        if advice != "evacuate":
            return [sim.OrderShelterInPlace(zone=zone.id, issuer=self.role)]
        shelters = [f for f in snap.facilities if f.type == "shelter"]
        if not shelters:
            return [sim.OrderShelterInPlace(zone=zone.id, issuer=self.role)]
        near = min(shelters, key=lambda f: (math.hypot(f.x - zone.x, f.y - zone.y), f.id))
        commands: list[sim.Command] = []
        if not near.is_open:
            commands.append(sim.OpenShelter(shelter=near.id, issuer=self.role))
        commands.append(sim.OrderEvacuation(zone=zone.id, shelter=near.id, issuer=self.role))
        return commands


def _nearest(snap: sim.Snapshot, incident: sim.IncidentView, busy: set[str]) -> str | None:
    ready = [
        u
        for u in snap.units
        if u.status == "available"
        and u.id not in busy
        and set(u.capabilities) & set(incident.needs)
    ]
    if not ready:
        return None
    return min(ready, key=lambda u: (math.hypot(u.x - incident.x, u.y - incident.y), u.id)).id
