"""Write the authoring guide's generated tables from the code they describe.

``docs/authoring.md`` and ``docs/authoring.zh-CN.md`` hold tables that
must never drift from the engine and the review: the unit catalogue
(:data:`sim.units.CATALOG`), which units can work which incident
(:data:`sim.units.INCIDENT_NEEDS`), and the scoring weights and targets with
their defaults (:data:`analysis.scoring.DEFAULT_WEIGHTS`,
:data:`analysis.rubric.DIMENSIONS`, :class:`sim.scenario.schema.ScoringTargets`).
The worked example (``docs/example_drill.yaml``) is copied in the same way.
Each sits between ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->``; everything else in the files is hand-written.

    python tools/authoring_tables.py          # rewrite the tables in both guides
    python tools/authoring_tables.py --check  # exit 1 if a guide is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.i18n import merged_table  # noqa: E402
from analysis.rubric import DIMENSIONS  # noqa: E402
from analysis.scoring import DEFAULT_WEIGHTS  # noqa: E402
from sim.scenario.schema import IncidentKind, ScoringTargets  # noqa: E402
from sim.units import CATALOG, INCIDENT_NEEDS  # noqa: E402

GUIDES = {"en": ROOT / "docs" / "authoring.md", "zh-CN": ROOT / "docs" / "authoring.zh-CN.md"}
HEADINGS = {
    "units": {
        "en": (
            "`type`",
            "name",
            "can do",
            "road km/h",
            "air km/h",
            "drives through flood water",
            "rescues people/h",
            "carries casualties/trip",
            "work factor",
            "warns door to door, people/h",
            "payload, truck-loads",
            "shift / rest h",
        ),
        "zh-CN": (
            "`type`",
            "名称",
            "能力",
            "道路时速 km/h",
            "飞行时速 km/h",
            "可涉洪水行驶",
            "每小时救出人数",
            "每趟转运伤员",
            "作业系数",
            "每小时入户动员人数",
            "载重（车次）",
            "值班 / 休息 h",
        ),
    },
    "incidents": {
        "en": ("`incident`", "name", "needs one of", "units that can work it"),
        "zh-CN": ("`incident`", "名称", "所需能力（其一）", "可处置的力量"),
    },
    "weights": {
        "en": ("`scoring.weights` name", "what it weighs", "default"),
        "zh-CN": ("`scoring.weights` 名称", "权衡的内容", "默认值"),
    },
    "targets": {
        "en": ("`scoring.targets` name", "default"),
        "zh-CN": ("`scoring.targets` 名称", "默认值"),
    },
}
YES = {"en": "yes", "zh-CN": "是"}
NO = {"en": "no", "zh-CN": "否"}
WEIGHT_MEANING = {
    "process": {"en": "the process half of the total", "zh-CN": "总分中过程分的权重"},
    "outcome": {"en": "the outcome half of the total", "zh-CN": "总分中结果分的权重"},
}


def _locale(language: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for folder in ("ui", "analysis"):
        table.update(merged_table(ROOT / folder / "locales", language))
    return table


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: tuple[str, ...], rows: list[list[str]]) -> str:
    lines = [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)]
    return "\n".join(lines)


def _num(value: float) -> str:
    return "–" if value == 0 else f"{value:g}"


def units_table(language: str) -> str:
    t = _locale(language)
    rows = []
    for unit_type, spec in CATALOG.items():
        can = ", ".join(t.get(f"capability.{c.value}", c.value) for c in sorted(spec.capabilities))
        rows.append(
            [
                f"`{unit_type.value}`",
                t.get(f"unit_type.{unit_type.value}", unit_type.value),
                can,
                _num(spec.road_kmh),
                _num(spec.air_kmh),
                (YES if spec.ignores_flood else NO)[language],
                _num(spec.rescue_per_h),
                _num(spec.carry_persons),
                f"{spec.work_factor:g}",
                _num(spec.door_to_door_per_h),
                _num(spec.payload_units),
                f"{spec.shift_h:g} / {spec.rest_h:g}",
            ]
        )
    return _table(HEADINGS["units"][language], rows)


def incidents_table(language: str) -> str:
    t = _locale(language)
    rows = []
    for kind in IncidentKind:
        needs = INCIDENT_NEEDS[kind]
        able = [u.value for u, spec in CATALOG.items() if spec.capabilities & needs]
        rows.append(
            [
                f"`{kind.value}`",
                t.get(f"incident_kind.{kind.value}", kind.value),
                ", ".join(t.get(f"capability.{c.value}", c.value) for c in sorted(needs)),
                ", ".join(f"`{a}`" for a in able),
            ]
        )
    return _table(HEADINGS["incidents"][language], rows)


def weights_table(language: str) -> str:
    t = _locale(language)
    rows = []
    for name, default in DEFAULT_WEIGHTS.items():
        if name in WEIGHT_MEANING:
            meaning = WEIGHT_MEANING[name][language]
        else:
            part = name.removeprefix("harm_")
            what = t.get(f"harm.{part}", part)
            meaning = f"harm index: {what}" if language == "en" else f"伤害指数：{what}"
        rows.append([f"`{name}`", meaning, f"{default:g}"])
    for name in DIMENSIONS:
        what = t.get(f"dim.{name}", name)
        meaning = f"process dimension: {what}" if language == "en" else f"过程评估要素：{what}"
        rows.append([f"`{name}`", meaning, "1"])
    return _table(HEADINGS["weights"][language], rows)


def targets_table(language: str) -> str:
    defaults = ScoringTargets()
    rows = [[f"`{name}`", f"{getattr(defaults, name):g}"] for name in ScoringTargets.model_fields]
    return _table(HEADINGS["targets"][language], rows)


def example_block(language: str) -> str:
    del language
    text = (ROOT / "docs" / "example_drill.yaml").read_text(encoding="utf-8")
    return "```yaml\n" + text.rstrip("\n") + "\n```"


TABLES: dict[str, Callable[[str], str]] = {
    "units": units_table,
    "incidents": incidents_table,
    "weights": weights_table,
    "targets": targets_table,
    "example": example_block,
}


def render(text: str, language: str) -> str:
    """``text`` with every generated table replaced by its current contents."""
    for name, make in TABLES.items():
        pattern = re.compile(
            rf"(<!-- BEGIN GENERATED: {name} -->\n)(?:.*?\n)?(<!-- END GENERATED: {name} -->)",
            re.DOTALL,
        )
        if not pattern.search(text):
            raise ValueError(f"the guide has no markers for the {name!r} table")
        table = make(language)
        text = pattern.sub(lambda m, table=table: m.group(1) + table + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for language, path in GUIDES.items():
        text = path.read_text(encoding="utf-8")
        new = render(text, language)
        if new != text:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8", newline="\n")
                print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for path in stale:
            print(f"{path.relative_to(ROOT)}: tables out of date; run tools/authoring_tables.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
