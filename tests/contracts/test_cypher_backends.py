"""What only the Cypher backends promise: connection errors, crash recovery, refused input."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from kgfuse.errors import ReadOnlyQueryError, StoreConnectionError, StoreError
from kgfuse.kg.stores import GraphStore, open_store
from kgfuse.types import ResolvedDocument


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


@pytest.fixture
def falkor(falkordb_server: Any) -> Any:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    store = FalkorDBStore(falkordb_server.url(f"cypher_{uuid.uuid4().hex}"), batch_size=2)
    yield store
    store.drop()
    store.close()


def test_unreachable_falkordb_names_url_without_password() -> None:
    pytest.importorskip("falkordb")
    port = closed_port()
    with pytest.raises(StoreConnectionError) as info:
        open_store(f"falkordb://alice:s3cret@127.0.0.1:{port}/g")
    message = str(info.value)
    assert f"falkordb://alice@127.0.0.1:{port}/g" in message
    assert "s3cret" not in message and "docker compose" in message


def test_wrong_falkordb_password_is_a_credentials_error(falkordb_server: Any) -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    server = type(falkordb_server)(password="right").start()  # a second, protected server
    try:
        for url in (server.url("g").replace("//", "//:s3cret-x@"), server.url("g")):
            with pytest.raises(StoreConnectionError, match="credentials") as info:
                FalkorDBStore(url)
            assert "s3cret-x" not in str(info.value) and "password" in str(info.value)
        with FalkorDBStore(server.url("g"), password="right") as store:
            assert store.stats().documents == 0
    finally:
        server.stop()


def test_unreachable_neo4j_names_url_without_password() -> None:
    pytest.importorskip("neo4j")
    port = closed_port()
    with pytest.raises(StoreConnectionError) as info:
        open_store(f"bolt://bob:s3cret@127.0.0.1:{port}", connect_timeout=2)
    message = str(info.value)
    assert f"bolt://bob@127.0.0.1:{port}" in message
    assert "s3cret" not in message and "docker compose" in message


def test_wrong_scheme_is_a_connection_error() -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore
    from kgfuse.kg.stores.cypher.neo4j import Neo4jStore

    with pytest.raises(StoreConnectionError, match="falkordb://"):
        FalkorDBStore("http://127.0.0.1:1/g")
    with pytest.raises(StoreConnectionError, match="not a Neo4j URL scheme"):
        Neo4jStore("http://u:pw@127.0.0.1:1")


def test_unknown_options_are_refused(falkordb_server: Any) -> None:
    with pytest.raises(StoreError, match="unknown FalkorDB store options"):
        open_store(falkordb_server.url("x"), pasword="typo")
    with pytest.raises(StoreError, match="unknown Neo4j store options"):
        open_store("neo4j://127.0.0.1:1", pasword="typo")


def test_interrupted_write_is_cleaned_up(falkor: Any, docs: list[ResolvedDocument]) -> None:
    from kgfuse.kg.stores.cypher.plan import plan_write, write_statements

    falkor.write(docs)
    expected = (falkor.stats(), list(falkor.iter_triples()))

    # Replay a crash: the prepare part of a rewrite ran, the commit marker never came.
    def prepare_only(rows: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
        prepare, _commit = plan_write([docs[2]], rows)
        return prepare, []

    falkor._run_round(["warsaw"], prepare_only)
    assert "warsaw" not in falkor.document_versions(["warsaw"])
    falkor._run_round([], lambda rows: (write_statements([docs[2]]), []))
    falkor.write([docs[2]])
    assert (falkor.stats(), list(falkor.iter_triples())) == expected


def test_batches_larger_than_batch_size(falkor: Any, make: Callable[..., Any]) -> None:
    batch = [
        make(
            f"d{i}",
            [f"A{i} knows B{i}."],
            [(f"a{i}", f"A{i}", "PERSON", 0), (f"b{i}", f"B{i}", "PERSON", 0)],
            [(f"a{i}", "knows", f"b{i}", 0)],
        )
        for i in range(5)
    ]
    falkor.write(batch)
    falkor.write(batch)
    stats = falkor.stats()
    assert (stats.documents, stats.entities, stats.edges, stats.facts) == (5, 10, 5, 5)


def test_nul_characters_are_refused_before_anything_is_sent(falkor: Any, make: Any) -> None:
    # FalkorDB's text parameter header ends at a NUL: refuse instead of truncating a query.
    ok = make("ok", ["A met B."], [("a", "A", "PERSON", 0), ("b", "B", "PERSON", 0)])
    nul = make("n", ["A\x00B"], [("a", "A\x00B", "PERSON", 0)])
    with pytest.raises(StoreError, match="NUL"):
        falkor.write([ok, nul])
    assert falkor.stats().documents == 0


def test_server_refuses_writes_in_read_queries(falkor: Any) -> None:
    # Behind the keyword check, reads go through GRAPH.RO_QUERY, which cannot write.
    with pytest.raises(StoreError, match="read-only"):
        falkor._run_raw("CREATE (:Sneaky)", {}, write=False)
    with pytest.raises(ReadOnlyQueryError):
        falkor.raw_query("MATCH (n) CALL apoc.do.it(n) YIELD x RETURN x")
    assert falkor.raw_query("CALL db.labels() YIELD label RETURN label") is not None


def test_read_only_store_refuses_writes(falkordb_server: Any, docs: list) -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    with FalkorDBStore(falkordb_server.url(f"ro_{uuid.uuid4().hex}"), read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.write(docs)
        with pytest.raises(StoreError, match="read-only"):
            store.raw_query("CREATE (:X)", allow_write=True)
        assert store.stats().documents == 0


def test_cypher_store_is_a_graph_store(falkor: GraphStore) -> None:
    assert falkor.query_language == "cypher"
    assert falkor.url.startswith("falkordb://127.0.0.1:") and "@" not in falkor.url
