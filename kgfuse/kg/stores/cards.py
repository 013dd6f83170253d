"""The entity card, from the entity's precomputed summary when it has one (bounded cost on hubs).

With a summary, a card is a handful of key lookups whatever the entity's degree: its own
summary (name, types, counts, true degree, top edges, first sentence ids), the summaries of
the neighbours it shows (their names: no scan of a hub's mentions), and the texts of the
sentences it shows. Without one (a store built before summaries, or a write in progress)
the card is computed live, as before, and still names the neighbours from their summaries
where they exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from kgfuse.kg.stores import summaries
from kgfuse.kg.stores.checks import storable_key
from kgfuse.kg.stores.order import edge_order
from kgfuse.kg.stores.summaries import EntitySummary, SummarySource
from kgfuse.types import Edge, Entity, EntityCard, SupportingSentence


class CardSource(SummarySource, Protocol):
    """What a card reads: a ``GraphStore``."""

    def entity(self, key: str) -> Entity: ...

    def entities(self, keys: Iterable[str]) -> dict[str, Entity]: ...

    def adjacent_edges(self, keys: Iterable[str]) -> list[Edge]: ...

    def _read_summaries(self, keys: Sequence[str]) -> dict[str, EntitySummary]: ...

    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]: ...

    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]: ...


def entity_card(store: CardSource, key: str, *, neighbours: int, sentences: int) -> EntityCard:
    """Return the card of ``key`` (see ``GraphStore.entity_card``).

    Raises:
        EntityNotFoundError: No entity has this key.
    """
    summary = store._read_summaries([key]).get(key) if storable_key(key) else None
    if summary is None:
        return _live_card(store, key, neighbours=neighbours, sentences=sentences)
    if neighbours <= summaries.TOP_EDGES or summary.degree <= len(summary.edges):
        edges = list(summary.edges[: max(neighbours, 0)])
    else:  # more than the summary keeps: read them live
        edges = _top_edges(store, key, neighbours)
    if sentences <= summaries.TOP_SENTENCES or len(summary.sentences) < summaries.TOP_SENTENCES:
        support = summaries.with_texts(store, summary.sentences[: max(sentences, 0)])
    else:
        support = store._supporting_sentences(key, sentences)
    return EntityCard(
        summary.entity,
        summary.types,
        summary.mention_count,
        summary.document_count,
        _with_others(store, key, edges),
        tuple(support),
        degree=summary.degree,
    )


def _live_card(store: CardSource, key: str, *, neighbours: int, sentences: int) -> EntityCard:
    entity = store.entity(key)
    types, mention_count, document_count = store._mention_stats(key)
    every = store.adjacent_edges([key])
    edges = _ranked(every)[: max(neighbours, 0)]
    support = tuple(store._supporting_sentences(key, sentences)) if sentences > 0 else ()
    return EntityCard(
        entity,
        tuple(types),
        mention_count,
        document_count,
        _with_others(store, key, edges),
        support,
        degree=len(every),
    )


def _top_edges(store: CardSource, key: str, n: int) -> list[Edge]:
    return _ranked(store.adjacent_edges([key]))[:n]


def _ranked(edges: list[Edge]) -> list[Edge]:
    return sorted(edges, key=lambda e: (-e.support, edge_order(e)))


def _with_others(store: CardSource, key: str, edges: list[Edge]) -> tuple[tuple[Edge, Entity], ...]:
    other_keys = [e.object_key if e.subject_key == key else e.subject_key for e in edges]
    others = store.entities(other_keys)
    return tuple((e, others[k]) for e, k in zip(edges, other_keys, strict=True) if k in others)
