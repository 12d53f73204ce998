"""A naive commander: reacts late and sends only the nearest unit, one per incident.

It sits between the idle bot (floor) and the expert (par) so the score ladder
idle < naive < expert can be checked. It never escalates, opens shelters,
moves supplies or asks for reinforcements; it warns a zone only once the
forecast threat is grave, and answers an incident only after it has waited
``REACTION_MIN``.
"""

from __future__ import annotations

import math

import sim

REACTION_MIN = 20.0  # minutes an incident waits before the naive commander notices it
GRAVE_THREAT = 0.7  # forecast threat at which it finally warns (red, in the expert's scale)


class NaiveBot:
    """Same protocol as :mod:`sim.bots`: ``name`` and ``decide(snapshot)``."""

    name = "naive"
    role = sim.Role.BOT

    def __init__(self, scenario: sim.Scenario) -> None:
        del scenario
        self.answered: set[str] = set()
        self.warned: set[str] = set()

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        commands: list[sim.Command] = []
        for zone in snapshot.zones:
            threat = snapshot.threats.get(zone.id, (0.0, ""))[0]
            if threat >= GRAVE_THREAT and zone.id not in self.warned:
                self.warned.add(zone.id)
                commands.append(
                    sim.IssueWarning(
                        zone=zone.id,
                        level=sim.WarningLevel.RED,
                        channel=sim.Channel.BROADCAST,
                        issuer=self.role,
                    )
                )
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
