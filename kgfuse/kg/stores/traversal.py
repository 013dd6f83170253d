"""Graph walks written once over an ``adjacent`` function, so every backend walks alike.

``adjacent(keys)`` returns every edge touching one of ``keys`` (either direction), sorted;
``GraphStore.adjacent_edges`` is that function for a store.
"""

from __future__ import annotations

from collections.abc import Callable

from kgfuse.types import Edge

#: Every edge touching one of the keys, sorted.
Adjacent = Callable[[list[str]], list[Edge]]


def distances(adjacent: Adjacent, key: str, *, hops: int, limit: int) -> list[tuple[int, str]]:
    """Return ``(distance, key)`` of the entities within ``hops`` of ``key``, nearest first.

    Args:
        adjacent: The graph's adjacency function.
        key: The start entity (not returned).
        hops: Maximum distance.
        limit: Maximum number returned; also bounds the frontier.

    Returns:
        At most ``limit`` pairs, sorted by distance then key.
    """
    distance = {key: 0}
    frontier = [key]
    for hop in range(1, hops + 1):
        nxt: set[str] = set()
        for edge in adjacent(frontier):
            for other in (edge.subject_key, edge.object_key):
                if other not in distance:
                    distance[other] = hop
                    nxt.add(other)
        frontier = sorted(nxt)[: limit * 10]
        if not frontier or len(distance) > limit * 10:
            break
    return sorted((d, k) for k, d in distance.items() if k != key)[:limit]


def shortest_path(
    adjacent: Adjacent, source: str, target: str, *, max_hops: int
) -> list[Edge] | None:
    """Return a shortest path of edges (ignoring direction) from ``source`` to ``target``.

    Breadth first, smallest keys first, so ties are broken the same way on every backend.

    Args:
        adjacent: The graph's adjacency function.
        source: Start entity key.
        target: End entity key.
        max_hops: Longest path considered.

    Returns:
        The edges in path order (empty when ``source == target``), or None when no path of at
        most ``max_hops`` edges exists.
    """
    if source == target:
        return []
    parent: dict[str, tuple[str, Edge] | None] = {source: None}
    frontier = [source]
    for _ in range(max_hops):
        nxt: list[str] = []
        for edge in adjacent(frontier):
            ends = (edge.subject_key, edge.object_key)
            for here, other in (ends, ends[::-1]):
                if here in frontier and other not in parent:
                    parent[other] = (here, edge)
                    nxt.append(other)
        if target in parent:
            path: list[Edge] = []
            node = target
            while (step := parent[node]) is not None:
                node, edge = step
                path.append(edge)
            return path[::-1]
        frontier = sorted(set(nxt))
        if not frontier:
            return None
    return None


def ball(adjacent: Adjacent, seeds: set[str], *, hops: int, max_nodes: int) -> set[str]:
    """Return the entities within ``hops`` of any of ``seeds`` (the seeds included).

    Args:
        adjacent: The graph's adjacency function.
        seeds: Existing entity keys.
        hops: Radius (0 = the seeds only).
        max_nodes: Stop widening once more entities than this are reached.

    Returns:
        The set of entity keys.
    """
    nodes = set(seeds)
    frontier = sorted(nodes)
    for _ in range(hops):
        nxt = {k for e in adjacent(frontier) for k in (e.subject_key, e.object_key)}
        frontier = sorted(nxt - nodes)
        nodes |= nxt
        if not frontier or len(nodes) > max_nodes:
            break
    return nodes
