"""Input, translated once: pygame events become intentions, intentions become commands.

pygame_gui sees every event first (app.py); what it leaves comes here. Keys
map to intentions with :func:`key_intention`; the drill scene resolves mouse
clicks on the map into :class:`Select` or order intentions; and
:func:`to_command` turns an order intention into the engine command that
carries it out. Nothing here touches the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from sim import (
    Channel,
    CloseRoad,
    CloseShelter,
    Command,
    DispatchUnit,
    IssueWarning,
    LiftShelterInPlace,
    MoveSupplies,
    OpenRoad,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    RecallUnit,
    ReportLevel,
    ReportUpward,
    RequestReinforcement,
    ResponseLevel,
    SetResponseLevel,
    SupplyItem,
    WarningLevel,
)


# -- intentions that stay in the front end ------------------------------------
@dataclass(frozen=True)
class Select:
    kind: str  # unit, incident, zone, facility, road
    id: str


@dataclass(frozen=True)
class Deselect:
    """Cancel: close a chooser or question, leave supply mode, release the selection."""


@dataclass(frozen=True)
class TogglePause:
    pass


@dataclass(frozen=True)
class SetSpeed:
    index: int


@dataclass(frozen=True)
class ChangeSpeed:
    delta: int


@dataclass(frozen=True)
class Pan:
    dx_px: float
    dy_px: float


@dataclass(frozen=True)
class Zoom:
    factor: float


@dataclass(frozen=True)
class ToggleOverlay:
    index: int  # -1: all overlays


@dataclass(frozen=True)
class Quick:
    """A shortcut on the selection: recall, warn, shelter, evacuate, channel."""

    action: str


# -- intentions that become engine commands --------------------------------------
@dataclass(frozen=True)
class Dispatch:
    unit: str
    target: str

    def command(self) -> Command:
        return DispatchUnit(unit=self.unit, target=self.target)


@dataclass(frozen=True)
class Recall:
    unit: str

    def command(self) -> Command:
        return RecallUnit(unit=self.unit)


@dataclass(frozen=True)
class Warn:
    zone: str
    level: str
    channel: str

    def command(self) -> Command:
        level, channel = WarningLevel(self.level), Channel(self.channel)
        return IssueWarning(zone=self.zone, level=level, channel=channel)


@dataclass(frozen=True)
class Evacuate:
    zone: str
    shelter: str

    def command(self) -> Command:
        return OrderEvacuation(zone=self.zone, shelter=self.shelter)


@dataclass(frozen=True)
class ShelterInPlace:
    zone: str

    def command(self) -> Command:
        return OrderShelterInPlace(zone=self.zone)


@dataclass(frozen=True)
class AllClear:
    """Lift shelter-in-place in a zone (解除就地避险)."""

    zone: str

    def command(self) -> Command:
        return LiftShelterInPlace(zone=self.zone)


@dataclass(frozen=True)
class SetShelterOpen:
    shelter: str
    open: bool

    def command(self) -> Command:
        kind = OpenShelter if self.open else CloseShelter
        return kind(shelter=self.shelter)


@dataclass(frozen=True)
class SendSupplies:
    source: str
    destination: str
    item: str
    amount: float

    def command(self) -> Command:
        return MoveSupplies(
            source=self.source,
            destination=self.destination,
            item=SupplyItem(self.item),
            amount=self.amount,
        )


@dataclass(frozen=True)
class SetLevel:
    level: str

    def command(self) -> Command:
        return SetResponseLevel(level=ResponseLevel(self.level))


@dataclass(frozen=True)
class Reinforce:
    reinforcement: str

    def command(self) -> Command:
        return RequestReinforcement(reinforcement=self.reinforcement)


@dataclass(frozen=True)
class Report:
    """A situation report upward (信息报告): ``to`` county, city or province."""

    to: str
    final: bool

    def command(self) -> Command:
        return ReportUpward(to=ReportLevel(self.to), final=self.final)


@dataclass(frozen=True)
class SetRoadOpen:
    road: str
    open: bool

    def command(self) -> Command:
        kind = OpenRoad if self.open else CloseRoad
        return kind(road=self.road)


Intention = object
PAN_STEP_PX = 80.0
ZOOM_STEP = 1.25
SPEED_KEYS = [pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_6, pygame.K_7]
OVERLAY_KEYS = [pygame.K_F1, pygame.K_F2, pygame.K_F3, pygame.K_F4, pygame.K_F5, pygame.K_F6]
KEYS: dict[int, Intention] = {
    pygame.K_SPACE: TogglePause(),
    pygame.K_ESCAPE: Deselect(),
    pygame.K_PERIOD: ChangeSpeed(1),
    pygame.K_COMMA: ChangeSpeed(-1),
    pygame.K_LEFT: Pan(PAN_STEP_PX, 0),
    pygame.K_RIGHT: Pan(-PAN_STEP_PX, 0),
    pygame.K_UP: Pan(0, PAN_STEP_PX),
    pygame.K_DOWN: Pan(0, -PAN_STEP_PX),
    pygame.K_PLUS: Zoom(ZOOM_STEP),
    pygame.K_EQUALS: Zoom(ZOOM_STEP),
    pygame.K_KP_PLUS: Zoom(ZOOM_STEP),
    pygame.K_MINUS: Zoom(1 / ZOOM_STEP),
    pygame.K_KP_MINUS: Zoom(1 / ZOOM_STEP),
    pygame.K_h: ToggleOverlay(-1),
    pygame.K_r: Quick("recall"),
    pygame.K_w: Quick("warn"),
    pygame.K_s: Quick("shelter"),
    pygame.K_e: Quick("evacuate"),
    pygame.K_c: Quick("channel"),
}
KEYS.update({key: SetSpeed(i) for i, key in enumerate(SPEED_KEYS)})
KEYS.update({key: ToggleOverlay(i) for i, key in enumerate(OVERLAY_KEYS)})


def key_intention(event: pygame.event.Event) -> Intention | None:
    """The intention of a key press, or None for keys the game does not use."""
    if event.type != pygame.KEYDOWN:
        return None
    return KEYS.get(event.key)


def to_command(intention: Intention) -> Command | None:
    """The engine command that carries out an order intention (None for UI-only ones)."""
    make = getattr(intention, "command", None)
    return make() if callable(make) else None
