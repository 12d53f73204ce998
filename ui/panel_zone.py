"""Panel builder for a selected zone: its people, warnings, evacuation and teams (see ui.panel).

Doctrine (sim.orders): an evacuation or shelter-in-place order reaches people
through a warning, so both are refused in a zone nobody has warned and no
door-to-door team works in. The panel says so before the click: the orders
are shown disabled with "warn first", and a line says why.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim import Snapshot, UnitView, ZoneView
from ui import feasible
from ui import input as intents
from ui.colours import PERSON_TEXT_RGB
from ui.panel import HINT_RGB, WARNING_LEVELS, WHY_RGB, Choice

if TYPE_CHECKING:
    from ui.panel import SidePanel

MAX_SHELTERS = 3
MAX_TEAMS = 2


def zone(panel: SidePanel, snap: Snapshot, zone_id: str) -> None:
    place = snap.zone(zone_id)
    t, names = panel.t, panel.names
    panel.title = t.pick(place.name_en, place.name_zh)
    states = [(s, n) for s, n in place.people.items() if n]
    for i in range(0, len(states), 2):
        cells = [
            (
                t("panel.zone_people", state=t.enum("person", s), n=f"{n:,}"),
                PERSON_TEXT_RGB.get(s, (220, 220, 220)),
            )
            for s, n in states[i : i + 2]
        ]
        panel.pair(cells[0], cells[1] if len(cells) > 1 else None)
    warning = t("panel.zone_warning", level=t.enum("warning", place.warning))
    panel.text(warning if place.warning else t("panel.zone_no_warning"))
    if place.id in snap.threats:
        level, advice = snap.threats[place.id]
        panel.text(
            t("panel.zone_threat", pct=f"{level * 100:.0f}", advice=t.enum("advice", advice)),
            (255, 190, 90),
        )
    if place.evacuating_to:
        panel.text(t("panel.zone_evacuating", shelter=names.facility(place.evacuating_to)))
    if place.sheltering_in_place:
        panel.text(t("panel.zone_sip"))
    if place.teams:
        panel.text(t("panel.zone_teams", units=t.listing(map(names.unit, place.teams))))
    _warnings(panel, place)
    _protective_actions(panel, snap, place)
    _teams(panel, snap, place)


def _warnings(panel: SidePanel, place: ZoneView) -> None:
    t, scene = panel.t, panel.scene
    channel = scene.channel
    panel.row(
        [
            Choice(
                t("panel.warn_channel", channel=t.enum("channel", channel)),
                intents.Quick("channel"),
            )
        ]
    )
    why = feasible.warn(place, channel)
    if why:
        panel.text(panel.why(why), WHY_RGB)
    panel.row(
        [
            Choice(
                t("panel.warn", level=t.enum("warning", level)),
                intents.Warn(place.id, level, channel),
                f"@warn_{level}",
                why,
                say_why=False,
            )
            for level in WARNING_LEVELS
        ]
    )


def _protective_actions(panel: SidePanel, snap: Snapshot, place: ZoneView) -> None:
    t, names = panel.t, panel.names
    shelters = [f for f in snap.facilities if f.type == "shelter"]
    shelters.sort(key=lambda f: math.hypot(f.x - place.x, f.y - place.y))
    # Reasons that hold for the whole zone are said once, above the buttons.
    zone_wide = feasible.shelter_in_place(place) or (
        "nobody_to_move" if feasible.movable(place) == 0 else None
    )
    if zone_wide == "not_warned":
        panel.text(t("panel.warn_first"), WHY_RGB)
    elif zone_wide:
        panel.text(t("panel.nobody_to_move"), WHY_RGB)
    teams = 2 if _free_teams(snap, place) else 0  # door-to-door teams: a hint and a row
    nearest = shelters[:MAX_SHELTERS]
    whys = [feasible.evacuate(snap, place, shelter) for shelter in nearest]
    if "shelter_closed" in whys:  # the next step is offered instead: open it
        panel.text(t("panel.shelters_closed"), WHY_RGB)
    choices = []
    for shelter, why in zip(nearest, whys, strict=True):
        name = names.facility(shelter.id)
        if why == "shelter_closed":
            opener = intents.SetShelterOpen(shelter.id, True)
            choices.append(Choice(t("panel.open_named", shelter=name), opener))
            continue
        evacuate = intents.Evacuate(place.id, shelter.id)
        label = t("panel.evacuate_to", shelter=name)
        short = (t("panel.evacuate_short", shelter=name),)
        choices.append(Choice(label, evacuate, None, why, say_why=why != zone_wide, shorter=short))
    # Every one of the nearest shelters stays offered, so a zone can always be sent past a
    # full one: below them the shelter-in-place row, then the teams if rows are left (a
    # team can also be sent from its own mark); with fewer rows still, shelters share rows.
    rows = panel.rows_left() - 1
    room = max(1, min(MAX_SHELTERS, rows - teams if rows - teams >= len(choices) else rows))
    per_row = -(-len(choices) // room)
    for i in range(0, len(choices), per_row):
        panel.row(choices[i : i + per_row])
    why = feasible.shelter_in_place(place)
    sip = intents.ShelterInPlace(place.id)
    row = [Choice(t("panel.shelter_in_place"), sip, None, why, say_why=False)]
    if feasible.all_clear(place) is None:  # offered only while people shelter there
        row.append(Choice(t("panel.all_clear"), intents.AllClear(place.id)))
    panel.row(row)


def _teams(panel: SidePanel, snap: Snapshot, place: ZoneView) -> None:
    """Door-to-door and traffic teams that could go there now, nearest by road first."""
    teams = _free_teams(snap, place)
    if not teams or panel.rows_left() < 2:  # the hint line and the row of teams
        return
    times = snap.travel_minutes_to(place.node, teams)
    teams.sort(key=lambda u: (times[u.id] if times[u.id] is not None else math.inf, u.id))
    from ui.panel_things import send_choice

    panel.text(panel.t("panel.teams_hint"), HINT_RGB)
    panel.row([send_choice(panel, u, place.id, times[u.id]) for u in teams[:MAX_TEAMS]])


def _free_teams(snap: Snapshot, place: ZoneView) -> list[UnitView]:
    return [
        u
        for u in snap.units
        if feasible.can_serve(u, feasible.ZONE_WORK)
        and u.status in feasible.FREE
        and feasible.dispatch(snap, u, place.id) is None
    ]
