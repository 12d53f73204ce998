"""The drill's randomness: one seed, one independent stream per purpose and place.

Every draw is taken from a stream named by its purpose and its place (warning
reach in a zone, departures from a zone, harm by a hazard in a zone, deaths
while waiting at an incident, ...), so that a command which changes what
happens in one place does not reshuffle the luck of every other place: each
stream is a child of the drill seed made the way numpy's documentation
advises for independent streams, ``SeedSequence(seed, spawn_key=...)``
("Parallel random number generation": a child may be made directly from its
spawn key). The key is the purpose's and the place's names (UTF-8 words),
so a stream does not depend on the order in which streams are first used.

Only the raw uniform stream of numpy's PCG64 is used (``Generator.random``),
whose bits-to-double mapping is fixed; numpy's own distribution samplers may
change between numpy versions, and a drill log must replay byte for byte on
any machine. ``SeedSequence`` hashing is likewise fixed by numpy's
compatibility policy. Binomial and normal draws are built from uniforms here.
"""

from __future__ import annotations

import math

import numpy as np

_SMALL_N = 40  # below this, a binomial is drawn exactly, one uniform per trial
# Above this variance a rounded normal stands in for the binomial (skew and the clip at 0
# are negligible there: Box, Hunter & Hunter's rule np(1-p) > 9, taken generously).
_NORMAL_MIN_VARIANCE = 25.0

# The purposes of the engine's draws (the first part of every stream's key).
WARNING_REACH = "warning_reach"  # per zone and channel: who hears a broadcast or SMS
DEPARTURE = "departure"  # per zone: when warned people set off
SHELTER_IN_PLACE = "shelter_in_place"  # per zone: when warned people go indoors
# Harm is not drawn: it is counted as expected values (sim.tally).


class RandomStream:
    """Draws from one PCG64 stream: uniforms, and normal and binomial built from them."""

    def __init__(self, generator: np.random.Generator) -> None:
        self._gen = generator

    def uniform(self) -> float:
        return float(self._gen.random())

    def normal(self) -> float:
        """A standard normal deviate (Box–Muller on two uniforms)."""
        u1 = 1.0 - self.uniform()  # in (0, 1]
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def binomial(self, n: int, p: float) -> int:
        """How many of ``n`` independent trials with chance ``p`` succeed.

        Exact for small ``n`` (one uniform per trial) and wherever the
        variance is small (inversion of the binomial distribution with one
        uniform); a rounded normal approximation, clipped to [0, n], only where
        the variance is large enough for it to be unbiased. (Clipping a normal
        at 0 inflated rare outcomes: a mean of 0.3 deaths a step came out as
        0.37, a quarter too many, step after step.)
        """
        if n <= 0 or p <= 0.0:
            return 0
        if p >= 1.0:
            return n
        if n < _SMALL_N:
            return int((self._gen.random(n) < p).sum())
        variance = n * p * (1.0 - p)
        if variance < _NORMAL_MIN_VARIANCE:
            if p > 0.5:  # count the rarer outcome, then turn it round
                return n - self._invert(n, 1.0 - p)
            return self._invert(n, p)
        mean = n * p
        return min(n, max(0, round(mean + math.sqrt(variance) * self.normal())))

    def _invert(self, n: int, p: float) -> int:
        """Exact binomial draw by inverting its distribution (p ≤ 0.5, small variance)."""
        u = self.uniform()
        ratio = p / (1.0 - p)
        pmf = math.exp(n * math.log1p(-p))  # P(0)
        cumulative, k = pmf, 0
        while cumulative < u and k < n:
            pmf *= ratio * (n - k) / (k + 1)
            k += 1
            cumulative += pmf
            if pmf < 1e-300:  # the tail beyond double precision: u fell in rounding
                break
        return k


class DrillRandom(RandomStream):
    """Seeded random draws for one drill (never shared between drills).

    The engine draws only from :meth:`stream`; the drill's own (root) stream
    stays for callers that have no place to name.
    """

    def __init__(self, seed: int) -> None:
        super().__init__(np.random.Generator(np.random.PCG64(seed)))
        self._seed = seed
        self._streams: dict[tuple[str, ...], RandomStream] = {}

    def stream(self, purpose: str, *place: str) -> RandomStream:
        """The stream for ``purpose`` at ``place`` (names: zone id, hazard id, incident id).

        The same names always give the same stream for the same seed, whenever
        it is first asked for; different names give independent streams.
        """
        key = (purpose, *place)
        found = self._streams.get(key)
        if found is None:
            spawn_key = tuple(word for name in key for word in _words(name))
            seeds = np.random.SeedSequence(self._seed, spawn_key=spawn_key)
            found = RandomStream(np.random.Generator(np.random.PCG64(seeds)))
            self._streams[key] = found
        return found


def _words(name: str) -> list[int]:
    """A name as 32-bit words: its byte length, then its UTF-8 bytes (prefix-free)."""
    data = name.encode("utf-8")
    padded = data + b"\0" * (-len(data) % 4)
    return [len(data), *(int(w) for w in np.frombuffer(padded, dtype="<u4"))]
