"""The same corpus built with the real extractor into every backend gives the same graph."""

from __future__ import annotations

from pathlib import Path

from kgfuse.build import build_graph
from kgfuse.kg.stores import GraphStore


def test_sample_corpus_builds_identically_everywhere(
    all_stores: dict[str, GraphStore], sample_articles: Path, extractor
) -> None:
    results = {}
    for name, store in all_stores.items():
        summary = build_graph(sample_articles, store, extractor=extractor, progress=False)
        again = build_graph(sample_articles, store, extractor=extractor, progress=False)
        assert (summary.written, again.written, again.unchanged) == (5, 0, 5), name
        card = store.entity_card("marie_curie")
        results[name] = (list(store.iter_edges()), store.stats(top=20), card)
    assert len(results) >= 2, "needs the embedded store and FalkorDB at least"
    reference = results.pop("rdf")
    for name, result in results.items():
        assert result == reference, f"{name} differs from the embedded store"
