"""Entity summaries around a bulk import, which writes around ``GraphStore.write``.

``GraphStore.write`` drops the precomputed summaries (``kgfuse.kg.stores.summaries``) of
every entity a batch touches and recomputes them after each batch. An import recomputing
them after every chunk would summarise the hubs (a genre, a year) again for every chunk,
so the bulk writers drop the summaries a chunk touches before writing it (an interrupted
import leaves them missing, read live, never stale) and recompute the missing ones once,
when the import completes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def drop_summaries(store: Any, keys: Iterable[str]) -> None:
    """Drop the stored summaries of those ``keys`` that have one (no-op on a store without
    summaries)."""
    keys = sorted(set(keys))
    if not keys or getattr(store, "_store_summaries", None) is None:
        return
    found = store._degrees(keys)  # the keys that have a summary
    if found:
        store._store_summaries(dict.fromkeys(sorted(found)))


def refresh_missing(store: Any, keys: Iterable[str]) -> int:
    """Recompute the summaries missing among ``keys``; return how many were written."""
    keys = sorted(set(keys))
    if not keys or getattr(store, "refresh_summaries", None) is None:
        return 0
    held = store._degrees(keys)
    missing = [k for k in keys if k not in held]
    return int(store.refresh_summaries(missing)) if missing else 0
