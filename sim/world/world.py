"""The World: grids, zones, facilities and roads built from a scenario.

Built once per drill and treated as read-only afterwards, except for the
road closures (kept on the road network) and the bed elevation that levee
work changes (kept by the flood model).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.scenario.schema import DepotTier, FacilityType, Scenario, Text
from sim.world.geometry import point_cell, polygon_mask
from sim.world.roads import RoadNetwork
from sim.world.terrain import build_terrain


@dataclass(frozen=True)
class ZoneInfo:
    """A community or village: where people live."""

    index: int
    id: str
    name: Text
    population: int
    vulnerable_share: float
    cells: np.ndarray  # flat grid indices
    centroid_xy: tuple[float, float]
    area_m2: float
    node: int


@dataclass(frozen=True)
class FacilityInfo:
    """A fixed place: station, hospital, shelter, depot, command post, source."""

    id: str
    type: FacilityType
    name: Text
    xy: tuple[float, float]
    cell: tuple[int, int]
    node: int
    beds: int
    capacity: int
    tier: DepotTier | None


class World:
    """Everything about the map that the drill plays on."""

    def __init__(self, scenario: Scenario, base_dir: Path | None = None) -> None:
        spec = scenario.map
        self.scenario = scenario
        self.shape = (spec.height_cells, spec.width_cells)
        self.cell_m = spec.cell_m
        self.elevation_m, self.land_use, self.river_mask = build_terrain(scenario, base_dir)
        self.roads = RoadNetwork(list(scenario.roads), self.shape, self.cell_m)
        self.zone_index = np.full(self.shape, -1, dtype=np.int32)
        self.zones: list[ZoneInfo] = []
        for index, zone in enumerate(scenario.zones):
            mask = polygon_mask(zone.polygon, self.shape, self.cell_m)
            self.zone_index[mask] = index
            centroid = tuple(float(v) for v in np.mean(zone.polygon, axis=0))
            self.zones.append(
                ZoneInfo(
                    index=index,
                    id=zone.id,
                    name=zone.name,
                    population=zone.population,
                    vulnerable_share=zone.vulnerable_share,
                    cells=np.flatnonzero(mask),
                    centroid_xy=centroid,  # type: ignore[arg-type]
                    area_m2=float(mask.sum()) * self.cell_m**2,
                    node=self.connect(centroid, zone.id),  # type: ignore[arg-type]
                )
            )
        self.facilities: dict[str, FacilityInfo] = {}
        for facility in scenario.facilities:
            self.facilities[facility.id] = FacilityInfo(
                id=facility.id,
                type=facility.type,
                name=facility.name,
                xy=facility.at,
                cell=point_cell(facility.at, self.shape, self.cell_m),
                node=self.connect(facility.at, facility.id),
                beds=facility.beds,
                capacity=facility.capacity,
                tier=facility.tier,
            )
        self.zone_by_id = {zone.id: zone for zone in self.zones}

    def connect(self, xy: tuple[float, float], name: str) -> int:
        """A road node for a place at ``xy``: access links to the nearest roads, never
        across the river (:meth:`RoadNetwork.connect`)."""
        return self.roads.connect(xy, name, self.river_mask)

    def zone_at(self, xy: tuple[float, float]) -> ZoneInfo:
        """The zone containing ``xy``, or the zone whose centre is nearest."""
        index = int(self.zone_index[point_cell(xy, self.shape, self.cell_m)])
        if index >= 0:
            return self.zones[index]
        return min(
            self.zones,
            key=lambda z: (z.centroid_xy[0] - xy[0]) ** 2 + (z.centroid_xy[1] - xy[1]) ** 2,
        )

    def facilities_of(self, kind: FacilityType) -> list[FacilityInfo]:
        return [f for f in self.facilities.values() if f.type == kind]
