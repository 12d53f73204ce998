"""DrillCommand engine (应急演练指挥): the public surface.

Everything the front end, the analysis and bots may use is named here. The
engine is pure: no pygame, no matplotlib, no wall clock, no global random
state; a drill is a function of (scenario, seed, commands).
"""

from sim.bots import ExpertBot, IdleBot, make_bot
from sim.commands import (
    Channel,
    CloseRoad,
    CloseShelter,
    Command,
    CommandResult,
    DelayReinforcement,
    DispatchUnit,
    FireInject,
    HoldInject,
    IssueWarning,
    LiftShelterInPlace,
    LoseRoad,
    MarkMoment,
    MoveSupplies,
    OpenRoad,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    Reason,
    RecallUnit,
    ReportLevel,
    ReportUpward,
    RequestReinforcement,
    Role,
    SendMessage,
    SetResponseLevel,
    ShiftWind,
    StartIncident,
    WarningLevel,
    command_from_json,
    command_to_json,
)
from sim.drill_log import DrillLogWriter, LogError, make_header, read_log
from sim.engine import Drill
from sim.events import Event
from sim.hazards.toxicity import aegl_ppm
from sim.landuse import LandUse
from sim.population import PersonState
from sim.runner import (
    ReplayResult,
    Resumption,
    replay_log,
    resume_drill,
    run_headless,
    verify_log,
)
from sim.scenario.loader import (
    LoadedScenario,
    ScenarioError,
    ScenarioIssue,
    load_scenario,
    parse_scenario,
)
from sim.scenario.schema import IncidentKind, ResponseLevel, Scenario, SupplyItem, UnitType
from sim.snapshot import FacilityView, IncidentView, MapView, Snapshot, UnitView, ZoneView
from sim.units import CATALOG, INCIDENT_NEEDS, Capability, UnitSpec, UnitStatus
from sim.weather import Weather

__version__ = "0.1.0"

__all__ = [
    "CATALOG",
    "INCIDENT_NEEDS",
    "Capability",
    "Channel",
    "CloseRoad",
    "CloseShelter",
    "Command",
    "CommandResult",
    "DelayReinforcement",
    "DispatchUnit",
    "Drill",
    "DrillLogWriter",
    "Event",
    "ExpertBot",
    "FacilityView",
    "FireInject",
    "HoldInject",
    "IdleBot",
    "IncidentKind",
    "IncidentView",
    "IssueWarning",
    "LandUse",
    "LiftShelterInPlace",
    "LoadedScenario",
    "LogError",
    "LoseRoad",
    "MapView",
    "MarkMoment",
    "MoveSupplies",
    "OpenRoad",
    "OpenShelter",
    "OrderEvacuation",
    "OrderShelterInPlace",
    "PersonState",
    "Reason",
    "RecallUnit",
    "ReplayResult",
    "ReportLevel",
    "ReportUpward",
    "RequestReinforcement",
    "ResponseLevel",
    "Resumption",
    "Role",
    "Scenario",
    "ScenarioError",
    "ScenarioIssue",
    "SendMessage",
    "SetResponseLevel",
    "ShiftWind",
    "Snapshot",
    "StartIncident",
    "SupplyItem",
    "UnitSpec",
    "UnitStatus",
    "UnitType",
    "UnitView",
    "WarningLevel",
    "Weather",
    "ZoneView",
    "aegl_ppm",
    "command_from_json",
    "command_to_json",
    "load_scenario",
    "make_bot",
    "make_header",
    "parse_scenario",
    "read_log",
    "replay_log",
    "resume_drill",
    "run_headless",
    "verify_log",
]
