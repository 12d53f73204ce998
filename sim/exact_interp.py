"""numpy's linear interpolation, for many tables at once, to the bit.

``np.interp`` takes one table per call; the engine asks many tables (the people's
schedules, the flood's river sections) at many points each minute. Callers find, by
one search over all the tables laid end to end, the last knot at or before each
point; :func:`interp_from_knots` then does numpy's own arithmetic (``arr_interp`` in
numpy/_core/src/multiarray/compiled_base.c), the same IEEE operations in the same
order, so the values are ``np.interp``'s to the bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def interp_from_knots(
    at: np.ndarray,
    j: np.ndarray,
    starts: np.ndarray,
    last: np.ndarray,
    t: np.ndarray,
    fs: Sequence[np.ndarray],
) -> list[np.ndarray]:
    """``np.interp(at, t_i, f_i)`` for each value table f of ``fs``, given ``j``.

    Args:
        at: the points (any shape; no NaN).
        j: for each point, the last knot of its table at or before it, counted from
            the table's start (-1 before the first knot).
        starts, last: each point's table's first index in ``t`` and its last knot
            (size - 1), broadcast against ``at``.
        t: every table's knots laid end to end, each table ascending.
        fs: value tables laid out as ``t``.

    Before the first knot the first value, at or after the last the last value, on a
    knot its value, else ``slope * (x - t[j]) + f[j]`` with ``slope = (f[j+1] - f[j])
    / (t[j+1] - t[j])``, and if that is NaN the same from the knot after (then f[j] if
    both values agree).
    """
    k = np.minimum(np.maximum(j, 0), last) + starts  # the knot whose value stands, if one does
    # Strictly between two knots (j < last, and t[j] <= x < t[j+1], x not on t[j]): the
    # gap t[j+1] - t[j] is then > 0 and the slope finite unless the gap underflows.
    between = (j >= 0) & (j < last) & (t[k] != at)
    results = []
    for f in fs:
        value = f[k]
        if between.any():
            ka = k[between]
            x, ta, tb, fa, fb = at[between], t[ka], t[ka + 1], f[ka], f[ka + 1]
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                slope = (fb - fa) / (tb - ta)
                inner = slope * (x - ta) + fa
                nan = np.isnan(inner)
                if nan.any():
                    inner[nan] = slope[nan] * (x[nan] - tb[nan]) + fb[nan]
                    still = np.isnan(inner) & (fa == fb)
                    inner[still] = fa[still]
            value[between] = inner
        results.append(value)
    return results
