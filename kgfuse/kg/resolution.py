"""Entity resolution: turn an ``Extraction`` into a ``ResolvedDocument`` with stable keys.

Rules, applied per document (so the result never depends on corpus order):

1. Every mention gets the key of its normalised surface form (``normalize.entity_key``):
   case, whitespace, punctuation and a leading determiner do not matter.
2. A capitalised one-word mention that is the last word of a multi-word person mention of
   the same document ("Curie" after "Marie Curie") takes that person's key; when several
   people share the surname, the one mentioned most often wins, and a tie leaves it alone.
3. A mention that refers back to another (``Mention.coref``: "he", "the city") takes its
   antecedent's key; it is not an alias of that entity (not in the resolved mentions), and
   the facts read through it keep its own sentence and offsets, their provenance's
   extractor marked ``+coref``.
4. A short all-caps mention that is the acronym of exactly one multi-word mention of the same
   document ("WHO" with "World Health Organization") takes that mention's key.

Across documents, entities merge when their normalised forms are equal. The alias table is
the set of (surface form, key) pairs kept on the mentions, queryable through the store.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from kgfuse.kg.junk import DEFAULT_JUNK, JunkWords
from kgfuse.kg.normalize import acronym, entity_key, normalize_name
from kgfuse.types import (
    CONCEPT,
    EntityMention,
    Extraction,
    Provenance,
    ResolvedDocument,
    Triple,
    content_hash,
)

_PERSON_LABELS = {"PERSON", "PER"}
#: Appended to ``Provenance.extractor`` of a fact read through a coreferent mention ("he").
COREF_MARK = " +coref"
_LEADING_DETERMINER = re.compile(r"(?:the|an?)\s+", re.IGNORECASE)
_MAX_ACRONYM = 8


def resolve(extraction: Extraction, *, junk: JunkWords | None = DEFAULT_JUNK) -> ResolvedDocument:
    """Resolve the mentions of one extraction to canonical keys and build its triples.

    Args:
        extraction: Output of the NLP stage for one document.
        junk: Mentions whose key names nothing (stop words, pronouns, single characters,
            placeholders such as ``@user``; see ``kg.junk``) are dropped with their facts;
            values, codes with digits and generic heads are kept. None keeps everything.

    Returns:
        The document's mentions with keys and its triples with provenance. Relations whose
        ends resolve to the same entity or to an empty key are dropped.
    """
    keys = mention_keys(extraction)
    if junk is not None:
        for i, m in enumerate(extraction.mentions):
            if (
                m.value is None
                and m.coref is None
                and junk.is_junk(keys[i], generic=False, numbers=False, surface=m.text)
            ):
                keys[i] = ""
    mentions = tuple(
        EntityMention(
            key=keys[i],
            text=m.text[cut:],
            label=m.label,
            sentence_index=m.sentence_index,
            char_start=m.char_start + cut,
            char_end=m.char_end,
        )
        for i, m in enumerate(extraction.mentions)
        if keys[i] and m.coref is None  # "he" is no alias of the person it stands for
        for cut in [_determiner_length(m.text)]
    )
    doc_id = extraction.document.id
    seen: set[tuple[str, str, str, int]] = set()
    triples: list[Triple] = []
    for rel in extraction.relations:
        subject_key, object_key = keys[rel.subject], keys[rel.object]
        if not subject_key or not object_key or subject_key == object_key:
            continue
        ident = (subject_key, rel.predicate, object_key, rel.sentence_index)
        if ident in seen:
            continue
        seen.add(ident)
        coreferent = (
            extraction.mentions[rel.subject].coref is not None
            or extraction.mentions[rel.object].coref is not None
        )
        provenance = Provenance(
            doc_id=doc_id,
            sentence_index=rel.sentence_index,
            char_start=rel.char_start,
            char_end=rel.char_end,
            extractor=extraction.extractor + (COREF_MARK if coreferent else ""),
        )
        triples.append(Triple(subject_key, rel.predicate, object_key, provenance))
    return ResolvedDocument(
        document=extraction.document,
        content_hash=content_hash(extraction.document.text),
        extractor=extraction.extractor,
        sentences=extraction.sentences,
        mentions=mentions,
        triples=tuple(triples),
    )


def mention_keys(extraction: Extraction) -> list[str]:
    """Return the canonical key of each mention of an extraction (``""`` to drop it)."""
    mentions = extraction.mentions
    keys = [entity_key(m.value or m.text) for m in mentions]
    surname_owner: dict[str, Counter[str]] = defaultdict(Counter)
    acronym_owner: dict[str, set[str]] = defaultdict(set)
    for m, key in zip(mentions, keys, strict=True):
        if m.coref is not None:
            continue
        words = normalize_name(m.text).split()
        if len(words) < 2:
            continue
        if m.label in _PERSON_LABELS:
            surname_owner[words[-1]][key] += 1
        if m.label != CONCEPT:
            short = acronym(m.text)
            if short:
                acronym_owner[short].add(key)
    for i, m in enumerate(mentions):
        if m.coref is not None:
            continue
        norm = normalize_name(m.text)
        if " " in norm or not norm:
            continue
        owner = _most_mentioned(surname_owner.get(norm))
        if owner and m.text[:1].isupper() and m.label in _PERSON_LABELS | {CONCEPT}:
            keys[i] = owner
        elif _looks_like_acronym(m.text) and len(acronym_owner.get(norm, ())) == 1:
            keys[i] = next(iter(acronym_owner[norm]))
    for i, m in enumerate(mentions):  # antecedents come first: their keys are final
        if m.coref is not None:
            keys[i] = keys[m.coref]
    return keys


def _determiner_length(text: str) -> int:
    """Length of a leading "the "/"a "/"an " that a display name should not keep."""
    match = _LEADING_DETERMINER.match(text)
    return match.end() if match and match.end() < len(text) else 0


def _most_mentioned(counts: Counter[str] | None) -> str | None:
    """The key mentioned strictly more often than any other, or None."""
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _looks_like_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= _MAX_ACRONYM and all(c.isupper() for c in letters)
