"""Write Behave's own surface-fire answers to tests/data/behave_oracle.json.

The fire model (sim/hazards/rothermel.py, sim/hazards/fuels.py) is checked
against Behave's engine (firelab/behave, the C++ core of BehavePlus), run
through pyrothermel, its Python bindings.  pyrothermel is an sdist that needs a
C++ compiler and CMake, so it is a tool of this script, not a dependency of
the project: the tests read the JSON this script writes and need nothing
extra.  Re-run after changing the case table:

    .venv/bin/pip install pyrothermel        # builds Behave (g++, cmake)
    .venv/bin/python tools/fire_oracle.py    # writes tests/data/behave_oracle.json

Every case is a fuel model, a fuel moisture scenario of Scott & Burgan (2005)
(1-h, 10-h, 100-h, live herbaceous, live woody), a midflame wind blowing
straight upslope and a slope.  For each, Behave reports the head rate of
spread, the reaction intensity and the rate 180 degrees from the head (the
backing rate, from the ignition point), from which the fire's
length-to-breadth ratio follows: backing = head (1 - e)/(1 + e), LB =
1/sqrt(1 - e^2).  Behave applies Rothermel's (1972) wind limit
(U_E <= 0.9 I_R) to every run; the JSON records that with each case.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "behave_oracle.json"
M_PER_FT = 0.3048
MPH_PER_M_PER_S = 3600.0 / 1609.344
M_PER_MIN_PER_CHAIN_PER_H = 66.0 * M_PER_FT / 60.0  # 1 chain = 66 ft
KW_PER_M2_PER_BTU_PER_FT2_S = 1.05505585262 / M_PER_FT**2  # 1 Btu/ft2/s in kW/m2

# Scott & Burgan 2005 Table 1 dead (D1-D4) and Table 2 live (L1-L4) moisture scenarios,
# as fractions: (1-h, 10-h, 100-h, live herbaceous, live woody).
MOISTURE_SCENARIOS = {
    "D1L1": (0.03, 0.04, 0.05, 0.30, 0.60),
    "D2L2": (0.06, 0.07, 0.08, 0.60, 0.90),
    "D3L3": (0.09, 0.10, 0.11, 0.90, 1.20),
    "D4L4": (0.12, 0.13, 0.14, 1.20, 1.50),
}
ANDERSON = [f"FM{n}" for n in range(1, 14)]
SCOTT_BURGAN = (
    [f"GR{n}" for n in range(1, 10)]
    + [f"GS{n}" for n in range(1, 5)]
    + [f"SH{n}" for n in range(1, 10)]
    + [f"TU{n}" for n in range(1, 6)]
    + [f"TL{n}" for n in range(1, 10)]
    + [f"SB{n}" for n in range(1, 5)]
)
MIDFLAME_WIND_M_PER_S = (0.0, 1.0, 10 / 3.6, 6.0, 12.0)
SLOPE_DEG = (0.0, 20.0)


def run_case(pyro: object, code: str, moist: tuple[float, ...], wind: float, slope: float) -> dict:
    """One Behave run: wind from the south up a slope facing south, head to the north."""
    fuel = pyro.FuelModel.from_existing(code, "us_standard")  # type: ignore[attr-defined]
    scenario = pyro.MoistureScenario(*moist)  # type: ignore[attr-defined]
    run = pyro.PyrothermelRun(  # type: ignore[attr-defined]
        fuel,
        scenario,
        wind * MPH_PER_M_PER_S,
        units_preset="us_standard",
        wind_input_mode="direct_midflame",
        wind_direction=180.0,  # blowing from the south, i.e. upslope on a south aspect
        slope=slope,
        aspect=180.0,
    )
    head = run.run_surface_fire_in_direction_of_max_spread()
    back = run.run_surface_fire_in_direction_of_interest(head["direction"] + 180.0)
    head_m = head["spread_rate"] * M_PER_MIN_PER_CHAIN_PER_H
    back_m = back["spread_rate"] * M_PER_MIN_PER_CHAIN_PER_H
    ecc = (head_m - back_m) / (head_m + back_m) if head_m > 0 else 0.0
    return {
        "fuel": code,
        "moisture": list(moist),
        "midflame_wind_m_per_s": round(wind, 6),
        "slope_tan": round(math.tan(math.radians(slope)), 9),
        "head_m_per_min": head_m,
        "backing_m_per_min": back_m,
        "length_to_breadth": 1.0 / math.sqrt(1.0 - ecc**2),
        "reaction_intensity_kw_per_m2": head["reaction_intensity"] * KW_PER_M2_PER_BTU_PER_FT2_S,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="JSON file to write")
    args = parser.parse_args(argv)
    try:
        import pyrothermel as pyro
    except ImportError:
        print("fire_oracle: pyrothermel is not installed (.venv/bin/pip install pyrothermel)")
        return 1
    cases = [
        run_case(pyro, code, MOISTURE_SCENARIOS[name], wind, slope)
        for code in ANDERSON + SCOTT_BURGAN
        for name in ("D1L1", "D3L3")
        for wind in MIDFLAME_WIND_M_PER_S
        for slope in SLOPE_DEG
    ]
    # a few more moisture scenarios for the dynamic (herbaceous) models
    cases += [
        run_case(pyro, code, MOISTURE_SCENARIOS[name], wind, 0.0)
        for code in ("GR1", "GR2", "GR4", "GS2", "SH9", "TU1")
        for name in ("D2L2", "D4L4")
        for wind in (0.0, 10 / 3.6)
    ]
    doc = {
        "source": "Behave (firelab/behave) via pyrothermel; written by tools/fire_oracle.py",
        "pyrothermel_version": importlib.metadata.version("pyrothermel"),
        "wind_limit": "Behave applies Rothermel (1972): effective wind <= 0.9 I_R",
        "geometry": "midflame wind blowing straight upslope; backing = rate 180 deg from head",
        "units": "m/min, m/s, kW/m2; moisture fractions (1h, 10h, 100h, herb, woody)",
        "cases": cases,
    }
    tmp = args.out.with_suffix(".tmp")
    body = ",\n".join(json.dumps(c) for c in doc.pop("cases"))
    head = json.dumps(doc, indent=1)[:-2]
    tmp.write_text(f'{head},\n "cases": [\n{body}\n]}}\n', encoding="utf-8")
    tmp.replace(args.out)
    print(f"fire_oracle: {len(cases)} cases -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
