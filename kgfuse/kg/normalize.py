"""Name normalisation and canonical entity keys.

Keys depend on the surface form alone (never on corpus order, time or machine), so the same
name yields the same key in every run: ``"The Beatles"``, ``"the  beatles"`` and ``"Beatles"``
all give ``beatles``.
"""

from __future__ import annotations

import re
import unicodedata

_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "these ", "those ")
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
MAX_KEY_LENGTH = 120


def normalize_name(name: str) -> str:
    """Return the normalised form of a name used for matching and keys.

    NFKC, case-folded, accents dropped, punctuation to spaces, a leading determiner and a trailing
    possessive removed, whitespace collapsed.

    Args:
        name: A surface form.

    Returns:
        The normalised form; empty when the name holds no letters or digits.
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    if not text.isascii():  # "Atatürk" and "Ataturk" are one name written two ways
        text = _fold_latin_accents(text)
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    text = _SPACES.sub(" ", text).strip()
    for determiner in _DETERMINERS:
        if text.startswith(determiner) and len(text) > len(determiner):
            text = text[len(determiner) :]
            break
    return text


def _fold_latin_accents(text: str) -> str:
    """Drop accents from Latin letters only: marks on other scripts (Devanagari vowel signs,
    Japanese dakuten) are part of the letter, not decoration."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) and out and out[-1].isascii() and out[-1].isalpha():
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def entity_key(name: str) -> str:
    """Return the canonical key for a name: its normalised form with ``_`` between words.

    Args:
        name: A surface form (or an already normalised one).

    Returns:
        The key, at most ``MAX_KEY_LENGTH`` characters; empty when the name normalises to "".
    """
    return normalize_name(name).replace(" ", "_")[:MAX_KEY_LENGTH]


def acronym(name: str) -> str:
    """Return the acronym of a multi-word name (``"World Health Organization"`` -> ``"who"``).

    Short function words are skipped (``"Bank of England"`` -> ``"be"``); a one-word name has
    no acronym ("").
    """
    words = [w for w in normalize_name(name).split() if w not in {"of", "for", "and", "the", "de"}]
    return "".join(w[0] for w in words) if len(words) > 1 else ""
