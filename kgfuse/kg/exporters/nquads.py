"""N-Quads export: entities in the default graph, facts with provenance per document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.exporters.common import (
    ExportResult,
    OnePass,
    entity_triples,
    iter_entities,
    rdf_literal,
)
from kgfuse.kg.stores.base import GraphStore


def export_nquads(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write entities (default graph) and facts with provenance (one graph per document).

    Returns:
        Counts (``facts`` = provenance records) and the path written.
    """
    path = Path(path)
    counts = {"edges": 0}

    def quads(triples: OnePass) -> Iterator[ox.Quad]:
        for entity in iter_entities(store, triples.keys, batch_size=batch_size):
            for t in entity_triples(entity):
                yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        facts_in: dict[str, int] = {}  # document id -> provenance records written so far
        sentences: set[tuple[str, int]] = set()
        previous: tuple[str, str, str, str] | None = None
        last_spo: tuple[str, str, str] | None = None
        for triple in triples.replay():
            prov = triple.provenance
            g = rs.document_iri(prov.doc_id)
            if prov.doc_id not in facts_in:
                facts_in[prov.doc_id] = 0
                yield ox.Quad(g, rs.RDF_TYPE, rs.T_DOCUMENT, g)
                yield ox.Quad(g, rs.DOC_ID, rdf_literal(prov.doc_id), g)
            s, p, o = (
                rs.entity_iri(triple.subject_key),
                rs.relation_iri(triple.predicate),
                rs.entity_iri(triple.object_key),
            )
            spo = (triple.subject_key, triple.predicate, triple.object_key)
            if spo != last_spo:  # iter_triples is sorted: the records of a fact are adjacent
                last_spo = spo
                counts["edges"] += 1
            if (*spo, prov.doc_id) != previous:
                previous = (*spo, prov.doc_id)
                yield ox.Quad(s, p, o, g)
            sent = ox.NamedNode(f"{g.value}#s{prov.sentence_index}")
            if (prov.doc_id, prov.sentence_index) not in sentences:
                sentences.add((prov.doc_id, prov.sentence_index))
                yield ox.Quad(sent, rs.RDF_TYPE, rs.T_SENTENCE, g)
                yield ox.Quad(sent, rs.INDEX, ox.Literal(prov.sentence_index), g)
            f = ox.NamedNode(f"{g.value}#f{facts_in[prov.doc_id]}")
            facts_in[prov.doc_id] += 1
            yield ox.Quad(f, rs.SUBJECT, s, g)
            yield ox.Quad(f, rs.PREDICATE, p, g)
            yield ox.Quad(f, rs.OBJECT, o, g)
            yield ox.Quad(f, rs.SENTENCE, sent, g)
            yield ox.Quad(f, rs.CHAR_START, ox.Literal(prov.char_start), g)
            yield ox.Quad(f, rs.CHAR_END, ox.Literal(prov.char_end), g)
            yield ox.Quad(f, rs.EXTRACTOR, rdf_literal(prov.extractor), g)

    with OnePass(store.iter_triples()) as triples:
        ox.serialize(quads(triples), output=str(path), format=ox.RdfFormat.N_QUADS)
    return ExportResult(len(triples.keys), counts["edges"], triples.count, (path,))
