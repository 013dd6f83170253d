"""The Cypher builders as strings: parameters only, quoted types, batched writes, the guard."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from kgfuse.errors import ReadOnlyQueryError, StoreError
from kgfuse.kg import cypher

NO_ARG_BUILDERS: list[Callable[[], str]] = [
    cypher.probe_documents,
    cypher.delete_facts,
    cypher.delete_mentions,
    cypher.delete_sentences,
    cypher.delete_documents,
    cypher.delete_orphan_entities,
    cypher.merge_entities,
    cypher.create_sentences,
    cypher.create_mentions,
    cypher.create_facts,
    cypher.merge_documents,
    cypher.document_versions,
    cypher.surface_forms,
    cypher.keys_for_normalized,
    cypher.search_normalized,
    cypher.mention_stats,
    cypher.adjacent_edges,
    cypher.supporting_sentences,
    cypher.count_mentioned_entities,
    cypher.count_facts,
    cypher.predicate_counts,
    cypher.top_degrees,
    cypher.entity_keys,
    cypher.edges_from,
    cypher.triples_from,
]


@pytest.mark.parametrize("build", NO_ARG_BUILDERS, ids=lambda f: f.__name__)
def test_builders_hold_no_literal_values(build: Callable[[], str]) -> None:
    query = build()
    assert "'" not in query and '"' not in query  # every value is a $parameter
    assert not re.search(r"[:=]\s*-?\d", query)  # no numbers either


READERS = {
    "probe_documents", "document_versions", "surface_forms", "keys_for_normalized",
    "search_normalized", "mention_stats", "adjacent_edges", "supporting_sentences",
    "count_mentioned_entities", "count_facts", "predicate_counts", "top_degrees",
    "entity_keys", "edges_from", "triples_from",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(READERS))
def test_read_builders_pass_the_read_only_guard(name: str) -> None:
    assert cypher.write_clause(getattr(cypher, name)()) is None


def test_writes_are_batched_unwinds_with_labelled_matches() -> None:
    for build in (cypher.create_sentences, cypher.create_mentions, cypher.merge_documents):
        assert build().startswith("UNWIND $rows AS row\n")
    query = cypher.create_facts()
    assert query.startswith("UNWIND $rows AS row\n")
    # Two labelled MATCH clauses for the endpoints, never a comma join.
    assert "MATCH (s:Entity {key: row.s})\nMATCH (o:Entity {key: row.o})\n" in query
    assert "CREATE (s)-[:FACT {predicate: row.p, doc_id: row.doc_id," in query
    for build in NO_ARG_BUILDERS:
        assert not re.search(r"MATCH \([^)]*\)\s*,", build()), build.__name__
    # Every deletion is keyed by document id (an index seek), never a scan.
    for build in (cypher.delete_facts, cypher.delete_mentions, cypher.delete_sentences,
                  cypher.delete_documents):  # fmt: skip
        assert build().startswith("UNWIND $doc_ids AS id\nMATCH ")
        assert "{doc_id: id}" in build() or "{id: id}" in build()
    assert cypher.merge_entities() == "UNWIND $keys AS key\nMERGE (:Entity {key: key})"


def test_schema_statements_per_dialect() -> None:
    neo = cypher.schema_statements("neo4j")
    assert neo[0] == (
        "CREATE CONSTRAINT kgfuse_entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE"
    )
    assert all(" IF NOT EXISTS " in s for s in neo)
    assert any(s.startswith("CREATE TEXT INDEX") and "n.norm" in s for s in neo)
    falkor = cypher.schema_statements("falkordb")
    assert "CREATE INDEX FOR (n:Mention) ON (n.norm)" in falkor
    assert "CREATE INDEX FOR ()-[r:FACT]-() ON (r.doc_id)" in falkor
    assert "CREATE INDEX kgfuse_fact_doc_id IF NOT EXISTS FOR ()-[r:FACT]-() ON (r.doc_id)" in neo
    args = cypher.falkordb_constraint_args("g")
    assert args[0] == ("GRAPH.CONSTRAINT", "CREATE", "g", "UNIQUE", "NODE", "Entity",
                       "PROPERTIES", 1, "key")  # fmt: skip
    with pytest.raises(StoreError):
        cypher.schema_statements("sqlite")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("born_in", "`born_in`"),
        ("MATCH", "`MATCH`"),
        ("lived in", "`lived in`"),
        ("né_à", "`né_à`"),
        ("}]->(x) DETACH DELETE x //", "`}]->(x) DETACH DELETE x //`"),
        ('it\'s "quoted"', '`it\'s "quoted"`'),
    ],
)
def test_quote_identifier_quotes_everything(name: str, quoted: str) -> None:
    assert cypher.quote_identifier(name) == quoted


@pytest.mark.parametrize(
    "name", ["", "a`b", "`) DETACH DELETE n //", "a\\u0060b", "new\nline", "nul\x00", "x" * 256]
)
def test_quote_identifier_refuses_what_it_cannot_quote(name: str) -> None:
    with pytest.raises(StoreError):
        cypher.quote_identifier(name)


def test_labels_come_from_the_allow_list() -> None:
    assert cypher.count_nodes("Mention") == "MATCH (n:`Mention`) RETURN count(n) AS n"
    assert cypher.label("Entity") == "`Entity`"
    for bad in ("Mention) DETACH DELETE (n", "FACT", "entity"):
        with pytest.raises(StoreError):
            cypher.count_nodes(bad)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) RETURN n",
        "MATCH (n) WHERE n.name = 'CREATE (x)' RETURN n",
        'MATCH (n) WHERE n.name = "DELETE \\" MERGE" RETURN n',
        "MATCH (n) // DELETE n\nRETURN n",
        "MATCH (n) /* SET n.x = 1 */ RETURN n",
        "MATCH (n:`CREATE`) RETURN n.set, n.delete, $merge",
        "MATCH (n:Set) RETURN n",
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.idx.fulltext.queryNodes('Mention', 'x') YIELD node RETURN node",
        "CALL { MATCH (n) RETURN count(n) AS c } RETURN c",
        "MATCH p = (start)-->(stop) RETURN p",
        "RETURN 1.5e3 AS x, [1..3] AS r",
    ],
)
def test_read_only_guard_accepts_reads(query: str) -> None:
    assert cypher.write_clause(query) is None
    cypher.check_read_only(query)


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("CREATE (n)", "CREATE"),
        ("match (n) detach delete n", "DETACH"),
        ("MATCH (n) SET n.x = 1", "SET"),
        ("MATCH (n) REMOVE n:Entity", "REMOVE"),
        ("MERGE (n:X {k: 1})", "MERGE"),
        ("DROP INDEX kgfuse_mention_norm", "DROP"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
        ("MATCH (n) FOREACH (x IN [1] | CREATE (:Y))", "FOREACH"),
        ("MATCH (n) WHERE n.name = 'x' /* */ DELETE n", "DELETE"),
        ("MATCH (n) WHERE n.name = 'it\\'s' DELETE n", "DELETE"),
        ("CALL { MATCH (n) DELETE n }", "DELETE"),
        ("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", "CALL apoc.create.node"),
        ("CALL db.createLabel('X')", "CALL db.createlabel"),
        ("CALL `db`.`labels`()", "CALL <id>"),
        ("STOP DATABASE neo4j", "STOP"),
        ("GRANT ROLE admin TO bob", "GRANT"),
        ("MATCH (n) RETURN n;\nCREATE (m)", "CREATE"),
    ],
)
def test_read_only_guard_refuses_writes(query: str, clause: str) -> None:
    assert cypher.write_clause(query) == clause
    with pytest.raises(ReadOnlyQueryError, match="allow-write"):
        cypher.check_read_only(query)


@pytest.mark.parametrize("query", ["MATCH (n) WHERE n.x = 'open", "MATCH (n) /* open", "RETURN `x"])
def test_read_only_guard_refuses_what_it_cannot_read(query: str) -> None:
    with pytest.raises(ReadOnlyQueryError, match="cannot check"):
        cypher.check_read_only(query)


def test_tokens_drop_literals_and_comments() -> None:
    tokens = cypher.cypher_tokens("MATCH (n {a: 'x // y'}) // c\nRETURN n.b /* z */ AS `q`")
    assert tokens == ["MATCH", "(", "N", "{", "A", ":", "<str>", "}", ")", "RETURN", "N", ".",
                      "B", "AS", "<id>"]  # fmt: skip
