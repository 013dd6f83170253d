"""Data preparation for ``benchmarks/fusion_accuracy.py``: subsample, build, link, diagnose.

For one dataset of ``../shared/data/<name>/{train,test}.jsonl`` (fields id, text, label):

1. a deterministic, stratified subsample of train and test, texts truncated to ``max_chars``;
2. a knowledge graph built from the TRAIN subsample only (no labels go in) with
   ``kgfuse.build.build_graph`` into ``.bench/<name>/graph`` (``graph-cooc`` with sentence
   co-occurrence edges). The store is idempotent, so re-runs cost little; documents of an
   earlier, different subsample are deleted so the graph matches the subsample exactly;
3. ``to_pyg(store)``, then every train/test text linked ONCE with
   ``ExtractionLinker(Extractor(...), kg)`` into ``.bench/<name>/{train,test}[-cooc].jsonl``
   with an ``entities`` column, which every training arm then reuses.

``entity_signal`` measures whether the links carry label information on their own: a
logistic regression on the bag of linked entities, next to the majority class.

Run on its own (the main script calls ``prepare`` itself)::

    python -m benchmarks.fusion_accuracy_prepare --dataset sms_spam
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from kgfuse.build import build_graph
from kgfuse.graph.data import KGData
from kgfuse.graph.linking.entity_filter import EntityFilter
from kgfuse.graph.linking.extraction import ExtractionLinker
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.nlp.extractor import Extractor
from kgfuse.types import CONCEPT, Document

logger = logging.getLogger("fusion_accuracy")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
BENCH = ROOT / ".bench"
DATASETS = ("sms_spam", "r8", "20ng", "tweeteval_hate")
VARIANTS = ("plain", "cooc")
#: Controls derived from ``plain``'s links: every text unlinked (the graph arms' extra head
#: capacity alone), or each split's link lists permuted across its texts (real entities,
#: wrong texts).
CONTROLS = ("nolinks", "shuffled")
_DOC_IDS = "SELECT DISTINCT ?id WHERE { ?d a kg:Document ; kg:docId ?id }"


@dataclass(frozen=True)
class LinkStats:
    """How well the texts of one split reach the graph."""

    texts: int
    linked_fraction: float
    mean_entities: float
    median_entities: float
    mean_entities_if_linked: float


@dataclass(frozen=True)
class Prepared:
    """One graph variant of a dataset, ready for training."""

    dataset: str
    variant: str
    train_path: Path
    test_path: Path
    store_path: Path
    kg: KGData
    graph: dict[str, int]
    build_seconds: float
    link_seconds: float
    train_links: LinkStats
    test_links: LinkStats

    def summary(self) -> dict[str, Any]:
        """Plain data for results.json."""
        return {
            "variant": self.variant,
            "graph": self.graph,
            "build_seconds": round(self.build_seconds, 1),
            "link_seconds": round(self.link_seconds, 1),
            "train_links": asdict(self.train_links),
            "test_links": asdict(self.test_links),
        }


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL file of ``{id, text, label}`` records."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def stratified_sample(rows: Sequence[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """Pick ``size`` rows with the label proportions of ``rows`` (largest remainder), seeded.

    Every label keeps at least one row when ``size`` allows, so the test labels stay inside
    the training label space.
    """
    if size >= len(rows):
        return list(rows)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row["label"])].append(row)
    rng = random.Random(seed)
    labels = sorted(groups)
    for label in labels:
        rng.shuffle(groups[label])
    exact = {lab: size * len(groups[lab]) / len(rows) for lab in labels}
    quota = {lab: max(1, int(exact[lab])) for lab in labels}
    by_remainder = sorted(labels, key=lambda lab: (-(exact[lab] - int(exact[lab])), lab))
    for lab in by_remainder:
        if sum(quota.values()) >= size:
            break
        quota[lab] += 1
    picked = [row for lab in labels for row in groups[lab][: quota[lab]]]
    rng.shuffle(picked)
    return picked


def truncate(rows: Sequence[dict[str, Any]], max_chars: int) -> list[dict[str, Any]]:
    """Keep id, text (at most ``max_chars`` characters) and label; drop empty texts."""
    out = []
    for row in rows:
        text = str(row["text"])[:max_chars].strip()
        if text:
            out.append({"id": str(row["id"]), "text": text, "label": str(row["label"])})
    return out


def build_store(rows: Sequence[dict[str, Any]], path: Path, extractor: Extractor) -> float:
    """Build (or update) the graph of ``rows`` at ``path``; return the build seconds.

    Documents the store holds from another subsample are deleted first.
    """
    started = time.perf_counter()
    wanted = {row["id"] for row in rows}
    with RdfStore(path) as store:
        stale = [r["id"] for r in store.raw_query(_DOC_IDS) if r["id"] not in wanted]
        for doc_id in stale:
            store.delete_document(doc_id)
        if stale:
            logger.info("%s: deleted %d documents of another subsample", path, len(stale))
        documents = (Document(row["id"], row["text"]) for row in rows)
        summary = build_graph(documents, store, extractor=extractor, progress=False)
    logger.info("%s: %s", path.name, summary.as_dict())
    return time.perf_counter() - started


def link_stats(links: Sequence[Sequence[str]]) -> LinkStats:
    """Linked fraction and entity counts of one split."""
    counts = [len(keys) for keys in links]
    linked = [c for c in counts if c]
    return LinkStats(
        texts=len(counts),
        linked_fraction=round(len(linked) / max(len(counts), 1), 4),
        mean_entities=round(statistics.fmean(counts), 2) if counts else 0.0,
        median_entities=float(statistics.median(counts)) if counts else 0.0,
        mean_entities_if_linked=round(statistics.fmean(linked), 2) if linked else 0.0,
    )


def write_linked(rows: Sequence[dict[str, Any]], links: Sequence[list[str]], path: Path) -> None:
    """Write rows with their ``entities`` column (a JSON list, possibly empty)."""
    with path.open("w", encoding="utf-8") as handle:
        for row, keys in zip(rows, links, strict=True):
            handle.write(json.dumps({**row, "entities": keys}, ensure_ascii=False) + "\n")


def graph_sizes(kg: KGData) -> dict[str, int]:
    """Entities, relations and facts of a graph."""
    return {"entities": kg.num_entities, "relations": kg.num_relations, "facts": kg.num_edges}


def _link_stamp(
    kg: KGData,
    train: Sequence[dict[str, Any]],
    test: Sequence[dict[str, Any]],
    extractor: Extractor,
    max_entities: int,
) -> str:
    """What the links of a variant depend on: graph vocabulary, texts, extractor, cap."""
    digest = hashlib.sha256(f"{kg.vocab_hash()}|{extractor.version}|{max_entities}".encode())
    for row in (*train, *test):
        digest.update(f"{row['id']}\t{row['text']}\n".encode())
    return digest.hexdigest()


def prepare(
    dataset: str,
    *,
    train_size: int,
    test_size: int,
    max_chars: int,
    variants: Sequence[str] = ("plain",),
    seed: int = 0,
    max_entities: int = 32,
) -> list[Prepared]:
    """Subsample, build each graph variant from the train subsample, link both splits.

    Returns:
        One ``Prepared`` per variant (``plain``: relations only; ``cooc``: plus
        ``co_occurs_with`` edges).
    """
    out = BENCH / dataset
    out.mkdir(parents=True, exist_ok=True)
    train = truncate(
        stratified_sample(read_rows(DATA / dataset / "train.jsonl"), train_size, seed), max_chars
    )
    test = truncate(
        stratified_sample(read_rows(DATA / dataset / "test.jsonl"), test_size, seed), max_chars
    )
    train_labels = {row["label"] for row in train}
    dropped = sum(1 for row in test if row["label"] not in train_labels)
    test = [row for row in test if row["label"] in train_labels]
    if dropped:
        logger.warning("%s: dropped %d test rows with labels unseen in train", dataset, dropped)
    logger.info(
        "%s: %d train / %d test texts, labels %s",
        dataset,
        len(train),
        len(test),
        dict(Counter(row["label"] for row in train).most_common()),
    )
    prepared = []
    for variant in variants:
        suffix = "" if variant == "plain" else f"-{variant}"
        # The extractor version does not record co-occurrence, so each variant needs its own
        # store: one store built both ways would call the second build "unchanged".
        extractor = Extractor(cooccurrence=variant == "cooc")
        store_path = out / f"graph{suffix}"
        build_seconds = build_store(train, store_path, extractor)
        with RdfStore(store_path, create=False) as store:
            kg = to_pyg(store)
        started = time.perf_counter()
        train_path, test_path = out / f"train{suffix}.jsonl", out / f"test{suffix}.jsonl"
        stamp = _link_stamp(kg, train, test, extractor, max_entities)
        stamp_path = out / f"links{suffix}.stamp"
        if stamp_path.is_file() and stamp_path.read_text() == stamp:
            logger.info("%s/%s: reusing the links in %s", dataset, variant, train_path.name)
            train_links = [row["entities"] for row in read_rows(train_path)]
            test_links = [row["entities"] for row in read_rows(test_path)]
        else:
            linker = ExtractionLinker(extractor, kg, max_entities=max_entities)
            train_links = linker([row["text"] for row in train])
            test_links = linker([row["text"] for row in test])
            write_linked(train, train_links, train_path)
            write_linked(test, test_links, test_path)
            stamp_path.write_text(stamp)
        link_seconds = time.perf_counter() - started
        item = Prepared(
            dataset=dataset,
            variant=variant,
            train_path=train_path,
            test_path=test_path,
            store_path=store_path,
            kg=kg,
            graph=graph_sizes(kg),
            build_seconds=build_seconds,
            link_seconds=link_seconds,
            train_links=link_stats(train_links),
            test_links=link_stats(test_links),
        )
        logger.info("%s/%s: %s", dataset, variant, json.dumps(item.summary()))
        prepared.append(item)
    return prepared


def control(item: Prepared, kind: str, *, seed: int = 0) -> Prepared:
    """A control variant of ``item`` with the same texts, labels and graph, other links.

    ``nolinks``: no text links any entity. ``shuffled``: each split's link lists are
    permuted across its texts (seeded), so entity statistics stay, the association goes.
    """
    if kind not in CONTROLS:
        raise ValueError(f"unknown control {kind!r}: expected one of {CONTROLS}")
    paths = []
    links_by_split = []
    for split, path in (("train", item.train_path), ("test", item.test_path)):
        rows = read_rows(path)
        links = [list(row["entities"]) for row in rows]
        if kind == "nolinks":
            links = [[] for _ in rows]
        else:
            random.Random(f"{seed}-{split}").shuffle(links)
        out = path.with_name(f"{split}-{kind}.jsonl")
        write_linked([{k: r[k] for k in ("id", "text", "label")} for r in rows], links, out)
        paths.append(out)
        links_by_split.append(links)
    return replace(
        item,
        variant=kind,
        train_path=paths[0],
        test_path=paths[1],
        train_links=link_stats(links_by_split[0]),
        test_links=link_stats(links_by_split[1]),
    )


def parse_filter(spec: str) -> dict[str, Any]:
    """``MAX_DF:MIN_DF:RANK:CAP[:ne]`` (e.g. ``0.2:2:idf:16``) -> ``EntityFilter.fit`` kwargs.

    A trailing ``:ne`` keeps named entities only (the graph's non-``CONCEPT`` entities).
    """
    max_df, min_df, rank, cap, *rest = spec.split(":")
    if rest not in ([], ["ne"]):
        raise ValueError(f"bad filter spec {spec!r}: expected MAX_DF:MIN_DF:RANK:CAP[:ne]")
    return {"max_df": float(max_df), "min_df": int(min_df), "rank": rank, "max_entities": int(cap)}


def named_entities(store_path: Path, keys: set[str]) -> set[str]:
    """The keys among ``keys`` whose graph entity is a named entity (not ``CONCEPT``)."""
    with RdfStore(store_path, create=False) as store:
        return {k for k, e in store.entities(keys).items() if e.label != CONCEPT}


def filtered(item: Prepared, spec: str) -> Prepared:
    """``item`` with its links passed through an ``EntityFilter`` fitted on its TRAIN links.

    Same texts, labels and graph; the variant is named ``f<spec>`` and its files
    ``{train,test}-f<spec>.jsonl``.
    """
    name = "f" + spec.replace(":", "-")
    train_rows, test_rows = read_rows(item.train_path), read_rows(item.test_path)
    train_links = [r["entities"] for r in train_rows]
    allowed = None
    if spec.endswith(":ne"):
        allowed = named_entities(item.store_path, {k for links in train_links for k in links})
    entity_filter = EntityFilter.fit(train_links, allowed=allowed, **parse_filter(spec))
    paths, links_by_split = [], []
    for split, rows in (("train", train_rows), ("test", test_rows)):
        links = entity_filter([r["entities"] for r in rows])
        out = item.train_path.with_name(f"{split}-{name}.jsonl")
        write_linked([{k: r[k] for k in ("id", "text", "label")} for r in rows], links, out)
        paths.append(out)
        links_by_split.append(links)
    return replace(
        item,
        variant=name,
        train_path=paths[0],
        test_path=paths[1],
        train_links=link_stats(links_by_split[0]),
        test_links=link_stats(links_by_split[1]),
    )


def entity_signal(train_path: Path, test_path: Path) -> dict[str, float]:
    """How much label information the linked entities carry on their own.

    A logistic regression on the bag of linked entity keys (train -> test), the majority
    class, and the share of test links whose entity occurs in at least 2 training texts.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    train, test = read_rows(train_path), read_rows(test_path)

    def bags(rows: list[dict[str, Any]]) -> list[dict[str, float]]:
        return [dict.fromkeys(row["entities"], 1.0) for row in rows]

    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform(bags(train))
    x_test = vectorizer.transform(bags(test))
    y_train = [row["label"] for row in train]
    y_test = [row["label"] for row in test]
    clf = LogisticRegression(max_iter=2000, C=1.0).fit(x_train, y_train)
    predicted = clf.predict(x_test)
    majority = Counter(y_train).most_common(1)[0][0]
    doc_freq = Counter(key for row in train for key in set(row["entities"]))
    test_links = [key for row in test for key in row["entities"]]
    shared = sum(1 for key in test_links if doc_freq[key] >= 2)
    return {
        "bag_of_entities_accuracy": round(float(accuracy_score(y_test, predicted)), 4),
        "bag_of_entities_macro_f1": round(float(f1_score(y_test, predicted, average="macro")), 4),
        "majority_accuracy": round(sum(1 for y in y_test if y == majority) / len(y_test), 4),
        "test_links_in_2plus_train_texts": round(shared / max(len(test_links), 1), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--train-size", type=int, default=1000)
    parser.add_argument("--test-size", type=int, default=500)
    parser.add_argument("--max-chars", type=int, default=2000)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=["plain"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for item in prepare(
        args.dataset,
        train_size=args.train_size,
        test_size=args.test_size,
        max_chars=args.max_chars,
        variants=args.variants,
    ):
        print(json.dumps(item.summary(), indent=2))
        print(json.dumps(entity_signal(item.train_path, item.test_path), indent=2))


if __name__ == "__main__":
    main()
