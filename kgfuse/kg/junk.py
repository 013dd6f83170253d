"""Junk entity keys: words that name nothing (stop words, pronouns, number words, single
characters, platform placeholders) and, as a separate list, generic heads that name a whole
corpus's topic rather than a thing in it (``patients``, ``movie``).

Measured on the shared corpora before this filter, the most linked "entities" were ``at``,
``2``, ``two``, ``patients`` (medical abstracts), ``user``, ``user_user``, ``t`` (tweets) and
``movie``, ``film``, ``one`` (reviews). ``JunkWords`` holds the lists (configurable; a user
adds words with ``extended``); ``is_junk`` says whether a key is junk.

Numbers are literal values: a fact keeps them (``population`` -> ``1.8 million``), but a bare
number is no entity to link a text to, so the linking filter (``EntityFilter``) drops them;
resolution (``kg.resolution``) drops only the intrinsic junk, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNS = _words(
    "i me my mine myself you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself we us our ours ourselves they them their theirs themselves "
    "this that these those who whom whose which what"
)
NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion first second third dozen "
    "half once twice"
)
#: Tokens that anonymisation or a platform put in place of something (TweetEval: ``@user``).
PLACEHOLDERS = frozenset({"user", "url", "http", "https", "www", "rt", "amp", "gt", "lt", "nbsp"})
#: Heads that name a corpus's topic, not a thing in it; a corpus-specific list wins.
GENERIC_HEADS = _words(
    "patient patients study studies result results movie movies film films thing things "
    "people person way time times lot year years day days case cases group groups "
    "part number kind sort type use effect effects"
)
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,}$")
_NUMBER = re.compile(r"^[+-]?\d[\d_.,]*(?:st|nd|rd|th|s)?$")


@dataclass(frozen=True)
class JunkWords:
    """Word lists of the junk filter. A key is junk when it is a single character, a number,
    or made only of stop words, pronouns, number words and placeholders; with ``generic``
    also when it is one of ``generic_heads``.

    Args:
        stop_words: Function words (default: spaCy's English list).
        pronouns: Personal, demonstrative and relative pronouns.
        number_words: Cardinal and ordinal words ("two", "first").
        placeholders: Platform placeholders (``user``, ``url``).
        generic_heads: Corpus-level generic nouns ("patients", "movie").
    """

    stop_words: frozenset[str] = field(default=frozenset(STOP_WORDS), repr=False)
    pronouns: frozenset[str] = field(default=PRONOUNS, repr=False)
    number_words: frozenset[str] = field(default=NUMBER_WORDS, repr=False)
    placeholders: frozenset[str] = PLACEHOLDERS
    generic_heads: frozenset[str] = GENERIC_HEADS

    def extended(
        self,
        *,
        stop_words: Iterable[str] = (),
        placeholders: Iterable[str] = (),
        generic_heads: Iterable[str] = (),
    ) -> JunkWords:
        """A copy with more words (lower-cased) in the given lists."""
        return replace(
            self,
            stop_words=self.stop_words | {w.lower() for w in stop_words},
            placeholders=self.placeholders | {w.lower() for w in placeholders},
            generic_heads=self.generic_heads | {w.lower() for w in generic_heads},
        )

    def is_junk(
        self,
        key: str,
        *,
        generic: bool = True,
        numbers: bool = True,
        surface: str | None = None,
    ) -> bool:
        """Whether an entity key (``words_joined_by_underscores``) names nothing.

        Args:
            key: An entity key or a normalised name.
            generic: Also count the generic heads as junk.
            numbers: Also count keys made of numbers as junk; False keeps any key with a
                digit (codes and values such as ``1080-6377`` or ``4/22`` are literals).
            surface: The mention's text when known: an acronym ("US", "IT") is never junk,
                though its key is a stop word.

        Returns:
            True for junk keys (an empty key is junk).
        """
        if surface is not None and _ACRONYM.match(surface.strip()):
            return False
        text = key.replace("_", " ").strip().lower()
        if not numbers and any(c.isdigit() for c in text):
            return False
        if len(text) <= 1 or _NUMBER.match(text.replace(" ", "")):
            return True
        words = text.split()
        if generic and text in self.generic_heads:
            return True
        return all(
            w in self.stop_words
            or w in self.pronouns
            or w in self.number_words
            or w in self.placeholders
            or _NUMBER.match(w)
            for w in words
        )


DEFAULT_JUNK = JunkWords()
