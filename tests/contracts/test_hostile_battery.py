"""The hostile-input battery through the store contract, against every backend.

Every value of ``tests/hostile_inputs.py`` is either stored as data and found again, or
refused with one clear line before anything of its batch is written; every backend behaves
the same. Lookups of any of them end in a result or a one-line "not found", and no raw query
reaches the network without ``allow_network`` (a real local listener counts connections).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kgfuse.errors import EntityNotFoundError, KgfuseError, NetworkQueryError, StoreError
from kgfuse.kg.stores import GraphStore
from kgfuse.types import ResolvedDocument

from .. import hostile_inputs as H
from ..conftest import Listener

Make = Callable[..., ResolvedDocument]


def _plain_doc(make: Make, doc_id: str = "plain") -> ResolvedDocument:
    return make(doc_id, ["Ada met Paris."], [("ada", "Ada", "PERSON", 0)], [])


def snapshot(store: GraphStore) -> tuple[object, ...]:
    """Everything a reader can see."""
    return (store.stats(top=50), list(store.iter_edges()), list(store.iter_triples()))


def one_line(err: BaseException) -> str:
    """The message of a clear error: one line, short even for a 100k-character input."""
    text = str(err)
    assert "\n" not in text.strip(), text[:300]
    assert len(text) < 600, len(text)
    return text


def test_hostile_values_are_stored_as_data(store: GraphStore, make: Make) -> None:
    docs = []
    for value in H.DATA:
        surface = value[:200]
        sentence = f"{surface} met Ada."
        docs.append(
            make(
                value,
                [sentence],
                [(value, surface, "PERSON", 0), ("ada", "Ada", "PERSON", 0)],
                [(value, value[:50] or "p", "ada", 0)],
            )
        )
    store.write(docs)
    versions = store.document_versions(H.DATA)
    assert sorted(versions) == sorted(H.DATA)
    for value in H.DATA:
        assert store.entity(value).key == value
        card = store.entity_card(value)
        assert [s.doc_id for s in card.sentences] == [value]
    assert store.stats().documents == len(H.DATA)
    for value in H.DATA:
        assert store.delete_document(value)
    assert store.stats().documents == 0
    assert list(store.iter_edges()) == []


@pytest.mark.parametrize("bad_id", H.BAD_IDS, ids=lambda v: repr(v)[:20])
def test_bad_ids_are_refused_before_anything_is_written(
    store: GraphStore, make: Make, bad_id: str
) -> None:
    store.write([_plain_doc(make, "kept")])
    before = snapshot(store)
    with pytest.raises(StoreError, match="document id") as caught:
        store.write([_plain_doc(make, "new-and-fine"), _plain_doc(make, bad_id)])
    one_line(caught.value)
    assert snapshot(store) == before  # not even the valid document of the batch
    assert store.document_versions([bad_id]) == {}
    assert store.delete_document(bad_id) is False


@pytest.mark.parametrize("bad", H.BAD_TEXTS, ids=lambda v: repr(v)[:20])
@pytest.mark.parametrize("where", ["sentence", "surface", "key", "predicate"])
def test_unstorable_text_is_refused_on_every_backend(
    store: GraphStore, make: Make, bad: str, where: str
) -> None:
    store.write([_plain_doc(make, "kept")])
    before = snapshot(store)
    sentence = f"{bad} met Ada." if where == "sentence" else "Bob met Ada."
    surface = bad if where == "surface" else "Bob"
    key = bad if where == "key" else "bob"
    predicate = bad if where == "predicate" else "met"
    doc = make(
        "d",
        [sentence],
        [(key, surface, "PERSON", 0), ("ada", "Ada", "PERSON", 0)],
        [(key, predicate, "ada", 0)],
    )
    with pytest.raises(StoreError) as caught:
        store.write([_plain_doc(make, "fine"), doc])
    one_line(caught.value)
    assert snapshot(store) == before


@pytest.mark.parametrize("token", H.LONG_TOKENS, ids=lambda v: f"{len(v)}-chars")
def test_long_tokens_are_text_but_not_keys(store: GraphStore, make: Make, token: str) -> None:
    store.write([_plain_doc(make, "kept")])
    before = snapshot(store)
    as_key = make("k", ["Bob met Ada."], [(token, "Bob", "PERSON", 0)], [])
    with pytest.raises(StoreError, match="characters long") as caught:
        store.write([as_key])
    one_line(caught.value)
    assert snapshot(store) == before
    sentence = f"{token} met Ada."
    store.write([make("t", [sentence], [("ada", "Ada", "PERSON", 0)], [])])
    assert store.entity_card("ada").entity.key == "ada"
    assert store.stats().sentences == 2
    assert store.entities([token]) == {}


def test_lookups_of_hostile_names_end_in_a_result_or_one_line(
    store: GraphStore, make: Make
) -> None:
    store.write([_plain_doc(make)])
    outcomes = {"found": 0, "not found": 0}
    for name in H.LOOKUPS:
        for call in (store.resolve, store.entity, lambda n: store.lookup(n, limit=3)):
            try:
                call(name)
                outcomes["found"] += 1
            except EntityNotFoundError as err:
                one_line(err)
                outcomes["not found"] += 1
        assert store.adjacent_edges([name]) == []
        assert store.entities([name]) == {}
    assert outcomes["not found"] > 0


@pytest.mark.parametrize("value", [*H.DATA[:6], *H.BAD_TEXTS, "z" * 100_000])
def test_raw_query_parameters_are_data(store: GraphStore, make: Make, value: str) -> None:
    store.write([_plain_doc(make)])
    before = snapshot(store)
    query = {
        "cypher": "MATCH (e:Entity) WHERE e.key = $v RETURN count(e) AS n",
        "sparql": "SELECT (COUNT(*) AS ?n) WHERE { ?m kg:surface ?v }",
    }[store.query_language]
    try:
        assert store.raw_query(query, {"v": value}) == [{"n": 0}]
    except StoreError as err:  # NUL on FalkorDB, a lone surrogate anywhere
        one_line(err)
    assert snapshot(store) == before


# ---------------------------------------------------------------------- no network egress
NETWORK = {
    "sparql": [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",
        "LOAD <http://127.0.0.1:{port}/x.nt>",
    ],
    "cypher": [
        "LOAD CSV FROM 'http://127.0.0.1:{port}/x.csv' AS row RETURN row",
        "CALL apoc.load.json('http://127.0.0.1:{port}/x') YIELD value RETURN value",
    ],
}


def test_no_query_reaches_the_network_without_allow_network(
    store: GraphStore, listener: Listener
) -> None:
    for template in NETWORK[store.query_language]:
        query = template.format(port=listener.port)
        for allow_write in (False, True):
            with pytest.raises(NetworkQueryError) as caught:
                store.raw_query(query, allow_write=allow_write)
            one_line(caught.value)
    assert listener.connections == 0


def test_every_refusal_is_a_kgfuse_error(store: GraphStore) -> None:
    # Malformed queries of the store's language: a clear error, never a driver exception.
    for query in ["MATCH (n RETURN", "SELECT * WHERE {", "'unclosed", "/* open", "}", "\x00"]:
        try:
            store.raw_query(query)
        except KgfuseError as err:
            one_line(err)
