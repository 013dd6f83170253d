"""Graph walks written once over a ``links`` function, so every backend walks alike.

``links(keys)`` returns the distinct ``(s, p, o)`` touching one of ``keys`` (either
direction); ``degrees(keys)`` the precomputed degree of those keys that have one (see
``summaries``). Every walk has a ``SearchBudget``: a number of adjacency rows it may read
(hubs are costed by their degree BEFORE they are expanded, so a walk never starts reading a
hub it cannot afford) and a time limit. A walk cut short says so in ``stopped``, one line
naming the budget; it never hangs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kgfuse.errors import StoreError

#: The distinct ``(s, p, o)`` touching one of the keys.
Links = Callable[[Sequence[str]], list[tuple[str, str, str]]]
#: ``{key: degree}`` for the keys whose degree is known.
Degrees = Callable[[Sequence[str]], dict[str, int]]
SPO = tuple[str, str, str]
#: Keys per ``links`` call (the time limit is checked between calls).
_BATCH = 256


@dataclass(frozen=True, slots=True)
class SearchBudget:
    """What a path or neighbourhood search may spend.

    Attributes:
        edges: Adjacency rows it may read (an entity costs its degree to expand).
        seconds: Wall-clock time limit.
    """

    edges: int = 10_000
    seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.edges < 1 or not self.seconds > 0:
            raise StoreError(
                f"a search budget needs edges >= 1 and seconds > 0, got edges={self.edges}, "
                f"seconds={self.seconds}"
            )


@dataclass(frozen=True, slots=True)
class PathSearch:
    """The result of a path search.

    Attributes:
        path: ``(s, p, o)`` in path order; empty when source is target; None when no path
            was found.
        stopped: None when the search was complete; else one line saying which budget cut
            it short (then a longer path, within ``max_hops``, may still exist).
    """

    path: list[SPO] | None
    stopped: str | None = None


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """The result of a k-hop search: ``(distance, key)`` nearest first, and why it stopped."""

    ranked: list[tuple[int, str]]
    stopped: str | None = None


class _Spend:
    """Rows read and time spent against a budget."""

    def __init__(self, budget: SearchBudget) -> None:
        self.budget = budget
        self.rows = 0
        self.deadline = time.monotonic() + budget.seconds

    def over_time(self) -> bool:
        return time.monotonic() > self.deadline

    def links(self, links: Links, keys: Sequence[str]) -> list[SPO] | None:
        """``links`` of ``keys`` in batches; None when the time limit passed meanwhile."""
        out: list[SPO] = []
        for start in range(0, len(keys), _BATCH):
            if self.over_time():
                return None
            out.extend(links(keys[start : start + _BATCH]))
        self.rows += len(out)
        return sorted(set(out))

    def edges_message(self) -> str:
        return f"the edge budget ({self.budget.edges:,} adjacency rows; {self.rows:,} read)"

    def time_message(self) -> str:
        return f"the time limit ({self.budget.seconds:g} s)"


def neighbourhood(
    links: Links, degrees: Degrees, key: str, *, hops: int, limit: int, budget: SearchBudget
) -> Neighbourhood:
    """The entities within ``hops`` of ``key``, nearest first, then by key.

    Each hop expands the frontier cheapest first (by degree, then key) while the edge
    budget lasts; the entities it cannot afford (hubs) are not expanded, and ``stopped``
    names how many and the largest. The frontier is also capped at ``limit * 10``.

    Args:
        links: The graph's link function.
        degrees: Precomputed degrees.
        key: The start entity (not returned).
        hops: Maximum distance.
        limit: Maximum number returned.
        budget: What the search may spend.

    Returns:
        At most ``limit`` pairs and the reason the search stopped early, if it did.
    """
    spend = _Spend(budget)
    distance = {key: 0}
    frontier = [key]
    stopped = None
    for hop in range(1, hops + 1):
        known = degrees(frontier)
        order = sorted(frontier, key=lambda k: (known.get(k, 1), k))
        chosen: list[str] = []
        cost = spend.rows
        for k in order:
            if cost + known.get(k, 1) > budget.edges:
                break
            chosen.append(k)
            cost += known.get(k, 1)
        rows = spend.links(links, chosen)
        if rows is None:
            stopped = (
                f"neighbours of {key!r} stopped at hop {hop} of {hops}: {spend.time_message()}"
            )
            break
        if len(chosen) < len(order):
            hub = order[-1]
            stopped = (
                f"neighbours of {key!r}: {len(order) - len(chosen):,} entities at distance "
                f"{hop - 1} not expanded (largest: {hub!r}, {known.get(hub, 1):,} edges): "
                f"{spend.edges_message()}"
            )
        nxt: set[str] = set()
        for s, _, o in rows:
            for other in (s, o):
                if other not in distance:
                    distance[other] = hop
                    nxt.add(other)
        frontier = sorted(nxt)[: limit * 10]
        if stopped or not frontier or len(distance) > limit * 10:
            break
    ranked = sorted((d, k) for k, d in distance.items() if k != key)[:limit]
    return Neighbourhood(ranked, stopped)


def shortest_path(
    links: Links,
    degrees: Degrees,
    source: str,
    target: str,
    *,
    max_hops: int,
    budget: SearchBudget,
) -> PathSearch:
    """A shortest path (ignoring direction) from ``source`` to ``target``, bidirectional.

    Each step expands one whole layer of the side whose frontier costs less (sum of
    degrees), so a hub is expanded only when the other side is costlier; ties are broken
    by sorted keys and edges, so every backend returns the same path.

    Args:
        links: The graph's link function.
        degrees: Precomputed degrees.
        source: Start entity key.
        target: End entity key.
        max_hops: Longest path considered.
        budget: What the search may spend.

    Returns:
        The path (or None) and, when a budget cut the search short, the line saying so.
    """
    if source == target:
        return PathSearch([])
    spend = _Spend(budget)
    parents: tuple[dict[str, tuple[str, SPO] | None], ...] = ({source: None}, {target: None})
    frontiers = [[source], [target]]
    depth = [0, 0]
    costs = [_cost(degrees, [source]), _cost(degrees, [target])]
    while depth[0] + depth[1] < max_hops:
        side = 0 if costs[0] <= costs[1] else 1
        done = depth[0] + depth[1]
        if spend.rows + costs[side] > budget.edges:
            return PathSearch(None, _cut(source, target, done, max_hops, spend.edges_message()))
        rows = spend.links(links, frontiers[side])
        if rows is None:
            return PathSearch(None, _cut(source, target, done, max_hops, spend.time_message()))
        here_set = set(frontiers[side])
        mine, theirs = parents[side], parents[1 - side]
        fresh: list[str] = []
        for spo in rows:
            s, _, o = spo
            for here, other in ((s, o), (o, s)):
                if here in here_set and other not in mine:
                    mine[other] = (here, spo)
                    fresh.append(other)
        depth[side] += 1
        meets = [k for k in fresh if k in theirs]
        if meets:
            middle = min(meets)
            return PathSearch(_walk(parents[0], middle)[::-1] + _walk(parents[1], middle))
        if not fresh:
            return PathSearch(None)  # one side's whole component is explored: no path at all
        frontiers[side] = sorted(fresh)
        if depth[0] + depth[1] >= max_hops:
            break  # the new frontier is never expanded: do not cost it
        costs[side] = _cost(degrees, frontiers[side], budget.edges - spend.rows)
    return PathSearch(None)


def _cost(degrees: Degrees, frontier: list[str], cap: int | None = None) -> int:
    """Adjacency rows expanding ``frontier`` reads (an unknown degree counts 1).

    With ``cap``: a frontier of more entities than ``cap`` costs at least that much, which
    is all the search needs to know (its degrees are not looked up).
    """
    if cap is not None and len(frontier) > cap:
        return len(frontier)
    known = degrees(frontier)
    return sum(known.get(k, 1) for k in frontier)


def _walk(parents: dict[str, tuple[str, SPO] | None], node: str) -> list[SPO]:
    """The edges from ``node`` back to the root of ``parents``."""
    out: list[SPO] = []
    while (step := parents[node]) is not None:
        node, spo = step
        out.append(spo)
    return out


def _cut(source: str, target: str, done: int, max_hops: int, why: str) -> str:
    return (
        f"path search from {source!r} to {target!r} stopped at {why}: no path of at most "
        f"{done} hops (of the {max_hops} asked); a longer one may exist"
    )


def ball(links: Links, seeds: set[str], *, hops: int, max_nodes: int) -> set[str]:
    """Return the entities within ``hops`` of any of ``seeds`` (the seeds included).

    Args:
        links: The graph's link function.
        seeds: Existing entity keys.
        hops: Radius (0 = the seeds only).
        max_nodes: Stop widening once more entities than this are reached.

    Returns:
        The set of entity keys.
    """
    nodes = set(seeds)
    frontier = sorted(nodes)
    for _ in range(hops):
        nxt = {k for s, _, o in links(frontier) for k in (s, o)}
        frontier = sorted(nxt - nodes)
        nodes |= nxt
        if not frontier or len(nodes) > max_nodes:
            break
    return nodes
