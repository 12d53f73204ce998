"""The scenario format (YAML, ``schema_version: 1``) as pydantic models.

An instructor writes one YAML file per drill; this module is its contract.
Field names carry their units (``cell_m``, ``delay_min``). Positions are
``[x_m, y_m]`` in metres from the map's north-west corner, x to the east and
y to the south, so that ``row = y_m // cell_m`` and ``col = x_m // cell_m``.
Structural rules live here; rules that relate one part of a file to another
(a unit based at a station that exists, a road inside the map) live in
:mod:`sim.scenario.checks`.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from sim.scenario.messages import say

MAX_GRID_CELLS = 1024  # per side: bigger grids do not run at drill speed
# Every number is finite (``allow_inf_nan=False`` below) and bounded, so that a
# file that validates can always be run: a hill 1e300 m away or 1e300 m wide
# made the terrain's hill profile overflow to NaN and the hazards refuse it.
MAX_COORD_M = 1_000_000.0  # ±1,000 km: twice the largest map (1,024 cells of 500 m)
MAX_MINUTES = 100_000.0  # about 70 days: any time of a drill (72 h at most) and beyond

Coordinate = Annotated[float, Field(ge=-MAX_COORD_M, le=MAX_COORD_M)]
Point = tuple[Coordinate, Coordinate]
Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES)]
Polyline = Annotated[list[Point], Field(min_length=2)]
Polygon = Annotated[list[Point], Field(min_length=3)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"


def _clock_time(value: object) -> object:
    """Say what a clock time looks like, instead of the pattern it failed."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise ValueError(
            say(
                "time.quote",
                hhmm=f"{hours:02d}:{minutes:02d}",
                h_mm=f"{hours}:{minutes:02d}",
                number=value,
            )
        )
    if isinstance(value, str) and not re.match(_CLOCK, value):
        raise ValueError(say("time.format", value=repr(value)))
    return value


ClockTime = Annotated[str, Field(pattern=_CLOCK), BeforeValidator(_clock_time)]


class Model(BaseModel):
    """Base of every scenario model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Text(Model):
    """A text an instructor writes in both first-class languages."""

    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Meta(Model):
    id: Identifier
    title: Text
    briefing: Text
    objectives: Annotated[list[Text], Field(min_length=1)]
    duration_h: Annotated[float, Field(gt=0, le=72)]
    start_time: ClockTime = "08:00"
    sunrise: ClockTime = "06:00"
    sunset: ClockTime = "18:30"
    # Where and when on Earth: with a date and a latitude, the gas hazard takes the
    # atmosphere's stability from the sun's altitude (Turner's scheme) rather than
    # from the cloud cover alone (sim.weather.WeatherState.stability_class).
    date: datetime.date | None = None
    latitude_deg: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude_deg: Annotated[float, Field(ge=-180, le=180)] | None = None
    utc_offset_h: Annotated[float, Field(ge=-12, le=14)] = 8.0
    difficulty: Difficulty = Difficulty.MEDIUM
    default_seed: Annotated[int, Field(ge=0, lt=2**63)] = 1

    @model_validator(mode="after")
    def _date_with_latitude(self) -> Meta:
        if (self.date is None) != (self.latitude_deg is None):
            raise ValueError(say("meta.date_latitude"))
        return self


class LandUseName(StrEnum):
    WATER = "water"
    GRASSLAND = "grassland"
    FARMLAND = "farmland"
    SHRUB = "shrub"
    FOREST = "forest"
    RESIDENTIAL = "residential"
    INDUSTRIAL = "industrial"
    PAVED = "paved"
    BARE = "bare"


class Hill(Model):
    at: Point
    height_m: Annotated[float, Field(ge=-200, le=2000)]
    radius_m: Annotated[float, Field(ge=1, le=100_000)]


class River(Model):
    points: Polyline
    width_m: Annotated[float, Field(gt=0, le=2000)]
    depth_m: Annotated[float, Field(gt=0, le=50)] = 3.0
    valley_width_m: Annotated[float, Field(ge=0, le=20000)] = 600.0
    valley_depth_m: Annotated[float, Field(ge=0, le=200)] = 4.0
    gradient_m_per_km: Annotated[float, Field(ge=0, le=50)] = 0.5


class GeneratedTerrain(Model):
    """Terrain made from seeded parameters: a tilted plain, hills, river valleys."""

    base_elevation_m: Annotated[float, Field(ge=-500, le=9000)] = 20.0
    slope_m_per_km: tuple[
        Annotated[float, Field(ge=-100, le=100)], Annotated[float, Field(ge=-100, le=100)]
    ] = (0.0, 0.0)
    hills: list[Hill] = []
    rivers: list[River] = []
    roughness_m: Annotated[float, Field(ge=0, le=50)] = 1.0


class ImageTerrain(Model):
    """Terrain read from greyscale PGM images (paths relative to the scenario file).

    Grey 0 is ``min_elevation_m`` and the image's maximum grey is
    ``max_elevation_m``; the optional land-use image holds land-use codes
    (0 water … 8 bare, see :class:`sim.landuse.LandUse`) as grey values. Images
    are resampled (nearest cell) to the map grid.
    """

    elevation_pgm: Annotated[str, Field(pattern=r"^[\w\-./]+\.pgm$")]
    land_use_pgm: Annotated[str, Field(pattern=r"^[\w\-./]+\.pgm$")] | None = None
    min_elevation_m: Annotated[float, Field(ge=-500, le=9000)] = 0.0
    max_elevation_m: Annotated[float, Field(ge=-500, le=9000)] = 100.0


class LandUseArea(Model):
    type: LandUseName
    polygon: Polygon


class MapSpec(Model):
    width_cells: Annotated[int, Field(ge=16, le=MAX_GRID_CELLS)]
    height_cells: Annotated[int, Field(ge=16, le=MAX_GRID_CELLS)]
    cell_m: Annotated[float, Field(ge=5, le=500)]
    terrain: GeneratedTerrain | ImageTerrain = GeneratedTerrain()
    default_land_use: LandUseName = LandUseName.FARMLAND
    land_use: list[LandUseArea] = []


class Zone(Model):
    id: Identifier
    name: Text
    polygon: Polygon
    population: Annotated[int, Field(ge=0, le=5_000_000)]
    vulnerable_share: Annotated[float, Field(ge=0, le=1)] = 0.2
    built: Literal["residential", "industrial", "none"] = "residential"


class RoadClass(StrEnum):
    EXPRESSWAY = "expressway"
    MAIN = "main"
    LOCAL = "local"


class Road(Model):
    id: Identifier
    name: Text | None = None
    road_class: Annotated[RoadClass, Field(alias="class")] = RoadClass.LOCAL
    points: Polyline
    bridge: bool = False


class FacilityType(StrEnum):
    FIRE_STATION = "fire_station"
    HOSPITAL = "hospital"
    SHELTER = "shelter"
    DEPOT = "depot"
    COMMAND_POST = "command_post"
    POLICE_STATION = "police_station"
    HAZARD_SOURCE = "hazard_source"
    SCHOOL = "school"


class DepotTier(StrEnum):
    CENTRAL = "central"
    REGIONAL = "regional"
    FORWARD = "forward"


class SupplyItem(StrEnum):
    """Relief supplies; the unit is part of the name."""

    WATER_L = "water_l"
    FOOD_RATIONS = "food_rations"  # one ration = one person-day (Sphere: 2,100 kcal)
    BLANKETS = "blankets"
    TENTS = "tents"
    MEDICAL_KITS = "medical_kits"
    SANDBAGS = "sandbags"


Stocks = dict[SupplyItem, Annotated[float, Field(ge=0, le=1e9)]]


class Facility(Model):
    id: Identifier
    type: FacilityType
    name: Text
    at: Point
    beds: Annotated[int, Field(ge=0, le=100_000)] = 0
    capacity: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    tier: DepotTier | None = None
    stocks: Stocks = {}
    open_at_start: bool = False

    @model_validator(mode="after")
    def _fields_fit_type(self) -> Facility:
        if self.type == FacilityType.DEPOT and self.tier is None:
            raise ValueError(say("facility.depot_tier"))
        if self.type != FacilityType.DEPOT and self.tier is not None:
            raise ValueError(say("facility.tier_only_depot", type=self.type.value))
        if self.type == FacilityType.SHELTER and self.capacity == 0:
            raise ValueError(say("facility.shelter_capacity"))
        if self.type == FacilityType.HOSPITAL and self.beds == 0:
            raise ValueError(say("facility.hospital_beds"))
        return self


class WeatherPoint(Model):
    at_min: Minutes
    wind_speed_m_per_s: Annotated[float, Field(ge=0, le=70)] = 2.0
    wind_from_deg: Annotated[float, Field(ge=0, lt=360)] = 0.0
    rain_mm_per_h: Annotated[float, Field(ge=0, le=300)] = 0.0
    cloud_cover_oktas: Annotated[float, Field(ge=0, le=8)] = 4.0


class UnitType(StrEnum):
    FIRE_ENGINE = "fire_engine"
    RESCUE_BOAT = "rescue_boat"
    HAZMAT_TEAM = "hazmat_team"
    AMBULANCE = "ambulance"
    USAR_TEAM = "usar_team"
    HELICOPTER = "helicopter"
    SUPPLY_TRUCK = "supply_truck"
    POLICE = "police"
    VOLUNTEER_TEAM = "volunteer_team"
    EXCAVATOR = "excavator"
    CASUALTY_BUS = "casualty_bus"


class ResponseLevel(StrEnum):
    """China's tiered emergency response, IV (lowest) to I (highest)."""

    NONE = "none"
    IV = "IV"
    III = "III"
    II = "II"
    I = "I"  # noqa: E741 - the official name of the top level

    @property
    def rank(self) -> int:
        return ["none", "IV", "III", "II", "I"].index(self.value)


class ForceGroup(Model):
    type: UnitType
    base: Identifier
    count: Annotated[int, Field(ge=1, le=200)] = 1


class Reinforcement(Model):
    id: Identifier
    level: ResponseLevel
    type: UnitType
    arrive_at: Identifier
    count: Annotated[int, Field(ge=1, le=200)] = 1
    delay_min: Annotated[float, Field(ge=0, le=24 * 60)] = 60.0


class Forces(Model):
    units: Annotated[list[ForceGroup], Field(min_length=1)]
    reinforcements: list[Reinforcement] = []


class HydrographPoint(Model):
    at_min: Minutes
    discharge_m3_per_s: Annotated[float, Field(ge=0, le=100_000)]


class Levee(Model):
    id: Identifier
    points: Polyline
    crest_height_m: Annotated[float, Field(gt=0, le=20)]
    breach_overtop_m: Annotated[float, Field(ge=0, le=5)] = 0.1


class FloodHazard(Model):
    kind: Literal["flood"]
    id: Identifier
    name: Text | None = None  # what the screen and the report call it ("tyre yard fire")
    inflow_at: Polyline
    hydrograph: Annotated[list[HydrographPoint], Field(min_length=1)]
    levees: list[Levee] = []
    start_min: Minutes | None = 0.0


class Ignition(Model):
    at: Point
    at_min: Minutes = 0.0


def _fuel_model_code(value: str) -> str:
    """A standard fuel model code (FM1-FM13, GR1 ... SB4, NB1 ...), upper-cased."""
    from sim.hazards.fuels import fuel_model_code, fuel_model_number

    return fuel_model_code(fuel_model_number(value))


FuelModelCode = Annotated[str, Field(max_length=8), AfterValidator(_fuel_model_code)]


class FireHazard(Model):
    kind: Literal["fire"]
    id: Identifier
    name: Text | None = None  # what the screen and the report call it ("tyre yard fire")
    ignitions: list[Ignition] = []
    dead_fuel_moisture: Annotated[float, Field(gt=0, le=0.4)] = 0.08
    live_fuel_moisture: Annotated[
        float,
        Field(
            ge=0.3,
            le=3.0,
            description="Moisture of live herbs and shrubs (fraction of dry weight, "
            "0.3 cured to 3.0 lush spring growth). In the dynamic Scott & Burgan models "
            "the herbs' cured share (all at 0.3, none at 1.2) burns as dead fuel.",
        ),
    ] = 1.0
    fuel_models: dict[LandUseName, FuelModelCode] = Field(
        default={},
        description="Fuel model per land-use class, overriding the default map: "
        "Anderson's FM1-FM13, Scott & Burgan's GR1-GR9, GS1-GS4, SH1-SH9, TU1-TU5, "
        "TL1-TL9, SB1-SB4, or non-burnable NB1, NB2, NB3, NB8, NB9.",
    )
    start_min: Minutes | None = 0.0


class Substance(StrEnum):
    CHLORINE = "chlorine"
    AMMONIA = "ammonia"


class GasHazard(Model):
    kind: Literal["gas"]
    id: Identifier
    name: Text | None = None  # what the screen and the report call it ("tyre yard fire")
    source: Identifier
    substance: Substance = Substance.CHLORINE
    inventory_kg: Annotated[
        float,
        Field(
            gt=0,
            le=1e7,
            description="Mass that can escape (kg): the tank's contents. The release ends "
            "when it is all out (or a hazmat team stops the leak).",
        ),
    ]
    rate_kg_per_s: Annotated[
        float,
        Field(
            gt=0,
            le=1e4,
            description="Mass rate into the air (kg/s), constant until the inventory is "
            "gone: the leak lasts inventory_kg / rate_kg_per_s seconds unless stopped "
            "(60,000 kg at 8 kg/s: 125 min). A liquefied gas under its own vapour "
            "pressure leaves a hole at a steady rate. Ignored when instantaneous.",
        ),
    ]
    instantaneous: bool = Field(
        default=False,
        description="Release the whole inventory at once as one puff (a vessel burst) "
        "instead of a steady leak.",
    )
    release_height_m: Annotated[
        float, Field(ge=0, le=100, description="Height of the hole above the ground (m).")
    ] = 1.0
    start_min: Minutes | None = 0.0


Hazard = Annotated[FloodHazard | FireHazard | GasHazard, Field(discriminator="kind")]


class IncidentKind(StrEnum):
    TRAPPED = "trapped"  # people who cannot leave; need boats or USAR
    CASUALTIES = "casualties"  # injured to carry to hospital
    BUILDING_FIRE = "building_fire"
    LEAK = "leak"  # hazardous material release to stop
    LEVEE_DAMAGE = "levee_damage"  # needs sandbags and hands
    WILDFIRE = "wildfire"  # a spreading fire front threatening a community (made by hazards)


class NewIncident(Model):
    type: Literal["incident"]
    id: Identifier
    incident: IncidentKind
    at: Point
    people: Annotated[int, Field(ge=0, le=100_000)] = 0
    work_min: Annotated[float, Field(ge=0, le=10_000)] = 30.0
    zone: Identifier | None = None


class CloseRoad(Model):
    type: Literal["close_road"]
    road: Identifier


class LoseBridge(Model):
    type: Literal["lose_bridge"]
    road: Identifier


class ShiftWind(Model):
    type: Literal["wind_shift"]
    wind_speed_m_per_s: Annotated[float, Field(ge=0, le=70)]
    wind_from_deg: Annotated[float, Field(ge=0, lt=360)]


class DelayReinforcement(Model):
    type: Literal["delay_reinforcement"]
    reinforcement: Identifier
    extra_delay_min: Annotated[float, Field(gt=0, le=24 * 60)]


class StartHazard(Model):
    type: Literal["start_hazard"]
    hazard: Identifier


class BreachLevee(Model):
    type: Literal["breach_levee"]
    hazard: Identifier
    levee: Identifier


class Message(Model):
    type: Literal["message"]
    text: Text


Action = Annotated[
    NewIncident
    | CloseRoad
    | LoseBridge
    | ShiftWind
    | DelayReinforcement
    | StartHazard
    | BreachLevee
    | Message,
    Field(discriminator="type"),
]


class WaterDepthCondition(Model):
    """Holds when water at a facility is deeper than a threshold."""

    water_depth_at: Identifier
    above_m: Annotated[float, Field(gt=0, le=50)]


class Inject(Model):
    id: Identifier
    at_min: Minutes | None = None
    when: WaterDepthCondition | None = None
    actions: Annotated[list[Action], Field(min_length=1)]

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        if (self.at_min is None) == (self.when is None):
            raise ValueError(say("inject.one_trigger"))
        return self


class ScoringTargets(Model):
    """Targets the after-action review judges against (defaults: official ones)."""

    warning_within_min: Annotated[float, Field(gt=0, le=MAX_MINUTES)] = 10.0
    first_unit_on_scene_min: Annotated[float, Field(gt=0, le=MAX_MINUTES)] = 5.0
    ambulance_dispatch_min: Annotated[float, Field(gt=0, le=MAX_MINUTES)] = 3.0
    basic_needs_within_h: Annotated[float, Field(gt=0, le=MAX_MINUTES / 60)] = 10.0


class Scoring(Model):
    weights: dict[
        Annotated[str, Field(pattern=r"^[a-z_]+$", max_length=64)],
        Annotated[float, Field(ge=0, le=1000)],
    ] = {}
    targets: ScoringTargets = ScoringTargets()

    @model_validator(mode="after")
    def _process_or_outcome_counts(self) -> Scoring:
        # The score is process × w_p + outcome × w_o over w_p + w_o (defaults 0.4, 0.6).
        if self.weights.get("process", 1.0) == 0 and self.weights.get("outcome", 1.0) == 0:
            raise ValueError(say("scoring.process_outcome"))
        return self


class Scenario(Model):
    """One drill: the whole YAML file."""

    schema_version: Literal[1]
    meta: Meta
    map: MapSpec
    zones: Annotated[list[Zone], Field(min_length=1)]
    roads: Annotated[list[Road], Field(min_length=1)]
    facilities: Annotated[list[Facility], Field(min_length=1)]
    weather: Annotated[list[WeatherPoint], Field(min_length=1)]
    forces: Forces
    hazards: list[Hazard] = []
    injects: list[Inject] = []
    scoring: Scoring = Scoring()
