"""Applying a hazard's harm to the people of one zone.

Hazard runtimes turn their fields into per-zone chances (over one step) of a
person at home being killed, injured or trapped, with separate chances for
people sheltering indoors. This module draws the numbers from the drill's
random streams (one per hazard and zone, :mod:`sim.rng`) and moves the
people; the injured and trapped join the zone's casualty and rescue
incidents so responders can reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim import events as ev
from sim.population import PersonState
from sim.rng import HAZARD_HARM
from sim.scenario.schema import IncidentKind

if TYPE_CHECKING:
    from sim.engine import Drill


@dataclass(frozen=True)
class Harm:
    """Chances over one step, for one person, of each outcome (disjoint)."""

    dead: float = 0.0
    injured: float = 0.0
    trapped: float = 0.0

    def scaled(self, factor: float) -> Harm:
        return Harm(self.dead * factor, self.injured * factor, self.trapped * factor)

    @property
    def any(self) -> bool:
        return self.dead > 0 or self.injured > 0 or self.trapped > 0


def harm_zone(
    drill: Drill,
    zone: int,
    at_home: Harm,
    indoors: Harm,
    cause: str,
    xy: tuple[float, float],
    warned: Harm | None = None,
) -> None:
    """Draw and apply harm to one zone's people at home and sheltering indoors.

    ``warned`` is the harm to people who have heard a warning but are still at
    home (they are ready to flee); it defaults to ``at_home``.
    """
    luck = drill.rng.stream(HAZARD_HARM, cause, drill.world.zones[zone].id)
    totals = {"dead": 0, "injured": 0, "trapped": 0}
    groups = (
        (PersonState.UNAWARE, at_home),
        (PersonState.WARNED, warned or at_home),
        (PersonState.SHELTERING, indoors),
    )
    for state, harm in groups:
        if not harm.any:
            continue
        remaining = drill.population.count(zone, state)
        for outcome, chance in (
            ("dead", harm.dead),
            ("injured", harm.injured),
            ("trapped", harm.trapped),
        ):
            if remaining <= 0 or chance <= 0:
                continue
            # Disjoint outcomes drawn in turn: each conditional on not the ones before.
            n = luck.binomial(remaining, min(1.0, chance))
            remaining -= n
            totals[outcome] += _apply(drill, zone, state, outcome, n, xy, cause)
            harm = _conditional(harm, outcome, chance)
    if any(totals.values()):
        drill.emit(ev.PEOPLE_HARMED, zone=drill.world.zones[zone].id, cause=cause, **totals)


def _conditional(harm: Harm, drawn: str, chance: float) -> Harm:
    left = max(1e-12, 1.0 - chance)
    values = {"dead": harm.dead, "injured": harm.injured, "trapped": harm.trapped}
    values[drawn] = 0.0
    return Harm(values["dead"] / left, values["injured"] / left, values["trapped"] / left)


def _apply(
    drill: Drill,
    zone: int,
    state: PersonState,
    outcome: str,
    n: int,
    xy: tuple[float, float],
    cause: str,
) -> int:
    if n <= 0:
        return 0
    if outcome == "dead":
        return drill.population.move(zone, state, PersonState.DEAD, n)
    kind = IncidentKind.CASUALTIES if outcome == "injured" else IncidentKind.TRAPPED
    target = PersonState.INJURED if outcome == "injured" else PersonState.TRAPPED
    moved = drill.population.move(zone, state, target, n)
    drill.add_to_zone_incident(zone, kind, moved, xy, cause)
    return moved
