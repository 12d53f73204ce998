"""Warning: a fire ignited on ground the fire model does not burn.

An ignition on a paved yard, open water or bare rock is logged as a milestone
and then nothing burns: the fire model leaves non-burnable cells as they are
(:meth:`sim.hazards.fire.FireModel.ignite`). Which cells burn is asked of the
fire model itself, built the way the fire runtime builds it (the drill's land
use, the hazard's fuel moisture and its ``fuel_models`` overrides), so the
check agrees with the engine whatever land uses and fuel models the file sets.
The warning names the ignition, the land use under it and the nearest cell that
burns (or says none lies near).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from sim.landuse import LandUse
from sim.scenario.messages import Message, Named, say
from sim.scenario.schema import FireHazard, Scenario

Problem = tuple[tuple[str | int, ...], Message]

NEAR_M = 1000.0  # burnable ground farther than this from an ignition is "none near"


def burnable_cells(
    hazard: FireHazard, land_use: np.ndarray, elevation_m: np.ndarray, cell_m: float
) -> np.ndarray:
    """Boolean grid of the cells fire hazard ``hazard`` can burn, as the engine decides."""
    from sim.hazards.fire import FireModel

    model = FireModel(
        land_use,
        elevation_m,
        cell_m,
        dead_moisture=hazard.dead_fuel_moisture,
        live_moisture=hazard.live_fuel_moisture,
        fuel_models={LandUse[name.name]: code for name, code in hazard.fuel_models.items()},
    )
    model.ignite(np.argwhere(np.ones(land_use.shape, dtype=bool)))
    return np.array(model.burning)  # every cell set alight that could be


def ignitions_that_cannot_burn(s: Scenario, base_dir: Path | None) -> Iterator[Problem]:
    """(path, message) of each ignition on a cell its fire hazard cannot burn."""
    fires = [(i, h) for i, h in enumerate(s.hazards) if isinstance(h, FireHazard) and h.ignitions]
    if not fires:
        return
    from sim.world.geometry import cell_centres, point_cell
    from sim.world.terrain import build_terrain

    elevation_m, land_use, _ = build_terrain(s, base_dir)
    cell_m = s.map.cell_m
    x, y = cell_centres(land_use.shape, cell_m)
    for h_index, hazard in fires:
        burnable = burnable_cells(hazard, land_use, elevation_m, cell_m)
        for i_index, ignition in enumerate(hazard.ignitions):
            cell = point_cell(ignition.at, land_use.shape, cell_m)
            if burnable[cell]:
                continue
            yield (
                ("hazards", h_index, "ignitions", i_index, "at"),
                _message(
                    hazard, ignition.at, LandUse(int(land_use[cell])), burnable, land_use, x, y
                ),
            )


def _message(hazard, at, under, burnable, land_use, x, y) -> Message:  # noqa: ANN001
    point = f"[{at[0]:g}, {at[1]:g}]"
    fire = Named.of(hazard.id, hazard.name)
    said = say("land_use." + under.name.lower())
    if burnable.any():
        distance = np.hypot(x - at[0], y - at[1])
        distance[~burnable] = np.inf
        row, col = np.unravel_index(int(np.argmin(distance)), distance.shape)
        if distance[row, col] <= NEAR_M:
            return say(
                "ignition.not_burnable",
                hazard=fire,
                point=point,
                land_use=said,
                code=under.name.lower(),
                land_use_near=say("land_use." + LandUse(int(land_use[row, col])).name.lower()),
                distance=f"{distance[row, col]:.0f}",
                near=f"[{x[row, col]:g}, {y[row, col]:g}]",
            )
    return say(
        "ignition.not_burnable.none_near",
        hazard=fire,
        point=point,
        land_use=said,
        code=under.name.lower(),
        radius=f"{NEAR_M:g}",
    )
