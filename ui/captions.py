"""What the drill screen says about an order: before it (hover, chooser), when it must be
confirmed, and after it (the notice).

Functions of the drill scene's state, in the trainee's language; none of
them changes the drill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import feasible
from ui import input as intents
from ui.targets import Plan

if TYPE_CHECKING:
    from ui.scenes.drill import DrillScene

CONFIRM_PEOPLE = 1000  # an evacuation moving this many people asks first
BUSY = ("en_route", "on_scene", "transporting")


def question(scene: DrillScene, intention: intents.Intention) -> str | None:
    """The confirmation an order needs first, or None."""
    t, names, snap = scene.t, scene.names, scene.session.snapshot
    if isinstance(intention, intents.Dispatch):
        unit = snap.unit(intention.unit)
        task = unit.task.partition(":")[2] if unit.task else None
        if unit.status in BUSY and task and task != intention.target:
            return t(
                "confirm.retask",
                unit=names.unit(unit.id),
                status=t.enum("status", unit.status),
                task=names.place(task),
                target=names.place(intention.target),
            )
    if isinstance(intention, intents.Evacuate):
        zone = snap.zone(intention.zone)
        people = feasible.movable(zone)
        if people >= CONFIRM_PEOPLE:
            return t(
                "confirm.evacuate",
                n=f"{people:,}",
                zone=names.zone(zone.id),
                shelter=names.facility(intention.shelter),
            )
    if isinstance(intention, intents.SetLevel) and intention.level == "I":
        return t("confirm.level_I")
    return None


def effect_text(scene: DrillScene, intention: intents.Intention) -> str | None:
    names, snap = scene.names, scene.session.snapshot
    if isinstance(intention, intents.Dispatch | intents.Recall):
        from ui.panel_things import task_text

        unit = snap.unit(intention.unit)
        return f"{names.unit(unit.id)}: {task_text(scene.panel, snap, unit)}"
    return None


def option_label(scene: DrillScene, intention: intents.Intention, thing: intents.Select) -> str:
    what = describe(scene, thing)
    if isinstance(intention, intents.Dispatch):
        snap = scene.session.snapshot
        node = feasible.target_node(snap, thing.id)
        unit = snap.unit(intention.unit)
        minutes = snap.travel_minutes(unit, node) if node is not None else None
        from ui.panel import minutes_text

        return scene.t("chooser.send_to", thing=what, eta=minutes_text(scene.t, minutes))
    if isinstance(intention, intents.SendSupplies):
        return scene.t("panel.supply_to", place=what)
    return what


def describe(scene: DrillScene, thing: intents.Select) -> str:
    """A thing on the map in words: "hazmat leak (Plant staff)", "Depot (supply depot)"."""
    t, names = scene.t, scene.names
    if thing.kind == "unit":
        return names.unit(thing.id)
    if thing.kind == "incident":
        return names.place(thing.id)
    if thing.kind == "facility":
        place = feasible.facility(scene.session.snapshot, thing.id)
        kind = t.enum("facility_type", place.type) if place else ""
        return t("thing.facility", name=names.facility(thing.id), type=kind)
    if thing.kind == "road":
        return t("panel.road", road=names.road(thing.id))
    return names.zone(thing.id)


def hover_for(scene: DrillScene, plan: Plan) -> str | None:
    """What the pointer says a click will do."""
    t = scene.t
    if plan.kind == "choose":
        return t("hover.choose", n=len(plan.options))
    if plan.kind == "order" and plan.intention is not None and plan.thing is not None:
        label = option_label(scene, plan.intention, plan.thing)
        if isinstance(plan.intention, intents.Dispatch):
            return t("hover.send", unit=scene.names.unit(plan.intention.unit), what=label)
        if plan.why:
            return t("panel.disabled", label=label, why=scene.panel.why(plan.why))
        return label
    if plan.kind == "select" and plan.thing is not None:
        text = t("hover.select", thing=describe(scene, plan.thing))
        if plan.why:
            unit = scene.armed_unit()
            name = scene.names.unit(unit.id) if unit else ""
            text = t("hover.cannot", text=text, unit=name, reason=scene.panel.why(plan.why))
        return text
    return None
