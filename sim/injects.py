"""Injects: the instructor's scripted events, timed or triggered by a condition.

A timed inject fires at its minute; a conditional one when its condition
first holds (checked every minute). The instructor can also fire any inject
at once with the ``FireInject`` command. Each inject fires at most once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.incidents import HOLDS_PEOPLE
from sim.scenario.schema import (
    BreachLevee,
    CloseRoad,
    DelayReinforcement,
    IncidentKind,
    Inject,
    LoseBridge,
    Message,
    NewIncident,
    ShiftWind,
    StartHazard,
)
from sim.weather import shift_wind

if TYPE_CHECKING:
    from sim.engine import Drill


def start_injects(drill: Drill) -> None:
    for inject in drill.scenario.injects:
        if inject.at_min is not None:
            drill.env.process(_timed(drill.env, drill, inject))


def _timed(
    env: simpy.Environment, drill: Drill, inject: Inject
) -> Generator[simpy.Event, Any, Any]:
    assert inject.at_min is not None
    yield env.timeout(inject.at_min)
    fire_inject(drill, inject.id, source="schedule")


def check_conditions(drill: Drill) -> None:
    """Fire the conditional injects whose condition holds now."""
    for inject in drill.scenario.injects:
        if inject.when is None or inject.id in drill.injects_fired:
            continue
        depth = drill.water_depth_at(inject.when.water_depth_at)
        if depth > inject.when.above_m:
            fire_inject(drill, inject.id, source="condition")


def fire_inject(drill: Drill, inject_id: str, source: str) -> bool:
    """Carry out an inject's actions now; False if it had already fired or is held (only the
    instructor fires a held inject)."""
    if inject_id in drill.injects_fired:
        return False
    if inject_id in drill.injects_held and source != "instructor":
        return False
    inject = next(i for i in drill.scenario.injects if i.id == inject_id)
    drill.injects_fired.add(inject_id)
    void = _without_effect(drill, inject)
    others = [
        i for i, a in enumerate(inject.actions) if not isinstance(a, Message) and i not in void
    ]
    # An inject whose every action came to nothing (a delay for a reinforcement that has
    # already arrived) keeps its message back: it would tell the trainee of a delay that
    # is not happening ("30 minutes late" for boats already at the station).
    withhold = bool(void) and not others
    extra: dict[str, Any] = {}
    if void:
        extra["without_effect"] = [
            {"action": i, "type": inject.actions[i].type, "reason": reason}
            for i, reason in void.items()
        ]
    if withhold:
        extra["messages_withheld"] = True
    drill.emit(ev.INJECT_FIRED, inject=inject_id, source=source, **extra)
    for index, action in enumerate(inject.actions):
        if index in void or (withhold and isinstance(action, Message)):
            continue
        _act(drill, action, inject_id)
    return True


def _without_effect(drill: Drill, inject: Inject) -> dict[int, str]:
    """Actions of ``inject`` that cannot act now, by index, with the reason logged for each."""
    arrived = {
        e.data.get("reinforcement") for e in drill.events if e.kind == ev.REINFORCEMENT_ARRIVED
    }
    return {
        index: "reinforcement_arrived"
        for index, action in enumerate(inject.actions)
        if isinstance(action, DelayReinforcement) and action.reinforcement in arrived
    }


def _act(drill: Drill, action: Any, inject_id: str) -> None:
    if isinstance(action, NewIncident):
        _new_incident(drill, action, inject_id)
    elif isinstance(action, CloseRoad | LoseBridge):
        reason = "inject" if isinstance(action, CloseRoad) else "bridge_lost"
        drill.set_road_closed(action.road, reason, True)
    elif isinstance(action, ShiftWind):
        shift_wind(drill, action.wind_speed_m_per_s, action.wind_from_deg, inject_id)
    elif isinstance(action, DelayReinforcement):
        extra = drill.reinforcement_extra_min
        extra[action.reinforcement] = extra.get(action.reinforcement, 0.0) + action.extra_delay_min
    elif isinstance(action, StartHazard):
        drill.hazards[action.hazard].start(now=True)
    elif isinstance(action, BreachLevee):
        drill.hazards[action.hazard].breach(action.levee, cause=inject_id)
    elif isinstance(action, Message):
        drill.emit(ev.MESSAGE_RECEIVED, en=action.text.en, zh=action.text.zh, inject=inject_id)


def _new_incident(drill: Drill, action: NewIncident, inject_id: str) -> None:
    """Open a scripted incident; people scripted with a kind that does not hold people (see
    :data:`sim.incidents.HOLDS_PEOPLE`) are trapped in a ``<id>-people`` incident beside it."""
    zone = drill.world.zone_by_id[action.zone].index if action.zone else None
    holds = action.incident in HOLDS_PEOPLE
    drill.create_incident(
        action.incident,
        action.at,
        ident=action.id,
        people=action.people if holds else 0,
        work_min=action.work_min,
        zone=zone,
        source=inject_id,
    )
    if not holds and action.people > 0:
        drill.create_incident(
            IncidentKind.TRAPPED,
            action.at,
            ident=f"{action.id}-people",
            people=action.people,
            zone=zone,
            source=inject_id,
        )
