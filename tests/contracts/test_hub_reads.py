"""Bounded reads on a graph with a hub, on every backend: summaries, capped cards, budgets.

The graph: 2,000 films, each ``has_genre`` Drama (the hub) and ``directed_by`` one of 40
directors, written through ``store.write`` as eight documents of 250 films; apart from
them, 300 shows of the genre Comedy (one document) and an island pair (one document).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgfuse.cli.main import run
from kgfuse.kg.stores import GraphStore, summaries
from kgfuse.kg.stores.rdf import RdfStore
from kgfuse.kg.stores.traversal import SearchBudget
from kgfuse.types import ResolvedDocument
from tests.conftest import make_doc
from tests.contracts.conftest import close_backend, open_backend

FILMS = 2000
#: A budget no test graph exhausts, and a time limit no loaded machine reaches.
PATIENT = SearchBudget(edges=1_000_000, seconds=600)
SHOWS = 300
DRAMA = "drama"


def lines_doc(doc_id: str, lines: list[tuple[str, str, str]]) -> ResolvedDocument:
    """One sentence per ``(subject name, predicate, object name)``; keys are the names
    lower-cased with ``_`` for spaces."""
    sentences = [f"{s} {p} {o}." for s, p, o in lines]
    mentions, facts = [], []
    for i, (s, p, o) in enumerate(lines):
        mentions += [(key(s), s, "WORK", i), (key(o), o, "THING", i)]
        facts.append((key(s), p, key(o), i))
    return make_doc(doc_id, sentences, mentions, facts)


def key(name: str) -> str:
    return name.lower().replace(" ", "_")


def film_docs(films: int = FILMS, per_doc: int = 250) -> list[ResolvedDocument]:
    docs = []
    for start in range(0, films, per_doc):
        lines = []
        for i in range(start, min(films, start + per_doc)):
            lines += [(f"Film {i:04d}", "has_genre", "Drama")]
            lines += [(f"Film {i:04d}", "directed_by", f"Director {i % 40:02d}")]
        docs.append(lines_doc(f"films-{start // per_doc}", lines))
    return docs


pytestmark = pytest.mark.slow  # each graph takes seconds to write


def fill(store: GraphStore) -> GraphStore:
    store.write(film_docs())
    shows = [(f"Show {i:03d}", "has_genre", "Comedy") for i in range(SHOWS)]
    store.write(
        [lines_doc("shows", shows), lines_doc("island", [("Island A", "near", "Island B")])]
    )
    return store


@pytest.fixture(scope="module", params=["rdf", "falkordb"])
def hub_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The hub graph, shared by the tests that leave it as they found it."""
    opened = open_backend(request.param, request, tmp_path_factory.mktemp("hub"))
    yield fill(opened)
    close_backend(opened)


@pytest.fixture
def fresh_hub_store(store: GraphStore) -> GraphStore:
    """The hub graph, for one test that changes it."""
    return fill(store)


def test_hub_card_is_capped_with_the_true_degree(hub_store: GraphStore) -> None:
    drama = DRAMA
    card = hub_store.entity_card(drama, neighbours=10, sentences=5)
    assert card.degree == FILMS
    assert len(card.neighbours) == 10 and card.truncated
    assert [other.name for _, other in card.neighbours] == [f"Film {i:04d}" for i in range(10)]
    assert len(card.sentences) == 5
    assert card.mention_count == FILMS and card.document_count == 8


def test_summary_card_equals_the_live_card(hub_store: GraphStore) -> None:
    keys = [DRAMA, "film_0007", "director_03", "island_a"]
    with_summaries = [hub_store.entity_card(k, neighbours=12, sentences=7) for k in keys]
    assert all(hub_store._read_summaries([k]) for k in keys)
    hub_store._store_summaries(dict.fromkeys(keys))  # drop them: the live path
    assert not hub_store._read_summaries(keys)
    live = [hub_store.entity_card(k, neighbours=12, sentences=7) for k in keys]
    assert with_summaries == live
    # More neighbours or sentences than a summary keeps: read live, same answer.
    hub_store.refresh_summaries(keys)
    big = hub_store.entity_card(keys[0], neighbours=summaries.TOP_EDGES + 5, sentences=30)
    assert len(big.neighbours) == summaries.TOP_EDGES + 5 and len(big.sentences) == 30


def test_summaries_upgrade_then_stay_right_after_delete_and_rewrite(
    fresh_hub_store: GraphStore,
) -> None:
    store = fresh_hub_store
    every = store._mentioned_keys()
    before = store._read_summaries(every)
    store._store_summaries(dict.fromkeys(every))  # a store built before summaries
    assert store._degrees(every) == {}
    assert store.refresh_summaries() == len(every) == FILMS + 40 + 1 + SHOWS + 1 + 2
    assert store._read_summaries(every) == before

    film = "film_0000"
    assert store.delete_document("films-0")  # films 0-249
    assert store._degrees([DRAMA]) == {DRAMA: FILMS - 250}
    assert store.entity_card(DRAMA).degree == FILMS - 250
    assert not store._read_summaries([film])  # the film is gone, and so is its summary
    assert film not in store.entities([film])
    # Rewrite one document smaller and drop the others: summaries follow.
    store.write(film_docs(300, per_doc=300))
    for i in range(1, 8):
        store.delete_document(f"films-{i}")
    every = store._mentioned_keys()
    fresh = summaries.compute(store, every)
    assert store._read_summaries(every) == fresh
    assert fresh[DRAMA] is not None and fresh[DRAMA].degree == 300
    assert store.entity_card(DRAMA).degree == 300


def test_path_through_the_hub_and_budget_lines(hub_store: GraphStore) -> None:
    a, b = "film_0001", "film_0002"
    found = hub_store.find_path(a, b, budget=PATIENT)
    assert found.stopped is None and found.edges is not None and len(found.edges) == 2
    assert [e.support for e in found.edges] == [1, 1]
    show = "show_001"
    # Unconnected, both sides behind a hub: a small budget stops before expanding one.
    cut = hub_store.find_path(a, show, max_hops=4, budget=SearchBudget(edges=100))
    assert cut.edges is None and cut.stopped is not None
    assert "edge budget (100 adjacency rows" in cut.stopped and "\n" not in cut.stopped
    assert "no path of at most 2 hops (of the 4 asked)" in cut.stopped
    assert hub_store.shortest_path(a, show, budget=SearchBudget(edges=100)) is None
    # With enough budget the search is complete: no path at all, nothing cut.
    assert hub_store.find_path(a, show, max_hops=4, budget=PATIENT) == (None, None)
    assert hub_store.find_path(a, "island_a", budget=PATIENT) == (None, None)
    slow = hub_store.find_path(a, show, budget=SearchBudget(seconds=1e-9))
    assert slow.edges is None and "time limit (1e-09 s)" in (slow.stopped or "")


def test_neighbours_leave_hubs_unexpanded_beyond_the_budget(hub_store: GraphStore) -> None:
    film = "film_0001"
    search = hub_store.neighbourhood(film, hops=2, limit=100, budget=SearchBudget(edges=200))
    assert search.stopped is not None and "edge budget (200 adjacency rows" in search.stopped
    assert "'drama'" in search.stopped.lower() and "2,000 edges" in search.stopped
    found = {k: d for d, k in search.ranked}
    assert found[DRAMA] == 1
    # The director (50 films) was expanded: its other films are at distance 2.
    assert found["film_0041"] == 2
    complete = hub_store.neighbourhood(film, hops=2, limit=5000, budget=PATIENT)
    assert complete.stopped is None and len(complete.ranked) == FILMS + 1


def test_bad_budget_is_one_line() -> None:
    with pytest.raises(Exception, match="edges >= 1") as err:
        SearchBudget(edges=0)
    assert "\n" not in str(err.value)


def test_card_dataclass_keeps_old_constructor(hub_store: GraphStore) -> None:
    card = hub_store.entity_card("island_a")
    fields = [f.name for f in dataclasses.fields(card)]
    assert fields[-1] == "degree" and card.degree == 1 and not card.truncated


def test_cli_path_says_which_budget_stopped_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "hub"
    with RdfStore(folder) as store:
        fill(store)
    args = ["query", "path", "film_0001", "show_001", "--store", str(folder), "--budget", "100"]
    assert run(args) == 1
    err = capsys.readouterr().err.strip()
    assert "edge budget (100 adjacency rows" in err and "\n" not in err
    assert run([*args[:-2], "--time-limit", "600", "--json"]) == 0  # complete: no path
    assert capsys.readouterr().out.strip() == "null"


def test_stats_count_the_entities_in_facts(hub_store: GraphStore) -> None:
    assert hub_store.stats(top=1).fact_entities == FILMS + 40 + 1 + SHOWS + 1 + 2


def test_serve_neighbourhood_view_reads_hubs_from_their_summaries(hub_store: GraphStore) -> None:
    """The explorer's view around a film next to the Drama hub: the same nodes and edges as
    reading every node's adjacency, with the hub's adjacency never read."""
    from kgfuse.kg.stores.order import edge_order
    from kgfuse.serve import plain
    from kgfuse.serve.routes.graph import neighbourhood_view

    view = neighbourhood_view(hub_store, "film_0007", hops=2, limit=30, hub_degree=100)
    keys = {n["key"] for n in view["nodes"]}
    assert DRAMA in keys and len(keys) == 31
    naive = sorted(
        (
            e
            for e in hub_store.adjacent_edges(sorted(keys))
            if e.subject_key in keys and e.object_key in keys
        ),
        key=edge_order,
    )
    assert view["edges"] == [plain.edge(e) for e in naive]
    assert any(DRAMA in (e["subject"], e["object"]) for e in view["edges"])
