"""``DaskExtractor``: the driver's side of a distributed build.

The driver reads the corpus and decides what changed exactly as a one-process build does
(``kgfuse.build``), cuts the changed documents into shards, and keeps a bounded number of
shards running on the workers. Results come back in submission order, so the one writer
(``build_graph``'s batch writer, in this process) commits the same batches in the same order
as a one-process build, and the graph is the same. A worker that dies is Dask's to handle: its
shard runs again elsewhere, up to the scheduler's ``allowed-failures``; past that the build
stops with ``WorkerLostError`` and a rerun resumes from the last committed batch.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kgfuse.distributed.worker import ExtractorSpec, ShardResult, extract_shard, worker_version
from kgfuse.errors import (
    ConfigError,
    DistributedError,
    ExtractorMismatchError,
    WorkerLostError,
    brief,
)
from kgfuse.types import Document, ResolvedDocument

if TYPE_CHECKING:
    from distributed import Client, Future

logger = logging.getLogger(__name__)


class DaskExtractor:
    """Extracts and resolves documents on a Dask cluster, in input order.

    Pass it to ``kgfuse.build.build_graph`` as the extractor. On creation every worker loads
    the pipeline and reports its extractor version; they must agree.

    Args:
        client: A connected client (see ``dask_client``).
        spec: How each worker builds its extractor.
        shard_size: Documents per task (a few seconds of parsing each).
        in_flight: Shards submitted ahead of the writer; default twice the worker threads,
            so no worker waits while the driver's memory stays bounded.

    Raises:
        ConfigError: ``shard_size`` or ``in_flight`` is below 1.
        ExtractorMismatchError: Workers report different extractor or model versions.
        ExtractionError: A worker cannot load the pipeline.
    """

    def __init__(
        self,
        client: Client,
        spec: ExtractorSpec | None = None,
        *,
        shard_size: int = 16,
        in_flight: int | None = None,
    ) -> None:
        if shard_size < 1 or (in_flight is not None and in_flight < 1):
            raise ConfigError(
                f"shard size and shards in flight must be at least 1, got {shard_size} "
                f"and {in_flight}"
            )
        self.client = client
        self.spec = spec or ExtractorSpec()
        self.shard_size = shard_size
        self.version = self._agreed_version()
        nthreads = self.client.nthreads()
        if any(n > 1 for n in nthreads.values()):
            logger.warning(
                "Dask workers with several threads parse one shard at a time (a spaCy pipeline "
                "is not thread-safe); start workers with --nthreads 1 and more processes"
            )
        self.in_flight = in_flight or 2 * max(sum(nthreads.values()), 1)

    def _agreed_version(self) -> str:
        versions: dict[str, str] = self.client.run(worker_version, self.spec)
        if not versions:
            raise DistributedError("the Dask cluster has no workers; start some with dask worker")
        distinct = sorted(set(versions.values()))
        if len(distinct) > 1:
            by_version = {v: sorted(a for a, w in versions.items() if w == v) for v in distinct}
            raise ExtractorMismatchError(
                "workers run different extractor versions: "
                + "; ".join(f"{v!r} on {', '.join(a)}" for v, a in by_version.items())
                + "; expected one version on every worker: install the same kgfuse and spaCy "
                "model everywhere"
            )
        return distinct[0]

    def resolve_many(self, documents: Iterable[Document]) -> Iterator[ResolvedDocument]:
        """Extract and resolve ``documents`` on the workers; yield them in input order.

        Raises:
            WorkerLostError: Workers died running one shard more often than the scheduler
                allows (``distributed.scheduler.allowed-failures``).
            ExtractorMismatchError: A worker that joined later runs another version.
            DistributedError: The connection to the scheduler was lost.
        """
        run = uuid.uuid4().hex[:8]
        window: deque[Future] = deque()
        try:
            for number, shard in enumerate(_shards(documents, self.shard_size)):
                key = f"kgfuse-shard-{run}-{number}"
                window.append(self.client.submit(extract_shard, shard, self.spec, key=key))
                if len(window) >= self.in_flight:
                    yield from self._collect(window.popleft())
            while window:
                yield from self._collect(window.popleft())
        finally:
            for future in window:  # stopped early (a failed write, an interrupt)
                future.cancel()

    def _collect(self, future: Future) -> list[ResolvedDocument]:
        from distributed import KilledWorker
        from distributed.comm import CommClosedError

        try:
            result: ShardResult = future.result()
        except KilledWorker as err:
            raise WorkerLostError(
                f"workers died running shard {future.key} ({brief(err, 160)}); the batches "
                "written so far are kept: rerun the same command to resume"
            ) from err
        except CommClosedError as err:
            raise DistributedError(
                f"lost the connection to the Dask scheduler ({brief(err, 160)}); "
                "rerun the same command to resume"
            ) from err
        if result.version != self.version:
            raise ExtractorMismatchError(
                f"a worker produced shard {future.key} with extractor {result.version!r}, the "
                f"others {self.version!r}; expected one version on every worker"
            )
        return result.documents


def _shards(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while shard := list(itertools.islice(iterator, size)):
        yield shard
