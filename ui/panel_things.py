"""Panel builders for a selected unit, incident, facility or road (see ui.panel)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim import Snapshot, UnitView
from ui import feasible
from ui import input as intents
from ui.colours import STATUS_RGB
from ui.panel import HINT_RGB, WHY_RGB, Choice, minutes_text

if TYPE_CHECKING:
    from ui.panel import SidePanel

# One truck-load is an 8 t light truck (sim.supplies.TRUCK_LOAD); payloads are in loads.
TRUCK_LOAD_T = 8.0
PEOPLE_KINDS = ("trapped", "casualties", "building_fire")
WORK_KINDS = ("building_fire", "leak", "levee_damage")
ON_THE_MOVE = ("en_route", "transporting", "returning")


def capacity_text(panel: SidePanel, unit: UnitView) -> str | None:
    """What it carries per trip: persons for carriers, tonnes for supply carriers."""
    t = panel.t
    parts = []
    if unit.carry_persons:
        parts.append(t("panel.carries_persons", n=unit.carry_persons))
    if unit.payload_units:
        parts.append(t("panel.carries_tonnes", tonnes=f"{unit.payload_units * TRUCK_LOAD_T:g}"))
    return " · ".join(parts) or None


def task_node(snap: Snapshot, task: str | None, unit: UnitView) -> int | None:
    """Where the unit's task takes it (None when it has none)."""
    if not task:
        return None
    kind, _, target = task.partition(":")
    if kind == "base":
        base = feasible.facility(snap, unit.base)
        return base.node if base else None
    return feasible.target_node(snap, target) if target else None


def task_text(panel: SidePanel, snap: Snapshot, unit: UnitView) -> str:
    """'Task: hazmat leak in Plant staff — arrives in 6 min' (or on scene, or none)."""
    t, names = panel.t, panel.names
    task = panel.scene.task_of(unit)
    if not task:
        return t("panel.no_task")
    kind, _, target = task.partition(":")
    key = f"task.{kind}"
    what = t(key, target=names.place(target)) if t.has(key) else names.place(task)
    node = task_node(snap, task, unit)
    if unit.status in ON_THE_MOVE and node is not None:
        minutes = snap.travel_minutes(unit, node)
        if minutes is None:  # no open road there now: say so, not "arrives in no way"
            return t("panel.task_no_way", task=what)
        return t("panel.task_eta", task=what, eta=minutes_text(t, minutes))
    return t("panel.task", task=what)


def unit(panel: SidePanel, snap: Snapshot, unit_id: str) -> None:
    unit_view = snap.unit(unit_id)
    t, names, scene = panel.t, panel.names, panel.scene
    panel.title = names.unit(unit_view.id)
    panel.text(
        t("panel.status", status=t.enum("status", unit_view.status)),
        STATUS_RGB.get(unit_view.status, (255, 255, 255)),
    )
    panel.text(task_text(panel, snap, unit_view))
    panel.text(t("panel.base", base=names.facility(unit_view.base)))
    caps = t.listing(t.enum("capability", c) for c in unit_view.capabilities)
    panel.text(t("panel.capabilities", caps=caps))
    capacity = capacity_text(panel, unit_view)
    if capacity:
        panel.text(capacity)
    if unit_view.shift_left_min is None:
        panel.text(t("panel.crew_fresh"))
    else:
        left = minutes_text(t, max(0.0, unit_view.shift_left_min))
        panel.text(t("panel.crew_left", time=left))
    if unit_view.carrying_people:
        panel.text(t("panel.carrying", n=unit_view.carrying_people))
    armed = scene.armed
    panel.text(t("panel.dispatch_hint" if armed else "panel.released_hint"), HINT_RGB)
    choices = [
        Choice(
            t("panel.recall"), intents.Recall(unit_view.id), None, feasible.recall(snap, unit_view)
        )
    ]
    if not armed:
        choices.insert(0, Choice(t("panel.rearm"), intents.Select("unit", unit_view.id)))
    panel.row(choices)


def incident(panel: SidePanel, snap: Snapshot, incident_id: str) -> None:
    found = next(i for i in snap.incidents if i.id == incident_id)
    t, names = panel.t, panel.names
    title = names.incident_kind(found.id, found.kind)
    panel.title = title[:1].upper() + title[1:]
    where = names.where(found.id)  # injected without a zone: where it is, not the engine's zone
    zone = t("panel.incident_zone", zone=names.zone(found.zone))
    panel.text(t("names.panel_where", where=where) if where else zone)
    if found.kind in PEOPLE_KINDS or found.people:
        panel.text(t("panel.incident_people", n=f"{found.people:,}"))
    if found.kind in WORK_KINDS:  # crew-minutes mean nothing for rescues or a fire front
        panel.text(t("panel.incident_work", min=f"{found.work_min:.0f}"))
    needs = t.listing(t.enum("capability", n) for n in found.needs)
    panel.text(t("panel.incident_needs", needs=needs))
    if found.units:
        working = [snap.unit(u) for u in found.units]
        times = snap.travel_minutes_to(found.node, working)
        parts = [
            t("panel.unit_eta", unit=names.unit(u.id), eta=minutes_text(t, times[u.id]))
            if u.status == "en_route"
            else names.unit(u.id)
            for u in working
        ]
        panel.text(t("panel.incident_units", units=t.listing(parts)))
    if not found.is_open:
        panel.text(t("panel.incident_resolved"), (120, 220, 140))
        return
    free = [
        u
        for u in snap.units
        if feasible.can_serve(u, found.needs) and u.status in ("available", "staged", "returning")
    ]
    # Only units with a way there are offered; the closures are on the map for all to see.
    able = [u for u in free if snap.can_reach(u, found.node)]
    if not free:  # "other" beside the units already on it, so the two lines do not clash
        panel.text(t("panel.no_other_capable" if found.units else "panel.no_capable"), WHY_RGB)
    elif not able:
        panel.text(t("panel.no_way"), WHY_RGB)
    times = snap.travel_minutes_to(found.node, able)
    able.sort(key=lambda u: (times[u.id] if times[u.id] is not None else math.inf, u.id))
    for candidate in able[: panel.rows_left()]:
        panel.row([send_choice(panel, candidate, found.id, times[candidate.id])])


def send_choice(
    panel: SidePanel, unit_view: UnitView, target: str, minutes: float | None
) -> Choice:
    """'Send ambulance 2 · 6 min · carries 2' for a dispatch button."""
    t = panel.t
    eta = minutes_text(t, minutes)
    name = panel.names.unit(unit_view.id)
    if unit_view.carry_persons:
        label = t("panel.send_carrier", unit=name, eta=eta, n=unit_view.carry_persons)
    else:
        label = t("panel.send_unit", unit=name, eta=eta)
    shorter = (t("panel.send_short", unit=name, eta=eta), name)
    return Choice(label, intents.Dispatch(unit_view.id, target), shorter=shorter)


def facility(panel: SidePanel, snap: Snapshot, facility_id: str) -> None:
    place = next(f for f in snap.facilities if f.id == facility_id)
    t, scene = panel.t, panel.scene
    panel.title = t.pick(place.name_en, place.name_zh)
    kind = t.enum("facility_type", place.type)
    panel.text(f"{kind} · {t.enum('tier', place.tier)}" if place.tier else kind)
    if place.type == "shelter":
        panel.text(t("panel.facility_open" if place.is_open else "panel.facility_closed"))
        panel.text(
            t(
                "panel.facility_capacity",
                occupants=place.occupants,
                capacity=place.capacity,
                waiting=place.waiting,
            )
        )
    if place.beds:
        panel.text(t("panel.facility_beds", patients=place.patients, beds=place.beds))
    stocks = sorted(place.stocks.items())
    for i in range(0, len(stocks), 2):
        left, right = stocks[i], stocks[i + 1] if i + 1 < len(stocks) else None
        panel.pair(_stock(panel, *left), _stock(panel, *right) if right else None)
    if place.type == "shelter":
        opener = intents.SetShelterOpen(place.id, not place.is_open)
        label = t("panel.close_shelter" if place.is_open else "panel.open_shelter")
        panel.row([Choice(label, opener)])
    if place.type in ("depot", "shelter") and place.stocks:
        if scene.supply_source == place.id:
            _supply_destinations(panel, snap, place.id)
        else:
            _supply_buttons(panel, sorted(place.stocks))


def _stock(panel: SidePanel, item: str, amount: float) -> tuple[str, tuple[int, int, int]]:
    t = panel.t
    return t("panel.facility_stock", item=t.enum("item", item), amount=f"{amount:,.0f}"), (
        222,
        228,
        236,
    )


def _supply_buttons(panel: SidePanel, items: list[str]) -> None:
    t, scene = panel.t, panel.scene
    if scene.supply_item not in items:
        scene.supply_item = items[0]
    item = t("panel.supply_item", item=t.enum("item", scene.supply_item))
    amount = t("panel.supply_amount", amount=f"{scene.supply_amount:,.0f}")
    panel.row(
        [Choice(item, intents.Quick("supply_item")), Choice(amount, intents.Quick("supply_amount"))]
    )
    panel.row([Choice(t("panel.supply_send"), intents.Quick("supply_send"))])


def _supply_destinations(panel: SidePanel, snap: Snapshot, source_id: str) -> None:
    """Where the chosen load may go: depots and shelters, nearest first."""
    t, scene = panel.t, panel.scene
    source = feasible.facility(snap, source_id)
    assert source is not None
    amount = min(scene.supply_amount, source.stocks.get(scene.supply_item, 0.0))
    panel.text(
        t(
            "panel.supply_hint",
            amount=f"{amount:,.0f}",
            item=t.enum("item", scene.supply_item),
        ),
        HINT_RGB,
    )
    places = [f for f in snap.facilities if f.type in ("depot", "shelter") and f.id != source_id]
    places.sort(key=lambda f: math.hypot(f.x - source.x, f.y - source.y))
    room = max(1, panel.rows_left() - 1)
    for place in places[:room]:
        send = intents.SendSupplies(source_id, place.id, scene.supply_item, amount)
        why = feasible.supplies(snap, source, place, scene.supply_item)
        label = t("panel.supply_to", place=panel.names.facility(place.id))
        panel.row([Choice(label, send, None, why)])
    panel.row([Choice(t("panel.cancel"), intents.Quick("supply_cancel"))])


def road(panel: SidePanel, snap: Snapshot, road_id: str) -> None:
    t = panel.t
    panel.title = t("panel.road", road=panel.names.road(road_id))
    reasons = sorted({r for stretch in feasible.road_closures(snap, road_id) for r in stretch})
    if reasons:
        text = t.listing(t.enum("road_reason", r) for r in reasons)
        panel.text(t("panel.road_closed", reasons=text), (255, 120, 110))
    else:
        panel.text(t("panel.road_open"))
    choices = []
    if feasible.close_road(snap, road_id) is None:
        choices.append(
            Choice(t("panel.close_road"), intents.SetRoadOpen(road_id, False), "@danger")
        )
    if feasible.open_road(snap, road_id) is None:
        choices.append(Choice(t("panel.open_road"), intents.SetRoadOpen(road_id, True)))
    elif reasons:
        panel.text(t("panel.road_not_ours"), (170, 180, 195))
    panel.row(choices)
