"""Commands: what a commander (or a bot, or the instructor) orders.

Commands are typed, validated, frozen pydantic models so they travel through
the drill log as JSON and come back as the same objects. Every command names
its issuer's role, so several seats can command one drill and the instructor
changes a running drill through the same door. Submitting a command returns a
:class:`CommandResult`: accepted, or rejected with a :class:`Reason` code the
UI translates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sim.scenario.schema import ResponseLevel, SupplyItem


class Role(StrEnum):
    COMMANDER = "commander"
    SECTION_CHIEF = "section_chief"
    INSTRUCTOR = "instructor"
    BOT = "bot"


class WarningLevel(StrEnum):
    """China's four warning colours, lowest to highest."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


class Channel(StrEnum):
    BROADCAST = "broadcast"  # village loudspeakers (村村响), radio and TV
    SMS = "sms"  # cell broadcast / SMS
    DOOR_TO_DOOR = "door_to_door"  # police or volunteers in the zone


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    issuer: Role = Role.COMMANDER


class DispatchUnit(_Command):
    """Send a unit to an incident, a zone (door-to-door, traffic) or a facility (staging)."""

    type: Literal["dispatch"] = "dispatch"
    unit: str
    target: str


class RecallUnit(_Command):
    type: Literal["recall"] = "recall"
    unit: str


class IssueWarning(_Command):
    type: Literal["warn"] = "warn"
    zone: str
    level: WarningLevel
    channel: Channel


class OrderEvacuation(_Command):
    type: Literal["evacuate"] = "evacuate"
    zone: str
    shelter: str


class OrderShelterInPlace(_Command):
    type: Literal["shelter_in_place"] = "shelter_in_place"
    zone: str


class LiftShelterInPlace(_Command):
    """All clear (解除就地避险): people sheltering in a zone air their homes and come out.

    Sheltering protects during a short passage of a toxic cloud, but indoor air
    keeps what leaked in long after the cloud outside has gone; staying in
    too long adds dose (Sorensen & Vogt 2006, "Will duct tape and plastic
    really work?", ORNL/TM-2006/549; US EPA shelter-in-place guidance).
    """

    type: Literal["lift_shelter_in_place"] = "lift_shelter_in_place"
    zone: str


class OpenShelter(_Command):
    type: Literal["open_shelter"] = "open_shelter"
    shelter: str


class CloseShelter(_Command):
    type: Literal["close_shelter"] = "close_shelter"
    shelter: str


class MoveSupplies(_Command):
    type: Literal["move_supplies"] = "move_supplies"
    source: str
    destination: str
    item: SupplyItem
    amount: Annotated[float, Field(gt=0)]


class SetResponseLevel(_Command):
    type: Literal["set_response_level"] = "set_response_level"
    level: ResponseLevel


class RequestReinforcement(_Command):
    type: Literal["request_reinforcement"] = "request_reinforcement"
    reinforcement: str


class CloseRoad(_Command):
    type: Literal["close_road"] = "close_road"
    road: str


class OpenRoad(_Command):
    type: Literal["open_road"] = "open_road"
    road: str


class ReportLevel(StrEnum):
    """Who receives an upward report (逐级上报)."""

    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"


class ReportUpward(_Command):
    """Send a situation report up the chain (信息报告): first report, then updates."""

    type: Literal["report_upward"] = "report_upward"
    to: ReportLevel
    final: bool = False


class FireInject(_Command):
    """Instructor only: fire a scenario inject now."""

    type: Literal["fire_inject"] = "fire_inject"
    inject: str


class ShiftWind(_Command):
    """Instructor only: change the wind now."""

    type: Literal["shift_wind"] = "shift_wind"
    wind_speed_m_per_s: Annotated[float, Field(ge=0, le=70)]
    wind_from_deg: Annotated[float, Field(ge=0, lt=360)]


Command = Annotated[
    DispatchUnit
    | RecallUnit
    | IssueWarning
    | OrderEvacuation
    | OrderShelterInPlace
    | LiftShelterInPlace
    | OpenShelter
    | CloseShelter
    | MoveSupplies
    | SetResponseLevel
    | RequestReinforcement
    | CloseRoad
    | OpenRoad
    | ReportUpward
    | FireInject
    | ShiftWind,
    Field(discriminator="type"),
]
_COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)

INSTRUCTOR_ONLY = (FireInject, ShiftWind)


def command_from_json(data: dict[str, Any]) -> Command:
    """Rebuild a command from its log form (raises pydantic.ValidationError)."""
    return _COMMAND_ADAPTER.validate_python(data)


def command_to_json(command: Command) -> dict[str, Any]:
    return command.model_dump(mode="json")


class Reason(StrEnum):
    """Why a command was rejected; the UI shows each in the trainee's language."""

    DRILL_OVER = "drill_over"
    NOT_INSTRUCTOR = "not_instructor"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_TARGET = "unknown_target"
    UNKNOWN_ZONE = "unknown_zone"
    UNKNOWN_FACILITY = "unknown_facility"
    UNKNOWN_ROAD = "unknown_road"
    UNKNOWN_INJECT = "unknown_inject"
    UNKNOWN_REINFORCEMENT = "unknown_reinforcement"
    UNIT_LOST = "unit_lost"
    UNIT_NOT_ARRIVED = "unit_not_arrived"
    CREW_RESTING = "crew_resting"
    NOT_CAPABLE = "not_capable"
    NO_TEAM_IN_ZONE = "no_team_in_zone"
    NO_ROUTE = "no_route"
    INCIDENT_RESOLVED = "incident_resolved"
    NOT_A_SHELTER = "not_a_shelter"
    SHELTER_CLOSED = "shelter_closed"
    SHELTER_ALREADY_OPEN = "shelter_already_open"
    SHELTER_LOST = "shelter_lost"
    NOT_A_DEPOT_OR_SHELTER = "not_a_depot_or_shelter"
    SAME_PLACE = "same_place"
    INSUFFICIENT_STOCK = "insufficient_stock"
    NO_TRUCK_AVAILABLE = "no_truck_available"
    LEVEL_UNCHANGED = "level_unchanged"
    LEVEL_TOO_LOW = "level_too_low"
    ALREADY_REQUESTED = "already_requested"
    ROAD_ALREADY_CLOSED = "road_already_closed"
    ROAD_NOT_CLOSED_BY_COMMAND = "road_not_closed_by_command"
    NOBODY_TO_MOVE = "nobody_to_move"
    NOT_WARNED = "not_warned"
    NOT_SHELTERING = "not_sheltering"
    ALREADY_AT_BASE = "already_at_base"
    INJECT_ALREADY_FIRED = "inject_already_fired"


@dataclass(frozen=True)
class CommandResult:
    """The answer to a submitted command."""

    accepted: bool
    reason: Reason | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def ok(cls, **params: Any) -> CommandResult:
        return cls(True, None, params)

    @classmethod
    def reject(cls, reason: Reason, **params: Any) -> CommandResult:
        return cls(False, reason, params)
