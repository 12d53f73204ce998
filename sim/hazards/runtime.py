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
        self._stores: tuple[int, list[str], np.ndarray] | None = None  # lose_facilities_above
        self._zones_flat: tuple[np.ndarray, list[tuple[int, int]]] | None = None  # _zone_cells
        self._pending: tuple[int, list, np.ndarray, np.ndarray] | None = None  # reach_zones_above

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

    def displaced_shares(self) -> list[float]:
        """:meth:`displaced_share` of every zone, in zone order (runtimes that displace
        people answer all zones at once)."""
        return [self.displaced_share(zone.index) for zone in self.drill.world.zones]

    def _zone_cells(self) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Every zone's cells end to end, and each zone's (start, end) in them (made once)."""
        if self._zones_flat is None:
            zones = self.drill.world.zones
            sizes = [zone.cells.size for zone in zones]
            ends = np.cumsum(sizes).tolist()
            cells = np.concatenate([zone.cells for zone in zones] or [np.zeros(0, np.int64)])
            bounds = [(end - size, end) for size, end in zip(sizes, ends, strict=True)]
            self._zones_flat = (cells.astype(np.int64), bounds)
        return self._zones_flat

    def _shares_by_zone(self, flags: np.ndarray) -> list[float]:
        """Each zone's share of its cells set in ``flags`` (a boolean field gathered over
        :meth:`_zone_cells`), 0.0 for a zone without cells: the count over the size, as
        ``float(flags[a:b].mean())`` (numpy adds the ones exactly and divides once)."""
        bounds = self._zone_cells()[1]
        starts = [a for a, b in bounds if b > a]
        counts = iter(np.add.reduceat(flags, starts, dtype=np.int64).tolist() if starts else [])
        return [next(counts) / (b - a) if b > a else 0.0 for a, b in bounds]

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

    def reach_zones_above(self, field_flat: np.ndarray, limit: float) -> None:
        """:meth:`reach_zones_by` with a zone reached once the flat grid ``field_flat``
        exceeds ``limit`` in any of its cells: one gather over the cells of every zone not
        reached yet (the same zones reached, in the same order)."""
        pending = self._pending
        if pending is None or pending[0] != len(self.reached_zones):  # (it only grows)
            zones = [
                zone
                for zone in self.drill.world.zones
                if zone.index not in self.reached_zones and zone.cells.size
            ]
            sizes = [zone.cells.size for zone in zones]
            starts = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
            cells = np.concatenate([zone.cells for zone in zones] or [np.zeros(0, np.int64)])
            pending = self._pending = (len(self.reached_zones), zones, cells, starts)
        _, zones, cells, starts = pending
        if not zones:
            return
        reached = np.logical_or.reduceat(field_flat[cells] > limit, starts).tolist()
        for zone, hit in zip(zones, reached, strict=True):
            if hit:
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

    def lose_facilities_above(self, field_flat: np.ndarray, limit: float) -> None:
        """:meth:`lose_facilities_by` with a shelter or depot ruined where the flat grid
        ``field_flat`` exceeds ``limit`` at its cell: read at all of them in one gather (the
        same facilities lost, in the same order)."""
        facilities = self.drill.world.facilities
        if self._stores is None or self._stores[0] != len(facilities):
            nx = self.drill.world.shape[1]
            stores = (FacilityType.SHELTER, FacilityType.DEPOT)
            kept = [f for f in facilities.values() if f.type in stores]
            cells = np.array([f.cell[0] * nx + f.cell[1] for f in kept], dtype=np.int64)
            self._stores = (len(facilities), [f.id for f in kept], cells)
        _, ids, cells = self._stores
        for index in np.flatnonzero(field_flat[cells] > limit).tolist():
            if ids[index] not in self.lost:
                self.lost.add(ids[index])
                self.drill.lose_facility(ids[index], cause=self.id)


def build_hazards(drill: Drill) -> dict[str, HazardRuntime]:
    """One runtime per hazard of the scenario, by id."""
    import importlib

    runtimes: dict[str, HazardRuntime] = {}
    for spec in drill.scenario.hazards:
        module = importlib.import_module(f"sim.hazards.{spec.kind}_runtime")
        runtimes[spec.id] = module.RUNTIME(drill, spec)
    return runtimes
