"""Term bags: what each document contributes to the document graph.

A document's terms are the graph entities it links (named entities and noun-chunk concepts,
``e:<key>``) and, optionally, its lower-cased words (``w:<word>``, the TextGCN graph). The
prefixes keep an entity key and a word of the same spelling apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

ENTITY_PREFIX = "e:"
WORD_PREFIX = "w:"
_WORD = re.compile(r"[^\W\d_]{2,}")


def document_terms(
    text: str, entities: Iterable[str] | None, *, words: bool = False, max_chars: int = 20_000
) -> Counter[str]:
    """Count the terms of one document.

    Args:
        text: The document text (words are read from its first ``max_chars`` characters).
        entities: Keys of the graph entities linked in it (repeats count), or None.
        words: Also count the lower-cased alphabetic words of two letters or more.
        max_chars: Characters read for words.

    Returns:
        Term -> count.
    """
    bag: Counter[str] = Counter(ENTITY_PREFIX + key for key in entities or ())
    if words:
        bag.update(WORD_PREFIX + w for w in _WORD.findall(text[:max_chars].lower()))
    return bag
