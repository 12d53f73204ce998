"""Rescue units: what each type can do, and the state of each unit.

The planning figures below are the defaults of the game, not measurements:
they are set so that the relative strengths of the units match practice
(a boat rescues faster from water than a USAR team, an ambulance carries two
stretchers) and an instructor can judge them. Sources or reasoning are noted
beside each group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from sim.scenario.schema import IncidentKind, UnitType


class Capability(StrEnum):
    RESCUE = "rescue"  # free trapped people
    WATER_RESCUE = "water_rescue"  # ... from flood water
    CARRY_CASUALTIES = "carry_casualties"  # take the injured to hospital
    FIREFIGHTING = "firefighting"
    HAZMAT = "hazmat"  # stop a leak
    LEVEE_WORK = "levee_work"  # sandbagging, earthworks
    FIREBREAK = "firebreak"
    DOOR_TO_DOOR = "door_to_door"  # warn and move people house by house
    TRAFFIC_CONTROL = "traffic_control"
    SUPPLY_TRANSPORT = "supply_transport"


class UnitStatus(StrEnum):
    AVAILABLE = "available"  # at base, ready
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    TRANSPORTING = "transporting"
    RETURNING = "returning"
    STAGED = "staged"  # waiting at a facility that is not its base
    RESTING = "resting"  # crew off shift
    STRANDED = "stranded"  # no open road to where it was going


# Which capability an incident needs, and who brings it.
INCIDENT_NEEDS: dict[IncidentKind, frozenset[Capability]] = {
    IncidentKind.TRAPPED: frozenset({Capability.RESCUE, Capability.WATER_RESCUE}),
    IncidentKind.CASUALTIES: frozenset({Capability.CARRY_CASUALTIES}),
    IncidentKind.BUILDING_FIRE: frozenset({Capability.FIREFIGHTING}),
    IncidentKind.LEAK: frozenset({Capability.HAZMAT}),
    IncidentKind.LEVEE_DAMAGE: frozenset({Capability.LEVEE_WORK}),
    IncidentKind.WILDFIRE: frozenset({Capability.FIREFIGHTING, Capability.FIREBREAK}),
}


@dataclass(frozen=True)
class UnitSpec:
    """What a unit type can do.

    ``road_kmh`` is its top speed on roads (emergency driving), ``air_kmh`` a
    straight-line speed for aircraft (0 for ground units). ``rescue_per_h`` is
    how many trapped people it frees per hour on scene; ``carry_persons`` how
    many casualties it carries per trip; ``work_factor`` its output on
    work incidents (fire, leak, levee) in crew-minutes per minute.
    """

    type: UnitType
    capabilities: frozenset[Capability]
    road_kmh: float
    air_kmh: float = 0.0
    ignores_flood: bool = False
    rescue_per_h: float = 0.0
    carry_persons: int = 0
    work_factor: float = 1.0
    door_to_door_per_h: float = 0.0
    payload_units: float = 0.0  # supply loads, in truck-loads (sim.supplies.TRUCK_LOAD)
    load_min: float = 5.0  # to load, or to hand over, one trip of casualties
    shift_h: float = 12.0
    rest_h: float = 8.0

    @property
    def way(self) -> str:
        """How it travels: "air", "afloat" (roads, flooded ones too) or "ground" (open roads)."""
        return "air" if self.air_kmh > 0 else "afloat" if self.ignores_flood else "ground"

    @property
    def ignores(self) -> frozenset[str]:
        """Road closure reasons that do not stop it."""
        return WAY_IGNORES[self.way]


C = Capability
WAY_IGNORES = {"ground": frozenset(), "afloat": frozenset({"flood"}), "air": frozenset()}
# Speeds: urban emergency driving averages 40–70 km/h (NFPA 1710 travel-time
# studies); boats on trailers drive like trucks. Helicopter cruise ~200 km/h
# (Mi-171/AW139 class). Rescue rates: a flood boat shuttles 6–8 people a trip
# with 15–20 min round trips (≈ 20/h); USAR extrication is slow (≈ 6/h).
# Shifts: 12 h for ground crews (China fire service duty practice), 4 h for
# helicopter crews (flight duty limits). Door-to-door: a police car team
# covers ~400 people an hour with loudhailers; volunteers on foot ~250.
CATALOG: dict[UnitType, UnitSpec] = {
    UnitType.FIRE_ENGINE: UnitSpec(
        UnitType.FIRE_ENGINE,
        frozenset({C.FIREFIGHTING, C.RESCUE, C.LEVEE_WORK}),
        road_kmh=60,
        rescue_per_h=8,
        work_factor=1.0,
    ),
    UnitType.RESCUE_BOAT: UnitSpec(
        UnitType.RESCUE_BOAT,
        frozenset({C.WATER_RESCUE, C.RESCUE}),
        road_kmh=50,
        ignores_flood=True,
        rescue_per_h=20,
    ),
    UnitType.HAZMAT_TEAM: UnitSpec(
        UnitType.HAZMAT_TEAM,
        frozenset({C.HAZMAT}),
        road_kmh=60,
        work_factor=1.0,
    ),
    UnitType.AMBULANCE: UnitSpec(
        UnitType.AMBULANCE,
        frozenset({C.CARRY_CASUALTIES}),
        road_kmh=70,
        carry_persons=2,
    ),
    UnitType.USAR_TEAM: UnitSpec(
        UnitType.USAR_TEAM,
        frozenset({C.RESCUE, C.FIREFIGHTING}),
        road_kmh=50,
        rescue_per_h=6,
        work_factor=0.5,
    ),
    UnitType.HELICOPTER: UnitSpec(
        UnitType.HELICOPTER,
        frozenset({C.WATER_RESCUE, C.RESCUE, C.CARRY_CASUALTIES, C.SUPPLY_TRANSPORT}),
        road_kmh=0,
        air_kmh=200,
        ignores_flood=True,
        rescue_per_h=12,
        carry_persons=4,
        # Mi-171 class: 4,000 kg in the cabin (Russian Helicopters type data), half the
        # 8 t truck-load of sim.supplies.TRUCK_LOAD; it airlifts where no road goes.
        payload_units=0.5,
        shift_h=4,
        rest_h=2,
    ),
    UnitType.SUPPLY_TRUCK: UnitSpec(
        UnitType.SUPPLY_TRUCK,
        frozenset({C.SUPPLY_TRANSPORT}),
        road_kmh=50,
        payload_units=1.0,
    ),
    UnitType.POLICE: UnitSpec(
        UnitType.POLICE,
        frozenset({C.DOOR_TO_DOOR, C.TRAFFIC_CONTROL}),
        road_kmh=70,
        door_to_door_per_h=400,
    ),
    UnitType.VOLUNTEER_TEAM: UnitSpec(
        UnitType.VOLUNTEER_TEAM,
        frozenset({C.DOOR_TO_DOOR, C.LEVEE_WORK}),
        road_kmh=40,
        door_to_door_per_h=250,
        work_factor=1.5,
    ),
    UnitType.EXCAVATOR: UnitSpec(
        UnitType.EXCAVATOR,
        frozenset({C.LEVEE_WORK, C.FIREBREAK}),
        road_kmh=25,
        work_factor=3.0,
    ),
    # Mass-casualty transport of the walking and seated wounded: a city bus refitted as
    # an ambulance bus carries about 20 patients with medics aboard (US National AMBUS
    # program: 20+ patients per unit; China's 120 centres call on buses in mass-casualty
    # plans). Loading 20 people through one door takes longer than an ambulance's two.
    UnitType.CASUALTY_BUS: UnitSpec(
        UnitType.CASUALTY_BUS,
        frozenset({C.CARRY_CASUALTIES}),
        road_kmh=50,
        carry_persons=20,
        load_min=10.0,
    ),
}


@dataclass
class Leg:
    """A stretch of movement in progress, for drawing and for finishing it."""

    start_xy: tuple[float, float]
    end_xy: tuple[float, float]
    start_min: float
    end_min: float
    end_node: int

    def position(self, now_min: float) -> tuple[float, float]:
        span = self.end_min - self.start_min
        f = 1.0 if span <= 0 else min(max((now_min - self.start_min) / span, 0.0), 1.0)
        return (
            self.start_xy[0] + f * (self.end_xy[0] - self.start_xy[0]),
            self.start_xy[1] + f * (self.end_xy[1] - self.start_xy[1]),
        )


@dataclass
class Unit:
    """One unit in the drill (mutable: the engine's own record)."""

    id: str
    spec: UnitSpec
    base: str
    base_node: int
    node: int
    status: UnitStatus = UnitStatus.AVAILABLE
    task: str | None = None  # what it is doing: "incident:<id>", "zone:<id>", ...
    leg: Leg | None = None
    route: list[int] = field(default_factory=list)
    shift_started_min: float | None = None
    grounded_since_min: float | None = None  # an aircraft standing by: its duty clock is paused
    rest_until_min: float = 0.0
    cargo: dict[str, float] = field(default_factory=dict)
    carrying_people: int = 0
    carrying_zone: int = -1  # where the people aboard come from
    process: object = None  # its simpy.Process

    def __setattr__(self, name: str, value: object) -> None:
        # Every assignment is counted (``changes``, not a field): a snapshot keeps the view of
        # a unit standing still off duty, which shows only what is assigned here (a route is
        # replaced, never changed in place), until the count moves.
        object.__setattr__(self, name, value)
        object.__setattr__(self, "changes", self.__dict__.get("changes", 0) + 1)

    @property
    def next_node(self) -> int:
        """Where its next route starts: where it is, or the end of the road it is on."""
        return self.leg.end_node if self.leg else self.node

    def duty_left_min(self, now_min: float) -> float | None:
        """Minutes of duty left before the crew must rest; None when it is not on duty."""
        if self.shift_started_min is None:
            return None
        clock = self.grounded_since_min if self.grounded_since_min is not None else now_min
        return self.shift_started_min + self.spec.shift_h * 60.0 - clock

    def can_do(self, needs: frozenset[Capability]) -> bool:
        return bool(self.spec.capabilities & needs)

    def position(self, now_min: float, node_xy: tuple[float, float]) -> tuple[float, float]:
        return self.leg.position(now_min) if self.leg else node_xy


def straight_minutes(a: tuple[float, float], b: tuple[float, float], kmh: float) -> float:
    """Minutes to fly from ``a`` to ``b`` at ``kmh``."""
    return math.hypot(b[0] - a[0], b[1] - a[1]) / 1000.0 / kmh * 60.0
