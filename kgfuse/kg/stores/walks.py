"""The traversal half of the ``GraphStore`` contract: adjacency, k-hop neighbours, paths,
subgraphs, all over the ``_links``/``_degrees`` primitives and bounded by a ``SearchBudget``
(the walks themselves are in ``traversal``)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from typing import NamedTuple

from kgfuse.errors import StoreError
from kgfuse.kg.stores import traversal
from kgfuse.kg.stores.checks import storable_key
from kgfuse.kg.stores.order import edge_order
from kgfuse.kg.stores.primitives import StorePrimitives
from kgfuse.kg.stores.traversal import Neighbourhood, PathSearch, SearchBudget
from kgfuse.types import Edge, Entity, Neighbour


class PathResult(NamedTuple):
    """A path search's answer: ``edges`` (None: no path found) and ``stopped`` (None: the
    answer is exact; else one line naming the budget that cut the search short)."""

    edges: list[Edge] | None
    stopped: str | None


class GraphWalks(StorePrimitives):
    """Adjacency and walks of a store (``GraphStore`` adds the rest of the contract)."""

    @abstractmethod
    def entity(self, key: str) -> Entity:
        """The entity with this key (``GraphStore.entity``)."""

    @abstractmethod
    def entities(self, keys: Iterable[str]) -> dict[str, Entity]:
        """The entities for those keys that exist (``GraphStore.entities``)."""

    # ------------------------------------------------------------------ traversal
    def adjacent_edges(self, keys: Iterable[str]) -> list[Edge]:
        """Return every edge that touches one of ``keys`` (either direction), sorted."""
        keys = [k for k in dict.fromkeys(keys) if storable_key(k)]
        if not keys:
            return []
        return sorted(set(self._adjacent(keys)), key=edge_order)

    def edges_among(self, keys: Iterable[str], *, hub_degree: int = 500) -> list[Edge]:
        """Return the edges whose two ends are both in ``keys``, sorted.

        A hub's adjacency (thousands of facts) is not read: its edges to the other keys come
        from their side, and edges between two hubs from the hubs' precomputed top edges
        (``summaries.TOP_EDGES`` each), so the cost is bounded by the non-hub keys.

        Args:
            keys: Entity keys.
            hub_degree: Degree above which a key counts as a hub (keys without a stored
                summary are read live, whatever their degree).
        """
        wanted = sorted({k for k in keys if storable_key(k)})
        degrees = self._degrees(wanted)
        hubs = [k for k in wanted if degrees.get(k, 0) > hub_degree]
        light = [k for k in wanted if degrees.get(k, 0) <= hub_degree]
        among = set(wanted)
        candidates = set(self._adjacent(light)) if light else set()
        for summary in self._read_summaries(hubs).values():
            candidates.update(summary.edges)
        return sorted(
            (e for e in candidates if e.subject_key in among and e.object_key in among),
            key=edge_order,
        )

    def neighbours(
        self, key: str, *, hops: int = 1, limit: int = 100, budget: SearchBudget | None = None
    ) -> list[Neighbour]:
        """Return the entities within ``hops`` hops of ``key`` (nearest first, then by key).

        Bounded on hubs: see ``neighbourhood``, which also says why a search stopped early.

        Args:
            key: Entity key.
            hops: Maximum distance (1 to 5).
            limit: Maximum number of neighbours returned; also bounds the frontier.
            budget: Edge and time budget (``SearchBudget()`` by default).
        """
        ranked = self.neighbourhood(key, hops=hops, limit=limit, budget=budget).ranked
        entities = self.entities(k for _, k in ranked)
        return [Neighbour(entities[k], d) for d, k in ranked if k in entities]

    def neighbourhood(
        self, key: str, *, hops: int = 1, limit: int = 100, budget: SearchBudget | None = None
    ) -> Neighbourhood:
        """The k-hop search behind ``neighbours``: ``(distance, key)`` pairs and ``stopped``,
        one line naming the budget when it cut the search short (hubs left unexpanded)."""
        self._check_hops(hops)
        self.entity(key)
        return traversal.neighbourhood(
            self._links, self._degrees, key, hops=hops, limit=limit,
            budget=budget or SearchBudget(),
        )  # fmt: skip

    def shortest_path(
        self,
        source: str,
        target: str,
        *,
        max_hops: int = 4,
        budget: SearchBudget | None = None,
    ) -> list[Edge] | None:
        """Return a shortest path of edges (ignoring direction) from ``source`` to ``target``.

        Ties are broken deterministically (smallest keys first), so every backend returns the
        same path. Returns None when no path of at most ``max_hops`` edges exists, or when
        the budget ran out first (``find_path`` tells the two apart).
        """
        return self.find_path(source, target, max_hops=max_hops, budget=budget).edges

    def find_path(
        self,
        source: str,
        target: str,
        *,
        max_hops: int = 4,
        budget: SearchBudget | None = None,
    ) -> PathResult:
        """Bidirectional shortest-path search with an edge budget and a time limit.

        Returns:
            The edges (or None) and ``stopped``: None when the answer is exact, else one
            line naming the budget that cut the search short.
        """
        self._check_hops(max_hops)
        self.entity(source)
        self.entity(target)
        found: PathSearch = traversal.shortest_path(
            self._links, self._degrees, source, target, max_hops=max_hops,
            budget=budget or SearchBudget(),
        )  # fmt: skip
        if found.path is None:
            return PathResult(None, found.stopped)
        support = self._edge_support(found.path) if found.path else {}
        return PathResult([Edge(*spo, support.get(spo, 0)) for spo in found.path], None)

    def subgraph(
        self, keys: Iterable[str], *, hops: int = 1, max_edges: int = 10_000
    ) -> list[Edge]:
        """Return the edges among the entities within ``hops`` of any of ``keys``.

        Args:
            keys: Seed entity keys (unknown keys are ignored).
            hops: Radius around the seeds (0 = only edges among the seeds).
            max_edges: Bound on the edges returned (the closest ones are kept).
        """
        if hops < 0 or hops > 5:
            raise StoreError(f"hops must be between 0 and 5, got {hops}")
        seeds = set(self.entities(keys))
        nodes = traversal.ball(self._links, seeds, hops=hops, max_nodes=max_edges)
        edges = [
            e
            for e in self.adjacent_edges(sorted(nodes))
            if e.subject_key in nodes and e.object_key in nodes
        ]
        return edges[:max_edges]

    @staticmethod
    def _check_hops(hops: int) -> None:
        if not 1 <= hops <= 5:
            raise StoreError(f"hops must be between 1 and 5, got {hops}")
