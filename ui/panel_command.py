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
from ui.i18n import Translator
from ui.panel import RESPONSE_LEVELS, Choice

if TYPE_CHECKING:
    from ui.names import Names
    from ui.panel import SidePanel


def drill_wide(panel: SidePanel, snap: Snapshot) -> None:
    """The drill-wide orders, with as much help text above them as leaves room for them all."""
    for hints in (2, 1, 0):
        panel.clear()
        _drill_wide(panel, snap, hints)
        if not panel.dropped and panel.cursor_y <= panel.rect.bottom:
            return


def _drill_wide(panel: SidePanel, snap: Snapshot, hints: int) -> None:
    t, scene = panel.t, panel.scene
    panel.title = t("panel.none")
    if hints >= 1:
        panel.text(t("panel.none_hint"), (170, 180, 195))
    if hints >= 2:
        panel.text(t("panel.keys"), (140, 150, 165))
    overlays = [
        t(
            "panel.overlay_line",
            key=f"F{i + 1}",
            name=overlay_name(t, name, panel.names),
            state=t("panel.on" if scene.map.overlay_shown.get(name, True) else "panel.off"),
        )
        for i, name in enumerate(sorted(snap.fields)[:6])
    ]
    if overlays:
        panel.text(" · ".join(overlays), (130, 190, 255))
    panel.corner(Choice(t("panel.end_drill"), intents.Quick("end"), "@danger"))
    _levels(panel, snap)
    _report(panel)
    _reinforcements(panel, snap)


def overlay_name(t: Translator, field: str, names: Names | None = None) -> str:
    """A hazard field's name on screen: ``gas_ppm`` → "gas concentration" / "毒气浓度"; with
    several hazards of its kind, whose it is: "fire front 2: burning" / "火线2：正在燃烧".

    Later hazards of a kind name their fields ``<kind>:<field>``, ``<kind>3:<field>``…
    (sim.snapshot).
    """
    kind, _, name = field.rpartition(":")
    if t.has(f"overlay.{name}"):
        words = t(f"overlay.{name}")
        hazards = names.hazards if names is not None else None
        owner = hazards.owner(field) if hazards is not None else None
        if hazards is not None and owner is not None and hazards.several(hazards.facts[owner].kind):
            return t("hazard_name.layer", hazard=hazards.title(owner, False), layer=words)
        return words
    return t.enum("hazard", kind) if t.has(f"hazard.{kind}") else t("overlay.other")


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
    """One button a reinforcement, two a row where one a row does not fit."""
    t = panel.t
    specs = panel.scene.session.loaded.scenario.forces.reinforcements
    if not specs:
        return
    per_row = 1 if len(specs) + 1 <= panel.rows_left() else 2
    needs = [feasible.reinforcement(snap, s.id, s.level.value) == "level_too_low" for s in specs]
    short_needs = per_row == 2 and any(needs)  # "III: 2× hazmat team": the heading says why
    panel.section(t("panel.reinforcements_levels" if short_needs else "panel.reinforcements"))
    choices = []
    for spec in specs:
        params = {
            "count": spec.count,
            "type": t.enum("unit_type", spec.type.value),
            "level": t.enum("level", spec.level.value),
            "delay": f"{spec.delay_min:.0f}",
        }
        forms = [
            t(key, **params)
            for key in ("panel.reinforcement_button", "panel.reinforcement_short")[per_row - 1 :]
        ] + [t("thing.reinforcement", **params)]
        why = feasible.reinforcement(snap, spec.id, spec.level.value)
        if why == "level_too_low":  # the level it needs, first
            first = "panel.needs_level" if per_row == 1 else "panel.needs_level_first"
            forms = [t(first, label=forms[0], level=params["level"])] + [
                t("panel.needs_level_first", label=f, level=params["level"]) for f in forms
            ]
            short = t("thing.reinforcement", **params)
            forms += [
                t(key, label=short, level=params["level"])
                for key in ("panel.needs_level_short", "panel.needs_level_tiny")
            ]
        choices.append(
            Choice(
                forms[0],
                intents.Reinforce(spec.id),
                None,
                why,
                say_why=why != "level_too_low",
                shorter=tuple(forms[1:]),
            )
        )
    for i in range(0, len(choices), per_row):
        panel.row(choices[i : i + per_row])
