"""Stage-discharge ratings of a river from the terrain: the flood forecast's hydraulics.

A bureau turns a discharge forecast into a stage forecast with a rating curve
at each gauge. Here each rated river cell gets its own, from the ground: the
valley cross-section through the cell, square to the river, read from the bed
grid (levees and sandbags included), and Manning's uniform-flow law over it,

    Q = K(h) S^(1/2),    K(h) = sum_i A_i R_i^(2/3) / n_i

(Chow 1959, Open-Channel Hydraulics, §6-1 to §6-3): the conveyance K summed
over slices of the section, each one cell wide with its own depth and
roughness, R_i taken as the slice's depth as it is much wider than deep; the
divided-channel method for a channel with floodplains (Chow 1959 §6-8). It is
the friction law the flood model solves cell by cell, so in uniform flow the
two agree. In uniform flow the water surface is parallel to the bed, so the
friction slope S is the bed slope of the reach (Chow 1959 §6-1).

Water reaches a slice only over the ground between it and the channel: a
slice behind a levee or a ridge stays dry until the stage tops the highest
ground on the way. A levee-confined channel therefore rises more for the same
discharge than one spilling onto an open floodplain, where the wide shallow
overbank flow adds conveyance fast (the stage no longer grows as Q^(3/5), the
exponent of a wide rectangular channel alone).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.exact_interp import interp_from_knots

# Stages are tabulated this finely (m); a forecast is read between two rows (conveyance
# is smooth in stage: linear reading between rows 5 cm apart is good to about a centimetre).
STAGE_STEP_M = 0.05
# Highest stage tabulated above the channel bed (m): above any flood in a valley
# the scenario schema allows (rivers at most 50 m deep, sim.scenario.schema.River);
# a discharge beyond the table is read at its top.
STAGE_SPAN_M = 60.0
# Flattest friction slope used (m/m): 0.01 m/km, flatter than the lower
# Mississippi (about 0.02-0.05 m/km), so a level reach still has a finite rating.
SLOPE_MIN = 1e-5
# The bed slope is fitted over this far up- and downstream of a rated cell (m):
# USGS slope-area practice asks for a reach at least 75 times the mean depth
# and a fall of at least 0.15 m (Dalrymple & Benson 1967, TWRI 3-A2); 2 x 1.5 km
# is 75 x 40 m, and falls 1.5 m even at 0.5 m/km, far above the DEM's relief noise.
SLOPE_REACH_M = 1500.0
# A section reaches this far each side of the river (m), cut at the map's edge:
# across the widest valley floor of the drills (1.4 km) and up its sides.
SECTION_HALF_WIDTH_M = 2000.0
# The rated cell's stage is the mean of the normal depths at the sections within
# this distance up- and downstream (m), added to its own bed: the slope-area
# method rates a reach by several sections, not one (Dalrymple & Benson 1967),
# and one section of a square grid jitters by a few tenths of a metre with how
# it cuts the channel's cells. 200 m (four 50 m cells) is an engineering
# judgement, checked on the drills with benchmarks/forecast_skill.py.
REACH_HALF_LENGTH_M = 200.0


@dataclass(frozen=True)
class CrossSection:
    """The valley section through one river cell, square to the river.

    ``cells`` are flat grid indices of the slices from one end to the other,
    each ``width_m`` wide along the section, the river cell at ``centre``.
    """

    cells: np.ndarray
    centre: int
    width_m: float


def river_tangent(points: Sequence[Sequence[float]], xy: tuple[float, float]) -> np.ndarray:
    """Unit vector along the river polyline ``points`` at its point nearest ``xy``."""
    best, tangent = np.inf, np.array([1.0, 0.0])
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        d = np.array([x1 - x0, y1 - y0], dtype=float)
        length = float(np.hypot(*d))
        if length == 0.0:
            continue
        t = np.clip(((xy[0] - x0) * d[0] + (xy[1] - y0) * d[1]) / length**2, 0.0, 1.0)
        gap = float(np.hypot(xy[0] - (x0 + t * d[0]), xy[1] - (y0 + t * d[1])))
        if gap < best:
            best, tangent = gap, d / length
    return tangent


def cross_section(
    shape: tuple[int, int], cell_m: float, cell: int, tangent: np.ndarray, half_width_m: float
) -> CrossSection:
    """The section through flat ``cell`` square to ``tangent``, ``half_width_m`` each way
    (cut at the map's edge), one slice per ``cell_m``: the cell under each point."""
    ny, nx = shape
    row, col = divmod(int(cell), nx)
    normal = np.array([-tangent[1], tangent[0]])
    steps = int(half_width_m // cell_m)
    offsets = np.arange(-steps, steps + 1) * cell_m
    cols = np.floor(col + 0.5 + offsets * normal[0] / cell_m).astype(np.int64)
    rows = np.floor(row + 0.5 + offsets * normal[1] / cell_m).astype(np.int64)
    outside = np.flatnonzero((rows < 0) | (rows >= ny) | (cols < 0) | (cols >= nx))
    lo = int(outside[outside < steps].max(initial=-1)) + 1
    hi = int(outside[outside > steps].min(initial=offsets.size))
    return CrossSection(rows[lo:hi] * nx + cols[lo:hi], steps - lo, float(cell_m))


def bed_slope(
    river_cells: np.ndarray, chainage_m: np.ndarray, bed_m: np.ndarray, at_m: float
) -> float:
    """Bed slope (m/m, falling downstream) of the river around chainage ``at_m``: the
    least-squares line of the bed of ``river_cells`` (flat) against their chainage within
    ``SLOPE_REACH_M``, never flatter than ``SLOPE_MIN``."""
    s = chainage_m[river_cells]
    near = np.abs(s - at_m) <= SLOPE_REACH_M
    s, z = s[near], bed_m[river_cells][near]
    if s.size < 2 or np.ptp(s) == 0.0:
        return SLOPE_MIN
    return max(-float(np.polyfit(s, z, 1)[0]), SLOPE_MIN)


class SectionRating:
    """Conveyance and flow area of one cross-section against stage, tabulated once.

    ``bed_m`` and ``n`` are the section's bed elevations (m) and Manning's n, slice by
    slice, the channel at ``centre``; ``slope`` is the reach's friction slope (m/m).
    """

    def __init__(
        self, bed_m: np.ndarray, n: np.ndarray, centre: int, width_m: float, slope: float
    ) -> None:
        bed_m = np.asarray(bed_m, dtype=float)
        # A slice joins the flow once the stage tops every slice between it and the channel.
        sill = bed_m.copy()
        sill[centre:] = np.maximum.accumulate(bed_m[centre:])
        sill[: centre + 1] = np.maximum.accumulate(bed_m[centre::-1])[::-1]
        self.floor_m = float(bed_m[centre])
        self.slope = float(slope)
        reached = sill < self.floor_m + STAGE_SPAN_M  # the rest never wets in the table
        bed_m, sill, n = bed_m[reached], sill[reached], np.asarray(n, dtype=float)[reached]
        rows = round(STAGE_SPAN_M / STAGE_STEP_M) + 1
        self.stages_m = self.floor_m + np.arange(rows) * STAGE_STEP_M
        depth = self.stages_m[:, None] - bed_m[None, :]
        depth = np.where(self.stages_m[:, None] > sill[None, :], np.maximum(depth, 0.0), 0.0)
        # A slice much wider than deep: A R^(2/3) / n = width depth^(5/3) / n (Chow 1959 §6-2).
        self.conveyance = (width_m * depth ** (5.0 / 3.0) / n).sum(axis=1)  # m³/s at S = 1
        self.area_m2 = width_m * depth.sum(axis=1)

    def normal_stage(self, discharge_m3_per_s: float) -> float:
        """The stage (m) at which the section carries ``discharge_m3_per_s`` in uniform flow."""
        return float(
            np.interp(discharge_m3_per_s / np.sqrt(self.slope), self.conveyance, self.stages_m)
        )

    def celerity_m_per_s(self, discharge_m3_per_s: float) -> float:
        """Speed of a flood wave at this discharge: the kinematic celerity dQ/dA
        (Chow, Maidment & Mays 1988, Applied Hydrology §9.6; 5/3 of the water's speed in
        a wide channel, less where the wave spills onto a floodplain and fills it)."""
        stage = self.normal_stage(discharge_m3_per_s)
        i = int(np.clip(np.searchsorted(self.stages_m, stage), 1, self.stages_m.size - 1))
        dq = (self.conveyance[i] - self.conveyance[i - 1]) * np.sqrt(self.slope)
        da = self.area_m2[i] - self.area_m2[i - 1]
        return float(dq / da) if da > 0.0 else 0.0


class ReachRating:
    """The rating of one river cell: the sections of the reach about it (see
    ``REACH_HALF_LENGTH_M``), their normal depths averaged, on the cell's own bed."""

    def __init__(self, floor_m: float, sections: list[SectionRating]) -> None:
        self.floor_m = float(floor_m)
        self.sections = sections

    def normal_stage(self, discharge_m3_per_s: float) -> float:
        """Forecast stage (m) of the cell when the reach carries ``discharge_m3_per_s``."""
        depth = [s.normal_stage(discharge_m3_per_s) - s.floor_m for s in self.sections]
        return self.floor_m + float(np.mean(depth))

    def celerity_m_per_s(self, discharge_m3_per_s: float) -> float:
        """The reach's flood-wave speed at this discharge (mean over its sections)."""
        return float(np.mean([s.celerity_m_per_s(discharge_m3_per_s) for s in self.sections]))


class StageTable:
    """:meth:`ReachRating.normal_stage` of several ratings at once, to the bit.

    The forecast asks every zone's river cell for its stage every minute; one call per
    section (``np.interp`` and ``np.sqrt`` on one number, with their Python wrappers) was
    most of its cost. Here every section's table is searched in one go: numpy's own
    interpolation (``arr_interp``, numpy/_core/src/multiarray/compiled_base.c), the same
    IEEE operations in the same order, so the same bits (see :func:`_interp_each`).
    """

    def __init__(self, ratings: Sequence[ReachRating]) -> None:
        self.ratings = tuple(ratings)
        sections = [s for r in self.ratings for s in r.sections]
        counts = [len(r.sections) for r in self.ratings]
        ends = np.cumsum(counts).tolist()
        self._bounds = [(end - n, end) for n, end in zip(counts, ends, strict=True)]
        self._owner = np.repeat(np.arange(len(self.ratings)), counts)
        self._floors = [r.floor_m for r in self.ratings]
        self._section_floor = np.array([s.floor_m for s in sections], dtype=float)
        # discharge / np.sqrt(slope), as SectionRating.normal_stage: sqrt is exact-rounded.
        self._root_slope = np.sqrt(np.array([s.slope for s in sections], dtype=float))
        self._knots = _Knots([s.conveyance for s in sections], [s.stages_m for s in sections])
        by_count: dict[int, list[int]] = {}
        for index, n in enumerate(counts):
            by_count.setdefault(n, []).append(index)
        self._groups = [  # (ratings with n sections, (m, n) index of their sections' rows)
            (group, np.array([range(*self._bounds[i]) for i in group], dtype=np.int64))
            for n, group in by_count.items()
            if n
        ]
        self._last: tuple[np.ndarray, list[float]] | None = None

    def normal_stages(self, discharges_m3_per_s: np.ndarray) -> list[float]:
        """``[r.normal_stage(q) for r, q in zip(ratings, discharges)]`` (the same floats);
        the last answer is kept, as the discharge to come holds for hours before the peak."""
        q = np.asarray(discharges_m3_per_s, dtype=float)
        if self._last is not None and np.array_equal(self._last[0], q):
            return self._last[1]
        if not self._floors:
            return []
        depth = _interp_each(q[self._owner] / self._root_slope, self._knots)
        depth -= self._section_floor
        # floor + float(np.mean(depths)) as ReachRating.normal_stage: the same mean of the
        # same numbers in the same order, a row each of a matrix of the ratings with as many
        # sections (numpy reduces each row of a C-ordered matrix as it reduces one row alone).
        means = [0.0] * len(self._floors)
        for ratings, sections in self._groups:
            for rating, mean in zip(ratings, depth[sections].mean(axis=1).tolist(), strict=True):
                means[rating] = mean
        stages = [floor + mean for floor, mean in zip(self._floors, means, strict=True)]
        self._last = (q.copy(), stages)
        return stages


class _Knots:
    """Several tables (x non-decreasing, f) end to end, keyed for one search over all."""

    def __init__(self, xs: Sequence[np.ndarray], fs: Sequence[np.ndarray]) -> None:
        sizes = np.array([x.size for x in xs], dtype=np.int64)
        self.starts = np.zeros(sizes.size, dtype=np.int64)
        np.cumsum(sizes[:-1], out=self.starts[1:])
        self.last = sizes - 1
        self.x = np.concatenate(xs) if xs else np.zeros(0)
        self.f = np.concatenate(fs) if fs else np.zeros(0)
        # Complex numbers order by (real, imag): (table, x) keys sort table by table and
        # compare x exactly within a table.
        self.keys = np.empty(self.x.size, dtype=complex)
        self.keys.real = np.repeat(np.arange(sizes.size, dtype=float), sizes)
        self.keys.imag = self.x
        self.rows = np.arange(sizes.size, dtype=float)
        self._j: np.ndarray | None = None  # the last search's answer, tried first next time

    def found_before(self, at: np.ndarray) -> np.ndarray:
        """For each table i, the last knot j with ``x_i[j] <= at[i]`` (-1: none), as
        ``np.searchsorted(x_i, at[i], side="right") - 1``. The same j as last time is kept
        where it still brackets the point (there is only one j that does: x[j] <= at <
        x[j+1], or the ends), as the forecast's discharge moves little from minute to
        minute; the rest are searched (one search over every table's keys, which are large
        and mostly out of the processor's cache by the next minute)."""
        j = self._j
        if j is None or j.size != at.size:
            return self._search(at, np.ones(at.size, dtype=bool))
        k = np.minimum(np.maximum(j, 0), self.last) + self.starts
        after = np.minimum(k + 1, self.starts + self.last)
        holds = np.where(
            j < 0,
            at < self.x[self.starts],
            (self.x[k] <= at) & ((j >= self.last) | (at < self.x[after])),
        )
        if holds.all():
            return j
        return self._search(at, ~holds)

    def _search(self, at: np.ndarray, asked: np.ndarray) -> np.ndarray:
        j = np.empty(at.size, dtype=np.int64) if self._j is None else self._j.copy()
        if j.size != at.size:
            j = np.empty(at.size, dtype=np.int64)
        keys = np.empty(int(np.count_nonzero(asked)), dtype=complex)
        keys.real = self.rows[asked]
        keys.imag = at[asked]
        j[asked] = np.searchsorted(self.keys, keys, side="right") - self.starts[asked] - 1
        self._j = j
        return j


def _interp_each(at: np.ndarray, knots: _Knots) -> np.ndarray:
    """``np.interp(at[i], x_i, f_i)`` for every table i of ``knots`` (``at`` holds no NaN).

    The same bits as ``np.interp`` (see ``sim.exact_interp``): j, the last knot at or
    before each point, from the tables' search, then numpy's arithmetic.
    """
    j = knots.found_before(at)
    return interp_from_knots(at, j, knots.starts, knots.last, knots.x, (knots.f,))[0]


@dataclass(frozen=True)
class RiverGeometry:
    """What rating a cell needs of its river: the grid's shape and cell size, the river's
    centreline points, its cells (flat) and every cell's chainage along it (flat, m)."""

    shape: tuple[int, int]
    cell_m: float
    points: Sequence[Sequence[float]]
    river_cells: np.ndarray
    chainage_m: np.ndarray


def rate_cell(
    river: RiverGeometry,
    bed_m: np.ndarray,
    n: np.ndarray,
    cell: int,
    made: dict[int, tuple[SectionRating, np.ndarray]] | None = None,
) -> tuple[ReachRating, np.ndarray]:
    """The rating of flat river ``cell`` from the flat bed (m) and Manning's n grids, and
    the flat cells its sections read (the rating holds while their bed stays the same).

    Its sections stand one per ``cell_m`` of chainage within ``REACH_HALF_LENGTH_M``,
    each through the lowest river cell there (the thalweg), square to the river.
    ``made`` keeps sections by their thalweg cell for the next cell's rating to share.
    """
    made = {} if made is None else made
    cells = river.river_cells
    along = river.chainage_m[cells]
    at = float(river.chainage_m[cell])
    near = np.abs(along - at) <= REACH_HALF_LENGTH_M
    cells, bins = cells[near], np.floor(along[near] / river.cell_m).astype(np.int64)
    order = np.lexsort((bed_m[cells], bins))  # by bin, lowest bed first
    cells, bins = cells[order], bins[order]
    thalweg = cells[np.r_[True, bins[1:] != bins[:-1]]] if cells.size else np.array([cell])
    sections, read = [], []
    for centre_cell in thalweg.tolist():
        if centre_cell not in made:
            made[centre_cell] = _section_rating(river, bed_m, n, centre_cell)
        section, cells = made[centre_cell]
        sections.append(section)
        read.append(cells)
    return ReachRating(float(bed_m[cell]), sections), np.unique(np.concatenate(read))


def _section_rating(
    river: RiverGeometry, bed_m: np.ndarray, n: np.ndarray, cell: int
) -> tuple[SectionRating, np.ndarray]:
    """The rating of the section through flat river ``cell`` and the cells it reads."""
    row, col = divmod(cell, river.shape[1])
    xy = ((col + 0.5) * river.cell_m, (row + 0.5) * river.cell_m)
    tangent = river_tangent(river.points, xy)
    section = cross_section(river.shape, river.cell_m, cell, tangent, SECTION_HALF_WIDTH_M)
    slope = bed_slope(river.river_cells, river.chainage_m, bed_m, float(river.chainage_m[cell]))
    rating = SectionRating(
        bed_m[section.cells], n[section.cells], section.centre, section.width_m, slope
    )
    return rating, section.cells
