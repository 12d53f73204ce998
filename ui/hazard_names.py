"""What a trainee reads a drill's hazards as: the fire by what the drill says it is.

The engine runs one fire model for any fire and files the incident a spreading fire opens
near a community under one kind, ``wildfire``. The words must fit the drill, though: a
warehouse fire in a logistics park is not a "wildfire" / "山火" (a hill or forest fire).

- A hazard the drill names (a ``name`` with ``en`` and ``zh``) is called by that name.
- Otherwise a fire is a **wildfire front** / 山火火线 only if it starts in wildland: at
  least ``WILDLAND_SHARE`` of the map within ``WILDLAND_RADIUS_M`` of its ignition points
  is grassland, shrub or forest (sim.landuse). Anything else is a neutral **fire front** /
  火线. On the shipped and trial drills the share is 1.00 for the Xishan forest fire and
  0.00-0.15 for the plant, warehouse and tyre-yard fires, at 200, 500 and 1000 m alike, so
  the threshold sits in a wide gap.
- Several hazards of one kind are told apart as the after-action report tells them apart
  (the rule is sim.hazard_naming's): numbered in the drill's order and followed by the
  place they start, "fire front 2 (Yunxi Logistics Park)" / "火线2（云溪物流园）", which the
  report calls "fire 2 (Yunxi Logistics Park)" / "火灾2（云溪物流园）".

It also says which hazard a snapshot's field belongs to. The engine names the fields of
the first hazard of a kind plainly (``fire_burning``), the second ``<kind>:<field>`` and
the n-th ``<kind><n>:<field>`` (sim.snapshot.take_snapshot), in the drill's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim import LoadedScenario
from sim.hazard_naming import hazard_identities
from sim.landuse import WILDLAND_SHARE, wildland_share
from sim.world.places import Place
from ui.i18n import Translator

FIELD_KINDS = {
    "fire": ("fire_burning", "fire_burnt", "fire_smoke"),
    "gas": ("gas_ppm",),
    "flood": ("depth_m",),
}  # each kind's fields, as its runtime's fields() names them


@dataclass(frozen=True)
class HazardFacts:
    """One hazard as the screen names it."""

    id: str
    kind: str
    number: int  # its number among the unnamed hazards of its kind (1, 2, …); 0 if not needed
    given: tuple[str, str] | None  # the drill's own name for it (en, zh), if any
    wildland: bool  # a fire that starts in wildland (see the module docstring)
    wildland_share: float  # the share of wildland round its ignitions (fires; 0 otherwise)
    place: Place | None  # where it starts, when another hazard of its kind needs telling apart
    origin: tuple[float, float] | None = None  # where it starts (m): first ignition, …


def _land_use(loaded: LoadedScenario) -> tuple[np.ndarray, float]:
    """The drill's land-use grid (built as the engine builds it: ~15 ms on a 100 x 80 map)."""
    from sim.world.terrain import build_terrain

    _, land_use, _ = build_terrain(loaded.scenario, loaded.base_dir)
    return land_use, float(loaded.scenario.map.cell_m)


def hazard_facts(loaded: LoadedScenario) -> dict[str, HazardFacts]:
    """Every hazard of the drill, by id, in the drill's order."""
    scenario = loaded.scenario
    kinds = [h.kind for h in scenario.hazards]
    grid = _land_use(loaded) if "fire" in kinds else None
    identities = hazard_identities(scenario)  # the number and place the report uses too
    facts: dict[str, HazardFacts] = {}
    for hazard in scenario.hazards:
        told = identities[hazard.id]
        points = [tuple(i.at) for i in getattr(hazard, "ignitions", [])]
        share = wildland_share(*grid, points) if grid is not None and hazard.kind == "fire" else 0.0
        facts[hazard.id] = HazardFacts(
            hazard.id,
            hazard.kind,
            told.number,
            told.given,
            share >= WILDLAND_SHARE,
            share,
            told.place,
            told.origin,
        )
    return facts


class HazardNames:
    """The drill's hazards in the translator's language."""

    def __init__(self, loaded: LoadedScenario, t: Translator) -> None:
        self.t = t
        self.facts = hazard_facts(loaded)
        scenario = loaded.scenario
        self._places = {
            **{("zone", z.id): (z.name.en, z.name.zh) for z in scenario.zones},
            **{("road", r.id): (r.name.en, r.name.zh) for r in scenario.roads if r.name},
            **{("facility", f.id): (f.name.en, f.name.zh) for f in scenario.facilities},
        }

    def front(self, hazard_id: str | None) -> str:
        """The word for a fire's front, as an incident's kind: its given name, else "wildfire
        front" / "fire front" by where it starts, numbered when the drill has several fires
        ("fire front 2"). A front whose fire is not known reads as the drill's fires do when
        they agree, else as the neutral "fire front"."""
        fact = self.facts.get(str(hazard_id))
        if fact is None:
            fires = [f for f in self.facts.values() if f.kind == "fire"]
            wild = bool(fires) and all(f.wildland and f.given is None for f in fires)
            if len(fires) == 1:
                return self.front(fires[0].id)
            return self.t("hazard_name.wildfire_front" if wild else "hazard_name.fire_front")
        if fact.given is not None:
            return self.t.pick(*fact.given)
        word = self.t("hazard_name.wildfire_front" if fact.wildland else "hazard_name.fire_front")
        return self.t("hazard_name.numbered", name=word, n=fact.number) if fact.number else word

    def title(self, hazard_id: str | None, with_place: bool = True) -> str:
        """A hazard's name on the legend and the panel: a fire's :meth:`front`, other hazards
        by their given name or kind; with the place it starts when several share a kind
        ("fire front 2 (Yunxi Logistics Park)")."""
        fact = self.facts.get(str(hazard_id))
        if fact is None:
            return self.t("thing.hazard_unknown")
        if fact.kind == "fire":
            name = self.front(fact.id)
        elif fact.given is not None:
            name = self.t.pick(*fact.given)
        else:
            name = self.t.enum("hazard", fact.kind)
            if fact.number:
                name = self.t("hazard_name.numbered", name=name, n=fact.number)
        place = self.place(fact.id)
        if with_place and place is not None:
            return self.t("hazard_name.at", name=name, place=place)
        return name

    def place(self, hazard_id: str | None) -> str | None:
        """Where a hazard starts, in words, when it must be told from another of its kind
        ("Yunxi Logistics Park", "near East Village" / "东村附近"); None otherwise."""
        fact = self.facts.get(str(hazard_id))
        if fact is None or fact.place is None:
            return None
        pair = self._places.get((fact.place.kind, fact.place.ident))
        if pair is None:
            return None
        if fact.place.relation == "near":
            return self.t("hazard_names.near", place=self.t.pick(*pair))
        return self.t.pick(*pair)

    def layer_title(self, field: str, layer: str, with_place: bool = True) -> str:
        """The heading of a hazard layer ``layer`` (its words without a hazard) for ``field``:
        unchanged for the drill's only hazard of its kind unless the drill names it; else the
        hazard's :meth:`title` (a fire's layers share it: one legend entry per fire), or for
        other kinds "<hazard>: <layer>"."""
        owner = self.owner(field)
        fact = self.facts.get(str(owner))
        if fact is None or (not self.several(fact.kind) and fact.given is None):
            return layer
        name = self.title(fact.id, with_place)
        if fact.kind == "fire":
            return name[:1].upper() + name[1:]
        return self.t("hazard_name.layer", hazard=name, layer=layer)

    def burning(self, fields: Mapping[str, np.ndarray]) -> list[str]:
        """When the drill has several fires, those whose fields (a snapshot's) show fire or
        burnt ground now, in the drill's order; none for a drill with one fire."""
        if not self.several("fire"):
            return []
        lit = []
        for fact in self.facts.values():
            mine = [f for f in fields if self.owner(f) == fact.id and "smoke" not in f]
            if fact.kind == "fire" and any(np.asarray(fields[f]).any() for f in mine):
                lit.append(fact.id)
        return lit

    def several(self, kind: str) -> bool:
        """Whether the drill has more than one hazard of ``kind``."""
        return sum(1 for f in self.facts.values() if f.kind == kind) > 1

    def owner(self, field: str) -> str | None:
        """The id of the hazard whose snapshot field ``field`` is (None if unknown)."""
        prefix, _, plain = field.rpartition(":")
        for hazard_kind, names in FIELD_KINDS.items():
            number = prefix.removeprefix(hazard_kind)
            if plain in names and (prefix in ("", hazard_kind) or number.isdigit()):
                ids = [f.id for f in self.facts.values() if f.kind == hazard_kind]
                nth = 0 if not prefix else 1 if prefix == hazard_kind else int(number) - 1
                return ids[nth] if nth < len(ids) else None
        return None
