"""``build_graph``: corpus -> extraction -> entity resolution -> graph store, resumably.

A document is skipped when the store already holds it with the same content hash and the
same extractor version, so a second build of the same corpus writes nothing, a changed
document is re-extracted and replaces exactly its own facts, and a build killed mid-way
resumes where it stopped: documents are written in atomic batches, so the store never holds
half a document.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from kgfuse.corpus import count_documents, read_corpus
from kgfuse.errors import ConfigError
from kgfuse.kg.resolution import resolve
from kgfuse.kg.schema import Schema, SchemaReport
from kgfuse.kg.store import GraphStore
from kgfuse.kg.stores.checks import check_batch
from kgfuse.kg.stores.import_summaries import drop_summaries, refresh_missing
from kgfuse.kg.stores.summaries import touched_keys
from kgfuse.kg.vocabulary import SizeCounter
from kgfuse.nlp.extractor import Extractor
from kgfuse.types import Document, ResolvedDocument, content_hash

logger = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    """What a build did. ``words`` counts whitespace-separated words of extracted documents.

    ``entities``, ``facts`` and ``predicates`` count the documents written by this build the
    way ``kgfuse stats`` and the training summaries count a graph (``kg.vocabulary``);
    ``mentioned_entities`` counts keys with a mention, ``fact_records`` facts times their
    supporting sentences.
    """

    documents: int = 0
    written: int = 0
    unchanged: int = 0
    sentences: int = 0
    mentions: int = 0
    mentioned_entities: int = 0
    entities: int = 0
    facts: int = 0
    predicates: int = 0
    fact_records: int = 0
    words: int = 0
    seconds: float = 0.0
    schema: SchemaReport = field(default_factory=SchemaReport)
    _entity_keys: set[str] = field(default_factory=set, repr=False)
    _size: SizeCounter = field(default_factory=SizeCounter, repr=False)

    @property
    def words_per_second(self) -> float:
        """Extraction + write throughput over the documents written."""
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The summary as plain data (for ``--json`` and logs)."""
        return {
            "documents": self.documents,
            "written": self.written,
            "unchanged": self.unchanged,
            "sentences": self.sentences,
            "mentions": self.mentions,
            "mentioned_entities": self.mentioned_entities,
            "entities": self.entities,
            "facts": self.facts,
            "predicates": self.predicates,
            "fact_records": self.fact_records,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "words_per_second": round(self.words_per_second, 1),
            **({"schema": self.schema.as_dict()} if self.schema.kept or self.schema.pruned else {}),
        }


def build_graph(
    corpus: str | Path | Iterable[Document],
    store: GraphStore,
    *,
    extractor: Extractor,
    batch_size: int = 64,
    progress: bool = True,
    schema: Schema | None = None,
    **reader_options: Any,
) -> BuildSummary:
    """Extract a corpus into a graph store.

    Args:
        corpus: A corpus path (see ``kgfuse.corpus.read_corpus``) or documents.
        store: An open graph store.
        extractor: The NLP extractor (its version decides which documents are up to date);
            or one with ``version`` and ``resolve_many`` (``kgfuse.distributed``).
        batch_size: Documents per atomic write.
        progress: Show a progress bar.
        schema: Map predicates to canonical relations and prune facts outside it (see
            ``kg.schema``); what it did is in ``summary.schema``.
        **reader_options: ``fmt``, ``text_column``, ``id_column``, ``label_column``,
            ``strict``, ``encoding`` for ``read_corpus``.

    Returns:
        The build summary.

    Raises:
        CorpusError: The corpus cannot be read (nothing of the failing batch is written).
        StoreError: The store refused a write.
        ConfigError: ``batch_size`` is below 1.
    """
    if batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {batch_size}")
    total = None
    if isinstance(corpus, str | Path):
        total = count_documents(corpus, fmt=reader_options.get("fmt"))
        documents: Iterable[Document] = read_corpus(corpus, **reader_options)
    else:
        documents = corpus
    summary = BuildSummary()
    started = time.perf_counter()
    bar = tqdm(total=total, unit="doc", desc="build", disable=not progress, dynamic_ncols=True)
    writer = _BatchWriter(store)
    try:
        version = extractor.version + (f" schema={schema.digest}" if schema else "")
        pending = _changed_documents(documents, store, version, summary, bar, batch_size)
        batch: list[ResolvedDocument] = []
        for resolved in _resolved(extractor, pending):
            if schema is not None:
                resolved = schema.apply(resolved, summary.schema)
            batch.append(resolved)
            if len(batch) >= batch_size:
                _flush(writer, batch, summary, bar)
                batch = []
        _flush(writer, batch, summary, bar)
        writer.finish()
    finally:
        writer.close()
        bar.close()
        summary.seconds = time.perf_counter() - started
        summary.mentioned_entities = len(summary._entity_keys)
        size = summary._size.size()
        summary.entities, summary.facts, summary.predicates = (
            size.entities,
            size.facts,
            size.predicates,
        )
    logger.debug("build finished: %s", summary.as_dict())
    return summary


def _resolved(extractor: Extractor, documents: Iterable[Document]) -> Iterator[ResolvedDocument]:
    """Extracted and resolved documents, in input order.

    An extractor that resolves on its own side (``resolve_many``: the Dask extractor, whose
    workers extract and resolve) is used as it is; otherwise each extraction is resolved here.
    """
    resolve_many = getattr(extractor, "resolve_many", None)
    if resolve_many is not None:
        return resolve_many(documents)
    return (resolve(extraction) for extraction in extractor.extract_many(documents))


def _changed_documents(
    documents: Iterable[Document],
    store: GraphStore,
    version: str,
    summary: BuildSummary,
    bar: tqdm,
    batch_size: int,
) -> Iterator[Document]:
    """Yield the documents whose text or extractor differ from what the store holds."""
    chunk: list[Document] = []

    def changed() -> Iterator[Document]:
        known = store.document_versions(d.id for d in chunk)
        for doc in chunk:
            if known.get(doc.id) == (content_hash(doc.text), version):
                summary.unchanged += 1
                bar.update(1)
            else:
                yield doc
        chunk.clear()

    for doc in documents:
        summary.documents += 1
        chunk.append(doc)
        if len(chunk) >= batch_size:
            yield from changed()
    yield from changed()


class _BatchWriter:
    """Writes batches in order, on one background thread where the store allows it.

    While a batch is written, spaCy parses the next one (both release the GIL for most of
    their work). At most one batch is in flight; a failed write raises at the next call.

    Entity summaries (``kg.stores.summaries``) are dropped for what a batch touches and
    recomputed once, by ``finish``, as a bulk import does (``kg.stores.import_summaries``):
    ``GraphStore.write`` would summarise the hub entities again after every batch. A build
    killed mid-way leaves those summaries missing (read live, never stale).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        background = getattr(store, "concurrent_writes", False)
        self._pool = (
            ThreadPoolExecutor(1, thread_name_prefix="kgfuse-write") if background else None
        )
        self._pending: Future[None] | None = None
        self._defer = all(
            hasattr(store, name) for name in ("_document_keys", "_degrees", "_store_summaries")
        )
        self._touched: set[str] = set()

    def submit(self, batch: list[ResolvedDocument]) -> None:
        self.wait()
        if self._pool is None:
            self._write(batch)
        else:
            self._pending = self._pool.submit(self._write, batch)

    def _write(self, batch: list[ResolvedDocument]) -> None:
        if not self._defer:
            self.store.write(batch)
            return
        # GraphStore.write's checks and atomic round, around its per-batch summary refresh.
        check_batch(batch)
        keys = self.store._document_keys([d.document.id for d in batch])
        keys |= touched_keys(batch)
        drop_summaries(self.store, keys)
        self.store._write(batch)
        self._touched |= keys

    def finish(self) -> None:
        """Wait for the last batch, then recompute the summaries the build dropped."""
        self.wait()
        if self._touched:
            refresh_missing(self.store, self._touched)
            self._touched.clear()

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def _flush(
    writer: _BatchWriter, batch: list[ResolvedDocument], summary: BuildSummary, bar: tqdm
) -> None:
    if not batch:
        return
    writer.submit(batch)
    for resolved in batch:
        summary.written += 1
        summary.sentences += len(resolved.sentences)
        summary.mentions += len(resolved.mentions)
        summary.fact_records += len(resolved.triples)
        for t in resolved.triples:
            summary._size.add(t.subject_key, t.predicate, t.object_key)
        summary.words += len(resolved.document.text.split())
        summary._entity_keys.update(m.key for m in resolved.mentions)
    bar.update(len(batch))
    elapsed = bar.format_dict.get("elapsed") or 0.0
    if elapsed > 0:
        bar.set_postfix(words_per_s=f"{summary.words / elapsed:.0f}", refresh=False)
