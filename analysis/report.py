"""The after-action report: one self-contained HTML file, laid out like GB/T 46792 Annex E.

Sections: 1 overview, 2 evaluation by item (Annex A dimensions, HSEEP
rating), 3 findings (不足项 / 整改项 / 改进项), 4 improvement actions with an
HSEEP AAR/IP-style table, 5 figures, 6 method and sources. Images are PNGs
embedded as base64; every word comes from the locale tables.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis import plots
from analysis.drilldata import DrillData
from analysis.i18n import fmt, translator
from analysis.rubric import ITEM_KPI

FONT = (
    Path(__file__).resolve().parents[1] / "assets" / "fonts" / "NotoSansSC-DrillCommand-Regular.otf"
)
CSS = """body{font-family:'Noto Sans SC','Noto Sans CJK SC',sans-serif;max-width:1100px;margin:auto;
padding:1em 2em;color:#222}h1{border-bottom:3px solid #b71c1c}h2{border-bottom:1px solid #999;
margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top}th{background:#eceff1}
.yes{color:#2e7d32;font-weight:bold}.no{color:#c62828;font-weight:bold}.na{color:#777}
.box{display:inline-block;border:1px solid #999;border-radius:6px;padding:.5em 1em;margin:.3em;
text-align:center}.box b{font-size:1.8em;display:block}figure{margin:1em 0}img{max-width:100%}
.small{font-size:.8em;color:#555}"""
Tr = Callable[..., str]


def use_fonts() -> None:
    """Let matplotlib draw Chinese: the bundled Noto Sans SC, else a system CJK font."""
    if FONT.exists():
        font_manager.fontManager.addfont(str(FONT))
        name = font_manager.FontProperties(fname=str(FONT)).get_name()
    else:
        name = "Noto Sans CJK SC"
    matplotlib.rcParams["font.sans-serif"] = [name, "Noto Sans CJK SC", "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False


def _png(draw: Callable[[Any], object], size: tuple[float, float], polar: bool = False) -> str:
    fig = Figure(figsize=size, dpi=100)  # no pyplot: no global figure state, no GUI backend
    ax = fig.add_subplot(projection="polar" if polar else None)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def figures(drill: DrillData, card: Mapping[str, Any], tr: Tr) -> list[tuple[str, str]]:
    """(caption, base64 PNG) for each figure of the report."""
    use_fonts()
    specs: list[tuple[str, Callable[[Any], object], tuple[float, float], bool]] = [
        ("plot.radar", lambda ax: plots.radar(ax, card, tr), (6.5, 5.5), True),
        ("plot.people_by_state", lambda ax: plots.people_by_state(ax, drill, tr), (9, 4), False),
        ("plot.hazard_extent", lambda ax: plots.hazard_extent(ax, drill, tr), (9, 3.5), False),
        ("plot.reach_map", lambda ax: plots.reach_map(ax, drill, tr), (9, 7), False),
        ("plot.response_times", lambda ax: plots.response_times(ax, card, tr), (9, 4), False),
        ("plot.unit_gantt", lambda ax: plots.unit_gantt(ax, drill, tr), (9, 5), False),
        ("plot.supplies", lambda ax: plots.supplies_and_needs(ax, drill, tr), (9, 3.5), False),
        ("plot.decisions", lambda ax: plots.decisions(ax, drill, tr), (9, 3.5), False),
    ]
    return [(tr(key), _png(draw, size, polar)) for key, draw, size, polar in specs]


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def kpi_text(kpi: Mapping[str, Any], value: Any, tr: Tr, target: bool = False) -> str:
    if value is None:
        return "—"
    unit = kpi["target_unit"] if target else kpi["unit"]
    if unit == "share":
        return f"{100 * value:.1f} %"
    if unit == "rank":
        return tr(f"level.{['none', 'IV', 'III', 'II', 'I'][int(value)]}")
    return f"{fmt(value)} {tr('unit.' + unit)}"


def _result(result: str, tr: Tr) -> str:
    css = {"yes": "yes", "no": "no"}.get(result, "na")
    return f'<span class="{css}">{_e(tr("result." + result))}</span>'


def overview(drill: DrillData, card: Mapping[str, Any], tr: Tr, meta: Mapping[str, str]) -> str:
    s = drill.scenario
    title = s.meta.title.zh if tr("lang") == "zh-CN" else s.meta.title.en
    rows = [
        [_e(tr(f"overview.{k}")), _e(v)]
        for k, v in (
            ("scenario", f"{title} ({s.meta.id})"),
            ("trainee", meta.get("trainee", "—")),
            ("date", meta.get("date", "—")),
            ("seed", card["seed"]),
            ("duration", f"{fmt(drill.end_min / 60)} h"),
            ("hash", str(card["scenario_hash"])[:19]),
            ("engine", card["engine_version"]),
            ("log", meta.get("log", "—")),
        )
    ]
    outcome = card["outcome"]
    boxes = "".join(
        f'<div class="box">{_e(tr(k))}<b>{"—" if v is None else fmt(v)}</b></div>'
        for k, v in (
            ("score.total", card["total"]),
            ("score.process", card["process_score"]),
            ("score.outcome", outcome["score"]),
        )
    )
    notes = [tr("score.explain", **{k: v for k, v in outcome.items() if not isinstance(v, dict)})]
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
    ]
    kpi_rows = [
        [
            _e(tr("kpi." + k)),
            _e(kpi_text(v, v["value"], tr)),
            _e(kpi_text(v, v["target"], tr, target=True)),
            _result({"met": "yes", "missed": "no"}.get(v["status"], v["status"]), tr),
            f'<span class="small">{_e(tr("source." + v["source"]) if v["source"] else "")}</span>',
        ]
        for k, v in card["kpis"].items()
    ]
    return (
        f"<h2>1 {_e(tr('section.overview'))}</h2>"
        + _table([tr("col.item"), tr("col.value")], rows)
        + boxes
        + "".join(f"<p class='small'>{_e(n)}</p>" for n in notes)
        + _table(
            [tr("col.harm"), tr("col.value"), tr("col.weight"), tr("col.equivalent"),
             tr("col.source")],
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


def _params(card: Mapping[str, Any], j: Mapping[str, Any], tr: Tr) -> dict[str, Any]:
    params = dict(j["params"])
    kpi = card["kpis"].get(ITEM_KPI.get(j["item"], ""))
    if kpi is not None:
        params["value"] = kpi_text(kpi, kpi["value"], tr)
        params["target"] = kpi_text(kpi, kpi["target"], tr, target=True)
    return {k: v for k, v in params.items() if not isinstance(v, dict)}


def _points(row: Mapping[str, Any] | None) -> str:
    """'2.2 / 2.2' for a judged item (points earned / points it is worth), else ''."""
    if not row or not row["max_points"]:
        return ""
    return f"{fmt(row['points'])} / {fmt(row['max_points'])}"


def evaluation(card: Mapping[str, Any], tr: Tr) -> str:
    points = {p["item"]: p for p in card.get("points", [])}
    out = [f"<h2>2 {_e(tr('section.evaluation'))}</h2><p>{_e(tr('evaluation.intro'))}</p>"]
    for n, (dim, d) in enumerate(card["dimensions"].items(), start=1):
        score = "—" if d["score"] is None else fmt(d["score"])
        out.append(
            f"<h3>2.{n} {_e(tr('dim.' + dim))} — {_e(tr('col.score'))} {score}, "
            f"HSEEP {_e(d['rating'])} {_e(tr('rating.' + d['rating']))}</h3>"
        )
        rows = [
            [
                _e(tr("item." + j["item"])),
                _e(tr("severity." + j["severity"])),
                _result(j["result"], tr),
                _e(_points(points.get(j["item"]))),
                _e(tr("why." + j["item"], **_params(card, j, tr))),
            ]
            for j in card["judgements"]
            if j["dimension"] == dim
        ]
        rows += [
            [_e(tr("human." + h)), "", _result("human", tr), "", _e(tr("human.note"))]
            for h in card["human_items"][dim]
        ]
        head = [tr("col.item"), tr("col.severity"), tr("col.result"), tr("col.points"),
                tr("col.reason")]
        out.append(_table(head, rows))
    return "".join(out)


def findings(card: Mapping[str, Any], tr: Tr) -> str:
    rows = [
        [
            _e(tr("grade." + f["grade"])),
            _e(tr("dim." + f["dimension"])),
            _e(tr("item." + f["item"])),
            _e(tr("why." + f["item"], **_params(card, f, tr))),
        ]
        for f in card["findings"]
    ]
    body = _table([tr("col.grade"), tr("col.dimension"), tr("col.item"), tr("col.reason")], rows)
    return f"<h2>3 {_e(tr('section.findings'))}</h2><p>{_e(tr('findings.intro'))}</p>" + (
        body if rows else f"<p>{_e(tr('findings.none'))}</p>"
    )


def improvements(card: Mapping[str, Any], tr: Tr) -> str:
    rows = [
        [
            _e(tr("dim." + f["dimension"])),
            _e(tr("item." + f["item"])),
            _e(tr("rec." + f["item"])),
            _e(tr("grade." + f["grade"])),
            "",
            "",
        ]
        for f in card["findings"]
    ]
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


def method(card: Mapping[str, Any], tr: Tr) -> str:
    rows = [[_e(tr("source." + k)), _e(v)] for k, v in card["sources"].items()]
    rows.append([_e(tr("source.severity_weights")), _e(card.get("severity_source", ""))])
    return f"<h2>6 {_e(tr('section.method'))}</h2><p>{_e(tr('method.text'))}</p>" + _table(
        [tr("col.indicator"), tr("col.source")], rows
    )


def build_report(
    drill: DrillData,
    card: Mapping[str, Any],
    lang: str = "en",
    meta: Mapping[str, str] | None = None,
) -> str:
    """The report as one HTML string (``meta``: trainee, date, log)."""
    tr = translator(lang)
    meta = meta or {}
    figs = "".join(
        f"<figure><img alt='{_e(c)}' src='data:image/png;base64,{b}'></figure>"
        for c, b in figures(drill, card, tr)
    )
    body = (
        f"<h1>{_e(tr('report.title'))}</h1>"
        + overview(drill, card, tr, meta)
        + evaluation(card, tr)
        + findings(card, tr)
        + improvements(card, tr)
        + f"<h2>5 {_e(tr('section.figures'))}</h2>{figs}"
        + method(card, tr)
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{_e(tr('report.title'))}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )
