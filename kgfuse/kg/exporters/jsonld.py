"""JSON-LD export: one node object per entity, then per run of facts of one subject."""

from __future__ import annotations

import json
from pathlib import Path

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.exporters.common import (
    PREFIXES,
    ExportResult,
    OnePass,
    clean,
    iter_entities,
)
from kgfuse.kg.stores.base import GraphStore


def _entity_id(key: str) -> str:
    return "ent:" + rs.entity_iri(key).value[len(rs.ENTITY) :]


def export_jsonld(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write the entities and plain facts of a store as JSON-LD (compact, with a context).

    Written by hand as a stream of node objects: one per entity (name, label, aliases),
    then one per run of facts with the same subject (JSON-LD merges node objects that
    share an ``@id``).

    Returns:
        Counts and the path written.
    """
    path = Path(path)
    context = {
        **PREFIXES,
        "name": "rdfs:label",
        "label": "kg:type",
        "aliases": {"@id": "skos:altLabel", "@container": "@set"},
    }
    with OnePass(store.iter_edges()) as edges, path.open("w", encoding="utf-8") as out:
        out.write('{"@context": ' + json.dumps(context, indent=1) + ',\n"@graph": [')
        sep = "\n"

        def emit(node: dict[str, object]) -> None:
            nonlocal sep
            out.write(sep + json.dumps(node, ensure_ascii=False))
            sep = ",\n"

        for entity in iter_entities(store, edges.keys, batch_size=batch_size):
            node: dict[str, object] = {
                "@id": _entity_id(entity.key),
                "@type": "kg:Entity",
                "name": clean(entity.name),
                "label": clean(entity.label),
            }
            if entity.aliases:
                node["aliases"] = [clean(a) for a in entity.aliases]
            emit(node)
        facts: dict[str, object] = {}
        for edge in edges.replay():
            subject = _entity_id(edge.subject_key)
            if facts.get("@id") != subject:
                if facts:
                    emit(facts)
                facts = {"@id": subject}
            predicate = "rel:" + rs.relation_iri(edge.predicate).value[len(rs.RELATION) :]
            targets = facts.setdefault(predicate, [])
            targets.append({"@id": _entity_id(edge.object_key)})  # type: ignore[attr-defined]
        if facts:
            emit(facts)
        out.write("\n]}\n")
    return ExportResult(len(edges.keys), edges.count, 0, (path,))
