"""What a backend implements: the private primitives the ``GraphStore`` contract is built on.

A backend subclasses ``GraphStore`` and implements these; the public methods in ``base``
validate input and compose them, so backends never repeat the graph algorithms.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any

from kgfuse.kg.stores.forms import SurfaceForm
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

    @abstractmethod
    def _iter_edges(self) -> Iterator[Edge]: ...

    @abstractmethod
    def _iter_triples(self) -> Iterator[Triple]: ...

    @abstractmethod
    def _raw_query(
        self, query: str, params: dict[str, Any], *, allow_write: bool, allow_network: bool
    ) -> list[dict[str, Any]]: ...
