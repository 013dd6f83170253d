"""Keys of imported names: a knowledge base's names are already resolved entities.

Text mentions are keyed by their normalised form (``normalize.entity_key``) so that "The
Beatles" and "the beatles" in two documents meet. A knowledge-base row is different: its
names were resolved by whoever built the base, so two names that differ only by case, an
article or punctuation are two entities (MetaQA's film "Divorce" and its tag "divorce";
"The Children", "children" and "children's"). ``identity_key`` keeps them apart;
``merged_key`` is the text-style key for a user who asks to merge (``--merge-names``).
Both give every name with a visible character a non-empty key, ``$`` included.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from kgfuse.kg.normalize import MAX_KEY_LENGTH, entity_key

_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)  # names repeat a lot in a knowledge base
def identity_key(name: str) -> str:
    """Return the key of a resolved name: the name itself, NFC, whitespace collapsed.

    Injective on names that differ by anything but whitespace, and the exact name a user
    gives finds it (``TopicLinker`` and answer matching try the name as a key first).

    Args:
        name: A knowledge-base name.

    Returns:
        The key; empty only for an empty or all-whitespace name.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


@functools.lru_cache(maxsize=1 << 16)
def merged_key(name: str) -> str:
    """Return the text-style key (``entity_key``) of a name, or, for a name with no letters
    or digits (``$``, ``???``), its identity key, which is never empty for a visible name."""
    return entity_key(name) or identity_key(name)[:MAX_KEY_LENGTH]


def import_key_function(merge_names: bool) -> Callable[[str], str]:
    """The key function of an import: ``merged_key`` when names merge, else ``identity_key``."""
    return merged_key if merge_names else identity_key
