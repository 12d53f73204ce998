"""The decisions that cost most: where a drill lost more than the expert bot's on the same
seed, and what each of them did there and when.

How cost is attributed (computed from the two logs only, nothing estimated):

1. **Harm is located.** Each ``PeopleHarmed`` event counts at a *place*: the
   incident it names as its cause when an inject made that incident and both
   drills had it (a crash, a building fire), else the zone it happened in (a
   hazard's harm, and the harm at incidents the hazard made because people
   were still in its way: those follow from how the zone was protected).
   Each zone also carries its peak number of people above AEGL-2. Harm is
   weighed as the outcome score weighs it
   (:func:`analysis.scoring.weights_for`: a death 1, an injury, a trapped
   person or a person above AEGL-2 0.1 by default), so costs add up to the
   part of the harm index that has a place. Unmet needs are counted drill-wide
   by the score and have no place here; nor do the injured an incident brings
   with it (the same in every drill).
2. **A place's cost** is the trainee's harm there minus the expert's there,
   both played on the same scenario and seed. Only places where the trainee
   lost more count; the costliest come first.
3. **The decision** at a place is the step the trainee took latest compared
   with the expert: for a zone, its first warning or its first protective
   order (evacuate or shelter in place), "never" counting as the drill's end;
   for an incident, the first unit sent to it. When the trainee took every
   step no later than the expert, the protective order is named (the cost then
   lies in what was ordered, not when).
4. **Caught in between**: the people harmed at that place in the trainee's
   drill (dead, injured, trapped) from the expert's step to the trainee's (or
   to the end, if the trainee never took it).

:func:`place_record` reduces one drill to this per-place record (plain JSON, so
the expert's is cached in the records database next to its score);
:func:`costliest` compares two records. Both the debrief and the report read
the result, ``card["costliest"]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analysis.drilldata import DrillData
from analysis.kpis import arrivals_by_hazard, zone_counts_at
from analysis.scoring import weights_for

TOP = 3  # decisions shown
EXPERT_PLACES_BOT = "expert-places"  # records key (bot column) + the analysis fingerprint
MIN_COST = 0.05  # deaths-equivalents: below this a place's difference is not a decision's cost
PROTECTIVE = {"EvacuationOrdered": "evacuate", "ShelterInPlaceOrdered": "shelter"}
IN_HARMS_WAY = (0, 1, 2)  # unaware, warned, evacuating: PersonState order in StateSampled "zones"


def _first(times: dict[str, float], key: str, t_min: float) -> None:
    if key not in times or t_min < times[key]:
        times[key] = t_min


def _zone_steps(drill: DrillData) -> dict[str, dict[str, Any]]:
    """Per zone: first warning, first protective order and its kind (evacuate / shelter)."""
    steps: dict[str, dict[str, Any]] = {}
    for e in drill.of("WarningIssued", *PROTECTIVE):
        zone = str(e.data["zone"])
        mine = steps.setdefault(zone, {})
        if e.kind == "WarningIssued":
            mine.setdefault("warn", e.t_min)
        elif "protect" not in mine:
            mine["protect"], mine["action"] = e.t_min, PROTECTIVE[e.kind]
    return steps


def _incident_steps(drill: DrillData) -> dict[str, float]:
    sent: dict[str, float] = {}
    for e in drill.of("UnitDispatched"):
        if e.data.get("order") == "incident":
            _first(sent, str(e.data["target"]), e.t_min)
    return sent


def _aegl2_peaks(drill: DrillData) -> dict[str, int]:
    peak: dict[str, int] = {}
    for s in drill.samples:
        for m in s.data.get("hazards", {}).values():
            for zone, n in m.get("people_above_aegl2_by_zone", {}).items():
                peak[zone] = max(peak.get(zone, 0), int(n))
    return peak


def _arrivals(drill: DrillData) -> dict[str, list[Any]]:
    """Per zone the hazard reached: [minute, hazard id, people not yet out of harm's way then]."""
    out: dict[str, list[Any]] = {}
    for zone, (t, hazard) in sorted(arrivals_by_hazard(drill).items()):
        counts = zone_counts_at(drill, t).get(zone)
        if counts is not None:
            out[zone] = [t, hazard, int(sum(counts[i] for i in IN_HARMS_WAY))]
    return out


def place_record(drill: DrillData) -> dict[str, Any]:
    """One drill reduced to what the attribution compares (plain JSON).

    ``incidents``: id → zone of every incident; ``kinds``: id → its kind;
    ``injected``: the incidents an inject made (not a hazard); ``harm``: per zone and per
    incident cause, a list of ``[t_min, dead, injured, trapped]``; ``aegl2``:
    peak people above AEGL-2 per zone; ``zones``: first warning / protective
    order (and its kind) per zone; ``sent``: first unit sent per incident;
    ``arrivals``: per zone the hazard reached, [minute, hazard id, people still in harm's
    way then (unaware, warned or on the road)]; ``end_min``: when the drill ended.
    """
    hazards = {h.id for h in drill.scenario.hazards}
    incidents = {
        str(e.data["incident"]): str(e.data.get("zone", "")) for e in drill.of("IncidentCreated")
    }
    kinds = {
        str(e.data["incident"]): str(e.data.get("kind", "")) for e in drill.of("IncidentCreated")
    }
    injected = sorted(
        str(e.data["incident"])
        for e in drill.of("IncidentCreated")
        if str(e.data.get("source", "")) not in hazards
    )
    harm: dict[str, list[list[float]]] = {}
    for e in drill.of("PeopleHarmed"):
        d = e.data
        row = [e.t_min, int(d.get("dead", 0)), int(d.get("injured", 0)), int(d.get("trapped", 0))]
        cause = str(d.get("cause", ""))
        key = f"incident:{cause}" if cause in incidents else f"zone:{d.get('zone')}"
        harm.setdefault(key, []).append(row)
    return {
        "incidents": incidents,
        "kinds": kinds,
        "injected": injected,
        "harm": harm,
        "aegl2": _aegl2_peaks(drill),
        "zones": _zone_steps(drill),
        "sent": _incident_steps(drill),
        "arrivals": _arrivals(drill),
        "end_min": drill.end_min,
    }


def _located(record: Mapping[str, Any], shared: set[str]) -> dict[str, list[list[float]]]:
    """Harm rows by place: incidents both drills had keep their own place, others go to their
    zone."""
    out: dict[str, list[list[float]]] = {}
    for key, rows in record["harm"].items():
        kind, _, ident = key.partition(":")
        if kind == "incident" and ident not in shared:
            key = f"zone:{record['incidents'].get(ident, '')}"
        out.setdefault(key, []).extend(rows)
    return out


def _weigh(rows: list[list[float]], exposed: int, w: Mapping[str, float]) -> float:
    dead = sum(r[1] for r in rows)
    injured = sum(r[2] for r in rows)
    trapped = sum(r[3] for r in rows)
    return (
        w["harm_deaths"] * dead
        + w["harm_injuries"] * injured
        + w["harm_trapped"] * trapped
        + w["harm_above_aegl2"] * exposed
    )


def _people(rows: list[list[float]], exposed: int = 0) -> dict[str, int]:
    return {
        "dead": int(sum(r[1] for r in rows)),
        "injured": int(sum(r[2] for r in rows)),
        "trapped": int(sum(r[3] for r in rows)),
        "above_aegl2": int(exposed),
    }


def _steps(record: Mapping[str, Any], place: str) -> dict[str, Any]:
    kind, _, ident = place.partition(":")
    if kind == "zone":
        return dict(record["zones"].get(ident, {}))
    sent = record["sent"].get(ident)
    return {} if sent is None else {"send": sent}


def _decision(mine: Mapping[str, Any], expert: Mapping[str, Any], kind: str, end: float) -> str:
    """The step the trainee took latest compared with the expert (see the module's rule 3)."""
    if kind == "incident":
        return "send"
    late = {
        step: mine.get(step, end) - expert.get(step, math.inf)
        for step in ("warn", "protect")
        if step in mine or step in expert
    }
    worst = max(late, key=lambda s: (late[s], s == "protect"), default="protect")
    return worst if late.get(worst, 0.0) > 0 else "protect"


def costliest(
    trainee: Mapping[str, Any],
    expert: Mapping[str, Any],
    weights: Mapping[str, float],
    top: int = TOP,
) -> list[dict[str, Any]]:
    """The ``top`` places where ``trainee`` lost most against ``expert`` (two
    :func:`place_record`\\ s of the same scenario and seed), costliest first.

    Each entry: ``place`` ("zone:<id>" or "incident:<id>"), ``cost`` (deaths-equivalents
    more than the expert there), ``share`` (of the whole located gap), ``people`` (the
    trainee's harm there), ``expert_people``, ``step`` (warn / protect / send), the
    trainee's and the expert's minute for it (``None``: never) and ``action`` of each (for
    a protective order), ``between`` (people harmed there between the two minutes) and, for a
    zone the hazard reached, ``arrival`` ([minute, hazard id, people still in harm's way]) and
    ``expert_in_harms_way`` (the same count in the expert's drill).
    """
    shared = set(trainee["injected"]) & set(expert["injected"])
    mine, theirs = _located(trainee, shared), _located(expert, shared)
    places = set(mine) | {f"zone:{z}" for z in trainee["aegl2"]}
    rows = []
    for place in sorted(places):
        zone = place.partition(":")[2] if place.startswith("zone:") else None
        exposed = int(trainee["aegl2"].get(zone, 0)) if zone else 0
        expert_exposed = int(expert["aegl2"].get(zone, 0)) if zone else 0
        cost = _weigh(mine.get(place, []), exposed, weights) - _weigh(
            theirs.get(place, []), expert_exposed, weights
        )
        if cost >= MIN_COST:
            rows.append(_entry(place, cost, trainee, expert, mine, theirs, exposed, expert_exposed))
    gap = sum(r["cost"] for r in rows)
    rows.sort(key=lambda r: (-r["cost"], r["place"]))
    for r in rows:
        r["share"] = round(r["cost"] / gap, 4) if gap else 0.0
    return rows[:top]


def _entry(
    place: str,
    cost: float,
    trainee: Mapping[str, Any],
    expert: Mapping[str, Any],
    mine: Mapping[str, list[list[float]]],
    theirs: Mapping[str, list[list[float]]],
    exposed: int,
    expert_exposed: int,
) -> dict[str, Any]:
    kind = place.partition(":")[0]
    end = float(trainee["end_min"])
    my_steps, expert_steps = _steps(trainee, place), _steps(expert, place)
    step = _decision(my_steps, expert_steps, kind, end)
    at, expert_at = my_steps.get(step), expert_steps.get(step)
    start = expert_at if expert_at is not None else 0.0
    stop = at if at is not None else end
    between = (
        sum(r[1] + r[2] + r[3] for r in mine.get(place, []) if start <= r[0] < stop)
        if stop > start
        else 0
    )
    return {
        "place": place,
        "cost": round(cost, 3),
        "people": _people(mine.get(place, []), exposed),
        "expert_people": _people(theirs.get(place, []), expert_exposed),
        "step": step,
        "at_min": at,
        "expert_at_min": expert_at,
        "action": my_steps.get("action") if step == "protect" else None,
        "expert_action": expert_steps.get("action") if step == "protect" else None,
        "between": int(between),
        "expert_had_incident": kind != "incident" or place.partition(":")[2] in expert["incidents"],
        **_arrival_fields(place, trainee, expert),
        **_incident_fields(place, trainee),
    }


def _incident_fields(place: str, trainee: Mapping[str, Any]) -> dict[str, Any]:
    """An incident's kind and zone, so it can be named by whoever reads the entry (a report
    of a stopped drill has not seen the incidents of its played-out end)."""
    kind, _, ident = place.partition(":")
    if kind != "incident":
        return {}
    return {
        "incident_kind": trainee.get("kinds", {}).get(ident, ""),
        "incident_zone": trainee["incidents"].get(ident, ""),
    }


def _arrival_fields(
    place: str, trainee: Mapping[str, Any], expert: Mapping[str, Any]
) -> dict[str, Any]:
    kind, _, zone = place.partition(":")
    arrival = trainee.get("arrivals", {}).get(zone) if kind == "zone" else None
    if arrival is None:
        return {}
    theirs = expert.get("arrivals", {}).get(zone)
    return {"arrival": arrival, "expert_in_harms_way": None if theirs is None else theirs[2]}


def for_drill(
    whole: DrillData, records: Any | None = None, expert: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The costliest decisions of ``whole`` (a drill played to its end), against the expert bot
    on its scenario and seed: ``expert`` (a :func:`place_record`) if given, else from the
    records cache, else played now (and cached when ``records`` is given)."""
    if expert is None:
        expert = expert_record(whole, records)
    return costliest(place_record(whole), expert, weights_for(whole))


def expert_key(drill: DrillData) -> tuple[str, int, str, str]:
    """(scenario hash, seed, engine, bot) under which the expert's record is cached."""
    from analysis.baselines import analysis_build, baseline_key

    scenario_hash, _, engine = baseline_key(drill)
    bot = f"{EXPERT_PLACES_BOT}@{analysis_build()}"
    return scenario_hash, int(drill.header["seed"]), engine, bot


def expert_record(
    drill: DrillData, records: Any | None = None, played: DrillData | None = None
) -> dict[str, Any]:
    """The expert bot's :func:`place_record` on ``drill``'s scenario and seed: from the
    records database when cached there, else from ``played`` (the expert's drill, if the
    caller has it) or played now; saved to ``records`` when given."""
    key = expert_key(drill)
    cached = records.baseline(*key) if records is not None else None
    if cached is not None:
        return dict(cached)
    if played is None:
        from analysis.baselines import play

        played = play(drill, "expert")
    record = place_record(played)
    if records is not None:
        records.save_baseline(*key, record)
    return record


def clock(drill: DrillData, t_min: float) -> str:
    """A drill minute as the clock read it (the scenario's start time + minutes), HH:MM."""
    hours, minutes = (int(x) for x in str(drill.scenario.meta.start_time).split(":")[:2])
    total = int(hours * 60 + minutes + t_min) % (24 * 60)  # the minute it was in
    return f"{total // 60:02d}:{total % 60:02d}"


def _step_text(tr: Any, who: str, entry: Mapping[str, Any], place: str, at: str | None) -> str:
    step = entry["step"]
    action = entry["action" if who == "you" else "expert_action"]
    if at is None:
        return tr(f"cost.{who}_never.{step}", place=place)
    suffix = f".{action}" if step == "protect" and action else ""
    return tr(f"cost.{who}.{step}{suffix}", place=place, at=at)


def describe(entry: Mapping[str, Any], drill: DrillData, names: Any) -> dict[str, str]:
    """One costly decision in words (``names``: :class:`analysis.names.Names`): ``place``,
    ``decision`` (you and the expert, with clock times), ``arrival`` (for a zone the hazard
    reached: how many were still in its way then, yours and the expert's), ``harm`` (people
    harmed there, yours and the expert's), ``between`` (harmed between the two times) and
    ``cost``."""
    tr = names.tr
    kind, _, ident = str(entry["place"]).partition(":")
    if kind == "zone":
        place = names.zone(ident)
    elif entry.get("incident_kind") and not names.knows_incident(ident):
        place = tr(
            "name.incident",
            kind=tr(f"incident_kind.{entry['incident_kind']}"),
            zone=names.zone(entry.get("incident_zone")),
        )
    else:
        place = names.incident(ident)
    at = None if entry["at_min"] is None else clock(drill, entry["at_min"])
    expert_at = None if entry["expert_at_min"] is None else clock(drill, entry["expert_at_min"])
    if kind == "incident" and not entry.get("expert_had_incident", True):
        expert_text = tr("cost.expert_no_incident")
    else:
        expert_text = _step_text(tr, "expert", entry, place, expert_at)
    you = _step_text(tr, "you", entry, place, at)
    between = ""
    if entry["between"] and expert_at is not None:
        key = "cost.between" if at is not None else "cost.since"
        between = tr(key, n=f"{entry['between']:,}")
    arrival = ""
    if entry.get("arrival"):
        t, hazard, n = entry["arrival"]
        theirs = entry.get("expert_in_harms_way")
        key = "cost.arrival" if theirs is not None else "cost.arrival_alone"
        arrival = tr(
            key,
            hazard=names.front(hazard),
            at=clock(drill, t),
            n=f"{n:,}",
            expert_n=f"{theirs or 0:,}",
        )
    return {
        "place": place,
        "decision": tr("cost.decision", you=you, expert=expert_text),
        "arrival": arrival,
        "between": between,
        "harm": people_text(entry["people"], names),
        "expert_harm": people_text(entry["expert_people"], names),
        "cost": tr("cost.cost", cost=f"{entry['cost']:.1f}"),
    }


def people_text(people: Mapping[str, int], names: Any) -> str:
    """The parts that are not zero: "12 dead, 230 injured" / "死亡12人、受伤230人"."""
    parts = [
        names.tr(f"cost.part.{k}", n=f"{int(people.get(k, 0)):,}")
        for k in ("dead", "injured", "trapped", "above_aegl2")
        if people.get(k, 0)
    ]
    return names.listing(parts) if parts else names.tr("cost.nobody")
