"""Where ``GraphStore`` and ``open_store`` have always been imported from.

They live in ``kgfuse.kg.stores`` (the contract in ``stores.base``, ``open_store`` in
``stores.registry``); this module keeps ``from kgfuse.kg.store import open_store`` working.
"""

from __future__ import annotations

from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.forms import SurfaceForm, entity_from_forms
from kgfuse.kg.stores.registry import open_store

__all__ = ["GraphStore", "SurfaceForm", "entity_from_forms", "open_store"]
