"""The Cypher statement builders, tested as strings: schema, writes and reads."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from kgfuse.errors import StoreError
from kgfuse.kg.stores.cypher import guard, reads, schema, writes

NO_ARG_BUILDERS: list[Callable[[], str]] = [
    writes.probe_documents,
    writes.delete_facts,
    writes.delete_mentions,
    writes.delete_sentences,
    writes.delete_documents,
    writes.delete_orphan_entities,
    writes.merge_entities,
    writes.create_sentences,
    writes.create_mentions,
    writes.create_facts,
    writes.merge_documents,
    reads.document_versions,
    reads.surface_forms,
    reads.keys_for_normalized,
    reads.search_normalized,
    reads.mention_stats,
    reads.adjacent_edges,
    reads.supporting_sentences,
    reads.count_mentioned_entities,
    reads.count_facts,
    reads.predicate_counts,
    reads.top_degrees,
    reads.entity_keys,
    reads.edges_from,
    reads.triples_from,
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
    build = getattr(reads, name, None) or getattr(writes, name)
    assert guard.write_clause(build()) is None


def test_writes_are_batched_unwinds_with_labelled_matches() -> None:
    for build in (writes.create_sentences, writes.create_mentions, writes.merge_documents):
        assert build().startswith("UNWIND $rows AS row\n")
    query = writes.create_facts()
    assert query.startswith("UNWIND $rows AS row\n")
    # Two labelled MATCH clauses for the endpoints, never a comma join.
    assert "MATCH (s:Entity {key: row.s})\nMATCH (o:Entity {key: row.o})\n" in query
    assert "CREATE (s)-[:FACT {predicate: row.p, doc_id: row.doc_id," in query
    for build in NO_ARG_BUILDERS:
        assert not re.search(r"MATCH \([^)]*\)\s*,", build()), build.__name__
    # Every deletion is keyed by document id (an index seek), never a scan.
    for build in (writes.delete_facts, writes.delete_mentions, writes.delete_sentences,
                  writes.delete_documents):  # fmt: skip
        assert build().startswith("UNWIND $doc_ids AS id\nMATCH ")
        assert "{doc_id: id}" in build() or "{id: id}" in build()
    assert writes.merge_entities() == "UNWIND $keys AS key\nMERGE (:Entity {key: key})"


def test_schema_statements_per_dialect() -> None:
    neo = schema.schema_statements("neo4j")
    assert neo[0] == (
        "CREATE CONSTRAINT kgfuse_entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE"
    )
    assert all(" IF NOT EXISTS " in s for s in neo)
    assert any(s.startswith("CREATE TEXT INDEX") and "n.norm" in s for s in neo)
    falkor = schema.schema_statements("falkordb")
    assert "CREATE INDEX FOR (n:Mention) ON (n.norm)" in falkor
    assert "CREATE INDEX FOR ()-[r:FACT]-() ON (r.doc_id)" in falkor
    assert "CREATE INDEX kgfuse_fact_doc_id IF NOT EXISTS FOR ()-[r:FACT]-() ON (r.doc_id)" in neo
    args = schema.falkordb_constraint_args("g")
    assert args[0] == ("GRAPH.CONSTRAINT", "CREATE", "g", "UNIQUE", "NODE", "Entity",
                       "PROPERTIES", 1, "key")  # fmt: skip
    with pytest.raises(StoreError):
        schema.schema_statements("sqlite")  # type: ignore[arg-type]


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
    assert schema.quote_identifier(name) == quoted


@pytest.mark.parametrize(
    "name", ["", "a`b", "`) DETACH DELETE n //", "a\\u0060b", "new\nline", "nul\x00", "x" * 256]
)
def test_quote_identifier_refuses_what_it_cannot_quote(name: str) -> None:
    with pytest.raises(StoreError):
        schema.quote_identifier(name)


def test_labels_come_from_the_allow_list() -> None:
    assert reads.count_nodes("Mention") == "MATCH (n:`Mention`) RETURN count(n) AS n"
    assert schema.label("Entity") == "`Entity`"
    for bad in ("Mention) DETACH DELETE (n", "FACT", "entity"):
        with pytest.raises(StoreError):
            reads.count_nodes(bad)


def test_combine_chains_statements_with_renamed_parameters() -> None:
    from kgfuse.kg.stores.cypher.plan import combine

    query, params = combine(
        [
            ("UNWIND $doc_ids AS id\nMATCH (d:Document {id: id})\nDELETE d", {"doc_ids": ["a"]}),
            ("UNWIND $rows AS row\nCREATE (:Sentence {doc_id: row.doc_id})", {"rows": [{}]}),
        ]
    )
    assert query == (
        "UNWIND $s0_doc_ids AS id\nMATCH (d:Document {id: id})\nDELETE d"
        "\nWITH count(*) AS _0\n"
        "UNWIND $s1_rows AS row\nCREATE (:Sentence {doc_id: row.doc_id})"
    )
    assert params == {"s0_doc_ids": ["a"], "s1_rows": [{}]}
