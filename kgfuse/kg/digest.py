"""``graph_digest``: one content hash for a whole graph, to check two builds agree."""

from __future__ import annotations

import hashlib

from kgfuse.kg.stores.base import GraphStore


def graph_digest(store: GraphStore) -> str:
    """SHA-256 over a graph's content, independent of the order it was written in.

    It covers every fact with its provenance (subject, predicate, object, document,
    sentence, offsets, extractor) and the graph's statistics with every entity (key, name,
    label, aliases, degree), so two stores with the same digest answer the same queries.

    Args:
        store: An open graph store.

    Returns:
        The hex digest.
    """
    digest = hashlib.sha256()
    for line in sorted(repr(triple) for triple in store.iter_triples()):
        digest.update(line.encode())
        digest.update(b"\n")
    everyone = store.stats(top=0).entities  # top_entities then lists every entity
    digest.update(repr(store.stats(top=everyone)).encode())
    return digest.hexdigest()
