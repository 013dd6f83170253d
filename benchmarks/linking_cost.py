"""Cost of linking texts `kgfuse build` already extracted: parsed again vs read from the store.

One run: build the first ``--limit`` texts of a corpus into a fresh embedded store (not
timed), then link the same texts twice with the same ``ExtractionLinker`` settings: once as
``kgfuse classify train`` did before issue 13 (spaCy over every text) and once reading the
build's stored linking data (``store=``). Both arms must give the same links. The goal is a
skipped share of the parsing arm's time of at least 0.95.

    nice -n 10 python benchmarks/linking_cost.py --limit 300
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from itertools import islice
from pathlib import Path

from kgfuse.build import build_graph
from kgfuse.graph.linking.extraction import ExtractionLinker
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.nlp.extractor import Extractor
from kgfuse.types import Document

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "20ng" / "train.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()

    with args.corpus.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, args.limit)]
    extractor = Extractor()
    print(f"corpus {args.corpus}: {len(texts)} texts; load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp, RdfStore(Path(tmp) / "g") as store:
        started = time.perf_counter()
        docs = [Document(f"d{i}", text) for i, text in enumerate(texts)]
        build_graph(docs, store, extractor=extractor, progress=False)
        print(f"build (setup, not compared): {time.perf_counter() - started:.1f} s")
        kg = to_pyg(store)
        arms = {
            "parse every text": ExtractionLinker(extractor, kg),
            "read from store": ExtractionLinker(extractor, kg, store=store),
        }
        seconds, cpu, links = {}, {}, {}
        for name, linker in arms.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            links[name] = linker(texts)
            seconds[name] = time.perf_counter() - started
            cpu[name] = time.process_time() - cpu_started
            print(
                f"{name:>17}: {seconds[name]:8.2f} s  cpu {cpu[name]:8.2f} s  {linker.last_counts}"
            )
    parsed, stored = arms
    same = links[parsed] == links[stored]
    print(f"same links: {same}")
    print(
        f"skipped share of linking time: {1 - seconds[stored] / seconds[parsed]:.3f} wall, "
        f"{1 - cpu[stored] / cpu[parsed]:.3f} cpu (goal >= 0.95)"
    )
    print(f"load after: {os.getloadavg()}")
    if not same:
        raise SystemExit("the two arms linked differently")


if __name__ == "__main__":
    main()
