"""Event grades: which response level an event calls for.

Two scales, shared by the expert bot (to escalate) and the review (to judge
whether the level set was in proportion):

* by harm — 《生产安全事故报告和调查处理条例》 (State Council Decree 493) §3:
  特别重大 ≥30 deaths or ≥100 serious injuries (I), 重大 ≥10 or ≥50 (II),
  较大 ≥3 or ≥10 (III), 一般 below that (IV);
* by reach — the people in the places the event reached, who need protecting
  or relocating. 《国家自然灾害救助应急预案》 grades its response by the
  number of people needing emergency relocation; its thresholds are set for a
  whole province, so DrillCommand scales them to a county: ≥20,000 (I),
  ≥5,000 (II), ≥1,000 (III).

Levels are ranked 0 (none) to 4 (I).
"""

from __future__ import annotations

from sim.scenario.schema import ResponseLevel

# (deaths, injuries, rank): Decree 493 §3.
HARM_GRADES = ((30, 100, 4), (10, 50, 3), (3, 10, 2))
# (people reached, rank): DrillCommand default, county scale (see the module docstring).
REACH_GRADES = ((20_000, 4), (5_000, 3), (1_000, 2))

LEVEL_OF_RANK = {
    0: ResponseLevel.NONE,
    1: ResponseLevel.IV,
    2: ResponseLevel.III,
    3: ResponseLevel.II,
    4: ResponseLevel.I,
}


def harm_rank(deaths: int, injuries: int, happened: bool = True) -> int:
    """The rank the harm done calls for: IV (1) for any event, 0 if nothing happened."""
    for dead_min, hurt_min, rank in HARM_GRADES:
        if deaths >= dead_min or injuries >= hurt_min:
            return rank
    return 1 if happened else 0


def reach_rank(people_reached: int) -> int:
    """The rank the number of people in the event's reach calls for (at least IV)."""
    for people_min, rank in REACH_GRADES:
        if people_reached >= people_min:
            return rank
    return 1
