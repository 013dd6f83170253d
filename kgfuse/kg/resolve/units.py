"""What cross-document resolution works on: mention records, grouped into units.

A *unit* is everything one document says about one key: its surface forms, NER labels and
the sentences around its mentions. Within a document the per-document rules of
``kg.resolution`` already decided which mentions are one entity, so a unit is never split;
resolution decides which units of different documents are one entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgfuse.types import CONCEPT, ResolvedDocument

#: Literal values (dates, numbers) are keyed by their value; resolution leaves them alone.
VALUE_LABELS = frozenset(
    {"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME", "VALUE"}
)
#: NER labels that name the same kind of thing (spaCy small swaps GPE/LOC/FAC freely).
_TYPE_GROUPS = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "PER": "PERSON"}
#: Characters of the sentence shown around a mention (the context the encoder reads).
_CONTEXT_CHARS = 400


@dataclass(frozen=True)
class MentionRecord:
    """One mention as a store or a resolved document holds it.

    Attributes:
        doc_id: Document id.
        key: The key the mention has now.
        base_key: The key the per-document rules gave it (before any cross-document
            resolution); equal to ``key`` for a mention never resolved.
        surface: Mention text.
        label: NER label or ``CONCEPT``.
        sentence: Text of its sentence.
        start: Offset of the mention inside ``sentence`` (-1 when unknown).
    """

    doc_id: str
    key: str
    base_key: str
    surface: str
    label: str
    sentence: str
    start: int = -1


@dataclass
class Unit:
    """All mentions of one base key in one document."""

    doc_id: str
    base_key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    contexts: set[str] = field(default_factory=set)

    @property
    def mentions(self) -> int:
        """Number of mentions in the unit."""
        return sum(self.surfaces.values())


def type_group(label: str) -> str:
    """The kind a label names (``GPE``/``LOC``/``FAC`` are all ``PLACE``)."""
    return _TYPE_GROUPS.get(label, label)


def unit_kind(unit: Unit) -> str:
    """What kind of thing a unit names: ``PERSON``, ``NAMED`` (any other named entity) or
    ``COMMON`` (a noun chunk the NER did not name: "the jaguar", not "Jaguar"). The case of the
    surface is no evidence: "Disclaimer:" opens a line.

    Coarser than NER types on purpose: spaCy's small model swaps ORG and GPE for one airport
    from one sentence to the next, but rarely calls a common noun a person.
    """
    label = type_group(dominant(unit.labels))
    if label == "PERSON":
        return "PERSON"
    return "COMMON" if label == CONCEPT else "NAMED"


def compatible(a: str, b: str) -> bool:
    """Whether two type groups may be one entity (a noun-chunk concept fits any type)."""
    return a == b or CONCEPT in (a, b)


def dominant(counts: Counter[str]) -> str:
    """Most frequent item; ties go to the smallest (so the answer never depends on order)."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def masked_context(record: MentionRecord) -> str:
    """The sentence with the mention itself blanked out, clipped around it.

    The name is compared by the fuzzy name score; leaving it in the context would make every
    two sentences naming "Jaguar" look alike to the encoder.
    """
    text, start = record.sentence, record.start
    if 0 <= start <= len(text) and text[start : start + len(record.surface)] == record.surface:
        text = text[:start] + "_" + text[start + len(record.surface) :]
    else:
        text = text.replace(record.surface, "_")
    if len(text) > _CONTEXT_CHARS:
        centre = max(text.find("_"), 0)
        begin = max(0, centre - _CONTEXT_CHARS // 2)
        text = text[begin : begin + _CONTEXT_CHARS]
    return " ".join(text.split())


def records_from_documents(documents: Iterable[ResolvedDocument]) -> list[MentionRecord]:
    """Mention records of resolved documents (what ``kg.resolution.resolve`` returns)."""
    records: list[MentionRecord] = []
    for doc in documents:
        sentences = {s.index: s for s in doc.sentences}
        for m in doc.mentions:
            sent = sentences.get(m.sentence_index)
            text = sent.text if sent is not None else ""
            start = m.char_start - sent.char_start if sent is not None else -1
            records.append(
                MentionRecord(doc.document.id, m.key, m.key, m.text, m.label, text, start)
            )
    return records


def build_units(records: Iterable[MentionRecord]) -> dict[str, list[Unit]]:
    """Group records into units, per base key; units sorted by document id.

    Records whose label is a literal value, or whose base key is empty, are left out.
    """
    units: dict[tuple[str, str], Unit] = {}
    for r in records:
        if not r.base_key or r.label in VALUE_LABELS:
            continue
        unit = units.get((r.base_key, r.doc_id))
        if unit is None:
            unit = units[(r.base_key, r.doc_id)] = Unit(r.doc_id, r.base_key)
        unit.surfaces[r.surface] += 1
        unit.labels[r.label] += 1
        if r.sentence:
            unit.contexts.add(masked_context(r))
    by_key: dict[str, list[Unit]] = {}
    for (key, _), unit in sorted(units.items()):
        by_key.setdefault(key, []).append(unit)
    return by_key
