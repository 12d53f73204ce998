"""People: cohorts per zone moving between states, conserved at every instant.

Each zone holds integer counts of people in each :class:`PersonState`. People
only ever move between states (``move``), so the total never changes; the
shelters and hospitals they sit in are tracked by the facilities and must add
up to the EVACUATED and HOSPITALISED counts (checked by ``check``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from sim.exact_interp import interp_from_knots


class PersonState(IntEnum):
    UNAWARE = 0  # has not heard any warning
    WARNED = 1  # has heard a warning, still at home or at work
    EVACUATING = 2  # on the way to a shelter, or waiting at a full or closed one
    EVACUATED = 3  # in a shelter
    SHELTERING = 4  # sheltering in place, indoors
    INJURED = 5  # hurt, waiting for an ambulance
    TRAPPED = 6  # cannot leave without rescue
    HOSPITALISED = 7  # in a hospital bed
    DEAD = 8


# People at home (or at work): hazards reach them where they live. Evacuees are
# reached on the road (see :class:`Evacuees`); the hospitalised and the dead are
# out of reach.
AT_HOME = (PersonState.UNAWARE, PersonState.WARNED)
AWARE_AT_HOME = (PersonState.WARNED, PersonState.SHELTERING)


class Population:
    """Counts of people by zone and state."""

    def __init__(self, zone_populations: list[int]) -> None:
        self.counts = np.zeros((len(zone_populations), len(PersonState)), dtype=np.int64)
        self.counts[:, PersonState.UNAWARE] = zone_populations
        self.total = int(self.counts.sum())
        self._channels_heard: set[tuple[int, str]] = set()

    def count(self, zone: int, state: PersonState) -> int:
        return int(self.counts[zone, state])

    def move(self, zone: int, source: PersonState, target: PersonState, n: int) -> int:
        """Move up to ``n`` people of ``zone`` from ``source`` to ``target``; return how many."""
        n = min(int(n), int(self.counts[zone, source]))
        if n <= 0:
            return 0
        self.counts[zone, source] -= n
        self.counts[zone, target] += n
        return n

    def first_on_channel(self, zone: int, channel: str) -> bool:
        """Record that ``channel`` has been sent to ``zone``; True the first time only.

        Who can receive a channel (has a phone, listens to the radio, hears the
        siren) is a property of the zone's people, not of how often the channel
        is used: its first message reaches those who can receive it, and a
        resend reaches no one new (see :func:`sim.people.warning_broadcast`).
        """
        key = (zone, channel)
        if key in self._channels_heard:
            return False
        self._channels_heard.add(key)
        return True

    def totals(self) -> dict[str, int]:
        """People in each state over all zones, by state name (lower case)."""
        sums = self.counts.sum(axis=0)
        return {state.name.lower(): int(sums[state]) for state in PersonState}

    def check(self, in_shelters: int, in_hospitals: int) -> None:
        """Raise AssertionError if people were made or lost (an engine bug)."""
        assert int(self.counts.sum()) == self.total, "people are not conserved"
        assert (self.counts >= 0).all(), "a negative count of people"
        assert in_shelters == int(self.counts[:, PersonState.EVACUATED].sum()), (
            "shelter occupants differ from EVACUATED"
        )
        assert in_hospitals == int(self.counts[:, PersonState.HOSPITALISED].sum()), (
            "hospital patients differ from HOSPITALISED"
        )


@dataclass
class Evacuees:
    """A group of one zone's evacuees on the road to a shelter (state EVACUATING).

    They travel the route's nodes ``route_xy`` (metres), reaching each at
    ``route_min`` minutes after ``depart_min``; they arrive at ``arrive_min``.
    ``toxic_load`` is what they have breathed on the way, per gas hazard
    (Σ Cⁿ·Δt, ppm and minutes), for the probit of :mod:`sim.hazards.toxicity`.
    """

    zone: int
    shelter: str
    people: int
    depart_min: float
    arrive_min: float
    route_xy: np.ndarray  # (k, 2)
    route_min: np.ndarray  # (k,), non-decreasing, 0 at the start
    toxic_load: dict[str, float] = field(default_factory=dict)
    # The route as (minutes, x, y) rows, for :func:`whereabouts_of` (set from the above).
    knots: np.ndarray = field(init=False, repr=False, compare=False)
    # The last answer of :meth:`whereabouts` (each hazard asks for the same minute in turn).
    _where_memo: tuple[tuple, tuple[np.ndarray, tuple[float, float]]] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.knots = np.vstack((self.route_min, self.route_xy[:, 0], self.route_xy[:, 1]))

    def xy_at(self, t_min: float) -> tuple[float, float]:
        """Where the group is at ``t_min`` (before leaving: the start; after: the end)."""
        elapsed = t_min - self.depart_min
        return (
            float(np.interp(elapsed, self.route_min, self.route_xy[:, 0])),
            float(np.interp(elapsed, self.route_min, self.route_xy[:, 1])),
        )

    def cells_during(
        self, t0_min: float, t1_min: float, shape: tuple[int, int], cell_m: float, samples: int
    ) -> np.ndarray:
        """Flat grid cells the group passes over in [t0, t1], at ``samples`` equal times
        (read-only).

        Each sample stands for an equal share of the interval, so the mean of a
        field over them is its time average along the way.
        """
        return self.whereabouts(t0_min, t1_min, shape, cell_m, samples)[0]

    def whereabouts(
        self, t0_min: float, t1_min: float, shape: tuple[int, int], cell_m: float, samples: int
    ) -> tuple[np.ndarray, tuple[float, float]]:
        """(:meth:`cells_during` over [t0, t1], :meth:`xy_at` t1), worked out together (one
        interpolation per axis for both) and kept for the next hazard that asks."""
        key = (t0_min, t1_min, shape, cell_m, samples)
        memo = self._where_memo
        if memo is not None and memo[0] == key:
            return memo[1]
        times = t0_min + (np.arange(samples) + 0.5) * (t1_min - t0_min) / samples
        # np.minimum/np.maximum: np.clip's own result, without its slow Python wrapper.
        elapsed = np.empty(samples + 1)
        np.minimum(
            np.maximum(times - self.depart_min, 0.0),
            self.arrive_min - self.depart_min,
            out=elapsed[:samples],
        )
        elapsed[samples] = t1_min - self.depart_min  # where it is at t1: as xy_at, unclipped
        # np.interp is elementwise: the samples and the last point are as if asked apart.
        x = np.interp(elapsed, self.route_min, self.route_xy[:, 0])
        y = np.interp(elapsed, self.route_min, self.route_xy[:, 1])
        xy = (float(x[samples]), float(y[samples]))
        x, y = x[:samples], y[:samples]
        cols = np.minimum(np.maximum((x // cell_m).astype(np.int64), 0), shape[1] - 1)
        rows = np.minimum(np.maximum((y // cell_m).astype(np.int64), 0), shape[0] - 1)
        cells = rows * shape[1] + cols
        cells.flags.writeable = False
        self._where_memo = (key, (cells, xy))
        return cells, xy


def whereabouts_of(
    groups: Sequence[Evacuees],
    t0_min: float,
    t1_min: float,
    shape: tuple[int, int],
    cell_m: float,
    samples: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`Evacuees.whereabouts` of every group at once: (cells, one row of ``samples``
    per group; positions at t1, one (x, y) row per group), read-only.

    The same numbers to the bit as asking each group in turn: the times come from the
    same operations, and the interpolation is ``np.interp``'s own, step for step
    (:func:`_interp_rows`), over all groups' routes end to end instead of two calls per
    group.
    """
    count = len(groups)
    if count == 0:
        return np.zeros((0, samples), dtype=np.int64), np.zeros((0, 2))
    times = t0_min + (np.arange(samples) + 0.5) * (t1_min - t0_min) / samples
    depart = np.fromiter((g.depart_min for g in groups), float, count)
    arrive = np.fromiter((g.arrive_min for g in groups), float, count)
    elapsed = np.empty((count, samples + 1))
    np.minimum(
        np.maximum(times - depart[:, None], 0.0),
        (arrive - depart)[:, None],
        out=elapsed[:, :samples],
    )
    elapsed[:, samples] = t1_min - depart  # where each is at t1: unclipped, as xy_at
    if np.isnan(elapsed).any():  # np.interp passes NaN through: leave that to it
        asked = [g.whereabouts(t0_min, t1_min, shape, cell_m, samples) for g in groups]
        cells = np.stack([where[0] for where in asked])
        cells.flags.writeable = False
        return cells, np.array([where[1] for where in asked], dtype=float).reshape(count, 2)
    x, y = _interp_rows(elapsed, [g.knots for g in groups])
    xy = np.stack((x[:, samples], y[:, samples]), axis=1)
    x, y = x[:, :samples], y[:, :samples]
    cols = np.minimum(np.maximum((x // cell_m).astype(np.int64), 0), shape[1] - 1)
    rows = np.minimum(np.maximum((y // cell_m).astype(np.int64), 0), shape[0] - 1)
    cells = rows * shape[1] + cols
    cells.flags.writeable = False
    xy.flags.writeable = False
    return cells, xy


def _interp_rows(at: np.ndarray, knots: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``np.interp(at[i], t, x)`` and ``np.interp(at[i], t, y)`` for every row i, where
    ``knots[i]`` is (t, x, y) by rows, t non-decreasing; ``at`` holds no NaN.

    The same bits as ``np.interp`` (see ``sim.exact_interp``): j by one search over
    every row's knots, then numpy's arithmetic.
    """
    rows = len(knots)
    sizes = np.fromiter((k.shape[1] for k in knots), np.int64, rows)
    starts = np.zeros(rows, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    flat_t, flat_x, flat_y = np.concatenate(knots, axis=1)
    # j by one search over every row's knots: complex numbers order by (real, imag), so
    # (row, t) keys sort row by row and compare times exactly within a row.
    keys = np.empty(flat_t.size, dtype=complex)
    keys.real = np.repeat(np.arange(rows, dtype=float), sizes)
    keys.imag = flat_t
    asked = np.empty(at.shape, dtype=complex)
    asked.real = np.arange(rows, dtype=float)[:, None]
    asked.imag = at
    base = starts[:, None]
    j = np.searchsorted(keys, asked, side="right") - base - 1  # -1: before the first knot
    x, y = interp_from_knots(at, j, base, sizes[:, None] - 1, flat_t, (flat_x, flat_y))
    return x, y
