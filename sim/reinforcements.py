"""Reinforcements: units that arrive some time after they are requested.

A request is allowed once the response level reaches the reinforcement's
level; the units then travel for ``delay_min`` (plus any delay an inject adds
on the way) and join the drill at their arrival facility, which becomes
their base.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.scenario.schema import Reinforcement

if TYPE_CHECKING:
    from sim.engine import Drill


def reinforcement(
    env: simpy.Environment, drill: Drill, spec: Reinforcement
) -> Generator[simpy.Event, Any, Any]:
    """Reinforcements on their way; delays injected meanwhile push arrival back."""
    requested = env.now
    while True:
        due = requested + spec.delay_min + drill.reinforcement_extra_min.get(spec.id, 0.0)
        if env.now >= due:
            break
        yield env.timeout(due - env.now)
    units = [drill.add_unit(spec.type, spec.arrive_at).id for _ in range(spec.count)]
    drill.emit(ev.REINFORCEMENT_ARRIVED, reinforcement=spec.id, units=units, at=spec.arrive_at)
