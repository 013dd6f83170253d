"""Graph stores: the ``GraphStore`` contract, its backends, and ``open_store`` by URL scheme.

``base`` is the contract (``primitives`` what a backend implements; ``forms``, ``lookup``,
``traversal`` and ``order`` what the contract computes once for every backend);
``registry`` maps URL schemes to backends, imported only when used; ``rdf`` is the embedded
Oxigraph store, ``cypher`` the Neo4j and FalkorDB stores.
"""

from __future__ import annotations

from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.forms import SurfaceForm, entity_from_forms
from kgfuse.kg.stores.registry import open_store, register_store

__all__ = ["GraphStore", "SurfaceForm", "entity_from_forms", "open_store", "register_store"]
