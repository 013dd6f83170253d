"""Precomputed entity summaries: what an entity card needs, in one record per entity.

On a large graph the card of an entity next to a hub (a genre, a year) used to scan every
mention of that hub to name it. A summary holds, per entity: its display name, label and
aliases, its mention types and counts, its document count, its TRUE degree (distinct
``(s, p, o)`` edges touching it), its top ``TOP_EDGES`` edges by support and its first
``TOP_SENTENCES`` supporting sentences. Reads use the summary when it exists and fall back
to the live queries when it does not, so a missing summary is only slower, never wrong.

``GraphStore.write`` and ``delete_document`` drop the summaries of every entity the old and
new versions of the documents touch before they write, and recompute them after; an
interrupted write therefore leaves summaries missing (read live), never stale.
``GraphStore.refresh_summaries()`` recomputes them for given keys or for the whole store
(the upgrade path of stores built before summaries existed: ``kgfuse summarize STORE``).

Summaries are computed from four batched backend reads (``SummarySource``), the same on
every backend, so every backend stores the same summary for the same graph.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kgfuse.kg.stores.forms import SurfaceForm, entity_from_forms
from kgfuse.kg.stores.order import by_count, edge_order
from kgfuse.types import Edge, Entity, ResolvedDocument, SupportingSentence

#: Edges and sentences kept per summary (a card asking for more reads live).
TOP_EDGES = 50
TOP_SENTENCES = 20
#: Summary format version (a summary of another version is ignored and read live).
VERSION = 1
#: One fact record touching an entity: ``(entity key, s, p, o, doc_id, sentence index)``.
FactRow = tuple[str, str, str, str, str, int]
#: A supporting sentence without its text: ``(doc_id, sentence index, s, p, o)`` (texts can
#: be long; the card reads the few it shows by id).
SentenceRef = tuple[str, int, str, str, str]


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """What the graph knows about one entity, precomputed.

    Attributes:
        entity: Canonical name, label and aliases (``forms.entity_from_forms``).
        types: ``(label, mention count)``, most frequent first.
        mention_count: Mentions of the entity.
        document_count: Documents mentioning it.
        degree: Distinct ``(s, p, o)`` edges touching it (a self-loop counts once).
        edges: Its top edges by support (then ``edge_order``), at most ``TOP_EDGES``.
        sentences: Its first supporting sentences (``sentence_order``, text left out), at
            most ``TOP_SENTENCES``.
    """

    entity: Entity
    types: tuple[tuple[str, int], ...]
    mention_count: int
    document_count: int
    degree: int
    edges: tuple[Edge, ...]
    sentences: tuple[SentenceRef, ...]


class SummarySource(Protocol):
    """The batched reads a summary is computed from (implemented by every backend)."""

    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]: ...

    def _document_counts(self, keys: Sequence[str]) -> dict[str, int]: ...

    def _fact_rows(self, keys: Sequence[str]) -> Iterable[FactRow]: ...

    def _sentence_texts(
        self, sentences: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], str]: ...


def compute(source: SummarySource, keys: Sequence[str]) -> dict[str, EntitySummary | None]:
    """Compute the summaries of ``keys`` from the store's current content.

    Args:
        source: The store.
        keys: Entity keys (distinct).

    Returns:
        ``{key: summary}``, with None for the keys that have no mention (no entity).
    """
    forms = source._surface_forms(keys)
    present = [k for k in keys if k in forms]
    documents = source._document_counts(present) if present else {}
    support: dict[str, dict[tuple[str, str, str], set[tuple[str, int]]]] = defaultdict(dict)
    for key, s, p, o, doc_id, index in source._fact_rows(present) if present else ():
        support[key].setdefault((s, p, o), set()).add((doc_id, index))
    out: dict[str, EntitySummary | None] = {k: None for k in keys}
    for key in present:
        by_label: Counter[str] = Counter()
        for _, label, count in forms[key]:
            by_label[label] += count
        edges = [Edge(s, p, o, len(sents)) for (s, p, o), sents in support[key].items()]
        edges.sort(key=lambda e: (-e.support, edge_order(e)))
        # sentence_order is (doc, index, s, p, o, text): the refs sort the same way.
        refs = {(d, i, s, p, o) for (s, p, o), sents in support[key].items() for d, i in sents}
        out[key] = EntitySummary(
            entity=entity_from_forms(key, forms[key]),
            types=tuple(sorted(by_label.items(), key=by_count)),
            mention_count=sum(by_label.values()),
            document_count=documents.get(key, 0),
            degree=len(edges),
            edges=tuple(edges[:TOP_EDGES]),
            sentences=tuple(sorted(refs)[:TOP_SENTENCES]),
        )
    return out


def touched_keys(documents: Iterable[ResolvedDocument]) -> set[str]:
    """Entity keys the documents mention or relate (their summaries change with them)."""
    keys: set[str] = set()
    for d in documents:
        keys.update(m.key for m in d.mentions)
        keys.update(k for t in d.triples for k in (t.subject_key, t.object_key))
    return keys


def with_texts(source: SummarySource, refs: Sequence[SentenceRef]) -> list[SupportingSentence]:
    """The supporting sentences of ``refs``, texts read by id (refs whose sentence is gone
    are left out)."""
    texts = source._sentence_texts(sorted({(d, i) for d, i, *_ in refs})) if refs else {}
    return [
        SupportingSentence(d, i, texts[(d, i)], s, p, o)
        for d, i, s, p, o in refs
        if (d, i) in texts
    ]


def encode(summary: EntitySummary) -> str:
    """The summary as compact JSON (what the stores keep)."""
    e = summary.entity
    return json.dumps(
        {
            "v": VERSION,
            "name": e.name,
            "label": e.label,
            "aliases": list(e.aliases),
            "types": [list(t) for t in summary.types],
            "mentions": summary.mention_count,
            "documents": summary.document_count,
            "degree": summary.degree,
            "edges": [[x.subject_key, x.predicate, x.object_key, x.support] for x in summary.edges],
            "sentences": [list(ref) for ref in summary.sentences],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(key: str, text: str) -> EntitySummary | None:
    """Read a summary written by ``encode``; None if it is of another version or unreadable."""
    try:
        raw: dict[str, Any] = json.loads(text)
        if raw.get("v") != VERSION:
            return None
        return EntitySummary(
            entity=Entity(key, raw["name"], raw["label"], tuple(raw["aliases"])),
            types=tuple((str(t), int(n)) for t, n in raw["types"]),
            mention_count=int(raw["mentions"]),
            document_count=int(raw["documents"]),
            degree=int(raw["degree"]),
            edges=tuple(Edge(s, p, o, int(n)) for s, p, o, n in raw["edges"]),
            sentences=tuple((d, int(i), s, p, o) for d, i, s, p, o in raw["sentences"]),
        )
    except (ValueError, KeyError, TypeError):
        return None  # written by something else: read live instead
