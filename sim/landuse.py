"""Land-use classes of the map grid.

Every cell of the map has one land-use code. Hazard models translate it into
their own parameters (Manning's n for flood, a fuel model for fire, surface
roughness for gas); the UI colours it. The codes are stable: they appear in
scenario image legends and drill logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

import numpy as np


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


# A fire is a wildfire (山火) only where it starts in wildland; a warehouse fire is a fire.
WILDLAND = (LandUse.GRASSLAND, LandUse.SHRUB, LandUse.FOREST)
WILDLAND_RADIUS_M = 500.0  # "where it starts": about a fire's first half hour of spread
WILDLAND_SHARE = 0.5  # more wildland than anything else round the ignitions


def wildland_share(land_use: np.ndarray, cell_m: float, points: Sequence[Sequence[float]]) -> float:
    """The share of cells within ``WILDLAND_RADIUS_M`` of any of ``points`` (metres) whose land
    use is wildland; 0 with no points."""
    if not points:
        return 0.0
    rows, cols = np.shape(land_use)
    y = (np.arange(rows) + 0.5) * cell_m
    x = (np.arange(cols) + 0.5) * cell_m
    near = np.zeros((rows, cols), dtype=bool)
    for px, py in points:
        near |= (x[None, :] - px) ** 2 + (y[:, None] - py) ** 2 <= WILDLAND_RADIUS_M**2
    if not near.any():
        return 0.0
    return float(np.isin(np.asarray(land_use)[near], [int(k) for k in WILDLAND]).mean())


def starts_in_wildland(
    land_use: np.ndarray, cell_m: float, points: Sequence[Sequence[float]]
) -> bool:
    """Whether a fire igniting at ``points`` starts in wildland (``WILDLAND_SHARE`` or more)."""
    return wildland_share(land_use, cell_m, points) >= WILDLAND_SHARE
