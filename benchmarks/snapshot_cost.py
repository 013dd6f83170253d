"""Cost of publishing read snapshots on embedded-store writes (issue 14, finding 7).

The same resolved documents are written in small batches (the worst case: many commits)
into fresh stores: without snapshots (the baseline), with the default publication policy
(at most one snapshot per ``KGFUSE_SNAPSHOT_SECONDS``, 1 s), and with a snapshot after every
batch. Prints each arm's seconds and its ratio to the baseline, measured in the same run.

    python -m benchmarks.snapshot_cost --limit 300 --write-batch 8
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.build_throughput import DEFAULT_CORPUS, load_documents
from kgfuse.kg.resolution import resolve
from kgfuse.kg.stores.rdf import RdfStore
from kgfuse.nlp.extractor import Extractor


def _write(path: Path, resolved: list, batch: int, interval: float | None) -> tuple[float, int]:
    with RdfStore(path) as store:
        if interval is None:
            store._publisher = None  # the baseline: no snapshots at all
        else:
            assert store._publisher is not None
            store._publisher.interval = interval
        started = time.perf_counter()
        for start in range(0, len(resolved), batch):
            store.write(resolved[start : start + batch])
        store.ox.flush()
        seconds = time.perf_counter() - started
        published = len(list((path / "snapshots").glob("[0-9]*")))
        assert interval is None or published == 1
    return seconds, len(range(0, len(resolved), batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--write-batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    resolved = [
        resolve(e) for e in Extractor().extract_many(load_documents(args.corpus, args.limit))
    ]
    arms = {"no snapshots": None, "default (<= 1 per 1 s)": 1.0, "every batch": 0.0}
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):  # interleaved rounds, best of each: a shared machine
            for i, (name, interval) in enumerate(arms.items()):
                seconds, batches = _write(
                    Path(tmp) / f"{r}-{i}", resolved, args.write_batch, interval
                )
                best[name] = min(best.get(name, float("inf")), seconds)
    print(f"{len(resolved)} documents in {batches} batches of {args.write_batch}")
    for name, seconds in best.items():
        ratio = seconds / best["no snapshots"]
        print(f"{name:24}: {seconds:7.2f} s  ratio to no snapshots {ratio:.2f}")


if __name__ == "__main__":
    main()
