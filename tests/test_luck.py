"""The score measures the commander, not luck: an order in one place does not
reshuffle the chances everywhere else."""

from __future__ import annotations

from sim.rng import DrillRandom


def test_a_stream_depends_only_on_the_seed_and_its_names_not_on_what_was_drawn_before():
    fresh = DrillRandom(7)
    used = DrillRandom(7)
    for _ in range(50):
        used.stream("hazard_harm", "gas", "lee").uniform()
        used.uniform()
    draws = [used.stream("departure", "north").uniform() for _ in range(5)]
    assert draws == [fresh.stream("departure", "north").uniform() for _ in range(5)]
    assert draws != [fresh.stream("departure", "nort", "h").uniform() for _ in range(5)]
    assert draws != [DrillRandom(8).stream("departure", "north").uniform() for _ in range(5)]
