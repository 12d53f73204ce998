"""The drill score: Annex A items weighted by severity, an outcome on one scale for every
drill, HSEEP ratings and graded findings.

* **Outcome** — the share of the preventable harm the commander prevented.
  The harm index (deaths-equivalents, :data:`HARM_SOURCES`) is placed on one
  straight line between two anchors, the means of the idle bot's drills on
  the same scenario over several seeds, neither of them the expert bot:
  *doing nothing* (the idle bot, 0) and *what no commander could have
  prevented* (the harm the unchecked event did before
  any warning could reach anyone, plus the injured an inject brings with it:
  100). One slope throughout, so a commander better than the bot shows as
  better, and a result worse than doing nothing scores below 0 and is shown
  as such. Harm per 1,000 people at risk is reported beside it, for
  comparing drills.
* **Process** — each judged item weighs by its severity (critical 3, major 2,
  minor 1) times its dimension's weight (1 unless the scenario's
  ``scoring.weights`` names the dimension); the process score is the weighted
  share of judged items met. An item is "not applicable" only when the
  scenario (or the unchecked event) makes it so, never because the trainee
  did not act — save "orders were valid", which judges the orders given and
  has none to judge in a drill without orders (doing nothing fails the items
  that ask for action).
* **Total** = 0.4 × process + 0.6 × outcome, clipped to 0–100; then, if any
  critical item failed, capped at 40, far below the pass mark of 60: a
  failed critical task fails the drill (AQ/T 9009-2015 §6 否决项 practice;
  HSEEP 2020 §5 critical tasks).
* HSEEP rating per capability: P ≥ 90, S ≥ 70, M ≥ 40, else U, held to what the
  log shows the capability doing (:func:`capability_facts`), as HSEEP defines the
  letters: a capability that did nothing (protection: kept no more than the 1 %
  of the people no warning reaches out of harm's way) is U ("unable to be performed") even
  when the items that only forbid mistakes passed for want of action; one that
  did something is at least M ("performed with major challenges"); a failed
  critical item keeps it at M or below. The rating explains; it weighs nothing.
* Findings: failed items graded by severity — 不足项 (deficiency, critical),
  整改项 (to rectify, major), 改进项 (to improve, minor).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analysis.drilldata import DrillData
from analysis.kpis import (
    AEGL2_RESIDUAL_SHARE,
    MIN_NOTICE_MIN,
    Kpi,
    all_kpis,
    hazard_arrivals,
    hazard_known_min,
)
from analysis.rubric import DIMENSIONS, HUMAN_ITEMS, Judgement, judge_all
from analysis.targets import sources_for, targets_for

PASS_MARK = 60.0  # GB/T 46792-2025 Annex D: 60 of 100 is a pass (合格)
FAILED_CAP = 40.0  # a drill that failed a critical task: far below the pass (DrillCommand)
DEFAULT_WEIGHTS: dict[str, float] = {
    "process": 0.4,
    "outcome": 0.6,
    # Harm index, in deaths-equivalents (DrillCommand defaults; scenarios may override).
    "harm_deaths": 1.0,
    "harm_injuries": 0.1,
    "harm_trapped": 0.1,  # still trapped when the drill ended
    "harm_unmet_person_h": 0.0001,  # 10,000 person-hours without basic needs ≈ one death
    "harm_above_aegl2": 0.1,
}
# Where each harm weight comes from (shown in the report beside the breakdown).
HARM_SOURCES: dict[str, str] = {
    "deaths": "deaths-equivalent unit (1 per death)",
    "injuries": "0.1 per injured person: a serious injury weighs about a tenth of a death, "
    "as Decree 493 §3 grades 10 deaths with 50 serious injuries (1:5) and "
    "the US DOT value-of-statistical-life guidance weighs serious injuries 0.1–0.27",
    "trapped": "0.1 per person still trapped at the end, as an injury",
    "unmet_person_h": "0.0001 per person-hour without water, food or a place to stay: "
    "10,000 person-hours (more than a year of one person's life) ≈ one death; the national "
    "relief plan (《国家自然灾害救助应急预案》) allows 10 h to meet needs, so a few hours' "
    "wait must not outweigh the lives an evacuation saves",
    "above_aegl2": "0.1 per person exposed above AEGL-2 (irreversible effects, US EPA/NRC), "
    "as an injury",
}
# Severity weights of the items (DrillCommand; critical tasks weigh most, HSEEP 2020 §5).
SEVERITY_WEIGHT = {"critical": 3.0, "major": 2.0, "minor": 1.0}
SEVERITY_SOURCE = (
    "DrillCommand: critical 3, major 2, minor 1 (HSEEP 2020 §5 critical tasks; "
    "AQ/T 9009-2015 §6 veto items); × the dimension's scenario weight"
)
GRADE = {"critical": "deficiency", "major": "rectify", "minor": "improve"}
RATINGS = ((90.0, "P"), (70.0, "S"), (40.0, "M"), (0.0, "U"))


def weights_for(drill: DrillData) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    weights.update({d: 1.0 for d in DIMENSIONS})
    weights.update(drill.scenario.scoring.weights)
    return weights


def _people_now(drill: DrillData) -> Mapping[str, Any]:
    # A log cut short has no end event: read its last sample, as the KPIs do.
    return drill.outcome.get("people") or (
        drill.samples[-1].data.get("people", {}) if drill.samples else {}
    )


def harm_parts(drill: DrillData, kpis: Mapping[str, Kpi] | None = None) -> dict[str, float]:
    """The raw figures the harm index weighs (cached for baselines, so weights may change)."""
    kpis = kpis or all_kpis(drill)
    parts = {
        "deaths": float(kpis["deaths"].value or 0),
        "injuries": float(kpis["injuries"].value or 0),
        "trapped": float(_people_now(drill).get("trapped", 0)),
        "unmet_person_h": float(kpis["unmet_need"].value or 0),
        "above_aegl2": float(kpis["above_aegl2"].value or 0),
    }
    return dict(sorted(parts.items()))


def warning_horizon_min(drill: DrillData) -> float:
    """The first minute any warning could have reached people, however fast the commander.

    The hazard becomes known (first ``HazardStarted``, else the first incident),
    and the quickest channel needs :data:`analysis.kpis.MIN_NOTICE_MIN` to
    reach its people.
    """
    known = hazard_known_min(drill)
    if known is None:
        first = drill.first("IncidentCreated")
        known = first.t_min if first else 0.0
    return known + MIN_NOTICE_MIN


def unavoidable_parts(idle: DrillData) -> dict[str, float]:
    """Harm no commander could have prevented, read from the unchecked (idle) drill.

    The deaths and injuries hazards did before any warning could have reached
    anyone (:func:`warning_horizon_min`), and the injured that incidents bring
    with them when they happen (a crash's victims). Everything later, and all
    trapped, unmet need and exposure in zones a warning could reach, was
    preventable in principle.
    """
    horizon = warning_horizon_min(idle)
    early = [e for e in idle.of("PeopleHarmed") if e.t_min < horizon]
    brought = sum(
        int(e.data.get("people", 0))
        for e in idle.of("IncidentCreated")
        if e.data.get("kind") == "casualties"
    )
    parts = {
        "deaths": float(sum(int(e.data.get("dead", 0)) for e in early)),
        "injuries": float(sum(int(e.data.get("injured", 0)) for e in early) + brought),
        "trapped": 0.0,
        "unmet_person_h": 0.0,
        "above_aegl2": 0.0,
    }
    return dict(sorted(parts.items()))


def forecast(idle: DrillData) -> dict[str, Any]:
    """What the event does unchecked (the idle drill): harm, reach, and when it reached each zone.

    This is the forecast the response level and over-reaction are judged
    against, so neither depends on the trainee's own results.
    """
    from analysis.kpis import people_reached

    parts = harm_parts(idle)
    return {
        "deaths": parts["deaths"],
        "injuries": parts["injuries"],
        "people_reached": float(people_reached(idle)),
        "arrivals": {z: round(t, 4) for z, t in sorted(hazard_arrivals(idle).items())},
    }


def baseline_figures(idle: DrillData) -> dict[str, Any]:
    """Everything scoring needs from the idle drill, as plain JSON (cached per scenario/seed)."""
    return {
        "idle": harm_parts(idle),
        "unavoidable": unavoidable_parts(idle),
        "forecast": forecast(idle),
    }


def mean_figures(runs: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The anchors of several idle drills (seeds) as one: the mean harm of each, and the
    forecast's mean harm, largest reach and earliest arrival in each zone."""
    n = float(len(runs))

    def mean(part: str) -> dict[str, float]:
        keys = sorted(runs[0][part])
        return {k: round(sum(float(r[part][k]) for r in runs) / n, 4) for k in keys}

    arrivals: dict[str, float] = {}
    for run in runs:
        for zone, t in run["forecast"]["arrivals"].items():
            arrivals[zone] = min(t, arrivals.get(zone, t))
    forecasts = [r["forecast"] for r in runs]
    return {
        "idle": mean("idle"),
        "unavoidable": mean("unavoidable"),
        "forecast": {
            "deaths": round(sum(f["deaths"] for f in forecasts) / n, 4),
            "injuries": round(sum(f["injuries"] for f in forecasts) / n, 4),
            "people_reached": max(f["people_reached"] for f in forecasts),
            "arrivals": dict(sorted(arrivals.items())),
        },
        "runs": len(runs),
    }


def harm_index(parts: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return round(sum(weights[f"harm_{k}"] * v for k, v in sorted(parts.items())), 4)


def outcome_score(harm: float, floor: float, ceiling: float) -> float | None:
    """Share of the preventable harm prevented, in %: 0 at ``floor`` (doing nothing), 100 at
    ``ceiling`` (only the unpreventable harm). Below 0 when worse than doing nothing; at most
    100. ``None`` when the scenario leaves nothing to prevent."""
    preventable = floor - ceiling
    if preventable <= 1e-9:
        return None
    return round(min(100.0, 100.0 * (floor - harm) / preventable), 2)


def rating(
    score: float | None, performed: bool | None = None, critical_failed: bool = False
) -> str:
    """The HSEEP letter of a capability's score, held to the facts when they are given:
    ``performed`` False (the log shows it doing nothing) is U whatever passed; True lifts a
    U to M (it was done, with major challenges); ``critical_failed`` keeps it at M or below."""
    if score is None:
        return "-"
    letter = next(letter for bound, letter in RATINGS if score >= bound)
    if performed is False:
        return "U"
    if performed and letter == "U":
        letter = "M"
    if critical_failed and letter in ("P", "S"):
        letter = "M"
    return letter


def capability_facts(drill: DrillData) -> dict[str, int]:
    """What the log shows each capability doing, as one count (0: it did nothing).

    protection: the most people out of harm's way (evacuated or sheltering) at once;
    warning_reporting: warnings and reports upward; public_information: warnings;
    mobilisation: levels set and reinforcements requested; monitoring: zones given a
    warning or protective order; command: orders carried out; handling: units sent to
    incidents; cordon: units sent to work in zones; medical: people rescued or taken to
    hospital; resources: supplies delivered and shelters opened; recovery: incidents
    closed.
    """
    count = {k: len(drill.of(*kinds)) for k, kinds in FACT_EVENTS.items()}
    protected = [
        int(s.data.get("people", {}).get("evacuated", 0))
        + int(s.data.get("people", {}).get("sheltering", 0))
        for s in drill.samples
    ]
    count["protection"] = max(protected, default=0)
    sent = [str(e.data.get("order")) for e in drill.of("UnitDispatched")]
    count["handling"], count["cordon"] = sent.count("incident"), sent.count("zone")
    count["command"] = sum(1 for e in drill.of("CommandIssued") if e.data.get("accepted"))
    count["monitoring"] = len({str(e.data.get("zone")) for e in drill.of(*PROTECTIVE_EVENTS)})
    count["medical"] = sum(
        int(e.data.get("people", 0)) for e in drill.of("PeopleRescued", "PeopleHospitalised")
    )
    return count


FACT_EVENTS = {
    "warning_reporting": ("WarningIssued", "ReportSubmitted"),
    "public_information": ("WarningIssued",),
    "mobilisation": ("ResponseLevelSet", "ReinforcementRequested"),
    "resources": ("SuppliesDelivered", "ShelterOpened"),
    "recovery": ("IncidentResolved",),
}
PROTECTIVE_EVENTS = ("WarningIssued", "EvacuationOrdered", "ShelterInPlaceOrdered")


def least_done(drill: DrillData) -> dict[str, int]:
    """The least a capability's count (:func:`capability_facts`) must reach to say it did
    something: one, but for protection more than the 1 % of the people no warning system
    reaches (:data:`analysis.kpis.AEGL2_RESIDUAL_SHARE`): four people out of 13,000 is not
    protecting a town."""
    people = sum(drill.zone_population.values())
    return {"protection": max(1, math.floor(AEGL2_RESIDUAL_SHARE * people) + 1)}


def dimension_scores(
    judged: list[Judgement],
    facts: Mapping[str, int] | None = None,
    least: Mapping[str, int] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per Annex A dimension: the severity-weighted share of its judged items met, its HSEEP
    rating held to ``facts`` (:func:`capability_facts`) and the fact itself (``done``)."""
    out: dict[str, dict[str, Any]] = {}
    for dim in DIMENSIONS:
        mine = [j for j in judged if j.dimension == dim]
        yes = sum(1 for j in mine if j.result == "yes")
        no = sum(1 for j in mine if j.result == "no")
        w_yes = sum(SEVERITY_WEIGHT[j.severity] for j in mine if j.result == "yes")
        w_all = sum(SEVERITY_WEIGHT[j.severity] for j in mine if j.result in ("yes", "no"))
        score = round(100.0 * w_yes / w_all, 2) if w_all else None
        done = None if facts is None or dim not in facts else int(facts[dim])
        critical = any(j.severity == "critical" and j.result == "no" for j in mine)
        out[dim] = {
            "score": score,
            "rating": rating(
                score, None if done is None else done >= (least or {}).get(dim, 1), critical
            ),
            "yes": yes,
            "no": no,
            "human": len(HUMAN_ITEMS[dim]) + sum(1 for j in mine if j.result == "not_observable"),
        }
        if done is not None:
            out[dim]["done"] = done
    return out


def item_points(
    judged: list[Judgement], weights: Mapping[str, float]
) -> tuple[float, list[dict[str, Any]]]:
    """The process score (0–100) and, per judged item, its weight and the total points it gives.

    An item's points are its share of the process part of the total (0.4 × 100
    by default): weight / Σ weights of judged items × process share × 100.
    """
    share = weights["process"] / (weights["process"] + weights["outcome"])
    judged_w = {
        j.item: SEVERITY_WEIGHT[j.severity] * weights[j.dimension]
        for j in judged
        if j.result in ("yes", "no")
    }
    total_w = sum(judged_w.values())
    rows = []
    got = 0.0
    for j in judged:
        w = judged_w.get(j.item, 0.0)
        worth = 100.0 * share * w / total_w if total_w else 0.0
        earned = worth if j.result == "yes" else 0.0
        got += w if j.result == "yes" else 0.0
        rows.append(
            {"item": j.item, "weight": w, "max_points": round(worth, 2), "points": round(earned, 2)}
        )
    process = round(100.0 * got / total_w, 2) if total_w else 0.0
    return process, rows


def critical_cap(judged: list[Judgement]) -> float | None:
    """The cap a failed critical item puts on the total, or None when every one was met.

    A failed critical task fails the drill, whatever else went well (AQ/T
    9009-2015 §6 veto items): the total is capped at :data:`FAILED_CAP`, well
    below the pass mark, so a failed drill never reads as a near pass.
    """
    failed = [j for j in judged if j.severity == "critical" and j.result == "no"]
    return FAILED_CAP if failed else None


def findings(judged: list[Judgement]) -> list[dict[str, Any]]:
    """Failed items, most severe first, each with its grade and the figures behind it."""
    order = {"critical": 0, "major": 1, "minor": 2}
    failed = sorted((j for j in judged if j.result == "no"), key=lambda j: order[j.severity])
    return [
        {"item": j.item, "dimension": j.dimension, "grade": GRADE[j.severity], "params": j.params}
        for j in failed
    ]


def harm_breakdown(
    parts: Mapping[str, float], weights: Mapping[str, float]
) -> list[dict[str, Any]]:
    """Each harm figure, its weight, its deaths-equivalents and the source of the weight."""
    return [
        {
            "part": k,
            "value": v,
            "weight": weights[f"harm_{k}"],
            "equivalent": round(weights[f"harm_{k}"] * v, 4),
            "source": HARM_SOURCES[k],
        }
        for k, v in sorted(parts.items())
    ]


def people_at_risk(drill: DrillData, figures: Mapping[str, Any]) -> int:
    """People in the zones the unchecked event reaches, plus those caught in incidents."""
    return int(figures.get("forecast", {}).get("people_reached", 0))


def _outcome_card(
    drill: DrillData, parts: dict[str, float], figures: Mapping[str, Any], weights: dict
) -> dict[str, Any]:
    harm = harm_index(parts, weights)
    floor = harm_index(figures["idle"], weights)
    ceiling = harm_index(figures["unavoidable"], weights)
    score = outcome_score(harm, floor, ceiling)
    at_risk = people_at_risk(drill, figures)
    return {
        "harm": harm,
        "floor": floor,
        "ceiling": ceiling,
        "score": score,
        "worse_than_idle": harm > floor + 1e-9,
        "parts": parts,
        "breakdown": harm_breakdown(parts, weights),
        "people_at_risk": at_risk,
        "harm_per_1000_at_risk": round(1000.0 * harm / at_risk, 3) if at_risk else None,
        "baselines": {
            k: dict(sorted(figures[k].items())) for k in ("idle", "unavoidable") if k in figures
        },
    }


def score_drill(drill: DrillData, figures: Mapping[str, Any]) -> dict:
    """The whole score card of a drill as plain JSON data (same log → same bytes).

    ``figures`` are the anchors: :func:`mean_figures` of :func:`baseline_figures` of
    the idle bot's drills on the scenario (see :mod:`analysis.baselines`), or one
    idle drill's :func:`baseline_figures`.
    """
    kpis = all_kpis(drill, figures.get("forecast"))
    judged = judge_all(drill, kpis, figures.get("forecast"))
    weights = weights_for(drill)
    dims = dimension_scores(judged, capability_facts(drill), least_done(drill))
    process, points = item_points(judged, weights)
    outcome = _outcome_card(drill, harm_parts(drill, kpis), figures, weights)
    w_p, w_o = weights["process"], weights["outcome"]
    if outcome["score"] is None:  # nothing preventable in this scenario: process alone
        raw = process
    else:
        raw = (w_p * process + w_o * outcome["score"]) / (w_p + w_o)
    cap = critical_cap(judged)
    total = round(max(0.0, min(100.0, raw, cap if cap is not None else 100.0)), 2)
    header = drill.header
    return {
        "scenario_id": header.get("scenario_id"),
        "scenario_hash": header.get("scenario_hash"),
        "seed": header.get("seed"),
        "engine_version": header.get("engine_version"),
        "targets": targets_for(drill).to_json(),
        "sources": sources_for(drill),
        "weights": dict(sorted(weights.items())),
        "severity_weights": SEVERITY_WEIGHT,
        "severity_source": SEVERITY_SOURCE,
        "kpis": {k: v.to_json() for k, v in kpis.items()},
        "judgements": [j.to_json() for j in judged],
        "points": points,
        "dimensions": dims,
        "human_items": {d: list(v) for d, v in HUMAN_ITEMS.items()},
        "process_score": process,
        "outcome": outcome,
        "uncapped_total": round(max(0.0, min(100.0, raw)), 2),
        "critical_cap": cap,
        "pass_mark": PASS_MARK,
        "total": total,
        "findings": findings(judged),
    }
