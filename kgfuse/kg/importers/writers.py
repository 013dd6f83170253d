"""Where an import's chunks go: the store's bulk path when it has one, else whole documents.

``chunk_writer`` picks the writer. The embedded store's bulk writer (``rdf.bulk``) stores a
chunk in compact form (``kgfuse.kg.importers.chunks``: its lines as one literal, one quad
per fact) in one atomic load with its version marker. The Cypher stores' bulk path writes a
chunk as one document through ``GraphStore.write`` (one atomic, count-checked round) with
one mention per distinct name of the chunk; the document path (``bulk=False``) writes a
sentence, two mentions and a fact record per line.
"""

from __future__ import annotations

import logging
from typing import Protocol

from kgfuse.errors import CorpusError
from kgfuse.kg.importers.chunks import (
    BULK_CHUNK_LINES,
    CYPHER_CHUNK_LINES,
    DOCUMENT_CHUNK_LINES,
    ImportChunk,
    Name,
)
from kgfuse.kg.importers.documents import statements_to_documents
from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.checks import check_batch
from kgfuse.kg.stores.import_summaries import drop_summaries, refresh_missing

logger = logging.getLogger(__name__)


class ChunkWriter(Protocol):
    """Writes the chunks of one import file (see ``import_triples``)."""

    #: Lines per chunk of this import.
    chunk_size: int

    def version(self, doc_id: str) -> tuple[str, str] | None:
        """``(content hash, extractor)`` of the stored chunk, or None when it is absent."""

    def write(self, chunk: ImportChunk) -> None:
        """Replace the stored chunk by this one, atomically (its marker included)."""

    def finish(self, names: set[Name]) -> None:
        """End a complete import whose chunks use exactly ``names``."""


class DocumentWriter:
    """The document path: each chunk becomes one ``ResolvedDocument`` written by ``write``.

    Args:
        store: Any store.
        name: File name used in the chunk ids.
        label: Mention label of names without one.
        merge_names: Whether names are keyed text-style.
        compact: One mention per distinct name of a chunk instead of two per line, and
            the entity summaries recomputed once at the end of the import instead of after
            every chunk (``kgfuse.kg.stores.import_summaries``).
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        name: str,
        chunk_size: int,
        label: str,
        merge_names: bool,
        compact: bool = False,
    ) -> None:
        self.store, self.name, self.label, self.merge_names = store, name, label, merge_names
        self.chunk_size, self.compact = chunk_size, compact
        self._touched: set[str] = set()

    def version(self, doc_id: str) -> tuple[str, str] | None:
        """See ``ChunkWriter.version``."""
        return self.store.document_versions([doc_id]).get(doc_id)

    def write(self, chunk: ImportChunk) -> None:
        """See ``ChunkWriter.write``."""
        ((_, doc),) = statements_to_documents(
            chunk.statements,
            name=self.name,
            source=chunk.source,
            chunk_size=self.chunk_size,  # the same cut: one document, the chunk's id
            label=self.label,
            extractor=chunk.extractor,
            merge_names=self.merge_names,
            compact=self.compact,
        )
        if not self.compact or getattr(self.store, "_document_keys", None) is None:
            self.store.write([doc])
            return
        # Around GraphStore.write: the same checks and the same atomic round, summaries
        # dropped first (never stale) and recomputed once by finish.
        check_batch([doc])
        keys = self.store._document_keys([doc.document.id]) | chunk.keys
        drop_summaries(self.store, keys)
        self.store._write([doc])
        self._touched |= keys

    def finish(self, names: set[Name]) -> None:
        """Recompute the entity summaries the import left missing (compact path)."""
        if self.compact:
            refresh_missing(self.store, self._touched | {key for key, _, _ in names})


def chunk_writer(
    store: GraphStore,
    *,
    name: str,
    chunk_size: int | None,
    label: str,
    merge_names: bool,
    bulk: bool | None,
) -> ChunkWriter:
    """Return the writer of an import into ``store``.

    Args:
        store: The open store.
        name: File name used in the chunk ids.
        chunk_size: Lines per chunk; None: the writer's default.
        label: Mention label of names without one.
        merge_names: Whether names are keyed text-style.
        bulk: True: the bulk path (error if the store has none); False: the document
            path; None: the bulk path where the store has one.

    Raises:
        CorpusError: ``bulk`` is True and the store has no bulk path.
    """
    if bulk is not False:
        from kgfuse.kg.stores.rdf.store import RdfStore

        if isinstance(store, RdfStore):
            from kgfuse.kg.stores.rdf.bulk import RdfChunkWriter

            return RdfChunkWriter(store, name=name, chunk_size=chunk_size or BULK_CHUNK_LINES)
        from kgfuse.kg.stores.cypher.store import CypherStore

        if isinstance(store, CypherStore):
            # The Cypher bulk path: a chunk is still one document written by one atomic,
            # count-checked round (its Document node is the marker), but with one mention
            # per distinct name of the chunk instead of two per line.
            return DocumentWriter(
                store,
                name=name,
                chunk_size=chunk_size or CYPHER_CHUNK_LINES,
                label=label,
                merge_names=merge_names,
                compact=True,
            )
        if bulk:
            raise CorpusError(
                f"the store {store.url or type(store).__name__} has no bulk import path; "
                "bulk import works on the embedded store and FalkorDB (drop --bulk)"
            )
    return DocumentWriter(
        store,
        name=name,
        chunk_size=chunk_size or DOCUMENT_CHUNK_LINES,
        label=label,
        merge_names=merge_names,
    )
