"""Land-use classes of the map grid.

Every cell of the map has one land-use code. Hazard models translate it into
their own parameters (Manning's n for flood, a fuel model for fire, surface
roughness for gas); the UI colours it. The codes are stable: they appear in
scenario image legends and drill logs.
"""

from __future__ import annotations

from enum import IntEnum


class LandUse(IntEnum):
    """Land-use code of one grid cell (values are stored in uint8 grids)."""

    WATER = 0  # river, lake, pond
    GRASSLAND = 1  # pasture, meadow, open grass
    FARMLAND = 2  # crops, paddy fields, orchards
    SHRUB = 3  # brush, scrub
    FOREST = 4  # closed woodland
    RESIDENTIAL = 5  # town blocks, villages (buildings)
    INDUSTRIAL = 6  # plants, warehouses, tank farms
    PAVED = 7  # squares, car parks, road surface
    BARE = 8  # rock, sand, quarry

    @property
    def is_built(self) -> bool:
        """True for cells covered by buildings (urban fire, indoor sheltering)."""
        return self in (LandUse.RESIDENTIAL, LandUse.INDUSTRIAL)


LAND_USE_COUNT = len(LandUse)
