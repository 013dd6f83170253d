"""Mentions of one parsed ``Doc``: named entities plus concept mentions from noun phrases.

Concept mentions are built in the same pass over the tokens instead of ``doc.noun_chunks``:
the rule needs the chunk's root anyway, and the trimming below (determiners, possessors,
entity tokens) would otherwise re-create every span.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from kgfuse.types import CONCEPT, Mention

# Dependency labels of a noun that heads a noun phrase (as in spaCy's English noun_chunks).
_NP_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "pobj", "appos", "attr", "oprd", "poss"}
)
_NP_DEPS_ALL = _NP_DEPS | {"ROOT", "conj"}
_NOUNS = frozenset({"NOUN", "PROPN"})
# Leading tokens dropped from a concept: "the", "his", "all", "Poland 's", punctuation.
_LEADING_DEPS = frozenset({"det", "predet", "poss", "case", "punct", "cc", "preconj", "prep"})
_LEADING_POS = frozenset({"DET", "PRON", "PUNCT", "PART", "CCONJ", "ADP", "SPACE"})


def find_mentions(
    doc: Doc,
    sentence_of: Sequence[int],
    *,
    concepts: bool = True,
    char_offset: int = 0,
) -> tuple[list[Mention], list[int]]:
    """Find entity and concept mentions in a parsed document.

    Concepts are noun phrases whose root is a common or proper noun outside every entity,
    cut to the contiguous entity-free tokens around the root ("the French physicist" ->
    "physicist" when "French" is an entity), without leading determiners, possessors and
    punctuation; phrases made only of stop words or numbers are skipped. Pronouns are never
    mentions.

    Args:
        doc: A parsed ``Doc`` (dependency parse and entities).
        sentence_of: Sentence index (in the final extraction) of every token of ``doc``.
        concepts: Whether to add concept mentions.
        char_offset: Added to every character offset (position of ``doc`` in the full text).

    Returns:
        The mentions sorted by position, and for every token of ``doc`` the index of the
        mention that contains it (``-1`` for none).
    """
    text = doc.text
    ents = doc.ents
    spans = [
        _adjust_entity(
            doc,
            ent.start,
            ent.end,
            ent.label_,
            ents[k + 1].start if k + 1 < len(ents) else len(doc),
        )
        for k, ent in enumerate(ents)
    ]
    if concepts:
        in_entity = bytearray(len(doc))
        for start, end, _ in spans:
            in_entity[start:end] = b"\x01" * (end - start)
        spans.extend(_concept_spans(doc, in_entity))
        spans.sort()
    mentions: list[Mention] = []
    token_mention = [-1] * len(doc)
    for start, end, label in spans:
        first = doc[start]
        last = doc[end - 1]
        char_start = first.idx
        char_end = last.idx + len(last)
        token_mention[start:end] = [len(mentions)] * (end - start)
        mentions.append(
            Mention(
                text=text[char_start:char_end],
                label=label,
                sentence_index=sentence_of[start],
                char_start=char_start + char_offset,
                char_end=char_end + char_offset,
            )
        )
    return mentions, token_mention


def _adjust_entity(doc: Doc, start: int, end: int, label: str, limit: int) -> tuple[int, int, str]:
    """Fix two frequent NER boundary errors of the small models.

    A trailing possessive is dropped ("Apple 's" -> "Apple"); a name cut short before the
    proper noun it modifies is extended to it ("T.S." + "Thakur", "Al Asad" + "Airbase"),
    up to ``limit`` (the next entity's start).
    """
    while end - start > 1 and doc[end - 1].tag_ == "POS":
        end -= 1
    last = doc[end - 1]
    head = last.head
    if (
        last.dep_ == "compound"
        and end <= head.i < limit
        and all(doc[k].pos_ == "PROPN" for k in range(end, head.i + 1))
    ):
        end = head.i + 1
    return start, end, label


def _concept_spans(doc: Doc, in_entity: bytearray) -> list[tuple[int, int, str]]:
    """Return ``(start, end, CONCEPT)`` token spans of the concept mentions, in order."""
    spans: list[tuple[int, int, str]] = []
    previous_end = 0
    for token in doc:
        i = token.i
        if in_entity[i] or token.pos_ not in _NOUNS or token.like_email or token.like_url:
            continue
        dep = token.dep_
        if dep not in _NP_DEPS and not (
            dep in _NP_DEPS_ALL and (dep == "ROOT" or token.head.pos_ in _NOUNS)
        ):
            continue
        start = max(token.left_edge.i, previous_end)
        # Keep only the entity-free run of tokens that ends at the root.
        j = i
        while j > start and not in_entity[j - 1]:
            j -= 1
        start = j
        while start < i:
            lead = doc[start]
            if lead.dep_ not in _LEADING_DEPS and lead.pos_ not in _LEADING_POS:
                break
            start += 1
        if all(doc[k].is_stop or doc[k].like_num or doc[k].is_punct for k in range(start, i + 1)):
            continue
        spans.append((start, i + 1, CONCEPT))
        previous_end = i + 1
    return spans
