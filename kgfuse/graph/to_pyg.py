"""Turn a ``GraphStore`` into ``KGData`` (PyG tensors + sorted vocabularies), and accept
either one wherever a model is trained."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kgfuse.errors import ConfigError
from kgfuse.graph.data import KGData

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
        "graph: %d entities, %d facts, %d predicates",
        kg.num_entities,
        kg.num_edges,
        kg.num_relations,
    )
    return kg


def as_graph(graph: Any, *, needed_by: str | None = None) -> tuple[KGData, GraphStore | None]:
    """Return ``(KGData, store or None)`` for the ``graph`` argument of a training call.

    Args:
        graph: ``KGData``, an open ``GraphStore`` (read with ``to_pyg``), or None.
        needed_by: What needs a graph (``"question answering"``); None lets ``graph=None``
            stand for an empty graph.

    Raises:
        ConfigError: Anything else, or None where a graph is needed.
    """
    if isinstance(graph, KGData):
        return graph, None
    if graph is None and needed_by is None:
        return KGData.empty(), None
    from kgfuse.kg.store import GraphStore

    if isinstance(graph, GraphStore):
        return to_pyg(graph), graph
    if needed_by is None:
        raise ConfigError(f"graph must be KGData, a GraphStore or None, got {type(graph).__name__}")
    raise ConfigError(
        f"{needed_by} needs a graph: KGData or an open GraphStore, got "
        f"{type(graph).__name__}; pass --store PATH"
    )
