"""Query latency (median, p95) of entity cards and 2-hop neighbours on the imported MetaQA KB.

Imports the first ``--lines`` lines of ``metaqa/kb.txt`` into each backend (the embedded
Oxigraph store, and a FalkorDB server started for the run or given by ``--falkordb``; Neo4j
when ``--neo4j`` is given), then times ``entity_card`` and ``neighbours(hops=2)`` for the same
random sample of entities on every backend.

    python -m benchmarks.query_latency --lines 20000 --queries 100
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.store_write_cypher import falkordb_url
from kgfuse.kg.importers import import_triples
from kgfuse.kg.store import GraphStore, open_store

DEFAULT_KB = Path(__file__).resolve().parents[2] / "shared" / "data" / "metaqa" / "kb.txt"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def time_each(keys: list[str], call: Callable[[str], object]) -> list[float]:
    """Milliseconds per call, one call per key (after one warm-up call)."""
    call(keys[0])
    out = []
    for key in keys:
        started = time.perf_counter()
        call(key)
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(name: str, store: GraphStore, kb: Path, keys: list[str] | None, n: int) -> list[str]:
    """Import the KB into ``store``, time the queries, print a row; return the sampled keys."""
    started = time.perf_counter()
    result = import_triples(store, kb)
    import_seconds = time.perf_counter() - started
    if keys is None:
        edges = list(store.iter_edges())
        candidates = sorted({e.subject_key for e in edges})
        keys = random.Random(13).sample(candidates, min(n, len(candidates)))
    cards = time_each(keys, lambda k: store.entity_card(k))
    hops = time_each(keys, lambda k: store.neighbours(k, hops=2, limit=100))
    print(
        f"{name:9s} import {result.triples} triples in {import_seconds:6.1f} s "
        f"({result.triples / import_seconds:7.0f}/s) | entity card median "
        f"{statistics.median(cards):6.1f} ms p95 {percentile(cards, 95):6.1f} ms | "
        f"2-hop median {statistics.median(hops):6.1f} ms p95 {percentile(hops, 95):6.1f} ms"
    )
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=DEFAULT_KB)
    parser.add_argument("--lines", type=int, default=20000, help="first N lines of the KB")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--falkordb", default=None, help="falkordb:// URL (default: start one)")
    parser.add_argument("--neo4j", default=None, help="neo4j:// URL (NEO4J_USER/PASSWORD)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb.txt"
        with args.kb.open(encoding="utf-8") as src, kb.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= args.lines:
                    break
                dst.write(line)
        print(f"MetaQA KB: first {args.lines} lines, {args.queries} sampled subject entities")
        with open_store(str(Path(tmp) / "rdf")) as store:
            keys = measure("rdf", store, kb, None, args.queries)
        with falkordb_url(args.falkordb) as url, open_store(url) as store:
            measure("falkordb", store, kb, keys, args.queries)
        if args.neo4j:
            with open_store(args.neo4j) as store:
                measure("neo4j", store, kb, keys, args.queries)


if __name__ == "__main__":
    main()
