"""Pure Cypher builders of the write path (tested as strings): probe, delete, create, commit.

Every statement is an ``UNWIND`` over a parameter list (``$doc_ids``, ``$keys`` or
``$rows``); the graph model is described in ``schema``.
"""

from __future__ import annotations


def probe_documents() -> str:
    """What each of ``$doc_ids`` has in the store: committed?, and the entities it touches."""
    return (
        "UNWIND $doc_ids AS id\n"
        "OPTIONAL MATCH (d:Document {id: id})\n"
        "OPTIONAL MATCH (m:Mention {doc_id: id})\n"
        "WITH id, d, collect(DISTINCT m.key) AS mention_keys\n"
        "OPTIONAL MATCH (s)-[r:FACT {doc_id: id}]->(o)\n"
        "RETURN id, d IS NOT NULL AS committed, mention_keys, "
        "collect(DISTINCT s.key) AS subjects, collect(DISTINCT o.key) AS objects"
    )


def delete_facts() -> str:
    """Delete the facts of ``$doc_ids``.

    The endpoints stay unlabelled on purpose: with ``(:Entity)`` FalkorDB plans a label scan
    of every entity per document instead of a pure ``FACT.doc_id`` index seek.
    """
    return "UNWIND $doc_ids AS id\nMATCH ()-[r:FACT {doc_id: id}]->()\nDELETE r"


def delete_mentions() -> str:
    """Delete the mentions of ``$doc_ids`` (and their ``REFERS_TO`` links)."""
    return "UNWIND $doc_ids AS id\nMATCH (m:Mention {doc_id: id})\nDETACH DELETE m"


def delete_sentences() -> str:
    """Delete the sentences of ``$doc_ids``."""
    return "UNWIND $doc_ids AS id\nMATCH (s:Sentence {doc_id: id})\nDELETE s"


def delete_documents() -> str:
    """Delete the ``Document`` nodes (commit markers) of ``$doc_ids``."""
    return "UNWIND $doc_ids AS id\nMATCH (d:Document {id: id})\nDELETE d"


def delete_orphan_entities() -> str:
    """Delete those of ``$keys`` whose entity has no mention and no fact left."""
    return "UNWIND $keys AS key\nMATCH (e:Entity {key: key})\nWHERE NOT (e)--()\nDELETE e"


def merge_entities() -> str:
    """Make sure an ``Entity`` node exists for each of ``$keys``."""
    return "UNWIND $keys AS key\nMERGE (:Entity {key: key})"


def create_sentences() -> str:
    """Create one ``Sentence`` per row of ``$rows``."""
    return (
        "UNWIND $rows AS row\n"
        "CREATE (:Sentence {doc_id: row.doc_id, index: row.index, text: row.text, "
        "char_start: row.char_start, char_end: row.char_end})"
    )


def create_mentions() -> str:
    """Create one ``Mention`` per row of ``$rows``, linked to its (existing) entity."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (e:Entity {key: row.key})\n"
        "CREATE (:Mention {doc_id: row.doc_id, key: row.key, text: row.text, norm: row.norm, "
        "label: row.label, sentence_index: row.sentence_index, char_start: row.char_start, "
        "char_end: row.char_end})-[:REFERS_TO]->(e)"
    )


def create_facts() -> str:
    """Create one ``FACT`` relationship per row of ``$rows`` between existing entities."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (s:Entity {key: row.s})\n"
        "MATCH (o:Entity {key: row.o})\n"
        "CREATE (s)-[:FACT {predicate: row.p, doc_id: row.doc_id, "
        "sentence_index: row.sentence_index, char_start: row.char_start, "
        "char_end: row.char_end, extractor: row.extractor}]->(o)"
    )


def merge_documents() -> str:
    """Write the ``Document`` nodes of ``$rows``: the last statement of a document's write.

    A document is committed only when the store holds exactly the sentences, mentions and
    facts its row announces (``row.sentences``, ``row.mentions``, ``row.facts``): on a server
    that runs the statements before it even when one of them failed (Redis does not roll a
    ``MULTI`` back), a half-written document never gets its commit marker, so it reads as
    absent to ``document_versions`` and is rewritten by the next build.
    """
    return (
        "UNWIND $rows AS row\n"
        "OPTIONAL MATCH (s:Sentence {doc_id: row.id})\n"
        "WITH row, count(s) AS sentences\n"
        "OPTIONAL MATCH (m:Mention {doc_id: row.id})\n"
        "WITH row, sentences, count(m) AS mentions\n"
        "OPTIONAL MATCH ()-[f:FACT {doc_id: row.id}]->()\n"
        "WITH row, sentences, mentions, count(f) AS facts\n"
        "WHERE sentences = row.sentences AND mentions = row.mentions AND facts = row.facts\n"
        "MERGE (d:Document {id: row.id})\n"
        "SET d.content_hash = row.content_hash, d.extractor = row.extractor, d.links = row.links"
    )
