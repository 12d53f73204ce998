"""Terrain and land use can come from greyscale images next to the scenario."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from sim import Drill, LandUse, ScenarioError, load_scenario
from tests.conftest import MINI


def write_pgm(path, array: np.ndarray) -> None:
    height, width = array.shape
    path.write_bytes(
        f"P5\n# test\n{width} {height}\n255\n".encode() + array.astype(np.uint8).tobytes()
    )


def scenario_with_images(tmp_path, terrain: dict) -> object:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["map"]["terrain"] = terrain
    path = tmp_path / "imaged.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_elevation_and_land_use_are_read_from_pgm_images(tmp_path):
    ramp = np.tile(np.linspace(0, 255, 20), (15, 1))  # rises to the east, half resolution
    write_pgm(tmp_path / "dem.pgm", ramp)
    codes = np.full((15, 20), int(LandUse.FOREST))
    codes[:, :3] = int(LandUse.WATER)
    write_pgm(tmp_path / "landuse.pgm", codes)
    path = scenario_with_images(
        tmp_path,
        {
            "elevation_pgm": "dem.pgm",
            "land_use_pgm": "landuse.pgm",
            "min_elevation_m": 10,
            "max_elevation_m": 60,
        },
    )
    drill = Drill(load_scenario(path), seed=1)
    elevation, land_use = drill.world.elevation_m, drill.world.land_use
    assert elevation.shape == (30, 40)
    assert elevation[:, 0].max() == pytest.approx(10.0) and elevation[:, -1].min() == pytest.approx(
        60.0
    )
    assert (land_use[:15, :6] == LandUse.WATER).all()  # rows below hold the west village
    assert land_use[0, 20] == LandUse.FOREST  # outside the villages, the image's code holds


def test_a_missing_or_broken_image_is_a_positioned_error(tmp_path):
    (tmp_path / "dem.pgm").write_bytes(b"P5\n20 15\n255\n" + b"\x00" * 10)
    path = scenario_with_images(tmp_path, {"elevation_pgm": "dem.pgm", "land_use_pgm": "gone.pgm"})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    messages = [str(issue) for issue in caught.value.issues]
    assert any(
        "map.terrain.elevation_pgm: image dem.pgm is shorter than its 20×15 header" in m
        for m in messages
    )
    assert any("map.terrain.land_use_pgm: cannot read image gone.pgm" in m for m in messages)
