"""The flood substep compiled with numba: the numpy kernel of ``sim.hazards.flood`` fused.

``FloodModel``'s numpy substep makes some sixty full-array passes; this module
does the same arithmetic in one loop per face set (local-inertial update with
q-centring), one over the open edges, and a few over the cells (the outflow
limiter's ratio; the limited fluxes; continuity, rain and inflow, and the
deepest cell for the next time step). Each row of faces first gets its flow
depths and their cube roots (for the friction power h_flow^(-7/3)) into
scratch rows that stay in L1, by Newton's method from a bit-trick seed (numpy's
SIMD cube root was faster per value, but a separate pass over the whole map
and back cost more in memory traffic than the Newton steps here). A substep is
two passes, faces then cells; :func:`run_substeps` runs every substep of a step
(with the finite-volume zone's passes) in one call that releases the GIL.
Loops run over a box holding every cell that has ever been wet plus a margin
of one cell (water moves at most one cell per CFL-limited substep), so dry
country costs nothing.

Inner loops have no branches (selects only) and no loop-carried dependence, so
LLVM turns them into SIMD code: the face arrays are padded with a permanently
dry face at each end (``FloodModel`` keeps them so), old discharges are copied
to a row buffer before a row is updated, and the edge outflow is gathered into
a per-cell array by short loops over the map's rim.

The numpy path stays the reference: the arithmetic is the same, in nearly the
same order, so the two agree to round-off (the tests hold them to 1e-9 m on
every case). ``FloodModel`` always takes the same path for a drill,
so replays reproduce. ``cache=True`` keeps the machine code on disk (numba's
``__pycache__`` beside this file): compiled once per install and loaded in a
fraction of a second after that; :func:`warm` compiles or loads it ahead of use.
"""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path

import numpy as np
from numba import njit, prange

from sim.hazards import flood_fv_kernel as fvk

# Same constants as sim.hazards.flood (cited there); repeated here because a
# compiled function reads module globals as compile-time constants.
GRAVITY_M_PER_S2 = 9.80665
FLOW_DEPTH_MIN_M = 1e-3
FRICTION_DEPTH_EXPONENT = 7.0 / 3.0
OUTFLOW_LIMIT_MARGIN = 1e-12
WEST, EAST, NORTH, SOUTH = 0, 1, 2, 3  # rows of the edge-outflow array


CBRT_SEED_MAGIC = np.int32(0x54A2FA8C)  # float32 bits of x^(-1/3), to ~4 % (Lomont's method)


@njit(cache=True, error_model="numpy", inline="always")
def _row_flow_depths(
    e_lo: np.ndarray, e_hi: np.ndarray, zmax: np.ndarray, hf: np.ndarray, root: np.ndarray,
    seed: np.ndarray,
) -> None:  # fmt: skip
    """hf = max(h_flow, FLOW_DEPTH_MIN_M) and root = cbrt(hf) for a row's faces.

    The cube root is x * y^2 with y = x^(-1/3) by Newton's method from a float32
    bit-trick seed (``seed``: float32 scratch as long as the row): four steps
    take the seed's ~4 % error to round-off (the error squares each step), and
    all three loops vectorise, so the root costs less here, on a row in L1, than
    a separate pass of numpy's cube root over the whole map and back.
    """
    bits = seed.view(np.int32)
    for i in range(hf.size):
        d = max(max(e_lo[i], e_hi[i]) - zmax[i], FLOW_DEPTH_MIN_M)
        hf[i] = d
        seed[i] = np.float32(d)
    for i in range(hf.size):
        bits[i] = CBRT_SEED_MAGIC - bits[i] // np.int32(3)
    for i in range(hf.size):
        x = hf[i]
        y = np.float64(seed[i])
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        y = y * (4.0 - x * y * y * y) * (1.0 / 3.0)
        root[i] = x * y * y


@njit(cache=True, error_model="numpy", inline="always")
def _face_q(
    q_old: float,
    up: float,
    down: float,
    eta_lo: float,
    eta_hi: float,
    hf: float,
    root: float,
    g_n2: float,
    g_dt_dx: float,
    coefs: tuple[float, float, float],
) -> float:
    """One face of the local-inertial update (numpy: flood._update_face_discharge).

    ``hf`` is the flow depth clamped at FLOW_DEPTH_MIN_M, ``root`` its cube
    root, ``coefs`` (dt, theta, (1 - theta)/2). Written with selects, no branches.
    """
    dt, theta, half = coefs
    fric = abs(q_old) * g_n2 * dt / (hf * hf * root) + 1.0  # g n^2 dt |q| / h_flow^(7/3)
    grad = (eta_hi - eta_lo) * hf * g_dt_dx
    inv = 1.0 / fric  # one division for both candidates (within an ulp of numpy's two)
    centred = ((up + down) * half + theta * q_old - grad) * inv
    bates = (q_old - grad) * inv  # where the centred flux would run against the slope
    q = centred if (eta_lo - eta_hi) * centred >= 0.0 else bates
    return q if hf > FLOW_DEPTH_MIN_M else 0.0


@njit(cache=True, error_model="numpy", inline="always")
def band(b: int, n_bands: int, first: int, last: int) -> tuple[int, int]:
    """Rows (start, end) of band b of n_bands cut from rows first..last (end < start: none)."""
    rows = last - first + 1
    return first + b * rows // n_bands, first + (b + 1) * rows // n_bands - 1


@njit(cache=True, error_model="numpy", inline="always")
def _x_face_rows(
    eta: np.ndarray,
    px: np.ndarray,
    flow: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    rows: tuple[int, int, int, int, int],
    coefs: tuple[float, float, float],
    scratch: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Update the x faces (face k joins cells k and k+1) of rows r_s..r_e, in place.

    ``px`` is the padded x discharge: px[k + 1] is face k, px[0] and px[-1]
    stay 0. ``flow`` is (bed max(z_k, z_k+1), clamped flow depth: written,
    g n^2) per face; ``rows`` (r_s, r_e, first column c0, last face column
    c_end, nx); ``coefs`` (dt, theta, g dt/dx). ``edges`` holds the old
    outflow of the west, east, north and south edges (one row each, padded to
    the longer side): the neighbours of the first and last face of a row at an
    open edge; beside a wall the face's own q. ``scratch`` is (old q: nx + 1
    values, the row's cube roots: nx, float32 seeds: nx). A row reads and
    writes only its own faces, so bands of rows can run at once.
    """
    zmax, hf, g_n2 = flow
    buf, roots, seeds = scratch
    dt, theta, g_dt_dx = coefs
    face_coefs = (dt, theta, 0.5 * (1.0 - theta))
    r_s, r_e, c0, c_end, nx = rows
    lo, hi = max(c0 - 1, 0), min(c_end + 1, nx - 2)  # the faces stepped and their neighbours
    for r in range(r_s, r_e + 1):
        base = r * nx
        buf[lo + 1 : hi + 2] = px[base + lo + 1 : base + hi + 2]  # buf[c + 1]: old q of face c
        buf[0] = -edges[WEST, r] if open_boundary else buf[1]
        buf[nx] = edges[EAST, r] if open_boundary else buf[nx - 1]
        a, b = base + c0, base + c_end + 1  # the faces stepped, as views from 0
        out, e_lo, e_hi = px[a + 1 : b + 1], eta[a:b], eta[a + 1 : b + 1]
        v_hf, v_rt, v_gn = hf[a:b], roots[: b - a], g_n2[a:b]
        _row_flow_depths(e_lo, e_hi, zmax[a:b], v_hf, v_rt, seeds[: b - a])
        up, old, down = buf[c0 : c_end + 1], buf[c0 + 1 : c_end + 2], buf[c0 + 2 : c_end + 3]
        for i in range(out.size):
            out[i] = _face_q(old[i], up[i], down[i], e_lo[i], e_hi[i], v_hf[i], v_rt[i],
                             v_gn[i], g_dt_dx, face_coefs)  # fmt: skip


@njit(cache=True, error_model="numpy", inline="always")
def _y_band_edges(
    py: np.ndarray, edges: np.ndarray, open_boundary: bool, rows: tuple[int, int, int, int, int],
    nx: int, bufs: np.ndarray,
) -> None:  # fmt: skip
    """Before any band of y faces is updated: the old q just outside band r_s..r_e.

    ``rows`` is (r_s, r_e, the box's last face row, c0, c1). bufs[0] gets the
    face row above the band (r_s - 1; at the map's north edge the edge's
    outflow, or beside a wall row 0's own q); bufs[2] the face row below it
    (r_e + 1) when that row belongs to the next band, which may update it
    before this band reads it. ``bufs`` is this band's (3, nx) scratch.
    """
    r_s, r_e, r_last, c0, c1 = rows
    above = bufs[0]
    above[:] = py[r_s * nx : r_s * nx + nx]  # face row r_s - 1: stepped by the band above, later
    if r_s == 0:
        if open_boundary:
            above[:] = -edges[NORTH, :nx]
        else:
            above[:] = py[nx : 2 * nx]
    if r_e < r_last:
        below = (r_e + 2) * nx  # face row r_e + 1
        bufs[2, c0 : c1 + 1] = py[below + c0 : below + c1 + 1]


@njit(cache=True, error_model="numpy", inline="always")
def _y_face_rows(
    eta: np.ndarray,
    py: np.ndarray,
    flow: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    rows: tuple[int, int, int, int, int],
    nx: int,
    coefs: tuple[float, float, float],
    scratch: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Update the y faces (face k joins cells k and k+nx) of face rows r_s..r_e, in place.

    ``py`` is the padded y discharge: py[k + nx] is face k, the first and last
    nx values stay 0. ``rows`` (r_s, r_e, the box's last face row, c0, c1);
    ``flow`` and ``coefs`` as for :func:`_x_face_rows`. ``scratch`` is ((3, nx):
    old q of the row above (filled by :func:`_y_band_edges`) and of this row,
    taking turns, and of the faces below the band's last row; the row's cube
    roots: nx; float32 seeds: nx). Inside the band the faces below a row are
    read where they are: they are updated after it.
    """
    zmax, hf, g_n2 = flow
    bufs, roots, seeds = scratch
    dt, theta, g_dt_dx = coefs
    face_coefs = (dt, theta, 0.5 * (1.0 - theta))
    r_s, r_e, r_last, c0, c1 = rows
    ny = eta.size // nx
    above, here = bufs[0], bufs[1]
    for r in range(r_s, r_e + 1):
        base = r * nx
        a, b = base + c0, base + c1 + 1  # the faces stepped, as views from 0
        here[c0 : c1 + 1] = py[a + nx : b + nx]  # old q of this row, before it is updated
        if r == ny - 2:
            below = bufs[2]
            if open_boundary:
                below[c0 : c1 + 1] = edges[SOUTH, c0 : c1 + 1]
            else:
                below[c0 : c1 + 1] = here[c0 : c1 + 1]
            down = below[c0 : c1 + 1]
        elif r == r_e and r_e < r_last:
            down = bufs[2, c0 : c1 + 1]  # the next band's first row, as it was
        else:
            down = py[a + 2 * nx : b + 2 * nx]  # the next row's faces: not updated yet
        out, e_lo, e_hi = py[a + nx : b + nx], eta[a:b], eta[a + nx : b + nx]
        v_hf, v_rt, v_gn = hf[a:b], roots[: b - a], g_n2[a:b]
        _row_flow_depths(e_lo, e_hi, zmax[a:b], v_hf, v_rt, seeds[: b - a])
        up, old = above[c0 : c1 + 1], here[c0 : c1 + 1]
        for i in range(out.size):
            out[i] = _face_q(old[i], up[i], down[i], e_lo[i], e_hi[i], v_hf[i], v_rt[i],
                             v_gn[i], g_dt_dx, face_coefs)  # fmt: skip
        above, here = here, above  # this row's old q is the next row's "above"


@njit(cache=True, error_model="numpy")
def edge_pass(
    z: np.ndarray, h: np.ndarray, edges: np.ndarray, g_n2_cell: np.ndarray, nx: int, dt: float,
    dx: float,
) -> None:  # fmt: skip
    """Free outflow over the four open edges (numpy: FloodModel._update_edge_discharge)."""
    ny = h.size // nx
    for side in range(4):
        for i in range(ny if side < 2 else nx):
            e, n = _edge_cells(side, i, nx, ny)
            eta_e, eta_n = z[e] + h[e], z[n] + h[n]
            grad_out = (eta_e - eta_n) / dx
            if not max(eta_e, eta_n) - max(z[e], z[n]) > FLOW_DEPTH_MIN_M:
                grad_out *= 0.0  # dry first face: no surface to continue
            h_flow = max(h[e], FLOW_DEPTH_MIN_M)
            q = edges[side, i]
            friction = 1.0 + g_n2_cell[e] * dt * q / h_flow**FRICTION_DEPTH_EXPONENT
            q = (q - GRAVITY_M_PER_S2 * h_flow * dt * grad_out) / friction
            if not h[e] > FLOW_DEPTH_MIN_M:
                q *= 0.0
            edges[side, i] = max(q, 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def _edge_cells(side: int, i: int, nx: int, ny: int) -> tuple[int, int]:
    """(edge cell, its inland neighbour) of the i-th cell along an edge."""
    if side == WEST:
        return i * nx, i * nx + 1
    if side == EAST:
        return i * nx + nx - 1, i * nx + nx - 2
    if side == NORTH:
        return i, nx + i
    return (ny - 1) * nx + i, (ny - 2) * nx + i


@njit(cache=True, error_model="numpy")
def gather_edges(
    edges: np.ndarray, ratio: np.ndarray, out: np.ndarray, nx: int, limited: bool
) -> float:
    """out[cell] = the cell's edge outflow, each first scaled by its ratio if ``limited``.

    Returns the total edge outflow (m^2/s summed over edge cells). Cells off the
    rim keep out = 0 (``out`` is only ever written on the rim).
    """
    ny = out.size // nx
    for side in range(4):
        for i in range(ny if side < 2 else nx):
            e = _edge_cells(side, i, nx, ny)[0]
            out[e] = 0.0
    total = 0.0
    for side in range(4):
        for i in range(ny if side < 2 else nx):
            e = _edge_cells(side, i, nx, ny)[0]
            if limited:
                edges[side, i] *= ratio[e]
            out[e] += edges[side, i]
            total += edges[side, i]
    return total


@njit(cache=True, error_model="numpy", inline="always")
def _limit_row(
    r: int, h: np.ndarray, px: np.ndarray, py: np.ndarray, edge_q: np.ndarray,
    cols: tuple[int, int, int], scale: float, ratio: np.ndarray,
) -> bool:  # fmt: skip
    """ratio of row r's cells: the share of its outflow each can afford; True if a
    cell of the row is limited (a ratio below 1).

    need = scale * (outgoing face q + edge outflow) is the depth a cell would
    lose in the step (scale = dt/dx (1 + margin)); numpy: FloodModel._limit_outflow.
    """
    c0, c1, nx = cols
    a, b = r * nx + c0, r * nx + c1 + 1  # the row's cells, as views from 0
    east, west, south, north = px[a + 1 : b + 1], px[a:b], py[a + nx : b + nx], py[a:b]
    out, depth, rim = ratio[a:b], h[a:b], edge_q[a:b]
    limited = False
    for i in range(out.size):
        need = max(east[i], 0.0) - min(west[i], 0.0) + max(south[i], 0.0) - min(north[i], 0.0)
        need = (need + rim[i]) * scale
        over = need > depth[i]
        out[i] = depth[i] / need if over else 1.0
        limited |= over
    return limited


@njit(cache=True, error_model="numpy", inline="always")
def _scale_row(q: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
    """Scale each face's q by its donor's ratio (lo's cell if q > 0, hi's if q < 0)."""
    for i in range(q.size):
        q[i] = q[i] * (lo[i] if q[i] > 0.0 else hi[i]) if q[i] != 0.0 else q[i]


@njit(cache=True, error_model="numpy", inline="always")
def _continuity_row(
    r: int,
    state: tuple[np.ndarray, np.ndarray, np.ndarray],
    faces: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    cols: tuple[int, int, int],
    steps: tuple[float, float],
    rain: tuple[np.ndarray, bool],
    col_max: np.ndarray,
) -> float:
    """h += dt/dx (in - out) + rain dt over row r (faces limited); True if it holds water.

    ``col_max`` keeps each column's deepest cell so far (an elementwise max:
    a running max over the row would keep LLVM from vectorising the loop).
    """
    h, z, eta = state
    px, py, edge_q, ratio = faces
    c0, c1, nx = cols
    dt_dx, dt = steps
    a, b = r * nx + c0, r * nx + c1 + 1  # the row's cells, as views from 0
    west, east, north, south = px[a:b], px[a + 1 : b + 1], py[a:b], py[a + nx : b + nx]
    depth, surface, bed, rim, share = h[a:b], eta[a:b], z[a:b], edge_q[a:b], ratio[a:b]
    cols_max = col_max[c0 : c1 + 1]
    if rain[1]:
        sky = rain[0][a:b]
        for i in range(depth.size):
            dh = west[i] - east[i] + north[i] - south[i] - rim[i] * share[i]
            d = depth[i] + dh * dt_dx + sky[i] * dt
            depth[i], surface[i] = d, bed[i] + d
            cols_max[i] = max(cols_max[i], d)
    else:
        sky_dt = rain[0][0] * dt
        for i in range(depth.size):
            dh = west[i] - east[i] + north[i] - south[i] - rim[i] * share[i]
            d = depth[i] + dh * dt_dx + sky_dt
            depth[i], surface[i] = d, bed[i] + d
            cols_max[i] = max(cols_max[i], d)
    for i in range(depth.size):  # noqa: SIM110 (any() over a generator does not compile)
        if depth[i] > 0.0:
            return True
    return False


@njit(cache=True, error_model="numpy")  # not inlined into a parallel loop: see below
def _limit_band(
    k: int, n_bands: int, state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray], edge_q: np.ndarray, box: np.ndarray, nx: int,
    scale: float, work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """The ratios of band k's rows, and whether each row is limited (faces not yet limited)."""
    ratio, row_limited = work[0], work[3]
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    r_s, r_e = band(k, n_bands, r0, r1)
    for r in range(r_s, r_e + 1):
        row_limited[r] = _limit_row(r, state[0], padded[0], padded[1], edge_q, (c0, c1, nx), scale,
                                    ratio)  # fmt: skip


@njit(cache=True, error_model="numpy", inline="always")
def _join_bands(
    n_bands: int, py: np.ndarray, box: np.ndarray, nx: int,
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """Limit the y faces joining two bands, before either band reads them."""
    ratio, row_limited = work[0], work[3]
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    for k in range(n_bands - 1):
        r = band(k, n_bands, r0, r1)[1]
        if row_limited[r] or row_limited[r + 1]:
            a, b = r * nx + c0, r * nx + c1 + 1
            _scale_row(py[a + nx : b + nx], ratio[a:b], ratio[a + nx : b + nx])


@njit(cache=True, error_model="numpy")  # not inlined into a parallel loop: see below
def _sweep_band(
    k: int, n_bands: int, state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray], edge_q: np.ndarray, box: np.ndarray, nx: int,
    steps: tuple[float, float, float], rain: tuple[np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """Band k's own faces limited, then its depths, row by row (each row read while in cache)."""
    h = state[0]
    px, py = padded
    ratio, col_max, row_limited, wet_rows = work[0], work[1], work[3], work[4]
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    ny = h.size // nx
    r_s, r_e = band(k, n_bands, r0, r1)
    band_max = col_max[k]
    band_max[:] = 0.0
    wet = wet_rows[k]  # (first, last) wet row, kept in the array: as locals updated in the
    wet[0], wet[1] = -1, -1  # row loop, numba's parallel loop took them for its reductions
    for r in range(r_s, r_e + 1):
        a, b = r * nx + c0, r * nx + c1 + 1
        b_x = min(b, h.size - 1)  # x faces of this row (the last cell has none)
        if row_limited[r]:  # (its last face joins the next row's first cell: a wall, q = 0)
            _scale_row(px[a + 1 : b_x + 1], ratio[a:b_x], ratio[a + 1 : b_x + 1])
        limited_below = r < r1 and row_limited[r + 1]
        own_y = r < r_e or k == n_bands - 1  # below a band's last row: see _join_bands
        if r < ny - 1 and own_y and (row_limited[r] or limited_below):
            _scale_row(py[a + nx : b + nx], ratio[a:b], ratio[a + nx : b + nx])
        if _continuity_row(r, state, (px, py, edge_q, ratio), (c0, c1, nx), (steps[0], steps[1]),
                           rain, band_max):  # fmt: skip
            wet[0] = r if wet[0] < 0 else wet[0]
            wet[1] = r


@njit(cache=True, error_model="numpy", inline="always")
def _sweep_result(
    n_bands: int, box: np.ndarray, nx: int,
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> float:  # fmt: skip
    """The bands' wet rows and columns into the wet box; returns the deepest cell (m)."""
    col_max, wet_box, wet_rows = work[1], work[2], work[4]
    c0, c1 = box[2], box[3]
    wet_box[0], wet_box[1], wet_box[2], wet_box[3] = -1, -1, nx, -1
    for k in range(n_bands):
        if wet_rows[k, 0] >= 0:
            wet_box[0] = wet_rows[k, 0] if wet_box[0] < 0 else wet_box[0]
            wet_box[1] = wet_rows[k, 1]
    h_max = 0.0
    for col in range(c0, c1 + 1):
        deepest = 0.0
        for k in range(n_bands):
            deepest = max(deepest, col_max[k, col])
        h_max = max(h_max, deepest)
        if deepest > 0.0:
            wet_box[2] = min(wet_box[2], col)
            wet_box[3] = max(wet_box[3], col)
    return h_max


@njit(cache=True, error_model="numpy")
def cell_sweep(
    state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray],
    edge_q: np.ndarray,
    box: np.ndarray,
    nx: int,
    steps: tuple[float, float, float],
    rain: tuple[np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> float:
    """Limiter, limited fluxes and continuity over the box's rows, on this thread.

    First every row's ratios (each row reads only its own cells and faces,
    none yet limited); then each row's faces are limited and its depths
    updated, row by row. ``state`` is (h, z, eta: receives z + h); ``steps``
    (dt/dx, dt, limiter scale); ``rain`` (rain rate in m/s: per cell or one
    value, whether per cell); ``work`` (ratio, column maxima per band, wet
    box: receives (r0, r1, c0, c1) of the wet cells, r0 = -1 if none; whether
    each row is limited; first and last wet row per band). The raw edge
    outflow ``edge_q`` is limited on the fly. Returns the deepest cell (m).
    """
    _limit_band(0, 1, state, padded, edge_q, box, nx, steps[2], work)
    _sweep_band(0, 1, state, padded, edge_q, box, nx, steps, rain, work)
    return _sweep_result(1, box, nx, work)


@njit(cache=True, error_model="numpy")
def cell_sweep_threaded(
    state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray],
    edge_q: np.ndarray,
    box: np.ndarray,
    nx: int,
    steps: tuple[float, float, float],
    rain: tuple[np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_bands: int,
) -> float:
    """:func:`cell_sweep` in ``n_bands`` bands of rows run at once.

    The y faces joining two bands are limited between the two parallel
    loops; a face is scaled by the same ratio whichever band does it, so the
    result is the same, to the bit, for any number of bands.
    """
    n_bands = max(1, min(n_bands, box[1] - box[0] + 1))
    _limit_bands(n_bands, state, padded, edge_q, box, nx, steps[2], work)
    _join_bands(n_bands, padded[1], box, nx, work)
    _sweep_bands(n_bands, state, padded, edge_q, box, nx, steps, rain, work)
    return _sweep_result(n_bands, box, nx, work)


# A parallel function here holds one parallel loop and nothing else, and the loop's body is
# one call of a function that is not inlined. numba 0.68 lost the writes of an inlined body
# that unpacks a tuple of arrays (tests/hazards/test_flood_kernel.py would catch it), and it
# may move what stands beside a parallel loop in the same function.


@njit(cache=True, error_model="numpy", parallel=True)
def _limit_bands(
    n_bands: int, state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray], edge_q: np.ndarray, box: np.ndarray, nx: int,
    scale: float, work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """:func:`_limit_band` of every band, on numba's threads."""
    for k in prange(n_bands):
        _limit_band(k, n_bands, state, padded, edge_q, box, nx, scale, work)


@njit(cache=True, error_model="numpy", parallel=True)
def _sweep_bands(
    n_bands: int, state: tuple[np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray], edge_q: np.ndarray, box: np.ndarray, nx: int,
    steps: tuple[float, float, float], rain: tuple[np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """:func:`_sweep_band` of every band, on numba's threads."""
    for k in prange(n_bands):
        _sweep_band(k, n_bands, state, padded, edge_q, box, nx, steps, rain, work)


@njit(cache=True, error_model="numpy")
def add_inflow(h: np.ndarray, eta: np.ndarray, cells: np.ndarray, depth_m: float) -> float:
    """River inflow: each inflow cell deepens by ``depth_m`` (rate x dt); returns their max h."""
    deepest = 0.0
    for c in cells:
        h[c] += depth_m
        eta[c] += depth_m
        deepest = max(deepest, h[c])
    return deepest


@njit(cache=True, error_model="numpy", inline="always")
def _face_band_edges(
    n_bands: int, eta: np.ndarray, py: np.ndarray, edges: np.ndarray, open_boundary: bool,
    box: np.ndarray, nx: int, y_bufs: np.ndarray,
) -> None:  # fmt: skip
    """Each band's old q just outside its y face rows (see :func:`_y_band_edges`)."""
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    r_last = min(r1 - 1, eta.size // nx - 2)  # the last y face row stepped
    if r_last < r0:
        return
    for k in range(n_bands):
        r_s, r_e = band(k, n_bands, r0, r_last)
        if r_e >= r_s:
            _y_band_edges(py, edges, open_boundary, (r_s, r_e, r_last, c0, c1), nx, y_bufs[k])


@njit(cache=True, error_model="numpy")  # not inlined into a parallel loop: see below
def _face_band(
    k: int,
    n_bands: int,
    eta: np.ndarray,
    padded: tuple[np.ndarray, np.ndarray],
    flows: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Band k's x faces, then its y faces."""
    x_bufs, y_bufs, roots, seeds = bufs
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    c_end = min(c1 - 1, nx - 2)  # the last x face of a row stepped
    r_last = min(r1 - 1, eta.size // nx - 2)  # the last y face row stepped
    if c_end >= c0:
        x_s, x_e = band(k, n_bands, r0, r1)
        _x_face_rows(eta, padded[0], flows[0], edges, open_boundary, (x_s, x_e, c0, c_end, nx),
                     coefs, (x_bufs[k], roots[k], seeds[k]))  # fmt: skip
    if r_last >= r0:
        y_s, y_e = band(k, n_bands, r0, r_last)
        _y_face_rows(eta, padded[1], flows[1], edges, open_boundary, (y_s, y_e, r_last, c0, c1),
                     nx, coefs, (y_bufs[k], roots[k], seeds[k]))  # fmt: skip


@njit(cache=True, error_model="numpy")
def face_passes(
    eta: np.ndarray,
    padded: tuple[np.ndarray, np.ndarray],
    flow_x: tuple[np.ndarray, np.ndarray, np.ndarray],
    flow_y: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Update the box's x faces, then its y faces, on this thread.

    ``bufs`` holds rows of scratch per band (this uses band 0's): the x pass's
    old q (n, nx + 1), the y pass's three rows (n, 3, nx), cube roots (n, nx),
    float32 seeds (n, nx).
    """
    _face_band_edges(1, eta, padded[1], edges, open_boundary, box, nx, bufs[1])
    _face_band(0, 1, eta, padded, (flow_x, flow_y), edges, open_boundary, box, nx, coefs, bufs)


@njit(cache=True, error_model="numpy")
def face_passes_threaded(
    eta: np.ndarray,
    padded: tuple[np.ndarray, np.ndarray],
    flow_x: tuple[np.ndarray, np.ndarray, np.ndarray],
    flow_y: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_bands: int,
) -> None:
    """:func:`face_passes` in ``n_bands`` bands of rows run at once.

    The old q just outside each band is copied first, so a band never reads
    a face another band has already updated: the result is the same, to the
    bit, for any number of bands.
    """
    n_bands = max(1, min(n_bands, box[1] - box[0] + 1))
    _face_band_edges(n_bands, eta, padded[1], edges, open_boundary, box, nx, bufs[1])
    _face_bands(n_bands, eta, padded, flow_x, flow_y, edges, open_boundary, box, nx, coefs,
                bufs)  # fmt: skip


@njit(cache=True, error_model="numpy", parallel=True)
def _face_bands(
    n_bands: int,
    eta: np.ndarray,
    padded: tuple[np.ndarray, np.ndarray],
    flow_x: tuple[np.ndarray, np.ndarray, np.ndarray],
    flow_y: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """:func:`_face_band` of every band, on numba's threads (a tuple of tuples cannot
    be handed to numba's parallel loop: the face sets come apart)."""
    for k in prange(n_bands):
        _face_band(k, n_bands, eta, padded, (flow_x, flow_y), edges, open_boundary, box, nx,
                   coefs, bufs)  # fmt: skip


@njit(cache=True, error_model="numpy", inline="always")
def _cells_before(
    state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], edges: np.ndarray,
    open_boundary: bool, nx: int, steps: tuple[float, float, float],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # fmt: skip
    """Edge outflow, gathered per rim cell (not yet limited)."""
    if open_boundary:
        h, z, _, g_n2_cell = state
        edge_pass(z, h, edges, g_n2_cell, nx, steps[0], steps[1])
        gather_edges(edges, work[0], work[1], nx, False)


@njit(cache=True, error_model="numpy", inline="always")
def _cells_after(
    h_max: float, state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray, open_boundary: bool, box: np.ndarray, nx: int, dt: float,
    sources: tuple[np.ndarray, float, np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[float, float]:  # fmt: skip
    """Inflow, the limited edge outflow, the box grown; returns (h_max, edge outflow)."""
    h, eta = state[0], state[2]
    inflow_cells, inflow_rate = sources[0], sources[1]
    if inflow_rate > 0.0:  # after the fluxes, as in the numpy path
        h_max = max(h_max, add_inflow(h, eta, inflow_cells, inflow_rate * dt))
    outflow = gather_edges(edges, work[0], work[1], nx, True) if open_boundary else 0.0
    _grow(box, work[3], h.size // nx, nx)
    return h_max, outflow


@njit(cache=True, error_model="numpy")
def cell_passes(
    state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    steps: tuple[float, float, float],
    sources: tuple[np.ndarray, float, np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[float, float]:
    """Edge outflow, :func:`cell_sweep`, then inflow; returns (h_max, edge outflow).

    ``state`` is (h, z, eta, g n^2 per cell); ``steps`` (dt, dx, limiter
    scale dt/dx (1 + margin)); ``sources`` (inflow cells, inflow depth rate
    m/s, rain rate m/s per cell or one value, whether per cell); ``work``
    (ratio, edge outflow per cell, column maxima per band, wet box, whether
    each row is limited, wet rows per band).
    """
    h, z, eta, _ = state
    dt, dx, scale = steps
    _cells_before(state, edges, open_boundary, nx, steps, work)
    sweep_work = (work[0], work[2], work[3], work[4], work[5])
    h_max = cell_sweep((h, z, eta), padded, work[1], box, nx, (dt / dx, dt, scale),
                       (sources[2], sources[3]), sweep_work)  # fmt: skip
    return _cells_after(h_max, state, edges, open_boundary, box, nx, dt, sources, work)


@njit(cache=True, error_model="numpy")
def cell_passes_threaded(
    state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    padded: tuple[np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    steps: tuple[float, float, float],
    sources: tuple[np.ndarray, float, np.ndarray, bool],
    work: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_bands: int,
) -> tuple[float, float]:
    """:func:`cell_passes` with the sweep in ``n_bands`` bands run at once."""
    h, z, eta, _ = state
    dt, dx, scale = steps
    _cells_before(state, edges, open_boundary, nx, steps, work)
    h_max = cell_sweep_threaded((h, z, eta), padded, work[1], box, nx, (dt / dx, dt, scale),
                                (sources[2], sources[3]),
                                (work[0], work[2], work[3], work[4], work[5]), n_bands)  # fmt: skip
    return _cells_after(h_max, state, edges, open_boundary, box, nx, dt, sources, work)


@njit(cache=True, error_model="numpy", inline="always")
def _grow(box: np.ndarray, wet_box: np.ndarray, ny: int, nx: int) -> None:
    """Take into the box the cells the substep wetted (``wet_box``), plus one cell."""
    if wet_box[0] < 0:
        return
    box[0] = min(box[0], max(wet_box[0] - 1, 0))
    box[1] = max(box[1], min(wet_box[1] + 1, ny - 1))
    box[2] = min(box[2], max(wet_box[2] - 1, 0))
    box[3] = max(box[3], min(wet_box[3] + 1, nx - 1))


@njit(cache=True, error_model="numpy", inline="always")
def _stable_dt(
    remaining_s: float, source_max: float, h_max: float, consts: tuple[float, float, float],
    zone: tuple, h: np.ndarray,
) -> float:  # fmt: skip
    """FloodModel._stable_dt: the CFL step of the deepest cell and of the finite-volume
    zone, shortened so sources cannot outrun it (the same arithmetic, in the same order)."""
    alpha, _, dx = consts
    dt = remaining_s
    if h_max > 0.0:
        dt = min(dt, alpha * dx / math.sqrt(GRAVITY_M_PER_S2 * h_max))
    if zone[0]:
        cells_fv = zone[6]
        dt = min(dt, fvk.stable_dt(h, cells_fv[0], cells_fv[3], cells_fv[4], dx))
    if source_max > 0.0:
        h_reach = h_max + source_max * dt
        dt = min(dt, alpha * dx / math.sqrt(GRAVITY_M_PER_S2 * h_reach))
    return dt


@njit(cache=True, error_model="numpy", nogil=True)
def run_substeps(
    dt_s: float,
    h_max: float,
    source_max: float,
    consts: tuple[float, float, float],
    faces: tuple,
    face_bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    cells: tuple,
    sources: tuple[np.ndarray, float, np.ndarray, bool],
    work: tuple[np.ndarray, ...],
    zone: tuple,
    n_bands: int,
    books: tuple[np.ndarray, float, float],
) -> int:
    """Every substep of one ``FloodModel.run_one_step`` (``dt_s`` seconds), in one call.

    The loop of ``run_one_step`` and the substep of ``FloodModel._substep_compiled``
    as they were in Python, the same arithmetic in the same order (so a drill's flood is
    the same to the bit), without some forty microseconds a substep of Python and of
    the calls' argument checks, and without holding the GIL. ``faces`` and ``cells``
    are :func:`face_passes`' and :func:`cell_passes`' arguments but for the step
    lengths, scratch and sources; ``consts`` (alpha, theta, dx); ``zone`` (whether the
    finite-volume zone is active, (its cells, hu, hv), the cells beside its faces,
    their velocities, its face sets (x bed, x faces, y bed, y faces), their flux rows,
    its cells' arrays (index, x faces, y faces, hu, hv), momentum scratch, g n^2 per
    cell, (x q, y q)); ``books`` (the inflow, rain and outflow totals in m^3, updated
    in place; the inflow and rain rates in m^3/s). Returns the substeps taken.
    """
    _, theta, dx = consts
    eta, padded, nx = faces[0], faces[1], faces[7]
    state = cells[0]
    h, z = state[0], state[1]
    totals, inflow_m3_per_s, rain_m3_per_s = books
    taken = 0
    remaining_s = dt_s
    while remaining_s > 0.0:
        dt = _stable_dt(remaining_s, source_max, h_max, consts, zone, h)
        if zone[0]:  # fluxes from the state at the start of the step
            q, touched, uv, faces_fv, outs = zone[9], zone[2], zone[3], zone[4], zone[5]
            fvk.velocity_pass(h, q[0], q[1], zone[1], touched, nx, uv)
            if n_bands > 1:
                fvk.flux_passes_threaded(z, h, uv, faces_fv, nx, outs)
            else:
                fvk.flux_pass(z, h, uv, faces_fv[0], faces_fv[1], 1, outs[0])
                fvk.flux_pass(z, h, uv, faces_fv[2], faces_fv[3], nx, outs[1])
        coefs = (dt, theta, GRAVITY_M_PER_S2 * dt / dx)
        steps = (dt, dx, dt / dx * (1.0 + OUTFLOW_LIMIT_MARGIN))
        if n_bands > 1:
            face_passes_threaded(eta, padded, faces[2], faces[3], faces[4], faces[5], faces[6],
                                 nx, coefs, face_bufs, n_bands)  # fmt: skip
        else:
            face_passes(eta, padded, faces[2], faces[3], faces[4], faces[5], faces[6], nx, coefs,
                        face_bufs)  # fmt: skip
        if zone[0]:
            q, cells_fv, outs = zone[9], zone[6], zone[5]
            fvk.set_mass_flux(q[0], cells_fv[1], outs[0])
            fvk.set_mass_flux(q[1], cells_fv[2], outs[1])
        if n_bands > 1:
            h_max, outflow = cell_passes_threaded(state, padded, cells[2], cells[3], cells[4],
                                                  nx, steps, sources, work, n_bands)  # fmt: skip
        else:
            h_max, outflow = cell_passes(state, padded, cells[2], cells[3], cells[4], nx, steps,
                                         sources, work)  # fmt: skip
        if inflow_m3_per_s > 0.0:
            totals[0] += inflow_m3_per_s * dt
        if rain_m3_per_s > 0.0:
            totals[1] += rain_m3_per_s * dt
        totals[2] += outflow * dx * dt
        if zone[0]:
            fvk.momentum_pass(h, zone[9], zone[6], zone[5], zone[7], zone[8], nx, (dt, dx),
                              n_bands > 1)  # fmt: skip
        taken += 1
        remaining_s -= dt
        if remaining_s <= 1e-9 * dt_s:  # float residue of the step split
            remaining_s = 0.0
    return taken


@njit(cache=True, error_model="numpy", parallel=True)
def start_pool(out: np.ndarray) -> None:
    """A parallel loop that does next to nothing: it starts numba's thread pool, so its
    kind (``numba.threading_layer()``) is known before the first threaded substep."""
    for k in prange(out.size):
        out[k] = k


def warm(threads: int = 1) -> None:
    """Compile the kernels (or load them from numba's on-disk cache) on tiny grids.

    Call it off the game's frame (a background thread or process) before the
    first drill minute, so compilation never falls on a frame. Covers every
    path a drill takes: open and walled edges, rain as one value and per cell,
    with and without a breach's finite-volume zone; with ``threads`` > 1, the
    threaded kernels, which starts numba's thread pool (see
    ``sim.hazards.flood.use_threads``). Idempotent.
    """
    from sim.hazards import flood

    saved, flood._THREADS[0] = flood._THREADS[0], threads
    try:
        for open_boundary in (True, False):
            for zone in (False, True):
                model = flood.FloodModel(np.zeros((6, 6)), 1.0, 0.03, open_boundary=open_boundary)
                model.depth_m[2:4, 2:4] = 0.1
                model.set_inflow(np.array([[2, 2]]), 0.01)
                if zone:
                    model.use_shock_capturing(np.ones((6, 6), dtype=bool))
                model.run_one_step(0.1, np.full((6, 6), 1.0))
                model.run_one_step(0.1, 1.0)
    finally:
        flood._THREADS[0] = saved


def drop_stale_cache(cache_dir: Path | None = None) -> bool:
    """Forget this module's cached machine code if ``flood_fv_kernel.py`` changed.

    numba's on-disk cache checks only the file a function is defined in, but
    :func:`run_substeps` compiles the finite-volume kernel's functions into
    itself: its cached code would outlive an edit there (a developer's, or an
    update over an old install) and go on running the old zone. The source's
    digest is kept beside the cache; when it differs, this module's cache files
    go (numba compiles again on first use). Returns True if they went.
    """
    if cache_dir is None:
        cache = getattr(run_substeps, "_cache", None)
        if cache is None or not hasattr(cache, "_cache_path"):
            return False  # caching off, or a numba that keeps it elsewhere
        cache_dir = Path(cache._cache_path)
    stamp = cache_dir / "flood_kernel.depends"
    digest = hashlib.sha1(Path(fvk.__file__).read_bytes()).hexdigest()
    try:
        if stamp.read_text(encoding="utf-8") == digest:
            return False
    except OSError:
        pass  # no stamp yet: whatever is cached predates it
    try:
        for path in cache_dir.glob("flood_kernel.*.nb[ic]"):
            path.unlink(missing_ok=True)
    except OSError:
        return False  # not ours to clear (numba then keeps its cache elsewhere)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)  # (a fresh install has none yet)
        partial = stamp.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(digest, encoding="utf-8")
        partial.replace(stamp)
    except OSError:
        pass  # a read-only install: the cache is rebuilt, not remembered
    return True


drop_stale_cache()
