"""The anchors a drill's outcome is placed between, read from the unchecked event.

The idle bot plays the drill's scenario, in memory, to the scenario's end on
each of :data:`ANCHOR_SEEDS` (one is enough today): the mean of its harm is *doing nothing* (the
floor), the mean harm it suffered before any warning could reach anyone is
*what no commander could have prevented* (the ceiling), and its harm and
reach are the *forecast* the response level is judged against (see
:func:`analysis.scoring.baseline_figures`). The anchors are expectations, a
property of the scenario and not of one seed's luck, so the luck of a drill
shows in the trainee's own harm only and a policy scores alike on every
seed. The expert bot is not an anchor: it is a player measured on this scale
like any trainee.

The figures are cached in the records database by (scenario hash, engine and
scoring builds), so a report is recomputed without replaying the bot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sim
from analysis.drilldata import DrillData, drill_from_events
from analysis.naive_bot import NaiveBot
from analysis.records import Records
from analysis.scoring import baseline_figures, mean_figures
from sim.drill_log import ENGINE_VERSION, engine_build

FIGURES_BOT = "idle-figures"  # the records-DB key of the cached figures
# Seeds the idle bot is played on for the anchors. With no orders nobody is warned or
# leaves, and harm is counted, not drawn (sim.tally), so the engine draws nothing for the
# idle bot and one seed is its expectation (tests/analysis/test_scoring.py checks that two
# seeds agree; should the idle drill ever draw, add seeds here and the mean follows).
ANCHOR_SEEDS = (1,)
ANCHOR_KEY_SEED = -1  # the records key's seed column: anchors belong to no one seed
EARLY_EPSILON_MIN = 1e-6  # a drill ending this close to the scenario's end ran full length


def make_any_bot(name: str, scenario: sim.Scenario) -> object:
    """``idle``, ``naive`` or ``expert``."""
    return NaiveBot(scenario) if name == "naive" else sim.make_bot(name, scenario)


def play(
    drill: DrillData, bot_name: str, until_min: float | None = None, seed: int | None = None
) -> DrillData:
    """Play the drill's scenario with a bot, in memory, to the end (or ``until_min``), on the
    drill's own seed unless ``seed`` is given."""
    seed = int(drill.header["seed"]) if seed is None else seed
    bot = make_any_bot(bot_name, drill.scenario)
    played = sim.run_headless(drill.loaded, seed, bot, until_min=until_min)  # type: ignore[arg-type]
    return drill_from_events(sim.make_header(drill.loaded, seed), played.events)


def baseline_key(drill: DrillData) -> tuple[str, int, str]:
    """The cache key of the drill's anchors: (scenario hash, :data:`ANCHOR_KEY_SEED`,
    engine version + engine build + scoring build). Anchors are played by this engine and
    read by this scoring code, whatever wrote the log, and are the same whatever seed the
    drill was played on."""
    engine = f"{ENGINE_VERSION}+{engine_build()}+{analysis_build()}"
    return str(drill.header["scenario_hash"]), ANCHOR_KEY_SEED, engine


def analysis_build() -> str:
    """A fingerprint of the scoring code: anchors computed by other scoring code are stale."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def figures_for(drill: DrillData, records: Records | None = None) -> Mapping[str, Any]:
    """The anchors of the drill's scenario (:func:`~analysis.scoring.mean_figures` of the idle
    bot's drills on :data:`ANCHOR_SEEDS`), from the cache or played now."""
    key = baseline_key(drill)
    cached = records.baseline(*key, FIGURES_BOT) if records else None
    if cached is None:
        cached = mean_figures([baseline_figures(play(drill, "idle", seed=s)) for s in ANCHOR_SEEDS])
        if records:
            records.save_baseline(*key, FIGURES_BOT, cached)
    return cached


def early_end_min(drill: DrillData) -> float | None:
    """The minute the drill ended at if that was before the scenario's end, else ``None``.

    A drill ends at its last event (``DrillEnded``/``DrillAborted``, or the last
    line of a log cut short).
    """
    full = drill.scenario.meta.duration_h * 60.0
    return drill.end_min if drill.end_min < full - EARLY_EPSILON_MIN else None


def played_out(drill: DrillData) -> DrillData:
    """A drill stopped early (or cut short) played on to the scenario's end with no more orders.

    The trainee's commands are re-submitted at their recorded minutes, so the
    drill is the same, event for event, up to where it stopped (the engine is
    deterministic); from there the disaster runs its course as if the command
    post had gone silent. A drill that ran full length is returned as it is.
    """
    if early_end_min(drill) is None:
        return drill
    return replayed_on(drill, int(drill.header["seed"]))


def replayed_on(drill: DrillData, seed: int) -> DrillData:
    """The drill's orders re-submitted at their recorded minutes on ``seed``, then played to
    the scenario's end with no more. On the drill's own seed, the drill again, event for event,
    as far as it went (the engine is deterministic)."""
    engine = sim.Drill(drill.loaded, seed)
    for event in drill.of("CommandIssued"):
        engine.advance(event.t_min)
        engine.submit(sim.command_from_json(dict(event.data["command"])))
    engine.advance(engine.end_min)
    engine.finish()
    same = seed == int(drill.header["seed"])
    header = drill.header if same else sim.make_header(drill.loaded, seed)
    return drill_from_events(header, engine.events, drill.log_path if same else "")
