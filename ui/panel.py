"""The side panel: details of the selected thing and the orders that make sense for it.

The panel writes its text with the shipped font and puts its orders on
pygame_gui buttons. Each button carries an intention; the drill scene turns
it into a command. With nothing selected it offers the drill-wide orders:
response level, reinforcements, hazard overlays and ending the drill.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from sim import Snapshot
from ui import input as intents
from ui import theme
from ui.colours import PERSON_TEXT_RGB, STATUS_RGB
from ui.feed import describe_order

if TYPE_CHECKING:
    from ui.scenes.drill import DrillScene

LINE_PX = 19
BUTTON_H = 28
WARNING_LEVELS = ("blue", "yellow", "orange", "red")
CHANNELS = ("broadcast", "sms", "door_to_door")
SUPPLY_AMOUNTS = (100.0, 500.0, 1000.0, 5000.0)
RESPONSE_LEVELS = ("IV", "III", "II", "I")
MAX_OPTIONS = 5
Line = tuple[str, tuple[int, int, int]]


PEOPLE_KINDS = ("trapped", "casualties", "building_fire")
WORK_KINDS = ("building_fire", "leak", "levee_damage")


class SidePanel:
    """Builds the lines and buttons for the scene's current selection."""

    def __init__(self, scene: DrillScene, rect: pygame.Rect) -> None:
        self.scene = scene
        self.rect = pygame.Rect(rect)
        self.t = scene.t
        self.lines: list[Line] = []
        self.title = ""
        self.with_buttons = True
        self.sections: list[tuple[str, int]] = []
        self.cursor_y = self.rect.y

    # -- building ---------------------------------------------------------------
    def rebuild(self, snap: Snapshot, with_buttons: bool = True) -> None:
        """Recompute the text and (unless told not to) the buttons for the selection."""
        self.with_buttons = with_buttons
        if with_buttons:
            self.scene.buttons.clear()
        self.lines = []
        self.sections = []
        sel = self.scene.selected
        builders: dict[str, Callable[[Snapshot, str], None]] = {
            "unit": self._unit,
            "incident": self._incident,
            "zone": self._zone,
            "facility": self._facility,
            "road": self._road,
        }
        if sel is None:
            self._drill_wide(snap)
        else:
            builders[sel.kind](snap, sel.id)

    def _text(self, message: str, colour: tuple[int, int, int] = (222, 228, 236)) -> None:
        for line in theme.wrap(message, 14, self.rect.w - 16):
            self.lines.append((line, colour))

    def _buttons_top(self) -> int:
        return self.rect.y + 34 + len(self.lines) * LINE_PX + 8

    def _button_row(self, labels: list[tuple[str, intents.Intention, str | None]]) -> None:
        """A row of buttons across the panel, below what is there already."""
        if not labels:
            return
        gap = 4
        width = (self.rect.w - 16 - gap * (len(labels) - 1)) // len(labels)
        for i, (label, intention, object_id) in enumerate(labels):
            rect = pygame.Rect(self.rect.x + 8 + i * (width + gap), self.cursor_y, width, BUTTON_H)
            if not self.with_buttons:
                continue
            self.scene.buttons.add(rect, label, lambda it=intention: self.scene.act(it), object_id)
        self.cursor_y += BUTTON_H + gap

    def _begin_buttons(self) -> None:
        self.cursor_y = self._buttons_top()

    # -- per kind ---------------------------------------------------------------
    def _unit(self, snap: Snapshot, unit_id: str) -> None:
        unit = snap.unit(unit_id)
        names, t = self.scene.names, self.t
        self.title = names.unit(unit.id)
        self._text(
            t("panel.status", status=t.enum("status", unit.status)),
            STATUS_RGB.get(unit.status, (255, 255, 255)),
        )
        self._text(
            t("panel.task", task=names.place(unit.task)) if unit.task else t("panel.no_task")
        )
        self._text(t("panel.base", base=names.facility(unit.base)))
        caps = ", ".join(t.enum("capability", c) for c in unit.capabilities)
        self._text(t("panel.capabilities", caps=caps))
        if unit.carrying_people:
            self._text(t("panel.carrying", n=unit.carrying_people))
        self._text(t("panel.dispatch_hint"), (160, 200, 255))
        self._begin_buttons()
        self._button_row([(t("panel.recall"), intents.Recall(unit.id), None)])

    def _incident(self, snap: Snapshot, incident_id: str) -> None:
        incident = next(i for i in snap.incidents if i.id == incident_id)
        t, names = self.t, self.scene.names
        title = t.enum("incident_kind", incident.kind)
        self.title = title[:1].upper() + title[1:]
        self._text(t("panel.incident_zone", zone=names.zone(incident.zone)))
        if incident.kind in PEOPLE_KINDS or incident.people:
            self._text(t("panel.incident_people", n=incident.people))
        if incident.kind in WORK_KINDS:  # crew-minutes mean nothing for rescues or a fire front
            self._text(t("panel.incident_work", min=f"{incident.work_min:.0f}"))
        needs = ", ".join(t.enum("capability", n) for n in incident.needs)
        self._text(t("panel.incident_needs", needs=needs))
        if incident.units:
            self._text(t("panel.incident_units", units=", ".join(map(names.unit, incident.units))))
        if not incident.is_open:
            self._text(t("panel.incident_resolved"), (120, 220, 140))
            return
        capable = [
            u
            for u in snap.units
            if set(u.capabilities) & set(incident.needs)
            and u.status in ("available", "staged", "returning")
        ]
        capable.sort(key=lambda u: math.hypot(u.x - incident.x, u.y - incident.y))
        # Only units with a way there are offered; the closures are on the map for all to see.
        able = [u for u in capable if snap.can_reach(u, incident.node)]
        if not capable:
            self._text(t("panel.no_capable"), (255, 160, 120))
        elif not able:
            self._text(t("panel.no_way"), (255, 160, 120))
        self._begin_buttons()
        for unit in able[:MAX_OPTIONS]:
            km = math.hypot(unit.x - incident.x, unit.y - incident.y) / 1000
            label = t("panel.send_unit", unit=names.unit(unit.id), km=f"{km:.1f}")
            self._button_row([(label, intents.Dispatch(unit.id, incident.id), None)])

    def _zone(self, snap: Snapshot, zone_id: str) -> None:
        zone = snap.zone(zone_id)
        t, names = self.t, self.scene.names
        self.title = t.pick(zone.name_en, zone.name_zh)
        for state, n in zone.people.items():
            if n:
                self._text(
                    t("panel.zone_people", state=t.enum("person", state), n=f"{n:,}"),
                    PERSON_TEXT_RGB.get(state, (220, 220, 220)),
                )
        warning = t("panel.zone_warning", level=t.enum("warning", zone.warning))
        self._text(warning if zone.warning else t("panel.zone_no_warning"))
        if zone.id in snap.threats:
            level, advice = snap.threats[zone.id]
            self._text(
                t("panel.zone_threat", pct=f"{level * 100:.0f}", advice=t.enum("advice", advice)),
                (255, 190, 90),
            )
        if zone.evacuating_to:
            self._text(t("panel.zone_evacuating", shelter=names.facility(zone.evacuating_to)))
        if zone.sheltering_in_place:
            self._text(t("panel.zone_sip"))
        self._begin_buttons()
        channel = self.scene.channel
        self._button_row(
            [
                (
                    t("panel.warn_channel", channel=t.enum("channel", channel)),
                    intents.Quick("channel"),
                    None,
                )
            ]
        )
        self._button_row(
            [
                (
                    t("panel.warn", level=t.enum("warning", level)),
                    intents.Warn(zone.id, level, channel),
                    f"#warn_{level}",
                )
                for level in WARNING_LEVELS
            ]
        )
        shelters = [f for f in snap.facilities if f.type == "shelter"]
        shelters.sort(key=lambda f: math.hypot(f.x - zone.x, f.y - zone.y))
        for shelter in shelters[: MAX_OPTIONS - 1]:
            label = t("panel.evacuate_to", shelter=names.facility(shelter.id))
            self._button_row([(label, intents.Evacuate(zone.id, shelter.id), None)])
        self._button_row([(t("panel.shelter_in_place"), intents.ShelterInPlace(zone.id), None)])

    def _facility(self, snap: Snapshot, facility_id: str) -> None:
        facility = next(f for f in snap.facilities if f.id == facility_id)
        t = self.t
        self.title = t.pick(facility.name_en, facility.name_zh)
        kind = t.enum("facility_type", facility.type)
        self._text(f"{kind} · {t.enum('tier', facility.tier)}" if facility.tier else kind)
        if facility.type == "shelter":
            self._text(t("panel.facility_open" if facility.is_open else "panel.facility_closed"))
            self._text(
                t(
                    "panel.facility_capacity",
                    occupants=facility.occupants,
                    capacity=facility.capacity,
                    waiting=facility.waiting,
                )
            )
        if facility.beds:
            self._text(t("panel.facility_beds", patients=facility.patients, beds=facility.beds))
        for item, amount in sorted(facility.stocks.items()):
            self._text(
                t("panel.facility_stock", item=t.enum("item", item), amount=f"{amount:,.0f}")
            )
        if self.scene.supply_source == facility.id:
            self._text(t("panel.supply_hint"), (160, 200, 255))
        self._begin_buttons()
        if facility.type == "shelter":
            opener = intents.SetShelterOpen(facility.id, not facility.is_open)
            label = t("panel.close_shelter" if facility.is_open else "panel.open_shelter")
            self._button_row([(label, opener, None)])
        if facility.stocks and facility.type in ("depot", "shelter"):
            self._supply_buttons(facility.id, sorted(facility.stocks))

    def _supply_buttons(self, facility_id: str, items: list[str]) -> None:
        t, scene = self.t, self.scene
        if scene.supply_item not in items:
            scene.supply_item = items[0]
        self._button_row(
            [
                (
                    t("panel.supply_item", item=t.enum("item", scene.supply_item)),
                    intents.Quick("supply_item"),
                    None,
                ),
                (
                    t("panel.supply_amount", amount=f"{scene.supply_amount:,.0f}"),
                    intents.Quick("supply_amount"),
                    None,
                ),
            ]
        )
        self._button_row([(t("panel.supply_send"), intents.Quick("supply_send"), None)])

    def _road(self, snap: Snapshot, road_id: str) -> None:
        t = self.t
        self.title = t("panel.road", road=self.scene.names.road(road_id))
        reasons = sorted(
            {
                r
                for (a, b), rs in snap.closed_edges.items()
                for r in rs
                if road_id in self._roads_of(snap, a, b)
            }
        )
        if reasons:
            text = ", ".join(t.enum("road_reason", r) for r in reasons)
            self._text(t("panel.road_closed", reasons=text), (255, 120, 110))
        else:
            self._text(t("panel.road_open"))
        self._begin_buttons()
        self._button_row(
            [
                (t("panel.close_road"), intents.SetRoadOpen(road_id, False), "#danger"),
                (t("panel.open_road"), intents.SetRoadOpen(road_id, True), None),
            ]
        )

    @staticmethod
    def _roads_of(snap: Snapshot, a: int, b: int) -> set[str]:
        return {road for x, y, road, _ in snap.map.edges if {x, y} == {a, b}}

    def _drill_wide(self, snap: Snapshot) -> None:
        t = self.t
        self.title = t("panel.none")
        self._text(t("panel.none_hint"), (170, 180, 195))
        self._text(t("panel.keys"), (140, 150, 165))
        for i, name in enumerate(sorted(snap.fields)[:6]):
            shown = self.scene.map.overlay_shown.get(name, True)
            label = t(f"overlay.{name}") if t.has(f"overlay.{name}") else name
            self._text(
                t(
                    "panel.overlay_line",
                    key=f"F{i + 1}",
                    name=label,
                    state=t("panel.on" if shown else "panel.off"),
                ),
                (130, 190, 255),
            )
        self._begin_buttons()
        self._section(t("panel.response_level"))
        self._button_row(
            [(t.enum("level", lv), intents.SetLevel(lv), None) for lv in RESPONSE_LEVELS]
        )
        reinforcements = self.scene.session.loaded.scenario.forces.reinforcements
        if reinforcements:
            self._section(t("panel.reinforcements"))
        for spec in reinforcements[:MAX_OPTIONS]:
            label = t(
                "panel.reinforcement_button",
                count=spec.count,
                type=t.enum("unit_type", spec.type.value),
                level=t.enum("level", spec.level),
            )
            done = spec.id in snap.reinforcements_requested
            self._button_row([(("✓ " if done else "") + label, intents.Reinforce(spec.id), None)])
        self.cursor_y += 6
        self._button_row([(t("panel.end_drill"), intents.Quick("end"), "#danger")])

    def _section(self, heading: str) -> None:
        self.sections.append((heading, self.cursor_y))
        self.cursor_y += LINE_PX + 2

    # -- drawing ---------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, (24, 29, 37), self.rect)
        pygame.draw.line(surface, (60, 70, 84), self.rect.topleft, self.rect.bottomleft, 1)
        surface.blit(
            theme.text(18, self.title, (255, 255, 255), True), (self.rect.x + 8, self.rect.y + 6)
        )
        y = self.rect.y + 34
        for line, colour in self.lines:
            if line:
                surface.blit(theme.text(14, line, colour), (self.rect.x + 8, y))
                y += LINE_PX
        for heading, top in self.sections:
            surface.blit(theme.text(14, heading, (170, 190, 215), True), (self.rect.x + 8, top))


def order_text(intention: intents.Intention, scene: DrillScene) -> str:
    """A readable line for an order intention (used by tools and tests)."""
    command = intents.to_command(intention)
    if command is None:
        return ""
    return describe_order(command.model_dump(mode="json"), scene.t, scene.names)
