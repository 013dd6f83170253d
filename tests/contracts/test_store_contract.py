"""The GraphStore contract, run against every backend (see conftest.py for the backends)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kgfuse.errors import EntityNotFoundError, ReadOnlyQueryError, StoreError
from kgfuse.kg.stores import GraphStore
from kgfuse.types import Edge, ResolvedDocument

Make = Callable[..., ResolvedDocument]

BORN_IN = Edge("marie_curie", "born_in", "warsaw", 2)
EDGES = [
    BORN_IN,
    Edge("marie_curie", "married", "pierre_curie", 1),
    Edge("marie_curie", "worked_in", "paris", 1),
    Edge("pierre_curie", "worked_in", "paris", 1),
    Edge("sorbonne", "located_in", "paris", 1),
    Edge("warsaw", "capital_of", "poland", 1),
]


def snapshot(store: GraphStore) -> tuple[object, ...]:
    """Everything a reader can see, for before/after comparisons."""
    return (store.stats(top=20), list(store.iter_edges()), list(store.iter_triples()))


# ---------------------------------------------------------------------- writing & reading
def test_write_then_read_entities(store: GraphStore, docs: list[ResolvedDocument]) -> None:
    store.write(docs)
    curie = store.entity("marie_curie")
    assert (curie.name, curie.label, curie.aliases) == ("Marie Curie", "PERSON", ("Curie",))
    assert store.entity("sorbonne").name == "The Sorbonne"
    assert store.entity("capital").label == "CONCEPT"
    found = store.entities(["paris", "nowhere", "warsaw"])
    assert sorted(found) == ["paris", "warsaw"]
    with pytest.raises(EntityNotFoundError):
        store.entity("nowhere")
    versions = store.document_versions(["curie-1", "sorbonne", "missing"])
    assert versions == {
        "curie-1": (docs[0].content_hash, docs[0].extractor),
        "sorbonne": (docs[3].content_hash, docs[3].extractor),
    }


def test_stats_and_edges(store: GraphStore, docs: list[ResolvedDocument]) -> None:
    store.write(docs)
    stats = store.stats(top=3)
    assert (stats.documents, stats.sentences, stats.mentions, stats.entities) == (4, 7, 15, 7)
    assert (stats.edges, stats.facts) == (6, 7)
    assert stats.predicates == (
        ("worked_in", 2),
        ("born_in", 1),
        ("capital_of", 1),
        ("located_in", 1),
        ("married", 1),
    )
    assert [(e.key, d) for e, d in stats.top_entities] == [
        ("marie_curie", 3),
        ("paris", 3),
        ("pierre_curie", 2),
    ]
    assert stats.top_entities[0][0].name == "Marie Curie"
    assert list(store.iter_edges()) == EDGES


def test_iter_triples_one_per_provenance_sorted(store: GraphStore, docs: list) -> None:
    store.write(docs)
    triples = list(store.iter_triples())
    assert len(triples) == 7
    key = [
        (t.subject_key, t.predicate, t.object_key, t.provenance.doc_id, t.provenance.sentence_index)
        for t in triples
    ]
    assert key == sorted(key)
    born = [t for t in triples if t.predicate == "born_in"]
    assert [(t.provenance.doc_id, t.provenance.sentence_index) for t in born] == [
        ("curie-1", 0),
        ("warsaw", 1),
    ]
    warsaw_doc = docs[2]
    assert born[1].provenance == warsaw_doc.triples[1].provenance


def test_write_empty_and_duplicate_ids(store: GraphStore, docs: list) -> None:
    store.write([])
    assert store.stats().documents == 0
    with pytest.raises(StoreError, match="twice"):
        store.write([docs[0], docs[0]])
    assert store.stats().documents == 0


# ---------------------------------------------------------------------- rewrite & delete
def test_rewrite_is_idempotent(store: GraphStore, docs: list[ResolvedDocument]) -> None:
    store.write(docs)
    before = snapshot(store)
    store.write(docs)
    for doc in docs:
        store.write([doc])
    assert snapshot(store) == before


def test_rewrite_replaces_exactly(store: GraphStore, docs: list, make: Make) -> None:
    store.write(docs)
    changed = make(
        "curie-1",
        ["Marie Curie was born in Kraków."],
        [("marie_curie", "Marie Curie", "PERSON", 0), ("kraków", "Kraków", "GPE", 0)],
        [("marie_curie", "born_in", "kraków", 0)],
        extractor="test-rules/2",
    )
    store.write([changed])
    edges = set(store.iter_edges())
    assert Edge("marie_curie", "born_in", "warsaw", 1) in edges  # still stated by "warsaw"
    assert Edge("marie_curie", "born_in", "kraków", 1) in edges
    assert not any(e.predicate == "worked_in" and e.subject_key == "marie_curie" for e in edges)
    assert store.entity("marie_curie").aliases == ()  # "Curie" was only in the old version
    assert store.entity_card("warsaw").document_count == 1
    assert store.document_versions(["curie-1"])["curie-1"][1] == "test-rules/2"
    stats = store.stats()
    assert (stats.documents, stats.sentences, stats.mentions) == (4, 6, 13)


def test_delete_retracts_only_that_documents_facts(store: GraphStore, docs: list) -> None:
    store.write(docs)
    assert store.delete_document("warsaw") is True
    edges = list(store.iter_edges())
    assert Edge("marie_curie", "born_in", "warsaw", 1) in edges
    assert not any(e.predicate == "capital_of" for e in edges)
    assert store.entities(["poland", "capital", "warsaw"]).keys() == {"warsaw"}
    stats = store.stats()
    assert (stats.documents, stats.entities, stats.edges, stats.facts) == (3, 5, 5, 5)
    assert store.document_versions(["warsaw"]) == {}
    assert store.delete_document("warsaw") is False
    assert store.delete_document("never-written") is False
    with pytest.raises(StoreError):
        store.delete_document("")


def test_delete_everything_leaves_an_empty_graph(store: GraphStore, docs: list) -> None:
    store.write(docs)
    for doc in docs:
        assert store.delete_document(doc.document.id)
    stats = store.stats()
    assert (stats.documents, stats.sentences, stats.mentions, stats.entities) == (0, 0, 0, 0)
    assert (stats.edges, stats.facts, stats.predicates, stats.top_entities) == (0, 0, (), ())
    assert list(store.iter_triples()) == []


def test_fact_endpoint_without_mention(store: GraphStore, make: Make) -> None:
    # An entity exists only through its mentions, but a fact may name an unmentioned one.
    doc = make(
        "odd", ["Ada met a ghost."], [("ada", "Ada", "PERSON", 0)], [("ada", "met", "ghost", 0)]
    )
    store.write([doc])
    store.write([doc])
    assert list(store.iter_edges()) == [Edge("ada", "met", "ghost", 1)]
    with pytest.raises(EntityNotFoundError):
        store.entity("ghost")
    assert store.stats().entities == 1
    store.delete_document("odd")
    assert list(store.iter_edges()) == []


# ---------------------------------------------------------------------- lookup & traversal
def test_lookup_exact_alias_fuzzy(store: GraphStore, docs: list) -> None:
    store.write(docs)
    hits = store.lookup("marie  CURIE")
    assert [(m.entity.key, m.how) for m in hits] == [("marie_curie", "exact")]
    hits = store.lookup("Curie")
    assert [(m.entity.key, m.how, m.matched) for m in hits] == [
        ("marie_curie", "alias", "Curie"),
        ("pierre_curie", "fuzzy", "Pierre Curie"),
    ]
    assert [m.entity.key for m in store.lookup("Curie", fuzzy=False)] == ["marie_curie"]
    assert [(m.entity.key, m.how) for m in store.lookup("warsa")] == [("warsaw", "fuzzy")]
    assert store.lookup("sorbonne")[0].entity.key == "sorbonne"
    assert store.lookup("atlantis") == []
    assert store.resolve("Curie").key == "marie_curie"


def test_entity_card(store: GraphStore, docs: list) -> None:
    store.write(docs)
    card = store.entity_card("marie_curie")
    assert card.types == (("PERSON", 4),)
    assert (card.mention_count, card.document_count) == (4, 3)
    assert [e for e, _ in card.neighbours] == [EDGES[0], EDGES[1], EDGES[2]]
    assert [o.key for _, o in card.neighbours] == ["warsaw", "pierre_curie", "paris"]
    assert [(s.doc_id, s.sentence_index, s.predicate) for s in card.sentences] == [
        ("curie-1", 0, "born_in"),
        ("curie-1", 1, "worked_in"),
        ("curie-2", 0, "married"),
        ("warsaw", 1, "born_in"),
    ]
    assert card.sentences[0].text == "Marie Curie was born in Warsaw."
    short = store.entity_card("marie_curie", neighbours=1, sentences=2)
    assert len(short.neighbours) == 1 and short.sentences == card.sentences[:2]
    paris = store.entity_card("paris")
    assert [(s.doc_id, s.subject_key) for s in paris.sentences] == [
        ("curie-1", "marie_curie"),
        ("curie-2", "pierre_curie"),
        ("sorbonne", "sorbonne"),
    ]


def test_neighbours_paths_subgraphs(store: GraphStore, docs: list) -> None:
    store.write(docs)
    one = [(n.entity.key, n.distance) for n in store.neighbours("marie_curie")]
    assert one == [("paris", 1), ("pierre_curie", 1), ("warsaw", 1)]
    two = [(n.entity.key, n.distance) for n in store.neighbours("marie_curie", hops=2)]
    assert two == [*one, ("poland", 2), ("sorbonne", 2)]
    assert store.shortest_path("marie_curie", "sorbonne") == [
        EDGES[2],
        Edge("sorbonne", "located_in", "paris", 1),
    ]
    assert store.shortest_path("poland", "marie_curie") == [EDGES[5], BORN_IN]
    assert store.shortest_path("marie_curie", "capital") is None
    assert store.shortest_path("paris", "paris") == []
    assert store.subgraph(["warsaw"], hops=0) == []
    assert store.subgraph(["warsaw", "nowhere"]) == [BORN_IN, EDGES[5]]
    assert store.adjacent_edges(["poland", "sorbonne"]) == [EDGES[4], EDGES[5]]


def test_self_loop_counts_once_in_degree(store: GraphStore, make: Make) -> None:
    doc = make("loop", ["Narcissus loves Narcissus."], [("narcissus", "Narcissus", "PERSON", 0)],
               [("narcissus", "loves", "narcissus", 0)])  # fmt: skip
    store.write([doc])
    assert list(store.iter_edges()) == [Edge("narcissus", "loves", "narcissus", 1)]
    assert [(e.key, d) for e, d in store.stats().top_entities] == [("narcissus", 1)]
    assert store.neighbours("narcissus") == []


# ---------------------------------------------------------------------- raw queries
READS = {
    "cypher": "MATCH (m:Mention) WHERE m.key = $key RETURN count(m) AS n",
    "sparql": "SELECT ?key (COUNT(?m) AS ?n) WHERE { ?m <urn:kgfuse:vocab#refersTo> ?e . "
    "FILTER(STR(?e) = CONCAT('urn:kgfuse:entity:', ?key)) } GROUP BY ?key",
}
WRITES = {
    "cypher": ("CREATE (:Scratch {v: 1})", "MATCH (s:Scratch) RETURN count(s) AS n"),
    "sparql": (
        "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
        "SELECT (COUNT(*) AS ?n) WHERE { <urn:x:a> <urn:x:b> ?o }",
    ),
}


def test_raw_query_read_refuse_and_allow_write(store: GraphStore, docs: list) -> None:
    store.write(docs)
    lang = store.query_language
    assert [row["n"] for row in store.raw_query(READS[lang], {"key": "paris"})] == [3]
    write, check = WRITES[lang]
    with pytest.raises(ReadOnlyQueryError):
        store.raw_query(write)
    assert store.raw_query(check) == [{"n": 0}]
    store.raw_query(write, allow_write=True)
    assert store.raw_query(check) == [{"n": 1}]
    with pytest.raises(StoreError):
        store.raw_query("   ")


# ---------------------------------------------------------------------- hostile & unicode data
NASTY = [
    'Robert"); DROP TABLE names; --',
    "O'Brien \\' \\\" \\\\",
    "back`tick`` and {braces} [brackets] $param",
    "}) DETACH DELETE n //",
    '" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "line\nbreak\ttab /* comment */ // comment",
]


PREDICATE = '}]->(x) `DETACH` DELETE x // ?p <urn:p> \\ "q"'


def test_hostile_strings_are_plain_data(store: GraphStore, docs: list, make: Make) -> None:
    store.write(docs)
    before = store.stats()
    sentences = [f"{text} met Paris." for text in NASTY]
    mentions = [(text, text, "PERSON", i) for i, text in enumerate(NASTY)]
    facts = [(text, PREDICATE, "paris", i) for i, text in enumerate(NASTY)]
    mentions += [("paris", "Paris", "GPE", 0)]
    doc_id = '"}) MATCH (n) DETACH DELETE n // <urn:doc> ?x'
    store.write([make(doc_id, sentences, mentions, facts, extractor="x'`\"}")])
    for i, text in enumerate(NASTY):
        assert store.entity(text).name == text
        card = store.entity_card(text)
        assert card.sentences[0].text == sentences[i]
        assert card.sentences[0].doc_id == doc_id
        assert card.neighbours[0][0].predicate == PREDICATE
    triples = [t for t in store.iter_triples() if t.provenance.doc_id == doc_id]
    assert len(triples) == len(NASTY)
    assert {t.provenance.extractor for t in triples} == {"x'`\"}"}
    assert store.lookup("}) DETACH DELETE n //", fuzzy=False)[0].entity.key == NASTY[3]
    after = store.stats()
    assert after.documents == before.documents + 1
    assert after.entities == before.entities + len(NASTY)
    assert store.delete_document(doc_id)
    assert store.stats() == before


def test_unicode_names(store: GraphStore, make: Make) -> None:
    names = [("zürich", "Zürich"), ("東京", "東京"), ("ærøskøbing", "Ærøskøbing"), ("🐍", "🐍")]
    doc = make(
        "uni",
        ["Zürich, 東京, Ærøskøbing and 🐍 are linked."],
        [(k, t, "GPE", 0) for k, t in names],
        [("zürich", "twinned_with", "東京", 0), ("ærøskøbing", "né_à", "🐍", 0)],
    )
    store.write([doc])
    assert store.entity("東京").name == "東京"
    assert store.lookup("ZÜRICH")[0].entity.key == "zürich"
    assert store.lookup("東")[0].entity.key == "東京"
    assert store.lookup("ÆRØSKØBING")[0].how == "exact"
    edges = list(store.iter_edges())
    assert edges == sorted(edges, key=lambda e: (e.subject_key, e.predicate, e.object_key))
    assert Edge("ærøskøbing", "né_à", "🐍", 1) in edges
    assert store.entity_card("🐍").sentences[0].text.endswith("are linked.")
