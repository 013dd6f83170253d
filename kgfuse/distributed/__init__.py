"""Distributed extraction on Dask: workers extract and resolve shards, the driver writes.

Needs the ``distributed`` extra (``pip install 'kgfuse[distributed]'``). Names load on use,
so importing this package pulls in neither Dask nor spaCy.
"""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

__all__ = ["DaskExtractor", "ExtractorSpec", "dask_client", "open_extractor"]

__getattr__ = lazy_exports(
    __name__,
    {
        "DaskExtractor": "kgfuse.distributed.driver",
        "ExtractorSpec": "kgfuse.distributed.worker",
        "dask_client": "kgfuse.distributed.cluster",
        "open_extractor": "kgfuse.distributed.choose",
    },
)
