"""Applying a hazard's harm to the people of one zone, at home and on the move.

Hazard runtimes turn their fields into per-zone chances (over one step) of a
person at home being killed, injured or trapped, with separate chances for
people sheltering indoors. People on the move (EVACUATING: on the road to a
shelter, or waiting outside a full one) are outdoors, without the protection
of a building, wherever they are: :func:`people_on_the_move` says where each
group was over the step and the runtime gives each its chances from the
fields there. This module counts the people harmed (expected counts, the
fractions carried: :mod:`sim.tally`) and moves them; the injured
and trapped join the zone's casualty and rescue incidents so responders can
reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim import events as ev
from sim.population import Evacuees, PersonState, whereabouts_of
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


def share_of(mask: np.ndarray) -> float:
    """``float(mask.mean())`` of a non-empty boolean array, to the bit: numpy's mean adds the
    ones up exactly in float64 and divides once by the size, as this does, without its
    Python-level wrapper (a few microseconds, asked for every zone and group each step)."""
    return np.count_nonzero(mask) / mask.size


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
    zone_id = drill.world.zones[zone].id
    totals = {"dead": 0, "injured": 0, "trapped": 0}
    groups = (
        (PersonState.UNAWARE, at_home),
        (PersonState.WARNED, warned or at_home),
        (PersonState.SHELTERING, indoors),
    )
    for state, harm in groups:
        if not harm.any:
            continue
        drawn = _count(drill, (cause, zone_id, state), drill.population.count(zone, state), harm)
        for outcome, n in drawn.items():
            totals[outcome] += _apply(drill, zone, state, outcome, n, xy, cause)
    if any(totals.values()):
        drill.emit(ev.PEOPLE_HARMED, zone=drill.world.zones[zone].id, cause=cause, **totals)


def _count(drill: Drill, cohort: tuple[object, ...], people: int, harm: Harm) -> dict[str, int]:
    """How many of ``people`` die, are injured, are trapped (disjoint outcomes): expected
    counts with the fractions carried per cohort (:mod:`sim.tally`)."""
    drawn = {"dead": 0, "injured": 0, "trapped": 0}
    remaining = people
    for outcome, chance in (
        ("dead", harm.dead),
        ("injured", harm.injured),
        ("trapped", harm.trapped),
    ):
        if remaining <= 0 or chance <= 0:
            continue
        # Disjoint outcomes in turn: each conditional on not the ones before.
        n = drill.tally.count((*cohort, outcome), remaining, chance)
        remaining -= n
        drawn[outcome] = n
        harm = _conditional(harm, outcome, chance)
    return drawn


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


# Positions sampled per harm step along an evacuee group's way: at 20 km/h a
# group covers ~330 m a minute, so six samples fall ~55 m apart, about one
# grid cell of the shipped maps (a numerical choice, not a physical constant).
ROUTE_SAMPLES_PER_STEP = 6


class OnTheMove(NamedTuple):
    """People of one zone outdoors away from home over the last step.

    ``cells`` are the flat grid cells they were in, at equal shares of the
    step (the mean of a field over them is its time average along the way);
    ``group`` is their group on the road, or None for those waiting outside
    the shelter ``shelter``. A named tuple: made for every group by every
    hazard every step, at a fraction of a frozen dataclass's cost.
    """

    zone: int
    people: int
    cells: np.ndarray
    xy: tuple[float, float]
    group: Evacuees | None
    shelter: str


def people_on_the_move(drill: Drill, dt_min: float) -> list[OnTheMove]:
    """Every group of evacuees, where it went over the last ``dt_min`` minutes.

    Groups on the road in the order they set off; then those waiting outside
    each shelter (by shelter id, then zone), standing at its door.
    """
    world, now = drill.world, drill.now
    # Each hazard asks in turn at the same minute: where the groups went is worked out for
    # the first and kept for the others (their numbers are read afresh: harm thins them).
    groups = tuple(drill.in_transit)
    cached = drill.on_the_move_cache
    if cached is None or cached[0] != (now, dt_min) or cached[1] != groups:
        on_road = [group for group in groups if group.people > 0]
        # All groups in one go (the same numbers as asking each: Evacuees.whereabouts).
        cells, xy = whereabouts_of(
            on_road, now - dt_min, now, world.shape, world.cell_m, ROUTE_SAMPLES_PER_STEP
        )
        where = list(zip(on_road, cells, map(tuple, xy.tolist()), strict=True))
        cached = drill.on_the_move_cache = ((now, dt_min), groups, where)
    moving = [
        OnTheMove(group.zone, group.people, cells, xy, group, "")
        for group, cells, xy in cached[2]
        if group.people > 0
    ]
    for shelter_id, state in sorted(drill.shelters.items()):
        facility = world.facilities[shelter_id]
        cell = np.array([facility.cell[0] * world.shape[1] + facility.cell[1]])
        for zone, people in sorted(state.waiting.items()):
            if people > 0:
                moving.append(OnTheMove(zone, people, cell, facility.xy, None, shelter_id))
    return moving


def cells_on_the_way(moving: list[OnTheMove]) -> tuple[np.ndarray, np.ndarray]:
    """Every group's cells end to end, and where each group's run of them starts.

    A field gathered once over them (``field[cells]``) holds each group's values in
    the slice from its start to the next: the same values, in the same order, as
    ``field[where.cells]``, without one gather per group.
    """
    if not moving:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cells = np.concatenate([where.cells for where in moving])
    sizes = np.fromiter((where.cells.size for where in moving), np.int64, len(moving))
    starts = np.zeros(len(moving), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return cells, starts


def any_on_the_way(hit: np.ndarray, starts: np.ndarray) -> list[bool]:
    """Whether each group meets ``hit`` (a boolean field gathered over
    :func:`cells_on_the_way`) in any of its cells."""
    if not starts.size:
        return []
    return np.logical_or.reduceat(hit, starts).tolist()


def harm_on_the_move(drill: Drill, harmed: list[tuple[OnTheMove, Harm]], cause: str) -> None:
    """Draw and apply harm to groups of evacuees; one PeopleHarmed per zone (``evacuees``).

    Each zone's evacuees are their own cohort, apart from the people at home.
    """
    totals: dict[int, dict[str, int]] = {}
    for where, harm in harmed:
        if not harm.any or where.people <= 0:
            continue
        zone_id = drill.world.zones[where.zone].id
        zone_totals = totals.setdefault(where.zone, {"dead": 0, "injured": 0, "trapped": 0})
        cohort = (cause, zone_id, "on_the_move", where.shelter if where.group is None else "road")
        for outcome, n in _count(drill, cohort, where.people, harm).items():
            moved = _apply(drill, where.zone, PersonState.EVACUATING, outcome, n, where.xy, cause)
            _leave_group(drill, where, moved)
            zone_totals[outcome] += moved
    for zone, zone_totals in sorted(totals.items()):
        if any(zone_totals.values()):
            drill.emit(
                ev.PEOPLE_HARMED,
                zone=drill.world.zones[zone].id,
                cause=cause,
                evacuees=True,
                **zone_totals,
            )


def _leave_group(drill: Drill, where: OnTheMove, n: int) -> None:
    """``n`` people of a group are dead, hurt or stuck: they travel (or wait) no more."""
    if n <= 0:
        return
    if where.group is not None:
        where.group.people -= n
        return
    waiting = drill.shelters[where.shelter].waiting
    waiting[where.zone] -= n
    if waiting[where.zone] <= 0:
        del waiting[where.zone]
