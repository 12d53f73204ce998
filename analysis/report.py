"""The after-action report: one self-contained HTML file, laid out like GB/T 46792 Annex E.

Sections: 1 overview (with the decisions that cost most against the expert
bot on the same seed, :mod:`analysis.costliest`), 2 evaluation by item (Annex
A dimensions, HSEEP rating), 3 findings (deficiencies / to rectify / to
improve), 4 improvement actions with an HSEEP AAR/IP-style table, 5 figures,
each captioned with what it shows and how to read it, 6 method and sources.
Images are PNGs embedded as base64; every word comes from the locale tables
and every object is named (:class:`analysis.names.Names`), never shown by its
id. Values a person typed and file names are marked up as such
(``class="user"``, ``class="file"``) and are the only text not in the
report's language.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis import costliest, plots, stranded
from analysis.drilldata import DrillData
from analysis.i18n import fmt, translator
from analysis.kpis import COMPLIANCE_SHARE, disaster_start_min
from analysis.names import Names
from analysis.rubric import ITEM_KPI
from analysis.target_words import (
    FIELD_MARK,
    NEEDS_FIELD,
    NEEDS_LABELS,
    drill_targets,
    given_targets,
    label,
    source_text,
    unobservable,
)

FONT = (
    Path(__file__).resolve().parents[1] / "assets" / "fonts" / "NotoSansSC-DrillCommand-Regular.otf"
)
CSS = """body{font-family:'Noto Sans SC','Noto Sans CJK SC',sans-serif;max-width:1100px;margin:auto;
padding:1em 2em;color:#222}h1{border-bottom:3px solid #b71c1c}h2{border-bottom:1px solid #999;
margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top}th{background:#eceff1}
th[scope=row]{text-align:left;width:14em}
.yes{color:#2e7d32;font-weight:bold}.no{color:#c62828;font-weight:bold}.na{color:#777}
.box{display:inline-block;border:1px solid #999;border-radius:6px;padding:.5em 1em;margin:.3em;
text-align:center}.box b{font-size:1.8em;display:block}figure{margin:1em 0}img{max-width:100%}
.small{font-size:.8em;color:#555}figcaption{font-size:.9em;color:#333;margin:.2em 0 1.5em;
max-width:900px}figcaption b{display:block}.cost td:last-child{white-space:nowrap}"""
Tr = Callable[..., str]
# Item parameters that hold ids, by the kind of thing they name (the rubric joins them with ", ").
PLACE_PARAMS = ("zones", "wrong", "into_gas", "no_notice", "cut_off", "zone")
INCIDENT_PARAMS = ("waited", "open", "unreachable")
LEVEL_PARAMS = ("set", "warranted", "lowest", "ceiling")
NOT_REQUESTED = " (not requested)"  # how the rubric marks a reinforcement never asked for
# Items that say their slowest answer: one never answered is counted as never, apart.
NEVER_ANSWERED = ("ambulance_in_time", "first_unit_in_time")
# Items whose value and target are a KPI's though the rubric judges them itself.
EXTRA_ITEM_KPI = {"orders_valid": "orders_rejected"}
# Rows (harm parts, KPIs, items) about some hazards only: a drill with none of them does not
# show them, rather than a row of dashes ("at most 0 people of — is the residue…" in a flood).
HAZARD_ROWS: dict[str, frozenset[str]] = {
    "above_aegl2": frozenset({"gas"}),
    "aegl2": frozenset({"gas"}),  # its source, in section 6
    "no_aegl2_exposure": frozenset({"gas"}),
    "evacuation_safe": frozenset({"flood", "gas"}),
}
BEIJING_UTC_OFFSET_H = 8.0  # China Standard Time (北京时间), the schema's default utc_offset_h
EXTENT_METRIC = {"flood": "flooded_area_m2", "fire": "burnt_area_m2", "gas": "aegl2_area_m2"}
NO_GAS = ".no_gas"  # a sentence's wording for a drill without gas, where it speaks of gas


def applies(key: str, kinds: Collection[str]) -> bool:
    """Whether a row (harm part, KPI or item ``key``) applies to a drill with hazards ``kinds``."""
    need = HAZARD_ROWS.get(key)
    return need is None or bool(need & set(kinds))


def said(tr: Tr, key: str, kinds: Collection[str], **params: Any) -> str:
    """``tr(key)``, or its wording without gas (``key + NO_GAS``) in a drill without gas."""
    if "gas" not in kinds:
        text = tr(key + NO_GAS, **params)
        if text != f"[{key}{NO_GAS}]":
            return text
    return tr(key, **params)


def item_name(tr: Tr, item: str, kinds: Collection[str], targets: Mapping[str, float]) -> str:
    """An item's name as the report gives it: its wording for the drill's hazards, and the
    drill's own target where the name states one ("… met within 3 h")."""
    key = "item." + item
    return label(tr, key, targets) if key in NEEDS_LABELS else said(tr, key, kinds)


def use_fonts() -> None:
    """Let matplotlib draw Chinese: the bundled Noto Sans SC, else a system CJK font."""
    if FONT.exists():
        font_manager.fontManager.addfont(str(FONT))
        name = font_manager.FontProperties(fname=str(FONT)).get_name()
    else:
        name = "Noto Sans CJK SC"
    matplotlib.rcParams["font.sans-serif"] = [name, "Noto Sans CJK SC", "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False


def _png(
    draw: Callable[[Any], object], size: tuple[float, float], polar: bool = False
) -> tuple[str, list[str]]:
    """The figure as base64 PNG, and every text drawn on it (for the language checks)."""
    fig = Figure(figsize=size, dpi=100)  # no pyplot: no global figure state, no GUI backend
    ax = fig.add_subplot(projection="polar" if polar else None)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    return base64.b64encode(buf.getvalue()).decode("ascii"), texts


def figures(
    drill: DrillData, card: Mapping[str, Any], tr: Tr, names: Names | None = None
) -> list[tuple[str, str, str, list[str]]]:
    """(title, caption, base64 PNG, every text drawn on it) for each figure of the report."""
    use_fonts()
    named = names or Names(drill, tr)
    gantt = (9.0, min(9.0, 1.2 + 0.3 * max(3, len(plots.unit_tasks(drill)))))  # rows stay thin
    specs: list[tuple[str, Callable[[Any], object], tuple[float, float], bool]] = [
        ("radar", lambda ax: plots.radar(ax, card, tr), (6.5, 5.5), True),
        ("people_by_state", lambda ax: plots.people_by_state(ax, drill, tr), (9, 4), False),
        ("hazard_extent", lambda ax: plots.hazard_extent(ax, drill, tr, named), (9, 3.5), False),
        ("reach_map", lambda ax: plots.reach_map(ax, drill, tr, named), (9, 8), False),
        ("response_times", lambda ax: plots.response_times(ax, card, tr, named), (9, 4), False),
        ("unit_gantt", lambda ax: plots.unit_gantt(ax, drill, tr, named), gantt, False),
        ("supplies", lambda ax: plots.supplies_and_needs(ax, drill, tr), (9, 3.5), False),
        ("decisions", lambda ax: plots.decisions(ax, drill, tr), (9, 4), False),
    ]
    out = []
    captions = _captions(tr, named)
    captions["response_times"] = _response_caption(card, tr)
    for key, draw, size, polar in specs:
        image, texts = _png(draw, size, polar)
        out.append((tr(f"plot.{key}"), captions.get(key) or tr(f"caption.{key}"), image, texts))
    return out


def _captions(tr: Tr, names: Names) -> dict[str, str]:
    """Captions that name what the drill's hazards drew (its areas, its shading on the map)."""
    kinds = [k for k in EXTENT_METRIC if k in names.hazard_kinds]
    if not kinds:
        return {}
    areas = names.listing(tr("metric." + EXTENT_METRIC[k]) for k in kinds)
    shades = names.listing(tr("plot.shade." + k) for k in kinds)
    out = {
        "hazard_extent": tr("caption.hazard_extent.areas", areas=areas),
        "reach_map": tr("caption.reach_map.layers", shades=shades),
    }
    if names.several_of_a_kind:  # each has its own line and shade, named in the legend
        space = "" if names.chinese else " "
        for key in out:
            out[key] += space + tr(f"caption.{key}.several")
    return out


def _response_caption(card: Mapping[str, Any], tr: Tr) -> str:
    """Figure 5's caption with the drill's own arrival target (scaled by distance unless the
    drill set its own figure, which then applies everywhere)."""
    kpi = card["kpis"].get("first_unit") or {}
    allowed = (kpi.get("evidence") or {}).get("allowed_min") or {}
    target = f"{fmt(kpi.get('target'))} {tr('unit.min')}"
    scaled = len(set(allowed.values())) > 1
    return tr("caption.response_times." + ("each" if scaled else "one"), target=target)


def _e(text: object) -> str:
    return html.escape(str(text))


def _small(text: str) -> str:
    return f'<span class="small">{_e(text)}</span>'


def _e_fields(text: str) -> str:
    """``text`` escaped, with the scenario fields it names (between
    :data:`~analysis.target_words.FIELD_MARK` marks) set as code."""
    parts = text.split(FIELD_MARK)
    return "".join(
        f'<code class="file">{_e(part)}</code>' if n % 2 else _e(part)
        for n, part in enumerate(parts)
    )


def _table(head: list[str], rows: list[list[str]], css: str = "") -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    klass = f" class='{css}'" if css else ""
    return f"<table{klass}><tr>{th}</tr>{body}</table>"


def kpi_text(kpi: Mapping[str, Any], value: Any, tr: Tr, target: bool = False) -> str:
    """A KPI's value (or its target) with its unit. A share judged against a time ("incidents
    reached in time") states its target whole: "≥ 90 % within 5 min", never "5 min" beside a
    share."""
    if value is None:
        return "—"
    unit = kpi["target_unit"] if target else kpi["unit"]
    if target and kpi["unit"] == "share" and unit != "share":
        within = f"{fmt(value)} {tr('unit.' + unit)}"
        return tr("target.share_within", share=f"{100 * COMPLIANCE_SHARE:.0f}", within=within)
    if unit == "share":
        return share_text(kpi, value, target)
    if unit == "rank":
        return tr(f"level.{['none', 'IV', 'III', 'II', 'I'][int(value)]}")
    if unit == "people" and isinstance(value, int | float):
        return tr("unit.people_n", n=f"{value:,.0f}")
    return f"{fmt(value)} {tr('unit.' + unit)}"


SHARE_DIGITS_MAX = 4  # decimals of a percentage: 99.9997 % still reads short of 100 %


def _percent(share: float, digits: int) -> float:
    return float(f"{100 * share:.{digits}f}")


def share_text(kpi: Mapping[str, Any], value: float, target: bool = False) -> str:
    """A share KPI's value (or its target) in %, with as many decimals as it takes for the
    value and target shown to compare as the verdict does (at least one): a share of 0.9997
    judged short of 100 % reads "99.97 %" beside "100.00 %", never "100.0 %" beside a failed
    verdict. A share judged against "≥ 90 % within 5 min" is compared with the 90."""
    digits, fallback = 1, False
    judged, line = kpi.get("value"), kpi.get("target")
    whole = kpi.get("target_unit", "share") != "share"  # the line is COMPLIANCE_SHARE, shown whole
    if whole:
        line = COMPLIANCE_SHARE
    if isinstance(judged, int | float) and isinstance(line, int | float) and judged != line:
        below = judged < line
        for digits in range(1, SHARE_DIGITS_MAX + 1):
            shown, against = _percent(judged, digits), _percent(line, 0 if whole else digits)
            if (shown < against) == below:  # a share at its line meets it: equal reads right
                break
        else:
            fallback = below  # cut down, not rounded up to the line
    if fallback and not target:
        cut = math.floor(100 * value * 10**digits) / 10**digits
        return f"{cut:.{digits}f} %"
    return f"{100 * value:.{digits}f} %"


def _result(result: str, tr: Tr) -> str:
    css = {"yes": "yes", "no": "no"}.get(result, "na")
    return f'<span class="{css}">{_e(tr("result." + result))}</span>'


def _date(date: str, tr: Tr) -> str:
    """When the drill was played; the pipeline's "… UTC" said in the report's language."""
    if date.endswith(" UTC"):
        return tr("overview.utc", time=date.removesuffix(" UTC"))
    return date


def drill_time(drill: DrillData, tr: Tr) -> str:
    """The drill's own date and start as its scenario sets them, in the scenario's local time
    (``meta.date``, ``meta.start_time``, ``meta.utc_offset_h``): not when it was played."""
    meta = drill.scenario.meta
    if meta.date is None:
        return tr("overview.drill_time_no_date", time=meta.start_time)
    hours = meta.utc_offset_h
    if hours == BEIJING_UTC_OFFSET_H:
        zone = tr("overview.tz_beijing")
    else:
        zone = tr("overview.tz", offset=f"{hours:+g}".replace("-", "\u2212"))
    return tr(
        "overview.drill_time_value", date=meta.date.isoformat(), time=meta.start_time, zone=zone
    )


def _trainee(name: str | None, tr: Tr, bot: object = None) -> str:
    """Who commanded: the bot that played the log (its header's ``driver``), else the name
    given; a bot's log is not a trainee's drill (:mod:`analysis.records`), whatever name."""
    if bot:
        key = f"calibrate.bot.{bot}"
        said = tr(key)
        return _e(tr("overview.bot", bot=str(bot) if said == f"[{key}]" else said))
    if not name or name == "anonymous":  # the game's default: not a name a person gave
        return _e(tr("overview.anonymous"))
    return f'<span class="user">{_e(name)}</span>'


def _grouped(value: Any) -> Any:
    """A whole number with its thousands grouped ("10,000"); anything else as it is."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


def overview(drill: DrillData, card: Mapping[str, Any], tr: Tr, meta: Mapping[str, str]) -> str:
    s = drill.scenario
    kinds = {str(h.kind) for h in s.hazards}
    title = s.meta.title.zh if tr("lang") == "zh-CN" else s.meta.title.en
    rows = [
        (tr(f"overview.{k}"), v)
        for k, v in (
            ("scenario", _e(title)),
            ("trainee", _trainee(meta.get("trainee"), tr, drill.header.get("driver"))),
            ("drill_time", _e(drill_time(drill, tr))),
            *([("played", _e(_date(meta["date"], tr)))] if meta.get("date") else []),
            ("seed", _e(card["seed"])),
            ("duration", _e(tr("overview.hours", h=fmt(drill.end_min / 60)))),
            ("hash", f'<code class="file">{_e(str(card["scenario_hash"])[:19])}</code>'),
            ("engine", _e(card["engine_version"])),
            ("log", f'<code class="file">{_e(meta.get("log", "—"))}</code>'),
        )
    ]
    facts = "".join(f"<tr><th scope='row'>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    outcome = card["outcome"]
    boxes = "".join(
        f'<div class="box">{_e(tr(k))}<b>{"—" if v is None else fmt(v)}</b></div>'
        for k, v in (
            ("score.total", card["total"]),
            ("score.process", card["process_score"]),
            ("score.outcome", outcome["score"]),
        )
    )
    plain = {k: _grouped(v) for k, v in outcome.items() if not isinstance(v, dict)}
    notes = [tr("score.explain", **plain)]
    if card.get("critical_cap") is not None:
        notes.append(tr("score.capped", cap=card["critical_cap"], raw=card["uncapped_total"]))
    if outcome.get("worse_than_idle"):
        notes.append(tr("score.worse_than_idle"))
    if card.get("luck"):
        band = card["luck"]
        notes.append(
            tr(
                "score.luck",
                seeds=", ".join(str(x) for x in band["seeds"]),
                low=fmt(band["low"]),
                high=fmt(band["high"]),
                half=fmt(band["half_width"]),
            )
        )
    if card.get("played_out_from_min") is not None:
        notes.append(tr("score.played_out", minute=fmt(card["played_out_from_min"])))
    harm_rows = [
        [
            _e(tr("harm." + b["part"])),
            _e(fmt(b["value"])),
            _e(f"{b['weight']:g}"),  # weights as small as 0.0001: no rounding
            _e(fmt(b["equivalent"])),
            f'<span class="small">{_e(tr("harm_source." + b["part"]))}</span>',
        ]
        for b in outcome.get("breakdown", [])
        if applies(b["part"], kinds)
    ]
    targets = drill_targets(card)
    kpi_rows = [
        [
            _e(label(tr, "kpi." + k, targets)),
            _e(kpi_text(v, v["value"], tr)),
            _e(kpi_text(v, v["target"], tr, target=True)),
            _result({"met": "yes", "missed": "no"}.get(v["status"], v["status"]), tr)
            + _kpi_note(k, v, card, tr, hours_run(drill)),
            _small(label(tr, "source." + v["source"], targets) if v["source"] else ""),
        ]
        for k, v in card["kpis"].items()
        if applies(k, kinds)
    ]
    return (
        f"<h2>1 {_e(tr('section.overview'))}</h2>"
        + f"<table>{facts}</table>"
        + boxes
        + "".join(f"<p class='small'>{_e(n)}</p>" for n in notes)
        + _table(
            [
                tr("col.harm"),
                tr("col.value"),
                tr("col.weight"),
                tr("col.equivalent"),
                tr("col.source"),
            ],
            harm_rows,
        )
        + _table(
            [
                tr("col.indicator"),
                tr("col.value"),
                tr("col.target"),
                tr("col.result"),
                tr("col.source"),
            ],
            kpi_rows,
        )
    )


def hours_run(drill: DrillData) -> float:
    """How long the drill ran after the disaster began (hours)."""
    return max(0.0, drill.end_min - disaster_start_min(drill)) / 60.0


def _kpi_note(
    key: str, kpi: Mapping[str, Any], card: Mapping[str, Any], tr: Tr, ran_h: float
) -> str:
    """Why an indicator is not observable, under its result (the needs indicator of a drill
    that ends before its target time)."""
    if key != "needs_met" or kpi.get("status") != "not_observable":
        return ""
    why = unobservable(tr, "needs_met_10h", card, ran_h)
    return f'<br><span class="small">{_e_fields(why)}</span>' if why else ""


def costly(drill: DrillData, card: Mapping[str, Any], names: Names) -> str:
    """The decisions that cost most against the expert bot (``card["costliest"]``)."""
    tr = names.tr
    head = f"<h3>{_e(tr('cost.heading'))}</h3><p class='small'>{_e(tr('cost.intro'))}</p>"
    found = card.get("costliest")
    if found is None:
        return head + f"<p>{_e(tr('cost.pending'))}</p>"
    if not found:
        return head + f"<p>{_e(tr('cost.none'))}</p>"
    rows = []
    for entry in found:
        words = costliest.describe(entry, drill, names)
        told = [words[k] for k in ("decision", "between", "arrival") if words[k]]
        rows.append(
            [
                _e(words["place"]),
                "<br>".join(_e(line) for line in told),
                _e(words["harm"]),
                _e(words["expert_harm"]),
                _e(fmt(entry["cost"])),
            ]
        )
    cols = [tr(f"cost.col.{c}") for c in ("place", "decision", "you", "expert", "cost")]
    return head + _table(cols, rows, "cost")


def _named(key: str, value: Any, names: Names) -> Any:
    """An item parameter with its ids replaced by names ("-" and lists joined by the rubric)."""
    if not isinstance(value, str):
        return _grouped(value)
    if key in LEVEL_PARAMS:
        return names.level(value)
    if value in ("-", ""):
        return "—"
    parts = value.split(", ")
    if key in PLACE_PARAMS:
        return names.listing(names.zone(p) for p in parts)
    if key == "channels":
        return names.listing(names.channel(p) for p in parts)
    if key == "asked":
        return names.listing(names.reinforcement(p) for p in parts)
    if key in INCIDENT_PARAMS:
        return names.listing(names.place(p) for p in parts)
    if key == "units":
        return names.listing(names.unit(p) for p in parts)
    if key == "idle_carriers":
        return names.listing(_carrier(p, names) for p in parts)
    return value


def _carrier(part: str, names: Names) -> str:
    """A carrier that stood idle: a unit, or a reinforcement never requested."""
    if part.endswith(NOT_REQUESTED):
        spec = names.reinforcement(part.removesuffix(NOT_REQUESTED))
        return names.tr("param.not_requested", name=spec)
    return names.unit(part)


def _why_key(j: Mapping[str, Any]) -> str:
    """The key of an item's reason: its own, or its variant for what the evidence adds (a
    short drill's needs item failed by shelters nobody sent supplies to says which; zones
    sent out as a toxic cloud came; incidents never answered, beside the slowest answered).

    Every other item has one sentence, its evidence "—" where there is none. These causes
    arise only in some drills (the needs one only when the drill ends before the item's
    deadline, kpis.needs_met), so each has a sentence of its own rather than a "—" clause
    in every drill."""
    if j["item"] == "needs_met_10h" and j["params"].get("unsupplied"):
        return "why.needs_met_10h_unsupplied"
    if j["item"] == "threatened_zones_acted" and j["params"].get("into_gas", "-") != "-":
        return "why.threatened_zones_acted_into_gas"  # sent out as a cloud came: its own clause
    if j["item"] in NEVER_ANSWERED and j["params"].get("never"):
        # Incidents never answered are slower than any "slowest": say how many there were.
        answered = j["params"].get("worst_min") is not None
        return f"why.{j['item']}_never" if answered else f"why.{j['item']}_never_all"
    return "why." + j["item"]


def _params(card: Mapping[str, Any], j: Mapping[str, Any], tr: Tr, names: Names) -> dict[str, Any]:
    """An item's evidence for its sentence: named, grouped, and its KPI's value and target."""
    params = {k: _named(k, v, names) for k, v in j["params"].items()}
    params["hours"] = fmt(float(drill_targets(card)[NEEDS_FIELD]))  # the drill's needs target
    if isinstance(j["params"].get("unsupplied"), list):
        params["unsupplied"] = names.listing(names.facility(f) for f in j["params"]["unsupplied"])
    kpi = card["kpis"].get(ITEM_KPI.get(j["item"]) or EXTRA_ITEM_KPI.get(j["item"], ""))
    if kpi is not None:
        params["value"] = kpi_text(kpi, kpi["value"], tr)
        params["target"] = kpi_text(kpi, kpi["target"], tr)
        if kpi["unit"] == "share" and kpi["target_unit"] != "share":  # "within {target}"
            params["target"] = f"{fmt(kpi['target'])} {tr('unit.' + kpi['target_unit'])}"
    return {k: v for k, v in params.items() if not isinstance(v, dict)}


def reason(
    card: Mapping[str, Any], j: Mapping[str, Any], names: Names, ran_h: float | None = None
) -> str:
    """An item's reason; for an item the log could not judge because the drill ended first,
    followed by why and what to set (``ran_h``: hours the drill ran after the disaster began)."""
    tr, kinds = names.tr, names.hazard_kinds
    text = said(tr, _why_key(j), kinds, **_params(card, j, tr, names))
    why = None
    if j.get("result") == "not_observable" and ran_h is not None:
        why = unobservable(tr, j["item"], card, ran_h)
    return text if why is None else text + ("" if names.chinese else " ") + why


def _points(row: Mapping[str, Any] | None) -> str:
    """'2.2 / 2.2' for a judged item (points earned / points it is worth), else ''."""
    if not row or not row["max_points"]:
        return ""
    return f"{fmt(row['points'])} / {fmt(row['max_points'])}"


def done_text(dim: str, done: int, tr: Tr) -> str:
    """What the log shows a capability doing ("up to 3,827 people out of harm's way")."""
    return tr(f"done.{dim}", n=f"{done:,}") if done else tr(f"done_none.{dim}")


def evaluation(card: Mapping[str, Any], tr: Tr, names: Names, ran_h: float | None = None) -> str:
    """Section 2 (``ran_h``: hours the drill ran after the disaster began, to say why an item
    it ended too soon to judge is not observable)."""
    points = {p["item"]: p for p in card.get("points", [])}
    kinds = names.hazard_kinds
    targets = drill_targets(card)
    out = [f"<h2>2 {_e(tr('section.evaluation'))}</h2><p>{_e(tr('evaluation.intro'))}</p>"]
    for n, (dim, d) in enumerate(card["dimensions"].items(), start=1):
        score = "—" if d["score"] is None else fmt(d["score"])
        rating = tr("rating_name." + d["rating"])
        heading = tr("dim.heading", dim=tr("dim." + dim), score=score, rating=rating)
        if d.get("done") is not None:
            done = done_text(dim, d["done"], tr)
            heading = tr(
                "dim.heading_done", dim=tr("dim." + dim), score=score, rating=rating, done=done
            )
        out.append(f"<h3>2.{n} {_e(heading)}</h3>")
        rows = [
            [
                _e(item_name(tr, j["item"], kinds, targets)),
                _e(tr("severity." + j["severity"])),
                _result(j["result"], tr),
                _e(_points(points.get(j["item"]))),
                _e_fields(reason(card, j, names, ran_h)),
            ]
            for j in card["judgements"]
            if j["dimension"] == dim and applies(j["item"], kinds)
        ]
        rows += [
            [_e(tr("human." + h)), "", _result("human", tr), "", _e(tr("human.note"))]
            for h in card["human_items"][dim]
        ]
        head = [
            tr("col.item"),
            tr("col.severity"),
            tr("col.result"),
            tr("col.points"),
            tr("col.reason"),
        ]
        out.append(_table(head, rows))
    return "".join(out)


def findings(
    card: Mapping[str, Any],
    tr: Tr,
    names: Names,
    observed: stranded.Stranded | None = None,
) -> str:
    """Section 3: the failed items, and what the log shows that no item judges (people left
    on the move at the end, shelters that filled: ``observed``)."""
    kinds = names.hazard_kinds
    targets = drill_targets(card)
    rows = [
        [
            _e(tr("grade." + f["grade"])),
            _e(tr("dim." + f["dimension"])),
            _e(item_name(tr, f["item"], kinds, targets)),
            _e(reason(card, f, names)),
        ]
        for f in card["findings"]
        if applies(f["item"], kinds)
    ]
    seen = stranded.finding_rows(observed, names)
    rows += [[_e(c) for c in row] for row in seen]
    body = _table([tr("col.grade"), tr("col.dimension"), tr("col.item"), tr("col.reason")], rows)
    intro = tr("findings.intro")
    if seen:  # say what the rows no item judges are
        intro += ("" if names.chinese else " ") + tr("findings.observed_note")
    return f"<h2>3 {_e(tr('section.findings'))}</h2><p>{_e(intro)}</p>" + (
        body if rows else f"<p>{_e(tr('findings.none'))}</p>"
    )


def improvements(
    card: Mapping[str, Any],
    tr: Tr,
    kinds: Collection[str] = ("gas",),
    observed: stranded.Stranded | None = None,
) -> str:
    """Section 4; ``kinds``: the drill's hazard kinds (rows and wording that apply to them);
    ``observed``: people left on the move (:mod:`analysis.stranded`), a row of its own."""
    targets = drill_targets(card)
    rows = [
        [
            _e(tr("dim." + f["dimension"])),
            _e(item_name(tr, f["item"], kinds, targets)),
            _e(said(tr, "rec." + f["item"], kinds)),
            _e(tr("grade." + f["grade"])),
            "",
            "",
        ]
        for f in card["findings"]
        if applies(f["item"], kinds)
    ]
    rows += [[_e(c) for c in row] + ["", ""] for row in stranded.plan_rows(observed, tr)]
    head = [
        tr("col.capability"),
        tr("col.observation"),
        tr("col.recommendation"),
        tr("col.grade"),
        tr("col.owner"),
        tr("col.due"),
    ]
    return f"<h2>4 {_e(tr('section.improvements'))}</h2><p>{_e(tr('improvements.intro'))}</p>" + (
        _table(head, rows) if rows else f"<p>{_e(tr('findings.none'))}</p>"
    )


def _source_text(key: str, fallback: str, tr: Tr) -> str:
    """A source in the report's language (the card keeps the English, for the record)."""
    text = tr(f"source_text.{key}")
    return fallback if text == f"[source_text.{key}]" else text


def method(
    card: Mapping[str, Any],
    tr: Tr,
    kinds: Collection[str] = ("gas",),
    given: Collection[str] = (),
) -> str:
    """Section 6: the sources of the indicators that apply to the drill's hazards ``kinds``;
    each target's figure as the drill set it (``given``: the targets its scenario sets) or
    the default, with where it came from."""
    targets = drill_targets(card)
    rows = [
        [
            _e(label(tr, "source." + k, targets)),
            _e_fields(source_text(tr, k, _source_text(k, v, tr), targets, given)),
        ]
        for k, v in card["sources"].items()
        if applies(k, kinds)
    ]
    severity = _source_text("severity_weights", card.get("severity_source", ""), tr)
    rows.append([_e(tr("source.severity_weights")), _e(severity)])
    return f"<h2>6 {_e(tr('section.method'))}</h2><p>{_e(tr('method.text'))}</p>" + _table(
        [tr("col.indicator"), tr("col.source")], rows
    )


def instructor_notes(drill: DrillData, tr: Tr) -> str:
    """The moments the instructor marked during the drill (MomentMarked), with their clock."""
    from analysis.costliest import clock

    notes = [e for e in drill.events if e.kind == "MomentMarked"]
    if not notes:
        return ""
    rows = [[_e(clock(drill, e.t_min)), _e(e.data.get("note", ""))] for e in notes]
    return f"<h3>{_e(tr('notes.title'))}</h3><p>{_e(tr('notes.intro'))}</p>" + _table(
        [tr("notes.col.time"), tr("notes.col.note")], rows
    )


def build_report(
    drill: DrillData,
    card: Mapping[str, Any],
    lang: str = "en",
    meta: Mapping[str, str] | None = None,
) -> str:
    """The report as one HTML string (``meta``: trainee, date, log)."""
    tr = translator(lang)
    names = Names(drill, tr)
    meta = meta or {}
    observed = stranded.at_end(drill)
    from analysis.branch_compare import branch_section  # a what-if branch beside its parent

    figs = "".join(
        f"<figure><img alt='{_e(title)}' src='data:image/png;base64,{image}'>"
        f"<figcaption><b>{_e(tr('caption.figure', n=n, title=title))}</b>{_e(caption)}"
        "</figcaption></figure>"
        for n, (title, caption, image, _) in enumerate(figures(drill, card, tr, names), start=1)
    )
    body = (
        f"<h1>{_e(tr('report.title'))}</h1>"
        + overview(drill, card, tr, meta)
        + instructor_notes(drill, tr)
        + branch_section(drill, tr)
        + costly(drill, card, names)
        + evaluation(card, tr, names, hours_run(drill))
        + findings(card, tr, names, observed)
        + improvements(card, tr, names.hazard_kinds, observed)
        + f"<h2>5 {_e(tr('section.figures'))}</h2>{figs}"
        + method(card, tr, names.hazard_kinds, given_targets(drill.raw_scenario))
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{_e(tr('report.title'))}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )
