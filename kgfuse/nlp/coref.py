"""Rule-based coreference within one document: pronouns and "the city"-style descriptions.

No coreference library ships its weights on the package index (coreferee, the spaCy
experimental coref, fastcoref and others download them at run time), so this is rules over
the mention spans of ``mentions.py``:

- A third-person pronoun (he, she, it, they and their object/possessive forms) refers to a
  compatible named mention: number (they/them/their: plural names, organisations,
  nationalities; the others: singular), gender for he/she (a person, not named with a first
  name or honorific of the other gender), NER type (he/she: ``PERSON``; it/its: a named
  entity that is not a person or a value; concepts are never antecedents of a pronoun).
  Candidates, best first: subjects earlier in the same sentence (most recent first), then
  the subjects of up to ``MAX_SENTENCES_BACK`` earlier sentences (the nearest sentence
  first, its first subject first: a paragraph is mostly about the entity its sentences open
  with), then any other compatible mention, most recent first.
- A definite description "the company", "the city", "the airport" (the noun with only
  "the") refers to the most recent named entity of that kind: one whose name holds the noun
  ("the airport" -> "Aarhus Airport"), else one of the noun's NER types.

A resolved mention stays a mention of its own (its text and offsets are the pronoun's), with
``coref`` naming its antecedent; unresolved pronouns are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.symbols import PRON as POS_PRON
from spacy.tokens import Doc

from kgfuse.nlp.coref_lexicon import (
    DESCRIPTION_TYPES,
    FEMALE,
    MALE,
    PLURAL,
    PLURAL_LABELS,
    PRONOUNS,
    first_name_gender,
)
from kgfuse.types import CONCEPT

#: Label of pronoun spans before resolution (never seen outside the NLP stage).
PRONOUN = "PRON"
MAX_SENTENCES_BACK = 3
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NON_REFERRING = frozenset(
    {"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME", "LANGUAGE", "LAW"}
)

Span = tuple[int, int, str]


def pronoun_spans(doc: Doc, taken: bytearray) -> list[Span]:
    """Third-person pronouns of ``doc`` outside any mention (``taken`` marks mention tokens)."""
    # Integer ids, not strings: this runs over every token of the corpus.
    wanted = {doc.vocab.strings.add(word) for word in PRONOUNS}
    return [
        (token.i, token.i + 1, PRONOUN)
        for token in doc
        if token.lower in wanted and token.pos == POS_PRON and not taken[token.i]
    ]


def resolve_spans(
    doc: Doc, spans: Sequence[Span], sentence_of: Sequence[int]
) -> tuple[list[Span], list[int | None]]:
    """Resolve pronoun spans and definite descriptions among sorted mention spans.

    Args:
        doc: The parsed document.
        spans: Mention spans ``(start, end, label)`` sorted by position, pronouns labelled
            ``PRONOUN``.
        sentence_of: Sentence index of every token.

    Returns:
        The kept spans (unresolved pronouns dropped; a resolved one takes its antecedent's
        label) and, for each, the index (into the kept spans) of its antecedent or None.
    """
    kept: list[Span] = []
    antecedent: list[int | None] = []
    for start, end, label in spans:
        found: int | None = None
        if label == PRONOUN:
            found = _pronoun_antecedent(doc, doc[start].lower_, start, kept, sentence_of)
            if found is None:
                continue
        elif label == CONCEPT and end - start == 1:
            found = _description_antecedent(doc, start, kept, sentence_of)
        if found is not None:
            while antecedent[found] is not None:  # point at the named mention itself
                found = antecedent[found]  # type: ignore[assignment]
            label = kept[found][2]
        kept.append((start, end, label))
        antecedent.append(found)
    return kept, antecedent


def _pronoun_antecedent(
    doc: Doc, pronoun: str, position: int, kept: Sequence[Span], sentence_of: Sequence[int]
) -> int | None:
    sentence = sentence_of[position]
    same: list[int] = []
    earlier: list[int] = []
    others: list[int] = []
    for index in range(len(kept) - 1, -1, -1):
        start, end, _ = kept[index]
        distance = sentence - sentence_of[start]
        if distance > MAX_SENTENCES_BACK:
            break
        if not _compatible(doc, pronoun, kept[index]):
            continue
        is_subject = doc[start:end].root.dep_ in _SUBJECT_DEPS
        if distance == 0 and is_subject:
            same.append(index)
        elif is_subject:
            earlier.append(index)
        else:
            others.append(index)
    # Earlier sentences: nearest sentence first, and within it the first subject first.
    earlier.sort(key=lambda i: (-sentence_of[kept[i][0]], kept[i][0]))
    for group in (same, earlier, others):
        if group:
            return group[0]
    return None


def _compatible(doc: Doc, pronoun: str, span: Span) -> bool:
    start, end, label = span
    # Only names: on the hand-labelled sample (tests/data/precision_sample.jsonl), pronouns
    # resolved to concepts ("it" -> "fact", "its" -> "campus") were mostly wrong.
    if label in _NON_REFERRING or label in (PRONOUN, CONCEPT):
        return False
    gender = PRONOUNS[pronoun]
    if gender in (MALE, FEMALE):
        if label != "PERSON":
            return False
        found = first_name_gender(doc[start].text)
        return found is None or found == gender
    root = doc[start:end].root
    plural = root.tag_ in ("NNS", "NNPS") or label in PLURAL_LABELS
    if gender == PLURAL:
        return plural or label == "ORG"  # "AFC Fylde ... Their manager"
    return label != "PERSON" and not plural  # it/its


def _description_antecedent(
    doc: Doc, position: int, kept: Sequence[Span], sentence_of: Sequence[int]
) -> int | None:
    """Antecedent of "the city" (a one-word concept with "the" right before it)."""
    token = doc[position]
    noun = token.lemma_.lower()
    types = DESCRIPTION_TYPES.get(noun)
    if types is None or position == 0 or doc[position - 1].lower_ != "the":
        return None
    if any(child.dep_ == "prep" for child in token.children):
        return None  # "the city of Lahore" names its own referent
    sentence = sentence_of[position]
    fallback: int | None = None
    for index in range(len(kept) - 1, -1, -1):
        start, end, label = kept[index]
        if sentence - sentence_of[start] > MAX_SENTENCES_BACK:
            break
        if label in (CONCEPT, PRONOUN):
            continue
        if noun in doc[start:end].text.lower().split():
            return index
        if fallback is None and label in types:
            fallback = index
    return fallback
