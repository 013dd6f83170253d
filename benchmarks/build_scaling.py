"""Build scaling: ``kgfuse build`` on a Dask LocalCluster of N workers against one process.

Both arms build the same documents (the first ``--limit`` of 20NG train) into a new
embedded store with the same write batch size, in this run; the graphs must be identical by
content hash (``kgfuse.kg.digest.graph_digest``). Each arm's total wall time counts what a
user waits for: loading the spaCy pipeline (one process) or starting the cluster and loading
the pipeline on every worker (Dask), the build, and closing. The build-only time is printed
too, and the CPU seconds of all processes of the arm (driver and workers), which do not
depend on the machine's load as wall time does. Goal on a 2-core machine: 2 workers >= 1.6x
faster than 1 process (total wall time).
Measure on a quiet machine: the load average is printed before and after.

    python -m benchmarks.build_scaling --limit 2000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.build_throughput import DEFAULT_CORPUS, load_documents
from kgfuse.build import build_graph
from kgfuse.distributed import DaskExtractor, dask_client
from kgfuse.kg.digest import graph_digest
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.nlp.extractor import Extractor
from kgfuse.types import Document


@dataclass
class Arm:
    """One arm's timings (seconds) and the graph it built."""

    name: str
    total: float
    startup: float
    build: float
    cpu: float
    written: int
    digest: str


@contextmanager
def _one_process() -> Iterator[Any]:
    yield Extractor()


def _dask(workers: int, shard_size: int) -> Callable[[], AbstractContextManager[Any]]:
    @contextmanager
    def extractor() -> Iterator[Any]:
        with dask_client(workers=workers) as client:
            yield DaskExtractor(client, shard_size=shard_size)

    return extractor


def run_arm(
    name: str,
    open_extractor: Callable[[], AbstractContextManager[Any]],
    docs: list[Document],
    folder: Path,
    batch_size: int,
) -> Arm:
    """Build ``docs`` into a new store under ``folder`` with the arm's extractor."""
    started, cpu_started = time.perf_counter(), time.process_time()
    with open_extractor() as extractor, RdfStore(folder / name) as store:
        ready = time.perf_counter()
        summary = build_graph(
            docs, store, extractor=extractor, batch_size=batch_size, progress=False
        )
        built = time.perf_counter()
        # CPU seconds of the worker processes over their life (imports and model load too)
        workers_cpu = (
            sum(extractor.client.run(time.process_time).values())
            if isinstance(extractor, DaskExtractor)
            else 0.0
        )
    total = time.perf_counter() - started  # the cluster (and its workers) closed too
    cpu = time.process_time() - cpu_started + workers_cpu
    with RdfStore(folder / name) as store:
        digest = graph_digest(store)
    return Arm(name, total, ready - started, built - ready, cpu, summary.written, digest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64, help="documents per store write")
    parser.add_argument("--shard-size", type=int, default=16, help="documents per Dask task")
    args = parser.parse_args()

    docs = load_documents(args.corpus, args.limit)
    words = sum(len(d.text.split()) for d in docs)
    print(f"corpus: {args.corpus} first {len(docs)} docs, {words} words; {os.cpu_count()} CPUs")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="kgfuse-scaling-") as tmp:
        arms = [
            run_arm("one-process", _one_process, docs, Path(tmp), args.batch_size),
            run_arm(
                f"dask-{args.workers}-workers",
                _dask(args.workers, args.shard_size),
                docs,
                Path(tmp),
                args.batch_size,
            ),
        ]
    print("load average after : {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for arm in arms:
        print(
            f"{arm.name:16s}: total {arm.total:7.1f} s (start-up {arm.startup:5.1f} s, build "
            f"{arm.build:7.1f} s, {words / arm.total:6.0f} words/s), cpu {arm.cpu:7.1f} s, "
            f"{arm.written} written"
        )
    base, scaled = arms
    # On an idle machine the speed-up can reach about cpu(base) / (cpu(scaled) / CPUs).
    print(
        f"speed-up {scaled.name} / {base.name}: {base.total / scaled.total:.2f}x total wall "
        f"(goal >= 1.6), {base.build / scaled.build:.2f}x build only"
    )
    same = base.digest == scaled.digest
    print(f"graphs identical by content hash: {'yes' if same else 'NO'} ({base.digest[:16]})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
