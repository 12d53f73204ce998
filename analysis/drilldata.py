"""A drill as the after-action review sees it: the log's header and events, parsed once.

Everything downstream (KPIs, rubric, plots) reads a :class:`DrillData`, built
either from a log file (:func:`load_drill`) or from events already in memory
(:func:`drill_from_events`, used for the bot baselines). The scenario comes
from the YAML text the header carries, so a log alone is enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import sim
from sim.events import Event


@dataclass(frozen=True)
class DrillData:
    """The header, the events and the parsed scenario of one drill."""

    header: Mapping[str, Any]
    events: Sequence[Event]
    loaded: sim.LoadedScenario
    raw_scenario: Mapping[str, Any] = field(default_factory=dict)
    log_path: str = ""

    @property
    def scenario(self) -> sim.Scenario:
        return self.loaded.scenario

    @property
    def end_min(self) -> float:
        """When the drill ended (its last event), in sim minutes."""
        return self.events[-1].t_min if self.events else 0.0

    def of(self, *kinds: str) -> list[Event]:
        """Events of the given kinds, in log order."""
        return [e for e in self.events if e.kind in kinds]

    def first(self, kind: str, **match: Any) -> Event | None:
        """The first event of ``kind`` whose data match every ``key=value`` given."""
        for event in self.events:
            if event.kind == kind and all(event.data.get(k) == v for k, v in match.items()):
                return event
        return None

    @property
    def samples(self) -> list[Event]:
        return self.of("StateSampled")

    @property
    def zone_population(self) -> dict[str, int]:
        return {z.id: z.population for z in self.scenario.zones}

    @property
    def outcome(self) -> Mapping[str, Any]:
        """The DrillEnded (or DrillAborted) data; empty if the log was cut short."""
        ends = self.of("DrillEnded", "DrillAborted")
        return ends[-1].data if ends else {}


def drill_from_events(
    header: Mapping[str, Any], events: Iterable[Event], log_path: str = ""
) -> DrillData:
    """Build a :class:`DrillData` from a header and events; raises ``sim.ScenarioError``."""
    text = str(header["scenario_yaml"])
    loaded = sim.parse_scenario(text, str(header.get("scenario_name", "scenario.yaml")))
    raw = yaml.safe_load(text) or {}
    return DrillData(dict(header), tuple(events), loaded, raw, log_path)


def load_drill(path: str | Path) -> DrillData:
    """Read a drill log; raises ``sim.LogError`` or ``sim.ScenarioError`` naming the problem."""
    header, events = sim.read_log(path)
    return drill_from_events(header, events, str(Path(path).resolve()))


def unit_type(unit_id: str) -> str:
    """A unit's type from its id (the engine names units ``<type>-<n>``)."""
    return unit_id.rsplit("-", 1)[0]
