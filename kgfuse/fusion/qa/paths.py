"""Relation paths over a graph: random walks that find them, and executing one from a topic.

A *step* is a relation taken in one direction: ``2 * r`` follows relation ``r`` from subject
to object, ``2 * r + 1`` from object to subject. Every fact is listed at both of its ends
("half-edges"), sorted by ``(node, step)``, so the neighbours of a node over one step are one
contiguous range found by binary search. Nodes with more facts than ``max_degree`` are not
walked through beyond the topic, exactly as ``QASubgraphSampler`` does not expand them: a
synthesised question's answers are what a model with the same bound can reach.
"""

from __future__ import annotations

import numpy as np

from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import _ranges


class PathIndex:
    """Half-edge index of a graph for walking and executing relation paths.

    Args:
        kg: The graph.
        max_degree: Nodes past the topic with more facts than this are not walked through.
        min_transition: A walk may take step ``b`` after step ``a`` only when at least this
            share of the nodes that ``a`` arrives at have a ``b`` fact (``transition``): on
            MetaQA, tags that happen to be film titles would otherwise make paths such as
            "the writer of the tags of X" (0 keeps every path).
    """

    def __init__(self, kg: KGData, *, max_degree: int = 200, min_transition: float = 0.0) -> None:
        self.kg, self.max_degree, self.min_transition = kg, max_degree, min_transition
        src, dst = kg.data.edge_index.numpy()
        rel = kg.data.edge_type.numpy()
        self.num_steps = 2 * max(kg.num_relations, 1)
        node = np.concatenate([src, dst])
        step = np.concatenate([2 * rel, 2 * rel + 1])
        nbr = np.concatenate([dst, src])
        key = node.astype(np.int64) * self.num_steps + step
        order = np.argsort(key, kind="stable")
        self.key, self.nbr, self.step = key[order], nbr[order], step[order]
        self.degree = np.bincount(node, minlength=kg.num_entities)
        self.ptr = np.concatenate([[0], np.cumsum(self.degree)]).astype(np.int64)
        self.transition = self._transitions() if min_transition > 0 else None

    def _transitions(self) -> np.ndarray:
        """``[steps, steps]``: share of the nodes step ``a`` arrives at that have step ``b``."""
        pairs = np.unique(self.key)
        node, step = pairs // self.num_steps, pairs % self.num_steps
        out = np.zeros((self.num_steps, self.num_steps))
        for a in range(self.num_steps):
            ends = np.unique(self.nbr[self.step == a])
            if ends.size:
                has = np.isin(node, ends)
                out[a] = np.bincount(step[has], minlength=self.num_steps) / ends.size
        return out

    def walk(
        self, starts: np.ndarray, hops: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Random walks of ``hops`` steps from ``starts``.

        Returns:
            ``(steps [W, hops], ok [W])``: the step of each hop, and whether the walk went
            through no hub (every node before the last, past the topic, has degree at most
            ``max_degree``), took no rare transition and never returned to its start.
        """
        current = starts.astype(np.int64)
        ok = self.degree[current] > 0
        steps = np.zeros((starts.shape[0], hops), dtype=np.int64)  # [W, hops]
        for hop in range(hops):
            if hop > 0:
                ok &= self.degree[current] <= self.max_degree
            deg = np.maximum(self.degree[current], 1)
            pick = self.ptr[current] + (rng.random(current.shape[0]) * deg).astype(np.int64)
            pick = np.minimum(pick, self.key.shape[0] - 1)
            ok &= self.degree[current] > 0
            steps[:, hop] = self.step[pick]
            if hop > 0 and self.transition is not None:
                ok &= self.transition[steps[:, hop - 1], steps[:, hop]] >= self.min_transition
            current = self.nbr[pick]
            ok &= current != starts
        return steps, ok

    def execute(
        self, topic: int, steps: tuple[int, ...], *, max_frontier: int = 5000
    ) -> np.ndarray | None:
        """The nodes reached from ``topic`` by following ``steps`` (the topic itself excluded).

        Returns:
            Sorted node ids, or None when a frontier grows past ``max_frontier``.
        """
        frontier = np.asarray([topic], dtype=np.int64)
        for hop, step in enumerate(steps):
            if hop > 0:
                frontier = frontier[self.degree[frontier] <= self.max_degree]
            keys = frontier * self.num_steps + step
            lo = np.searchsorted(self.key, keys, side="left")
            hi = np.searchsorted(self.key, keys, side="right")
            frontier = np.unique(self.nbr[_ranges(lo, hi)])
            if frontier.size == 0 or frontier.size > max_frontier:
                return None if frontier.size else frontier
        return frontier[frontier != topic]

    def describe(self, steps: tuple[int, ...]) -> list[str]:
        """``["starred_actors", "^directed_by"]``: relation names, ``^`` for the inverse."""
        return [("^" if s % 2 else "") + self.kg.relation_vocab[s // 2] for s in steps]
