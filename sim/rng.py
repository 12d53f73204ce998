"""The drill's only source of randomness, seeded from the scenario seed.

Only the raw uniform stream of numpy's PCG64 is used (``Generator.random``),
whose bits-to-double mapping is fixed; numpy's own distribution samplers may
change between numpy versions, and a drill log must replay byte for byte on
any machine. Binomial and normal draws are built from uniforms here.
"""

from __future__ import annotations

import math

import numpy as np

_SMALL_N = 40  # below this, a binomial is drawn exactly, one uniform per trial


class DrillRandom:
    """Seeded random draws for one drill (never shared between drills)."""

    def __init__(self, seed: int) -> None:
        self._gen = np.random.Generator(np.random.PCG64(seed))

    def uniform(self) -> float:
        return float(self._gen.random())

    def normal(self) -> float:
        """A standard normal deviate (Box–Muller on two uniforms)."""
        u1 = 1.0 - self.uniform()  # in (0, 1]
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def binomial(self, n: int, p: float) -> int:
        """How many of ``n`` independent trials with chance ``p`` succeed.

        Exact for small ``n``; a rounded normal approximation, clipped to
        [0, n], for large ``n`` (its error is far below the model's own).
        """
        if n <= 0 or p <= 0.0:
            return 0
        if p >= 1.0:
            return n
        if n < _SMALL_N:
            return int((self._gen.random(n) < p).sum())
        mean = n * p
        spread = math.sqrt(mean * (1.0 - p))
        return min(n, max(0, round(mean + spread * self.normal())))
