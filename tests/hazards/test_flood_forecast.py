"""The flood stage forecast: a river's peak stage from its own cross-section.

The forecast turns the hydrograph's peak into a stage by Manning's law over the
valley section beside each zone (``sim.hazards.rating``). On a straight channel
with a flat floodplain the answer is known by hand, and a channel held between
levees must be forecast to rise further than one free to spill.
"""

from __future__ import annotations

import numpy as np
import yaml

from sim import Drill
from sim.hazards.flood import MANNING_N_BY_LAND_USE
from sim.hazards.flood_runtime import FORECAST_MARGIN_M
from sim.world.terrain import LandUse
from tests.conftest import MINI, mini_with

RIVER_Y = 1400.0  # west to east across the mini map (2000 x 1500 m, 50 m cells), near its south
WIDTH_M, DEPTH_M = 100.0, 3.0  # channel: two 50 m cells wide, 3 m below the floodplain
SLOPE = 0.001  # 1 m/km, the valley floor's fall
N_CHANNEL = MANNING_N_BY_LAND_USE[LandUse.WATER]
N_PLAIN = MANNING_N_BY_LAND_USE[LandUse.GRASSLAND]
MAP_HEIGHT_M = 1500.0  # the section runs across the whole map, bank to map edge


def _drill(
    peak_m3_per_s: float,
    levee_crest_m: float | None = None,
    base_m3_per_s: float = 100.0,
    hills: list[dict] | None = None,
) -> Drill:
    """The mini drill on a straight river with a flat grass floodplain across the whole map;
    zones unbuilt (grass too); the flood rises from ``base_m3_per_s`` to ``peak_m3_per_s``;
    with ``levee_crest_m``, a levee that high on each bank; ``hills`` (or hollows) on it."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["map"]["default_land_use"] = "grassland"
    data["map"]["land_use"] = []
    data["map"]["terrain"] = {
        "base_elevation_m": 10,
        "roughness_m": 0,
        "rivers": [
            {
                "points": [[0, RIVER_Y], [2000, RIVER_Y]],
                "width_m": WIDTH_M,
                "depth_m": DEPTH_M,
                "valley_width_m": 20000,  # the whole map is valley floor
                "valley_depth_m": 0,  # ... and flat across
                "gradient_m_per_km": 1000 * SLOPE,
            }
        ],
        "hills": hills or [],
    }
    zones = [dict(zone, built="none") for zone in data["zones"]]
    flood = {
        "kind": "flood",
        "id": "river",
        "inflow_at": [[0, RIVER_Y - 50], [0, RIVER_Y + 50]],
        "hydrograph": [
            {"at_min": 0, "discharge_m3_per_s": base_m3_per_s},
            {"at_min": 120, "discharge_m3_per_s": peak_m3_per_s},
        ],
    }
    if levee_crest_m is not None:  # on the cells either side of the channel's two
        flood["levees"] = [
            {"id": f"levee-{side}", "points": [[0, y], [2000, y]], "crest_height_m": levee_crest_m}
            for side, y in (("north", RIVER_Y - 75), ("south", RIVER_Y + 75))
        ]
    return Drill(mini_with(map=data["map"], zones=zones, hazards=[flood]), seed=1)


def _forecast_depth(drill: Drill) -> float:
    """The forecast stage beside the west village, above its river cell's bed (m)."""
    flood = drill.hazards["river"]
    west = next(zone.index for zone in drill.world.zones if zone.id == "west")
    cell = flood.river_cell[west]
    return flood.forecast_stage_m()[west] - float(flood.model.bed_elevation_m.ravel()[cell])


def _discharge_by_hand(depth_m: float, floodplain: bool = True) -> float:
    """Q = S^(1/2) (K_channel + K_floodplain), K = width depth^(5/3) / n for each part,
    the divided-channel method (Chow 1959 §6-8), at ``depth_m`` in the channel."""
    plain_m = max(depth_m - DEPTH_M, 0.0) if floodplain else 0.0
    k_channel = WIDTH_M * depth_m ** (5 / 3) / N_CHANNEL
    k_plain = (MAP_HEIGHT_M - WIDTH_M) * plain_m ** (5 / 3) / N_PLAIN
    return float(np.sqrt(SLOPE) * (k_channel + k_plain))


def _depth_by_hand(discharge_m3_per_s: float, floodplain: bool = True) -> float:
    """The depth at which :func:`_discharge_by_hand` gives this discharge (bisection)."""
    low, high = 0.0, 50.0
    for _ in range(60):
        mid = 0.5 * (low + high)
        if _discharge_by_hand(mid, floodplain) < discharge_m3_per_s:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def test_the_hand_built_map_is_the_channel_and_floodplain_the_hand_sum_assumes():
    drill = _drill(500.0)
    world = drill.world
    column = world.elevation_m[:, 8]
    assert world.river_mask[:, 8].sum() * world.cell_m == WIDTH_M
    assert np.ptp(column[~world.river_mask[:, 8]]) < 1e-9  # flat floodplain
    assert np.ptp(column[world.river_mask[:, 8]]) < 1e-9
    plain, bed = column[~world.river_mask[:, 8]][0], column[world.river_mask[:, 8]][0]
    assert abs(plain - bed - DEPTH_M) < 1e-9


def test_an_in_bank_flood_is_forecast_at_the_channels_normal_depth():
    depth = 2.0  # below the banks
    assert abs(_forecast_depth(_drill(_discharge_by_hand(depth))) - depth) < 0.05


def test_an_overbank_flood_is_forecast_at_the_compound_sections_normal_depth():
    # 1 m over a 1.4 km floodplain: about 2,300 m³/s, most of it on the floodplain; the
    # channel alone would need 5.7 m to carry it, and the old wide-channel rule (the 1.5 m
    # the channel starts with scaled by (Q_peak / Q_now)^0.6) said 5.6 m.
    depth = DEPTH_M + 1.0
    assert abs(_forecast_depth(_drill(_discharge_by_hand(depth))) - depth) < 0.05


def test_a_creek_rising_tenfold_is_not_forecast_over_its_banks():
    # 5 -> 50 m³/s: about 0.6 m deep at the peak. The channel starts 1.5 m deep whatever the
    # discharge, and the old rule scaled that by 10^0.6 to 6 m, 3 m over the banks.
    assert _depth_by_hand(50.0) < 1.0
    depth = _forecast_depth(_drill(50.0, base_m3_per_s=5.0))
    assert depth == 1.5  # no higher than the water there now
    assert depth < DEPTH_M


def test_a_river_held_by_levees_is_forecast_to_rise_more_than_one_free_to_spill():
    low, high = 600.0, 1500.0  # bankfull is about 700 m³/s; 4 m levees hold 1,500
    rise = {}
    for crest in (None, 4.0):
        rise[crest] = _forecast_depth(_drill(high, crest)) - _forecast_depth(_drill(low, crest))
    free = _depth_by_hand(high) - _depth_by_hand(low)
    held = _depth_by_hand(high, floodplain=False) - _depth_by_hand(low, floodplain=False)
    assert abs(rise[None] - free) < 0.05  # about 0.8 m
    assert abs(rise[4.0] - held) < 0.05  # about 2.1 m
    assert rise[4.0] > rise[None] + 1.0


def _west_threat(drill: Drill) -> tuple[float, float, tuple[float, str] | None]:
    """The west village's lowest ground, the forecast stage beside it (m) and its flood
    threat once the flood has begun (None: not threatened)."""
    flood = drill.hazards["river"]
    west = next(zone for zone in drill.world.zones if zone.id == "west")
    lowest = float(drill.world.elevation_m.ravel()[west.cells].min())
    stage = flood.forecast_stage_m()[west.index]
    flood.start(now=True)
    return lowest, stage, flood.zone_threats().get(west.index)


def test_a_village_whose_low_corner_the_forecast_floods_is_told_to_evacuate():
    # An in-bank flood 1.8 m deep stays 1.2 m below the floodplain, but a hollow 2 m deep
    # in the village's corner by the river lies below it: a few homes of the village, and
    # the after-action review counts a flood that wets any of its ground as reaching it.
    hollow = {"at": [700, 1300], "height_m": -2, "radius_m": 150}
    lowest, stage, threat = _west_threat(_drill(_discharge_by_hand(1.8), hills=[hollow]))
    assert lowest < stage
    assert threat == (1.0, "evacuate")


def test_a_village_wholly_above_the_forecast_and_its_margin_is_not_threatened():
    lowest, stage, threat = _west_threat(_drill(_discharge_by_hand(1.8)))
    assert lowest > stage + FORECAST_MARGIN_M  # its lowest corner 0.9 m above the forecast
    assert threat is None


def test_a_village_just_within_the_forecasts_margin_is_told_to_evacuate():
    # The forecast runs up to 0.56 m low on the shipped drills: ground 0.3 m above the
    # forecast peak may still be wetted, so the village is told to leave.
    lowest, stage, threat = _west_threat(_drill(_discharge_by_hand(2.4)))
    assert stage < lowest < stage + FORECAST_MARGIN_M
    assert threat == (1.0, "evacuate")
