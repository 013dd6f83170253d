"""Embedded store write rate (quads/s) against ``pyoxigraph.Store.bulk_load`` of the same quads.

The documents are extracted and resolved once, up front; then the same quads are written by
``RdfStore.write`` (transactional batches, replace semantics) and by ``bulk_load`` of their
N-Quads serialisation into an empty store.

    python -m benchmarks.store_write_rdf --limit 500
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.build_throughput import DEFAULT_CORPUS, load_documents
from kgfuse.kg.rdf_schema import document_quads
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.resolution import resolve
from kgfuse.nlp.extractor import Extractor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--write-batch", type=int, default=64)
    args = parser.parse_args()

    docs = load_documents(args.corpus, args.limit)
    resolved = [resolve(e) for e in Extractor().extract_many(docs)]
    quads = [q for r in resolved for q in document_quads(r)]
    print(f"{len(resolved)} documents -> {len(quads)} quads")

    with tempfile.TemporaryDirectory() as tmp:
        with RdfStore(Path(tmp) / "store") as store:
            started = time.perf_counter()
            for start in range(0, len(resolved), args.write_batch):
                store.write(resolved[start : start + args.write_batch])
            store.ox.flush()
            store_seconds = time.perf_counter() - started

        buffer = io.BytesIO()
        ox.serialize(quads, buffer, ox.RdfFormat.N_QUADS)
        data = buffer.getvalue()
        bulk = ox.Store(str(Path(tmp) / "bulk"))
        started = time.perf_counter()
        bulk.bulk_load(data, ox.RdfFormat.N_QUADS)
        bulk.flush()
        bulk_seconds = time.perf_counter() - started
        assert len(bulk) == len(set(quads))

    store_rate, bulk_rate = len(quads) / store_seconds, len(quads) / bulk_seconds
    print(f"RdfStore.write (incl. quad building): {store_rate:10.0f} quads/s")
    print(f"pyoxigraph bulk_load (N-Quads)      : {bulk_rate:10.0f} quads/s")
    print(f"ratio write / bulk_load             : {store_rate / bulk_rate:.2f}")


if __name__ == "__main__":
    main()
