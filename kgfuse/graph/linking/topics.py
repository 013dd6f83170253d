"""Linking questions to their topic entities, and masking the mention in the question.

A given topic name is resolved exactly (a key of the graph, or the key of the name), then by
alias and fuzzy match through the store when one is open (``GraphStore.lookup``), then
fuzzily against the graph's entity names. A question without a topic is scanned for word
n-grams that are entity names (``DictionaryLinker``'s rule); the longest match wins, so
``tom hanks`` beats ``hanks`` and a stray one-word tag such as ``movies`` loses.

Masking replaces the topic's mention with a placeholder (``what movies did NE star in``):
the question encoder then sees the question's template, not the name, which generalises to
entities never seen in training (EmbedKGQA does the same).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from kgfuse.errors import EntityNotFoundError, StoreError
from kgfuse.graph.data import KGData
from kgfuse.kg.normalize import entity_key, normalize_name

DEFAULT_PLACEHOLDER = "NE"


class TopicLinker:
    """Resolves topic entity names to node ids of a graph.

    Args:
        kg: The graph whose entities may be linked.
        store: An open ``GraphStore`` for alias and fuzzy lookup (optional).
        max_ngram: Longest word n-gram tried when scanning a question.
        fuzzy_cutoff: Similarity (0-1) a fuzzy match of a name needs.
    """

    def __init__(
        self,
        kg: KGData,
        *,
        store: Any = None,
        max_ngram: int = 8,
        fuzzy_cutoff: float = 0.85,
    ) -> None:
        self.kg, self.store = kg, store
        self.max_ngram, self.fuzzy_cutoff = max_ngram, fuzzy_cutoff
        self._lookup = {k: i for i, k in enumerate(kg.entity_vocab)}
        self._names: dict[str, str] | None = None

    def resolve(self, name: str) -> int:
        """Return the node id of a topic entity given by name or key.

        Raises:
            EntityNotFoundError: Nothing in the graph matches; the message lists near names.
        """
        for key in (name, entity_key(name)):
            if key in self._lookup:
                return self._lookup[key]
        if self.store is not None:
            try:
                matches = self.store.lookup(name, limit=5)
            except (EntityNotFoundError, StoreError):
                matches = []
            known = [m for m in matches if m.entity.key in self._lookup]
            if known and (known[0].how in {"exact", "alias"} or len(known) == 1):
                return self._lookup[known[0].entity.key]
        close = self.close_names(name)
        if close and close[0][1] >= self.fuzzy_cutoff:
            return self._lookup[close[0][0]]
        if not entity_key(name):
            raise EntityNotFoundError(
                f"topic entity {name!r} holds no letters or digits, so no graph entity can have "
                "it as its key; give the entity's name or key instead"
            )
        hint = ", ".join(repr(self.kg.entity_names[self._lookup[k]]) for k, _ in close[:5])
        raise EntityNotFoundError(
            f"topic entity {name!r} is not in the model's graph"
            + (f"; did you mean one of: {hint}?" if hint else ".")
            + " Give its exact name or key (see `kgfuse query entity NAME`)."
        )

    def close_names(self, name: str, *, n: int = 5) -> list[tuple[str, float]]:
        """Return ``(key, similarity)`` of the entity names closest to ``name``, best first."""
        if self._names is None:
            self._names = {}
            for key, display in zip(self.kg.entity_vocab, self.kg.entity_names, strict=True):
                self._names.setdefault(normalize_name(display) or key, key)
        norm = normalize_name(name)
        if not norm:
            return []
        found = difflib.get_close_matches(norm, list(self._names), n=n, cutoff=0.6)
        return [(self._names[m], difflib.SequenceMatcher(None, norm, m).ratio()) for m in found]

    def scan(self, question: str) -> list[int]:
        """Return the node ids of the longest entity names found as word n-grams of a question.

        Keys of the graph are tried first; when none matches and a store is open, the
        n-grams are looked up as aliases there (longest first, stopping at the first hit).
        """
        words = normalize_name(question).split()
        found = self._scan_keys(words)
        if found or self.store is None:
            return found
        for size in range(min(self.max_ngram, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                try:
                    matches = self.store.lookup(" ".join(words[start : start + size]), fuzzy=False)
                except (EntityNotFoundError, StoreError):
                    continue
                hits = [self._lookup[m.entity.key] for m in matches if m.entity.key in self._lookup]
                if hits:
                    return list(dict.fromkeys(hits))
        return []

    def _scan_keys(self, words: Sequence[str]) -> list[int]:
        best, found = 0, []
        for start in range(len(words)):
            for size in range(min(self.max_ngram, len(words) - start), 0, -1):
                key = entity_key(" ".join(words[start : start + size]))
                if key in self._lookup:
                    if len(key) > best:
                        best, found = len(key), [self._lookup[key]]
                    elif len(key) == best and self._lookup[key] not in found:
                        found.append(self._lookup[key])
                    break
        return found

    def link(self, question: str, topics: Sequence[str] | None) -> list[int]:
        """Return the topic node ids of a question: resolve ``topics``, else scan the question.

        Raises:
            EntityNotFoundError: A given topic is not in the graph.
        """
        if topics:
            return list(dict.fromkeys(self.resolve(name) for name in topics))
        return self.scan(question)


def mask_mention(question: str, surfaces: Sequence[str], placeholder: str) -> str:
    """Replace the first mention found among ``surfaces`` with ``placeholder``.

    Matching ignores case and punctuation between words (``"Tom Hanks"`` matches
    ``tom hanks``); a question without any of the mentions is returned unchanged.
    """
    # The surface as written first ("The Girl" masks "the girl" whole), then its normalised
    # form (no leading determiner or possessive).
    forms = [re.findall(r"[^\W_]+", s) for s in surfaces if s]
    forms += [normalize_name(s).split() for s in surfaces if s]
    for words in sorted(forms, key=lambda w: len(" ".join(w)), reverse=True):
        if not words:
            continue
        pattern = r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"
        masked, n = re.subn(pattern, placeholder, question, count=1, flags=re.IGNORECASE)
        if n:
            return masked
    return question
