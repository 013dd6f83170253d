"""What runs on a Dask worker: one extractor per process, and the task that extracts a shard.

A worker process loads the spaCy pipeline the first time it needs it (for the start-up
version check, or its first shard) and keeps it for every later shard; a process that joins
the cluster later, or replaces a killed one, does the same. Every shard result says which
extractor version produced it, so the driver can refuse a mixed cluster.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgfuse.kg.resolution import resolve
from kgfuse.types import Document, ResolvedDocument

if TYPE_CHECKING:  # spaCy loads only where extraction runs, not on the driver
    from kgfuse.nlp.extractor import Extractor


@dataclass(frozen=True)
class ExtractorSpec:
    """How to build the extractor on a worker (the arguments of ``Extractor``).

    Args:
        model: spaCy pipeline name or path, as the worker machines know it; None for the
            default ``en_core_web_sm`` (or its offline copy).
        cooccurrence: Add sentence co-occurrence edges.
        concepts: Add concept (noun phrase) mentions.
        coreference: Resolve pronouns and descriptions to earlier mentions.
        batch_size: Texts per ``nlp.pipe`` batch on the worker.
    """

    model: str | None = None
    cooccurrence: bool = False
    concepts: bool = True
    coreference: bool = True
    batch_size: int = 64

    def build(self) -> Extractor:
        """Load the pipeline and return the extractor (slow: seconds).

        Raises:
            ExtractionError: The pipeline cannot be loaded on this machine.
        """
        from kgfuse.nlp.extractor import Extractor

        return Extractor(
            self.model,
            cooccurrence=self.cooccurrence,
            concepts=self.concepts,
            coreference=self.coreference,
            batch_size=self.batch_size,
        )


@dataclass(frozen=True)
class ShardResult:
    """A shard's resolved documents (in input order) and the extractor version that made them."""

    version: str
    documents: list[ResolvedDocument]


_extractors: dict[ExtractorSpec, Extractor] = {}
# The version check (``Client.run``) and tasks can reach the cache from different threads.
_lock = threading.Lock()
# A spaCy pipeline is not thread-safe (its string store grows while it parses): on a worker
# started with several threads, its shards take turns (one thread per process is the setup).
_parse_lock = threading.Lock()


def worker_extractor(spec: ExtractorSpec) -> Extractor:
    """This process's extractor for ``spec``, loaded on first use and kept."""
    with _lock:
        extractor = _extractors.get(spec)
        if extractor is None:
            extractor = _extractors[spec] = spec.build()
        return extractor


def worker_version(spec: ExtractorSpec) -> str:
    """The extractor version this process produces (loads the pipeline; run on each worker)."""
    return worker_extractor(spec).version


def extract_shard(documents: Sequence[Document], spec: ExtractorSpec) -> ShardResult:
    """Extract and resolve a shard of documents (the Dask task).

    Args:
        documents: The shard, in corpus order.
        spec: How to build the extractor (cached per worker process).

    Returns:
        One resolved document per input document, in the same order, with the version.
    """
    extractor = worker_extractor(spec)
    with _parse_lock:
        resolved = [resolve(extraction) for extraction in extractor.extract_many(documents)]
    return ShardResult(extractor.version, resolved)
