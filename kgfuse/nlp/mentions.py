"""Mentions of one parsed ``Doc``: named entities plus concept mentions from noun phrases.

Concept mentions are built in the same pass over the tokens instead of ``doc.noun_chunks``:
the rule needs the chunk's root anyway, and the trimming below (determiners, possessors,
entity tokens) would otherwise re-create every span.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from kgfuse.nlp.coref import pronoun_spans, resolve_spans
from kgfuse.nlp.values import literal_value
from kgfuse.types import CONCEPT, Mention

#: Entity labels that are values, not things: no co-occurrence edges, no ``is_a``.
VALUE_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"})

# Dependency labels of a noun that heads a noun phrase (as in spaCy's English noun_chunks).
_NP_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "pobj", "appos", "attr", "oprd", "poss"}
)
_NP_DEPS_ALL = _NP_DEPS | {"ROOT", "conj"}
_NOUNS = frozenset({"NOUN", "PROPN"})
# Leading tokens dropped from a concept: "the", "his", "all", "Poland 's", punctuation.
_LEADING_DEPS = frozenset({"det", "predet", "poss", "case", "punct", "cc", "preconj", "prep"})
_LEADING_POS = frozenset({"DET", "PRON", "PUNCT", "PART", "CCONJ", "ADP", "SPACE"})
# A name in one of these relations to a following noun modifies it ("Apollo 11" has "11" as
# a nummod of "Apollo", but "Apollo" 's own head is what a name modifies).
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Names that can name the kind of a noun ("Javanese cuisine", "English language").
_KIND_LABELS = frozenset({"LANGUAGE", "GPE", "LOC", "ORG", "PERSON", "PRODUCT", "EVENT"})
# A nationality before a person noun says something about the person ("the French physicist
# Marie Curie"): kept apart. Before these nouns it names a kind ("Javanese cuisine").
_NORP_KINDS = frozenset(
    {"cuisine", "food", "dish", "people", "language", "architecture", "style", "community"}
)
# Titles are not part of a name ("CEO Sundar Pichai", "President Obama").
_TITLES = frozenset(
    {"ceo", "president", "dr", "mr", "mrs", "ms", "prof", "professor", "sir", "king", "queen"}
    | {"general", "captain", "senator", "governor", "mayor", "minister", "chairman", "saint"}
)
_KIND_POS = frozenset({"NOUN", "PROPN", "ADJ"})


def find_mentions(
    doc: Doc,
    sentence_of: Sequence[int],
    *,
    concepts: bool = True,
    coreference: bool = True,
    char_offset: int = 0,
    mention_offset: int = 0,
) -> tuple[list[Mention], list[int]]:
    """Find entity and concept mentions in a parsed document.

    Concepts are noun phrases whose root is a common or proper noun outside every entity,
    cut to the contiguous entity-free tokens around the root ("the French physicist" ->
    "physicist" when "French" is an entity), without leading determiners, possessors and
    punctuation; phrases made only of stop words or numbers are skipped. With
    ``coreference``, third-person pronouns and "the city"-style descriptions that refer to an
    earlier mention are mentions too, with ``coref`` set (see ``coref.py``); other pronouns
    are never mentions.

    Args:
        doc: A parsed ``Doc`` (dependency parse and entities).
        sentence_of: Sentence index (in the final extraction) of every token of ``doc``.
        concepts: Whether to add concept mentions.
        coreference: Whether to resolve pronouns and definite descriptions.
        char_offset: Added to every character offset (position of ``doc`` in the full text).
        mention_offset: Index of the first mention in the whole extraction (for ``coref``).

    Returns:
        The mentions sorted by position, and for every token of ``doc`` the index of the
        mention that contains it (``-1`` for none).
    """
    text = doc.text
    spans = _entity_spans(doc)
    antecedents: list[int | None] = []
    if concepts or coreference:
        in_entity = bytearray(len(doc))
        for start, end, _ in spans:
            in_entity[start:end] = b"\x01" * (end - start)
        if concepts:
            spans.extend(_concept_spans(doc, in_entity))
        if coreference:
            spans.extend(pronoun_spans(doc, in_entity))
        spans.sort()
        if coreference:
            spans, antecedents = resolve_spans(doc, spans, sentence_of)
    mentions: list[Mention] = []
    token_mention = [-1] * len(doc)
    for number, (start, end, label) in enumerate(spans):
        antecedent = antecedents[number] if antecedents else None
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
                value=literal_value(text[char_start:char_end], label)
                if label in VALUE_LABELS
                else None,
                coref=None if antecedent is None else antecedent + mention_offset,
            )
        )
    return mentions, token_mention


def _adjust_entity(doc: Doc, start: int, end: int, label: str, limit: int) -> tuple[int, int, str]:
    """Fix the frequent NER boundary errors of the small models (measured on WebNLG dev).

    - A leading "the" and a trailing possessive or punctuation are dropped ("the Lega Pro",
      "Apple 's", "Airbase ,").
    - A name cut short before the proper noun it modifies is extended to it ("T.S." +
      "Thakur", "Al Asad" + "Airbase", "Apollo" + "11"), up to ``limit`` (the next entity's
      start).
    - A name that only modifies a common noun names that noun's kind, which is the thing
      said about ("Javanese cuisine", "English language", "Christmas pudding"): the mention
      becomes the whole noun phrase, a ``CONCEPT``. Dates with digits and numbers are left
      alone ("the 2014 season" is about 2014).
    """
    while end - start > 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while end - start > 1 and doc[start].lower_ == "the":
        start += 1
    last = doc[end - 1]
    head = last.head
    if end <= head.i < limit and last.dep_ in _MODIFIER_DEPS and head.pos_ in _NOUNS:
        between = range(end, head.i + 1)
        if all(doc[k].pos_ == "PROPN" for k in between):
            return start, head.i + 1, label
        if (
            label in _KIND_LABELS
            or (label == "NORP" and head.lemma_.lower() in _NORP_KINDS)
            or (label == "DATE" and not any(t.like_num for t in doc[start:end]))
        ) and all(doc[k].pos_ in _KIND_POS and not doc[k].is_stop for k in between):
            return start, head.i + 1, CONCEPT
    return start, end, label


def _entity_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """NER spans of ``doc``, adjusted; a number that counts a name joins it ("Apollo" + "11"
    when the model split them)."""
    ents = list(doc.ents)
    spans: list[tuple[int, int, str]] = []
    k = 0
    while k < len(ents):
        ent = ents[k]
        end = ent.end
        if k + 1 < len(ents) and ent.label_ not in VALUE_LABELS:
            after = ents[k + 1]
            if (
                after.start == end
                and after.label_ == "CARDINAL"
                and all(t.dep_ == "nummod" and t.head.i == end - 1 for t in after)
            ):
                end = after.end
                k += 1
        limit = ents[k + 1].start if k + 1 < len(ents) else len(doc)
        start = ent.start
        floor = spans[-1][1] if spans else 0
        while (  # "AFC" + "Fylde": a proper-noun compound the model left out of the name
            ent.label_ != "PERSON"  # before a person's name it is a title: "CEO Sundar Pichai"
            and start > floor
            and doc[start - 1].lower_ not in _TITLES
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].dep_ == "compound"
            and ent.start <= doc[start - 1].head.i < end
        ):
            start -= 1
        spans.append(_adjust_entity(doc, start, end, ent.label_, limit))
        k += 1
    return spans


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
