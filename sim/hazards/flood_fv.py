"""Shock-capturing finite volumes for the flood where the local-inertial scheme fails.

The local-inertial scheme of ``sim.hazards.flood`` drops the advection term of
the shallow-water equations, which is fine for slow, friction-dominated flood
spreading (Froude number well below 1; de Almeida & Bates 2013, Water Resour.
Res. 49: 4833-4844) but makes a dam-break wave run far too slowly: its front
on a dry bed should move at 2 sqrt(g h0) (Ritter 1892). Around a levee breach
the model therefore solves the full shallow-water equations in a zone of
cells, as LISFLOOD-FP 8 does with its FV1 solver (Shaw et al. 2021, Geosci.
Model Dev. 14: 3577-3602):

- first-order Godunov-type finite volumes, conserved state (h, hu, hv) at cell
  centres, HLL fluxes with the dry-bed wave speeds of Toro (2001,
  *Shock-Capturing Methods for Free-Surface Shallow Flows*, Wiley, ch. 10);
- the hydrostatic reconstruction of Audusse et al. (2004, SIAM J. Sci. Comput.
  25: 2050-2065) for the bed: well balanced (a lake at rest stays at rest) and
  depth-positive under a CFL number of 1/2;
- Manning friction, semi-implicit (as the local-inertial faces).

Coupling: a face belongs to the zone when either of its cells does; its mass
flux (h u) replaces the local-inertial face discharge, so there is one flux
per face and the volume books of ``FloodModel`` stay exact. A local-inertial
cell beside the zone enters an interface flux with its depth and the velocity
of its own faces' discharges (mean of the two, over its depth).
This module is pure numpy: no clock, no random state, no I/O.
"""

from __future__ import annotations

import numpy as np

# Standard gravity (m/s^2), CGPM 1901 conventional value (as sim.hazards.flood).
GRAVITY_M_PER_S2 = 9.80665
# Courant number of the finite-volume step, dt = CFL dx / max(|u| + sqrt(g h)):
# 1/2 keeps the 2-D first-order scheme with hydrostatic reconstruction
# depth-positive (Audusse et al. 2004) and is LISFLOOD-FP 8's FV1 default
# (Shaw et al. 2021).
FV_CFL = 0.5
# Below this depth a cell has no velocity (its momentum is dropped): the dry
# tolerance of LISFLOOD-FP 8's FV1 solver (1e-3 m, Shaw et al. 2021), the same
# as the local-inertial flow-depth threshold.
FV_DRY_DEPTH_M = 1e-3
# Exponent of h in the Manning friction of the momentum, g n^2 |V| hu / h^(4/3).
FV_FRICTION_DEPTH_EXPONENT = 4.0 / 3.0


def hll_flux(
    h_l: np.ndarray,
    un_l: np.ndarray,
    ut_l: np.ndarray,
    h_r: np.ndarray,
    un_r: np.ndarray,
    ut_r: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """HLL flux of the 2-D shallow-water equations across a face (Toro 2001).

    Args:
        h_l, h_r: depths (m) left and right of the face, >= 0.
        un_l, un_r: velocities (m/s) normal to the face, positive left to right.
        ut_l, ut_r: velocities (m/s) along the face.

    Returns:
        (mass, normal momentum, tangential momentum) fluxes per unit width:
        (m^2/s, m^3/s^2, m^3/s^2). Zero where both sides are dry.

    Wave speeds: s_L = min(u_L - c_L, u* - c*), s_R = max(u_R + c_R, u* + c*)
    with the two-rarefaction estimates u*, c*; beside a dry side the dry-front
    speeds u -/+ 2c (Toro 2001, eqs 10.21-10.23).
    """
    g = GRAVITY_M_PER_S2
    c_l, c_r = np.sqrt(g * h_l), np.sqrt(g * h_r)
    u_star = 0.5 * (un_l + un_r) + c_l - c_r
    c_star = 0.5 * (c_l + c_r) + 0.25 * (un_l - un_r)
    dry_l, dry_r = h_l <= 0.0, h_r <= 0.0
    s_l = np.where(dry_l, un_r - 2.0 * c_r, np.minimum(un_l - c_l, u_star - c_star))
    s_r = np.where(dry_r, un_l + 2.0 * c_l, np.maximum(un_r + c_r, u_star + c_star))
    s_l = np.where(dry_r & ~dry_l, un_l - c_l, s_l)
    s_r = np.where(dry_l & ~dry_r, un_r + c_r, s_r)
    q_l, q_r = h_l * un_l, h_r * un_r
    flux_l = (q_l, q_l * un_l + 0.5 * g * h_l**2, q_l * ut_l)
    flux_r = (q_r, q_r * un_r + 0.5 * g * h_r**2, q_r * ut_r)
    state_l, state_r = (h_l, q_l, h_l * ut_l), (h_r, q_r, h_r * ut_r)
    span = s_r - s_l
    safe = np.where(span > 0.0, span, 1.0)
    out = []
    for f_l, f_r, u_l, u_r in zip(flux_l, flux_r, state_l, state_r, strict=True):
        middle = (s_r * f_l - s_l * f_r + s_l * s_r * (u_r - u_l)) / safe
        f = np.where(s_l >= 0.0, f_l, np.where(s_r <= 0.0, f_r, middle))
        out.append(np.where(dry_l & dry_r, 0.0, f))
    return out[0], out[1], out[2]


class ShockZone:
    """The finite-volume zone of one FloodModel: its cells, faces and momentum.

    Flat layout as ``FloodModel``: x face k joins cells k and k+1, y face k
    joins cells k and k+nx. ``hu``/``hv`` (m^2/s) hold the momentum of zone
    cells (zero elsewhere).
    """

    def __init__(self, shape: tuple[int, int]) -> None:
        ny, nx = shape
        self.shape = shape
        self.nx = nx
        self.cells = np.zeros(ny * nx, dtype=bool)
        self.hu = np.zeros(ny * nx)
        self.hv = np.zeros(ny * nx)
        self.x_faces = np.empty(0, dtype=np.int64)
        self.y_faces = np.empty(0, dtype=np.int64)
        self.cell_index = np.empty(0, dtype=np.int64)
        # Work arrays of the compiled kernel (sim.hazards.flood_fv_kernel).
        self.x_out = np.empty((4, 0))
        self.y_out = np.empty((4, 0))
        self.scratch = (np.zeros(ny * nx), np.zeros(ny * nx))
        self.touched = np.empty(0, dtype=np.int64)  # cells on either side of a zone face
        self.uv = (np.zeros(ny * nx), np.zeros(ny * nx))  # their velocities, once a substep

    @property
    def active(self) -> bool:
        return self.cell_index.size > 0

    def add(self, mask: np.ndarray, qx: np.ndarray, qy: np.ndarray, h: np.ndarray) -> None:
        """Add the cells of a (ny, nx) mask to the zone, but for a border of two cells.

        The map-edge cells and their inner neighbours stay local-inertial: the
        open-edge outflow continues the surface slope of the first interior
        face, a closure that holds only between two local-inertial faces (with
        a finite-volume face there, a lake at rest beside an open edge drained).
        New cells take their momentum from their faces' discharges (qx, qy:
        local-inertial face q, h: flat depths), so switching scheme moves no water.
        """
        ny, nx = self.shape
        inner = np.zeros(self.shape, dtype=bool)
        inner[2:-2, 2:-2] = mask[2:-2, 2:-2]
        new = inner.ravel() & ~self.cells
        if not new.any():
            return
        hu, hv = cell_discharge(qx, qy, nx)
        wet = h > FV_DRY_DEPTH_M
        self.hu[new] = np.where(wet[new], hu[new], 0.0)
        self.hv[new] = np.where(wet[new], hv[new], 0.0)
        self.cells |= new
        cells = self.cells
        x_face = np.zeros(ny * nx - 1, dtype=bool)
        x_face |= cells[:-1] | cells[1:]
        x_face[nx - 1 :: nx] = False  # row-wrap faces are not faces
        self.x_faces = np.flatnonzero(x_face).astype(np.int64)
        self.y_faces = np.flatnonzero(cells[:-nx] | cells[nx:]).astype(np.int64)
        self.cell_index = np.flatnonzero(cells).astype(np.int64)
        sides = (self.x_faces, self.x_faces + 1, self.y_faces, self.y_faces + nx)
        self.touched = np.unique(np.concatenate(sides)).astype(np.int64)
        self.x_out = np.zeros((4, self.x_faces.size))
        self.y_out = np.zeros((4, self.y_faces.size))

    def stable_dt(self, h: np.ndarray, dx: float) -> float:
        """Largest finite-volume step (s): FV_CFL dx / max(max(|u|, |v|) + sqrt(g h))."""
        idx = self.cell_index
        d = h[idx]
        wet = d > FV_DRY_DEPTH_M
        if not wet.any():
            return np.inf
        d = d[wet]
        speed = np.maximum(np.abs(self.hu[idx][wet]), np.abs(self.hv[idx][wet])) / d
        return float(FV_CFL * dx / (speed + np.sqrt(GRAVITY_M_PER_S2 * d)).max())

    def velocities(
        self, h: np.ndarray, qx: np.ndarray, qy: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cell velocities (u, v) (m/s), flat: zone cells from their momentum,
        other cells from their faces' mean discharge; 0 in dry cells."""
        hu, hv = cell_discharge(qx, qy, self.nx)
        hu = np.where(self.cells, self.hu, hu)
        hv = np.where(self.cells, self.hv, hv)
        wet = h > FV_DRY_DEPTH_M
        safe = np.where(wet, h, 1.0)
        return np.where(wet, hu / safe, 0.0), np.where(wet, hv / safe, 0.0)

    def face_fluxes(
        self,
        eta: np.ndarray,
        zmax: np.ndarray,
        h: np.ndarray,
        un: np.ndarray,
        ut: np.ndarray,
        faces: np.ndarray,
        step: int,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Fluxes across zone faces with the hydrostatic reconstruction.

        Args:
            eta, h: flat surface (m) and depth (m) of every cell.
            zmax: bed of each face, max(z_lo, z_hi) (m).
            un, ut: flat cell velocities normal and along the faces (m/s).
            faces: face indices; step: 1 for x faces, nx for y faces.

        Returns:
            (mass, normal momentum seen by the low cell, by the high cell,
            tangential momentum) per unit width. The two normal momentum fluxes
            differ by Audusse et al.'s (2004) bed terms g/2 (h^2 - h*^2).
        """
        lo, hi = faces, faces + step
        z_star = zmax[faces]
        h_lo = np.maximum(0.0, eta[lo] - z_star)  # h* = max(0, eta - max(z_lo, z_hi))
        h_hi = np.maximum(0.0, eta[hi] - z_star)
        mass, normal, along = hll_flux(h_lo, un[lo], ut[lo], h_hi, un[hi], ut[hi])
        half_g = 0.5 * GRAVITY_M_PER_S2
        normal_lo = normal + half_g * (h[lo] ** 2 - h_lo**2)
        normal_hi = normal + half_g * (h[hi] ** 2 - h_hi**2)
        return mass, normal_lo, normal_hi, along

    def update_momentum(
        self,
        x: tuple[np.ndarray, np.ndarray, np.ndarray],
        y: tuple[np.ndarray, np.ndarray, np.ndarray],
        h: np.ndarray,
        g_n2: np.ndarray,
        dt: float,
        dx: float,
    ) -> None:
        """hu, hv of zone cells after a step: flux divergence, then Manning friction.

        Args:
            x, y: per face set (normal momentum seen by the low cell, by the
                high cell, tangential momentum), already scaled as the
                outflow limiter scaled the face's mass flux.
            h: flat depths at the end of the step (m).
            g_n2: flat g n^2 of every cell.
        """
        nx = self.nx
        d_hu = np.zeros(h.size)
        d_hv = np.zeros(h.size)
        for (normal_lo, normal_hi, along), faces, step, d_n, d_t in (
            (x, self.x_faces, 1, d_hu, d_hv),
            (y, self.y_faces, nx, d_hv, d_hu),
        ):
            d_n[faces] -= normal_lo  # leaves the low cell across its high side
            d_n[faces + step] += normal_hi
            d_t[faces] -= along
            d_t[faces + step] += along
        idx = self.cell_index
        hu = self.hu[idx] + dt / dx * d_hu[idx]
        hv = self.hv[idx] + dt / dx * d_hv[idx]
        d = h[idx]
        wet = d > FV_DRY_DEPTH_M
        safe = np.where(wet, d, 1.0)
        speed = np.hypot(hu, hv) / safe
        # semi-implicit Manning: (hu)/(1 + dt g n^2 |V| / h^(4/3))
        friction = 1.0 + dt * g_n2[idx] * speed * safe**-FV_FRICTION_DEPTH_EXPONENT
        self.hu[idx] = np.where(wet, hu / friction, 0.0)
        self.hv[idx] = np.where(wet, hv / friction, 0.0)

    def speed(self, h: np.ndarray) -> np.ndarray:
        """|V| (m/s) of zone cells, in the order of ``cell_index``."""
        idx = self.cell_index
        d = h[idx]
        wet = d > FV_DRY_DEPTH_M
        return np.where(wet, np.hypot(self.hu[idx], self.hv[idx]) / np.where(wet, d, 1.0), 0.0)


def cell_discharge(qx: np.ndarray, qy: np.ndarray, nx: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell discharge (hu, hv) per unit width (m^2/s): mean of each cell's two face q.

    Row-wrap x faces carry 0; map-edge faces are not in qx/qy and count as 0.
    """
    size = qx.size + 1
    hu = np.zeros(size)
    hv = np.zeros(size)
    hu[:-1] += 0.5 * qx  # the cell's east face
    hu[1:] += 0.5 * qx  # the cell's west face
    hv[:-nx] += 0.5 * qy
    hv[nx:] += 0.5 * qy
    return hu, hv
