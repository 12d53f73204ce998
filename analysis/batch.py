"""Batches of headless drills as Dask tasks, with a progress bar.

The ladder and the calibration play many drills that do not depend on one
another (beyond the idle drill whose anchors the others are scored against).
They run here as Dask tasks: by default on a local cluster of worker
processes as wide as the machine (one thread each: a drill is pure Python and
numpy, the GIL would serialise threads), or unchanged on a running Dask
cluster given by its scheduler's address. A worker sends back only the small
result of a drill (a score card's figures), never its events.

A drill of the short drills is a third of a second, so what Dask adds per task
shows. The local cluster's workers do not sample their own stacks (Dask's
profiler takes the GIL every 10 ms: a fifth of a worker's time on these
drills), nor glibc's malloc trimming that Dask sets for its workers (it made
every numpy temporary of a map an mmap), each worker loads the engine and its
compiled kernels once as it starts (not inside the first drill), and drills go
to the workers two at a time (:func:`chunked`): few enough that the last tasks
leave a worker idle for no more than a drill or two.

On a real cluster every worker must have this project installed (``pip
install -e .`` of the same commit) and be able to read any image file a
scenario's terrain names; the scenario itself travels with the tasks.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from distributed import Client, Future

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
LOCAL_HOST = "127.0.0.1"  # a local cluster listens on the loopback address only
# The local cluster's workers: no statistical profiler (it wakes every 10 ms and
# takes the GIL from the drill it samples; Dask's dashboard is the only reader), and
# glibc's own malloc trimming: Dask sets MALLOC_TRIM_THRESHOLD_=64 KiB for its workers,
# which also pins glibc's mmap threshold, so every numpy temporary of a map (a 256 x 256
# grid is 512 KiB) became an mmap, page faults and a munmap: a quarter of a drill's time.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
CHUNKS_PER_WORKER = 8  # enough tasks a worker that the last ones balance out
CHUNK_MAX = 2  # and few drills a task: the last tasks leave a worker idle for less


class BatchFailed(RuntimeError):
    """A task of a batch raised: ``key`` names it, ``cause`` is what it raised."""

    def __init__(self, key: object, cause: BaseException) -> None:
        super().__init__(f"{key}: {cause!r}")
        self.key = key
        self.cause = cause


def default_workers() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(
    scheduler: str | None = None, workers: int | None = None, processes: bool = True
) -> Iterator[Client]:
    """A Dask client for a batch, closed (with its local cluster) on leaving.

    ``scheduler`` is the address of a running cluster (``tcp://host:8786``);
    without it a local cluster of ``workers`` single-threaded workers (default:
    :func:`default_workers`) is started, of processes or, with
    ``processes=False``, of threads in this process (for tests). Raises
    ``ConnectionError`` (an ``OSError`` whose filename is the address) when the
    scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:  # named like a file the command line could not open
            reason = f"cannot reach the Dask scheduler ({exc})"
            raise ConnectionError(errno.ECONNREFUSED, reason, scheduler) from None
        try:
            yield client
        finally:
            client.close()
        return
    import dask

    where = {"host": LOCAL_HOST} if processes else {}  # threads talk in-process, no host
    with dask.config.set(LOCAL_WORKER_CONFIG):  # a worker process takes the config it starts with
        cluster = LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=processes,
            dashboard_address=f"{LOCAL_HOST}:0",  # any free port: several batches may run at once
            silence_logs=logging.ERROR,
            **where,
        )
    try:
        with Client(cluster) as client:
            if processes:
                client.run(warm_worker)
            yield client
    finally:
        cluster.close()


def warm_worker() -> None:
    """Load the engine, the scoring and the compiled flood kernel in this worker."""
    import analysis.calibrate
    import analysis.ladder  # noqa: F401  (the tasks' modules: imported once, here)
    from sim.hazards.flood_kernel import warm

    warm()


def chunked(items: Sequence[T], slots: int) -> list[list[T]]:
    """``items`` dealt round-robin into chunks of at most CHUNK_MAX, and at least
    ``slots`` x CHUNKS_PER_WORKER chunks where there are that many items; chunk sizes
    differ by one at most."""
    count = max(1, min(len(items), max(slots * CHUNKS_PER_WORKER, -(-len(items) // CHUNK_MAX))))
    return [list(items[i::count]) for i in range(count) if items[i::count]]


def slots(client: Client) -> int:
    """How many tasks ``client``'s cluster runs at once (its workers' threads)."""
    return max(1, sum(client.nthreads().values()))


class ItemFailed(Exception):
    """A drill of a chunk raised: ``index`` is its place in the chunk, ``cause`` what it raised."""

    def __init__(self, index: int, cause: BaseException) -> None:
        super().__init__(index, cause)
        self.index = index
        self.cause = cause


def run_chunk(task: Callable[..., T], first: Any, calls: Sequence[tuple], *last: Any) -> list[T]:
    """Task: ``task(first, *call, *last)`` for each call of the chunk, in order. A call
    that raises is named by its place (:class:`ItemFailed`)."""
    out = []
    for index, call in enumerate(calls):
        try:
            out.append(task(first, *call, *last))
        except Exception as exc:
            raise ItemFailed(index, exc) from exc
    return out


def each_done(
    client: Client,
    futures: Mapping[Future, Sequence[K]],
    bar: Any,
    note: Callable[[K, Any], str | None] | None = None,
) -> Iterator[tuple[K, Any]]:
    """As :func:`as_done` for :func:`run_chunk` tasks: (key, result) for each key of a
    finished chunk, in the chunk's order, ticking the bar once per key. A drill that
    raises cancels the rest and raises :class:`BatchFailed` naming its own key."""
    chunks = {future: tuple(keys) for future, keys in futures.items()}
    try:
        for keys, results in as_done(client, chunks, _NoBar()):
            for key, result in zip(keys, results, strict=True):
                _tick(bar, note, key, result)
                yield key, result
    except BatchFailed as failed:
        cause, keys = failed.cause, failed.key
        if isinstance(cause, ItemFailed):
            raise BatchFailed(keys[cause.index], cause.cause) from cause
        raise BatchFailed(keys[0], cause) from cause


class _NoBar:
    """The bar of the chunks :func:`each_done` reads (it ticks the real one per drill)."""

    def update(self, n: int) -> None:
        pass


def _tick(bar: Any, note: Callable[[K, Any], str | None] | None, key: K, result: Any) -> None:
    bar.update(1)
    line = note(key, result) if note else None
    if line:
        bar.write(line, file=sys.stderr)


def progress_bar(total: int, label: str, unit: str, show: bool = True) -> Any:
    """A tqdm bar on stderr: done/total, rate and time left. Lines written with its
    ``write`` appear above it."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=label,
        unit=unit,
        file=sys.stderr,
        disable=not show,
        dynamic_ncols=True,
        mininterval=0.5,
        smoothing=0.1,
    )


def as_done(
    client: Client,
    futures: Mapping[Future, K],
    bar: Any,
    note: Callable[[K, Any], str | None] | None = None,
) -> Iterator[tuple[K, Any]]:
    """(key, result) of each future as it finishes, ticking ``bar``; ``note(key, result)``
    may return a line to print above the bar. The first task that raises cancels the
    rest and raises :class:`BatchFailed` naming it."""
    from distributed import as_completed

    for future in as_completed(list(futures)):
        key = futures[future]
        try:
            result = future.result()
        except Exception as exc:
            client.cancel(list(futures))
            raise BatchFailed(key, exc) from exc
        _tick(bar, note, key, result)
        yield key, result
