"""The event feed: engine events turned into timestamped lines in the trainee's language.

The feed reads ``drill.events`` from where it last stopped, so it never
changes the drill. Routine events (samples, reroutes) are left out; commands
show as orders, and rejected ones carry their translated reason. Each line
has a category the timeline filters by (incidents, orders, hazard,
messages) and says whether it is critical: a levee breach, a hazard reaching
a zone where people live, a death. Every id in an event is named (ui.names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim import Event
from ui.i18n import Translator
from ui.names import Names

INFO, GOOD, ALERT, BAD = "info", "good", "alert", "bad"
INCIDENTS, ORDERS, HAZARD, MESSAGES = "incidents", "orders", "hazard", "messages"
CATEGORIES = (INCIDENTS, ORDERS, HAZARD, MESSAGES)
HARM_MERGE_MIN = 30.0
SKIPPED = {
    "StateSampled",
    "DrillStarted",
    "UnitDispatched",
    "UnitRerouted",
    "UnitAvailable",
    "InjectFired",
    "WeatherChanged",
    "SuppliesLoaded",
    "PeopleArrived",
    "WarningIssued",
    "EvacuationOrdered",
    "ShelterInPlaceOrdered",
}
SEVERITY = {
    "IncidentCreated": ALERT,
    "LeveeBreached": ALERT,
    "FacilityLost": BAD,
    "PeopleHarmed": BAD,
    "UnitStranded": BAD,
    "EvacuationBlocked": BAD,
    "ShelterFull": BAD,
    "SuppliesRanOut": BAD,
    "IncidentResolved": GOOD,
    "PeopleRescued": GOOD,
    "ReinforcementArrived": GOOD,
    "MessageReceived": ALERT,
    "HazardStarted": ALERT,
}
# Event fields that hold ids: a template gets their names (ui.names), never the field itself.
ID_FIELDS = frozenset(
    {"unit", "incident", "levee", "hazard", "cause", "inject", "zone", "shelter", "hospital"}
    | {"facility", "at", "road", "to", "source", "reinforcement", "substance", "units", "node"}
)
COUNTS = ("people", "reached", "waiting", "dead", "injured", "trapped", "number")
CATEGORY = {
    "CommandIssued": ORDERS,
    "UnitArrived": ORDERS,
    "UnitReturned": ORDERS,
    "UnitResting": ORDERS,
    "ReinforcementRequested": ORDERS,
    "ReinforcementArrived": ORDERS,
    "ReportSubmitted": ORDERS,
    "ResponseLevelSet": ORDERS,
    "ShelterOpened": ORDERS,
    "ShelterClosed": ORDERS,
    "ShelterInPlaceLifted": ORDERS,
    "SuppliesDelivered": ORDERS,
    "WarningDelivered": ORDERS,
    "RoadOpened": ORDERS,
    "HazardStarted": HAZARD,
    "HazardMilestone": HAZARD,
    "LeveeBreached": HAZARD,
    "RoadClosed": HAZARD,
    "FacilityLost": HAZARD,
    "MessageReceived": MESSAGES,
    "DrillEnded": MESSAGES,
    "DrillAborted": MESSAGES,
}  # everything else (new and resolved incidents, harm, rescues, shortages) is INCIDENTS


@dataclass(frozen=True, eq=False)  # compared by identity: merged lines are replaced
class FeedLine:
    t_min: float
    text: str
    severity: str
    kind: str
    category: str = INCIDENTS
    critical: bool = False
    key: str = ""  # stays the same when a merged line replaces its earlier version


def is_critical(event: Event, populated: frozenset[str]) -> bool:
    """A levee breach, a hazard reaching a zone where people live, or a death."""
    data = event.data
    if event.kind == "LeveeBreached":
        return True
    if event.kind == "HazardMilestone" and data.get("milestone") == "zone_reached":
        return str(data.get("zone")) in populated
    return event.kind == "PeopleHarmed" and int(data.get("dead", 0)) > 0


def clock_text(clock_min: float) -> str:
    """Minutes after midnight as HH:MM (wrapping past midnight)."""
    minutes = int(clock_min) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_order(command: Mapping[str, Any], t: Translator, names: Names) -> str:
    """One line for a command (its log form), e.g. "send fire engine 1 to West Village"."""
    kind = command.get("type", "")
    params = {
        "unit": names.unit(command.get("unit", "")),
        "target": names.place(command.get("target")),
        "zone": names.zone(command.get("zone")),
        "shelter": names.facility(command.get("shelter")),
        "source": names.facility(command.get("source")),
        "destination": names.facility(command.get("destination")),
        "item": t.enum("item", command.get("item")),
        "amount": _number(command.get("amount", 0)),
        "level": _level(command, t),
        "channel": t.enum("channel", command.get("channel")),
        "road": names.road(command.get("road")),
        "reinforcement": names.reinforcement(command.get("reinforcement")),
        "to": t.enum("report_to", command.get("to")),
        "kind": t.enum("command", kind),
        "inject": t("cause.inject"),
        "speed": _number(command.get("wind_speed_m_per_s", 0)),
        "direction": _number(command.get("wind_from_deg", 0)),
    }
    if kind == "report_upward" and command.get("final"):
        kind = "report_upward_final"
    key = f"order.{kind}"
    return t(key if t.has(key) else "order.other", **params)


def _level(command: Mapping[str, Any], t: Translator) -> str:
    level = command.get("level")
    group = "warning" if command.get("type") == "warn" else "level"
    return t.enum(group, level)


def _number(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def describe_event(event: Event, t: Translator, names: Names) -> tuple[str, str] | None:
    """(text, severity) for ``event``, or None when the feed leaves it out."""
    data, kind = event.data, event.kind
    if kind in SKIPPED:
        return None
    if kind == "CommandIssued":
        order = describe_order(data.get("command", {}), t, names)
        if data.get("accepted"):
            return t("feed.accepted", order=order), INFO
        return t("feed.rejected", order=order, reason=t.enum("reason", data.get("reason"))), BAD
    key = f"feed.{kind}"
    if kind == "IncidentCreated" and not data.get("people"):
        key = "feed.IncidentCreated_unknown"  # people not yet counted: say nothing of them
    if kind == "IncidentCreated" and names.where(data.get("incident")):
        key += "_where"  # injected without a zone: named where it is, not by the engine's zone
    if not t.has(key):
        return None
    return t(key, **_event_params(data, t, names)), SEVERITY.get(kind, INFO)


def _event_params(data: Mapping[str, Any], t: Translator, names: Names) -> dict[str, Any]:
    params: dict[str, Any] = {"people": 0, "dead": 0, "injured": 0, "trapped": 0, "zone": ""}
    params.update(
        (k, v)
        for k, v in data.items()
        if isinstance(v, str | int | float) and k not in ID_FIELDS  # ids: only their names
    )
    namers = {
        "unit": names.unit,
        "incident": names.incident,
        "levee": names.levee,
        "hazard": names.hazard,
        "cause": names.cause,
        "zone": names.zone,
        "shelter": names.facility,
        "hospital": names.facility,
        "facility": names.facility,
        "at": names.facility,
        "road": names.road,
    }
    params.update((key, namer(data[key])) for key, namer in namers.items() if key in data)
    for key in COUNTS:  # people counted, written as everywhere else on screen: "4,400"
        if isinstance(params.get(key), int):
            params[key] = f"{params[key]:,}"
    params["target"] = names.place(data.get("at") or data.get("incident") or data.get("zone"))
    params.update(_enum_params(data, t, names))
    return params


def _kind(data: Mapping[str, Any], t: Translator, names: Names) -> str:
    """An incident's kind in words, or a hazard's: by its name where the drill has several
    of its kind or names it ("Hazard began: fire front 2"), else by its kind."""
    if t.has(f"incident_kind.{data['kind']}"):
        return names.incident_kind(data.get("incident"), data["kind"])
    if "incident" not in data and names.hazard_told_apart(data.get("hazard")):
        return names.hazard(data["hazard"])
    return t.enum("hazard", data["kind"])


def _enum_params(data: Mapping[str, Any], t: Translator, names: Names) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if "kind" in data:
        params["kind"] = _kind(data, t, names)
    if "reinforcement" in data:
        params["reinforcement"] = names.reinforcement(data["reinforcement"])
    for key, group in (
        ("item", "item"),
        ("channel", "channel"),
        ("level", "level"),
        ("to", "report_to"),
    ):
        if key in data:
            params[key] = t.enum(group, data[key])
    if "milestone" in data:
        # "water reached" for a flood, "fire reached" for a fire: worded by hazard kind;
        # one of two fires (or a hazard the drill names) by its name: "fire front 2 reached".
        kind = data.get("kind", "")
        specific = f"milestone.{data['milestone']}.{kind}"
        named = f"milestone.{data['milestone']}.named"
        hazard = str(data.get("hazard", ""))
        if t.has(named) and names.hazard_told_apart(hazard):
            gas = kind == "gas" and t.has(f"{named}.gas")
            params["milestone"] = t(f"{named}.gas" if gas else named, hazard=names.hazard(hazard))
        elif t.has(specific):
            params["milestone"] = t(specific)
        else:
            params["milestone"] = t.enum("milestone", data["milestone"])
    if "reason" in data:
        params["reason"] = t.enum("road_reason", data["reason"])
    if "delay_min" in data:
        params["delay"] = f"{float(data['delay_min']):.0f}"
    if "amount" in data:
        params["amount"] = _number(data["amount"])
    if "en" in data and "zh" in data:
        params["text"] = t.pick(data["en"], data["zh"])
    return params


class Feed:
    """Lines for the events of one drill, read incrementally."""

    def __init__(
        self,
        t: Translator,
        names: Names,
        start_clock_min: float,
        populated: frozenset[str] = frozenset(),
    ) -> None:
        self.t = t
        self.names = names
        self.start_clock_min = start_clock_min
        self.populated = populated  # zones where people live: a hazard there is critical
        self.lines: list[FeedLine] = []
        self.read = 0
        self._harm: dict[str, tuple[float, dict[str, int], FeedLine]] = {}

    def pull(self, events: Sequence[Event]) -> list[FeedLine]:
        """Turn the events after the last pull into lines; returns the new lines."""
        new: list[FeedLine] = []
        for index, event in enumerate(events[self.read :], start=self.read):
            self.names.note_event(event)
            shown = self._merge_harm(event) if event.kind == "PeopleHarmed" else event
            described = describe_event(shown, self.t, self.names)
            if described is None:
                continue
            text, severity = described
            clock = clock_text(self.start_clock_min + shown.t_min)
            key = str(index)
            if shown.kind == "PeopleHarmed":
                zone = str(shown.data.get("zone"))
                key = f"harm:{zone}:{self._harm[zone][0]}"
            line = FeedLine(
                shown.t_min,
                self.t("feed.line", clock=clock, text=text),
                severity,
                shown.kind,
                CATEGORY.get(shown.kind, INCIDENTS),
                is_critical(shown, self.populated),
                key,
            )
            new.append(line)
            self.lines.append(line)
            if shown.kind == "PeopleHarmed":
                self._harm[zone] = (self._harm[zone][0], self._harm[zone][1], line)
        self.read = len(events)
        return new

    def _merge_harm(self, event: Event) -> Event:
        """Fold harm in one zone into one line per ``HARM_MERGE_MIN`` (it comes every minute)."""
        zone = str(event.data.get("zone"))
        counts = {k: int(event.data.get(k, 0)) for k in ("dead", "injured", "trapped")}
        previous = self._harm.get(zone)
        start = event.t_min
        if previous is not None and event.t_min - previous[0] < HARM_MERGE_MIN:
            start, totals, old_line = previous
            counts = {k: totals[k] + n for k, n in counts.items()}
            if old_line in self.lines:
                self.lines.remove(old_line)
        self._harm[zone] = (start, counts, FeedLine(0.0, "", INFO, ""))
        return Event(event.t_min, event.kind, {**event.data, **counts})
