"""Link texts to graph entities with the same extraction and resolution that built the graph.

A text's mentions are extracted by spaCy and resolved to keys exactly as during
``kgfuse build``; keys that are graph entities are linked. Entity names that spaCy did not
tag (common in graphs imported from triples) are then found as word n-grams of the text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from kgfuse.graph.data import KGData
from kgfuse.graph.linking.dictionary import DictionaryLinker
from kgfuse.kg.normalize import entity_key
from kgfuse.kg.resolution import resolve
from kgfuse.nlp.extractor import Extractor
from kgfuse.progress import progress
from kgfuse.types import Document


class ExtractionLinker:
    """A ``kgfuse.fusion.Linker`` over spaCy extraction + entity resolution.

    Args:
        extractor: The extractor (same model as the graph's build, ideally).
        kg: The graph whose entities may be linked.
        dictionary: Also link entity names found as n-grams of the text.
        max_entities: Most entities linked per text, first mentions first.
    """

    def __init__(
        self,
        extractor: Extractor,
        kg: KGData,
        *,
        dictionary: bool = True,
        max_entities: int = 32,
    ) -> None:
        self.extractor = extractor
        self.keys: Collection[str] = frozenset(kg.entity_vocab)
        self.dictionary = DictionaryLinker(kg, max_entities=max_entities) if dictionary else None
        self.max_entities = max_entities

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        """Return the linked entity keys of each text (possibly none)."""
        documents = (Document(f"text-{i}", text) for i, text in enumerate(texts))
        linked: list[list[str]] = []
        extractions = self.extractor.extract_many(documents)
        for extraction in progress(extractions, total=len(texts), desc="linking"):
            found: dict[str, None] = {}
            for mention in resolve(extraction).mentions:
                for key in (mention.key, entity_key(mention.text)):
                    if key in self.keys:
                        found.setdefault(key)
                        break
            linked.append(list(found))
        if self.dictionary is not None:
            for found_keys, extra in zip(linked, self.dictionary(texts), strict=True):
                found_keys.extend(k for k in extra if k not in found_keys)
        return [keys[: self.max_entities] for keys in linked]
