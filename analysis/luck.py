"""How much of a score is luck: the trainee's own orders replayed on other seeds.

A drill's luck is its seed: who hears a warning, who is hurt, who dies
waiting. Replaying the same orders, at the same minutes, on other seeds
(each scored against its own anchors) shows the band a score would have
fallen in with other luck, so a reviewer can tell a real difference from
chance. Orders that no longer make sense on another seed (an incident that
did not happen there) are refused there, as they would have been.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from analysis.baselines import figures_for, played_out, replayed_on
from analysis.drilldata import DrillData
from analysis.records import Records


def luck_band(
    drill: DrillData,
    seeds: Iterable[int],
    score: Callable[[DrillData, Mapping[str, Any]], Mapping[str, Any]],
    records: Records | None = None,
) -> dict[str, Any]:
    """Totals of the same orders on each seed (the drill's own seed included, played out).

    ``score`` is the scoring function (drill, anchors) -> card. Returns the
    seeds, their totals, and the band's low, high and half-width.
    """
    own = int(drill.header["seed"])
    totals: dict[int, float] = {}
    for seed in sorted({own, *seeds}):
        other = played_out(drill) if seed == own else replayed_on(drill, seed)
        totals[seed] = float(score(other, figures_for(other, records))["total"])
    low, high = min(totals.values()), max(totals.values())
    return {
        "seeds": list(totals),
        "totals": [round(t, 2) for t in totals.values()],
        "low": round(low, 2),
        "high": round(high, 2),
        "half_width": round((high - low) / 2.0, 2),
    }
