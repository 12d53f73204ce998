"""Words that state a drill's targets: the figures its own scenario set, never the defaults.

A scenario may set its own targets (``scoring.targets``); every label that states
one (the basic-needs item "… met within 3 h", its indicator and its source)
states the drill's figure, and the sources table says where each figure came from:
set by the drill (and which field), or the default and its reference. An item the
log cannot judge because the drill ends first says so, and how to make it judgeable.

Pure functions of the score card, the drill and a translator ``tr``; the report
(:mod:`analysis.report`) and the ladder's listing use them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from analysis.i18n import fmt
from analysis.targets import SET_BY_SCENARIO
from sim.scenario.schema import ScoringTargets

Tr = Callable[..., str]
DEFAULTS: dict[str, float] = ScoringTargets().model_dump()
# Source key (analysis.targets.SOURCES) -> the scenario's field for its figure, and its unit.
TARGET_FIELDS = SET_BY_SCENARIO
# Labels that state the basic-needs target: each has a variant "<key>.within" with {hours}.
NEEDS_LABELS = frozenset({"item.needs_met_10h", "kpi.needs_met", "source.needs"})
NEEDS_FIELD = "basic_needs_within_h"
FIELD_MARK = "\x00"  # a scenario field's name stands between two marks (the page sets it as code)


def drill_targets(card: Mapping[str, Any]) -> dict[str, float]:
    """The targets the card was judged against (an old card without them: the defaults)."""
    return {**DEFAULTS, **(card.get("targets") or {})}


def label(tr: Tr, key: str, targets: Mapping[str, float]) -> str:
    """``tr(key)``; a label that states the basic-needs target states the drill's."""
    if key in NEEDS_LABELS:
        return tr(key + ".within", hours=fmt(float(targets[NEEDS_FIELD])))
    return tr(key)


def figure(tr: Tr, value: float, unit: str) -> str:
    """A figure with its unit: "5 min" / "5 分钟", "3 h" / "3 小时"."""
    return f"{fmt(float(value))} {tr('unit.' + unit)}"


def source_text(
    tr: Tr, key: str, text: str, targets: Mapping[str, float], given: Collection[str]
) -> str:
    """The sources table's text for ``key``: for a figure the scenario may set, the figure
    this drill was judged against and where it came from (the scenario's own field, or the
    default and its reference); ``text`` for any other source."""
    spec = TARGET_FIELDS.get(key)
    if spec is None:
        return text
    field, unit = spec
    default = figure(tr, DEFAULTS[field], unit)
    reference = tr(f"source_ref.{key}")
    if field not in given:
        return tr("source_origin.default", figure=default, reference=reference)
    own = figure(tr, targets[field], unit)
    if key == "first_unit":  # the drill's own figure is not scaled by distance
        reference = tr("source_ref.first_unit.unscaled", reference=reference)
    return tr(
        "source_origin.drill", figure=own, field=marked(field), default=default, reference=reference
    )


def marked(field: str) -> str:
    """``scoring.targets.<field>`` between :data:`FIELD_MARK` marks: the name an author types
    in the scenario, which the page sets apart as code (it is not a word of the report)."""
    return f"{FIELD_MARK}scoring.targets.{field}{FIELD_MARK}"


def given_targets(raw_scenario: Mapping[str, Any]) -> frozenset[str]:
    """The targets the scenario's own ``scoring.targets`` sets (the rest are defaults)."""
    given = ((raw_scenario.get("scoring") or {}).get("targets")) or {}
    return frozenset(given) if isinstance(given, Mapping) else frozenset()


def unobservable(tr: Tr, item: str, card: Mapping[str, Any], hours_run: float) -> str | None:
    """Why an item the log could not judge was not judged, in a sentence a reviewer
    understands, or None if the item has no such sentence. ``hours_run``: how long the
    drill ran after the disaster began."""
    if item != "needs_met_10h":
        return None
    kpi = card.get("kpis", {}).get("needs_met") or {}
    hours = float(drill_targets(card)[NEEDS_FIELD])
    evidence = kpi.get("evidence") or {}
    if not evidence.get("drill_ended_first", hours_run < hours):
        return None
    return tr(
        "unobservable.needs_met_10h",
        ran=fmt(round(hours_run, 1)),
        hours=fmt(hours),
        field=marked(NEEDS_FIELD),
    )
