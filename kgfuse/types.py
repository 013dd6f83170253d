"""Plain data types shared by every stage (no spaCy, torch or database imports here).

The pipeline is::

    Document --nlp--> Extraction --kg.resolution--> ResolvedDocument --GraphStore.write-->
    graph --queries--> Entity, Edge, EntityCard, ...

Character offsets are always offsets into ``Document.text`` *after* cleaning (see
``kgfuse.nlp.clean``), so ``doc.text[char_start:char_end]`` is the evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Mention label used for concept nodes (noun chunks that are not named entities).
CONCEPT = "CONCEPT"
#: Predicate of sentence co-occurrence edges.
CO_OCCURS = "co_occurs_with"


def content_hash(text: str) -> str:
    """Return the stable content hash of a text (hex SHA-256 of its UTF-8 bytes, 32 chars)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Document:
    """One document of a corpus.

    Attributes:
        id: Corpus-given id, or ``"sha256:" + content_hash(text)`` when the corpus has none.
        text: The document text.
        label: Optional class label (or labels, for multi-label corpora).
        metadata: Any other fields of the corpus record.
        source: Where it came from (``file`` or ``file:line``), for messages.
    """

    id: str
    text: str
    label: str | tuple[str, ...] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its index in the document and its character span."""

    index: int
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an entity or a concept (before entity resolution).

    Attributes:
        text: Surface form exactly as in the text.
        label: NER label (``PERSON``, ``ORG``, ...) or ``CONCEPT`` for a noun chunk.
        sentence_index: Index of the sentence holding it.
        char_start: Start offset in the document text.
        char_end: End offset in the document text (exclusive).
        value: Canonical literal of a number or date mention (``1923-11-18``, ``1533``), which
            keys it instead of the surface form; ``None`` for names and concepts.
        coref: Index (in the same extraction) of the mention this one refers back to
            ("he" -> "Alan Shepard"); ``None`` when it is not a coreferent mention.
    """

    text: str
    label: str
    sentence_index: int
    char_start: int
    char_end: int
    value: str | None = None
    coref: int | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation between two mentions of one extraction (indices into ``mentions``).

    ``char_start``/``char_end`` span the evidence (subject, predicate and object tokens).
    """

    subject: int
    predicate: str
    object: int
    sentence_index: int
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the NLP stage found in one document."""

    document: Document
    text: str  # the cleaned text that all offsets refer to
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    extractor: str  # extractor id + version, e.g. "kgfuse-rules/1 en_core_web_sm/3.8.0"


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity.

    Attributes:
        key: Canonical, stable id (same surface forms give the same key on any machine).
        name: Canonical display name.
        label: Most frequent type (NER label or ``CONCEPT``).
        aliases: Other surface forms seen for it, sorted.
    """

    key: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was read: document, sentence and evidence span, and which extractor."""

    doc_id: str
    sentence_index: int
    char_start: int
    char_end: int
    extractor: str


@dataclass(frozen=True, slots=True)
class Triple:
    """One supported fact: ``subject --predicate--> object`` and the evidence for it."""

    subject_key: str
    predicate: str
    object_key: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A mention after entity resolution: the surface form and the entity key it refers to."""

    key: str
    text: str
    label: str
    sentence_index: int
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class ResolvedDocument:
    """Everything a store writes for one document; writing it replaces the document's facts."""

    document: Document
    content_hash: str
    extractor: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[EntityMention, ...]
    triples: tuple[Triple, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    """An aggregated fact of the graph: distinct ``(s, p, o)`` with its support count.

    ``support`` is the number of distinct (document, sentence) pairs that state it.
    """

    subject_key: str
    predicate: str
    object_key: str
    support: int


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """A lookup result: the entity, how it matched (``key``/``exact``/``alias``/``fuzzy``)."""

    entity: Entity
    how: str
    matched: str
    score: float


@dataclass(frozen=True, slots=True)
class Neighbour:
    """An entity within k hops of another, with its hop distance."""

    entity: Entity
    distance: int


@dataclass(frozen=True, slots=True)
class SupportingSentence:
    """A sentence that supports a fact about an entity."""

    doc_id: str
    sentence_index: int
    text: str
    subject_key: str
    predicate: str
    object_key: str


@dataclass(frozen=True, slots=True)
class EntityCard:
    """Everything the graph knows about one entity."""

    entity: Entity
    types: tuple[tuple[str, int], ...]  # (label, mention count), most frequent first
    mention_count: int
    document_count: int
    neighbours: tuple[tuple[Edge, Entity], ...]  # top edges by support, with the other end
    sentences: tuple[SupportingSentence, ...]
    #: Distinct edges touching the entity: the true degree (``neighbours`` shows the top ones).
    degree: int = 0

    @property
    def truncated(self) -> bool:
        """Whether the entity has more edges than ``neighbours`` shows."""
        return self.degree > len(self.neighbours)


@dataclass(frozen=True, slots=True)
class GraphStats:
    """Size of a graph and its most connected entities."""

    documents: int
    sentences: int
    mentions: int
    entities: int
    edges: int  # distinct (s, p, o)
    facts: int  # supporting (s, p, o, document, sentence) records
    predicates: tuple[tuple[str, int], ...]  # edge count per predicate, most frequent first
    top_entities: tuple[tuple[Entity, int], ...]  # (entity, degree in distinct edges)
    fact_entities: int = 0  # distinct keys at an end of at least one fact
