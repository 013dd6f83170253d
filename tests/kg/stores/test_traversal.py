"""The bounded walks of ``traversal`` on random graphs, against a plain breadth-first search."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence

import pytest

from kgfuse.kg.stores.traversal import SearchBudget, neighbourhood, shortest_path

SPO = tuple[str, str, str]


def random_graph(seed: int, nodes: int, edges: int) -> list[SPO]:
    rng = random.Random(seed)
    names = [f"n{i:03d}" for i in range(nodes)]
    return sorted({(rng.choice(names), "p", rng.choice(names)) for _ in range(edges)})


def tools(graph: list[SPO]):  # type: ignore[no-untyped-def]
    by_node: dict[str, set[SPO]] = {}
    for spo in graph:
        for k in (spo[0], spo[2]):
            by_node.setdefault(k, set()).add(spo)
    reads: list[int] = []

    def links(keys: Sequence[str]) -> list[SPO]:
        out = sorted({spo for k in keys for spo in by_node.get(k, ())})
        reads.append(len(out))
        return out

    def degrees(keys: Sequence[str]) -> dict[str, int]:
        return {k: len(by_node[k]) for k in keys if k in by_node}

    return links, degrees, by_node, reads


def bfs_distance(by_node: dict[str, set[SPO]], a: str, b: str) -> int | None:
    seen = {a: 0}
    queue = deque([a])
    while queue:
        here = queue.popleft()
        for s, _, o in by_node.get(here, ()):
            for other in (s, o):
                if other not in seen:
                    seen[other] = seen[here] + 1
                    queue.append(other)
    return seen.get(b)


@pytest.mark.parametrize("seed", range(12))
def test_bidirectional_path_is_shortest_and_valid(seed: int) -> None:
    graph = random_graph(seed, nodes=60, edges=70 + seed * 5)
    links, degrees, by_node, _ = tools(graph)
    rng = random.Random(seed)
    for _ in range(15):
        a, b = rng.sample(sorted(by_node), 2)
        found = shortest_path(links, degrees, a, b, max_hops=5, budget=SearchBudget())
        expected = bfs_distance(by_node, a, b)
        assert found.stopped is None
        if expected is None or expected > 5:
            assert found.path is None
            continue
        assert found.path is not None and len(found.path) == expected
        here = a
        for s, _, o in found.path:  # consecutive edges, from a to b, ignoring direction
            assert here in (s, o)
            here = o if here == s else s
        assert here == b


def test_budget_is_checked_before_reading_a_hub() -> None:
    graph = [(f"leaf{i:04d}", "p", "hub") for i in range(1000)] + [("a", "p", "leaf0000")]
    graph += [(f"twig{i:04d}", "p", "hub2") for i in range(1000)] + [("x", "p", "twig0000")]
    links, degrees, _, reads = tools(graph)
    found = shortest_path(links, degrees, "a", "x", max_hops=5, budget=SearchBudget(edges=50))
    assert found.path is None and found.stopped is not None
    assert max(reads) < 50  # the hub (1,000 rows) was never read
    near = neighbourhood(links, degrees, "a", hops=3, limit=10, budget=SearchBudget(edges=50))
    assert [k for _, k in near.ranked] == ["leaf0000", "hub"]
    assert near.stopped is not None and "'hub', 1,000 edges" in near.stopped
