"""The ``Linker`` protocol and the dictionary linker.

The real linker is the spaCy extraction + entity resolution that built the graph
(``ExtractionLinker``); ``DictionaryLinker`` matches entity names as word n-grams of the
normalised text, which needs nothing but the graph's vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from kgfuse.graph.data import KGData
from kgfuse.kg.normalize import entity_key, normalize_name


@runtime_checkable
class Linker(Protocol):
    """Maps texts to the keys of the entities they mention."""

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        """Return, for each text, the linked entity keys (possibly none)."""
        ...


class DictionaryLinker:
    """Links every word n-gram of a text whose canonical key is an entity of the graph.

    Args:
        kg: The graph whose entities may be linked.
        max_ngram: Longest n-gram tried.
        max_entities: Most entities returned per text (first occurrences first).
    """

    def __init__(self, kg: KGData, *, max_ngram: int = 4, max_entities: int = 32) -> None:
        self.keys = frozenset(kg.entity_vocab)
        self.max_ngram, self.max_entities = max_ngram, max_entities

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        """Return the linked entity keys of each text."""
        return [self._link(text) for text in texts]

    def _link(self, text: str) -> list[str]:
        words = normalize_name(text).split()
        found: dict[str, None] = {}
        start = 0
        while start < len(words) and len(found) < self.max_entities:
            for size in range(min(self.max_ngram, len(words) - start), 0, -1):
                key = entity_key(" ".join(words[start : start + size]))
                if key in self.keys:
                    found.setdefault(key)
                    start += size
                    break
            else:
                start += 1
        return list(found)
