"""Build scaling: ``kgfuse build --workers N`` (Dask LocalCluster) against one process.

Both arms run the real command (``python -m kgfuse.cli.main build``) as a subprocess, in this
run, on the same documents (the first ``--limit`` of 20NG train, written to one JSONL file),
into a new embedded store with the same write batch size; the graphs must be identical by
content hash (``kgfuse.kg.digest.graph_digest``). The total wall time is what a user waits
for: imports, loading the spaCy pipeline (one process) or starting the cluster and loading the
pipeline on every worker (Dask), the build, and closing. The build-only time (the summary's
``seconds``) and the CPU seconds of each arm's processes (driver and workers; stable where the
wall time depends on the machine's load) are printed too. Goal on a 2-core machine: 2 workers
>= 1.6x faster than 1 process (total wall time). Measure on a quiet machine: the load average
is printed before and after.

    python -m benchmarks.build_scaling --limit 2000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from benchmarks.build_throughput import DEFAULT_CORPUS
from kgfuse.kg.digest import graph_digest
from kgfuse.kg.rdf_store import RdfStore


@dataclass
class Arm:
    """One arm's timings (seconds) and the graph it built."""

    name: str
    total: float
    build: float
    cpu: float
    written: int
    digest: str


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_arm(name: str, corpus: Path, store: Path, batch_size: int, workers: int | None) -> Arm:
    """Run ``kgfuse build`` on ``corpus`` into the new ``store`` (on ``workers`` if given)."""
    command = [sys.executable, "-m", "kgfuse.cli.main", "build", str(corpus)]
    command += ["--store", str(store), "--batch-size", str(batch_size), "--no-progress", "--json"]
    if workers:
        command += ["--workers", str(workers)]
    started, cpu_started = time.perf_counter(), _children_cpu()
    # Worker processes are the command's children: their CPU reaches us when it waits for them.
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    total, cpu = time.perf_counter() - started, _children_cpu() - cpu_started
    summary = json.loads(done.stdout)
    with RdfStore(store) as graph:
        digest = graph_digest(graph)
    return Arm(name, total, summary["seconds"], cpu, summary["written"], digest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64, help="documents per store write")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kgfuse-scaling-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as source:
            corpus.write_text("".join(islice(source, args.limit)), encoding="utf-8")
        lines = corpus.read_text(encoding="utf-8").splitlines()
        words = sum(len(json.loads(line)["text"].split()) for line in lines)
        print(f"corpus: first {len(lines)} docs of {args.corpus}, {words} words")
        print(f"{os.cpu_count()} CPUs; load average before: {_load()}")
        arms = [
            run_arm("one-process", corpus, Path(tmp) / "one", args.batch_size, None),
            run_arm(
                f"dask-{args.workers}-workers",
                corpus,
                Path(tmp) / "dask",
                args.batch_size,
                args.workers,
            ),
        ]
        print(f"load average after : {_load()}")
    for arm in arms:
        print(
            f"{arm.name:16s}: total {arm.total:7.1f} s ({words / arm.total:5.0f} words/s), "
            f"build {arm.build:7.1f} s, cpu {arm.cpu:7.1f} s, {arm.written} written"
        )
    base, scaled = arms
    print(
        f"speed-up {scaled.name} / {base.name}: {base.total / scaled.total:.2f}x total wall "
        f"(goal >= 1.6), {base.build / scaled.build:.2f}x build only"
    )
    same = base.digest == scaled.digest
    print(f"graphs identical by content hash: {'yes' if same else 'NO'} ({base.digest[:16]})")
    if not same:
        sys.exit(1)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
