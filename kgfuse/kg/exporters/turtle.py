"""Turtle export: the entities and the plain facts ``ent:s rel:p ent:o``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.exporters.common import (
    PREFIXES,
    ExportResult,
    OnePass,
    entity_triples,
    iter_entities,
)
from kgfuse.kg.stores.base import GraphStore


def export_turtle(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write the entities and plain facts of a store as Turtle.

    Returns:
        Counts and the path written.
    """
    path = Path(path)

    def triples(edges: OnePass) -> Iterator[ox.Triple]:
        for entity in iter_entities(store, edges.keys, batch_size=batch_size):
            yield from entity_triples(entity)
        for edge in edges.replay():
            yield ox.Triple(
                rs.entity_iri(edge.subject_key),
                rs.relation_iri(edge.predicate),
                rs.entity_iri(edge.object_key),
            )

    with OnePass(store.iter_edges()) as edges:
        ox.serialize(
            triples(edges), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
        )
    return ExportResult(len(edges.keys), edges.count, 0, (path,))
