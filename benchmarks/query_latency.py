"""Query latency on the MetaQA KB: entity cards, 2-hop neighbours and paths, beside a floor.

Every backend answers the same random sample of entities (and pairs of them); each row
prints the median and p95 in milliseconds beside the raw-lookup FLOOR measured in the same
run on the same keys: one query in the store's own language returning the entity's facts
(SPARQL on the embedded store, Cypher on FalkorDB). Goals (issue 13, full KB): card p50
<= 10 ms and p95 <= 30 ms, 2-hop p50 <= 50 ms, path p95 <= 200 ms including unconnected
pairs (pairs with no path within ``max_hops`` are searched to the end or to the budget).

Stores are given (``--rdf PATH``, ``--falkordb URL``: an imported KB, summaries computed
first when missing, timed) or imported from the first ``--lines`` lines of the KB::

    python -m benchmarks.query_latency --rdf .bench/metaqa/rdf --falkordb falkordb://h:p/g
    python -m benchmarks.query_latency --lines 20000 --queries 100
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from benchmarks.store_write_cypher import falkordb_url
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.importers import import_triples
from kgfuse.kg.store import GraphStore, open_store

DEFAULT_KB = Path(__file__).resolve().parents[2] / "shared" / "data" / "metaqa" / "kb.txt"
RAW_SPARQL = "SELECT ?e ?p ?o WHERE { { ?e ?p ?o } UNION { ?o ?p ?e } FILTER(STRSTARTS(STR(?p), STR(rel:))) }"  # noqa: E501
RAW_CYPHER = "MATCH (:Entity {key: $key})-[r:FACT]-(x:Entity) RETURN r.predicate AS p, x.key AS o"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def time_each(items: list, call: Callable[[object], object]) -> list[float]:  # type: ignore[type-arg]
    """Milliseconds per call, one call per item (after one warm-up call)."""
    call(items[0])
    out = []
    for item in items:
        started = time.perf_counter()
        call(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def floor(store: GraphStore) -> Callable[[object], object]:
    """The raw lookup of one entity's facts in the store's own query language."""
    if store.query_language == "sparql":
        return lambda key: store.raw_query(RAW_SPARQL, {"e": rs.entity_iri(str(key))})
    return lambda key: store.raw_query(RAW_CYPHER, {"key": key})


def row(name: str, what: str, times: list[float], base: list[float], extra: str = "") -> None:
    """Print one line: p50/p95 and their ratio to the floor's."""
    p50, p95 = statistics.median(times), percentile(times, 95)
    f50, f95 = statistics.median(base), percentile(base, 95)
    print(
        f"{name:9s} {what:22s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms | floor p50 {f50:5.1f} "
        f"p95 {f95:6.1f} ms | x{p50 / f50:5.1f} / x{p95 / f95:5.1f}{extra}",
        flush=True,
    )


def ensure_summaries(name: str, store: GraphStore, keys: list[str]) -> None:
    """Compute the store's summaries first when it has none (the upgrade path), timed."""
    if store._degrees(keys[:20]):
        return
    started = time.perf_counter()
    written = store.refresh_summaries()
    print(f"{name:9s} summaries: {written} computed in {time.perf_counter() - started:.1f} s")


def measure(name: str, store: GraphStore, keys: list[str], pairs: list[tuple[str, str]]) -> None:
    """Time cards, 2-hop neighbours and paths on ``keys``/``pairs``; print one row each."""
    ensure_summaries(name, store, keys)
    base = time_each(keys, floor(store))
    row(name, "entity card", time_each(keys, lambda k: store.entity_card(str(k))), base)
    row(name, "2-hop neighbours", time_each(keys, lambda k: store.neighbours(str(k), hops=2)), base)
    for max_hops in (4, 2):
        outcomes = {"found": 0, "none": 0, "cut": 0}

        def path(pair: object, hops: int = max_hops, tally: dict = outcomes) -> None:  # type: ignore[type-arg]
            found = store.find_path(*pair, max_hops=hops)  # type: ignore[misc]
            tally["found" if found.edges else "cut" if found.stopped else "none"] += 1

        times = time_each(pairs, path)
        tally = ", ".join(f"{k} {v}" for k, v in outcomes.items())
        row(name, f"path max_hops={max_hops}", times, base, f" | {tally}")


def sample(store: GraphStore, n: int) -> tuple[list[str], list[tuple[str, str]]]:
    """``n`` random entities and ``n`` random pairs of entities (seed 13)."""
    rng = random.Random(13)
    every = store._mentioned_keys()
    keys = rng.sample(every, min(n, len(every)))
    pairs = [tuple(rng.sample(every, 2)) for _ in range(n)]
    return keys, pairs  # type: ignore[return-value]


@contextmanager
def imported(kb: Path, lines: int, tmp: Path, url: str | None) -> Iterator[list[tuple]]:  # type: ignore[type-arg]
    """Stores holding the first ``lines`` lines of the KB: the embedded one and FalkorDB."""
    part = tmp / "kb.txt"
    with kb.open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= lines:
                break
            dst.write(line)
    with ExitStack() as stack:
        out = []
        for name, where in (("rdf", str(tmp / "rdf")), ("falkordb", None)):
            where = where or stack.enter_context(falkordb_url(url))
            store = stack.enter_context(open_store(where))
            started = time.perf_counter()
            result = import_triples(store, part, progress=None)
            took = time.perf_counter() - started
            print(f"{name:9s} import {result.triples} triples in {took:.1f} s")
            out.append((name, store))
        yield out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=DEFAULT_KB)
    parser.add_argument("--lines", type=int, default=20000, help="first N lines of the KB")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rdf", default=None, help="an embedded store holding the KB")
    parser.add_argument("--falkordb", default=None, help="falkordb:// URL (default: start one)")
    parser.add_argument("--neo4j", default=None, help="neo4j:// URL (NEO4J_USER/PASSWORD)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        if args.rdf:
            stores = [("rdf", stack.enter_context(open_store(args.rdf, create=False)))]
            if args.falkordb:
                stores.append(("falkordb", stack.enter_context(open_store(args.falkordb))))
            print(f"MetaQA KB stores given; {args.queries} random entities and pairs")
        else:
            print(f"MetaQA KB: first {args.lines} lines; {args.queries} random entities and pairs")
            stores = stack.enter_context(imported(args.kb, args.lines, Path(tmp), args.falkordb))
        if args.neo4j:
            stores.append(("neo4j", stack.enter_context(open_store(args.neo4j))))
        keys, pairs = sample(stores[0][1], args.queries)
        for name, store in stores:
            measure(name, store, keys, pairs)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
