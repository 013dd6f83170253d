"""The sort orders of the store contract, shared so that every backend answers alike."""

from __future__ import annotations

from typing import Any

from kgfuse.types import Edge, SupportingSentence, Triple


def edge_order(edge: Edge) -> tuple[str, str, str]:
    """Sort key of an edge: ``(subject, predicate, object)``."""
    return (edge.subject_key, edge.predicate, edge.object_key)


def triple_order(triple: Triple) -> tuple[Any, ...]:
    """Sort key of a fact record: its ``(s, p, o)`` then every provenance field."""
    p = triple.provenance
    return (triple.subject_key, triple.predicate, triple.object_key, p.doc_id,
            p.sentence_index, p.char_start, p.char_end, p.extractor)  # fmt: skip


def sentence_order(sentence: SupportingSentence) -> tuple[Any, ...]:
    """Sort key of a supporting sentence: document, sentence index, then the fact."""
    s = sentence
    return (s.doc_id, s.sentence_index, s.subject_key, s.predicate, s.object_key, s.text)


def by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Sort key of a ``(name, count)`` pair: most frequent first, then by name."""
    return (-item[1], item[0])
