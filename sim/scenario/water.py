"""Warnings about water the author did not mean: places in the river, roads through it.

Built on the drill's own world (:class:`sim.world.world.World`), so they see
the river channel exactly where the engine puts it. The flood runtime starts
every channel cell part-full (``RIVER_START_DEPTH_M``, 1.5 m) at minute 0;
deeper than ``FACILITY_LOST_DEPTH_M`` (0.5 m) a shelter or depot is lost, and
deeper than ``ROAD_IMPASSABLE_DEPTH_M`` (0.3 m) a road that is not a bridge
closes. So a shelter drawn in the river is lost at minute 0 and a road drawn
across it without ``bridge: true`` is closed at minute 0, before the trainee
has done anything: the trial drill lost its G55 expressway and a shelter the
expert had sent people to this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from sim.landuse import LandUse
from sim.scenario.messages import Message, Named, say
from sim.scenario.schema import FacilityType, FloodHazard, Scenario, Text
from sim.world.geometry import cell_centres, segment_cells

if TYPE_CHECKING:
    from sim.world.world import World

Problem = tuple[tuple[str | int, ...], Message]

# Kinds of place the flood runtime gives up when water stands in them
# (sim.hazards.runtime.HazardRuntime.lose_facilities_where).
LOST_IN_WATER = (FacilityType.SHELTER, FacilityType.DEPOT)


def places_in_water(s: Scenario, world: World) -> Iterator[Problem]:
    """Facilities (and so units' bases) standing in the river channel or on open water."""
    water = world.land_use == LandUse.WATER
    if not water.any():
        return
    flood = any(isinstance(h, FloodHazard) for h in s.hazards)
    bases = {g.base for g in s.forces.units} | {r.arrive_at for r in s.forces.reinforcements}
    x, y = cell_centres(world.shape, world.cell_m)
    dry_x, dry_y = x[~water], y[~water]
    for index, facility in enumerate(s.facilities):
        cell = world.facilities[facility.id].cell
        if not water[cell]:
            continue
        in_river = bool(world.river_mask[cell])
        kind = say("facility_type." + facility.type.value)
        if in_river and flood and facility.type in LOST_IN_WATER:
            effect = say("warn.water.lost", type=kind)
        elif facility.id in bases:
            effect = say("warn.water.base")
        else:
            effect = say("warn.water.nobody")
        nearest = float(
            np.hypot(dry_x - facility.at[0], dry_y - facility.at[1]).min(initial=np.inf)
        )
        yield (
            ("facilities", index, "at"),
            say(
                "warn.water.place",
                type=kind,
                facility=Named.of(facility.id, _unless_said(facility.name, kind)),
                where=say("warn.water.in_river" if in_river else "warn.water.on_water"),
                effect=effect,
                nearest=f"{nearest:.0f}",
            ),
        )


def _unless_said(name: Text, kind: Message) -> Text | None:
    """``name``, or None where its Chinese is the kind's own word (a 消防站 named 消防站)."""
    return None if name.zh == kind.in_language("zh-CN") else name


def roads_through_river(s: Scenario, world: World) -> Iterator[Problem]:
    """Roads drawn across the river channel of a flood drill without ``bridge: true``."""
    river = world.river_mask.ravel()
    # Without a flood the river holds no water in the engine and closes nothing: a road
    # drawn through it plays as a ford (the ammonia drill's S32 crosses its river so).
    if not river.any() or not any(isinstance(h, FloodHazard) for h in s.hazards):
        return
    for index, road in enumerate(s.roads):
        if road.bridge:
            continue
        for k, (a, b) in enumerate(zip(road.points[:-1], road.points[1:], strict=True)):
            wet = [c for c in segment_cells(a, b, world.shape, world.cell_m) if river[c]]
            if not wet:
                continue
            row, col = divmod(int(wet[0]), world.shape[1])
            at = f"[{(col + 0.5) * world.cell_m:.0f}, {(row + 0.5) * world.cell_m:.0f}]"
            yield (
                ("roads", index, "points", k),
                say("warn.water.road", road=Named.of(road.id, road.name), at=at),
            )
            break


def zones_over_river(s: Scenario, world: World) -> Iterator[Problem]:
    """Zones of a flood drill whose polygon takes in river channel cells.

    A zone's people are spread evenly over its cells (flood_runtime._harm_over), so those
    put in the channel stand in 1.5 m of water from minute 0 and are trapped and hurt
    before any order could reach them (the trial's Xiyuan, drawn over the river, lost
    people from minute 2).
    """
    if not any(isinstance(h, FloodHazard) for h in s.hazards):
        return
    river = world.river_mask.ravel()
    names = {zone.id: zone.name for zone in s.zones}
    for index, zone in enumerate(world.zones):
        wet = int(river[zone.cells].sum())
        if wet:
            yield (
                ("zones", index, "polygon"),
                say(
                    "warn.water.zone",
                    zone=Named.of(zone.id, names.get(zone.id)),
                    wet=wet,
                    cells=zone.cells.size,
                ),
            )
