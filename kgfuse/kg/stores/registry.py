"""``open_store``: a store URL's scheme names the backend, resolved through a lazy table.

The table maps a scheme to the *name* of a backend's opener (``"module:attribute"``), and
the module is imported only when a URL with that scheme is opened, so this module imports no
backend (and no database client) and backends never import it. A backend of another package
is added with :func:`register_store`.

Built-in backends:
    ``rdf:PATH`` or a plain path   embedded Oxigraph on disk (``kgfuse.kg.stores.rdf``)
    ``neo4j://``, ``neo4j+s://``, ``bolt://``   Neo4j (``kgfuse.kg.stores.cypher.neo4j``)
    ``falkordb://host:port/graph``   FalkorDB (``kgfuse.kg.stores.cypher.falkordb``)

An opener is called as ``opener(url, create=create, **options)`` and returns a
``GraphStore``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from kgfuse.errors import StoreError, clip
from kgfuse.kg.stores.base import GraphStore

_RDF = "kgfuse.kg.stores.rdf.store:open_rdf"
_NEO4J = "kgfuse.kg.stores.cypher.neo4j:Neo4jStore.open_url"
_FALKORDB = "kgfuse.kg.stores.cypher.falkordb:FalkorDBStore.open_url"

#: URL scheme (lower case; ``""`` for a plain path) -> ``"module:attribute"`` or an opener.
STORE_SCHEMES: dict[str, str | Callable[..., GraphStore]] = {
    "": _RDF,
    "file": _RDF,
    "rdf": _RDF,
    **dict.fromkeys(("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"), _NEO4J),
    **dict.fromkeys(("falkordb", "falkor", "redis"), _FALKORDB),
}


def register_store(scheme: str, opener: str | Callable[..., GraphStore]) -> None:
    """Make ``open_store`` open URLs of ``scheme`` with ``opener``.

    Args:
        scheme: URL scheme, e.g. ``"memgraph"`` (case does not matter).
        opener: ``"module:attribute"`` (imported on first use) or the callable itself; called
            as ``opener(url, create=create, **options)``.
    """
    STORE_SCHEMES[scheme.lower()] = opener


def url_scheme(url: str) -> str:
    """Return the lower-case scheme of a store URL: ``rdf`` for ``rdf:PATH``, empty for a path."""
    if "://" in url:
        scheme = url.split("://", 1)[0].lower()
        if scheme in STORE_SCHEMES or not url.startswith("rdf:"):
            return scheme
    return "rdf" if url.startswith("rdf:") else ""


def open_store(url: str, **options: Any) -> GraphStore:
    """Open a graph store by URL.

    Args:
        url: ``PATH`` or ``rdf:PATH`` (embedded Oxigraph), ``neo4j://``/``neo4j+s://``/
            ``bolt://`` (Neo4j), or ``falkordb://host:port/graph``.
        **options: Backend options (``user``, ``password``, ...). ``create=False`` makes the
            embedded store refuse a path that holds no graph yet (servers ignore it).

    Returns:
        An open store; use it as a context manager.

    Raises:
        StoreError: Unknown scheme or unusable location.
    """
    if not url:
        raise StoreError("no store given: pass --store PATH (embedded) or a database URL")
    scheme = url_scheme(url)
    create = options.pop("create", True)
    opener = STORE_SCHEMES.get(scheme)
    if opener is None:
        raise StoreError(
            f"unknown store scheme {clip(scheme)!r} in {clip(url)!r}: expected a path, rdf:PATH, "
            "neo4j://, neo4j+s://, bolt:// or falkordb://host:port/graph"
        )
    if isinstance(opener, str):
        module, _, name = opener.partition(":")
        opener = functools.reduce(getattr, name.split("."), importlib.import_module(module))
    return opener(url, create=create, **options)
