"""Batches: drills dealt to Dask tasks a few at a time, and a failing drill named."""

from __future__ import annotations

import pytest

from analysis.batch import CHUNK_MAX, BatchFailed, chunked, dask_client, each_done, run_chunk


def test_every_drill_is_dealt_once_in_small_even_chunks():
    jobs = [(bot, seed) for seed in range(1, 41) for bot in ("idle", "naive", "expert")]
    chunks = chunked(jobs, 2)
    assert sorted(j for c in chunks for j in c) == sorted(jobs)
    assert all(1 <= len(c) <= CHUNK_MAX for c in chunks)
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    assert len(chunked(jobs[:6], 2)) == 6  # few drills: one a task, every worker busy
    assert chunked([("idle", 1)], 8) == [[("idle", 1)]]


def _square_unless_seven(base: int, n: int, offset: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return base + n * n + offset


class _Bar:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n

    def write(self, line: str, file: object = None) -> None:
        pass


def test_results_come_back_per_key_and_a_failure_names_its_own_drill():
    with dask_client(workers=1, processes=False) as client:
        keys = [(n,) for n in range(1, 6)]
        futures = {
            client.submit(run_chunk, _square_unless_seven, 100, chunk, 1, pure=False): chunk
            for chunk in chunked(keys, 1)
        }
        bar = _Bar()
        got = dict(each_done(client, futures, bar))
        assert got == {(n,): 100 + n * n + 1 for n in range(1, 6)}
        assert bar.n == 5
        bad = {client.submit(run_chunk, _square_unless_seven, 0, [(6,), (7,)], 0): [(6,), (7,)]}
        with pytest.raises(BatchFailed) as failed:
            list(each_done(client, bad, _Bar()))
        assert failed.value.key == (7,)
        assert "seven" in str(failed.value.cause)
