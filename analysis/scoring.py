"""The drill score: Annex A items to 0–100 (GB/T 46792-2025 Annex D manner), HSEEP ratings,
graded findings, and an outcome score normalised between the bot baselines.

* Process score: each Annex A dimension scores the share of its judged items
  passed (yes / (yes + no)); the drill's process score is the weighted mean
  of the dimensions that have judged items (equal weights unless the
  scenario's ``scoring.weights`` names a dimension). Items not applicable or
  not observable neither help nor hurt.
* Outcome score: a harm index (deaths-equivalents) placed between the idle
  bot (floor, 0) and the expert bot (par, 80) on the same scenario and seed,
  played to the same minute the drill ended at (a drill stopped early is
  compared with bots stopped there too); doing better than par climbs toward
  100 at zero harm.
* Total = process weight × process + outcome weight × outcome (0.4 / 0.6).
* HSEEP rating per capability: P ≥ 90, S ≥ 70, M ≥ 40, else U.
* Findings: failed items graded by severity — 不足项 (deficiency, critical),
  整改项 (to rectify, major), 改进项 (to improve, minor).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.drilldata import DrillData
from analysis.kpis import Kpi, all_kpis
from analysis.rubric import DIMENSIONS, HUMAN_ITEMS, Judgement, judge_all
from analysis.targets import SOURCES, targets_for

PAR_SCORE = 80.0
DEFAULT_WEIGHTS: dict[str, float] = {
    "process": 0.4,
    "outcome": 0.6,
    # Harm index, in deaths-equivalents (DrillCommand defaults; scenarios may override).
    "harm_deaths": 1.0,
    "harm_injuries": 0.1,
    "harm_trapped": 0.1,  # still trapped when the drill ended
    "harm_unmet_person_h": 0.001,  # 1,000 person-hours without basic needs ≈ one death
    "harm_above_aegl2": 0.1,
}
GRADE = {"critical": "deficiency", "major": "rectify", "minor": "improve"}
RATINGS = ((90.0, "P"), (70.0, "S"), (40.0, "M"), (0.0, "U"))


def weights_for(drill: DrillData) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    weights.update({d: 1.0 for d in DIMENSIONS})
    weights.update(drill.scenario.scoring.weights)
    return weights


def harm_parts(drill: DrillData, kpis: Mapping[str, Kpi] | None = None) -> dict[str, float]:
    """The raw figures the harm index weighs (cached for baselines, so weights may change)."""
    kpis = kpis or all_kpis(drill)
    # A log cut short has no end event: read its last sample, as the KPIs do, so it
    # is not let off its trapped people against baselines that ended properly.
    people = drill.outcome.get("people") or (
        drill.samples[-1].data.get("people", {}) if drill.samples else {}
    )
    parts = {
        "deaths": float(kpis["deaths"].value or 0),
        "injuries": float(kpis["injuries"].value or 0),
        "trapped": float(people.get("trapped", 0)),
        "unmet_person_h": float(kpis["unmet_need"].value or 0),
        "above_aegl2": float(kpis["above_aegl2"].value or 0),
    }
    return dict(sorted(parts.items()))


def harm_index(parts: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return round(sum(weights[f"harm_{k}"] * v for k, v in sorted(parts.items())), 4)


def outcome_score(harm: float, floor: float, par: float) -> float:
    """0 at the idle bot's harm, 80 at the expert's, 100 at no harm; clipped to 0–100."""
    if harm <= par:
        score = 100.0 if par <= 0 else PAR_SCORE + (100.0 - PAR_SCORE) * (par - harm) / par
    elif floor - par > 1e-9:
        score = PAR_SCORE * (floor - harm) / (floor - par)
    else:  # the bots do equally well here: only par or worse can be told apart
        score = PAR_SCORE * max(0.0, 1.0 - (harm - par) / max(par, 1.0))
    return round(min(100.0, max(0.0, score)), 2)


def rating(score: float | None) -> str:
    if score is None:
        return "-"
    return next(letter for bound, letter in RATINGS if score >= bound)


def dimension_scores(judged: list[Judgement]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for dim in DIMENSIONS:
        mine = [j for j in judged if j.dimension == dim]
        yes = sum(1 for j in mine if j.result == "yes")
        no = sum(1 for j in mine if j.result == "no")
        score = round(100.0 * yes / (yes + no), 2) if yes + no else None
        out[dim] = {
            "score": score,
            "rating": rating(score),
            "yes": yes,
            "no": no,
            "human": len(HUMAN_ITEMS[dim]) + sum(1 for j in mine if j.result == "not_observable"),
        }
    return out


def process_score(dims: Mapping[str, Mapping[str, Any]], weights: Mapping[str, float]) -> float:
    scored = [(weights[d], v["score"]) for d, v in dims.items() if v["score"] is not None]
    total_w = sum(w for w, _ in scored)
    return round(sum(w * s for w, s in scored) / total_w, 2) if total_w else 0.0


def findings(judged: list[Judgement]) -> list[dict[str, Any]]:
    """Failed items, most severe first, each with its grade and the figures behind it."""
    order = {"critical": 0, "major": 1, "minor": 2}
    failed = sorted((j for j in judged if j.result == "no"), key=lambda j: order[j.severity])
    return [
        {"item": j.item, "dimension": j.dimension, "grade": GRADE[j.severity], "params": j.params}
        for j in failed
    ]


def score_drill(drill: DrillData, baseline_parts: Mapping[str, Mapping[str, float]]) -> dict:
    """The whole score card of a drill as plain JSON data (same log → same bytes).

    ``baseline_parts`` maps ``"idle"`` and ``"expert"`` to :func:`harm_parts`
    of those bots on the same scenario and seed (see :mod:`analysis.baselines`).
    """
    kpis = all_kpis(drill)
    judged = judge_all(drill, kpis)
    weights = weights_for(drill)
    dims = dimension_scores(judged)
    parts = harm_parts(drill, kpis)
    harm = harm_index(parts, weights)
    floor = harm_index(baseline_parts["idle"], weights)
    par = harm_index(baseline_parts["expert"], weights)
    outcome = outcome_score(harm, floor, par)
    process = process_score(dims, weights)
    w_p, w_o = weights["process"], weights["outcome"]
    total = round((w_p * process + w_o * outcome) / (w_p + w_o), 2)
    header = drill.header
    return {
        "scenario_id": header.get("scenario_id"),
        "scenario_hash": header.get("scenario_hash"),
        "seed": header.get("seed"),
        "engine_version": header.get("engine_version"),
        "targets": targets_for(drill).to_json(),
        "sources": SOURCES,
        "weights": dict(sorted(weights.items())),
        "kpis": {k: v.to_json() for k, v in kpis.items()},
        "judgements": [j.to_json() for j in judged],
        "dimensions": dims,
        "human_items": {d: list(v) for d, v in HUMAN_ITEMS.items()},
        "process_score": process,
        "outcome": {
            "harm": harm,
            "floor": floor,
            "par": par,
            "score": outcome,
            "parts": parts,
            "baselines": {k: dict(sorted(v.items())) for k, v in sorted(baseline_parts.items())},
        },
        "total": total,
        "findings": findings(judged),
    }
