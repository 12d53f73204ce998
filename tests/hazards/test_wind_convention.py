"""Wind direction means the same thing in every hazard: where the wind blows FROM.

Scenarios give ``wind_from_deg`` in the meteorological convention, clockwise
from north: 270 is a west wind, blowing towards the east; 0 a north wind,
blowing towards the south. Map rows grow southward (row 0 is the north edge),
columns eastward. On flat, uniform fuel a fire must run farthest downwind, its
smoke must lie downwind of it, the village downwind must be the one the fire
threatens most, and a gas cloud must drift the same way.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from sim import Drill, LoadedScenario, parse_scenario
from sim.hazards.fire import FireModel
from sim.landuse import LandUse
from tests.conftest import MINI

# (row, col) step of each compass point: row 0 is north, so south is +1 row.
STEP = {"north": (-1, 0), "east": (0, 1), "south": (1, 0), "west": (0, -1)}
OPPOSITE = {"north": "south", "east": "west", "south": "north", "west": "east"}
# A wind from each direction blows towards the opposite one.
DOWNWIND = [(270.0, "east"), (0.0, "south"), (90.0, "west"), (180.0, "north")]

CELL_M = 30.0
SIDE = 100  # cells: a 3 km square
CENTRE_M = SIDE * CELL_M / 2  # the ignition (and the gas source) in the middle of the map


def reach(mask: np.ndarray, origin: tuple[int, int]) -> dict[str, int]:
    """How many cells ``mask`` reaches from ``origin`` towards each compass point."""
    rows, cols = np.nonzero(mask)
    r0, c0 = origin
    return {
        "north": int(r0 - rows.min()),
        "south": int(rows.max() - r0),
        "west": int(c0 - cols.min()),
        "east": int(cols.max() - c0),
    }


def offset(mask: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    """Mean (row, col) of the cells of ``mask``, relative to ``origin``."""
    rows, cols = np.nonzero(mask)
    return np.array([rows.mean() - origin[0], cols.mean() - origin[1]])


# ------------------------------------------------------------------------ fire model
@pytest.mark.parametrize(("from_deg", "towards"), DOWNWIND)
def test_a_grass_fire_runs_farthest_downwind_of_a_steady_wind(from_deg, towards):
    n, c = 81, 40
    fire = FireModel(np.full((n, n), LandUse.GRASSLAND, dtype=np.uint8), np.zeros((n, n)), 10.0)
    fire.ignite(np.array([[c, c]]))
    for _ in range(10):
        fire.run_one_step(60.0, 6.0, from_deg)
    extent = reach(np.isfinite(fire.arrival_time_s), (c, c))
    assert max(extent, key=extent.get) == towards, extent
    assert extent[towards] > 3 * extent[OPPOSITE[towards]], extent


@pytest.mark.parametrize("uphill", ["east", "south"])
def test_with_no_wind_a_fire_runs_up_the_slope(uphill):
    # The slope's direction comes from the elevation grid's rows and columns: the same
    # sign slip that would turn the wind would send the fire downhill.
    n, c = 81, 40
    dr, dc = STEP[uphill]
    rows, cols = np.indices((n, n), dtype=float)
    elevation = (dr * rows + dc * cols) * 10.0 * 0.4  # a 40 % slope rising towards ``uphill``
    land_use = np.full((n, n), LandUse.GRASSLAND, dtype=np.uint8)
    fire = FireModel(land_use, elevation, 10.0, dead_moisture=0.06)
    fire.ignite(np.array([[c, c]]))
    for _ in range(6):
        fire.run_one_step(300.0, 0.0, 0.0)
    extent = reach(np.isfinite(fire.arrival_time_s), (c, c))
    assert max(extent, key=extent.get) == uphill, extent
    assert extent[uphill] > 1.5 * extent[OPPOSITE[uphill]], extent


# ------------------------------------------------------------------- drills (runtime)
def flat_drill(
    from_deg: float, hazard: dict, speed: float = 5.0, facilities: tuple[dict, ...] = ()
) -> LoadedScenario:
    """The mini drill on a flat 3 km square of grass under one steady wind: two villages the
    same distance west and east of the middle (unbuilt, so they burn as the grass), and
    ``hazard`` as the only hazard; ``facilities`` join the mini drill's."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["facilities"] += list(facilities)
    lo, hi = CENTRE_M - 200, CENTRE_M + 200
    data.update(
        map={
            "width_cells": SIDE,
            "height_cells": SIDE,
            "cell_m": CELL_M,
            "terrain": {"base_elevation_m": 10, "roughness_m": 0},
            "default_land_use": "grassland",
        },
        zones=[
            {
                "id": side,
                "name": {"en": f"{side.title()} Village", "zh": name},
                "built": "none",
                "polygon": [[x0, lo], [x0 + 400, lo], [x0 + 400, hi], [x0, hi]],
                "population": 600,
            }
            for side, name, x0 in (("west", "西村", 300.0), ("east", "东村", 2300.0))
        ],
        weather=[{"at_min": 0, "wind_speed_m_per_s": speed, "wind_from_deg": from_deg}],
        injects=[],
        hazards=[hazard],
    )
    return parse_scenario(yaml.safe_dump(data, allow_unicode=True), "flat-wind.yaml")


FIRE = {"kind": "fire", "id": "grass-fire", "ignitions": [{"at": [CENTRE_M, CENTRE_M]}]}
MIDDLE = (int(CENTRE_M // CELL_M), int(CENTRE_M // CELL_M))


@pytest.mark.parametrize(("from_deg", "towards"), DOWNWIND)
def test_in_a_drill_the_fire_runs_downwind_and_its_smoke_lies_downwind_of_it(from_deg, towards):
    drill = Drill(flat_drill(from_deg, FIRE), 1)
    drill.advance(20)
    fire = drill.hazards["grass-fire"]
    extent = reach(np.isfinite(fire.model.arrival_time_s), MIDDLE)
    assert max(extent, key=extent.get) == towards, extent
    smoke = fire.smoke()
    assert smoke.any()
    # The plume starts at the fire and goes downwind only: it reaches no farther upwind
    # than the fire itself, and lies, on the whole, downwind of the burning cells.
    fire_extent, smoke_extent = reach(fire.model.burning, MIDDLE), reach(smoke, MIDDLE)
    upwind = OPPOSITE[towards]
    assert smoke_extent[upwind] <= fire_extent[upwind]
    assert smoke_extent[towards] > fire_extent[towards] + 20  # about 1 km of smoke
    burning_centre = MIDDLE + offset(fire.model.burning, MIDDLE)
    assert np.dot(offset(smoke, tuple(burning_centre)), STEP[towards]) > 10


@pytest.mark.parametrize(("from_deg", "threatened"), [(270.0, "east"), (90.0, "west")])
def test_the_village_downwind_of_a_fire_is_the_one_it_threatens_most(from_deg, threatened):
    drill = Drill(flat_drill(from_deg, FIRE), 1)
    drill.advance(1)  # the fire is one cell: both villages equally far from it
    fire = drill.hazards["grass-fire"]
    levels = {drill.world.zones[i].id: level for i, (level, _) in fire.zone_threats().items()}
    other = OPPOSITE[threatened]
    assert levels[threatened] > levels[other] + 0.2, levels


GAS = {
    "kind": "gas",
    "id": "chlorine",
    "source": "tank",
    "substance": "chlorine",
    "inventory_kg": 5000,
    "rate_kg_per_s": 2,
    "release_height_m": 2,
}

TANK = {
    "id": "tank",
    "type": "hazard_source",
    "name": {"en": "Chlorine tank", "zh": "液氯储罐"},
    "at": [CENTRE_M, CENTRE_M],
}


@pytest.mark.parametrize(("from_deg", "towards"), DOWNWIND)
def test_in_a_drill_the_gas_cloud_drifts_downwind_of_the_leak(from_deg, towards):
    drill = Drill(flat_drill(from_deg, GAS, facilities=(TANK,)), 1)
    drill.advance(15)
    ppm = np.asarray(drill.snapshot().fields["gas_ppm"])
    cloud = ppm > 1.0  # well above nothing, far below any harm
    assert cloud.any()
    extent = reach(cloud, MIDDLE)
    assert max(extent, key=extent.get) == towards, extent
    assert extent[towards] > 3 * extent[OPPOSITE[towards]], extent
    # the air is thickest downwind, not at an upwind point as far out
    dr, dc = STEP[towards]
    k = 15  # cells: 450 m
    downwind = ppm[MIDDLE[0] + k * dr, MIDDLE[1] + k * dc]
    upwind = ppm[MIDDLE[0] - k * dr, MIDDLE[1] - k * dc]
    assert downwind > 100 * max(upwind, 1e-9)


# ------------------------------------------------------------- the after-action report
@pytest.mark.parametrize(("from_deg", "towards"), [(270.0, "east"), (0.0, "south")])
def test_the_reports_map_draws_the_burnt_ground_downwind_of_the_ignition(
    tmp_path, from_deg, towards
):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage

    from analysis.drilldata import load_drill
    from analysis.i18n import translator
    from analysis.names import Names
    from analysis.plots import reach_map
    from tests.analysis.conftest import write_log

    loaded = flat_drill(from_deg, FIRE)
    drill = Drill(loaded, 1)
    drill.advance(20)
    drill.finish()
    footprint = drill.hazards["grass-fire"].footprint()
    events = [(e.t_min, e.kind, dict(e.data)) for e in drill.events]
    data = load_drill(write_log(tmp_path / "fire.jsonl", events, seed=1, loaded=loaded))
    tr = translator("en")
    fig = Figure(figsize=(6, 6), dpi=80)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    reach_map(ax, data, tr, Names(data, tr))
    burnt = [
        im for im in ax.findobj(AxesImage) if int(np.ma.count(im.get_array())) == footprint.sum()
    ]
    assert len(burnt) == 1, "the map draws the fire's greatest extent once"

    def pixels() -> np.ndarray:
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)  # rows from the top

    shown = pixels()
    burnt[0].set_visible(False)
    changed = np.argwhere(np.abs(shown - pixels()).max(axis=2) > 8)  # (row, col) from top-left
    assert len(changed) > 20
    height = fig.canvas.get_width_height()[1]

    def on_page(x_m: float, y_m: float) -> np.ndarray:
        """(row, col) from the page's top-left of a map point (x east, y south, metres)."""
        x, y = ax.transData.transform((x_m, y_m))  # display: y from the bottom
        return np.array([height - y, x])

    # north is up and east right on the page, as on the screen ...
    assert np.dot(unit(changed.mean(axis=0) - on_page(CENTRE_M, CENTRE_M)), STEP[towards]) > 0.9
    # ... and the burnt ground is drawn where it is on the map, under the roads and marks
    rows, cols = np.nonzero(footprint)
    where = on_page((cols.mean() + 0.5) * CELL_M, (rows.mean() + 0.5) * CELL_M)
    cell_px = np.linalg.norm(on_page(CELL_M, 0.0) - on_page(0.0, 0.0))
    assert np.linalg.norm(changed.mean(axis=0) - where) < 2 * cell_px


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)
