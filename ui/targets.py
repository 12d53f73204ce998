"""One click, one clear target: what a left click on the map will do, decided before it.

:func:`plan_click` turns what lies under the pointer (ui.map_widget's
``pick_all``) and the scene's state into a :class:`Plan`: select a thing,
send the selected unit to a target, send supplies, or open a chooser when
several marks share the point. With a unit selected, a target it can serve
wins the click over ones it cannot (a hazmat team clicking the plant gets
the leak, not the casualties beside it); targets it cannot serve are offered
dimmed with the reason, never ordered. The same plan gives the hover text,
so what the pointer says is what the click does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import Snapshot, UnitView
from ui import feasible
from ui import input as intents
from ui.input import Select

TARGET_KINDS = ("incident", "facility", "zone")
SUPPLY_PLACES = ("depot", "shelter")


@dataclass(frozen=True)
class Option:
    """One line of a chooser: what choosing it does, and why it cannot be done (or None)."""

    intention: intents.Intention
    thing: Select
    why: str | None = None


@dataclass(frozen=True)
class Plan:
    """What a click will do: ``kind`` is select, order, choose, deselect or nothing."""

    kind: str
    intention: intents.Intention | None = None
    options: tuple[Option, ...] = ()
    thing: Select | None = None  # what the click is about
    why: str | None = None  # a select that replaces an order the unit cannot carry out


def plan_click(
    snap: Snapshot,
    points: list[Select],
    area: Select | None,
    armed: UnitView | None,
    supply: tuple[str, str, float] | None,
) -> Plan:
    """The plan for a click on ``points`` (marks under the pointer) over ``area``.

    ``armed`` is the selected unit that a click sends; ``supply`` the
    (source, item, amount) waiting for a destination.
    """
    if supply is not None:
        plan = _supply_plan(snap, points, supply)
        if plan is not None:
            return plan
    if armed is not None:
        return _order_plan(snap, points, area, armed)
    if len(points) > 1:
        return Plan("choose", options=tuple(Option(p, p) for p in points))
    if points:
        return Plan("select", points[0], thing=points[0])
    if area is not None:
        return Plan("select", area, thing=area)
    return Plan("deselect", intents.Deselect())


def _supply_plan(
    snap: Snapshot, points: list[Select], supply: tuple[str, str, float]
) -> Plan | None:
    source_id, item, amount = supply
    source = feasible.facility(snap, source_id)
    places = [
        (p, f)
        for p in points
        if p.kind == "facility"
        and (f := feasible.facility(snap, p.id)) is not None
        and f.type in SUPPLY_PLACES
    ]
    if source is None or not places:
        return None
    options = tuple(
        Option(
            intents.SendSupplies(source_id, p.id, item, amount),
            p,
            feasible.supplies(snap, source, f, item),
        )
        for p, f in places
    )
    if len(options) == 1:
        return Plan("order", options[0].intention, thing=options[0].thing, why=options[0].why)
    return Plan("choose", options=options)


def _order_plan(snap: Snapshot, points: list[Select], area: Select | None, unit: UnitView) -> Plan:
    units_here = [p for p in points if p.kind == "unit"]
    if len(units_here) == 1 and units_here[0].id == unit.id:
        return Plan("select", units_here[0], thing=units_here[0])  # its own icon: keep it
    targets = [p for p in points if p.kind in TARGET_KINDS]
    if area is not None and area.kind == "zone":
        targets.append(area)
    whys = {t: feasible.dispatch(snap, unit, t.id) for t in targets}
    options = tuple(Option(intents.Dispatch(unit.id, t.id), t, whys[t]) for t in targets)
    capable = [o for o in options if o.why is None]
    incidents = [o for o in capable if o.thing.kind == "incident"]
    if len(incidents) == 1:
        return Plan("order", incidents[0].intention, thing=incidents[0].thing)
    if len(incidents) > 1:
        return Plan("choose", options=tuple(o for o in options if o.thing.kind == "incident"))
    if len(units_here) > 1:  # a stack's chip (or marks on one point): pick which unit
        return Plan("choose", options=tuple(Option(p, p) for p in units_here))
    if units_here:  # a unit's icon under the pointer: the click is about that unit
        return Plan("select", units_here[0], thing=units_here[0])
    point_targets = [o for o in capable if o.thing.kind != "zone"]
    if len(point_targets) == 1 or (capable and len(capable) == 1):
        chosen = point_targets[0] if point_targets else capable[0]
        return Plan("order", chosen.intention, thing=chosen.thing)
    if len(capable) > 1:
        return Plan("choose", options=tuple(capable) + tuple(o for o in options if o.why))
    if targets:  # nothing here it can serve: select the first thing, and say why not
        first = next((t for t in targets if t.kind != "zone"), targets[0])
        return Plan("select", first, thing=first, why=whys[first])
    if area is not None:
        return Plan("select", area, thing=area)
    return Plan("deselect", intents.Deselect())
