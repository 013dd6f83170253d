"""Linking texts to graph entities: one protocol, three linkers, one filter.

- ``Linker``: ``texts -> [[entity key, ...], ...]``.
- ``DictionaryLinker``: entity names found as word n-grams (needs only the graph).
- ``ExtractionLinker``: the build's spaCy extraction and entity resolution, then names
  (``kgfuse.graph.linking.extraction``; imported lazily since it loads spaCy).
- ``TopicLinker``: a question's topic entities by key, alias, fuzzy match or n-gram scan.
- ``EntityFilter`` / ``FilteredLinker``: document-frequency filtering fitted on training links.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kgfuse.graph.linking.dictionary import DictionaryLinker, Linker
from kgfuse.graph.linking.entity_filter import EntityFilter, FilteredLinker
from kgfuse.graph.linking.topics import TopicLinker, mask_mention

__all__ = [
    "DictionaryLinker",
    "EntityFilter",
    "ExtractionLinker",
    "FilteredLinker",
    "Linker",
    "TopicLinker",
    "mask_mention",
]


def __getattr__(name: str) -> Any:
    if name == "ExtractionLinker":
        return import_module("kgfuse.graph.linking.extraction").ExtractionLinker
    raise AttributeError(f"module 'kgfuse.graph.linking' has no attribute {name!r}")
