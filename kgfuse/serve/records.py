"""Store reads the ``GraphStore`` API does not offer yet, over its read-only ``raw_query``.

The API and explorer need three things the store contract lacks: the sentences, mentions and
facts of one document (``GET /documents/{id}``), the supporting records of one fact with the
fact's character span, and the entity mentions inside given sentences (to highlight them).
They are written here as SPARQL (embedded store) and Cypher (FalkorDB, Neo4j) builders on the
stores' documented data models (``kgfuse.kg.rdf_schema``, ``kgfuse.kg.stores.cypher``), with
every value bound as a query parameter. Should ``GraphStore`` grow these methods, this module
shrinks to calls of them.

(Oxigraph substitutes only variables a query projects, hence the unused ``?g`` columns.)

Offsets: in a document view they are relative to the document text; in a sentence's record
(``fact_records``, ``sentence_mentions``) relative to that sentence's text, ready to highlight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.store import GraphStore

_SPARQL_DOC_EXISTS = "ASK { GRAPH ?g { ?g kg:docId ?id } }"
_SPARQL_DOC_SENTENCES = """SELECT ?g ?index ?start ?end ?text WHERE { GRAPH ?g {
    ?sent a kg:Sentence ; kg:index ?index ; kg:charStart ?start ; kg:charEnd ?end ;
          kg:text ?text } } ORDER BY ?index"""
_SPARQL_DOC_MENTIONS = """SELECT ?g ?e ?surface ?type ?index ?start ?end WHERE { GRAPH ?g {
    ?m kg:refersTo ?e ; kg:surface ?surface ; kg:type ?type ; kg:sentence ?sent ;
       kg:charStart ?start ; kg:charEnd ?end . ?sent kg:index ?index } } ORDER BY ?start ?end"""
_SPARQL_DOC_FACTS = """SELECT ?g ?s ?p ?o ?index ?start ?end WHERE { GRAPH ?g {
    ?f kg:subject ?s ; kg:predicate ?p ; kg:object ?o ; kg:sentence ?sent ;
       kg:charStart ?start ; kg:charEnd ?end . ?sent kg:index ?index } }
    ORDER BY ?index ?start ?s ?p ?o"""
_SPARQL_FACT_RECORDS = """SELECT DISTINCT ?s ?p ?o ?doc ?index ?text ?sstart ?start ?end
WHERE { GRAPH ?g {
    ?f kg:subject ?s ; kg:predicate ?p ; kg:object ?o ; kg:sentence ?sent ;
       kg:charStart ?start ; kg:charEnd ?end .
    ?sent kg:index ?index ; kg:text ?text ; kg:charStart ?sstart . ?g kg:docId ?doc } }
    ORDER BY ?doc ?index ?start LIMIT 200"""
_SPARQL_SENTENCE_MENTIONS = """SELECT ?g ?index ?e ?sstart ?start ?end WHERE { GRAPH ?g {
    ?sent kg:index ?index ; kg:charStart ?sstart . ?m kg:sentence ?sent ; kg:refersTo ?e ;
    kg:charStart ?start ; kg:charEnd ?end } } ORDER BY ?start"""

_CYPHER_DOC_EXISTS = "MATCH (d:Document {id: $id}) RETURN d.id AS id"
_CYPHER_DOC_SENTENCES = (
    "MATCH (s:Sentence {doc_id: $id}) RETURN s.index AS index, s.char_start AS start, "
    "s.char_end AS end, s.text AS text ORDER BY index"
)
_CYPHER_DOC_MENTIONS = (
    "MATCH (m:Mention {doc_id: $id}) RETURN m.key AS e, m.text AS surface, m.label AS type, "
    "m.sentence_index AS index, m.char_start AS start, m.char_end AS end ORDER BY start, end"
)
_CYPHER_DOC_FACTS = (
    "MATCH (a:Entity)-[r:FACT {doc_id: $id}]->(b:Entity) RETURN DISTINCT a.key AS s, "
    "r.predicate AS p, b.key AS o, r.sentence_index AS index, r.char_start AS start, "
    "r.char_end AS end ORDER BY index, start, s, p, o"
)
_CYPHER_FACT_RECORDS = (
    "MATCH (:Entity {key: $s})-[r:FACT {predicate: $p}]->(:Entity {key: $o})\n"
    "WITH DISTINCT r.doc_id AS doc, r.sentence_index AS index, r.char_start AS start, "
    "r.char_end AS end\n"
    "MATCH (sent:Sentence {doc_id: doc, index: index})\n"
    "RETURN doc, index, sent.text AS text, sent.char_start AS sstart, start, end "
    "ORDER BY doc, index, start LIMIT 200"
)
_CYPHER_SENTENCE_MENTIONS = (
    "MATCH (s:Sentence {doc_id: $id, index: $index})\n"
    "MATCH (m:Mention {doc_id: $id, sentence_index: $index})\n"
    "RETURN m.key AS e, s.char_start AS sstart, m.char_start AS start, m.char_end AS end "
    "ORDER BY start"
)


@dataclass
class DocumentView:
    """One document as the store holds it.

    Attributes:
        id: Document id.
        text: The text rebuilt from its stored sentences, each at its own offset (characters
            between sentences are not stored; they come back as spaces).
        sentences: ``{index, start, end, text}``.
        mentions: ``{key, text, label, sentence_index, start, end}``.
        facts: ``{subject, predicate, object, sentence_index, start, end}``.
    """

    id: str
    text: str
    sentences: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)


def _sparql(store: GraphStore) -> bool:
    return store.query_language == "sparql"


def _key(value: Any) -> str:
    """An entity key from a raw SPARQL value (an IRI string) or a Cypher value (the key)."""
    text = str(value)
    return rs.key_of(ox.NamedNode(text)) if text.startswith(rs.ENTITY) else text


def _predicate(value: Any) -> str:
    text = str(value)
    return rs.predicate_of(ox.NamedNode(text)) if text.startswith(rs.RELATION) else text


def read_document(store: GraphStore, doc_id: str) -> DocumentView | None:
    """The sentences, mentions and facts of one document, or None when it is not stored."""
    if _sparql(store):
        g = {"g": rs.document_iri(doc_id)}
        if not store.raw_query(_SPARQL_DOC_EXISTS, {**g, "id": doc_id})[0]["ask"]:
            return None
        sentences = store.raw_query(_SPARQL_DOC_SENTENCES, g)
        mentions = store.raw_query(_SPARQL_DOC_MENTIONS, g)
        facts = store.raw_query(_SPARQL_DOC_FACTS, g)
    else:
        p = {"id": doc_id}
        if not store.raw_query(_CYPHER_DOC_EXISTS, p):
            return None
        sentences = store.raw_query(_CYPHER_DOC_SENTENCES, p)
        mentions = store.raw_query(_CYPHER_DOC_MENTIONS, p)
        facts = store.raw_query(_CYPHER_DOC_FACTS, p)
    view = DocumentView(doc_id, _rebuild_text(sentences))
    view.sentences = [
        {
            "index": int(r["index"]),
            "start": int(r["start"]),
            "end": int(r["end"]),
            "text": r["text"],
        }
        for r in sentences
    ]
    view.mentions = [
        {
            "key": _key(r["e"]),
            "text": r["surface"],
            "label": r["type"],
            "sentence_index": int(r["index"]),
            "start": int(r["start"]),
            "end": int(r["end"]),
        }
        for r in mentions
    ]
    view.facts = [
        {
            "subject": _key(r["s"]),
            "predicate": _predicate(r["p"]),
            "object": _key(r["o"]),
            "sentence_index": int(r["index"]),
            "start": int(r["start"]),
            "end": int(r["end"]),
        }
        for r in facts
    ]
    return view


def _rebuild_text(sentences: list[dict[str, Any]]) -> str:
    """The document text with each sentence at its offset (gaps become spaces)."""
    chars: list[str] = []
    for r in sorted(sentences, key=lambda r: int(r["start"])):
        start = int(r["start"])
        if start > len(chars):
            chars.extend(" " * (start - len(chars)))
        chars[start : start + len(r["text"])] = r["text"]
    return "".join(chars)


def fact_records(store: GraphStore, subject: str, predicate: str, obj: str) -> list[dict[str, Any]]:
    """The supporting records of one fact (at most 200), each with its sentence and spans.

    Returns:
        ``{doc_id, sentence_index, text, start, end, mentions}`` where ``start``/``end`` is
        the fact's evidence span and ``mentions`` the entity mentions of the sentence
        (``{key, start, end}``), all relative to the sentence text.
    """
    if _sparql(store):
        params = {
            "s": rs.entity_iri(subject),
            "p": rs.relation_iri(predicate),
            "o": rs.entity_iri(obj),
        }
        rows = store.raw_query(_SPARQL_FACT_RECORDS, params)
    else:
        rows = store.raw_query(_CYPHER_FACT_RECORDS, {"s": subject, "p": predicate, "o": obj})
    records = [
        {
            "doc_id": str(r["doc"]),
            "sentence_index": int(r["index"]),
            "text": r["text"],
            "start": max(int(r["start"]) - int(r["sstart"]), 0),
            "end": min(int(r["end"]) - int(r["sstart"]), len(r["text"])),
        }
        for r in rows
    ]
    spans = sentence_mentions(store, ((r["doc_id"], r["sentence_index"]) for r in records))
    for record in records:
        record["mentions"] = spans.get((record["doc_id"], record["sentence_index"]), [])
    return records


def sentence_mentions(
    store: GraphStore, sentences: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """The entity mentions ``{key, start, end}`` (relative to the sentence) in each
    ``(doc_id, sentence_index)``."""
    out: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for doc_id, index in dict.fromkeys(sentences):
        if _sparql(store):
            params = {"g": rs.document_iri(doc_id), "index": index}
            rows = store.raw_query(_SPARQL_SENTENCE_MENTIONS, params)
        else:
            rows = store.raw_query(_CYPHER_SENTENCE_MENTIONS, {"id": doc_id, "index": index})
        out[(doc_id, index)] = [
            {
                "key": _key(r["e"]),
                "start": int(r["start"]) - int(r["sstart"]),
                "end": int(r["end"]) - int(r["sstart"]),
            }
            for r in rows
        ]
    return out
