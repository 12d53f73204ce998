"""Terrain layers: elevation (m) and land use, generated or read from images.

Generated terrain is a function of the scenario alone (its id seeds the
roughness), never of the drill seed: every drill of a scenario is played on
the same ground, so scores compare.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from sim.landuse import LandUse
from sim.scenario.schema import GeneratedTerrain, ImageTerrain, MapSpec, Scenario
from sim.world.geometry import (
    cell_centres,
    chainage,
    distance_to_polyline,
    point_cell,
    polygon_mask,
)

MAX_PGM_BYTES = 8 * 1024 * 1024


class PgmError(ValueError):
    """An image that is not a readable 8- or 16-bit PGM."""


def read_pgm(path: Path) -> np.ndarray:
    """Read a binary (P5) or plain (P2) PGM image as a float array scaled to 0..1."""
    try:
        if path.stat().st_size > MAX_PGM_BYTES:
            raise PgmError(f"image {path.name} is larger than {MAX_PGM_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise PgmError(f"cannot read image {path.name}: {exc.strerror}") from None
    tokens: list[bytes] = []
    pos = 0
    while len(tokens) < 4:
        while pos < len(raw) and raw[pos : pos + 1].isspace():
            pos += 1
        if raw[pos : pos + 1] == b"#":
            pos = raw.find(b"\n", pos) + 1 or len(raw)
            continue
        start = pos
        while pos < len(raw) and not raw[pos : pos + 1].isspace():
            pos += 1
        if start == pos:
            raise PgmError(f"image {path.name} ends inside its header")
        tokens.append(raw[start:pos])
    magic, width, height, maxval = tokens[0], *map(_int_token, tokens[1:])
    if magic not in (b"P5", b"P2") or not (0 < maxval < 65536) or width < 1 or height < 1:
        raise PgmError(f"image {path.name} is not a greyscale PGM (P2/P5)")
    if magic == b"P5":
        dtype = np.dtype(">u2") if maxval > 255 else np.dtype(np.uint8)
        body = raw[pos + 1 : pos + 1 + width * height * dtype.itemsize]
        if len(body) < width * height * dtype.itemsize:
            raise PgmError(f"image {path.name} is shorter than its {width}×{height} header")
        data = np.frombuffer(body, dtype=dtype).astype(np.float64)
    else:
        data = np.array(raw[pos:].split()[: width * height], dtype=np.float64)
        if data.size < width * height:
            raise PgmError(f"image {path.name} is shorter than its {width}×{height} header")
    return data.reshape(height, width) / maxval


def _int_token(token: bytes) -> int:
    try:
        return int(token)
    except ValueError:
        return -1


def _resample(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    rows = (np.arange(shape[0]) * image.shape[0] // shape[0]).clip(0, image.shape[0] - 1)
    cols = (np.arange(shape[1]) * image.shape[1] // shape[1]).clip(0, image.shape[1] - 1)
    return image[np.ix_(rows, cols)]


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Zero-mean, unit-deviation noise with features of about a tenth of the map."""
    spectrum = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    ky = np.fft.fftfreq(shape[0])[:, None]
    kx = np.fft.fftfreq(shape[1])[None, :]
    spectrum *= np.exp(-((kx**2 + ky**2) / (2 * 0.05**2)))
    field = np.real(np.fft.ifft2(spectrum))
    std = field.std()
    return (field - field.mean()) / std if std > 0 else field


def generate_elevation(spec: MapSpec, terrain: GeneratedTerrain, seed_text: str) -> np.ndarray:
    """Elevation (m): plain + slope + hills + river valleys + smooth roughness."""
    shape = (spec.height_cells, spec.width_cells)
    x, y = cell_centres(shape, spec.cell_m)
    z = (
        terrain.base_elevation_m
        + (terrain.slope_m_per_km[0] * x + terrain.slope_m_per_km[1] * y) / 1000.0
    )
    for hill in terrain.hills:
        r_sq = (x - hill.at[0]) ** 2 + (y - hill.at[1]) ** 2
        z += hill.height_m * np.exp(-r_sq / (2 * (hill.radius_m / 2) ** 2))
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "little")
    z += terrain.roughness_m * _smooth_noise(np.random.default_rng(seed), shape)
    for river in terrain.rivers:
        d = distance_to_polyline(river.points, shape, spec.cell_m)
        s = chainage(river.points, shape, spec.cell_m)
        half_valley = max(river.valley_width_m / 2, spec.cell_m)
        start = point_cell(river.points[0], shape, spec.cell_m)
        # The valley floor falls steadily downstream, so hills never dam the river:
        # a parabolic cross-section rising from the floor to the valley edges.
        floor = z[start] - river.valley_depth_m - river.gradient_m_per_km * s / 1000.0
        in_valley = d < half_valley
        valley = floor + river.valley_depth_m * (d / half_valley) ** 2
        z = np.where(in_valley, np.minimum(z, valley), z)
        channel = d <= max(river.width_m / 2, spec.cell_m / 2)
        z = np.where(channel, np.minimum(z, floor - river.depth_m), z)
    return z


def build_terrain(
    scenario: Scenario, base_dir: Path | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(elevation_m, land_use, river_mask) grids for ``scenario``."""
    spec = scenario.map
    shape = (spec.height_cells, spec.width_cells)
    land_use = np.full(shape, LandUse[spec.default_land_use.name], dtype=np.uint8)
    river_mask = np.zeros(shape, dtype=bool)
    terrain = spec.terrain
    if isinstance(terrain, ImageTerrain):
        assert base_dir is not None, "image terrain is checked to have a folder"
        grey = _resample(read_pgm(base_dir / terrain.elevation_pgm), shape)
        span = terrain.max_elevation_m - terrain.min_elevation_m
        elevation = terrain.min_elevation_m + grey * span
        if terrain.land_use_pgm:
            codes = _resample(read_pgm(base_dir / terrain.land_use_pgm), shape)
            land_use = np.clip(np.rint(codes * 255), 0, len(LandUse) - 1).astype(np.uint8)
    else:
        elevation = generate_elevation(spec, terrain, scenario.meta.id)
        for river in terrain.rivers:
            channel = distance_to_polyline(river.points, shape, spec.cell_m)
            river_mask |= channel <= max(river.width_m / 2, spec.cell_m / 2)
    for area in spec.land_use:
        land_use[polygon_mask(area.polygon, shape, spec.cell_m)] = LandUse[area.type.name]
    for zone in scenario.zones:
        if zone.built != "none":
            land_use[polygon_mask(zone.polygon, shape, spec.cell_m)] = LandUse[zone.built.upper()]
    land_use[river_mask] = LandUse.WATER
    return elevation, land_use, river_mask
