"""The degenerate commanders do what they claim, and none of them earns the score.

Each adversary is played on the mini drill (or the chlorine drill, where it
needs a hazard) and judged by the orders it gives, as the drill log shows
them. Then the gate: the six adversaries on the two fast shipped drills each
score at most 40 and the expert at least 80, so a change to the scoring that
lets a degenerate policy past 40 fails here.
"""

from __future__ import annotations

import random
import typing
from collections import Counter
from typing import Any

import numpy as np
import pytest

import sim
from analysis.adversaries import (
    ADVERSARIES,
    FOOTPRINT_SHARE,
    NOISE_AT_MIN,
    PROBES,
    RESENDS_PER_MIN,
    SPAM_PER_MIN,
    WARN_AGAIN_MIN,
    make_adversary,
)
from analysis.ladder import ADVERSARY_MAX, EXPERT_MIN, run_ladder
from sim.commands import INSTRUCTOR_ONLY
from tests.conftest import MINI, ROOT

CHLORINE = ROOT / "scenarios" / "chlorine_leak.yaml"
WILDFIRE = ROOT / "scenarios" / "wildfire_wui.yaml"
# Every order a trainee may give: the engine's command types but the instructor's.
TRAINEE_COMMANDS = {
    cls.model_fields["type"].default
    for cls in typing.get_args(typing.get_args(sim.Command)[0])
    if not issubclass(cls, INSTRUCTOR_ONLY)
}


def orders(drill: sim.Drill) -> list[tuple[float, dict[str, Any], bool]]:
    """(minute, command, accepted) of every order in the drill's log."""
    return [
        (e.t_min, dict(e.data["command"]), bool(e.data["accepted"]))
        for e in drill.events
        if e.kind == "CommandIssued"
    ]


def play(loaded: sim.LoadedScenario, name: str, seed: int = 3) -> sim.Drill:
    return sim.run_headless(loaded, seed, make_adversary(name, loaded.scenario, seed))


class Recording:
    """Wraps a bot: keeps each snapshot it saw and the orders it gave."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.name = bot.name
        self.turns: list[tuple[sim.Snapshot, list[sim.Command]]] = []

    def decide(self, snapshot: sim.Snapshot) -> list[sim.Command]:
        commands = self.bot.decide(snapshot)
        self.turns.append((snapshot, list(commands)))
        return commands


@pytest.fixture(scope="module")
def chlorine() -> sim.LoadedScenario:
    return sim.load_scenario(CHLORINE)


def test_the_six_adversaries_and_two_probes_are_named():
    assert ADVERSARIES == (
        "panic_evacuate",
        "panic_shelter",
        "random_spam",
        "warn_only",
        "dispatch_only",
        "fire_and_forget",
    )
    assert PROBES == ("expert_resend", "expert_noise")
    with pytest.raises(ValueError, match="unknown adversary"):
        make_adversary("lucky", sim.load_scenario(MINI).scenario, 1)


@pytest.mark.parametrize(
    ("name", "protective"), [("panic_evacuate", "evacuate"), ("panic_shelter", "shelter_in_place")]
)
def test_panic_orders_everything_at_minute_zero_then_nothing(mini, name, protective):
    given = orders(play(mini, name))
    assert {t for t, _, _ in given} == {0.0}, "no order after minute 0"
    assert all(accepted for _, _, accepted in given), given
    kinds = Counter(c["type"] for _, c, _ in given)
    zones = [z.id for z in mini.scenario.zones]
    assert {"type": "set_response_level", "level": "I", "issuer": "commander"} in [
        c for _, c, _ in given
    ]
    warned = {(c["zone"], c["channel"]) for _, c, _ in given if c["type"] == "warn"}
    assert warned == {(z, ch) for z in zones for ch in ("broadcast", "sms")}
    assert all(c["level"] == "red" for _, c, _ in given if c["type"] == "warn")
    assert [c["shelter"] for _, c, _ in given if c["type"] == "open_shelter"] == ["school"]
    assert sorted(c["zone"] for _, c, _ in given if c["type"] == protective) == sorted(zones)
    other = {"evacuate", "shelter_in_place"} - {protective}
    assert not other & set(kinds)
    units = sim.Drill(mini, 3).units  # every unit of the drill, sent out once
    assert sorted(c["unit"] for _, c, _ in given if c["type"] == "dispatch") == sorted(units)


def test_random_spam_gives_several_orders_of_every_kind_every_minute_most_impossible(mini):
    before = (np.random.get_state()[1].copy(), random.getstate())
    given = orders(play(mini, "random_spam", seed=3))
    assert np.array_equal(np.random.get_state()[1], before[0]) and random.getstate() == before[1]
    per_minute = Counter(t for t, _, _ in given)
    end = mini.scenario.meta.duration_h * 60
    assert set(per_minute) == {float(m) for m in range(int(end))}
    assert set(per_minute.values()) == {SPAM_PER_MIN}
    assert {c["type"] for _, c, _ in given} == TRAINEE_COMMANDS
    rejected = sum(1 for _, _, accepted in given if not accepted) / len(given)
    assert 0.45 <= rejected <= 0.75, rejected  # about 60 % impossible


def test_random_spam_is_one_random_commander_whatever_the_drill_seed(mini):
    # Its orders come from its own fixed seed, so the ladder's spread over drill seeds
    # measures the drill's luck, not a different spammer on each seed.
    def commands(seed: int) -> list[dict[str, Any]]:
        return [c for _, c, _ in orders(play(mini, "random_spam", seed=seed))]

    first = commands(3)
    assert first == commands(3)
    assert first[:30] == commands(4)[:30]


def test_warn_only_warns_every_zone_red_on_every_channel_every_ten_minutes_and_nothing_else(mini):
    given = orders(play(mini, "warn_only"))
    zones = {z.id for z in mini.scenario.zones}
    assert {c["type"] for _, c, _ in given} == {"warn"}
    assert {c["level"] for _, c, _ in given} == {"red"}
    end = mini.scenario.meta.duration_h * 60
    rounds = [float(m) for m in np.arange(0, end, WARN_AGAIN_MIN)]
    assert sorted({t for t, _, _ in given}) == rounds
    for minute in rounds:
        sent = {(c["zone"], c["channel"]) for t, c, _ in given if t == minute}
        assert sent == {(z, ch) for z in zones for ch in ("broadcast", "sms")}


def test_dispatch_only_answers_every_incident_at_once_and_never_warns_or_protects(mini):
    drill = play(mini, "dispatch_only")
    given = orders(drill)
    assert {c["type"] for _, c, _ in given} <= {"dispatch", "recall"}
    assert all(accepted for _, _, accepted in given)
    created = {e.data["incident"]: e.t_min for e in drill.events if e.kind == "IncidentCreated"}
    assert set(created) == {"crash", "house-fire", "trapped-car"}
    for incident, t in created.items():
        first = min(m for m, c, _ in given if c["type"] == "dispatch" and c["target"] == incident)
        assert first <= t + 1.0, (incident, t, first)  # the first look after it appears


def test_fire_and_forget_plays_the_expert_for_ten_minutes_then_gives_no_order(chlorine):
    forgetful = orders(play(chlorine, "fire_and_forget", seed=5))
    expert = orders(sim.run_headless(chlorine, 5, sim.make_bot("expert", chlorine.scenario)))
    assert forgetful, "the expert acts in the first minutes of the chlorine leak"
    assert forgetful == [o for o in expert if o[0] < 10.0]
    assert len(expert) > len(forgetful)


def test_expert_resend_adds_ten_identical_blue_texts_a_minute_to_the_most_threatened_zone(chlorine):
    bot = Recording(make_adversary("expert_resend", chlorine.scenario, 5))
    sim.run_headless(chlorine, 5, bot)
    resent = 0
    for snap, commands in bot.turns:
        if not snap.threats:
            assert not any(isinstance(c, sim.IssueWarning) for c in commands)
            continue
        worst = max(level for level, _ in snap.threats.values())
        tail = commands[-RESENDS_PER_MIN:]
        assert len(tail) == RESENDS_PER_MIN and len(set(tail)) == 1
        text = tail[0]
        assert isinstance(text, sim.IssueWarning)
        assert (text.level, text.channel) == (sim.WarningLevel.BLUE, sim.Channel.SMS)
        assert snap.threats[text.zone][0] == worst
        resent += 1
    assert resent >= 30  # the chlorine forecast threatens zones for the first hour or so


def test_expert_noise_adds_one_blue_text_at_minute_30_to_a_zone_clear_of_the_hazard(chlorine):
    bot = Recording(make_adversary("expert_noise", chlorine.scenario, 5))
    sim.run_headless(chlorine, 5, bot)
    expert = Recording(sim.make_bot("expert", chlorine.scenario))
    sim.run_headless(chlorine, 5, expert)
    at = [i for i, (s, _) in enumerate(bot.turns) if s.t_min == NOISE_AT_MIN]
    assert len(at) == 1
    snap, commands = bot.turns[at[0]]
    # The same drill as the expert's until then: the same orders, and one more at minute 30.
    assert [c for _, c in bot.turns[: at[0]]] == [c for _, c in expert.turns[: at[0]]]
    assert commands[:-1] == expert.turns[at[0]][1]
    text = commands[-1]
    assert isinstance(text, sim.IssueWarning)
    assert (text.level, text.channel) == (sim.WarningLevel.BLUE, sim.Channel.SMS)
    # The zone it picks has no incident and no hazard footprint in it.
    zone = snap.zone(text.zone)
    assert all(i.zone != zone.id for i in snap.incidents)
    index = [z.id for z in snap.zones].index(zone.id)
    inside = np.asarray(snap.map.zone_index) == index
    for field in snap.fields.values():
        values = np.asarray(field, dtype=float)
        assert not (values[inside] > FOOTPRINT_SHARE * values.max()).any()


# -- the gate: no degenerate policy earns more than 40 ------------------------------------

GATE_DRILLS = {"chlorine-leak": CHLORINE, "xishan-wildfire": WILDFIRE}


@pytest.fixture(scope="module")
def fast_ladder() -> dict[str, Any]:
    """The expert and the six adversaries on the two fast drills, one seed, on the pool."""
    rungs = run_ladder(list(GATE_DRILLS.values()), [None], ("expert", *ADVERSARIES))
    return {r.scenario: r for r in rungs}


@pytest.mark.parametrize("adversary", ADVERSARIES)
@pytest.mark.parametrize("scenario", sorted(GATE_DRILLS))
def test_no_degenerate_commander_scores_above_40(fast_ladder, scenario, adversary):
    r = fast_ladder[scenario]
    assert r.totals[adversary] <= ADVERSARY_MAX, (
        f"{adversary} scores {r.totals[adversary]} on {scenario} seed {r.seed}; "
        f"items it met: {', '.join(r.met[adversary])}"
    )


@pytest.mark.parametrize("scenario", sorted(GATE_DRILLS))
def test_the_expert_still_passes_beside_them(fast_ladder, scenario):
    r = fast_ladder[scenario]
    assert r.totals["expert"] >= EXPERT_MIN, r.fails["expert"]
