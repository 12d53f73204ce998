"""The road network: a networkx graph with travel times by road class.

Roads join where their polylines share a point (to the metre). Long straight
pieces are cut into edges of at most ``MAX_EDGE_M`` so that a flood or fire
closes only the stretch it reaches. Facilities and zones reach the network by
an access link to the nearest node. An edge is open while it has no closure
reason; reasons are kept as a set (command, inject, flood, fire, bridge lost)
so that lifting one does not lift another.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sim.scenario.schema import Road, RoadClass
from sim.world.geometry import segment_cells

MAX_EDGE_M = 250.0

# Free-flow speeds (km/h) by class: design speeds of China's JTG B01-2014
# (expressway 80–120, first-class/urban arterial 40–60, local 20–30), taken
# at the low end because emergency traffic shares the road with evacuees.
SPEED_KMH = {RoadClass.EXPRESSWAY: 80.0, RoadClass.MAIN: 50.0, RoadClass.LOCAL: 30.0}
ACCESS_SPEED_KMH = 15.0  # last metres off the network: yards, lanes, on foot with kit

# Capacity (vehicles/h, both directions): HCM 2010 base lane capacities
# (freeway ≈ 2,200 pc/h/ln; multilane ≈ 1,900; two-lane rural ≈ 1,700 total),
# taking 2 lanes each way for expressways, 1 for main roads, and a halved
# two-lane figure for local roads with parked cars and junctions.
CAPACITY_VEH_PER_H = {
    RoadClass.EXPRESSWAY: 2 * 2 * 2200.0,
    RoadClass.MAIN: 2 * 1900.0,
    RoadClass.LOCAL: 850.0,
}
ACCESS_CAPACITY_VEH_PER_H = 600.0
SECOND_ACCESS_EXTRA_M = 300.0  # a second access link may be this much longer than the first


@dataclass
class RoadEdge:
    """One stretch of road between two nodes."""

    key: tuple[int, int]
    road_id: str
    road_class: str  # a RoadClass value, or "access"
    length_m: float
    speed_kmh: float
    capacity_veh_per_h: float
    cells: np.ndarray  # flat grid indices it passes over
    bridge: bool = False
    closures: set[str] = field(default_factory=set)

    @property
    def is_open(self) -> bool:
        return not self.closures


_CellRuns = tuple[list[RoadEdge], np.ndarray, np.ndarray, np.ndarray, np.ndarray]
_UNKNOWN = object()  # a route not asked for yet (None is "no way")


class RoadNetwork:
    """Roads as a graph; nodes are ints with positions in ``node_xy`` (m)."""

    def __init__(self, roads: list[Road], shape: tuple[int, int], cell_m: float) -> None:
        self.shape = shape
        self.cell_m = cell_m
        self.graph = nx.Graph()
        self._xy: list[tuple[float, float]] = []
        self._node_at: dict[tuple[int, int], int] = {}
        self.edges: dict[tuple[int, int], RoadEdge] = {}
        self.road_edges: dict[str, list[tuple[int, int]]] = {}
        self.version = 0  # counts every change of an edge or of its closure reasons
        self._cell_runs: _CellRuns | None = None
        self._reasons: dict[str, tuple[int, np.ndarray]] = {}  # closed_for, by version
        # reason -> holder -> the edges it holds closed for that reason (see hold()).
        self._holds: dict[str, dict[str, np.ndarray]] = {}
        # route() answers of the current version: (path, minutes), or None for no way.
        self._routes: dict[tuple, tuple[tuple[int, ...], float] | None] = {}
        self._routes_version = -1
        self._parts: dict[tuple[frozenset[str], frozenset[tuple[int, int]]], dict[int, int]] = {}
        self._parts_edges = -1  # the number of edges _parts were found with
        for road in roads:
            self._add_road(road)
        self._join_t_junctions(tolerance_m=max(1.0, cell_m / 2))
        self._road_node_count = len(self._xy)

    # -- building -------------------------------------------------------------
    def _node(self, x: float, y: float) -> int:
        key = (round(x), round(y))
        node = self._node_at.get(key)
        if node is None:
            node = len(self._xy)
            self._node_at[key] = node
            self._xy.append((float(x), float(y)))
            self.graph.add_node(node)
        return node

    def _add_edge(self, a: int, b: int, road_id: str, road_class: str, bridge: bool) -> None:
        if a == b:
            return
        key = (min(a, b), max(a, b))
        (xa, ya), (xb, yb) = self._xy[a], self._xy[b]
        length = math.hypot(xb - xa, yb - ya)
        is_access = road_class == "access"
        edge = RoadEdge(
            key=key,
            road_id=road_id,
            road_class=road_class,
            length_m=length,
            speed_kmh=ACCESS_SPEED_KMH if is_access else SPEED_KMH[RoadClass(road_class)],
            capacity_veh_per_h=(
                ACCESS_CAPACITY_VEH_PER_H
                if is_access
                else CAPACITY_VEH_PER_H[RoadClass(road_class)]
            ),
            cells=segment_cells((xa, ya), (xb, yb), self.shape, self.cell_m),
            bridge=bridge,
        )
        self.edges[key] = edge
        self.graph.add_edge(*key, edge=edge)  # the search reads it without a lookup
        self.road_edges.setdefault(road_id, []).append(key)
        self.version += 1
        self._cell_runs = None

    def _add_road(self, road: Road) -> None:
        previous = self._node(*road.points[0])
        for (x0, y0), (x1, y1) in zip(road.points[:-1], road.points[1:], strict=True):
            pieces = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / MAX_EDGE_M))
            for k in range(1, pieces + 1):
                t = k / pieces
                node = self._node(x0 + t * (x1 - x0), y0 + t * (y1 - y0))
                self._add_edge(previous, node, road.id, road.road_class.value, road.bridge)
                previous = node

    def _join_t_junctions(self, tolerance_m: float) -> None:
        """Join a road that ends on another road's stretch (a T-junction) by splitting it."""
        for node in [n for n in self.graph.nodes if self.graph.degree(n) == 1]:
            px, py = self._xy[node]
            best: tuple[float, tuple[int, int]] | None = None
            for key in self.edges:
                if node in key:
                    continue
                (ax, ay), (bx, by) = self._xy[key[0]], self._xy[key[1]]
                dx, dy = bx - ax, by - ay
                t = ((px - ax) * dx + (py - ay) * dy) / max(dx * dx + dy * dy, 1e-12)
                if not 0.0 < t < 1.0:
                    continue
                d = math.hypot(px - (ax + t * dx), py - (ay + t * dy))
                if d <= tolerance_m and (best is None or d < best[0]):
                    best = (d, key)
            if best is not None:
                self._cell_runs = None
                old = self.edges.pop(best[1])
                self.graph.remove_edge(*best[1])
                self.road_edges[old.road_id].remove(best[1])
                for end in best[1]:
                    self._add_edge(end, node, old.road_id, old.road_class, old.bridge)

    def connect(
        self, xy: tuple[float, float], name: str, water: np.ndarray | None = None
    ) -> int:
        """A node at ``xy`` linked to the nearest road node (an access link).

        With ``water`` (a boolean cell grid: the river), a link never crosses it:
        the nearest road node the place can reach without wading is taken instead
        (the nearest of all if every one is across the water). A place on the far
        bank of a river is not served by the road on the near bank.
        """
        road_xy = np.asarray(self._xy[: self._road_node_count])
        distance = np.hypot(road_xy[:, 0] - xy[0], road_xy[:, 1] - xy[1])
        order = [int(n) for n in np.argsort(distance, kind="stable")]
        # Crossings are tested lazily, nearest first: a drawn segment per road node is the
        # slow part, and only the first few nodes can be chosen.
        dry = (n for n in order if water is None or not self._crosses(xy, n, water))
        nearest = next(dry, order[0])
        node = self._node(*xy)
        if node != nearest:
            self._add_edge(nearest, node, f"access:{name}", "access", bridge=False)
        # A second way in from another road close by, so one blocked road does not cut it off.
        first_roads = self._roads_at(nearest)
        limit = max(2.0 * distance[nearest], distance[nearest] + SECOND_ACCESS_EXTRA_M)
        for other in order:
            if distance[other] > limit:
                break  # the rest lie farther still (order is by distance)
            if other == nearest:
                continue
            if water is not None and self._crosses(xy, other, water):
                continue
            if other != node and not self._roads_at(other) & first_roads:
                self._add_edge(other, node, f"access:{name}", "access", bridge=False)
                break
        return node

    def _crosses(self, xy: tuple[float, float], node: int, water: np.ndarray) -> bool:
        """Whether a straight link from ``xy`` to road node ``node`` crosses a ``water`` cell."""
        cells = segment_cells(xy, self._xy[node], self.shape, self.cell_m)
        return bool(water.ravel()[cells].any())

    def _roads_at(self, node: int) -> set[str]:
        return {
            self.edges[(min(node, n), max(node, n))].road_id for n in self.graph.neighbors(node)
        }

    # -- queries --------------------------------------------------------------
    @property
    def node_xy(self) -> np.ndarray:
        return np.asarray(self._xy)

    def xy(self, node: int) -> tuple[float, float]:
        return self._xy[node]

    def edge(self, a: int, b: int) -> RoadEdge:
        return self.edges[(min(a, b), max(a, b))]

    def route(
        self, source: int, target: int, speed_kmh: float, ignores: frozenset[str] = frozenset()
    ) -> tuple[list[int], float] | None:
        """Fastest open path and its time (min) for a vehicle of top speed ``speed_kmh``.

        Closures whose reason is in ``ignores`` do not stop this vehicle (a boat
        ignores ``flood``). Returns None when no open path exists.
        """
        if source == target:
            return [source], 0.0
        # The answer stands until an edge or a closure changes (``version``): units, shelters
        # and evacuees ask the same question many times in between.
        if self._routes_version != self.version:
            self._routes.clear()
            self._routes_version = self.version
        key = (source, target, speed_kmh, ignores)
        known = self._routes.get(key, _UNKNOWN)
        if known is not _UNKNOWN:
            return None if known is None else (list(known[0]), known[1])
        found = self._search(source, target, speed_kmh, ignores)
        self._routes[key] = None if found is None else (tuple(found[0]), found[1])
        return found

    def _search(
        self, source: int, target: int, speed_kmh: float, ignores: frozenset[str]
    ) -> tuple[list[int], float] | None:
        """Dijkstra's search for :meth:`route` (uncached): ``nx.single_source_dijkstra`` of
        ``self.graph`` from ``source`` to ``target``, step for step, without its dispatch and
        weight-function layers (a unit asks a new route each time a road changes).

        networkx 3's ``_dijkstra_multisource``: the fringe is a heap of (distance, push
        count, node), so equal distances leave in the order they were pushed; neighbours in
        the graph's adjacency order; a node is reached anew only by a shorter distance, and
        its path runs through the node it was last reached from. So the same path and the
        same sum of the same minutes (a test compares the two on the shipped maps).
        """
        if source not in self.graph:
            raise nx.NodeNotFound(f"Node {source} not found in graph")
        if source == target:
            return [target], 0.0
        adjacency = self.graph.adj
        done: dict[int, float] = {}
        seen: dict[int, float] = {source: 0}
        before: dict[int, int] = {}
        pushed = 0
        fringe: list[tuple[float, int, int]] = [(0, pushed, source)]
        while fringe:
            here_min, _, here = heapq.heappop(fringe)
            if here in done:
                continue
            done[here] = here_min
            if here == target:
                break
            for there, data in adjacency[here].items():
                edge = data["edge"]
                closures = edge.closures
                if closures and not closures <= ignores:  # a closure this vehicle may not pass
                    continue
                # edge_minutes, as the weight networkx was given
                arrive = here_min + edge.length_m / 1000.0 / min(edge.speed_kmh, speed_kmh) * 60.0
                if there in done:
                    continue  # (never shorter: no negative minutes)
                if there not in seen or arrive < seen[there]:
                    seen[there] = arrive
                    pushed += 1
                    heapq.heappush(fringe, (arrive, pushed, there))
                    before[there] = here
        if target not in done:
            return None
        path = [target]
        while (previous := before.get(path[-1])) is not None:
            path.append(previous)
        path.reverse()
        return path, float(done[target])

    def parts(self, ignores: frozenset[str] = frozenset()) -> dict[int, int]:
        """Each node's part of the network joined by roads open to a vehicle ignoring ``ignores``.

        Two nodes with the same label are joined, exactly when :meth:`route`
        finds a path between them; a node missing from the map touches no open road.
        """
        # A flood closes and reopens the same stretches as it rises and falls: the parts of
        # a set of closed edges seen before are those found then (the same edges in the
        # same order, so the same labels). Forgotten when an edge is added.
        closed = frozenset(key for key, edge in self.edges.items() if edge.closures - ignores)
        if self._parts_edges != len(self.edges):
            self._parts.clear()
            self._parts_edges = len(self.edges)
        found = self._parts.get((ignores, closed))
        if found is None:
            found = _parts_of(
                self.graph, (key for key, edge in self.edges.items() if not edge.closures - ignores)
            )
            self._parts[(ignores, closed)] = found
        return dict(found)

    def exit_capacity_veh_per_h(self, node: int) -> float:
        """Outbound vehicles per hour a place at ``node`` can send onto the road network.

        A town's own streets feed every junction its access links land on, so its
        exits are the open road stretches at ``node`` and at the far ends of its
        open access links; each carries half its two-way capacity outbound. The
        synthetic access links themselves are not the bottleneck. 0 when every
        exit is closed.
        """
        exits: set[tuple[int, int]] = set()
        for hub in [node, *self.graph.neighbors(node)]:
            link = self.edges.get((min(node, hub), max(node, hub)))
            if hub != node and (link is None or link.road_class != "access" or not link.is_open):
                continue
            for other in self.graph.neighbors(hub):
                edge = self.edge(hub, other)
                if edge.road_class != "access" and edge.is_open:
                    exits.add(edge.key)
        return sum(self.edges[k].capacity_veh_per_h / 2.0 for k in sorted(exits))

    @staticmethod
    def edge_minutes(edge: RoadEdge, speed_kmh: float) -> float:
        """Minutes to drive ``edge`` at the lower of its speed and the vehicle's."""
        return edge.length_m / 1000.0 / min(edge.speed_kmh, speed_kmh) * 60.0

    # -- closures -------------------------------------------------------------
    def set_closure(self, key: tuple[int, int], reason: str, closed: bool) -> bool:
        """Add or lift one closure reason; True if the edge's open state changed."""
        edge = self.edges[key]
        was_open, had = edge.is_open, len(edge.closures)
        if closed:
            edge.closures.add(reason)
        else:
            edge.closures.discard(reason)
        if len(edge.closures) != had:
            self.version += 1
        return was_open != edge.is_open

    def edges_over(self, blocked_flat: np.ndarray) -> list[tuple[RoadEdge, bool]]:
        """Each edge, in :attr:`edges` order, and whether any cell it passes over is set in
        the flat grid ``blocked_flat`` (as ``blocked_flat[edge.cells].any()``, for every edge
        at once: one gather and one segmented reduction instead of an index per edge)."""
        hit = self.edges_hit(blocked_flat[self.road_cells])
        return list(zip(self.edge_list, hit.tolist(), strict=True))

    def _runs(self) -> _CellRuns:
        """The edges in order, their cells end to end, where each edge's run starts, which
        edges pass over any cell, which are bridges; made again after an edge is added."""
        if self._cell_runs is None:
            edges = list(self.edges.values())
            crossing = np.array([edge.cells.size > 0 for edge in edges], dtype=bool)
            sizes = [edge.cells.size for edge in edges if edge.cells.size]
            cells = np.concatenate([e.cells for e in edges if e.cells.size] or [np.zeros(0)])
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
            bridges = np.array([edge.bridge for edge in edges], dtype=bool)
            runs = (edges, cells.astype(np.int64), starts, crossing, bridges)
            for array in runs[1:]:
                array.flags.writeable = False
            self._cell_runs = runs
            self._reasons.clear()
        return self._cell_runs

    @property
    def edge_list(self) -> list[RoadEdge]:
        """The edges in :attr:`edges` order (the order of :meth:`edges_hit`); do not change."""
        return self._runs()[0]

    @property
    def road_cells(self) -> np.ndarray:
        """Every edge's cells end to end, in :attr:`edge_list` order (a grid field gathered
        over them is what :meth:`edges_hit` reads)."""
        return self._runs()[1]

    def edges_hit(self, blocked_at_road_cells: np.ndarray) -> np.ndarray:
        """Whether each edge (in :attr:`edge_list` order) passes over a blocked cell, given
        the blocked flags gathered over :attr:`road_cells` (``blocked_flat[road_cells]``)."""
        edges, cells, starts, crossing, _ = self._runs()
        hit = np.zeros(len(edges), dtype=bool)  # an edge over no cell is never hit
        if cells.size:
            hit[crossing] = np.logical_or.reduceat(blocked_at_road_cells.astype(bool), starts)
        return hit

    def closed_for(self, reason: str) -> np.ndarray:
        """Whether each edge (in :attr:`edge_list` order) is closed for ``reason`` (read-only;
        worked out again only after a change of :attr:`version`)."""
        edges = self._runs()[0]
        known = self._reasons.get(reason)
        if known is None or known[0] != self.version:
            flags = np.fromiter((reason in e.closures for e in edges), dtype=bool, count=len(edges))
            flags.flags.writeable = False
            known = (self.version, flags)
            self._reasons[reason] = known
        return known[1]

    def hold(self, reason: str, holder: str, held: np.ndarray) -> np.ndarray:
        """Record that ``holder`` (a hazard) holds closed for ``reason`` the edges set in
        ``held`` (in :attr:`edge_list` order) and no others; return whether each edge is held
        for ``reason`` by any holder, as each last said (read-only).

        Several hazards of one kind close roads for the same reason: a stretch is closed for
        "flood" while any flood holds it, and open again only when none does. (Each flood
        used to reopen what the other had just closed, every step.) Holders that spoke before
        an edge was added hold none of the new edges: edges are only ever added at the end of
        :attr:`edge_list` once the network is built (access links of new places).
        """
        flags = np.array(held, dtype=bool)  # a copy: the caller's array may change
        flags.flags.writeable = False
        holders = self._holds.setdefault(reason, {})
        holders[holder] = flags
        if len(holders) == 1:
            return flags
        anyone = np.zeros(len(self.edge_list), dtype=bool)
        for other in holders.values():
            anyone[: other.size] |= other
        anyone.flags.writeable = False
        return anyone

    @property
    def bridges(self) -> np.ndarray:
        """Whether each edge (in :attr:`edge_list` order) is a bridge (read-only)."""
        return self._runs()[4]

    def edge_cell_max(self, field_flat: np.ndarray) -> dict[tuple[int, int], float]:
        """The highest value of a grid field over each edge's cells."""
        return {key: float(field_flat[edge.cells].max()) for key, edge in self.edges.items()}


def _parts_of(graph: nx.Graph, open_edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """``{n: i for i, nodes in enumerate(nx.connected_components(graph.edge_subgraph(
    open_edges))) for n in nodes}``, the same labels in the same order, without the
    subgraph view's filters (asked of every node and neighbour they were most of the cost).

    networkx 3 step for step: ``edge_subgraph`` takes the set of the edges and the set of
    their ends, copied; the view's nodes run in that set's order when fewer than half the
    graph's, else in the graph's; each part is a breadth-first search from the first node
    not seen yet, neighbours in the graph's order, kept if the edge is open.
    """
    edges = set(open_edges)
    ends: set[int] = set()
    for edge in edges:
        ends.update(edge[:2])
    shown = set(ends)  # (nx.filters.show_nodes copies it)
    both_ways = edges | {(b, a) for (a, b) in edges}
    nodes = graph.nodes
    order = (n for n in shown if n in nodes) if 2 * len(shown) < len(nodes) else (
        n for n in nodes if n in shown
    )
    adjacency = graph.adj
    left = sum(1 for n in shown if n in nodes)
    labels: dict[int, int] = {}
    seen: set[int] = set()
    parts: list[set[int]] = []
    for source in order:
        if source in seen:
            continue
        part, wanted = {source}, left - len(seen)
        level = [source]
        while level:
            here_level, level = level, []
            for here in here_level:
                for there in adjacency[here]:
                    if there in shown and (here, there) in both_ways and there not in part:
                        part.add(there)
                        level.append(there)
                if len(part) == wanted:
                    level = []
                    break
        seen.update(part)
        number = len(parts)
        parts.append(part)
        for n in part:
            labels[n] = number
    return labels


def joined(parts: Mapping[int, int], a: int, b: int) -> bool:
    """Whether nodes ``a`` and ``b`` lie in the same part of :meth:`RoadNetwork.parts`."""
    return a == b or parts.get(a, -1) == parts.get(b, -2)
