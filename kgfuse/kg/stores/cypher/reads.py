"""Pure Cypher builders of the read path (tested as strings): lookups, traversal, counts.

Values only travel as ``$parameters``; the graph model is described in ``schema``.
"""

from __future__ import annotations

from kgfuse.kg.stores.cypher.schema import label


def document_versions() -> str:
    """``(id, content_hash, extractor)`` of the committed documents among ``$doc_ids``."""
    return (
        "UNWIND $doc_ids AS id\n"
        "MATCH (d:Document {id: id})\n"
        "RETURN d.id AS id, d.content_hash AS content_hash, d.extractor AS extractor"
    )


def surface_forms() -> str:
    """``(key, surface, label, n)``: mention counts per surface form and label of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})<-[:REFERS_TO]-(m:Mention)\n"
        "RETURN key, m.text AS surface, m.label AS label, count(*) AS n"
    )


def keys_for_normalized() -> str:
    """Distinct ``(key, surface)`` of mentions whose ``norm`` equals ``$norm``."""
    return "MATCH (m:Mention {norm: $norm})\nRETURN DISTINCT m.key AS key, m.text AS surface"


def search_normalized() -> str:
    """First ``$limit`` distinct ``(key, surface)`` whose ``norm`` contains ``$fragment``."""
    return (
        "MATCH (m:Mention)\n"
        "WHERE m.norm CONTAINS $fragment\n"
        "WITH DISTINCT m.key AS key, m.text AS surface\n"
        "RETURN key, surface ORDER BY key, surface LIMIT $limit"
    )


def mention_stats() -> str:
    """``(label, doc_id, n)``: mentions of ``$key`` per label and document."""
    return (
        "MATCH (:Entity {key: $key})<-[:REFERS_TO]-(m:Mention)\n"
        "RETURN m.label AS label, m.doc_id AS doc_id, count(*) AS n"
    )


_SUPPORT = "count(DISTINCT [r.doc_id, r.sentence_index]) AS support"


def adjacent_edges() -> str:
    """Aggregated ``(s, p, o, support)`` of every fact touching one of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})-[r:FACT]-(:Entity)\n"
        "WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b\n"
        f"RETURN a.key AS s, r.predicate AS p, b.key AS o, {_SUPPORT}"
    )


def supporting_sentences() -> str:
    """First ``$limit`` distinct supporting sentences of the facts touching ``$key``."""
    return (
        "MATCH (:Entity {key: $key})-[r:FACT]-(:Entity)\n"
        "WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b\n"
        "WITH DISTINCT r.doc_id AS doc_id, r.sentence_index AS sentence_index, a.key AS s, "
        "r.predicate AS p, b.key AS o\n"
        "MATCH (sent:Sentence {doc_id: doc_id, index: sentence_index})\n"
        "RETURN DISTINCT doc_id, sentence_index, sent.text AS text, s, p, o\n"
        "ORDER BY doc_id, sentence_index, s, p, o LIMIT $limit"
    )


def count_nodes(name: str) -> str:
    """Number of nodes with one of the model's labels."""
    return f"MATCH (n:{label(name)}) RETURN count(n) AS n"


def count_mentioned_entities() -> str:
    """Number of entities with at least one mention (the entities that exist)."""
    return "MATCH (e:Entity)<-[:REFERS_TO]-(:Mention)\nRETURN count(DISTINCT e) AS n"


def count_all() -> str:
    """``(documents, sentences, mentions, entities, facts)`` in one query: one snapshot.

    Separate count queries can straddle another client's write and disagree (sentences of a
    round counted, its documents not yet); one query reads under one lock.
    """
    return (
        "OPTIONAL MATCH (d:Document) WITH count(d) AS documents\n"
        "OPTIONAL MATCH (s:Sentence) WITH documents, count(s) AS sentences\n"
        "OPTIONAL MATCH (m:Mention) WITH documents, sentences, count(m) AS mentions\n"
        "OPTIONAL MATCH (e:Entity)<-[:REFERS_TO]-(:Mention)\n"
        "WITH documents, sentences, mentions, count(DISTINCT e) AS entities\n"
        "OPTIONAL MATCH (a:Entity)-[r:FACT]->(b:Entity)\n"
        "WITH DISTINCT documents, sentences, mentions, entities, a, r.predicate AS p, b, "
        "r.doc_id AS doc_id, r.sentence_index AS i\n"
        "RETURN documents, sentences, mentions, entities, count(a) AS facts"
    )


def count_facts() -> str:
    """Number of distinct ``(s, p, o, doc_id, sentence_index)``."""
    return (
        "MATCH (a:Entity)-[r:FACT]->(b:Entity)\n"
        "WITH DISTINCT a, r.predicate AS p, b, r.doc_id AS doc_id, r.sentence_index AS i\n"
        "RETURN count(*) AS n"
    )


def predicate_counts() -> str:
    """``(predicate, n)``: distinct ``(s, p, o)`` edges per predicate."""
    return (
        "MATCH (a:Entity)-[r:FACT]->(b:Entity)\n"
        "WITH DISTINCT a, r.predicate AS p, b\n"
        "RETURN p AS predicate, count(*) AS n"
    )


def top_degrees() -> str:
    """``(key, degree)`` of the ``$top`` entities touching the most distinct edges."""
    return (
        "MATCH (a:Entity)-[r:FACT]->(b:Entity)\n"
        "WITH DISTINCT a.key AS s, r.predicate AS p, b.key AS o\n"
        "UNWIND (CASE WHEN s = o THEN [s] ELSE [s, o] END) AS key\n"
        "RETURN key, count(*) AS degree ORDER BY degree DESC, key LIMIT $top"
    )


def count_fact_entities() -> str:
    """Number of distinct entities at an end of at least one fact."""
    return "MATCH (a:Entity)-[:FACT]-(:Entity)\nRETURN count(DISTINCT a) AS n"


def entity_keys() -> str:
    """Keys of every entity that is the subject of a fact."""
    return "MATCH (e:Entity)-[:FACT]->(:Entity)\nRETURN DISTINCT e.key AS key"


def edges_from() -> str:
    """Aggregated ``(s, p, o, support)`` of the facts whose subject is one of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})-[r:FACT]->(b:Entity)\n"
        f"RETURN key AS s, r.predicate AS p, b.key AS o, {_SUPPORT}"
    )


def triples_from() -> str:
    """Every distinct provenance record of the facts whose subject is one of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})-[r:FACT]->(b:Entity)\n"
        "RETURN DISTINCT key AS s, r.predicate AS p, b.key AS o, r.doc_id AS doc_id, "
        "r.sentence_index AS sentence_index, r.char_start AS char_start, "
        "r.char_end AS char_end, r.extractor AS extractor"
    )


# ---------------------------------------------------------------------- large-graph reads
def links() -> str:
    """Distinct ``(s, p, o)`` of the facts touching one of ``$keys`` (no support counted)."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})-[r:FACT]-(:Entity)\n"
        "WITH DISTINCT r\n"
        "RETURN DISTINCT startNode(r).key AS s, r.predicate AS p, endNode(r).key AS o"
    )


def edge_support() -> str:
    """``(s, p, o, support)`` of the edges given as ``$rows`` of ``{s, p, o}`` that exist."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (:Entity {key: row.s})-[r:FACT]->(b:Entity)\n"
        "WHERE r.predicate = row.p AND b.key = row.o\n"
        f"RETURN row.s AS s, row.p AS p, row.o AS o, {_SUPPORT}"
    )


def document_counts() -> str:
    """``(key, n)``: documents mentioning each of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})<-[:REFERS_TO]-(m:Mention)\n"
        "RETURN key, count(DISTINCT m.doc_id) AS n"
    )


def fact_rows() -> str:
    """``(key, s, p, o, doc_id, i)``: every fact record touching one of ``$keys``."""
    return (
        "UNWIND $keys AS key\n"
        "MATCH (:Entity {key: key})-[r:FACT]-(:Entity)\n"
        "WITH DISTINCT key, r\n"
        "RETURN key, startNode(r).key AS s, r.predicate AS p, endNode(r).key AS o, "
        "r.doc_id AS doc_id, r.sentence_index AS i"
    )


def sentence_texts() -> str:
    """``(doc_id, index, text)`` of the sentences given as ``$rows`` of ``{doc_id, index}``."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (s:Sentence {doc_id: row.doc_id, index: row.index})\n"
        "RETURN row.doc_id AS doc_id, row.index AS index, s.text AS text"
    )


def mentioned_keys() -> str:
    """Keys of every entity with a mention."""
    return "MATCH (e:Entity)<-[:REFERS_TO]-(:Mention)\nRETURN DISTINCT e.key AS key"


def stored_summaries(field: str) -> str:
    """``(key, value)`` of the stored ``summary`` or ``degree`` of ``$keys`` that have one."""
    if field not in {"summary", "degree"}:
        raise ValueError(f"not a summary field: {field!r}")
    return (
        "UNWIND $keys AS key\n"
        "MATCH (e:Entity {key: key})\n"
        f"WHERE e.{field} IS NOT NULL\n"
        f"RETURN key, e.{field} AS value"
    )


def set_summaries() -> str:
    """Write ``$rows`` of ``{key, summary, degree}`` (null values remove the summary)."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (e:Entity {key: row.key})\n"
        "SET e.summary = row.summary, e.degree = row.degree"
    )
