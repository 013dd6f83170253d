"""The embedded Oxigraph store: persistence, named graphs, raw SPARQL, odd ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kgfuse.errors import ReadOnlyQueryError, StoreError
from kgfuse.kg.stores.rdf import RdfStore
from kgfuse.types import ResolvedDocument, content_hash


@pytest.fixture
def doc(make: Callable[..., ResolvedDocument]) -> Callable[..., ResolvedDocument]:
    """Factory of one-sentence documents stating facts, each end an ORG named after its key."""

    def build(doc_id: str, text: str, facts: list[tuple[str, str, str]]) -> ResolvedDocument:
        keys = sorted({k for s, _, o in facts for k in (s, o)})
        mentions = [(k, k.replace("_", " ").title(), "ORG", 0) for k in keys]
        return make(doc_id, [text], mentions, [(*f, 0) for f in facts], extractor="t/1")

    return build


@pytest.fixture
def store(tmp_path: Path):
    with RdfStore(tmp_path / "graph") as graph:
        yield graph


def test_a_file_path_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        RdfStore(target)


def test_a_store_open_elsewhere_gives_a_clear_error(tmp_path: Path) -> None:
    with RdfStore(tmp_path / "g"), pytest.raises(StoreError, match="open in another process"):
        RdfStore(tmp_path / "g")


def test_data_persists_after_close(tmp_path: Path, doc: Callable[..., ResolvedDocument]) -> None:
    with RdfStore(tmp_path / "g") as graph:
        graph.write([doc("d1", "Acme bought Globex.", [("acme", "buy", "globex")])])
    with RdfStore(tmp_path / "g") as graph:
        assert [e.predicate for e in graph.iter_edges()] == ["buy"]
        assert graph.document_versions(["d1"]) == {
            "d1": (content_hash("Acme bought Globex."), "t/1")
        }


def test_one_named_graph_per_document_readable_with_rdflib(
    store: RdfStore, doc: Callable[..., ResolvedDocument]
) -> None:
    store.write([doc("news/1.txt", "Acme bought Globex.", [("acme", "buy", "globex")])])
    names = {str(c.identifier) for c in store.dataset.graphs()}
    assert "urn:kgfuse:doc:news%2F1.txt" in names
    rows = store.raw_query(
        "SELECT ?text WHERE { ?f kg:subject ent:acme ; kg:predicate rel:buy ; kg:sentence ?s . "
        "?s kg:text ?text }"
    )
    assert rows == [{"text": "Acme bought Globex."}]


def test_raw_query_forms_and_bindings(
    store: RdfStore, doc: Callable[..., ResolvedDocument]
) -> None:
    store.write([doc("d1", "Acme bought Globex.", [("acme", "buy", "globex")])])
    assert store.raw_query("ASK { ent:acme rel:buy ent:globex }") == [{"ask": True}]
    rows = store.raw_query("CONSTRUCT { ?s rel:buy ?o } WHERE { ?s rel:buy ?o }")
    assert rows == [
        {
            "subject": "urn:kgfuse:entity:acme",
            "predicate": "urn:kgfuse:rel:buy",
            "object": "urn:kgfuse:entity:globex",
        }
    ]
    rows = store.raw_query(
        "SELECT ?m ?surface WHERE { ?m kg:surface ?surface }", {"surface": "Globex"}
    )
    assert len(rows) == 1


def test_sparql_updates_need_allow_write(store: RdfStore) -> None:
    update = "PREFIX x: <urn:x:> INSERT DATA { x:a x:b x:c }"
    with pytest.raises(ReadOnlyQueryError):
        store.raw_query(update)
    with pytest.raises(ReadOnlyQueryError):
        store.raw_query("DELETE WHERE { ?s ?p ?o }")
    store.raw_query(update, allow_write=True)
    assert store.raw_query("ASK { <urn:x:a> <urn:x:b> <urn:x:c> }") == [{"ask": True}]
    with pytest.raises(StoreError, match="invalid SPARQL"):
        store.raw_query("SELECT WHERE nonsense")


def test_odd_document_ids_and_keys_round_trip(
    store: RdfStore, doc: Callable[..., ResolvedDocument]
) -> None:
    odd_id = 'dir/a b#"q"?x=1%20'
    odd_key = "o\"'}_>DETACH_DELETE"
    store.write([doc(odd_id, "text", [("acme", "own", odd_key)])])
    assert odd_id in store.document_versions([odd_id])
    assert [e.object_key for e in store.iter_edges()] == [odd_key]
    assert store.delete_document(odd_id)
    assert list(store.iter_edges()) == []


def test_rewrite_in_one_batch_twice_is_refused(
    store: RdfStore, doc: Callable[..., ResolvedDocument]
) -> None:
    one = doc("d1", "x", [("a", "p", "b")])
    with pytest.raises(StoreError, match="twice"):
        store.write([one, one])
