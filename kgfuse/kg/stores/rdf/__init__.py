"""The embedded backend: an on-disk Oxigraph database (``rdf:PATH`` or a plain path)."""

from __future__ import annotations

from kgfuse.kg.stores.rdf.store import RdfStore, open_rdf

__all__ = ["RdfStore", "open_rdf"]
