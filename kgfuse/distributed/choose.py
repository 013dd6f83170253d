"""``open_extractor``: the build's extractor, in this process or on a Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kgfuse.distributed.cluster import dask_client


@contextmanager
def open_extractor(
    model: str | None = None,
    *,
    cooccurrence: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[Any]:
    """An ``Extractor`` in this process, or a ``DaskExtractor`` when a cluster is asked for.

    Args:
        model: spaCy pipeline name or path (on every worker for a cluster).
        cooccurrence: Add sentence co-occurrence edges.
        workers: Extract on a local Dask cluster of this many worker processes.
        scheduler: Extract on the running Dask cluster at this address.

    Yields:
        An extractor for ``kgfuse.build.build_graph``; a cluster started here stops on exit.

    Raises:
        ConfigError, SchedulerUnreachableError, ExtractorMismatchError, ExtractionError: See
            ``dask_client`` and ``DaskExtractor``.
    """
    if workers is None and scheduler is None:
        from kgfuse.nlp.extractor import Extractor

        yield Extractor(model, cooccurrence=cooccurrence)
        return
    from kgfuse.distributed.driver import DaskExtractor
    from kgfuse.distributed.worker import ExtractorSpec

    with dask_client(workers=workers, scheduler=scheduler) as client:
        yield DaskExtractor(client, ExtractorSpec(model, cooccurrence=cooccurrence))
