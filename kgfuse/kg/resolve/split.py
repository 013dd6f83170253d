"""Splitting a key whose documents talk about clearly different things.

The units of one key (one per document) are linked when their contexts are alike; linked
groups of at least ``min_units`` units are candidate clusters, and two clusters stay apart
only when they are *clearly* different on both counts: they name different kinds of thing
(a person, another named entity, a lower-case common noun: ``units.unit_kind``), and their
contexts are alike inside each cluster and unlike across them (mean cross similarity below
``apart`` times the inner one). Context alone is not enough: on WebNLG, where one name is one
entity, it split 58 keys (Belgium, Angola, architect ...) by the topic of their sentences.
Everything else stays one entity, so a split needs evidence from several documents on each
side.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from kgfuse.kg.resolve.context import centroid, cosine
from kgfuse.kg.resolve.units import Unit, dominant, type_group, unit_kind


@dataclass
class Cluster:
    """Units that resolution treats as one entity (before merging)."""

    key: str
    units: list[Unit]
    vector: np.ndarray | None

    @property
    def type(self) -> str:
        """Dominant type group over the cluster's mentions."""
        labels: Counter[str] = Counter()
        for u in self.units:
            for label, n in u.labels.items():
                labels[type_group(label)] += n
        return dominant(labels)

    @property
    def kind(self) -> str:
        """Dominant ``units.unit_kind`` over the cluster's units (ties: the smallest)."""
        return dominant(Counter(unit_kind(u) for u in self.units))

    @property
    def name(self) -> str:
        """Most frequent surface form."""
        surfaces: Counter[str] = Counter()
        for u in self.units:
            surfaces.update(u.surfaces)
        return dominant(surfaces)

    @property
    def mentions(self) -> int:
        """Mentions over all units."""
        return sum(u.mentions for u in self.units)

    @property
    def documents(self) -> tuple[str, ...]:
        """Document ids, sorted."""
        return tuple(sorted(u.doc_id for u in self.units))


def may_split(units: list[Unit], min_units: int) -> bool:
    """Whether a key's units could split: at least two kinds, each used in ``min_units``
    documents (only then are the contexts worth embedding)."""
    kinds = Counter(unit_kind(u) for u in units)
    return sum(n >= min_units for n in kinds.values()) >= 2


def split_key(
    key: str,
    units: list[Unit],
    vectors: dict[int, np.ndarray | None],
    *,
    link: float,
    apart: float,
    min_units: int,
) -> list[Cluster]:
    """Cluster the units of one key; more than one cluster means the key is split.

    Args:
        key: The base key.
        units: Its units (one per document), sorted by document id.
        vectors: Context vector per unit (by ``id(unit)``), None when it has no context.
        link: Context cosine at or above which two units are linked.
        apart: Two clusters are clearly different when the mean context similarity across
            them is below ``apart`` times the mean similarity inside the less coherent one.
        min_units: Units a cluster needs to stand on its own.

    Returns:
        The clusters, largest first (ties: smallest document id first). The first keeps
        ``key``; the others get ``key~`` plus a short hash of their first document id.
    """
    whole = [Cluster(key, list(units), _centroid(units, vectors))]
    if len(units) < 2 * min_units:
        return whole
    groups = _components(units, vectors, link)
    big = [g for g in groups if len(g) >= min_units]
    if len(big) < 2:
        return whole
    clusters = [Cluster(key, g, _centroid(g, vectors)) for g in big]
    for group in groups:  # a unit without enough company joins the nearest cluster
        if len(group) < min_units:
            for unit in group:
                best = max(clusters, key=lambda c: cosine(vectors[id(unit)], c.vector))
                best.units.append(unit)
    clusters = _merge_unclear(clusters, vectors, apart)
    if len(clusters) < 2:
        return whole
    clusters.sort(key=lambda c: (-len(c.units), c.documents[0]))
    for i, cluster in enumerate(clusters):
        cluster.units.sort(key=lambda u: u.doc_id)
        if i:
            digest = hashlib.sha1(cluster.documents[0].encode("utf-8")).hexdigest()[:6]
            cluster.key = f"{key}~{digest}"
    return clusters


def _centroid(units: list[Unit], vectors: dict[int, np.ndarray | None]) -> np.ndarray | None:
    return centroid([v for u in units if (v := vectors[id(u)]) is not None])


def _components(
    units: list[Unit], vectors: dict[int, np.ndarray | None], link: float
) -> list[list[Unit]]:
    """Single-link groups of units whose contexts are at least ``link`` alike."""
    rows = [vectors[id(u)] for u in units]
    dim = next((len(v) for v in rows if v is not None), 0)
    matrix = np.stack([v if v is not None else np.zeros(dim, np.float32) for v in rows])
    linked = (matrix @ matrix.T) >= link
    parent = list(range(len(units)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(linked, 1)), strict=True):
        parent[root(int(j))] = root(int(i))
    groups: dict[int, list[Unit]] = {}
    for i, unit in enumerate(units):
        groups.setdefault(root(i), []).append(unit)
    return list(groups.values())


def _mean_similarity(a: list[Unit], b: list[Unit], vectors: dict[int, np.ndarray | None]) -> float:
    """Mean context cosine over pairs of distinct units, one from ``a`` and one from ``b``."""
    left = [v for u in a if (v := vectors[id(u)]) is not None]
    right = [v for u in b if (v := vectors[id(u)]) is not None]
    if not left or not right:
        return 0.0
    sims = np.stack(left) @ np.stack(right).T
    if a is b:  # leave out each unit's similarity to itself
        n = len(left)
        return float((sims.sum() - np.trace(sims)) / (n * n - n)) if n > 1 else 0.0
    return float(sims.mean())


def _apart(a: Cluster, b: Cluster, vectors: dict[int, np.ndarray | None], ratio: float) -> bool:
    """Whether two clusters' contexts are clearly different: the mean similarity across them
    is below ``ratio`` times the mean similarity inside the less coherent one."""
    inside = min(
        _mean_similarity(a.units, a.units, vectors), _mean_similarity(b.units, b.units, vectors)
    )
    return inside > 0 and _mean_similarity(a.units, b.units, vectors) < ratio * inside


def _merge_unclear(
    clusters: list[Cluster], vectors: dict[int, np.ndarray | None], apart: float
) -> list[Cluster]:
    """Join clusters until every two left are clearly different."""
    clusters = sorted(clusters, key=lambda c: c.documents[0])
    changed = True
    while changed and len(clusters) > 1:
        changed = False
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                a, b = clusters[i], clusters[j]
                clear = a.kind != b.kind and _apart(a, b, vectors, apart)
                if not clear:
                    a.units.extend(b.units)
                    a.vector = _centroid(a.units, vectors)
                    del clusters[j]
                    changed = True
                    break
            if changed:
                break
    return clusters
