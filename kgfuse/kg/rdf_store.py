"""Where ``RdfStore`` has always been imported from; it lives in ``kgfuse.kg.stores.rdf``."""

from __future__ import annotations

from kgfuse.kg.stores.rdf.store import RdfStore

__all__ = ["RdfStore"]
