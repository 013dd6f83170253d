"""Build throughput (extraction + resolution + store write) against raw ``nlp.pipe``.

Both arms run in this process, on the same texts, with the same spaCy pipeline and batch
size; words are whitespace-separated tokens. The goal is a ratio of at least 0.9. Both wall
time and process CPU time are reported: on a shared machine the CPU-time ratio is the stable
one, the wall-time ratio is what a user sees on an idle machine.

    python benchmarks/build_throughput.py --limit 2000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from itertools import islice
from pathlib import Path

from kgfuse.build import build_graph
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.nlp.extractor import Extractor
from kgfuse.nlp.model import load_nlp
from kgfuse.types import Document

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "20ng" / "train.jsonl"


def load_documents(path: Path, limit: int) -> list[Document]:
    """First ``limit`` records of a JSONL corpus as documents."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in islice(handle, limit)]
    return [Document(str(r["id"]), r["text"]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size")
    parser.add_argument("--write-batch", type=int, default=64, help="documents per store write")
    args = parser.parse_args()

    docs = load_documents(args.corpus, args.limit)
    words = sum(len(d.text.split()) for d in docs)
    nlp = load_nlp()
    extractor = Extractor(nlp, batch_size=args.batch_size)
    # warm-up so neither arm pays first-call costs
    list(nlp.pipe([d.text for d in docs[:20]], batch_size=args.batch_size))

    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in nlp.pipe((d.text for d in docs), batch_size=args.batch_size):
        pass
    raw_seconds = time.perf_counter() - started
    raw_cpu = time.process_time() - cpu_started

    with tempfile.TemporaryDirectory() as tmp, RdfStore(Path(tmp) / "g") as store:
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = build_graph(
            docs, store, extractor=extractor, batch_size=args.write_batch, progress=False
        )
        build_seconds = time.perf_counter() - started
        build_cpu = time.process_time() - cpu_started
        stats = store.stats(top=0)

    raw_rate, build_rate = words / raw_seconds, words / build_seconds
    print(f"corpus: {args.corpus} first {len(docs)} docs, {words} words")
    print(f"raw nlp.pipe      : {raw_seconds:8.1f} s  {raw_rate:8.0f} words/s  cpu {raw_cpu:.1f} s")
    print(
        f"kgfuse build      : {build_seconds:8.1f} s  {build_rate:8.0f} words/s  "
        f"cpu {build_cpu:.1f} s"
    )
    print(f"ratio build / raw : {build_rate / raw_rate:.2f} wall, {raw_cpu / build_cpu:.2f} cpu")
    print("(goal >= 0.90)")
    print(
        f"graph: {stats.documents} docs, {stats.sentences} sentences, {stats.mentions} mentions,"
        f" {stats.entities} entities, {stats.edges} relations, {stats.facts} facts;"
        f" written {summary.written}"
    )


if __name__ == "__main__":
    main()
