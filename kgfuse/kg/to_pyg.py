"""Turn a ``GraphStore`` into ``KGData`` (PyG tensors + sorted vocabularies)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kgfuse.fusion.graph_data import KGData

if TYPE_CHECKING:
    from kgfuse.kg.store import GraphStore

logger = logging.getLogger(__name__)


def to_pyg(
    store: GraphStore,
    *,
    weighting: str = "log1p",
    min_support: int = 1,
    exclude_predicates: frozenset[str] = frozenset(),
    name_batch: int = 1000,
) -> KGData:
    """Read every fact of a store into ``KGData``.

    Args:
        store: An open graph store.
        weighting: How support counts become ``edge_weight`` (``log1p``, ``support``, ``none``).
        min_support: Drop facts stated by fewer sentences than this.
        exclude_predicates: Predicates to leave out (e.g. ``{"co_occurs_with"}``).
        name_batch: How many entity names to fetch per store call.

    Returns:
        The graph; node names come from ``store.entities`` (the canonical display names).

    Raises:
        StoreError: The store cannot be read.
        DataError: The store returned a malformed edge.
    """
    edges = [
        e
        for e in store.iter_edges()
        if e.support >= min_support and e.predicate not in exclude_predicates
    ]
    keys = sorted({k for e in edges for k in (e.subject_key, e.object_key)})
    names: dict[str, str] = {}
    for start in range(0, len(keys), name_batch):
        found = store.entities(keys[start : start + name_batch])
        names.update({k: ent.name for k, ent in found.items()})
    kg = KGData.from_edges(edges, names=names, weighting=weighting)
    logger.info(
        "graph: %d entities, %d relations, %d facts",
        kg.num_entities,
        kg.num_relations,
        kg.num_edges,
    )
    return kg
