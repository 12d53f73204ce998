"""Colours of the map: land use, people's states, unit statuses, warnings, hazard fields.

Colours live in the front end (never in the model). Hazard fields are
coloured by a colour map chosen from the field's name, so a new field from
the engine draws without a code change: ``depth``/``water`` blue, ``burnt``
charcoal, ``fire``/``heat``/``intensity`` flame, ``gas``/``conc``/``dose``/
``aegl`` violet-to-yellow; anything else magenta.
"""

from __future__ import annotations

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


def field_rgba(name: str, values: np.ndarray) -> np.ndarray:
    """An (H, W, 4) uint8 image of a hazard field, coloured by the field's name."""
    lowered = name.lower()
    data = np.asarray(values)
    rgba = np.zeros((*data.shape, 4), dtype=np.uint8)
    if data.dtype == bool:
        rgba[data] = (220, 60, 220, 120)
        return rgba
    data = np.nan_to_num(data.astype(np.float32, copy=False))
    if "depth" in lowered or "water" in lowered:
        strength = np.clip(data / 2.0, 0.0, 1.0)  # 2 m of water: full colour
        wet = data > 0.05
        rgba[..., 0] = (90 * (1 - strength)).astype(np.uint8)
        rgba[..., 1] = (160 - 100 * strength).astype(np.uint8)
        rgba[..., 2] = (255 - 60 * strength).astype(np.uint8)
        rgba[..., 3] = np.where(wet, 90 + 130 * strength, 0).astype(np.uint8)
    elif "burnt" in lowered or "burned" in lowered:
        rgba[data > 0] = (40, 34, 30, 170)
    elif any(key in lowered for key in ("fire", "heat", "intensity", "flame")):
        strength = _normalised(data)
        rgba[..., 0] = 255
        rgba[..., 1] = (200 - 170 * strength).astype(np.uint8)
        rgba[..., 2] = 20
        rgba[..., 3] = np.where(data > 0, 120 + 120 * strength, 0).astype(np.uint8)
    elif any(key in lowered for key in ("gas", "conc", "dose", "aegl", "toxic")):
        strength = _normalised(np.log10(1 + data / max(float(data.max()), 1e-12) * 1000) / 3)
        bands = np.floor(strength * 4) / 4  # stepped, so band edges read as contours
        rgba[..., 0] = (140 + 115 * bands).astype(np.uint8)
        rgba[..., 1] = (40 + 200 * bands).astype(np.uint8)
        rgba[..., 2] = (200 - 170 * bands).astype(np.uint8)
        rgba[..., 3] = np.where(data > 0, 70 + 120 * bands, 0).astype(np.uint8)
    else:
        strength = _normalised(data)
        rgba[..., 0], rgba[..., 2] = 230, 230
        rgba[..., 3] = np.where(data > 0, 160 * strength, 0).astype(np.uint8)
    return rgba


def _normalised(data: np.ndarray) -> np.ndarray:
    top = float(data.max()) if data.size else 0.0
    return np.clip(data / top, 0.0, 1.0) if top > 0 else np.zeros_like(data)
