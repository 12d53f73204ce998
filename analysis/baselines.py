"""The bot baselines a drill's outcome is placed between: idle (floor) and expert (par).

Each is played in-process on the same scenario and seed (no log file) and its
harm figures cached in the records database by (scenario hash, seed, bot,
engine version), so a report is recomputed without replaying the bots.
"""

from __future__ import annotations

from collections.abc import Mapping

import sim
from analysis.drilldata import DrillData, drill_from_events
from analysis.naive_bot import NaiveBot
from analysis.records import Records
from analysis.scoring import harm_parts

BASELINE_BOTS = ("idle", "expert")


from sim.drill_log import ENGINE_VERSION, engine_build  # noqa: E402


def make_any_bot(name: str, scenario: sim.Scenario) -> object:
    """``idle``, ``naive`` or ``expert``."""
    return NaiveBot(scenario) if name == "naive" else sim.make_bot(name, scenario)


def play(drill: DrillData, bot_name: str) -> DrillData:
    """Play the drill's scenario and seed with a bot, in memory."""
    seed = int(drill.header["seed"])
    bot = make_any_bot(bot_name, drill.scenario)
    played = sim.run_headless(drill.loaded, seed, bot)  # type: ignore[arg-type]
    return drill_from_events(sim.make_header(drill.loaded, seed), played.events)


def baseline_parts(
    drill: DrillData, records: Records | None = None, bots: tuple[str, ...] = BASELINE_BOTS
) -> dict[str, Mapping[str, float]]:
    """Harm figures of each baseline bot, from the cache or played now (then cached)."""
    key = (
        str(drill.header["scenario_hash"]),
        int(drill.header["seed"]),
        # Baselines are played by this engine, whatever engine wrote the log.
        f"{ENGINE_VERSION}+{engine_build()}",
    )
    out: dict[str, Mapping[str, float]] = {}
    for name in bots:
        cached = records.baseline(*key, name) if records else None
        if cached is None:
            cached = harm_parts(play(drill, name))
            if records:
                records.save_baseline(*key, name, cached)
        out[name] = cached
    return out
