"""Pure Cypher builders shared by the Neo4j and FalkorDB stores (tested as strings).

Graph model (both backends)::

    (:Document {id, content_hash, extractor})          the commit marker, written last
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

from kgfuse.errors import ReadOnlyQueryError, StoreError

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


# ---------------------------------------------------------------------- schema
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


# ---------------------------------------------------------------------- writing
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
    """Write the ``Document`` nodes of ``$rows``: the last statement of a document's write."""
    return (
        "UNWIND $rows AS row\n"
        "MERGE (d:Document {id: row.id})\n"
        "SET d.content_hash = row.content_hash, d.extractor = row.extractor"
    )


# ---------------------------------------------------------------------- reading
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


# ---------------------------------------------------------------------- read-only guard
#: Clause keywords that change the graph, the schema or the server.
WRITE_KEYWORDS = frozenset(
    {
        "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH",
        "GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "TERMINATE", "DEALLOCATE", "REALLOCATE",
    }
)  # fmt: skip
#: Procedures a read-only raw query may CALL (lower case); every other procedure is refused.
READ_PROCEDURES = frozenset(
    {
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
        "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
        "dbms.components", "db.idx.fulltext.querynodes", "db.idx.fulltext.queryrelationships",
        "db.idx.vector.querynodes", "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships", "db.index.vector.querynodes",
    }
)  # fmt: skip


def cypher_tokens(query: str) -> list[str]:
    """Split Cypher into upper-cased words and punctuation, outside literals and comments.

    String literals become ``<str>``, backtick-quoted names ``<id>``, numbers ``<num>``;
    comments vanish.

    Raises:
        ReadOnlyQueryError: A string, quoted name or block comment is not closed, so the
            query's structure cannot be read with confidence.
    """
    tokens: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"`":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" and c != "`" else 1
            if j >= n:
                raise ReadOnlyQueryError(f"cannot check the query: unclosed {c} at offset {i}")
            tokens.append("<id>" if c == "`" else "<str>")
            i = j + 1
        elif query.startswith("//", i):
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            if j < 0:
                raise ReadOnlyQueryError(f"cannot check the query: unclosed /* at offset {i}")
            i = j + 2
        elif c.isalnum() or c == "_":
            j = i + 1
            while j < n and (
                query[j].isalnum() or query[j] == "_" or (c.isdigit() and query[j] == ".")
            ):
                j += 1
            tokens.append("<num>" if c.isdigit() else query[i:j].upper())
            i = j
        else:
            if not c.isspace():
                tokens.append(c)
            i += 1
    return tokens


def write_clause(query: str) -> str | None:
    """Return the first clause of ``query`` that could write, or None for a read-only query.

    Conservative: any write keyword used as a clause, any procedure outside
    :data:`READ_PROCEDURES`, ``START/STOP DATABASE``. Words after ``.``, ``$`` or ``:``
    (property keys, parameters, labels) and text inside literals or comments do not count.
    """
    tokens = cypher_tokens(query)
    for i, tok in enumerate(tokens):
        if i and tokens[i - 1] in {".", "$", ":"}:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in WRITE_KEYWORDS or (tok in {"START", "STOP"} and nxt == "DATABASE"):
            return tok
        if tok == "CALL" and nxt not in {"{", "("}:
            parts, j = [], i + 1
            while j < len(tokens) and tokens[j][:1].isalpha():
                parts.append(tokens[j].lower())
                if j + 1 < len(tokens) and tokens[j + 1] == ".":
                    j += 2
                else:
                    break
            name = ".".join(parts)
            if name not in READ_PROCEDURES:
                return f"CALL {name or nxt}".strip()
    return None


def check_read_only(query: str) -> None:
    """Refuse a Cypher query that could write.

    Raises:
        ReadOnlyQueryError: :func:`write_clause` found a write clause or procedure.
    """
    clause = write_clause(query)
    if clause is not None:
        raise ReadOnlyQueryError(
            f"this Cypher query contains {clause}, which can change the graph; raw queries are "
            "read-only unless you pass --allow-write (allow_write=True)"
        )
