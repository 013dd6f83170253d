"""What a backend implements: the private primitives the ``GraphStore`` contract is built on.

A backend subclasses ``GraphStore`` and implements these; the public methods in ``base``
validate input and compose them, so backends never repeat the graph algorithms.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kgfuse.kg.stores.forms import SurfaceForm
from kgfuse.kg.stores.summaries import EntitySummary, FactRow
from kgfuse.types import Edge, GraphStats, ResolvedDocument, SupportingSentence, Triple


class StorePrimitives(ABC):
    """The backend interface of a graph store (every method here is abstract)."""

    @abstractmethod
    def _write(self, documents: Sequence[ResolvedDocument]) -> None: ...

    @abstractmethod
    def _delete_document(self, doc_id: str) -> bool: ...

    @abstractmethod
    def _document_versions(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...

    @abstractmethod
    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]:
        """``{key: [(surface, label, count), ...]}`` for the keys that have mentions."""

    @abstractmethod
    def _keys_for_normalized(self, norm: str) -> list[tuple[str, str]]:
        """``(key, surface)`` for mentions whose normalised surface equals ``norm``."""

    @abstractmethod
    def _search_normalized(self, fragment: str, limit: int) -> list[tuple[str, str]]:
        """``(key, surface)`` for mentions whose normalised surface contains ``fragment``
        (or starts with it), at most ``limit`` rows."""

    @abstractmethod
    def _adjacent(self, keys: Sequence[str]) -> list[Edge]:
        """Aggregated edges with at least one end in ``keys``."""

    @abstractmethod
    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]:
        """``([(label, count)] most frequent first, mention count, document count)``."""

    @abstractmethod
    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]:
        """Sentences supporting facts about ``key``, ordered by (doc_id, sentence_index)."""

    @abstractmethod
    def _stats(self, top: int) -> GraphStats: ...

    # ------------------------------------------------------------------ large-graph reads
    @abstractmethod
    def _links(self, keys: Sequence[str]) -> list[tuple[str, str, str]]:
        """Distinct ``(s, p, o)`` with at least one end in ``keys`` (no support counted)."""

    @abstractmethod
    def _edge_support(
        self, spos: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], int]:
        """Support of each given ``(s, p, o)`` that exists."""

    @abstractmethod
    def _document_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """``{key: documents mentioning it}`` for the keys that have mentions."""

    @abstractmethod
    def _fact_rows(self, keys: Sequence[str]) -> Iterable[FactRow]:
        """``(key, s, p, o, doc_id, sentence index)`` of every fact record touching a key."""

    @abstractmethod
    def _sentence_texts(self, sentences: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """``{(doc_id, index): text}`` of the given sentences that exist."""

    @abstractmethod
    def _document_keys(self, doc_ids: Sequence[str]) -> set[str]:
        """Entity keys the stored versions of the documents mention or relate."""

    @abstractmethod
    def _mentioned_keys(self) -> list[str]:
        """Every entity key with a mention (every entity), sorted."""

    @abstractmethod
    def _degrees(self, keys: Sequence[str]) -> dict[str, int]:
        """``{key: degree}`` from the stored summaries of those keys that have one."""

    @abstractmethod
    def _read_summaries(self, keys: Sequence[str]) -> dict[str, EntitySummary]:
        """The stored summaries of those keys that have a readable one."""

    @abstractmethod
    def _store_summaries(self, summaries: dict[str, EntitySummary | None]) -> None:
        """Write summaries; a None value removes the key's summary."""

    @abstractmethod
    def _iter_edges(self) -> Iterator[Edge]: ...

    @abstractmethod
    def _iter_triples(self) -> Iterator[Triple]: ...

    @abstractmethod
    def _raw_query(
        self, query: str, params: dict[str, Any], *, allow_write: bool, allow_network: bool
    ) -> list[dict[str, Any]]: ...
