"""Surface fuel models: Anderson's (1982) 13 and Scott & Burgan's (2005) 40.

A fuel model is the set of fuel-bed numbers Rothermel's spread model needs:
fuel-bed depth, dead fuel moisture of extinction, heat content, the oven-dry
loads of the five particle classes (1-h, 10-h, 100-h dead; live herbaceous;
live woody) and the surface-area-to-volume ratios (SAV) of the fine classes.
The 10-h and 100-h SAV are 109 and 30 1/ft in every model (Albini 1976; Scott
& Burgan 2005 p. 9).

Anderson's 13 keep the loads BehavePlus uses (lb/ft2, the published tons/acre
converted and rounded; firelab/behave ``fuelModels.cpp``), so the model can be
checked against Behave's engine number for number.  Scott & Burgan's 40 are
the parameters of RMRS-GTR-153 (Scott & Burgan 2005, "fuel model parameters"
tables of the GR, GS, SH, TU, TL and SB families), loads in tons/acre as
published; a blank SAV in the publication (no fuel in that class) is 0 here.

*Dynamic* models (Scott & Burgan 2005 p. 6; those with a live herbaceous load,
marked D in the publication) move part of the live herbaceous load to a dead
herbaceous class as the herbs cure: the transferred share is
``1.333 - 1.11 M_herb`` clamped to [0, 1] (all of it below 30 % live herb
moisture, none above 120 %); the dead herbaceous fuel keeps the herbaceous SAV
and takes the 1-h dead moisture.  This is the form of BehavePlus, FARSITE and
FlamMap (firelab/behave ``SurfaceFuelbedIntermediates::dynamicLoadTransfer``,
the linear 30-120 % curing ramp of Scott & Burgan 2005 as BehavePlus rounds it).

Numbers: Anderson's models are 1-13, Scott & Burgan's 101-204 (GR1 = 101 ...
SB4 = 204), also reachable by their codes ("FM9", "GR1", "TL8", ...); the
non-burnable models are NB1 urban 91, NB2 snow/ice 92, NB3 agricultural 93,
NB8 open water 98, NB9 bare ground 99 (Scott & Burgan 2005).

References: Albini 1976, USDA FS GTR INT-30.  Anderson 1982, Aids to
determining fuel models for estimating fire behavior, USDA FS GTR INT-122.
Scott & Burgan 2005, Standard fire behavior fuel models: a comprehensive set
for use with Rothermel's surface fire spread model, USDA FS RMRS-GTR-153.
"""

from __future__ import annotations

from dataclasses import dataclass

LB_PER_FT2_PER_TON_PER_ACRE = 2000.0 / 43560.0  # 1 short ton/acre in lb/ft2 (exact)
SAVR_10H_PER_FT = 109.0  # sigma of 10-h dead fuel, Albini 1976; Scott & Burgan 2005 p. 9
SAVR_100H_PER_FT = 30.0  # sigma of 100-h dead fuel, Albini 1976; Scott & Burgan 2005 p. 9
# Dynamic load transfer: share cured = 1.333 - 1.11 M_herb, clamped to [0, 1]
# (BehavePlus form of Scott & Burgan 2005's ramp: cured at <= 30 %, green at >= 120 %).
CURING_INTERCEPT = 1.333
CURING_SLOPE = 1.11

# Scott & Burgan 2005: non-burnable fuel model numbers and codes.
NON_BURNABLE_FUEL_MODELS = {91: "NB1", 92: "NB2", 93: "NB3", 98: "NB8", 99: "NB9"}


@dataclass(frozen=True)
class FuelModel:
    """One standard fuel model (US customary units, as published).

    ``loads_lb_per_ft2`` are the 1-h, 10-h, 100-h, live herbaceous and live
    woody loads; ``savr_per_ft`` the SAV of 1-h, live herbaceous and live woody
    fuel (0 where the class is empty); ``dynamic`` whether cured herbs move to
    dead fuel.
    """

    number: int
    code: str
    name: str
    depth_ft: float
    extinction_moisture: float
    heat_btu_per_lb: float
    loads_lb_per_ft2: tuple[float, float, float, float, float]
    savr_per_ft: tuple[float, float, float]
    dynamic: bool

    def cured_share(self, herb_moisture: float) -> float:
        """Share of the live herbaceous load moved to dead fuel at ``herb_moisture``."""
        if not self.dynamic:
            return 0.0
        return min(1.0, max(0.0, CURING_INTERCEPT - CURING_SLOPE * herb_moisture))


# number, code, name, depth (ft), Mx dead (percent), heat content (Btu/lb),
# loads (1h, 10h, 100h, herb, woody), SAV (1h, herb, woody; 1/ft), dynamic.
# Anderson 1982, loads in lb/ft2 as BehavePlus tabulates them; live SAV 1500 1/ft
# (Albini 1976).
_ANDERSON_13 = (
    (1, "FM1", "Short grass", 1, 12, 8000, (0.034, 0, 0, 0, 0), (3500, 0, 0), False),
    (
        2,
        "FM2",
        "Timber grass and understory",
        1,
        15,
        8000,
        (0.092, 0.046, 0.023, 0.023, 0),
        (3000, 1500, 0),
        False,
    ),
    (3, "FM3", "Tall grass", 2.5, 25, 8000, (0.138, 0, 0, 0, 0), (1500, 0, 0), False),
    (4, "FM4", "Chaparral", 6, 20, 8000, (0.23, 0.184, 0.092, 0, 0.23), (2000, 0, 1500), False),
    (5, "FM5", "Brush", 2, 20, 8000, (0.046, 0.023, 0, 0, 0.092), (2000, 0, 1500), False),
    (
        6,
        "FM6",
        "Dormant brush, hardwood slash",
        2.5,
        25,
        8000,
        (0.069, 0.115, 0.092, 0, 0),
        (1750, 0, 0),
        False,
    ),
    (
        7,
        "FM7",
        "Southern rough",
        2.5,
        40,
        8000,
        (0.052, 0.086, 0.069, 0, 0.017),
        (1750, 0, 1500),
        False,
    ),
    (
        8,
        "FM8",
        "Short needle litter",
        0.2,
        30,
        8000,
        (0.069, 0.046, 0.115, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (
        9,
        "FM9",
        "Long needle or hardwood litter",
        0.2,
        25,
        8000,
        (0.134, 0.019, 0.007, 0, 0),
        (2500, 0, 0),
        False,
    ),
    (
        10,
        "FM10",
        "Timber litter & understory",
        1,
        25,
        8000,
        (0.138, 0.092, 0.23, 0, 0.092),
        (2000, 0, 1500),
        False,
    ),
    (
        11,
        "FM11",
        "Light logging slash",
        1,
        15,
        8000,
        (0.069, 0.207, 0.253, 0, 0),
        (1500, 0, 0),
        False,
    ),
    (
        12,
        "FM12",
        "Medium logging slash",
        2.3,
        20,
        8000,
        (0.184, 0.644, 0.759, 0, 0),
        (1500, 0, 0),
        False,
    ),
    (
        13,
        "FM13",
        "Heavy logging slash",
        3,
        25,
        8000,
        (0.322, 1.058, 1.288, 0, 0),
        (1500, 0, 0),
        False,
    ),
)
# Scott & Burgan 2005, RMRS-GTR-153, loads in tons/acre as published.
_SCOTT_BURGAN_40 = (
    (
        101,
        "GR1",
        "Short, sparse, dry climate grass",
        0.4,
        15,
        8000,
        (0.1, 0, 0, 0.3, 0),
        (2200, 2000, 0),
        True,
    ),
    (
        102,
        "GR2",
        "Low load, dry climate grass",
        1,
        15,
        8000,
        (0.1, 0, 0, 1, 0),
        (2000, 1800, 0),
        True,
    ),
    (
        103,
        "GR3",
        "Low load, very coarse, humid climate grass",
        2,
        30,
        8000,
        (0.1, 0.4, 0, 1.5, 0),
        (1500, 1300, 0),
        True,
    ),
    (
        104,
        "GR4",
        "Moderate load, dry climate grass",
        2,
        15,
        8000,
        (0.25, 0, 0, 1.9, 0),
        (2000, 1800, 0),
        True,
    ),
    (
        105,
        "GR5",
        "Low load, humid climate grass",
        1.5,
        40,
        8000,
        (0.4, 0, 0, 2.5, 0),
        (1800, 1600, 0),
        True,
    ),
    (
        106,
        "GR6",
        "Moderate load, humid climate grass",
        1.5,
        40,
        9000,
        (0.1, 0, 0, 3.4, 0),
        (2200, 2000, 0),
        True,
    ),
    (
        107,
        "GR7",
        "High load, dry climate grass",
        3,
        15,
        8000,
        (1, 0, 0, 5.4, 0),
        (2000, 1800, 0),
        True,
    ),
    (
        108,
        "GR8",
        "High load, very coarse, humid climate grass",
        4,
        30,
        8000,
        (0.5, 1, 0, 7.3, 0),
        (1500, 1300, 0),
        True,
    ),
    (
        109,
        "GR9",
        "Very high load, humid climate grass",
        5,
        40,
        8000,
        (1, 1, 0, 9, 0),
        (1800, 1600, 0),
        True,
    ),
    (
        121,
        "GS1",
        "Low load, dry climate grass-shrub",
        0.9,
        15,
        8000,
        (0.2, 0, 0, 0.5, 0.65),
        (2000, 1800, 1800),
        True,
    ),
    (
        122,
        "GS2",
        "Moderate load, dry climate grass-shrub",
        1.5,
        15,
        8000,
        (0.5, 0.5, 0, 0.6, 1),
        (2000, 1800, 1800),
        True,
    ),
    (
        123,
        "GS3",
        "Moderate load, humid climate grass-shrub",
        1.8,
        40,
        8000,
        (0.3, 0.25, 0, 1.45, 1.25),
        (1800, 1600, 1600),
        True,
    ),
    (
        124,
        "GS4",
        "High load, humid climate grass-shrub",
        2.1,
        40,
        8000,
        (1.9, 0.3, 0.1, 3.4, 7.1),
        (1800, 1600, 1600),
        True,
    ),
    (
        141,
        "SH1",
        "Low load, dry climate shrub",
        1,
        15,
        8000,
        (0.25, 0.25, 0, 0.15, 1.3),
        (2000, 1800, 1600),
        True,
    ),
    (
        142,
        "SH2",
        "Moderate load, dry climate shrub",
        1,
        15,
        8000,
        (1.35, 2.4, 0.75, 0, 3.85),
        (2000, 0, 1600),
        False,
    ),
    (
        143,
        "SH3",
        "Moderate load, humid climate shrub",
        2.4,
        40,
        8000,
        (0.45, 3, 0, 0, 6.2),
        (1600, 0, 1400),
        False,
    ),
    (
        144,
        "SH4",
        "Low load, humid climate timber-shrub",
        3,
        30,
        8000,
        (0.85, 1.15, 0.2, 0, 2.55),
        (2000, 0, 1600),
        False,
    ),
    (
        145,
        "SH5",
        "High load, dry climate shrub",
        6,
        15,
        8000,
        (3.6, 2.1, 0, 0, 2.9),
        (750, 0, 1600),
        False,
    ),
    (
        146,
        "SH6",
        "Low load, humid climate shrub",
        2,
        30,
        8000,
        (2.9, 1.45, 0, 0, 1.4),
        (750, 0, 1600),
        False,
    ),
    (
        147,
        "SH7",
        "Very high load, dry climate shrub",
        6,
        15,
        8000,
        (3.5, 5.3, 2.2, 0, 3.4),
        (750, 0, 1600),
        False,
    ),
    (
        148,
        "SH8",
        "High load, humid climate shrub",
        3,
        40,
        8000,
        (2.05, 3.4, 0.85, 0, 4.35),
        (750, 0, 1600),
        False,
    ),
    (
        149,
        "SH9",
        "Very high load, humid climate shrub",
        4.4,
        40,
        8000,
        (4.5, 2.45, 0, 1.55, 7),
        (750, 1800, 1500),
        True,
    ),
    (
        161,
        "TU1",
        "Light load, dry climate timber-grass-shrub",
        0.6,
        20,
        8000,
        (0.2, 0.9, 1.5, 0.2, 0.9),
        (2000, 1800, 1600),
        True,
    ),
    (
        162,
        "TU2",
        "Moderate load, humid climate timber-shrub",
        1,
        30,
        8000,
        (0.95, 1.8, 1.25, 0, 0.2),
        (2000, 0, 1600),
        False,
    ),
    (
        163,
        "TU3",
        "Moderate load, humid climate timber-grass-shrub",
        1.3,
        30,
        8000,
        (1.1, 0.15, 0.25, 0.65, 1.1),
        (1800, 1600, 1400),
        True,
    ),
    (
        164,
        "TU4",
        "Dwarf conifer understory",
        0.5,
        12,
        8000,
        (4.5, 0, 0, 0, 2),
        (2300, 0, 2000),
        False,
    ),
    (
        165,
        "TU5",
        "Very high load, dry climate timber-shrub",
        1,
        25,
        8000,
        (4, 4, 3, 0, 3),
        (1500, 0, 750),
        False,
    ),
    (
        181,
        "TL1",
        "Low load, compact conifer litter",
        0.2,
        30,
        8000,
        (1, 2.2, 3.6, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (
        182,
        "TL2",
        "Low load broadleaf litter",
        0.2,
        25,
        8000,
        (1.4, 2.3, 2.2, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (
        183,
        "TL3",
        "Moderate load conifer litter",
        0.3,
        20,
        8000,
        (0.5, 2.2, 2.8, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (184, "TL4", "Small downed logs", 0.4, 25, 8000, (0.5, 1.5, 4.2, 0, 0), (2000, 0, 0), False),
    (
        185,
        "TL5",
        "High load conifer litter",
        0.6,
        25,
        8000,
        (1.15, 2.5, 4.4, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (
        186,
        "TL6",
        "High load broadleaf litter",
        0.3,
        25,
        8000,
        (2.4, 1.2, 1.2, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (187, "TL7", "Large downed logs", 0.4, 25, 8000, (0.3, 1.4, 8.1, 0, 0), (2000, 0, 0), False),
    (188, "TL8", "Long-needle litter", 0.3, 35, 8000, (5.8, 1.4, 1.1, 0, 0), (1800, 0, 0), False),
    (
        189,
        "TL9",
        "Very high load broadleaf litter",
        0.6,
        35,
        8000,
        (6.65, 3.3, 4.15, 0, 0),
        (1800, 0, 0),
        False,
    ),
    (201, "SB1", "Low load activity fuel", 1, 25, 8000, (1.5, 3, 11, 0, 0), (2000, 0, 0), False),
    (
        202,
        "SB2",
        "Moderate load activity or low load blowdown",
        1,
        25,
        8000,
        (4.5, 4.25, 4, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (
        203,
        "SB3",
        "High load activity fuel or moderate load blowdown",
        1.2,
        25,
        8000,
        (5.5, 2.75, 3, 0, 0),
        (2000, 0, 0),
        False,
    ),
    (204, "SB4", "High load blowdown", 2.7, 25, 8000, (5.25, 3.5, 5.25, 0, 0), (2000, 0, 0), False),
)


def _build() -> dict[int, FuelModel]:
    table: dict[int, FuelModel] = {}
    for rows, factor in ((_ANDERSON_13, 1.0), (_SCOTT_BURGAN_40, LB_PER_FT2_PER_TON_PER_ACRE)):
        for number, code, name, depth, mx_pct, heat, loads, savr, dynamic in rows:
            w1, w10, w100, wh, ww = (float(w) * factor for w in loads)
            s1, sh, sw = (float(s) for s in savr)
            table[number] = FuelModel(
                number=number,
                code=code,
                name=name,
                depth_ft=float(depth),
                extinction_moisture=mx_pct / 100.0,
                heat_btu_per_lb=float(heat),
                loads_lb_per_ft2=(w1, w10, w100, wh, ww),
                savr_per_ft=(s1, sh, sw),
                dynamic=dynamic,
            )
    return table


FUEL_MODELS: dict[int, FuelModel] = _build()
ANDERSON_FUEL_MODELS = tuple(row[0] for row in _ANDERSON_13)
SCOTT_BURGAN_FUEL_MODELS = tuple(row[0] for row in _SCOTT_BURGAN_40)
_BY_CODE = {fm.code: n for n, fm in FUEL_MODELS.items()}
_BY_CODE.update({code: n for n, code in NON_BURNABLE_FUEL_MODELS.items()})
FUEL_MODEL_CODES = tuple(_BY_CODE)


def fuel_model_number(ref: int | str) -> int:
    """Fuel model number for a number (1-13, 91-99, 101-204) or a code ("GR2", "NB1", "FM9").

    Raises ValueError naming the accepted forms for anything else.
    """
    if isinstance(ref, str):
        key = ref.strip().upper()
        if key in _BY_CODE:
            return _BY_CODE[key]
        raise ValueError(f"unknown fuel model {ref!r}: expected a code such as FM1, GR2, TL8, NB1")
    if isinstance(ref, bool) or not isinstance(ref, int):
        raise ValueError(f"unknown fuel model {ref!r}: expected a number or a code")
    if ref in FUEL_MODELS or ref in NON_BURNABLE_FUEL_MODELS:
        return ref
    raise ValueError(
        f"unknown fuel model {ref!r}: expected 1-13 (Anderson), 101-204 (Scott & Burgan) "
        "or a non-burnable 91, 92, 93, 98, 99"
    )


def fuel_model_code(number: int) -> str:
    """Code (FM1, GR2, NB1, ...) of a fuel model number; raises ValueError if unknown."""
    number = fuel_model_number(number)
    return FUEL_MODELS[number].code if number in FUEL_MODELS else NON_BURNABLE_FUEL_MODELS[number]


def is_burnable(number: int) -> bool:
    """True for a burnable standard fuel model number."""
    return number in FUEL_MODELS
