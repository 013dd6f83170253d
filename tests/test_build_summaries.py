"""The build recomputes entity summaries once at the end, to what per-batch writes give."""

from __future__ import annotations

from pathlib import Path

from kgfuse.build import build_graph
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.resolution import resolve
from kgfuse.types import Document

TEXTS = [
    "Marie Curie was born in Warsaw. She moved to Paris in 1891.",
    "Apple acquired Beats in 2014. Google acquired YouTube in Paris.",
    "Warsaw is the capital of Poland. John works for Google in Paris.",
    "Pierre Curie met Marie Curie in Paris.",
]


def test_deferred_summaries_equal_per_batch_ones(tmp_path: Path, extractor) -> None:
    docs = [Document(f"d{i}", text) for i, text in enumerate(TEXTS)]
    with RdfStore(tmp_path / "built") as built, RdfStore(tmp_path / "written") as written:
        build_graph(docs, built, extractor=extractor, progress=False, batch_size=2)
        resolved = [resolve(e) for e in extractor.extract_many(docs)]
        written.write(resolved[:2])  # GraphStore.write refreshes after every batch
        written.write(resolved[2:])
        keys = sorted({m.key for r in resolved for m in r.mentions})
        expected = written._read_summaries(keys)
        assert built._read_summaries(keys) == expected
        assert len(expected) > 5 and max(s.degree for s in expected.values()) > 0
        # A rebuild of one changed document drops and refreshes what it touches.
        docs[3] = Document("d3", "Pierre Curie met Albert Einstein in Berlin.")
        build_graph(docs, built, extractor=extractor, progress=False, batch_size=2)
        written.write([resolve(extractor.extract(docs[3]))])
        keys = sorted(set(keys) | {"albert_einstein", "berlin"})
        assert built._read_summaries(keys) == written._read_summaries(keys)
