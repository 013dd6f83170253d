"""The Cypher graph model: its labels, the identifier gate and the schema statements.

Graph model (both backends)::

    (:Document {id, content_hash, extractor, links})   the commit marker, written last
    (:Sentence {doc_id, index, text, char_start, char_end})
    (:Mention {doc_id, key, text, norm, label, sentence_index, char_start, char_end})
        -[:REFERS_TO]->(:Entity {key})
    (:Entity)-[:FACT {predicate, doc_id, sentence_index, char_start, char_end, extractor}]
        ->(:Entity)

One ``FACT`` relationship per provenance record; the support of ``(s, p, o)`` is the number
of distinct ``(doc_id, sentence_index)`` among its relationships. ``Mention.norm`` is
``normalize_name(text)`` (indexed for alias lookup); ``FACT.doc_id`` has a relationship
index, so a document's facts are found without scanning. A document counts as written only
once its ``Document`` node exists. An entity exists for the API iff it has a mention.

Why one ``FACT`` type with a ``predicate`` property rather than one relationship type per
predicate: predicates come from open extraction (500 20NG documents gave 1,957 of them), and
FalkorDB keeps one adjacency matrix per relationship type that every node deletion visits.
Measured here: deleting 2,000 isolated nodes took 0.01 s with 1 type, 3.4 s with 2,000;
rewriting 200 real documents took 80 s with per-predicate types. With one type a batch also
writes all its facts in one statement, a rewrite finds old facts through one index, and
predicates are plain data: no user text is ever spliced into a statement.

Rules kept by every builder: values only ever travel as ``$parameters``; writes are batched
``UNWIND $rows AS row`` statements with labelled ``MATCH``/``MERGE`` (edge endpoints by two
separate ``MATCH`` clauses); labels and relationship types are constants of this module
(:func:`quote_identifier` is the gate for any other name). The data-path statements are
identical for both dialects; only the schema statements differ.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from kgfuse.errors import StoreError

Dialect = Literal["neo4j", "falkordb"]

#: Labels of the model (the allow-list for labels spliced into a statement).
LABELS = frozenset({"Document", "Sentence", "Mention", "Entity"})
#: (label, property) pairs that are unique keys; everything MERGEs on them.
UNIQUE_KEYS: tuple[tuple[str, str], ...] = (("Entity", "key"), ("Document", "id"))
#: (label, property) pairs with a plain range index.
INDEXED: tuple[tuple[str, str], ...] = (
    ("Mention", "doc_id"),
    ("Mention", "norm"),
    ("Sentence", "doc_id"),
    # With doc_id, one index scan finds a sentence by (doc_id, index): a bulk-imported chunk
    # holds thousands of sentences under one doc_id (a card's texts took 13 ms, now 0.2).
    ("Sentence", "index"),
    ("Document", "content_hash"),  # linking reads a text's stored links by its hash
)
#: (relationship type, property) pairs with a relationship index.
INDEXED_RELATIONSHIPS: tuple[tuple[str, str], ...] = (("FACT", "doc_id"),)
MAX_IDENTIFIER_LENGTH = 255
# Unicode categories never allowed in an identifier: control, format, surrogate, private use,
# unassigned. Backticks end a quoted name, and Neo4j has decoded \u0060 inside backticks in
# the past, so backslashes are refused too.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def quote_identifier(name: str) -> str:
    """Return a label or relationship type as a backtick-quoted Cypher identifier.

    Every name is quoted (so keywords such as ``MATCH`` and names such as ``né à`` are safe);
    names that cannot be quoted the same way in Neo4j and FalkorDB (FalkorDB has no escape for
    a backtick inside backticks) are refused rather than altered.

    Args:
        name: A label or relationship type.

    Returns:
        The quoted identifier, e.g. ```born_in```.

    Raises:
        StoreError: The name is empty, too long, or holds a backtick, a backslash or a
            control/format character.
    """
    if not name:
        raise StoreError("a Cypher label or relationship type cannot be empty")
    if len(name) > MAX_IDENTIFIER_LENGTH:
        raise StoreError(
            f"identifier {name[:40]!r}... is {len(name)} characters; the Cypher stores "
            f"accept at most {MAX_IDENTIFIER_LENGTH}"
        )
    bad = next((c for c in name if c in "`\\" or unicodedata.category(c) in _BAD_CATEGORIES), None)
    if bad is not None:
        raise StoreError(
            f"identifier {name!r} holds {bad!r}, which the Cypher stores cannot quote; "
            "use letters, digits and '_'"
        )
    return f"`{name}`"


def label(name: str) -> str:
    """Return one of the model's labels, quoted.

    Raises:
        StoreError: ``name`` is not a label of the model.
    """
    if name not in LABELS:
        raise StoreError(f"expected one of the labels {sorted(LABELS)}, got {name!r}")
    return quote_identifier(name)


def schema_statements(dialect: Dialect) -> list[str]:
    """Return the statements creating the uniqueness constraints and indexes.

    Neo4j 5: idempotent ``CREATE CONSTRAINT/INDEX name IF NOT EXISTS``, plus a text index on
    ``Mention.norm`` for ``CONTAINS`` lookups. FalkorDB: ``CREATE INDEX`` for every key (a
    unique constraint there needs the index first and is created with the
    ``GRAPH.CONSTRAINT`` command, see :func:`falkordb_constraint_args`); FalkorDB has no
    ``IF NOT EXISTS``, so the store ignores "already indexed" errors.
    """
    if dialect == "neo4j":
        out = [
            f"CREATE CONSTRAINT kgfuse_{name.lower()}_{prop} IF NOT EXISTS "
            f"FOR (n:{name}) REQUIRE n.{prop} IS UNIQUE"
            for name, prop in UNIQUE_KEYS
        ]
        out += [
            f"CREATE INDEX kgfuse_{name.lower()}_{prop} IF NOT EXISTS FOR (n:{name}) ON (n.{prop})"
            for name, prop in INDEXED
        ]
        out += [
            f"CREATE INDEX kgfuse_{rel.lower()}_{prop} IF NOT EXISTS "
            f"FOR ()-[r:{rel}]-() ON (r.{prop})"
            for rel, prop in INDEXED_RELATIONSHIPS
        ]
        out.append(
            "CREATE TEXT INDEX kgfuse_mention_norm_text IF NOT EXISTS FOR (n:Mention) ON (n.norm)"
        )
        return out
    if dialect == "falkordb":
        out = [f"CREATE INDEX FOR (n:{name}) ON (n.{prop})" for name, prop in UNIQUE_KEYS + INDEXED]
        out += [
            f"CREATE INDEX FOR ()-[r:{rel}]-() ON (r.{prop})" for rel, prop in INDEXED_RELATIONSHIPS
        ]
        return out
    raise StoreError(f"unknown Cypher dialect {dialect!r}; expected 'neo4j' or 'falkordb'")


def falkordb_constraint_args(graph: str) -> list[tuple[str | int, ...]]:
    """Return the ``GRAPH.CONSTRAINT CREATE`` argument lists for the unique keys of ``graph``."""
    return [
        ("GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", name, "PROPERTIES", 1, prop)
        for name, prop in UNIQUE_KEYS
    ]
