"""The finite-volume zone of ``sim.hazards.flood_fv`` compiled with numba.

Same arithmetic, in the same order, as the numpy reference in ``flood_fv``
(HLL fluxes with Toro's dry-bed speeds, Audusse et al.'s hydrostatic
reconstruction, semi-implicit Manning friction), one loop per face set and
one over the zone's cells. The fluxes are computed from the state at the
start of the substep and kept per face; once the outflow limiter has run,
the momentum of the zone's cells is updated with them.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# Same constants as sim.hazards.flood_fv (cited there).
GRAVITY_M_PER_S2 = 9.80665
FV_CFL = 0.5
FV_DRY_DEPTH_M = 1e-3
FV_FRICTION_DEPTH_EXPONENT = 4.0 / 3.0


@njit(cache=True, error_model="numpy", inline="always")
def _hll(
    h_l: float, un_l: float, ut_l: float, h_r: float, un_r: float, ut_r: float
) -> tuple[float, float, float]:
    """HLL flux (mass, normal, tangential momentum) of flood_fv.hll_flux, one face."""
    g = GRAVITY_M_PER_S2
    dry_l, dry_r = h_l <= 0.0, h_r <= 0.0
    if dry_l and dry_r:
        return 0.0, 0.0, 0.0
    c_l, c_r = math.sqrt(g * h_l), math.sqrt(g * h_r)
    u_star = 0.5 * (un_l + un_r) + c_l - c_r
    c_star = 0.5 * (c_l + c_r) + 0.25 * (un_l - un_r)
    s_l = un_r - 2.0 * c_r if dry_l else min(un_l - c_l, u_star - c_star)
    s_r = un_l + 2.0 * c_l if dry_r else max(un_r + c_r, u_star + c_star)
    if dry_r:
        s_l = un_l - c_l
    if dry_l:
        s_r = un_r + c_r
    q_l, q_r = h_l * un_l, h_r * un_r
    f_l = (q_l, q_l * un_l + 0.5 * g * h_l**2, q_l * ut_l)
    f_r = (q_r, q_r * un_r + 0.5 * g * h_r**2, q_r * ut_r)
    if s_l >= 0.0:
        return f_l
    if s_r <= 0.0:
        return f_r
    span = s_r - s_l
    safe = span if span > 0.0 else 1.0
    a = (s_r * f_l[0] - s_l * f_r[0] + s_l * s_r * (h_r - h_l)) / safe
    b = (s_r * f_l[1] - s_l * f_r[1] + s_l * s_r * (q_r - q_l)) / safe
    c = (s_r * f_l[2] - s_l * f_r[2] + s_l * s_r * (h_r * ut_r - h_l * ut_l)) / safe
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
    velocities from ``uv``). Written out in the loop: a helper taking arrays,
    called per cell, costs an array reference count each call (~25x slower).
    """
    cells, hu, hv = zone
    u, v = uv
    size = h.size
    for i in range(touched.size):
        c = touched[i]
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


@njit(cache=True, error_model="numpy", inline="always")
def _face_flux(
    i: int,
    z: np.ndarray,
    h: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    zmax: np.ndarray,
    faces: np.ndarray,
    step: int,
    out: np.ndarray,
) -> None:
    """out[:, i]: the fluxes across face ``faces[i]`` (see :func:`flux_pass`)."""
    lo = faces[i]
    hi = lo + step
    u_lo, v_lo = u[lo], v[lo]
    u_hi, v_hi = u[hi], v[hi]
    if step == 1:
        un_lo, ut_lo, un_hi, ut_hi = u_lo, v_lo, u_hi, v_hi
    else:
        un_lo, ut_lo, un_hi, ut_hi = v_lo, u_lo, v_hi, u_hi
    z_star = zmax[lo]
    h_lo = max(0.0, z[lo] + h[lo] - z_star)  # h* = max(0, eta - max(z_lo, z_hi))
    h_hi = max(0.0, z[hi] + h[hi] - z_star)
    mass, normal, along = _hll(h_lo, un_lo, ut_lo, h_hi, un_hi, ut_hi)
    half_g = 0.5 * GRAVITY_M_PER_S2
    out[0, i] = mass
    out[1, i] = normal + half_g * (h[lo] ** 2 - h_lo**2)
    out[2, i] = normal + half_g * (h[hi] ** 2 - h_hi**2)
    out[3, i] = along


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
    """:func:`_face_flux` of chunk k's faces. A chunk, not a face, per call: a call of a
    function that is not inlined counts a reference to each array it takes, which cost
    more than the face's arithmetic."""
    u, v = uv
    start, end = chunk(k, n_chunks, faces.size)
    for i in range(start, end):
        _face_flux(i, z, h, u, v, zmax, faces, step, out)


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
    for i in range(faces.size):
        q[faces[i]] = out[0, i]


@njit(cache=True, error_model="numpy", inline="always")
def _kept(q: float, mass: float) -> float:
    """Share of a face's mass flux the outflow limiter kept (1 where it was 0)."""
    return q / mass if mass != 0.0 else 1.0


@njit(cache=True, error_model="numpy", inline="always")
def _accumulate(
    d_n: np.ndarray, d_t: np.ndarray, q: np.ndarray, faces: np.ndarray, step: int,
    out: np.ndarray,
) -> None:  # fmt: skip
    for i in range(faces.size):
        k = faces[i]
        kept = _kept(q[k], out[0, i])
        d_n[k] -= out[1, i] * kept  # leaves the low cell across its high side
        d_n[k + step] += out[2, i] * kept
        d_t[k] -= out[3, i] * kept
        d_t[k + step] += out[3, i] * kept


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
    faces, hu, hv), ``out`` the two face sets' fluxes from :func:`flux_pass`,
    ``scratch`` two per-cell arrays of zeros (left zeroed again), ``steps`` (dt,
    dx). ``threaded``: the cells on numba's threads; the faces' sums, which two
    faces may add to one cell, stay on this thread in the same order either way,
    so the result is the same to the bit.
    """
    cell_index, x_faces, y_faces, hu, hv = zone
    _accumulate(scratch[0], scratch[1], q[0], x_faces, 1, out[0])
    _accumulate(scratch[1], scratch[0], q[1], y_faces, nx, out[1])
    if threaded:
        _cells_momentum_threaded(cell_index, h, (hu, hv), scratch, g_n2, steps)
    else:
        _momentum_chunk(0, 1, cell_index, h, (hu, hv), scratch, g_n2, steps)


@njit(cache=True, error_model="numpy", parallel=True)
def _cells_momentum_threaded(
    cell_index: np.ndarray, h: np.ndarray, momentum: tuple[np.ndarray, np.ndarray],
    sums: tuple[np.ndarray, np.ndarray], g_n2: np.ndarray, steps: tuple[float, float],
) -> None:  # fmt: skip
    """:func:`_cell_momentum` of every zone cell, on numba's threads. The loop's body is
    a call of a function that is not inlined: numba 0.68 lost every write of the same body
    inlined (it unpacks tuples of arrays)."""
    for k in prange(CHUNKS):
        _momentum_chunk(k, CHUNKS, cell_index, h, momentum, sums, g_n2, steps)


@njit(cache=True, error_model="numpy")  # not inlined into the parallel loop: see above
def _momentum_chunk(
    k: int, n_chunks: int, cell_index: np.ndarray, h: np.ndarray,
    momentum: tuple[np.ndarray, np.ndarray], sums: tuple[np.ndarray, np.ndarray],
    g_n2: np.ndarray, steps: tuple[float, float],
) -> None:  # fmt: skip
    """:func:`_cell_momentum` of chunk k's cells (a chunk per call: see :func:`_flux_chunk`)."""
    hu, hv = momentum
    d_hu, d_hv = sums
    start, end = chunk(k, n_chunks, cell_index.size)
    for i in range(start, end):
        _cell_momentum(cell_index[i], h, hu, hv, d_hu, d_hv, g_n2, steps)


@njit(cache=True, error_model="numpy", inline="always")
def _cell_momentum(
    c: int, h: np.ndarray, hu: np.ndarray, hv: np.ndarray, d_hu: np.ndarray,
    d_hv: np.ndarray, g_n2: np.ndarray, steps: tuple[float, float],
) -> None:  # fmt: skip
    """Cell c's momentum after the step: its faces' sums added, then friction; sums zeroed."""
    dt, dx = steps
    mu = hu[c] + dt / dx * d_hu[c]
    mv = hv[c] + dt / dx * d_hv[c]
    d_hu[c] = 0.0
    d_hv[c] = 0.0
    d = h[c]
    if d > FV_DRY_DEPTH_M:
        speed = math.hypot(mu, mv) / d
        friction = 1.0 + dt * g_n2[c] * speed * d**-FV_FRICTION_DEPTH_EXPONENT
        hu[c] = mu / friction
        hv[c] = mv / friction
    else:
        hu[c] = 0.0
        hv[c] = 0.0


@njit(cache=True, error_model="numpy")
def stable_dt(h: np.ndarray, cell_index: np.ndarray, hu: np.ndarray, hv: np.ndarray,
              dx: float) -> float:  # fmt: skip
    """FV_CFL dx / max(max(|u|, |v|) + sqrt(g h)) over wet zone cells (inf if none)."""
    fastest = -1.0
    for i in range(cell_index.size):
        c = cell_index[i]
        d = h[c]
        if d > FV_DRY_DEPTH_M:
            speed = max(abs(hu[c]), abs(hv[c])) / d
            fastest = max(fastest, speed + math.sqrt(GRAVITY_M_PER_S2 * d))
    return FV_CFL * dx / fastest if fastest > 0.0 else np.inf
