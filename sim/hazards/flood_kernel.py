"""The flood substep compiled with numba: the numpy kernel of ``sim.hazards.flood`` fused.

``FloodModel``'s numpy substep makes some sixty full-array passes; this module
does the same arithmetic in one loop per face set (local-inertial update with
q-centring), one over the open edges, and two over the cells (the outflow
limiter's ratio; then limited fluxes, continuity, rain and inflow, and the
deepest cell for the next time step). Loops run over a box holding every cell
that has ever been wet plus a margin of one cell (water moves at most one cell
per CFL-limited substep), so dry country costs nothing.

The numpy path stays the reference: every operation here is written in the
same order as there, so the two agree to round-off (the tests hold them to
1e-9 m on every case). ``FloodModel`` always takes the same path for a drill,
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


@njit(cache=True)
def _face_q(
    q_old: float,
    up: float,
    down: float,
    eta_lo: float,
    eta_hi: float,
    zmax: float,
    g_n2: float,
    dt: float,
    theta: float,
    dx: float,
) -> float:
    """One face of the local-inertial update (numpy: flood._update_face_discharge)."""
    hf = max(eta_lo, eta_hi) - zmax
    if not hf > FLOW_DEPTH_MIN_M:
        return 0.0
    fric = abs(q_old) * g_n2 * hf ** (-FRICTION_DEPTH_EXPONENT) * dt + 1.0
    grad = (eta_hi - eta_lo) * hf * (GRAVITY_M_PER_S2 * dt / dx)
    centred = ((up + down) * (0.5 * (1.0 - theta)) + theta * q_old - grad) / fric
    if (eta_lo - eta_hi) * centred >= 0.0:
        return centred
    return (q_old - grad) / fric


@njit(cache=True)
def x_face_pass(
    z: np.ndarray,
    h: np.ndarray,
    qx: np.ndarray,
    zmax: np.ndarray,
    g_n2: np.ndarray,
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    dt: float,
    dx: float,
    theta: float,
) -> None:
    """Update the x faces (face k joins cells k and k+1) inside ``box``, in place.

    ``edges`` holds the old outflow of the west, east, north and south edges
    (one row each, padded to the longer side): the neighbours of the first and
    last face of a row at an open edge; beside a wall the face's own q.
    """
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    c_end = min(c1 - 1, nx - 2)
    for r in range(r0, r1 + 1):
        base = r * nx
        if c0 > 0:
            up = qx[base + c0 - 1]
        elif open_boundary:
            up = -edges[WEST, r]
        else:
            up = qx[base]
        for c in range(c0, c_end + 1):
            k = base + c
            q_old = qx[k]
            if c < nx - 2:
                down = qx[k + 1]
            elif open_boundary:
                down = edges[EAST, r]
            else:
                down = q_old
            eta_lo, eta_hi = z[k] + h[k], z[k + 1] + h[k + 1]
            qx[k] = _face_q(q_old, up, down, eta_lo, eta_hi, zmax[k], g_n2[k], dt, theta, dx)
            up = q_old


@njit(cache=True)
def y_face_pass(
    z: np.ndarray,
    h: np.ndarray,
    qy: np.ndarray,
    zmax: np.ndarray,
    g_n2: np.ndarray,
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    dt: float,
    dx: float,
    theta: float,
    row_buf: np.ndarray,
) -> None:
    """Update the y faces (face k joins cells k and k+nx) inside ``box``, in place.

    ``row_buf`` (nx values) keeps the previous row's old discharges, the
    "up" neighbours of this row's faces.
    """
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    ny = h.size // nx
    for r in range(r0, min(r1 - 1, ny - 2) + 1):
        base = r * nx
        for c in range(c0, c1 + 1):
            k = base + c
            q_old = qy[k]
            if r > r0:
                up = row_buf[c]
            elif r > 0:
                up = qy[k - nx]
            elif open_boundary:
                up = -edges[NORTH, c]
            else:
                up = q_old
            if r < ny - 2:
                down = qy[k + nx]
            elif open_boundary:
                down = edges[SOUTH, c]
            else:
                down = q_old
            eta_lo, eta_hi = z[k] + h[k], z[k + nx] + h[k + nx]
            qy[k] = _face_q(q_old, up, down, eta_lo, eta_hi, zmax[k], g_n2[k], dt, theta, dx)
            row_buf[c] = q_old


@njit(cache=True)
def edge_pass(
    z: np.ndarray, h: np.ndarray, edges: np.ndarray, g_n2_cell: np.ndarray, nx: int, dt: float,
    dx: float,
) -> None:  # fmt: skip
    """Free outflow over the four open edges (numpy: FloodModel._update_edge_discharge)."""
    ny = h.size // nx
    for side in range(4):
        for i in range(ny if side < 2 else nx):
            if side == WEST:
                e, n = i * nx, i * nx + 1
            elif side == EAST:
                e, n = i * nx + nx - 1, i * nx + nx - 2
            elif side == NORTH:
                e, n = i, nx + i
            else:
                e, n = (ny - 1) * nx + i, (ny - 2) * nx + i
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


@njit(cache=True)
def _edge_out(edges: np.ndarray, c: int, nx: int, ny: int, ratio: float) -> float:
    """Outflow of cell c over the map edges, each scaled by ``ratio`` (1: unscaled)."""
    r, col = c // nx, c % nx
    total = 0.0
    if col == 0:
        edges[WEST, r] *= ratio
        total += edges[WEST, r]
    if col == nx - 1:
        edges[EAST, r] *= ratio
        total += edges[EAST, r]
    if r == 0:
        edges[NORTH, col] *= ratio
        total += edges[NORTH, col]
    if r == ny - 1:
        edges[SOUTH, col] *= ratio
        total += edges[SOUTH, col]
    return total


@njit(cache=True)
def limit_pass(
    h: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    scale: float,
    ratio: np.ndarray,
) -> None:
    """ratio[c]: the share of its outflow cell c can afford (numpy: FloodModel._limit_outflow).

    ``scale`` is dt/dx (1 + margin): need = scale * sum(outgoing q) is the
    depth the cell would lose.
    """
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    size = h.size
    ny = size // nx
    for r in range(r0, r1 + 1):
        for c in range(r * nx + c0, r * nx + c1 + 1):
            need = max(qx[c], 0.0) if c < size - 1 else 0.0
            if c >= 1:
                need -= min(qx[c - 1], 0.0)
            if c < size - nx:
                need += max(qy[c], 0.0)
            if c >= nx:
                need -= min(qy[c - nx], 0.0)
            if open_boundary:
                need += _edge_out(edges, c, nx, ny, 1.0)
            need *= scale
            ratio[c] = h[c] / need if need > h[c] else 1.0


@njit(cache=True)
def _limited(q: float, ratio: np.ndarray, donor_if_positive: int, donor_if_negative: int) -> float:
    if q > 0.0:
        return q * ratio[donor_if_positive]
    if q < 0.0:
        return q * ratio[donor_if_negative]
    return q


@njit(cache=True)
def continuity_pass(
    h: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    edges: np.ndarray,
    open_boundary: bool,
    box: np.ndarray,
    nx: int,
    dt_dx: float,
    dt: float,
    sources: tuple[np.ndarray, np.ndarray, bool],
    ratio: np.ndarray,
    wet_box: np.ndarray,
) -> float:
    """Limit the fluxes, then h += dt/dx (in - out) + inflow dt + rain dt; returns max h.

    Each cell writes back its east and south faces limited by their donors'
    ratio; its west and north faces were written by the cells before it.
    ``sources`` is (inflow depth rate per cell, rain rate: one per cell or a
    single value, whether the rain is per cell), all in m/s. ``wet_box``
    receives the bounding box (r0, r1, c0, c1) of the wet cells (r0 = -1: none).
    """
    inflow, rain, rain_is_grid = sources
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    size = h.size
    ny = size // nx
    h_max = 0.0
    wet_box[0], wet_box[1], wet_box[2], wet_box[3] = -1, -1, nx, -1
    for r in range(r0, r1 + 1):
        for c in range(r * nx + c0, r * nx + c1 + 1):
            dh = 0.0
            if c < size - 1:
                qx[c] = _limited(qx[c], ratio, c, c + 1)
                dh = -qx[c]
            if c >= 1:
                dh += qx[c - 1]
            if c < size - nx:
                qy[c] = _limited(qy[c], ratio, c, c + nx)
                dh -= qy[c]
            if c >= nx:
                dh += qy[c - nx]
            if open_boundary:
                dh -= _edge_out(edges, c, nx, ny, ratio[c])
            depth = h[c] + dh * dt_dx
            if inflow[c] > 0.0:
                depth += inflow[c] * dt
            depth += (rain[c] if rain_is_grid else rain[0]) * dt
            h[c] = depth
            h_max = max(h_max, depth)
            if depth > 0.0:
                if wet_box[0] < 0:
                    wet_box[0] = r
                wet_box[1] = r
                wet_box[2] = min(wet_box[2], c - r * nx)
                wet_box[3] = max(wet_box[3], c - r * nx)
    return h_max


@njit(cache=True)
def edge_outflow_sum(edges: np.ndarray, ny: int, nx: int) -> float:
    """Outflow over all edges per unit time (m^3/s per metre of cell side)."""
    total = 0.0
    for side in range(4):
        for i in range(ny if side < 2 else nx):
            total += edges[side, i]
    return total


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
