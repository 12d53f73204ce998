"""Skill of the flood stage forecast: forecast peak stage against the stage the river reached.

For every drill with a flood (by default the shipped ones and those in
tests/data; more paths may be named), the drill is played headless with the
expert bot, as ``sim.run_headless`` plays it. Every ``--every`` minutes from
the flood's start until the inflow hydrograph peaks (the river rising), the
forecast that the screen and the bots read (``FloodRuntime.forecast_stage_m``)
is recorded for each zone, beside the rule it replaced (the depth now scaled
by (Q_peak / Q_now)^0.6, the wide rectangular channel; kept here only as a
reference). When the drill ends, each forecast is compared with the highest
stage the zone's river cell reached (bed + deepest water there).

Printed per drill: each zone's error (forecast - realised, m) at each time,
then the mean and worst error over the zones at minute 0 and over all times,
for the forecast and the reference; and a diagnosis of the reference's error:
the water the channel starts with against the normal depth of the starting
discharge, the stage-discharge exponent of the zone's own rating between the
starting and the peak discharge (0.6 for a wide rectangular channel), and the
flood wave's travel time from the inflow.

Run: ``python benchmarks/forecast_skill.py [SCENARIO ...] [--every MIN] [--seed N]``
(not part of the tests; about a minute per drill).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import Drill, ExpertBot, load_scenario  # noqa: E402
from sim.runner import DECISION_EVERY_MIN  # noqa: E402

WIDE_CHANNEL_EXPONENT = 0.6  # depth ∝ Q^(3/5), Manning's normal depth in a wide channel


@dataclass
class Probe:
    """One drill's record: per zone id, (minute, forecast, reference forecast) rows."""

    name: str
    times: list[float] = field(default_factory=list)
    forecast: dict[str, list[float]] = field(default_factory=dict)
    reference: dict[str, list[float]] = field(default_factory=dict)
    realised: dict[str, float] = field(default_factory=dict)
    diagnosis: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def flood_of(drill: Drill) -> object | None:
    return next((h for h in drill.hazards.values() if h.kind == "flood"), None)


def wide_channel_forecast(flood: object, drill: Drill) -> dict[int, float]:
    """The rule the forecast had before its ratings: bed + depth now × (Q_peak/Q_now)^0.6,
    Q_now the inflow now."""
    now = drill.now - getattr(flood, "t0", 0.0)
    q_now = max(flood.discharge(drill.now), 1.0)
    remaining = flood.hydro_q[flood.hydro_t >= now]
    q_peak = max(q_now, float(remaining.max()) if remaining.size else q_now)
    bed = flood.model.bed_elevation_m.ravel()
    depth = flood.model.depth_m.ravel()
    return {
        zone: float(bed[cell] + depth[cell] * (q_peak / q_now) ** WIDE_CHANNEL_EXPONENT)
        for zone, cell in flood.river_cell.items()
    }


def diagnose(flood: object, drill: Drill) -> dict[int, tuple[float, float, float, float]]:
    """Per zone: (depth in the channel at the start, normal depth of the starting discharge,
    stage-discharge exponent of its rating from the starting to the peak discharge, travel
    time of the flood wave from the inflow in minutes), from the zone's own rating."""
    q0, q_peak = float(flood.hydro_q[0]), float(flood.hydro_q.max())
    depth = flood.model.depth_m.ravel()
    out = {}
    for zone, cell in flood.river_cell.items():
        rating, travel_min = flood._rating(cell)
        d0 = rating.normal_stage(q0) - rating.floor_m
        d_peak = rating.normal_stage(q_peak) - rating.floor_m
        exponent = np.log(d_peak / d0) / np.log(q_peak / q0) if q_peak > q0 > 0 else np.nan
        out[zone] = (float(depth[cell]), d0, float(exponent), travel_min)
    return out


def play(path: Path, every_min: float, seed: int | None) -> Probe | None:
    loaded = load_scenario(path)
    drill = Drill(loaded, loaded.scenario.meta.default_seed if seed is None else seed)
    flood = flood_of(drill)
    if flood is None:
        return None
    probe = Probe(path.stem)
    zones = drill.world.zones
    rising_until = float(flood.hydro_t[int(np.argmax(flood.hydro_q))])
    bot = ExpertBot(loaded.scenario)
    t, next_probe = 0.0, 0.0
    while not drill.finished and drill.now < drill.end_min:
        elapsed = drill.now - getattr(flood, "t0", drill.now)  # 0 until its process runs
        if flood.started and next_probe <= elapsed <= rising_until:
            if not probe.times and hasattr(flood, "_rating"):
                probe.diagnosis = {zones[z].id: d for z, d in diagnose(flood, drill).items()}
            probe.times.append(elapsed)
            for store, stages in (
                (probe.forecast, flood.forecast_stage_m()),
                (probe.reference, wide_channel_forecast(flood, drill)),
            ):
                for zone, stage in stages.items():
                    store.setdefault(zones[zone].id, []).append(stage)
            next_probe += every_min
        for command in bot.decide(drill.snapshot()):
            result = drill.submit(command)
            learn = getattr(bot, "learn", None)
            if learn:
                learn(command, result)
        t = min(t + DECISION_EVERY_MIN, drill.end_min)
        drill.advance(t)
    drill.finish(aborted=not drill.finished)
    bed = flood.model.bed_elevation_m.ravel()
    peak = flood.max_depth_m.ravel()
    probe.realised = {zones[z].id: float(bed[c] + peak[c]) for z, c in flood.river_cell.items()}
    return probe


def summary(errors: np.ndarray) -> str:
    """mean, mean absolute and worst (signed) error of an array of errors (m)."""
    if not errors.size:
        return "-"
    worst = float(errors.flat[np.argmax(np.abs(errors))])
    return f"{errors.mean():+6.2f} {np.abs(errors).mean():5.2f} {worst:+6.2f}"


def report(probe: Probe) -> None:
    print(f"\n== {probe.name}: forecast - realised peak stage (m), river rising")
    head = " ".join(f"{t:>6.0f}" for t in probe.times)
    print(f"{'zone':<22} {'realised':>8}  {'minute':<9} {head}")
    for zone, real in probe.realised.items():
        for label, store in (("forecast", probe.forecast), ("0.6 rule", probe.reference)):
            row = " ".join(f"{s - real:+6.2f}" for s in store.get(zone, []))
            print(
                f"{zone if label == 'forecast' else '':<22} "
                f"{f'{real:.2f}' if label == 'forecast' else '':>8}  {label:<9} {row}"
            )
    print(f"{'':<22} {'':>8}  {'':<9} {'mean  |mean|  worst':>20} (minute 0)   (all times)")
    for label, store in (("forecast", probe.forecast), ("0.6 rule", probe.reference)):
        errors = np.array([np.array(store[z]) - r for z, r in probe.realised.items() if z in store])
        first = errors[:, 0] if errors.size else errors
        print(f"{'':<22} {'':>8}  {label:<9} {summary(first):>20}   {summary(errors)}")
    if probe.diagnosis:
        print(
            "   why the 0.6 rule missed, per zone: channel depth at the start / normal depth of "
            "the starting discharge (m); the rating's stage exponent from the starting to the "
            "peak discharge (wide channel 0.6); flood-wave travel time from the inflow (min)"
        )
        for zone, (d_start, d0, exponent, travel) in probe.diagnosis.items():
            print(
                f"   {zone:<22} {d_start:5.2f} / {d0:5.2f}   exponent {exponent:4.2f}   "
                f"travel {travel:5.0f}"
            )


def flood_drills() -> list[Path]:
    paths = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
        (ROOT / "tests/data").glob("*.yaml")
    )
    return [p for p in paths if "kind: flood" in p.read_text(encoding="utf-8")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "scenarios",
        nargs="*",
        type=Path,
        help="drills to probe (default: every flood drill in scenarios/ and tests/data/)",
    )
    parser.add_argument("--every", type=float, default=60.0, help="minutes between forecasts")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: each drill's)")
    args = parser.parse_args()
    for path in args.scenarios or flood_drills():
        probe = play(path, args.every, args.seed)
        if probe is None:
            print(f"\n== {path.stem}: no flood")
        else:
            report(probe)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
