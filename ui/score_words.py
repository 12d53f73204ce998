"""What a score card means, in words: the sentences the debrief puts beside the numbers.

Pure functions of the score card (:func:`analysis.scoring.score_drill`) and
the two translators (the UI's ``t`` for the debrief's own sentences, the
analysis tables' ``tr`` for item names, so the screen and the report name an
item alike). No pygame: the debrief draws these lines, a test reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from analysis.target_words import drill_targets, label

Tr = Callable[..., str]
NAMED_ITEMS = 1  # failed critical items named in the cap's sentence; the rest are counted


def number(value: float | None) -> str:
    """A score as the debrief writes it: one decimal, ASCII minus, "—" for none."""
    return "—" if value is None else f"{float(value):.1f}"


def failed_critical(card: Mapping[str, Any], tr: Tr) -> list[str]:
    """Names of the critical items judged and not met (what put the cap on the total)."""
    return [
        label(tr, f"item.{j['item']}", drill_targets(card))
        for j in card.get("judgements", [])
        if j.get("severity") == "critical" and j.get("result") == "no"
    ]


def verdict(card: Mapping[str, Any], t: Tr, tr: Tr) -> tuple[str, bool]:
    """Pass or fail against the pass mark, with the cap a failed critical item put on the total.

    Returns (sentence, passed). The cap names the first :data:`NAMED_ITEMS`
    critical items not met and counts the rest.
    """
    mark = float(card.get("pass_mark", 60.0))
    passed = float(card["total"]) >= mark
    text = t("debrief.pass" if passed else "debrief.fail", mark=f"{mark:g}")
    cap = card.get("critical_cap")
    if cap is None:
        return text, passed
    names = failed_critical(card, tr)
    shown = ("、" if _is_cjk(t) else "; ").join(names[:NAMED_ITEMS])
    if len(names) > NAMED_ITEMS:
        # the others, counted: "(+4 more)" / "及另外 4 项" ("等另 4 项" is not Chinese)
        shown += t("debrief.more_items", n=len(names) - NAMED_ITEMS)
    raw = card.get("uncapped_total")
    binding = raw is not None and float(raw) > float(cap)  # else the cap cost nothing
    key = "debrief.capped" if binding else "debrief.cap_limit"
    space = "" if _is_cjk(t) else " "
    return text + space + t(key, cap=number(cap), raw=number(raw), items=shown), passed


def _is_cjk(t: Tr) -> bool:
    return bool(getattr(t, "is_chinese", False))


def outcome_sentence(card: Mapping[str, Any], t: Tr) -> str:
    """Where the trainee lies on the outcome scale, in one sentence."""
    outcome = card["outcome"]
    score = outcome.get("score")
    if score is None:
        return t("debrief.scale_none")
    if outcome.get("worse_than_idle") or score < 0:
        return t("debrief.scale_worse", score=number(score))
    return t("debrief.scale_you", score=number(score), share=f"{max(0.0, score):.0f}")


def played_out_note(card: Mapping[str, Any], t: Tr) -> str | None:
    """The note that a drill stopped early was scored as played out with no further orders."""
    minute = card.get("played_out_from_min")
    if minute is None:
        return None
    return t("debrief.played_out", minute=f"{float(minute):.0f}")


def reference_note(reference: Mapping[str, float] | None, t: Tr) -> str | None:
    """The expert bot's total on the same drill and seed, as a reference point."""
    if reference is None or "total" not in reference:
        return None
    if reference.get("outcome") is None:
        return t("debrief.reference", total=number(reference["total"]))
    return t(
        "debrief.reference_outcome",
        total=number(reference["total"]),
        outcome=number(reference["outcome"]),
    )


def rated(card: Mapping[str, Any], tr: Tr, letters: Any) -> list[tuple[str, str, int, int]]:
    """(HSEEP letter, capability name, items met, items judged) of each rated capability."""
    return [
        (d["rating"], tr(f"dim.{dim}"), int(d.get("yes", 0)), int(d.get("yes", 0) + d.get("no", 0)))
        for dim, d in card["dimensions"].items()
        if d["rating"] in letters
    ]


def rated_facts(card: Mapping[str, Any], facts: Mapping[str, str]) -> list[str]:
    """What each rated capability did (``facts``: capability -> words), in :func:`rated`'s
    order; "" where none is known."""
    return [facts.get(dim, "") for dim, d in card["dimensions"].items() if d["rating"] in RATED]


RATED = ("P", "S", "M", "U")
SCALE_ROWS = ("deaths", "injuries", "trapped", "unmet_person_h", "outcome", "total")
PENDING = "…"  # a cell whose figure the warm-up is still working out


def scale_rows(
    card: Mapping[str, Any],
    expert: Mapping[str, float] | None,
    idle: Mapping[str, float] | None,
) -> list[tuple[str, str, str, str]]:
    """The scale as a table: (row, doing nothing, you, the expert bot), same drill and seed.

    Harm rows come from the score card's parts (yours) and its anchors (doing
    nothing: the outcome scale's 0); the expert's and doing nothing's scores from
    the warm-up's references (:func:`ui.warmup.bot_reference`): "…" until they are
    known, "—" where there is no such figure. Doing nothing's outcome is 0 by the
    scale's definition.
    """
    outcome = card["outcome"]
    mine: dict[str, Any] = {**outcome.get("parts", {}), "outcome": outcome.get("score")}
    mine["total"] = card["total"]
    nothing: dict[str, Any] = dict(outcome.get("baselines", {}).get("idle", {}))
    nothing["outcome"] = 0.0 if outcome.get("score") is not None else None
    nothing["total"] = PENDING if idle is None else idle.get("total")
    return [(row, _cell(nothing, row), _cell(mine, row), _cell(expert, row)) for row in SCALE_ROWS]


def _cell(values: Mapping[str, Any] | None, row: str) -> str:
    value = PENDING if values is None else values.get(row)
    if value is None or value == PENDING:
        return "—" if value is None else PENDING
    if row in ("outcome", "total"):
        return number(value)
    return f"{float(value):,.0f}"
