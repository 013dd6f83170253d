"""Link texts to graph entities with the same extraction and resolution that built the graph.

A text's mentions are extracted by spaCy and resolved to keys exactly as during
``kgfuse build``; keys that are graph entities are linked. Entity names that spaCy did not
tag (common in graphs imported from triples) are then found as word n-grams of the text.

Texts the store already holds (same content hash, built by an extractor that makes the same
mentions) are not parsed again: their mentions' keys come from the linking data the build
stored (``kgfuse.kg.links``), which gives the same links.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from contextlib import nullcontext
from typing import Any

from kgfuse.graph.data import KGData
from kgfuse.graph.linking.dictionary import DictionaryLinker
from kgfuse.graph.linking.stored import resolved_keys, stored_links
from kgfuse.kg.links import decode_links, link_pairs, mention_version
from kgfuse.kg.resolution import resolve
from kgfuse.nlp.extractor import Extractor
from kgfuse.progress import progress
from kgfuse.types import Document, content_hash

logger = logging.getLogger(__name__)


class ExtractionLinker:
    """A ``kgfuse.fusion.Linker`` over spaCy extraction + entity resolution.

    Args:
        extractor: The extractor (same model as the graph's build, ideally).
        kg: The graph whose entities may be linked.
        dictionary: Also link entity names found as n-grams of the text.
        max_entities: Most entities linked per text, first mentions first.
        store: An open ``GraphStore`` or a store URL (opened read-only for each call) whose
            built documents' linking data is reused; None parses every text.

    Attributes:
        last_counts: ``{"stored": n, "parsed": n, "stale": n}`` of the last call: texts
            linked from the store, parsed by spaCy, and in the store but built by another
            extractor (or before linking data was stored), hence parsed.
    """

    def __init__(
        self,
        extractor: Extractor,
        kg: KGData,
        *,
        dictionary: bool = True,
        max_entities: int = 32,
        store: Any = None,
    ) -> None:
        self.extractor = extractor
        self.keys: Collection[str] = frozenset(kg.entity_vocab)
        self.dictionary = DictionaryLinker(kg, max_entities=max_entities) if dictionary else None
        self.max_entities = max_entities
        self.store = store
        self.moved: dict[str, str] = {}  # keys `kgfuse resolve` moved (read with the store)
        self.last_counts = {"stored": 0, "parsed": 0, "stale": 0}

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        """Return the linked entity keys of each text (possibly none).

        Raises:
            StoreError: ``store`` cannot be opened or read.
        """
        pairs = self._stored_pairs(texts)
        missing = [i for i in range(len(texts)) if i not in pairs]
        documents = (Document(f"text-{i}", texts[i]) for i in missing)
        extractions = self.extractor.extract_many(documents)
        for i, extraction in zip(
            missing, progress(extractions, total=len(missing), desc="linking"), strict=True
        ):
            pairs[i] = link_pairs(resolve(extraction).mentions)
        self.last_counts["parsed"] = len(missing)
        linked = [self._keys_of(pairs[i]) for i in range(len(texts))]
        if self.dictionary is not None:
            for found_keys, extra in zip(linked, self.dictionary(texts), strict=True):
                found_keys.extend(k for k in extra if k not in found_keys)
        return [keys[: self.max_entities] for keys in linked]

    def _keys_of(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """The graph entities of one text: per mention, its key or else its surface's key."""
        found: dict[str, None] = {}
        for pair in pairs:
            for key in pair:
                key = self.moved.get(key, key)
                if key in self.keys:
                    found.setdefault(key)
                    break
        return list(found)

    def _stored_pairs(self, texts: Sequence[str]) -> dict[int, list[tuple[str, str]]]:
        """Link pairs of the texts the store holds under a matching extractor, by index."""
        self.last_counts = {"stored": 0, "parsed": 0, "stale": 0}
        if self.store is None or not texts:
            return {}
        hashes = [content_hash(text) for text in texts]
        if isinstance(self.store, str):
            from kgfuse.kg.store import open_store

            opened: Any = open_store(self.store, create=False)
        else:
            opened = nullcontext(self.store)
        with opened as store:
            found = stored_links(store, hashes)
            self.moved = resolved_keys(store)
            url = getattr(store, "url", "") or "the store"
        wanted = mention_version(self.extractor.version)
        pairs: dict[int, list[tuple[str, str]]] = {}
        stale: dict[str, int] = {}
        for i, digest in enumerate(hashes):
            stored = found.get(digest)
            if stored is None:
                continue
            if stored.payload is None:
                stale["(no linking data)"] = stale.get("(no linking data)", 0) + 1
            elif mention_version(stored.extractor) != wanted:
                stale[stored.extractor] = stale.get(stored.extractor, 0) + 1
            else:
                pairs[i] = decode_links(stored.payload)
        self.last_counts.update(stored=len(pairs), stale=sum(stale.values()))
        if stale:
            logger.warning(_stale_message(stale, url, self.extractor.version))
        return pairs


def _stale_message(stale: dict[str, int], url: str, version: str) -> str:
    """One line: which stored texts are parsed again, and what to do about it."""
    count = sum(stale.values())
    if set(stale) == {"(no linking data)"}:
        return (
            f"{count} texts are in {url} but it was built before kgfuse stored linking data, "
            "so they are parsed again; rebuild it with `kgfuse build` to skip that"
        )
    built = ", ".join(repr(v) for v in stale if v != "(no linking data)")
    return (
        f"{count} texts are in {url} but were extracted by {built}, not by this linker's "
        f"{version!r}, so they are parsed again; link with the build's spaCy model "
        "(--spacy-model) or rebuild the store with `kgfuse build` to reuse its extraction"
    )
