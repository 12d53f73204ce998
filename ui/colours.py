"""Colours of the map: land use, people's states, unit statuses, warnings, hazard fields.

Colours live in the front end (never in the model). Hazard fields are
drawn in the bands a commander's maps use, chosen from the field's name so a
new field from the engine draws without a code change: gas (``gas``/
``conc``/``ppm``) in the AEGL-1/2/3 threat zones of EPA/NOAA ALOHA (yellow,
orange, red); water depth (``depth``/``water``) in the blue depth classes of
flood-risk maps (0.5 / 1 / 2 m, as in China's flood-risk mapping guideline
SL 483 and the EU floods directive maps); a fire's burning front flame red
with a yellow edge, its burnt area charcoal; smoke grey; anything else
magenta.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import LandUse

LAND_USE_RGB = np.zeros((256, 3), dtype=np.float32)
for _code, _rgb in {
    LandUse.WATER: (64, 112, 168),
    LandUse.GRASSLAND: (156, 186, 120),
    LandUse.FARMLAND: (196, 198, 140),
    LandUse.SHRUB: (128, 158, 96),
    LandUse.FOREST: (70, 118, 74),
    LandUse.RESIDENTIAL: (188, 172, 160),
    LandUse.INDUSTRIAL: (168, 160, 176),
    LandUse.PAVED: (170, 170, 170),
    LandUse.BARE: (186, 170, 140),
}.items():
    LAND_USE_RGB[int(_code)] = _rgb

PERSON_RGB = {
    "unaware": (150, 150, 150),
    "warned": (230, 200, 60),
    "evacuating": (80, 190, 230),
    "evacuated": (70, 200, 100),
    "sheltering": (110, 180, 120),
    "injured": (240, 120, 50),
    "trapped": (230, 40, 40),
    "hospitalised": (90, 160, 230),
    "dead": (60, 10, 10),
}
PERSON_TEXT_RGB = {**PERSON_RGB, "unaware": (185, 185, 185), "dead": (235, 80, 80)}
STATUS_RGB = {
    "available": (60, 200, 90),
    "en_route": (250, 200, 40),
    "on_scene": (240, 90, 40),
    "transporting": (90, 170, 250),
    "returning": (170, 170, 210),
    "staged": (120, 220, 200),
    "resting": (130, 130, 130),
    "stranded": (200, 40, 200),
}
WARNING_RGB = {
    "blue": (40, 110, 230),
    "yellow": (240, 210, 30),
    "orange": (245, 130, 20),
    "red": (225, 30, 30),
}
ROAD_RGB = {"expressway": (245, 200, 90), "main": (250, 246, 236), "local": (222, 218, 210)}
ROAD_WIDTH_PX = {"expressway": 5, "main": 4, "local": 3}
CLOSED_ROAD_RGB = (220, 30, 30)
INCIDENT_RGB = (235, 50, 40)
SELECTION_RGB = (255, 255, 255)
SEVERITY_RGB = {
    "info": (210, 216, 224),
    "good": (120, 220, 140),
    "alert": (255, 190, 60),
    "bad": (255, 110, 100),
}


def zone_colour(people: dict[str, int]) -> tuple[int, int, int]:
    """The mean colour of a zone's people by state (quantised so it changes in steps)."""
    total = sum(people.values())
    if total <= 0:
        return PERSON_RGB["unaware"]
    rgb = sum(np.array(PERSON_RGB[state]) * n for state, n in people.items() if n) / total
    return tuple(int(c) // 16 * 16 for c in rgb)  # type: ignore[return-value]


@dataclass(frozen=True)
class Band:
    """Values from ``lower`` up (to the next band) drawn in ``rgba``; ``key`` names it in
    the legend (a key of ui/locales/*/map.json, formatted with ``value``)."""

    lower: float
    rgba: tuple[int, int, int, int]
    key: str
    value: str = ""


@dataclass(frozen=True)
class FieldStyle:
    """How a hazard field is drawn: its bands, whether values are resampled on a log
    scale (concentrations), the edge colour drawn at each band's lower value, and the
    legend's title key."""

    kind: str  # "gas", "water", "fire", "burnt", "smoke", "other"
    bands: tuple[Band, ...]
    log: bool = False
    edge_rgb: tuple[int, int, int] | None = None
    title: str = ""


GAS_RGBA = (
    (255, 214, 0, 95),  # AEGL-1: yellow (ALOHA threat zone)
    (255, 128, 0, 135),  # AEGL-2: orange
    (215, 25, 25, 165),  # AEGL-3: red
)
WATER_BANDS_M = (0.05, 0.5, 1.0, 2.0)
WATER_RGBA = ((150, 205, 255, 150), (80, 150, 240, 175), (30, 90, 205, 195), (15, 40, 140, 215))
BURNING_RGBA = (255, 60, 0, 215)
FIRE_EDGE_RGB = (255, 225, 40)
BURNT_RGBA = (48, 40, 36, 185)
SMOKE_RGBA = (120, 120, 128, 110)
OTHER_RGBA = (230, 0, 230, 140)


def field_style(name: str, aegl_ppm: tuple[float, float, float] | None = None) -> FieldStyle:
    """The style of hazard field ``name``; ``aegl_ppm`` the substance's AEGL-1/2/3 (ppm)
    for a gas (without them a gas is banded by decades of ppm)."""
    lowered = name.lower()
    if any(key in lowered for key in ("gas", "conc", "ppm", "aegl", "toxic")):
        if aegl_ppm is None:
            levels, keys = (1.0, 10.0, 100.0), ("legend.ppm",) * 3
        else:
            levels, keys = aegl_ppm, ("legend.aegl1", "legend.aegl2", "legend.aegl3")
        bands = tuple(
            Band(level, rgba, key, f"{level:g}")
            for level, rgba, key in zip(levels, GAS_RGBA, keys, strict=True)
        )
        return FieldStyle("gas", bands, log=True, edge_rgb=(90, 20, 20), title="legend.gas")
    if "burnt" in lowered or "burned" in lowered:
        return FieldStyle("burnt", (Band(0.5, BURNT_RGBA, "legend.burnt"),), title="legend.fire")
    if "smoke" in lowered:
        return FieldStyle("smoke", (Band(0.05, SMOKE_RGBA, "legend.smoke"),), title="legend.fire")
    if any(key in lowered for key in ("fire", "heat", "intensity", "flame", "burning")):
        band = Band(0.5, BURNING_RGBA, "legend.burning")
        return FieldStyle("fire", (band,), edge_rgb=FIRE_EDGE_RGB, title="legend.fire")
    if "depth" in lowered or "water" in lowered:
        keys = ("legend.depth_low", "legend.depth_mid", "legend.depth_mid", "legend.depth_high")
        values = ("0.5", "0.5–1", "1–2", "2")
        bands = tuple(
            Band(level, rgba, key, value)
            for level, rgba, key, value in zip(WATER_BANDS_M, WATER_RGBA, keys, values, strict=True)
        )
        return FieldStyle("water", bands, edge_rgb=(20, 50, 120), title="legend.water")
    return FieldStyle("other", (Band(1e-9, OTHER_RGBA, "legend.other"),), title="legend.other")


def band_rgba(style: FieldStyle, values: np.ndarray) -> np.ndarray:
    """An (…, 4) uint8 image of ``values`` (already on the style's scale) in its bands."""
    palette = np.array([(0, 0, 0, 0), *(band.rgba for band in style.bands)], dtype=np.uint8)
    index = np.zeros(np.shape(values), dtype=np.uint8)
    for band in style.bands:
        index += values >= (np.log10(band.lower) if style.log else band.lower)
    words = palette.view(np.uint32).ravel()  # one 4-byte pixel a lookup, not four bytes
    return words[index].view(np.uint8).reshape(*index.shape, 4)


def field_scale(style: FieldStyle, values: np.ndarray) -> np.ndarray:
    """Field values as the style resamples them: log10 of a concentration, else as given."""
    data = np.nan_to_num(np.asarray(values, dtype=np.float32))
    if style.log:
        return np.log10(np.maximum(data, 1e-6))
    return data
