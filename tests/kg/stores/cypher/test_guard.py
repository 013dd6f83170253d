"""The read-only guard of raw Cypher queries."""

from __future__ import annotations

import pytest

from kgfuse.errors import ReadOnlyQueryError
from kgfuse.kg.stores.cypher import guard


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
    assert guard.write_clause(query) is None
    guard.check_read_only(query)


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
    assert guard.write_clause(query) == clause
    with pytest.raises(ReadOnlyQueryError, match="allow-write"):
        guard.check_read_only(query)


@pytest.mark.parametrize("query", ["MATCH (n) WHERE n.x = 'open", "MATCH (n) /* open", "RETURN `x"])
def test_read_only_guard_refuses_what_it_cannot_read(query: str) -> None:
    with pytest.raises(ReadOnlyQueryError, match="cannot check"):
        guard.check_read_only(query)


def test_tokens_drop_literals_and_comments() -> None:
    tokens = guard.cypher_tokens("MATCH (n {a: 'x // y'}) // c\nRETURN n.b /* z */ AS `q`")
    assert tokens == ["MATCH", "(", "N", "{", "A", ":", "<str>", "}", ")", "RETURN", "N", ".",
                      "B", "AS", "<id>"]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row", "LOAD CSV"),
        ("load csv with headers from 'file:///etc/passwd' as r return r", "LOAD CSV"),
        ("CALL apoc.load.json('http://x/') YIELD value RETURN value", "apoc.load.json"),
        ("CALL apoc.load.jsonParams('http://x/', {}, null)", "apoc.load.jsonparams"),
        ("CALL apoc.import.csv([], [], {})", "apoc.import.csv"),
        ("CALL apoc.bolt.execute('bolt://x', 'RETURN 1', {})", "apoc.bolt.execute"),
        ("MATCH (n) /* x */ CALL apoc . load . xml('http://x/') YIELD value RETURN 1", None),
    ],
)
def test_network_guard_refuses_url_readers(query: str, clause: str | None) -> None:
    from kgfuse.errors import NetworkQueryError

    found = guard.network_clause(query)
    assert found is not None
    if clause is not None:
        assert found.strip().lower() == clause.lower()
    with pytest.raises(NetworkQueryError, match="--allow-network"):
        guard.check_no_network(query)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) WHERE n.text = 'LOAD CSV FROM http://x' RETURN n",
        "MATCH (n) // CALL apoc.load.json('http://x')\nRETURN n",
        "MATCH (n) RETURN n.load, $load, n.apoc",
        "MATCH (n:Load) RETURN n",
        "CALL apoc.text.join(['a'], ',')",
    ],
)
def test_network_guard_accepts_plain_reads(query: str) -> None:
    assert guard.network_clause(query) is None
