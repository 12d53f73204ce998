"""The drill's random draws are unbiased where outcomes are rare, and replay exactly."""

from __future__ import annotations

import statistics

import pytest

from sim.rng import DrillRandom


@pytest.mark.parametrize(
    ("n", "p"), [(1000, 0.0003), (5000, 0.002), (100_000, 1e-5), (200, 0.3), (60, 0.99)]
)
def test_binomial_draws_have_the_binomial_mean_and_variance(n, p):
    luck = DrillRandom(1).stream("test", f"{n}-{p}")
    draws = [luck.binomial(n, p) for _ in range(20_000)]
    mean, var = n * p, n * p * (1 - p)
    # 20,000 draws: the sample mean lies within 5 standard errors of the true one.
    assert statistics.fmean(draws) == pytest.approx(mean, abs=5 * (var / 20_000) ** 0.5 + 1e-9)
    assert statistics.pvariance(draws) == pytest.approx(var, rel=0.1, abs=0.01)
    assert all(0 <= d <= n for d in draws)


def test_rare_harm_is_not_inflated_by_a_clipped_normal():
    # A mean of 0.3 a step, step after step: the old rounded normal gave ~0.37.
    luck = DrillRandom(7).stream("test", "rare")
    total = sum(luck.binomial(1000, 0.0003) for _ in range(10_000))
    assert total == pytest.approx(3000, rel=0.05)


def test_the_same_stream_gives_the_same_draws():
    a = DrillRandom(3).stream("harm", "zone")
    b = DrillRandom(3).stream("harm", "zone")
    assert [a.binomial(500, 0.01) for _ in range(50)] == [b.binomial(500, 0.01) for _ in range(50)]
