"""The bot baselines a drill's outcome is placed between: idle (floor) and expert (par).

Each is played in-process on the same scenario and seed (no log file) and to
the same minute as the drill: a drill stopped early is compared with bots
stopped at that minute too (their harm taken there), never with bots that
played on to the scenario's end (see :func:`play`). The harm figures are
cached in the records database by (scenario hash, seed, bot, engine version),
so a report is recomputed without replaying the bots; for a drill that ended
early the engine-version key carries its end minute (see :func:`baseline_key`),
so full-length and short baselines never share an entry.
"""

from __future__ import annotations

from collections.abc import Mapping

import sim
from analysis.drilldata import DrillData, drill_from_events
from analysis.naive_bot import NaiveBot
from analysis.records import Records
from analysis.scoring import harm_parts
from sim.drill_log import ENGINE_VERSION, engine_build
from sim.runner import DECISION_EVERY_MIN

BASELINE_BOTS = ("idle", "expert")
EARLY_EPSILON_MIN = 1e-6  # a drill ending this close to the scenario's end ran full length


def make_any_bot(name: str, scenario: sim.Scenario) -> object:
    """``idle``, ``naive`` or ``expert``."""
    return NaiveBot(scenario) if name == "naive" else sim.make_bot(name, scenario)


def early_end_min(drill: DrillData) -> float | None:
    """The minute the drill ended at if that was before the scenario's end, else ``None``.

    A drill ends at its last event (``DrillEnded``/``DrillAborted``, or the last
    line of a log cut short); it ended early when that is more than
    :data:`EARLY_EPSILON_MIN` before ``meta.duration_h`` hours.
    """
    full = drill.scenario.meta.duration_h * 60.0
    end = drill.end_min
    return end if end < full - EARLY_EPSILON_MIN else None


def _cut_short(drill: DrillData) -> bool:
    """The log stops early without an end event (the game or machine died mid-drill)."""
    return early_end_min(drill) is not None and not drill.outcome


def play(drill: DrillData, bot_name: str) -> DrillData:
    """Play the drill's scenario and seed with a bot, in memory, ended as the drill was.

    * ran to the scenario's end: the bot does too (``DrillEnded``);
    * stopped early (``DrillAborted`` at minute T): the bot is stopped at T the
      same way, and its harm is read from its ``DrillAborted`` outcome;
    * log cut short at minute T (no end event): the bot's events are cut after
      T the same way, so its harm is read from the same last sample a cut log
      offers (the events at T included, as they are in the drill's log).
    """
    seed = int(drill.header["seed"])
    bot = make_any_bot(bot_name, drill.scenario)
    until = early_end_min(drill)
    cut = _cut_short(drill)
    if until is not None and cut:
        until += DECISION_EVERY_MIN  # play past the cut, then cut the same way below
    played = sim.run_headless(drill.loaded, seed, bot, until_min=until)  # type: ignore[arg-type]
    events = played.events
    if cut:
        events = [e for e in events if e.t_min <= drill.end_min]
    return drill_from_events(sim.make_header(drill.loaded, seed), events)


def baseline_key(drill: DrillData) -> tuple[str, int, str]:
    """The cache key of the drill's baselines: (scenario hash, seed, engine version).

    Full-length drills keep the plain ``"<version>+<build>"``; a drill that
    ended early adds ``"@<minute>"`` (``repr``, so the exact minute), and a log
    cut short ``"@<minute>/cut"``, as their baselines are played differently.
    """
    # Baselines are played by this engine, whatever engine wrote the log.
    engine = f"{ENGINE_VERSION}+{engine_build()}"
    end = early_end_min(drill)
    if end is not None:
        engine += f"@{end!r}" + ("/cut" if _cut_short(drill) else "")
    return str(drill.header["scenario_hash"]), int(drill.header["seed"]), engine


def baseline_parts(
    drill: DrillData, records: Records | None = None, bots: tuple[str, ...] = BASELINE_BOTS
) -> dict[str, Mapping[str, float]]:
    """Harm figures of each baseline bot, from the cache or played now (then cached)."""
    key = baseline_key(drill)
    out: dict[str, Mapping[str, float]] = {}
    for name in bots:
        cached = records.baseline(*key, name) if records else None
        if cached is None:
            cached = harm_parts(play(drill, name))
            if records:
                records.save_baseline(*key, name, cached)
        out[name] = cached
    return out
