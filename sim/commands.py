"""Commands: what a commander (or a bot, or the instructor) orders.

Commands are typed, validated, frozen pydantic models so they travel through
the drill log as JSON and come back as the same objects. Every command names
its issuer's role, so several seats can command one drill and the instructor
changes a running drill through the same door. Submitting a command returns a
:class:`CommandResult`: accepted, or rejected with a :class:`Reason` code the
UI translates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from sim.scenario.schema import IncidentKind, ResponseLevel, SupplyItem


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


MAX_AMOUNT = 1e9  # the most any stock may hold (scenario schema: Stocks)
MAX_NAME_CHARS = 200  # ids are at most 64 characters; anything far longer is damage


class _Command(BaseModel):
    # Numbers are finite: a NaN or infinite amount cannot be written to the log.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
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
    amount: Annotated[float, Field(gt=0, le=MAX_AMOUNT)]


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


MAX_NOTE_CHARS = MAX_NAME_CHARS  # a message or a note is a few lines (check_values)


class HoldInject(_Command):
    """Instructor only: keep a scheduled or conditional inject from firing by itself.

    A held inject fires only when the instructor fires it (late) or never.
    """

    type: Literal["hold_inject"] = "hold_inject"
    inject: str


class StartIncident(_Command):
    """Instructor only: a new incident at a point on the map (x, y in metres), now."""

    type: Literal["start_incident"] = "start_incident"
    incident: IncidentKind
    x_m: Annotated[float, Field(ge=0, le=1e7)]
    y_m: Annotated[float, Field(ge=0, le=1e7)]
    people: Annotated[int, Field(ge=0, le=100_000)] = 0
    work_min: Annotated[float, Field(ge=0, le=10_000)] = 30.0


class LoseRoad(_Command):
    """Instructor only: a road is lost (a collapse, a crash); the trainee cannot reopen it."""

    type: Literal["lose_road"] = "lose_road"
    road: str


class DelayReinforcement(_Command):
    """Instructor only: a reinforcement arrives later than its plan says."""

    type: Literal["delay_reinforcement"] = "delay_reinforcement"
    reinforcement: str
    extra_delay_min: Annotated[float, Field(gt=0, le=10_000)]


class SendMessage(_Command):
    """Instructor only: a message reaches the trainee now (a call, a report from the field)."""

    type: Literal["send_message"] = "send_message"
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class MarkMoment(_Command):
    """Instructor only: a note on this moment, for the after-action review (not shown to the
    trainee)."""

    type: Literal["mark_moment"] = "mark_moment"
    note: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


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
    | ShiftWind
    | HoldInject
    | StartIncident
    | LoseRoad
    | DelayReinforcement
    | SendMessage
    | MarkMoment,
    Field(discriminator="type"),
]
_COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)

INSTRUCTOR_ONLY = (
    FireInject,
    ShiftWind,
    HoldInject,
    StartIncident,
    LoseRoad,
    DelayReinforcement,
    SendMessage,
    MarkMoment,
)
_BY_TYPE: dict[str, type[BaseModel]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        DispatchUnit,
        RecallUnit,
        IssueWarning,
        OrderEvacuation,
        OrderShelterInPlace,
        LiftShelterInPlace,
        OpenShelter,
        CloseShelter,
        MoveSupplies,
        SetResponseLevel,
        RequestReinforcement,
        CloseRoad,
        OpenRoad,
        ReportUpward,
        *INSTRUCTOR_ONLY,
    )
}


_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def command_from_json(data: dict[str, Any]) -> Command:
    """Rebuild a command from its log form (raises pydantic.ValidationError).

    The log keeps commands the engine refused for a value it cannot use (a
    number not finite, written as ``"NaN"`` or ``"Infinity"``, or out of
    range: see :func:`command_to_json`). Such a command is rebuilt as it was,
    without validation, so that replaying it is refused again with the same
    reason (:func:`check_values`). Anything that does not name a command and
    its fields is still an error.
    """
    try:
        return _COMMAND_ADAPTER.validate_python(data)
    except ValidationError:
        kind = data.get("type") if isinstance(data, dict) else None
        cls = _BY_TYPE.get(kind) if isinstance(kind, str) else None
        if cls is None or not set(data) <= set(cls.model_fields):
            raise
        fields = {
            key: _NON_FINITE.get(value, value) if isinstance(value, str) else value
            for key, value in data.items()
        }
        return cls.model_construct(**fields)  # type: ignore[return-value]


def command_to_json(command: Command) -> dict[str, Any]:
    """The log form of ``command``: plain JSON, whatever the command holds.

    A non-finite number becomes the string ``"NaN"``, ``"Infinity"`` or
    ``"-Infinity"`` and text that is not valid Unicode has its broken
    characters replaced, so the log writer can always write the command
    (such a command is refused: :func:`check_values`).
    """
    try:
        data = command.model_dump(mode="json", warnings=False)
    except ValueError:  # a value of a type it cannot serialize (built around validation)
        data = {
            key: value if isinstance(value, str | int | float | bool | None) else repr(value)
            for key, value in vars(command).items()
        }
    return {key: _json_safe(value) for key, value in data.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str) and not _is_unicode(value):
        return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
    return value


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_values(command: Command) -> CommandResult | None:
    """Refuse a command whose numbers or names the drill cannot use; None if all is well.

    Commands built the usual way are validated when they are made; this
    catches one built around validation (``model_construct``,
    ``model_copy(update=...)``): a number that is not finite or out of range,
    a name that is not valid text or absurdly long. The engine checks it
    first, so such a command is refused with :attr:`Reason.BAD_VALUE` and
    never reaches the drill.
    """
    for name, value in vars(command).items():
        if isinstance(value, float) and not math.isfinite(value):
            return CommandResult.reject(Reason.BAD_VALUE, field=name, value=str(value))
        if isinstance(value, str) and (
            len(value) > MAX_NAME_CHARS or "\ufffd" in value or not _is_unicode(value)
        ):
            return CommandResult.reject(Reason.BAD_VALUE, field=name)
    try:
        type(command).model_validate(command.model_dump(mode="json", warnings=False))
    except (ValidationError, ValueError, TypeError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        where = str(errors[0]["loc"][0]) if errors and errors[0]["loc"] else ""
        return CommandResult.reject(Reason.BAD_VALUE, field=where)
    return None


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
    INJECT_ALREADY_HELD = "inject_already_held"
    OUTSIDE_MAP = "outside_map"
    ROAD_ALREADY_LOST = "road_already_lost"
    REINFORCEMENT_ARRIVED = "reinforcement_arrived"
    BAD_VALUE = "bad_value"  # a number not finite or out of range, a name that is not text


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
