"""The bridge between hazard kernels (numpy fields) and the drill.

Each hazard in a scenario becomes a :class:`HazardRuntime`: a SimPy process
that steps its kernel with the current weather, closes roads the hazard makes
impassable, harms the people it reaches, opens incidents for responders and
reports milestones. Kernels know nothing of the drill; runtimes know nothing
of numerics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import events as ev
from sim.incidents import Incident
from sim.scenario.schema import FacilityType

if TYPE_CHECKING:
    from sim.engine import Drill


class HazardRuntime:
    """Base of the flood, fire and gas runtimes (the defaults do nothing)."""

    kind = "hazard"

    def __init__(self, drill: Drill, spec: Any) -> None:
        self.drill = drill
        self.spec = spec
        self.id: str = spec.id
        self.started = False
        self.start_min: float | None = spec.start_min
        self.lost: set[str] = set()
        self.reached_zones: set[int] = set()

    def start(self, now: bool = False) -> None:
        """Begin at the scheduled minute, or at once when an inject starts it."""
        if self.started or (self.start_min is None and not now):
            return
        self.started = True
        delay = 0.0 if now else self.start_min or 0.0
        self.drill.env.process(self._run(delay))

    def _run(self, delay_min: float) -> Any:
        raise NotImplementedError

    def metrics(self) -> dict[str, Any]:
        return {}

    def fields(self) -> dict[str, np.ndarray]:
        """Grid fields to draw (read-only views)."""
        return {}

    def footprint(self) -> np.ndarray | None:
        """Cells the hazard reached at its worst during the drill (None if it never started)."""
        return None

    def displaced_share(self, zone: int) -> float:
        """Share of a zone's homes the hazard has made uninhabitable now (0..1)."""
        del zone
        return 0.0

    def milestone(self, name: str, **data: Any) -> None:
        """Log a milestone of this hazard, naming its kind so readers can word it."""
        self.drill.emit(ev.HAZARD_MILESTONE, hazard=self.id, kind=self.kind, milestone=name, **data)

    def reach_zones(self, reached: np.ndarray) -> None:
        """Report each zone the hazard reaches for the first time (a milestone)."""
        flat = reached.ravel()
        self.reach_zones_by(lambda cells: bool(flat[cells].any()))

    def reach_zones_by(self, reaches: Callable[[np.ndarray], bool]) -> None:
        """:meth:`reach_zones`, asking ``reaches`` of each zone's cells (flat indices) not
        reached yet, so a hazard need not build a whole-grid mask (nor ask at all once
        every zone is reached)."""
        for zone in self.drill.world.zones:
            if zone.index in self.reached_zones or not zone.cells.size:
                continue
            if reaches(zone.cells):
                self.reached_zones.add(zone.index)
                self.milestone("zone_reached", zone=zone.id)

    def zone_threats(self) -> dict[int, tuple[float, str]]:
        """Forecast threat (0..1) per zone index and the advice: "evacuate" or "shelter"."""
        return {}

    def harm_people(self, dt_min: float) -> None:
        del dt_min

    def on_incident_resolved(self, incident: Incident) -> None:
        del incident

    def water_depth(self, row: int, col: int) -> float:
        del row, col
        return 0.0

    def breach(self, levee: str, cause: str) -> None:
        del levee, cause

    def recheck_roads(self) -> None:
        """Apply this hazard's road closures now, to roads just built (a new incident's
        access links), so a place is never shown a road for a minute that the water or
        fire has already cut."""
        if self.started:
            self._roads()

    def _roads(self) -> None:
        """Close the roads this hazard makes impassable (runtimes that close roads)."""

    # -- shared effects -------------------------------------------------------
    def close_roads_where(self, blocked: np.ndarray, reason: str) -> None:
        """Close the road stretches that cross a blocked cell; reopen the rest.

        Water does not close a bridge: its deck stands above the river it
        crosses (the cells under it are the river itself), and its approaches
        are ordinary roads that the water does close. A bridge is lost by a
        scenario's ``lose_bridge`` inject, or by fire.
        """
        roads = self.drill.world.roads
        self.close_roads_hit(roads.edges_hit(blocked.ravel()[roads.road_cells]), reason)

    def close_roads_hit(self, hit: np.ndarray, reason: str) -> None:
        """:meth:`close_roads_where`, given whether each edge is hit (in the road network's
        ``edge_list`` order, from ``edges_hit``): only the edges whose state for ``reason``
        changes are visited, in that order.

        The drill's hazards of one kind share ``reason``: a stretch stays closed for it while
        any of them holds it (:meth:`RoadNetwork.hold`, each as of its own last step), so one
        flood never reopens a road another flood still covers."""
        roads = self.drill.world.roads
        hit = roads.hold(reason, self.id, hit)
        change = hit != roads.closed_for(reason)
        if reason == "flood":
            change &= ~roads.bridges
        if not change.any():
            return
        edges = roads.edge_list
        closed, opened = [], []
        for index in np.flatnonzero(change).tolist():
            (closed if hit[index] else opened).append(edges[index].key)
        if closed:
            self.drill.set_edges_closed(closed, reason, True)
        if opened:
            self.drill.set_edges_closed(opened, reason, False)

    def lose_facilities_where(self, ruined: np.ndarray) -> None:
        """Shelters and depots standing on a ruined cell are lost (once)."""
        self.lose_facilities_by(lambda cell: bool(ruined[cell]))

    def lose_facilities_by(self, ruined: Callable[[tuple[int, int]], bool]) -> None:
        """:meth:`lose_facilities_where`, asking ``ruined`` of each (row, col) cell of a
        shelter or depot not lost yet (no whole-grid mask to build)."""
        for facility in self.drill.world.facilities.values():
            if facility.type not in (FacilityType.SHELTER, FacilityType.DEPOT):
                continue
            if facility.id not in self.lost and ruined(facility.cell):
                self.lost.add(facility.id)
                self.drill.lose_facility(facility.id, cause=self.id)


def build_hazards(drill: Drill) -> dict[str, HazardRuntime]:
    """One runtime per hazard of the scenario, by id."""
    import importlib

    runtimes: dict[str, HazardRuntime] = {}
    for spec in drill.scenario.hazards:
        module = importlib.import_module(f"sim.hazards.{spec.kind}_runtime")
        runtimes[spec.id] = module.RUNTIME(drill, spec)
    return runtimes
