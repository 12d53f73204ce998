"""Panel builder with nothing selected: the drill-wide orders (see ui.panel).

The response level in force is shown on its button (highlighted, not
clickable); reports upward go to the chosen level of government, first
report then updates, and a final one; reinforcements above the level in
force say which level they need instead of being refused after the click.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import Snapshot
from ui import feasible
from ui import input as intents
from ui.panel import RESPONSE_LEVELS, Choice

if TYPE_CHECKING:
    from ui.panel import SidePanel

ROOMY_PX = 440  # below this panel height the key help line is left out


def drill_wide(panel: SidePanel, snap: Snapshot) -> None:
    t, scene = panel.t, panel.scene
    panel.title = t("panel.none")
    panel.text(t("panel.none_hint"), (170, 180, 195))
    if panel.rect.h >= ROOMY_PX:
        panel.text(t("panel.keys"), (140, 150, 165))
    overlays = [
        t(
            "panel.overlay_line",
            key=f"F{i + 1}",
            name=t(f"overlay.{name}") if t.has(f"overlay.{name}") else name,
            state=t("panel.on" if scene.map.overlay_shown.get(name, True) else "panel.off"),
        )
        for i, name in enumerate(sorted(snap.fields)[:6])
    ]
    if overlays:
        panel.text(" · ".join(overlays), (130, 190, 255))
    _levels(panel, snap)
    _report(panel)
    _reinforcements(panel, snap)
    panel.row([Choice(t("panel.end_drill"), intents.Quick("end"), "@danger")])


def _levels(panel: SidePanel, snap: Snapshot) -> None:
    t = panel.t
    current = snap.response_level
    panel.section(t("panel.response_level", level=t.enum("level", current)))
    panel.row(
        [
            Choice(
                t("panel.level_current", level=t.enum("level", lv))
                if lv == current
                else t.enum("level", lv),
                intents.SetLevel(lv),
                "@level_current" if lv == current else None,
                feasible.response_level(snap, lv),
                say_why=False,
            )
            for lv in RESPONSE_LEVELS
        ]
    )


def _report(panel: SidePanel) -> None:
    t, scene = panel.t, panel.scene
    sent = scene.reports_sent
    heading = t("panel.report_heading", n=sent) if sent else t("panel.report_none")
    panel.section(heading)
    to = scene.report_to
    first = t("panel.report_first" if not sent else "panel.report_update")
    panel.row(
        [
            Choice(t("panel.report_to", to=t.enum("report_to", to)), intents.Quick("report_to")),
            Choice(first, intents.Report(to, False)),
            Choice(t("panel.report_final"), intents.Report(to, True)),
        ]
    )


def _reinforcements(panel: SidePanel, snap: Snapshot) -> None:
    t = panel.t
    specs = panel.scene.session.loaded.scenario.forces.reinforcements
    if not specs:
        return
    panel.section(t("panel.reinforcements"))
    per_row = 1 if len(specs) <= 3 else 2
    choices = []
    for spec in specs:
        label = t(
            "panel.reinforcement_button" if per_row == 1 else "panel.reinforcement_short",
            count=spec.count,
            type=t.enum("unit_type", spec.type.value),
            level=t.enum("level", spec.level.value),
            delay=f"{spec.delay_min:.0f}",
        )
        why = feasible.reinforcement(snap, spec.id, spec.level.value)
        if why == "level_too_low":  # the level it needs first where the row is split in two
            key = "panel.needs_level" if per_row == 1 else "panel.needs_level_first"
            label = t(key, label=label, level=t.enum("level", spec.level.value))
        choices.append(
            Choice(label, intents.Reinforce(spec.id), None, why, say_why=why != "level_too_low")
        )
    for i in range(0, len(choices), per_row):
        panel.row(choices[i : i + per_row])
