"""The same documents written to every available backend give identical answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kgfuse.kg.stores import GraphStore
from kgfuse.types import ResolvedDocument


def history(docs: list[ResolvedDocument], make: Callable[..., ResolvedDocument]) -> list[Any]:
    """A write history: the corpus, extra documents, a rewrite, a delete, a re-write."""
    extra = [
        make(
            "uni",
            ["Zürich and 東京 are twinned.", "Marie Curie visited Zürich."],
            [
                ("zürich", "Zürich", "GPE", 0),
                ("東京", "東京", "GPE", 0),
                ("marie_curie", "Marie Curie", "PERSON", 1),
                ("zürich", "Zürich", "GPE", 1),
            ],
            [("zürich", "twinned_with", "東京", 0), ("marie_curie", "visited", "zürich", 1)],
        ),
        make(
            "curie-3",
            ["Madame Curie won a Nobel Prize.", "Curie won it in Stockholm."],
            [
                ("marie_curie", "Madame Curie", "PERSON", 0),
                ("nobel_prize", "a Nobel Prize", "WORK_OF_ART", 0),
                ("marie_curie", "Curie", "PERSON", 1),
                ("stockholm", "Stockholm", "GPE", 1),
                ("nobel_prize", "it", "CONCEPT", 1),
            ],
            [
                ("marie_curie", "won", "nobel_prize", 0),
                ("marie_curie", "won", "nobel_prize", 1),
                ("nobel_prize", "awarded_in", "stockholm", 1),
            ],
        ),
    ]
    rewrite = make(
        "curie-2",
        ["Pierre Curie married Marie Curie in Paris."],
        [
            ("pierre_curie", "Pierre Curie", "PERSON", 0),
            ("marie_curie", "Marie Curie", "PERSON", 0),
            ("paris", "Paris", "GPE", 0),
        ],
        [
            ("pierre_curie", "married", "marie_curie", 0),
            ("marie_curie", "married", "pierre_curie", 0),
        ],
    )
    return [
        ("write", docs + extra),
        ("write", [rewrite]),
        ("delete", "sorbonne"),
        ("write", docs[:1]),
    ]


def answers(store: GraphStore) -> dict[str, Any]:
    """Every public read, over every entity."""
    stats = store.stats(top=50)
    keys = [*sorted(e.key for e, _ in stats.top_entities), "capital"]
    out: dict[str, Any] = {
        "stats": stats,
        "edges": list(store.iter_edges()),
        "triples": list(store.iter_triples()),
        "versions": store.document_versions(["curie-1", "curie-2", "sorbonne", "uni", "x"]),
    }
    for key in keys:
        out[f"card:{key}"] = store.entity_card(key, neighbours=50, sentences=50)
        out[f"hops:{key}"] = store.neighbours(key, hops=3)
        out[f"path:{key}"] = store.shortest_path(key, "stockholm")
    for name in ["Curie", "curie", "Zürich", "東", "paris", "nobel", "it", "stock"]:
        out[f"lookup:{name}"] = store.lookup(name)
    out["subgraph"] = store.subgraph(["zürich", "paris"], hops=2)
    return out


def test_backends_give_identical_answers(
    all_stores: dict[str, GraphStore],
    docs: list[ResolvedDocument],
    make: Callable[..., ResolvedDocument],
) -> None:
    if len(all_stores) < 2:
        pytest.skip(f"needs two backends, only {sorted(all_stores)} available")
    results = {}
    for name, store in all_stores.items():
        for action, arg in history(docs, make):
            if action == "write":
                store.write(arg)
            else:
                assert store.delete_document(arg)
        results[name] = answers(store)
    first, *others = sorted(results)
    assert results[first]["stats"].documents == 5
    for other in others:
        for key, value in results[first].items():
            assert results[other][key] == value, f"{other} differs from {first} on {key}"
