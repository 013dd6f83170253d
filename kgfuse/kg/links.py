"""The per-document linking data a build stores, so that linking never parses a text twice.

``ExtractionLinker`` links a text by extracting it, resolving its mentions and keeping, for
each mention in text order, the first of ``(mention.key, entity_key(mention.text))`` that is
a graph entity. The build already has those mentions, so it stores the ordered, de-duplicated
pairs with each document (``encode_links``; RDF ``kg:links`` on the document, Cypher
``Document.links``). Linking a text whose content hash is in the store then reads the pairs
(``decode_links``) instead of running spaCy, and gives the same keys.

Pairs count only when the stored extractor makes the same mentions as the linker's:
``mention_version`` drops the parts of an extractor id that change relations but not
mentions (``+cooc``, ``schema=...``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from kgfuse.errors import StoreError
from kgfuse.kg.normalize import entity_key
from kgfuse.types import EntityMention

_RELATION_ONLY = re.compile(r"\+cooc| schema=\S+")


def link_pairs(mentions: Sequence[EntityMention]) -> list[tuple[str, str]]:
    """The ordered distinct ``(key, key of the surface text)`` pairs of resolved mentions.

    Args:
        mentions: A resolved document's mentions, in text order.

    Returns:
        One pair per distinct combination, first occurrence first (a junk mention has the
        key ``""``; it is kept when its surface has a key, which a graph may hold).
    """
    pairs: dict[tuple[str, str], None] = {}
    for mention in mentions:
        pair = (mention.key, entity_key(mention.text))
        if pair[0] or pair[1]:
            pairs.setdefault(pair)
    return list(pairs)


def encode_links(mentions: Sequence[EntityMention]) -> str:
    """``link_pairs`` as the compact string a store keeps (JSON; the surface key is ``""``
    when it equals the key, as it mostly does)."""
    flat: list[str] = []
    for key, surface_key in link_pairs(mentions):
        flat += (key, "" if surface_key == key else surface_key)
    return json.dumps(flat, ensure_ascii=False, separators=(",", ":"))


def decode_links(payload: str) -> list[tuple[str, str]]:
    """The pairs of ``encode_links``.

    Raises:
        StoreError: The payload is not what ``encode_links`` writes.
    """
    try:
        flat = json.loads(payload)
    except ValueError as exc:
        raise StoreError(f"stored linking data is not JSON ({exc}); rebuild the store") from None
    if not isinstance(flat, list) or len(flat) % 2 or not all(isinstance(x, str) for x in flat):
        raise StoreError("stored linking data is not a list of key pairs; rebuild the store")
    return [(key, surface or key) for key, surface in zip(flat[::2], flat[1::2], strict=True)]


def mention_version(extractor: str) -> str:
    """The part of an extractor id that decides the mentions (``+cooc``/schema dropped)."""
    return _RELATION_ONLY.sub("", extractor)
