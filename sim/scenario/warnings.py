"""Suspect content: a scenario that loads but will not play the drill its author meant.

:mod:`sim.scenario.checks` refuses files that cannot be run. The checks here
look at a file that loads and point at what is almost always a mistake: a
scoring weight nobody reads, a hazard nothing starts, an incident no unit can
work, a river fed on a hillside, a shelter or a station standing in the
river, a road through the river that is not a bridge, Chinese text with no
Chinese in it, a day with no daylight, a flood with nowhere
to evacuate to, injuries with no hospital, an inject whose own road closure
cuts its own incident off, a gas cloud that no wind blows towards anyone, a
grid too large for the game to play at speed on this machine, a fire lit on
ground the fire model does not burn (:mod:`sim.scenario.ignitions`).
``python -m sim validate`` prints them as
``FILE:LINE:COL: warning: path: message`` (``--strict`` makes them errors).
Every message is made by id from the translation tables
(:mod:`sim.scenario.messages`), so ``validate --lang zh-CN`` says it in Chinese.

They run only on a file that loaded without errors, so a mistake is reported
once, as the error it is, never again as a knock-on warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import yaml

from sim.scenario.glyphs import undrawable_text
from sim.scenario.ignitions import ignitions_that_cannot_burn
from sim.scenario.loader import LoadedScenario
from sim.scenario.messages import Message, Named, in_language, say
from sim.scenario.schema import (
    CloseRoad,
    FacilityType,
    FireHazard,
    FloodHazard,
    GasHazard,
    IncidentKind,
    LandUseName,
    LoseBridge,
    NewIncident,
    Scenario,
    ShiftWind,
    StartHazard,
    UnitType,
)
from sim.scenario.text import english_in_zh
from sim.scenario.water import places_in_water, roads_through_river, zones_over_river
from sim.units import CATALOG, INCIDENT_NEEDS
from sim.world.geometry import point_in_polygon

Problem = tuple[tuple[str | int, ...], Message]

# The names ``scoring.weights`` may set: the score's two halves, the harm index's
# weights (analysis.scoring.DEFAULT_WEIGHTS) and the twelve Annex A dimensions
# (analysis.rubric.DIMENSIONS). sim/ may not import analysis/, so they are listed
# here; tests/test_scenario_warnings.py proves the two lists agree.
SCORING_WEIGHTS: tuple[str, ...] = (
    "process",
    "outcome",
    "harm_deaths",
    "harm_injuries",
    "harm_trapped",
    "harm_unmet_person_h",
    "harm_above_aegl2",
    "warning_reporting",
    "mobilisation",
    "monitoring",
    "command",
    "handling",
    "resources",
    "communications",
    "public_information",
    "protection",
    "cordon",
    "medical",
    "recovery",
)
THREAT_DOWNWIND_M = 4000.0  # how far downwind a cloud is looked for a zone (the old wedge)
HILLSIDE_LOOK_M = 250.0  # how far round an inflow point to look for lower ground
HILLSIDE_DROP_M = 5.0  # an inflow this far above the lowest ground nearby is on a slope
# Incidents whose people are injured or need rescue, and so a hospital.
HURT_KINDS = (IncidentKind.CASUALTIES, IncidentKind.TRAPPED, IncidentKind.BUILDING_FIRE)


# Engine CPU seconds per simulated minute per million grid cells, by hazard, at the dearest
# ten minutes of each drill: measured with benchmarks/bench_drill_size.py on this machine
# (2 cores, shared with other work: load average 13-18 while measuring, so these are high
# rather than low). Flood: riverside_flood at 512^2 cells of 50 m, its peak hydrograph (1.78;
# 2.29 at 160^2, where fixed costs weigh more); its substeps are CFL-limited (dt = alpha dx /
# sqrt(g h), Bates et al. 2010), so they scale as 50 m / cell_m. Fire: wildfire_wui at its own
# 150x110 (0.109; 0.024 at 400^2 in the first hour). Gas: chlorine_leak at 400^2 (0.111).
ENGINE_S_PER_MIN_PER_MCELL = {"flood": 1.78, "fire": 0.109, "gas": 0.111}
FLOOD_MEASURED_CELL_M = 50.0
# The game gives the engine 10 ms of each frame at 60 frames a second (ui/session.py
# ENGINE_BUDGET_S, ui/app.py FPS): 0.6 s of engine time per second of play. At speed N a
# second of play is N/60 simulated minutes.
ENGINE_S_PER_WALL_S = 0.010 * 60
GAME_SPEEDS = (1, 2, 5, 15, 30, 60, 120)  # ui/session.py SPEEDS
PLAYED_AT_SPEED = 60  # one simulated minute a second: a 10-hour drill in 10 minutes


def engine_s_per_min(s: Scenario) -> float:
    """Estimated engine CPU seconds per simulated minute of ``s`` on this machine."""
    mcells = s.map.width_cells * s.map.height_cells / 1e6
    total = 0.0
    for hazard in s.hazards:
        cost = ENGINE_S_PER_MIN_PER_MCELL[hazard.kind] * mcells
        if hazard.kind == "flood":
            cost *= FLOOD_MEASURED_CELL_M / s.map.cell_m
        total += cost
    return total


@dataclass(frozen=True)
class ScenarioWarning:
    """One suspect value, positioned for an editor like a loader error.

    ``message`` is a :class:`~sim.scenario.messages.Message`: English as a ``str``,
    and said again in another language by :meth:`text`.
    """

    file: str
    line: int
    col: int
    path: str
    message: str

    def text(self, language: str = "en", strict: bool = False) -> str:
        """``FILE:LINE:COL: warning: path: message`` in ``language`` (``error`` if ``strict``).

        The label and the message are in ``language`` (``en`` or ``zh-CN``); the file,
        its position and the YAML path stay as they are in the file.
        """
        label = say("validate.error" if strict else "validate.warning").in_language(language)
        where = f"{self.path}: " if self.path else ""
        message = in_language(self.message, language)
        return f"{self.file}:{self.line}:{self.col}: {label}: {where}{message}"

    def render(self, strict: bool = False, language: str = "en") -> str:
        """The line ``validate`` prints: :meth:`text`, in English unless told."""
        return self.text(language, strict)

    def __str__(self) -> str:
        return self.text()


def scenario_warnings(loaded: LoadedScenario) -> list[ScenarioWarning]:
    """Every warning of a loaded scenario, positioned in its file, in check order."""
    marks = _marks(loaded.text)
    found = []
    for path, message in suspect_content(loaded):
        line, col = _at(marks, path)
        found.append(ScenarioWarning(loaded.name, line, col, _format_path(path), message))
    return found


def suspect_content(loaded: LoadedScenario) -> list[Problem]:
    """(YAML path, message) of each suspect value of ``loaded``."""
    s = loaded.scenario
    problems: list[Problem] = []
    for check in (
        _scoring_weights,
        _sun,
        _never_started,
        _nobody_can_work,
        _no_shelter,
        _no_hospital,
        _plume_misses_everyone,
        _too_slow,
        english_in_zh,
        undrawable_text,
    ):
        problems.extend(check(s))
    problems.extend(_on_the_ground(loaded))
    problems.extend(ignitions_that_cannot_burn(s, loaded.base_dir))
    return problems


# -- the checks ---------------------------------------------------------------


def _scoring_weights(s: Scenario) -> Iterator[Problem]:
    for name in s.scoring.weights:
        if name not in SCORING_WEIGHTS:
            close = difflib.get_close_matches(name, SCORING_WEIGHTS, n=1)
            yield (
                ("scoring", "weights", name),
                say("warn.weight.unknown.did_you_mean", name=name, close=close[0])
                if close
                else say("warn.weight.unknown", name=name, names=SCORING_WEIGHTS),
            )


def _sun(s: Scenario) -> Iterator[Problem]:
    if s.meta.sunset <= s.meta.sunrise:
        yield (
            ("meta", "sunset"),
            say("warn.night", sunset=str(s.meta.sunset), sunrise=str(s.meta.sunrise)),
        )


def _started_by_inject(s: Scenario) -> set[str]:
    return {
        action.hazard
        for inject in s.injects
        for action in inject.actions
        if isinstance(action, StartHazard)
    }


def _never_started(s: Scenario) -> Iterator[Problem]:
    started = _started_by_inject(s)
    for index, hazard in enumerate(s.hazards):
        if hazard.start_min is None and hazard.id not in started:
            yield (
                ("hazards", index, "start_min"),
                say(
                    "warn.hazard.never_started",
                    kind=say("hazard_kind." + hazard.kind),
                    hazard=Named.of(hazard.id, hazard.name),
                ),
            )


def _force_types(s: Scenario) -> set[UnitType]:
    types = {group.type for group in s.forces.units}
    return types | {r.type for r in s.forces.reinforcements}


def _able(types: set[UnitType], kind: IncidentKind) -> bool:
    return any(CATALOG[t].capabilities & INCIDENT_NEEDS[kind] for t in types)


def _who_can(kind: IncidentKind) -> list[Message]:
    needs = INCIDENT_NEEDS[kind]
    able = sorted(t.value for t, spec in CATALOG.items() if spec.capabilities & needs)
    return [say("unit_type." + value) for value in able]


def _nobody_can_work(s: Scenario) -> Iterator[Problem]:
    """Incidents, scripted or made by a hazard, that no unit of the force can work."""
    types = _force_types(s)
    made_by_hazard = []
    for index, hazard in enumerate(s.hazards):
        if isinstance(hazard, GasHazard):
            made_by_hazard.append((("hazards", index), IncidentKind.LEAK, f"leak-{hazard.id}"))
        elif isinstance(hazard, FireHazard):
            made_by_hazard.append((("hazards", index), IncidentKind.WILDFIRE, "wildfire"))
        elif isinstance(hazard, FloodHazard) and hazard.levees:
            made_by_hazard.append(
                (("hazards", index, "levees"), IncidentKind.LEVEE_DAMAGE, "levee")
            )
    for path, kind, name in made_by_hazard:
        if not _able(types, kind):
            yield (
                path,
                say(
                    "warn.nobody_can_work.hazard",
                    kind=say("incident_kind." + kind.value),
                    name=name,
                    types=_who_can(kind),
                ),
            )
    for i_index, inject in enumerate(s.injects):
        for a_index, action in enumerate(inject.actions):
            if isinstance(action, NewIncident) and not _able(types, action.incident):
                yield (
                    ("injects", i_index, "actions", a_index, "incident"),
                    say(
                        "warn.nobody_can_work.incident",
                        kind=say("incident_kind." + action.incident.value),
                        types=_who_can(action.incident),
                    ),
                )


def _no_shelter(s: Scenario) -> Iterator[Problem]:
    if any(f.type == FacilityType.SHELTER for f in s.facilities):
        return
    for index, hazard in enumerate(s.hazards):
        if isinstance(hazard, FloodHazard | FireHazard):
            yield ("hazards", index), say("warn.no_shelter", kind=say("hazard_kind." + hazard.kind))
            return


def _no_hospital(s: Scenario) -> Iterator[Problem]:
    if any(f.type == FacilityType.HOSPITAL for f in s.facilities):
        return
    if s.hazards:
        yield ("hazards", 0), say("warn.no_hospital")
        return
    for i_index, inject in enumerate(s.injects):
        for a_index, action in enumerate(inject.actions):
            if isinstance(action, NewIncident) and action.incident in HURT_KINDS and action.people:
                yield (
                    ("injects", i_index, "actions", a_index),
                    say(
                        "warn.no_hospital.incident",
                        kind=say("incident_kind." + action.incident.value),
                    ),
                )
                return


def _plume_misses_everyone(s: Scenario) -> Iterator[Problem]:
    """A gas cloud that no wind of the drill blows towards any zone but the source's own.

    The usual cause is the wind convention read backwards: ``wind_from_deg`` is
    where the wind comes from. The cone is the 4 km wedge the gas runtime used to
    call a zone threatened (it now draws the leak's own plume, which depends on
    the release and the air, not known here), with its bearing reckoned the
    runtime's way (:func:`sim.hazards.gas_runtime.downwind`).
    """
    from sim.hazards.gas_runtime import downwind

    facilities = {f.id: f for f in s.facilities}
    winds = sorted(
        {w.wind_from_deg for w in s.weather}
        | {a.wind_from_deg for i in s.injects for a in i.actions if isinstance(a, ShiftWind)}
    )
    for index, hazard in enumerate(s.hazards):
        if not isinstance(hazard, GasHazard) or hazard.source not in facilities:
            continue
        source = facilities[hazard.source].at
        others = [z for z in s.zones if not point_in_polygon(source, z.polygon)]
        hit = False
        for zone in others:
            centre = (
                sum(p[0] for p in zone.polygon) / len(zone.polygon),
                sum(p[1] for p in zone.polygon) / len(zone.polygon),
            )
            for from_deg in winds:
                along, across = downwind(source, centre, from_deg)
                hit |= 0 < along < THREAT_DOWNWIND_M and across < 0.35 * along + 300
        if others and not hit:
            yield (
                ("hazards", index, "source"),
                say(
                    "warn.plume.misses_everyone",
                    winds=[f"{w:g}°" for w in winds],
                    km=f"{THREAT_DOWNWIND_M / 1000:g}",
                ),
            )


def _too_slow(s: Scenario) -> Iterator[Problem]:
    """A grid (with its hazards) too large for the game to play at speed on this machine."""
    cost_s = engine_s_per_min(s)
    if cost_s <= 0 or cost_s * PLAYED_AT_SPEED / 60.0 <= ENGINE_S_PER_WALL_S:
        return
    fastest = max((n for n in GAME_SPEEDS if cost_s * n / 60.0 <= ENGINE_S_PER_WALL_S), default=0)
    kinds = [say("hazard_kind." + kind) for kind in sorted({h.kind for h in s.hazards})]
    said = {
        "width": s.map.width_cells,
        "height": s.map.height_cells,
        "cell_m": f"{s.map.cell_m:g}",
        "kinds": all_of(kinds),
        "cost_s": f"{cost_s:.1f}",
    }
    if fastest == 0:
        message = say("warn.too_slow.behind", **said)
    else:
        message = say("warn.too_slow.up_to", fastest=fastest, speed=PLAYED_AT_SPEED, **said)
    yield ("map", "width_cells"), message


def _on_the_ground(loaded: LoadedScenario) -> Iterator[Problem]:
    """Checks that need the built world: terrain under inflows, roads to incidents."""
    s = loaded.scenario
    floods = [h for h in s.hazards if isinstance(h, FloodHazard)]
    cutting = [i for i in s.injects if _closed_roads(i) and _incidents(i)]
    terrain = s.map.terrain
    water = (
        bool(getattr(terrain, "rivers", None))
        or bool(getattr(terrain, "land_use_pgm", None))
        or any(area.type == LandUseName.WATER for area in s.map.land_use)
        or s.map.default_land_use == LandUseName.WATER
    )
    if not floods and not cutting and not water:
        return
    from sim.world.world import World

    world = World(s, loaded.base_dir)
    yield from places_in_water(s, world)
    yield from roads_through_river(s, world)
    yield from zones_over_river(s, world)
    yield from _hillside_inflows(s, world)
    yield from _cut_off_by_own_inject(s, world)


def _hillside_inflows(s: Scenario, world) -> Iterator[Problem]:  # noqa: ANN001
    from sim.world.geometry import cell_centres, polyline_cells

    x, y = cell_centres(world.shape, world.cell_m)
    z = world.elevation_m
    for index, hazard in enumerate(s.hazards):
        if not isinstance(hazard, FloodHazard):
            continue
        cells = polyline_cells(hazard.inflow_at, world.shape, world.cell_m)
        rows, cols = cells[:, 0], cells[:, 1]
        if world.river_mask[rows, cols].any():
            continue  # fed into a river channel: where it belongs
        drops = []
        for row, col in zip(rows, cols, strict=True):
            near = np.hypot(x - x[row, col], y - y[row, col]) <= HILLSIDE_LOOK_M
            drops.append(float(z[row, col] - z[near].min()))
        lowest = min(drops)  # the best-placed point of the inflow line
        if lowest > HILLSIDE_DROP_M:
            yield (
                ("hazards", index, "inflow_at"),
                say("warn.inflow.slope", drop=f"{lowest:.1f}", look=f"{HILLSIDE_LOOK_M:g}"),
            )
        elif world.river_mask.any():
            # The terrain draws a river and the inflow is not on it (a hilltop is flat on top,
            # so the slope test above misses it): the flood runs somewhere else.
            channel = world.river_mask
            away = min(
                float(np.hypot(x[channel] - x[r, c], y[channel] - y[r, c]).min())
                for r, c in zip(rows, cols, strict=True)
            )
            yield ("hazards", index, "inflow_at"), say("warn.inflow.off_river", away=f"{away:.0f}")


def _closed_roads(inject) -> list[tuple[int, str]]:  # noqa: ANN001
    return [
        (index, action.road)
        for index, action in enumerate(inject.actions)
        if isinstance(action, CloseRoad | LoseBridge)
    ]


def _incidents(inject) -> list[tuple[int, NewIncident]]:  # noqa: ANN001
    return [(i, a) for i, a in enumerate(inject.actions) if isinstance(a, NewIncident)]


def _cut_off_by_own_inject(s: Scenario, world) -> Iterator[Problem]:  # noqa: ANN001
    """An inject that opens an incident and closes the only road a capable unit has to it."""
    roads = world.roads
    road_names = {road.id: road.name for road in s.roads}
    groups = [(g.type, g.base) for g in s.forces.units]
    groups += [(r.type, r.arrive_at) for r in s.forces.reinforcements]
    for i_index, inject in enumerate(s.injects):
        closed = _closed_roads(inject)
        incidents = _incidents(inject)
        if not closed or not incidents:
            continue
        nodes = {a.id: world.connect(a.at, a.id) for _, a in incidents}
        before = roads.parts()
        keys = [k for _, road in closed for k in roads.road_edges.get(road, [])]
        newly = [k for k in keys if roads.set_closure(k, "warning-check", True)]
        after = roads.parts()
        for key in newly:
            roads.set_closure(key, "warning-check", False)
        for _, action in incidents:
            bases = [
                world.facilities[base].node
                for unit_type, base in groups
                if CATALOG[unit_type].capabilities & INCIDENT_NEEDS[action.incident]
                and CATALOG[unit_type].air_kmh == 0
                and base in world.facilities
            ]
            node = nodes[action.id]
            if _reached(before, node, bases) and not _reached(after, node, bases):
                road_path = ("injects", i_index, "actions", closed[0][0], "road")
                yield (
                    road_path,
                    say(
                        "warn.inject.cuts_own_incident",
                        roads=[Named.of(road, road_names.get(road)) for _, road in closed],
                        inject=Named(inject.id),
                        incident=Named(action.id),
                    ),
                )


def _reached(parts: dict[int, int], node: int, bases: list[int]) -> bool:
    here = parts.get(node, -1)
    return here >= 0 and any(parts.get(base) == here for base in bases)


# -- words --------------------------------------------------------------------


def all_of(items: list) -> Message:
    """``a``, ``a and b``, ``a, b and c`` (``a、b和c``): every one of ``items``."""
    if len(items) == 1:
        return say("list.one", item=items[0])
    return say("list.and", rest=items[:-1], last=items[-1])


# -- positions ----------------------------------------------------------------


def _marks(text: str) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Line and column (1-based) of every value and mapping key of a YAML text."""
    marks: dict[tuple[str | int, ...], tuple[int, int]] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                mark = key.start_mark
                marks[(*path, key.value)] = (mark.line + 1, mark.column + 1)
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        walk(node, ())
    return marks


def _at(marks: dict[tuple[str | int, ...], tuple[int, int]], path: tuple) -> tuple[int, int]:
    while path and path not in marks:
        path = path[:-1]
    return marks.get(path, (1, 1))


def _format_path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
