"""The finite-volume zone of ``sim.hazards.flood_fv`` compiled with numba.

Same arithmetic as the numpy reference in ``flood_fv`` (HLL fluxes with
Toro's dry-bed speeds, Audusse et al.'s hydrostatic reconstruction,
semi-implicit Manning friction), one pass per face set and one over the
zone's cells. The fluxes are computed from the state at the start of the
substep and kept per face; once the outflow limiter has run, the momentum of
the zone's cells is updated with them.

Every pass walks its sorted cells or faces in runs of neighbours in a row
(the zone is a disc of rows: ~50 runs of ~40). Along a run a face's two cells,
its bed and its place in the flux arrays are slices, so the inner loops have
no gather and no branch and run in SIMD: a face's two square roots and three
divisions, or a cell's root and two divisions, cost more one at a time than
all the rest of its arithmetic. The friction's h^(-4/3) comes from Newton's
method, not pow. The sums are the reference's, in its order, so the fluxes
and velocities are the same to the bit as before the runs (and the momentum
to round-off: its friction power and |hu, hv| are computed differently), on
any number of threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# Same constants as sim.hazards.flood_fv (cited there).
GRAVITY_M_PER_S2 = 9.80665
FV_CFL = 0.5
FV_DRY_DEPTH_M = 1e-3
FV_FRICTION_DEPTH_EXPONENT = 4.0 / 3.0  # h^(-4/3) = (h^(-1/3))^4: see _depth_powers
# float32 bits of x^(-1/3) to ~4 % (Lomont's method), as sim.hazards.flood_kernel's
# CBRT_SEED_MAGIC: the seed of the Newton steps that give h^(-1/3).
CBRT_SEED_MAGIC = np.int32(0x54A2FA8C)
# Indices in the inner loops are unsigned: numba checks a signed index for a negative
# value (counted from the end) on every read, which keeps LLVM from SIMD code, and an
# array slice per run instead cost more than the run's arithmetic. Mixed with a signed
# int an unsigned one becomes a float, so 1 is spelled ONE.
ONE = np.uint64(1)
STABLE_DT_BLOCK = 64  # cells per SIMD block of stable_dt (a run is cut into blocks)


@njit(cache=True, error_model="numpy", inline="always")
def _run_length(index: np.ndarray, i: int, end: int) -> int:
    """How many of index[i:end] follow index[i] one by one (index sorted, no repeats).

    index[i + r - 1] == index[i] + r - 1 holds exactly for the first r of a run,
    so a binary search finds its end in ~log2(end - i) reads, not one per item.
    """
    first, lo, hi = index[i], 1, end - i
    if index[i + hi - 1] - first == hi - 1:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if index[i + mid - 1] - first == mid - 1:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True, error_model="numpy", inline="always")
def _hll(
    h_l: float, un_l: float, ut_l: float, h_r: float, un_r: float, ut_r: float
) -> tuple[float, float, float]:
    """HLL flux (mass, normal, tangential momentum) of flood_fv.hll_flux, one face.

    Every case is computed and the answer selected, as the numpy reference
    does, with no branch, so that a loop of faces runs in SIMD. The selected
    values are the same to the bit as with branches.
    """
    g = GRAVITY_M_PER_S2
    dry_l, dry_r = h_l <= 0.0, h_r <= 0.0
    c_l, c_r = math.sqrt(g * h_l), math.sqrt(g * h_r)
    u_star = 0.5 * (un_l + un_r) + c_l - c_r
    c_star = 0.5 * (c_l + c_r) + 0.25 * (un_l - un_r)
    s_l = un_r - 2.0 * c_r if dry_l else min(un_l - c_l, u_star - c_star)
    s_r = un_l + 2.0 * c_l if dry_r else max(un_r + c_r, u_star + c_star)
    s_l = un_l - c_l if dry_r else s_l
    s_r = un_r + c_r if dry_l else s_r
    q_l, q_r = h_l * un_l, h_r * un_r
    f_l = (q_l, q_l * un_l + 0.5 * g * h_l**2, q_l * ut_l)
    f_r = (q_r, q_r * un_r + 0.5 * g * h_r**2, q_r * ut_r)
    span = s_r - s_l
    safe = span if span > 0.0 else 1.0
    a = (s_r * f_l[0] - s_l * f_r[0] + s_l * s_r * (h_r - h_l)) / safe
    b = (s_r * f_l[1] - s_l * f_r[1] + s_l * s_r * (q_r - q_l)) / safe
    c = (s_r * f_l[2] - s_l * f_r[2] + s_l * s_r * (h_r * ut_r - h_l * ut_l)) / safe
    left, right, dry = s_l >= 0.0, s_r <= 0.0, dry_l & dry_r
    a = 0.0 if dry else (f_l[0] if left else (f_r[0] if right else a))
    b = 0.0 if dry else (f_l[1] if left else (f_r[1] if right else b))
    c = 0.0 if dry else (f_l[2] if left else (f_r[2] if right else c))
    return a, b, c


@njit(cache=True, error_model="numpy")
def velocity_pass(
    h: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    zone: tuple[np.ndarray, np.ndarray, np.ndarray],
    touched: np.ndarray,
    nx: int,
    uv: tuple[np.ndarray, np.ndarray],
) -> None:
    """(u, v) of every cell a zone face touches: its momentum in the zone, else its
    faces' mean discharge, over its depth; 0 in a dry cell.

    Once a substep (a cell has up to four faces; :func:`flux_pass` reads the
    velocities from ``uv``). ``touched`` is sorted: run by run of neighbours.
    """
    cells, hu, hv = zone
    u, v = uv
    size = h.size
    i = 0
    while i < touched.size:
        first = touched[i]
        run = _run_length(touched, i, touched.size)
        if first >= nx and first + run <= size - nx:  # every cell has its four faces
            _run_velocities(first, run, h, qx, qy, zone, nx, uv)
        else:  # on the map's first or last row
            for c in range(first, first + run):
                if cells[c]:
                    mu, mv = hu[c], hv[c]
                else:
                    mu = 0.5 * qx[c] if c < size - 1 else 0.0
                    if c >= 1:
                        mu += 0.5 * qx[c - 1]
                    mv = 0.5 * qy[c] if c < size - nx else 0.0
                    if c >= nx:
                        mv += 0.5 * qy[c - nx]
                d = h[c]
                if d > FV_DRY_DEPTH_M:
                    u[c], v[c] = mu / d, mv / d
                else:
                    u[c], v[c] = 0.0, 0.0
        i += run


@njit(cache=True, error_model="numpy", inline="always")
def _run_velocities(
    first: int, run: int, h: np.ndarray, qx: np.ndarray, qy: np.ndarray,
    zone: tuple[np.ndarray, np.ndarray, np.ndarray], nx: int,
    uv: tuple[np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """:func:`velocity_pass` of cells first..first + run - 1, neighbours in a row off
    the map's first and last rows (so each has its four faces), in SIMD."""
    in_zone, hu, hv = zone
    u, v = uv
    at, below = np.uint64(first), np.uint64(first - nx)
    for j in range(run):
        c = at + np.uint64(j)
        east, west = qx[c], qx[c - ONE]
        north, south = qy[c], qy[below + np.uint64(j)]
        mu = hu[c] if in_zone[c] else 0.5 * east + 0.5 * west
        mv = hv[c] if in_zone[c] else 0.5 * north + 0.5 * south
        d = h[c]
        wet = d > FV_DRY_DEPTH_M
        u[c] = mu / d if wet else 0.0
        v[c] = mv / d if wet else 0.0


@njit(cache=True, error_model="numpy", inline="always")
def _run_fluxes(
    lo: int, run: int, i: int, z: np.ndarray, h: np.ndarray, un: np.ndarray, ut: np.ndarray,
    zmax: np.ndarray, step: int, out: np.ndarray,
) -> None:  # fmt: skip
    """out[:, i:i + run]: the fluxes across faces lo..lo + run - 1 (see :func:`flux_pass`).

    The faces are side by side, so their low cells, their high cells (``step``
    further on), their beds and their places in ``out`` follow one by one and
    the loop runs in SIMD. ``un``/``ut``: the cells' velocities normal to and
    along the faces. Indices are unsigned (see :data:`ONE`).
    """
    half_g = 0.5 * GRAVITY_M_PER_S2
    at_lo, at_hi, at_out = np.uint64(lo), np.uint64(lo + step), np.uint64(i)
    for j in range(run):
        k = np.uint64(j)
        k_lo, k_hi, k_out = at_lo + k, at_hi + k, at_out + k
        z_star, d_lo, d_hi = zmax[k_lo], h[k_lo], h[k_hi]
        h_lo = max(0.0, z[k_lo] + d_lo - z_star)  # h* = max(0, eta - max(z_lo, z_hi))
        h_hi = max(0.0, z[k_hi] + d_hi - z_star)
        mass, normal, along = _hll(h_lo, un[k_lo], ut[k_lo], h_hi, un[k_hi], ut[k_hi])
        out[0, k_out] = mass
        out[1, k_out] = normal + half_g * (d_lo**2 - h_lo**2)
        out[2, k_out] = normal + half_g * (d_hi**2 - h_hi**2)
        out[3, k_out] = along


@njit(cache=True, error_model="numpy", inline="always")
def chunk(k: int, n_chunks: int, size: int) -> tuple[int, int]:
    """Items [start, end) of chunk k of n_chunks cut from ``size`` items."""
    return k * size // n_chunks, (k + 1) * size // n_chunks


@njit(cache=True, error_model="numpy")  # not inlined into the parallel loop (see below)
def _flux_chunk(
    k: int,
    n_chunks: int,
    z: np.ndarray,
    h: np.ndarray,
    uv: tuple[np.ndarray, np.ndarray],
    zmax: np.ndarray,
    faces: np.ndarray,
    step: int,
    out: np.ndarray,
) -> None:
    """:func:`_run_fluxes` of chunk k's faces, run by run of faces side by side. A chunk,
    not a face, per call: a call of a function that is not inlined counts a reference to
    each array it takes, which cost more than the face's arithmetic."""
    un, ut = uv if step == 1 else (uv[1], uv[0])
    start, end = chunk(k, n_chunks, faces.size)
    i = start
    while i < end:
        run = _run_length(faces, i, end)
        _run_fluxes(faces[i], run, i, z, h, un, ut, zmax, step, out)
        i += run


@njit(cache=True, error_model="numpy")
def flux_pass(
    z: np.ndarray,
    h: np.ndarray,
    uv: tuple[np.ndarray, np.ndarray],
    zmax: np.ndarray,
    faces: np.ndarray,
    step: int,
    out: np.ndarray,
) -> None:
    """Fluxes across one face set of the zone (step 1: x faces, nx: y faces).

    ``uv`` holds the cells' velocities (:func:`velocity_pass`); ``out`` (4,
    faces) receives the mass flux, the normal momentum flux seen by the low
    and by the high cell (with the bed terms of the hydrostatic
    reconstruction) and the tangential flux.
    """
    _flux_chunk(0, 1, z, h, uv, zmax, faces, step, out)


CHUNKS = 8  # chunks of each face set or of the zone's cells shared out among the threads


@njit(cache=True, error_model="numpy", parallel=True)
def flux_passes_threaded(
    z: np.ndarray,
    h: np.ndarray,
    uv: tuple[np.ndarray, np.ndarray],
    sets: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    nx: int,
    outs: tuple[np.ndarray, np.ndarray],
) -> None:
    """:func:`flux_pass` over the x faces and the y faces at once, on numba's threads.

    ``sets`` is (x faces' zmax, x faces, y faces' zmax, y faces); ``outs``
    (x out, y out). Each face is written by one thread from the state at the
    start of the substep: the same numbers as :func:`flux_pass`.
    """
    zmax_x, x_faces, zmax_y, y_faces = sets
    for k in prange(2 * CHUNKS):
        if k < CHUNKS:
            _flux_chunk(k, CHUNKS, z, h, uv, zmax_x, x_faces, 1, outs[0])
        else:
            _flux_chunk(k - CHUNKS, CHUNKS, z, h, uv, zmax_y, y_faces, nx, outs[1])


@njit(cache=True, error_model="numpy")
def set_mass_flux(q: np.ndarray, faces: np.ndarray, out: np.ndarray) -> None:
    """The zone faces' discharge is their finite-volume mass flux."""
    i = 0
    while i < faces.size:
        lo = faces[i]
        run = _run_length(faces, i, faces.size)
        at, at_out = np.uint64(lo), np.uint64(i)
        for j in range(run):
            q[at + np.uint64(j)] = out[0, at_out + np.uint64(j)]
        i += run


@njit(cache=True, error_model="numpy", inline="always")
def _limit_fluxes(q: np.ndarray, faces: np.ndarray, out: np.ndarray) -> None:
    """Scale the momentum fluxes of the faces whose mass flux the outflow limiter cut.

    A face's share kept is q / mass (1 where the mass flux was 0); the few
    faces the limiter cut get their momentum fluxes times it and their mass
    flux set to q, in place, so ``out`` then holds the limited fluxes and a
    second call changes nothing. Every other face keeps all (q == mass): its
    fluxes times 1 are the same to the bit, so they are left as they are.
    """
    i = 0
    while i < faces.size:
        lo = faces[i]
        run = _run_length(faces, i, faces.size)
        at, at_out = np.uint64(lo), np.uint64(i)
        cut = 0
        for j in range(run):  # SIMD: are any of the run's faces cut?
            cut += q[at + np.uint64(j)] != out[0, at_out + np.uint64(j)]
        if cut:
            for j in range(i, i + run):
                q_j, mass = q[faces[j]], out[0, j]
                if q_j != mass:
                    kept = q_j / mass if mass != 0.0 else 1.0
                    out[0, j] = q_j
                    out[1, j] *= kept
                    out[2, j] *= kept
                    out[3, j] *= kept
        i += run


@njit(cache=True, error_model="numpy", inline="always")
def _depth_powers(
    cell_index: np.ndarray, h: np.ndarray, powers: np.ndarray, seeds: np.ndarray
) -> None:
    """powers[i] = h^-(1 + FV_FRICTION_DEPTH_EXPONENT) of cell cell_index[i] (wet or not).

    The Manning friction of the momentum, 1 + dt g n^2 |V| / h^(4/3) with
    |V| = |hu, hv| / h (numpy: ShockZone.update_momentum), is then
    1 + dt g n^2 |hu, hv| powers[i]. h^(-1/3) by Newton's method from a float32
    bit-trick seed (``seeds``: float32 scratch as long as ``powers``), as
    flood_kernel._row_flow_depths takes its cube roots: four steps take the
    seed's ~4 % error to round-off. The loops run in SIMD: the steps are a
    long chain of dependent products, and one cell at a time (or a call of
    pow per cell) they cost ~5 ns a cell.
    """
    bits = seeds.view(np.int32)
    for i in range(powers.size):
        d = h[cell_index[i]]
        powers[i] = d
        seeds[i] = np.float32(d)
    for i in range(powers.size):
        bits[i] = CBRT_SEED_MAGIC - bits[i] // np.int32(3)
    for i in range(powers.size):
        x = powers[i]
        y = np.float64(seeds[i])
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y2 = y * y
        powers[i] = y2 * y2 / x  # h^(-4/3) / h


@njit(cache=True, error_model="numpy")
def momentum_pass(
    h: np.ndarray,
    q: tuple[np.ndarray, np.ndarray],
    zone: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    out: tuple[np.ndarray, np.ndarray],
    scratch: tuple[np.ndarray, np.ndarray],
    g_n2: np.ndarray,
    nx: int,
    steps: tuple[float, float],
    threaded: bool,
) -> None:
    """hu, hv of the zone's cells after the step (numpy: ShockZone.update_momentum).

    ``q`` is (qx, qy) after the limiter, ``zone`` (cell index, x faces, y
    faces, hu, hv), ``out`` the two face sets' fluxes from :func:`flux_pass`
    (left holding the limited fluxes: see :func:`_limit_fluxes`), ``scratch``
    two float arrays at least as long as the zone's cells (work space: their
    contents are overwritten), ``steps`` (dt, dx). ``threaded``: chunks of the
    cells on numba's threads. Each cell gathers its own four faces' fluxes,
    adding them in the order of the numpy reference's scatter, and writes only
    its own momentum, so the result is the same to the bit on any number of
    threads.
    """
    cell_index, x_faces, y_faces = zone[0], zone[1], zone[2]
    _limit_fluxes(q[0], x_faces, out[0])
    _limit_fluxes(q[1], y_faces, out[1])
    if threaded:
        _cells_momentum_threaded(cell_index, h, zone, out, scratch, g_n2, nx, steps)
    else:
        _momentum_chunk(0, 1, h, zone, out, scratch, g_n2, nx, steps)


@njit(cache=True, error_model="numpy", parallel=True)
def _cells_momentum_threaded(
    cell_index: np.ndarray, h: np.ndarray,
    zone: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    out: tuple[np.ndarray, np.ndarray], scratch: tuple[np.ndarray, np.ndarray],
    g_n2: np.ndarray, nx: int, steps: tuple[float, float],
) -> None:  # fmt: skip
    """:func:`_momentum_chunk` of every chunk of zone cells, on numba's threads. The loop's
    body is a call of a function that is not inlined: numba 0.68 lost every write of the
    same body inlined (it unpacks tuples of arrays)."""
    for k in prange(CHUNKS):
        _momentum_chunk(k, CHUNKS, h, zone, out, scratch, g_n2, nx, steps)


@njit(cache=True, error_model="numpy")  # not inlined into the parallel loop: see above
def _momentum_chunk(
    k: int, n_chunks: int, h: np.ndarray,
    zone: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    out: tuple[np.ndarray, np.ndarray], scratch: tuple[np.ndarray, np.ndarray],
    g_n2: np.ndarray, nx: int, steps: tuple[float, float],
) -> None:  # fmt: skip
    """Momentum of chunk k's zone cells: their faces' fluxes, then friction.

    A chunk per call (see :func:`_flux_chunk`); its work space is its own stretch
    of ``scratch``. Every zone cell's four faces are zone faces (ShockZone keeps
    its cells two cells off the map's edge), so a run of cells side by side has
    its west and east faces, its south faces and its north faces side by side in
    the sorted face lists: three cursors, moved forward from run to run, find
    where.
    """
    cell_index, x_faces, y_faces, hu, hv = zone
    start, end = chunk(k, n_chunks, cell_index.size)
    if start >= end:
        return
    dt, dx = steps
    powers = scratch[0][start:end]
    seeds = scratch[1].view(np.float32)[2 * start : 2 * start + end - start]  # chunk's bytes
    _depth_powers(cell_index[start:end], h, powers, seeds)
    c = cell_index[start]
    w = np.searchsorted(x_faces, c - 1)  # x face c - 1: the first cell's west face
    s = np.searchsorted(y_faces, c - nx)  # y face c - nx: its south face
    n = np.searchsorted(y_faces, c)  # y face c: its north face
    last_x, last_y = x_faces.size - 1, y_faces.size - 1
    i = start
    while i < end:
        first = cell_index[i]
        run = _run_length(cell_index, i, end)
        while w < last_x and x_faces[w] < first - 1:
            w += 1
        while s < last_y and y_faces[s] < first - nx:
            s += 1
        while n < last_y and y_faces[n] < first:
            n += 1
        _run_momentum(first, run, (w, s, n), i - start, h, hu, hv, out, powers, g_n2,
                      (dt, dt / dx))  # fmt: skip
        i += run
        w += run
        s += run
        n += run


@njit(cache=True, error_model="numpy", inline="always")
def _run_momentum(
    first: int, run: int, at: tuple[int, int, int], p: int, h: np.ndarray, hu: np.ndarray,
    hv: np.ndarray, out: tuple[np.ndarray, np.ndarray], powers: np.ndarray,
    g_n2: np.ndarray, steps: tuple[float, float],
) -> None:  # fmt: skip
    """Momentum of the ``run`` zone cells from cell ``first`` on, side by side in a row.

    ``at``: the places in the face lists of the first cell's west, south and
    north faces (the run's faces follow them one by one); ``p`` the first
    cell's place in ``powers``; ``steps`` (dt, dt / dx).
    """
    x_out, y_out = out
    dt, rate = steps
    cell, place = np.uint64(first), np.uint64(p)
    w, s, n = np.uint64(at[0]), np.uint64(at[1]), np.uint64(at[2])
    for j in range(run):  # flux sums, and dt g n^2 h^(-7/3) (-1: dry) in place of the power
        k = np.uint64(j)
        c, west, south, north = cell + k, w + k, s + k, n + k
        # the reference's scatter order: x faces before y faces, each set low face first
        d_hu = (((0.0 + x_out[2, west]) - x_out[1, west + ONE]) + y_out[3, south]) - (
            y_out[3, north]
        )
        d_hv = (((0.0 + x_out[3, west]) - x_out[3, west + ONE]) + y_out[2, south]) - (
            y_out[1, north]
        )
        hu[c] += rate * d_hu
        hv[c] += rate * d_hv
        power = powers[place + k]
        powers[place + k] = dt * g_n2[c] * power if h[c] > FV_DRY_DEPTH_M else -1.0
    for j in range(run):  # friction, on the sums just written
        k = np.uint64(j)
        c = cell + k
        mu, mv, f = hu[c], hv[c], powers[place + k]
        # semi-implicit Manning: (hu)/(1 + dt g n^2 |V| / h^(4/3)); 0 in a dry cell
        friction = 1.0 + f * math.sqrt(mu * mu + mv * mv)
        hu[c] = mu / friction if f >= 0.0 else 0.0
        hv[c] = mv / friction if f >= 0.0 else 0.0


@njit(cache=True, error_model="numpy")
def stable_dt(h: np.ndarray, cell_index: np.ndarray, hu: np.ndarray, hv: np.ndarray,
              dx: float) -> float:  # fmt: skip
    """FV_CFL dx / max(max(|u|, |v|) + sqrt(g h)) over wet zone cells (inf if none).

    Run by run of neighbours, in blocks: each cell's speed in SIMD into a
    block buffer, then their maximum (a maximum of floats is not summed in
    SIMD without fast-math, which would change other results)."""
    fastest = -1.0
    block = np.empty(STABLE_DT_BLOCK)
    i = 0
    while i < cell_index.size:
        first = cell_index[i]
        run = _run_length(cell_index, i, min(cell_index.size, i + STABLE_DT_BLOCK))
        at = np.uint64(first)
        for j in range(run):
            c = at + np.uint64(j)
            d = h[c]
            speed = max(abs(hu[c]), abs(hv[c])) / d + math.sqrt(GRAVITY_M_PER_S2 * d)
            block[j] = speed if d > FV_DRY_DEPTH_M else -1.0
        for j in range(run):
            fastest = max(fastest, block[j])
        i += run
    return FV_CFL * dx / fastest if fastest > 0.0 else np.inf
