"""The flood substep compiled with numba: the numpy kernel of ``sim.hazards.flood`` fused.

``FloodModel``'s numpy substep makes some sixty full-array passes; this module
does the same arithmetic in one loop per face set (local-inertial update with
q-centring), one over the open edges, and two over the cells (the outflow
limiter's ratio; then limited fluxes, continuity, rain and inflow, and the
deepest cell for the next time step). The friction power h_flow^(-7/3) is the
one thing left to numpy (its SIMD power is ten times libm's), over the flow
depths a short loop per face set prepares. Loops run over a box holding every cell
that has ever been wet plus a margin of one cell (water moves at most one cell
per CFL-limited substep), so dry country costs nothing.

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

import numpy as np
from numba import njit

# Same constants as sim.hazards.flood (cited there); repeated here because a
# compiled function reads module globals as compile-time constants.
GRAVITY_M_PER_S2 = 9.80665
FLOW_DEPTH_MIN_M = 1e-3
FRICTION_DEPTH_EXPONENT = 7.0 / 3.0
WEST, EAST, NORTH, SOUTH = 0, 1, 2, 3  # rows of the edge-outflow array


@njit(cache=True, error_model="numpy")
def flow_depth_pass(
    eta: np.ndarray, zmax: np.ndarray, hf: np.ndarray, start: int, stop: int, step: int
) -> None:
    """hf[k] = max(h_flow, FLOW_DEPTH_MIN_M) for faces start..stop-1 joining k and k+step.

    ``eta`` is the water surface z + h of every cell (m).
    """
    lo, hi = eta[start:stop], eta[start + step : stop + step]
    z, out = zmax[start:stop], hf[start:stop]
    for i in range(out.size):  # from 0 over views: LLVM vectorises this, not offset indices
        out[i] = max(max(lo[i], hi[i]) - z[i], FLOW_DEPTH_MIN_M)


def friction_power(hf: np.ndarray, out: np.ndarray, start: int, stop: int) -> None:
    """out = hf^(-7/3) on faces start..stop-1, by numpy's vectorised power.

    Kept out of the compiled loops on purpose: the scalar libm pow a compiled
    loop calls costs about ten times numpy's SIMD power per face, and using
    numpy's here also gives bit for bit the reference path's friction factor.
    """
    np.power(hf[start:stop], -FRICTION_DEPTH_EXPONENT, out=out[start:stop])


@njit(cache=True, error_model="numpy", inline="always")
def _face_q(
    q_old: float,
    up: float,
    down: float,
    eta_lo: float,
    eta_hi: float,
    hf: float,
    power: float,
    g_n2: float,
    g_dt_dx: float,
    coefs: tuple[float, float, float],
) -> float:
    """One face of the local-inertial update (numpy: flood._update_face_discharge).

    ``hf`` is the flow depth clamped at FLOW_DEPTH_MIN_M, ``power`` hf^(-7/3),
    ``coefs`` (dt, theta, (1 - theta)/2). Written with selects, no branches.
    """
    dt, theta, half = coefs
    fric = abs(q_old) * g_n2 * power * dt + 1.0
    grad = (eta_hi - eta_lo) * hf * g_dt_dx
    centred = ((up + down) * half + theta * q_old - grad) / fric
    bates = (q_old - grad) / fric  # where the centred flux would run against the slope
    q = centred if (eta_lo - eta_hi) * centred >= 0.0 else bates
    return q if hf > FLOW_DEPTH_MIN_M else 0.0


@njit(cache=True, error_model="numpy")
def x_face_pass(
    eta: np.ndarray,
    px: np.ndarray,
    flow: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    buf: np.ndarray,
) -> None:
    """Update the x faces (face k joins cells k and k+1) of the box's rows, in place.

    ``px`` is the padded x discharge: px[k + 1] is face k, px[0] and px[-1]
    stay 0. ``flow`` is (clamped flow depth, its -7/3 power, g n^2) per face;
    ``coefs`` (dt, theta, g dt/dx). ``edges`` holds the old outflow of the
    west, east, north and south edges (one row each, padded to the longer side):
    the neighbours of the first and last face of a row at an open edge; beside
    a wall the face's own q. ``buf`` is scratch of nx + 1 values.
    """
    hf, power, g_n2 = flow
    dt, theta, g_dt_dx = coefs
    face_coefs = (dt, theta, 0.5 * (1.0 - theta))
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    c_end = min(c1 - 1, nx - 2)
    if c_end < c0:
        return
    for r in range(r0, r1 + 1):
        base = r * nx
        buf[1:nx] = px[base + 1 : base + nx]  # buf[c + 1]: old q of face c of this row
        buf[0] = -edges[WEST, r] if open_boundary else buf[1]
        buf[nx] = edges[EAST, r] if open_boundary else buf[nx - 1]
        a, b = base + c0, base + c_end + 1  # the faces stepped, as views from 0
        out, e_lo, e_hi = px[a + 1 : b + 1], eta[a:b], eta[a + 1 : b + 1]
        v_hf, v_pw, v_gn = hf[a:b], power[a:b], g_n2[a:b]
        up, old, down = buf[c0 : c_end + 1], buf[c0 + 1 : c_end + 2], buf[c0 + 2 : c_end + 3]
        for i in range(out.size):
            out[i] = _face_q(old[i], up[i], down[i], e_lo[i], e_hi[i], v_hf[i], v_pw[i],
                             v_gn[i], g_dt_dx, face_coefs)  # fmt: skip


@njit(cache=True, error_model="numpy")
def y_face_pass(
    eta: np.ndarray,
    py: np.ndarray,
    flow: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    coefs: tuple[float, float, float],
    bufs: np.ndarray,
) -> None:
    """Update the y faces (face k joins cells k and k+nx) of the box, in place.

    ``py`` is the padded y discharge: py[k + nx] is face k, the first and last
    nx values stay 0. ``flow`` and ``coefs`` as for :func:`x_face_pass`;
    ``bufs`` (3, nx) scratch: old q of the row above, of this row, and the
    faces below.
    """
    hf, power, g_n2 = flow
    dt, theta, g_dt_dx = coefs
    face_coefs = (dt, theta, 0.5 * (1.0 - theta))
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    ny = eta.size // nx
    r_end = min(r1 - 1, ny - 2)
    if r_end < r0:
        return
    above, here, below = bufs[0], bufs[1], bufs[2]
    above[:] = py[r0 * nx : r0 * nx + nx]  # face row r0 - 1: outside the box, never changed
    if r0 == 0:
        if open_boundary:
            above[:] = -edges[NORTH, :nx]
        else:
            above[:] = py[nx : 2 * nx]
    for r in range(r0, r_end + 1):
        base = r * nx
        here[:] = py[base + nx : base + 2 * nx]
        below[:] = py[base + 2 * nx : base + 3 * nx]
        if r == ny - 2:
            if open_boundary:
                below[:] = edges[SOUTH, :nx]
            else:
                below[:] = here
        a, b = base + c0, base + c1 + 1  # the faces stepped, as views from 0
        out, e_lo, e_hi = py[a + nx : b + nx], eta[a:b], eta[a + nx : b + nx]
        v_hf, v_pw, v_gn = hf[a:b], power[a:b], g_n2[a:b]
        up, old, down = above[c0 : c1 + 1], here[c0 : c1 + 1], below[c0 : c1 + 1]
        for i in range(out.size):
            out[i] = _face_q(old[i], up[i], down[i], e_lo[i], e_hi[i], v_hf[i], v_pw[i],
                             v_gn[i], g_dt_dx, face_coefs)  # fmt: skip
        above[:] = here


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


@njit(cache=True, error_model="numpy")
def limit_pass(
    h: np.ndarray,
    px: np.ndarray,
    py: np.ndarray,
    edge_q: np.ndarray,
    box: np.ndarray,
    nx: int,
    scale: float,
    ratio: np.ndarray,
) -> None:
    """ratio[c]: the share of its outflow cell c can afford (numpy: FloodModel._limit_outflow).

    need = scale * (sum of outgoing face q + edge outflow ``edge_q``) is the
    depth the cell would lose in the step (``scale`` = dt/dx (1 + margin)).
    """
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    for r in range(r0, r1 + 1):
        a, b = r * nx + c0, r * nx + c1 + 1  # this row's cells, as views from 0
        east, west, south, north = px[a + 1 : b + 1], px[a:b], py[a + nx : b + nx], py[a:b]
        out, depth, rim = ratio[a:b], h[a:b], edge_q[a:b]
        for i in range(out.size):
            need = max(east[i], 0.0) - min(west[i], 0.0) + max(south[i], 0.0) - min(north[i], 0.0)
            need = (need + rim[i]) * scale
            out[i] = depth[i] / need if need > depth[i] else 1.0


@njit(cache=True, error_model="numpy")
def scale_pass(p: np.ndarray, ratio: np.ndarray, box: np.ndarray, nx: int, step: int) -> None:
    """Scale each face's q by its donor's ratio (the low cell if q > 0, the high one if q < 0).

    ``p`` is a padded face array (x: step 1, y: step nx), face k at p[k + step].
    """
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    ny = ratio.size // nx
    last = min(r1, ny - 2) if step == nx else r1
    for r in range(r0, last + 1):
        a, b = r * nx + c0, min(r * nx + c1 + 1, ratio.size - step)
        if b <= a:
            continue
        q, lo, hi = p[a + step : b + step], ratio[a:b], ratio[a + step : b + step]
        for i in range(q.size):
            q[i] = q[i] * (lo[i] if q[i] > 0.0 else hi[i]) if q[i] != 0.0 else q[i]


@njit(cache=True, error_model="numpy")
def continuity_pass(
    h: np.ndarray,
    z: np.ndarray,
    eta: np.ndarray,
    faces: tuple[np.ndarray, np.ndarray, np.ndarray],
    box: np.ndarray,
    nx: int,
    steps: tuple[float, float],
    sources: tuple[np.ndarray, np.ndarray, bool],
    col_max: np.ndarray,
    wet_box: np.ndarray,
) -> float:
    """h += dt/dx (in - out) + inflow dt + rain dt over the box; returns the deepest cell.

    ``faces`` is (padded x q, padded y q, edge outflow per cell), already
    limited; ``steps`` (dt/dx, dt). ``sources`` is (inflow depth rate per cell,
    rain rate: one per cell or a single value, whether it is per cell), m/s.
    ``eta`` receives z + h. ``wet_box`` receives the bounding box (r0, r1, c0,
    c1) of the wet cells (r0 = -1: none); ``col_max`` is scratch of nx values.
    """
    px, py, edge_q = faces
    dt_dx, dt = steps
    inflow, rain, rain_is_grid = sources
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    h_max = 0.0
    wet_r0, wet_r1 = -1, -1
    for col in range(nx):
        col_max[col] = 0.0
    cols = col_max[c0 : c1 + 1]
    for r in range(r0, r1 + 1):
        a, b = r * nx + c0, r * nx + c1 + 1  # this row's cells, as views from 0
        west, east, north, south = px[a:b], px[a + 1 : b + 1], py[a:b], py[a + nx : b + nx]
        depth, surface, bed, rim, fed = h[a:b], eta[a:b], z[a:b], edge_q[a:b], inflow[a:b]
        wet = rain[a:b] if rain_is_grid else rain[0:1]
        step = 1 if rain_is_grid else 0
        row_max = 0.0
        for i in range(depth.size):
            dh = west[i] - east[i] + north[i] - south[i] - rim[i]
            d = depth[i] + dh * dt_dx + fed[i] * dt + wet[i * step] * dt
            depth[i] = d
            surface[i] = bed[i] + d
            row_max = max(row_max, d)
            cols[i] = max(cols[i], d)
        h_max = max(h_max, row_max)
        if row_max > 0.0:
            wet_r0 = r if wet_r0 < 0 else wet_r0
            wet_r1 = r
    wet_box[0], wet_box[1], wet_box[2], wet_box[3] = wet_r0, wet_r1, nx, -1
    for col in range(c0, c1 + 1):
        if col_max[col] > 0.0:
            wet_box[2] = min(wet_box[2], col)
            wet_box[3] = max(wet_box[3], col)
    return h_max


def warm() -> None:
    """Compile the kernels (or load them from numba's on-disk cache) on a tiny grid.

    Call it off the game's frame (a background thread or process) before the
    first drill minute, so compilation never falls on a frame. Idempotent.
    """
    from sim.hazards.flood import FloodModel

    for open_boundary in (True, False):
        model = FloodModel(np.zeros((4, 4)), 1.0, 0.03, open_boundary=open_boundary)
        model.depth_m[1, 1] = 0.1
        model.use_shock_capturing(np.ones((4, 4), dtype=bool))
        model.run_one_step(0.1, np.full((4, 4), 1.0))
        model.run_one_step(0.1, 1.0)
