"""Harm as expected counts: the dice are kept out of who is killed, hurt or trapped.

A hazard's harm to a cohort over one step is its expected value, ``people ×
chance``, in whole people, with the fraction carried to the next step of the
same cohort (same cause, place, state and outcome) so nothing is lost to
rounding and a chance of 0.3 a step harms three people in ten steps, exactly.

Why not draw it: a drill is scored, and the score must measure the commander,
not the luck. Drawn harm moved the wildfire drill's deaths with nobody in
command between 45 and 64 from one seed to the next (one binomial draw per
zone per step), as much as several of the score's items. The luck that stays
in the drill is in people's behaviour, drawn in :mod:`sim.rng`: who hears a
warning, who leaves when.
"""

from __future__ import annotations

import math
from collections.abc import Hashable


class Tally:
    """Expected counts with the fractions carried, one running fraction per cohort key."""

    def __init__(self) -> None:
        self._carry: dict[Hashable, float] = {}

    def count(self, key: Hashable, people: int, chance: float) -> int:
        """Whole people out of ``people`` that ``chance`` harms this step, for cohort ``key``."""
        if people <= 0 or chance <= 0.0:
            return 0
        want = people * min(1.0, chance) + self._carry.get(key, 0.0)
        n = min(people, math.floor(want))
        # Carry what is left below one person; when the cohort itself runs out, nothing.
        self._carry[key] = want - n if n < people else 0.0
        return n
