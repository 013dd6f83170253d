"""Does a document graph over KG entities beat the same text encoder alone?

``kgfuse.fusion.classify.docgraph`` (TextGCN / BertGCN style): documents and terms (linked KG entity
keys, optionally words) are nodes, TF-IDF doc-term edges, PMI and KG-fact term-term edges, a
2-layer GCN over frozen MiniLM text vectors mixed with a text head,
``p = lambda * p_graph + (1 - lambda) * p_text``; ``graph_lambda = 0`` is the text-only
baseline through the same code.

Data: ``benchmarks/fusion_accuracy_prepare.prepare`` (stratified, seeded subsample, default
1000 train / 500 test; the knowledge graph is built from the TRAIN subsample only into
``.bench/<name>/graph``). Every train/test text is then linked once with
``ExtractionLinker(Extractor(), kg, max_entities=256)`` into
``.bench/<name>/{train,test}-docgraph.jsonl`` (reused while ``docgraph-links.stamp``, a hash
of graph vocabulary, extractor version, cap and texts, matches).

Arms, each over the same seeds and budget (``DocGraphOptions`` epochs 300, dev_fraction 0.1:
a seeded 10 % of train stays unlabelled in the graph and picks the best epoch; test labels
are read only for the final metrics). Every graph setting is passed explicitly, because the
library defaults move; ``--objective``, ``--graph-lambda`` (a number, or ``auto`` = chosen
on the dev slice), ``--lr`` and ``--patience`` apply to every graph arm:

- ``text``: graph_lambda 0; learning rate from ``--text-lrs`` chosen by mean DEV accuracy;
- ``kg``: entity terms, KG facts, no words;
- ``kg-nofacts``: PMI term edges only (use_facts False): does the KG's fact structure help?
- ``kg+words``: entity and word terms;
- ``words-only``: word terms only (max_entities 0): TextGCN's graph without the KG (note:
  words get document edges only, no word-word PMI);
- ``kg-inductive``: transductive False (test texts attached after training);
- ``kg+words+kge``: the default plus DistMult embeddings of the graph's facts as entity-term
  features;
- ``kg+words+rel``: the default graph with ``graph_model="rsgc"``: SGC's hops, the entity
  terms first refined by a relational layer (FastRGCNConv) over the facts typed by predicate;
- ``finetuned-text`` / ``finetuned+graph`` (with ``--finetune-epochs``): BertGCN's recipe, the
  text head alone and the default graph over the vectors of the encoder fine-tuned alone;
- ``--graph-model sgc`` runs every graph arm with two linear hops computed once (SGC);
- ``--lambda-sweep`` (fixed lambda only): the kg arm at 0.3, 0.5, 0.9, the best by mean dev.

Prints per arm test accuracy / macro-F1 (mean ± std over seeds), the paired difference to
``text`` (mean ± std of per-seed differences), dev score, best epoch, the graph weight
(``a0.57``: mean of the weights chosen on dev), graph sizes and median wall / CPU seconds per
run, next to two references on the same subsample: TF-IDF (1-2 grams) + LinearSVC, and a
logistic regression on the same frozen text vectors (C by 5-fold CV on train). Writes
``.bench/<name>/<--out-name>`` with every run and the kgfuse commit it ran on.

Commands run (repository root, 2 shared CPU cores, torch 1 thread, one run at a time).
Pass 1, BertGCN mixture objective, lambda 0.7, patience 30 (kgfuse 74b6403 for 20ng,
916bffa for r8/sms_spam: same numerics), copied to ``docgraph-results-mixture.json``::

    python -m benchmarks.docgraph_accuracy --dataset 20ng --max-chars 1000 --lambda-sweep \
        --objective mixture --graph-lambda 0.7 --patience 30
    python -m benchmarks.docgraph_accuracy --dataset r8 \
        --objective mixture --graph-lambda 0.7 --patience 30
    python -m benchmarks.docgraph_accuracy --dataset sms_spam \
        --objective mixture --graph-lambda 0.7 --patience 30
    # follow-ups (kgfuse 9c2f94c): graph arms at the text arm's learning rate; F1 selection
    python -m benchmarks.docgraph_accuracy --dataset r8 --arms text kg kg+words --lr 0.1 \
        --objective mixture --graph-lambda 0.7 --patience 30 --out-name docgraph-results-lr0.1.json
    python -m benchmarks.docgraph_accuracy --dataset sms_spam --metric macro_f1 \
        --objective mixture --graph-lambda 0.7 --patience 30 --out-name docgraph-results-f1.json

Pass 2, separate objective, lambda chosen on dev per epoch, patience 30 (kgfuse 827c3e9 for
20ng/r8, d575065 for sms_spam; files ``docgraph-results-separate-<commit>.json``)::

    python -m benchmarks.docgraph_accuracy --dataset 20ng --max-chars 1000 \
        --objective separate --graph-lambda auto --patience 30
    python -m benchmarks.docgraph_accuracy --dataset r8 \
        --objective separate --graph-lambda auto --patience 30
    python -m benchmarks.docgraph_accuracy --dataset sms_spam \
        --objective separate --graph-lambda auto --patience 30

Pass 3, the library defaults (separate objective, lambda chosen on dev, patience 100, ties to
the later epoch; kgfuse 2189501 for 20ng and r8, 70a67b1 for sms_spam, which only adds the
vector cache for texts outside the graph; files ``docgraph-results-final.json``)::

    python -m benchmarks.docgraph_accuracy --dataset 20ng --max-chars 1000 \
        --arms text kg kg+words words-only --out-name docgraph-results-final.json
    python -m benchmarks.docgraph_accuracy --dataset r8 \
        --arms text kg kg+words words-only --out-name docgraph-results-final.json
    python -m benchmarks.docgraph_accuracy --dataset sms_spam \
        --arms text kg kg+words words-only --out-name docgraph-results-final.json

Pass 3 results, test accuracy / macro-F1 (mean ± std over seeds 1 2 3):

==========  =============  =============  =============  =============  ===============
dataset     text           kg             kg+words       words-only     LR / SVM refs
==========  =============  =============  =============  =============  ===============
20ng        .667 / .653    .735 / .718    .777 / .759    .777 / .760    .690 / .732 acc
r8          .954 / .854    .964 / .896    .969 / .902    .973 / .923    .952 / .930 acc
sms_spam    .962 / .911    .973 / .935    .978 / .949    .970 / .929    .933 / .922 F1
==========  =============  =============  =============  =============  ===============

kg+words (the default) against text, paired: 20ng +.110 ± .013 / +.106 ± .011; r8 +.015 ±
.008 / +.048 ± .017; sms_spam +.016 ± .014 / +.038 ± .035. Patience 100 mostly helped the
text head (20ng .655 -> .667) and R8/SMS graph arms, which passes 1 and 2 stopped early.

Pass 4, full splits with the round-2 default: the graph weight and the epochs chosen by
5-fold cross-validation with a paired bootstrap against text only (``--cv-folds 5``), one
seed (the graph stage costs about six trainings here), torch 2 threads; ``--finetune-epochs``
adds the text encoder fine-tuned alone (one seed); files ``docgraph-results-full-cv5.json``::

    python -m benchmarks.docgraph_accuracy --dataset sms_spam --train-size 1000000 \
        --test-size 1000000 --max-chars 2000 --arms text kg kg+words words-only \
        --text-lrs 0.01 0.1 --cv-folds 5 --seeds 1 --threads 2 \
        --out-name docgraph-results-full-cv5.json
    # the same for r8; tweeteval_hate with --metric macro_f1; 20ng with --max-chars 3000

``kgfuse report --benchmark .bench/<name>/docgraph-results-full-cv5.json`` renders any of
these files as an ablation table.

Results (3 seeds, 500 test texts; Δ = paired difference to ``text``, accuracy / macro-F1):

- 20ng: the graph helps. text 0.664 / 0.650 (pass 1), 0.655 / 0.635 (pass 2); kg +0.060 /
  +0.055 (mixture), +0.080 / +0.084 (separate, lambda ~0.9); kg-nofacts the same as kg
  (facts add nothing); words-only 0.766-0.773, kg+words 0.768-0.773 (+0.10 to +0.12): the
  KG's entity terms add nothing over words; kg-inductive 0.709 (mixture), 0.731 (separate).
  References: TF-IDF+SVM 0.732, logistic regression on the text vectors 0.690.
- r8: no gain. text 0.950-0.953; graph arms within ±0.015 accuracy; macro-F1 (grain has
  2 test texts, ship 8) swings by ±0.1 between seeds. The -0.12 macro-F1 of pass 1's kg arm
  is its learning rate: at the text arm's 0.1, kg gets 0.962 / 0.814 vs text 0.950 / 0.807.
- sms_spam: no gain. text 0.959 / 0.903 (pass 1), 0.963 / 0.912 (pass 2); the mixture at
  0.7 loses (kg -0.014 / -0.045, kg-inductive -0.032 / -0.107); with lambda chosen on dev
  the graph is dropped (kg lambda 0.03: -0.001 / -0.003), words +0.004 / +0.008. Only 244
  entity terms (2.1 links per text, 23 % of texts unlinked). References 0.968 / 0.922
  (TF-IDF+SVM), 0.972 / 0.933 (logistic regression on the vectors).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import resource
import shutil
import statistics
import subprocess
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch

from benchmarks.fusion_accuracy_prepare import (
    BENCH,
    DATASETS,
    Prepared,
    _link_stamp,
    link_stats,
    prepare,
    read_rows,
    write_linked,
)
from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph
from kgfuse.fusion.classify.docgraph.trainer import TIMINGS_FILE
from kgfuse.graph.linking.extraction import ExtractionLinker
from kgfuse.nlp.extractor import Extractor

logger = logging.getLogger("docgraph_accuracy")

LINK_CAP = 256
#: Arm -> ``DocGraphOptions`` overrides (on top of the shared budget).
# Every arm names its terms explicitly: the library's defaults may change.
ARMS: dict[str, dict[str, Any]] = {
    "text": {"graph_lambda": 0.0},
    "kg": {"words": False},
    "kg-nofacts": {"use_facts": False, "words": False},
    "kg+words": {"words": True},
    "words-only": {"words": True, "max_entities": 0},
    # the default plus knowledge-graph embeddings (DistMult on the graph's facts) as features
    "kg+words+kge": {"words": True, "entity_features": "distmult"},
    # the default with a relational layer over the facts, typed by predicate (SGC's hops)
    "kg+words+rel": {"words": True, "graph_model": "rsgc"},
    # BertGCN's recipe: the vectors of the encoder fine-tuned alone (needs --finetune-epochs)
    "finetuned-text": {"graph_lambda": 0.0},
    "finetuned+graph": {"words": True},
    "kg-inductive": {"transductive": False, "words": True},
}
SWEEP_LAMBDAS = (0.3, 0.5, 0.9)


def kgfuse_version() -> dict[str, Any]:
    """The commit, whether ``kgfuse/`` differs from it, and a hash of the docgraph sources.

    Read when the run starts (the modules are imported by then), so a results file says
    which code produced it even while the tree is being edited.
    """
    root = Path(__file__).resolve().parents[1]

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    digest = hashlib.sha256()
    for path in sorted((root / "kgfuse" / "fusion" / "classify" / "docgraph").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "kgfuse_dirty": bool(git("status", "--porcelain", "--", "kgfuse")),
        "docgraph_sources_sha256": digest.hexdigest()[:16],
    }


def link_docgraph(item: Prepared) -> tuple[Path, Path, dict[str, Any]]:
    """Link every train/test text of ``item`` once with a cap of ``LINK_CAP`` entities.

    Returns:
        ``(train_path, test_path, link statistics)``; the files are reused while the stamp
        (graph vocabulary, extractor version, cap, texts) matches.
    """
    out = item.train_path.parent
    train_path, test_path = out / "train-docgraph.jsonl", out / "test-docgraph.jsonl"
    stamp_path = out / "docgraph-links.stamp"
    columns = ("id", "text", "label")
    train = [{k: r[k] for k in columns} for r in read_rows(item.train_path)]
    test = [{k: r[k] for k in columns} for r in read_rows(item.test_path)]
    started = time.perf_counter()
    extractor = Extractor()
    stamp = _link_stamp(item.kg, train, test, extractor, LINK_CAP)
    if (
        stamp_path.is_file()
        and stamp_path.read_text() == stamp
        and train_path.is_file()
        and test_path.is_file()
    ):
        logger.info("%s: reusing %s", item.dataset, train_path.name)
        train_links = [r["entities"] for r in read_rows(train_path)]
        test_links = [r["entities"] for r in read_rows(test_path)]
    else:
        linker = ExtractionLinker(extractor, item.kg, max_entities=LINK_CAP)
        train_links = linker([r["text"] for r in train])
        test_links = linker([r["text"] for r in test])
        write_linked(train, train_links, train_path)
        write_linked(test, test_links, test_path)
        stamp_path.write_text(stamp)
    stats = {
        "link_seconds": round(time.perf_counter() - started, 1),
        "train_links": asdict(link_stats(train_links)),
        "test_links": asdict(link_stats(test_links)),
    }
    logger.info("%s: %s", item.dataset, json.dumps(stats))
    return train_path, test_path, stats


def lexical_baseline(train_path: Path, test_path: Path) -> dict[str, float]:
    """TF-IDF (1-2 grams, sublinear tf) + LinearSVC on the same subsample, for reference."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.svm import LinearSVC

    train, test = read_rows(train_path), read_rows(test_path)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x_train = vectorizer.fit_transform([r["text"] for r in train])
    x_test = vectorizer.transform([r["text"] for r in test])
    y_test = [r["label"] for r in test]
    predicted = LinearSVC(C=1.0).fit(x_train, [r["label"] for r in train]).predict(x_test)
    return {
        "accuracy": round(float(accuracy_score(y_test, predicted)), 4),
        "macro_f1": round(float(f1_score(y_test, predicted, average="macro")), 4),
    }


def finetuned_baseline(
    train_path: Path, test_path: Path, out_dir: Path, *, epochs: float, seed: int, keep: bool
) -> dict[str, Any]:
    """The same text encoder fine-tuned alone (``train-fusion --fusion none``), one seed.

    Full fine-tuning on the training split with the HF Trainer (max length 128, batch 16,
    learning rate 2e-5, no early stopping); the test split is scored once at the end.
    """
    from kgfuse.fusion.classify.subgraph import TrainOptions, train_classifier

    options = TrainOptions(
        fusion="none",
        epochs=epochs,
        seed=seed,
        early_stopping_patience=None,
        disable_tqdm=True,
        logging_steps=100,
        save_steps=None,
        cache_dir=str(out_dir / "cache"),
    )
    wall = time.perf_counter()
    metrics = train_classifier(train_path, None, graph=None, out_dir=out_dir, options=options)
    from kgfuse.fusion.classify.subgraph import evaluate_classifier

    scores = evaluate_classifier(out_dir, test_path)
    if not keep:  # kept: the finetuned-* arms read its fine-tuned encoder
        shutil.rmtree(out_dir, ignore_errors=True)
    return {
        "accuracy": round(scores["accuracy"], 4),
        "macro_f1": round(scores["macro_f1"], 4),
        "epochs": epochs,
        "seed": seed,
        "train_loss": round(metrics["train_loss"], 4),
        "seconds": round(time.perf_counter() - wall, 1),
    }


def vector_baseline(train_path: Path, test_path: Path, cache_dir: Path) -> dict[str, Any]:
    """Logistic regression on the same frozen text vectors (C by 5-fold CV on train only).

    The nodes are embedded in the trainer's order (train then test, first of each distinct
    text), so the vectors come from the transductive runs' cache.
    """
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.metrics import accuracy_score, f1_score

    from kgfuse.fusion.classify.data import read_examples
    from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
    from kgfuse.fusion.text_encoder import default_text_encoder
    from kgfuse.types import content_hash

    train, test = read_examples(train_path), read_examples(test_path)
    nodes: dict[str, str] = {}
    for ex in (*train, *test):
        nodes.setdefault(content_hash(ex.text), ex.text)
    encoder = FrozenTextEncoder.load(default_text_encoder())
    vectors = encoder.encode(list(nodes.values()), cache_dir=cache_dir).numpy()
    row = {key: i for i, key in enumerate(nodes)}

    def features(examples: Sequence[Any]) -> Any:
        return vectors[[row[content_hash(ex.text)] for ex in examples]]

    y_train = [ex.labels[0] for ex in train]
    y_test = [ex.labels[0] for ex in test]
    clf = LogisticRegressionCV(Cs=[0.1, 1.0, 10.0, 100.0], cv=5, scoring="accuracy", max_iter=3000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # sklearn 1.8 parameter-default notices
        predicted = clf.fit(features(train), y_train).predict(features(test))
    return {
        "accuracy": round(float(accuracy_score(y_test, predicted)), 4),
        "macro_f1": round(float(f1_score(y_test, predicted, average="macro")), 4),
        "C": float(clf.C_[0]),
    }


def run_one(
    arm: str,
    options: DocGraphOptions,
    *,
    train_path: Path,
    test_path: Path,
    kg: Any,
    runs_dir: Path,
    keep: bool,
) -> dict[str, Any]:
    """Train one arm x seed; return its metrics with wall and CPU seconds.

    ``graph_lambda`` in the result is the weight used (chosen on dev when the option is
    None); ``lambda_option`` is what was asked for.
    """
    lam = "auto" if options.graph_lambda is None else f"{options.graph_lambda:g}"
    name = f"{arm}-{options.graph_model}-lr{options.learning_rate:g}-lam{lam}"
    out_dir = runs_dir / name / f"seed{options.seed}"
    wall, cpu = time.perf_counter(), time.process_time()
    metrics = train_document_graph(
        train_path, test_path, graph=kg, out_dir=out_dir, options=options
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    timings = json.loads((out_dir / TIMINGS_FILE).read_text())
    timings["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if not keep:
        shutil.rmtree(out_dir, ignore_errors=True)
    if options.cv_folds:  # the selection score: out-of-fold, of the model that was kept
        for metric in ("accuracy", "macro_f1"):
            kept = metrics.get("cv_graph_kept") and f"cv_graph_{metric}" in metrics
            chosen = metrics.get(f"cv_graph_{metric}" if kept else f"cv_text_{metric}")
            if chosen is not None:
                metrics[f"dev_{metric}"] = chosen
    run = {
        "arm": arm,
        "seed": options.seed,
        "learning_rate": options.learning_rate,
        "lambda_option": options.graph_lambda,
        "graph_lambda": options.graph_lambda,
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        **timings,
        **{k: v for k, v in metrics.items() if isinstance(v, int | float)},
    }
    logger.info(
        "%s seed %d lr %g lam %s->%g: test acc %.4f f1 %.4f dev %.4f epoch %d (%.1fs)",
        arm,
        options.seed,
        options.learning_rate,
        lam,
        run["graph_lambda"],
        run["eval_accuracy"],
        run["eval_macro_f1"],
        run.get("dev_accuracy", float("nan")),
        run["best_epoch"],
        wall,
    )
    return run


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value; NaN when none is known)."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return math.nan, math.nan
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def mean_dev(runs: Sequence[dict[str, Any]], metric: str) -> float:
    """Mean dev ``metric`` of runs (what learning rates and lambdas are chosen by)."""
    return statistics.fmean(r[f"dev_{metric}"] for r in runs)


def summarise(runs: Sequence[dict[str, Any]], text_runs: Sequence[dict[str, Any]]) -> dict:
    """One arm's runs -> means, stds and the paired difference to the text arm."""
    by_seed = {r["seed"]: r for r in text_runs}
    row: dict[str, Any] = {"seeds": [r["seed"] for r in runs]}
    for key in ("eval_accuracy", "eval_macro_f1", "dev_accuracy", "dev_macro_f1", "best_epoch"):
        mean, std = mean_std([float(r.get(key, float("nan"))) for r in runs])
        row[key] = {"mean": round(mean, 4), "std": round(std, 4)}
    # medians: the first run of a new node set also embeds its texts (then cached)
    row["median_seconds"] = round(statistics.median(r["seconds"] for r in runs), 1)
    row["median_cpu_seconds"] = round(statistics.median(r["cpu_seconds"] for r in runs), 1)
    for key in ("eval_accuracy", "eval_macro_f1"):
        diffs = [r[key] - by_seed[r["seed"]][key] for r in runs if r["seed"] in by_seed]
        if diffs:
            mean, std = mean_std(diffs)
            row[f"diff_{key}"] = {"mean": round(mean, 4), "std": round(std, 4)}
    for key in ("graph_documents", "graph_terms", "term_edges"):
        row[key] = runs[0].get(key)
    row["learning_rate"] = runs[0]["learning_rate"]
    row["lambda_option"] = runs[0]["lambda_option"]
    row["graph_lambda"] = round(statistics.fmean(r["graph_lambda"] for r in runs), 2)
    return row


def _pm(cell: dict[str, float] | None, digits: int = 3, signed: bool = False) -> str:
    if not cell:
        return "-"
    sign = "+" if signed else ""
    return f"{cell['mean']:{sign}.{digits}f} ± {cell['std']:.{digits}f}"


def _lam(row: dict[str, Any]) -> str:
    """``0.7`` for a fixed weight, ``a0.43`` for the mean of weights chosen on dev."""
    return (
        f"{row['graph_lambda']:g}"
        if row["lambda_option"] is not None
        else (f"a{row['graph_lambda']:.2f}")
    )


def print_table(
    dataset: str,
    table: dict[str, dict[str, Any]],
    svm: dict[str, float],
    vector_lr: dict[str, float],
    metric: str,
) -> None:
    """The per-arm table (test metrics, paired differences, dev, epochs, sizes, seconds)."""
    header = (
        f"{'arm':<24} {'lr':>5} {'lam':>5} {'test acc':>15} {'test macro-F1':>15} "
        f"{'Δacc vs text':>16} {'ΔF1 vs text':>16} {'dev ' + metric:>15} {'epoch':>6} "
        f"{'docs':>5} {'terms':>6} {'edges':>7} {'s/run':>6} {'cpu s':>6}"
    )
    print(f"\n{dataset}")
    print(header)
    print("-" * len(header))
    for arm, row in table.items():
        print(
            f"{arm:<24} {row['learning_rate']:>5g} {_lam(row):>5} "
            f"{_pm(row['eval_accuracy']):>15} {_pm(row['eval_macro_f1']):>15} "
            f"{_pm(row.get('diff_eval_accuracy'), signed=True):>16} "
            f"{_pm(row.get('diff_eval_macro_f1'), signed=True):>16} "
            f"{_pm(row['dev_' + metric]):>15} {row['best_epoch']['mean']:>6.0f} "
            f"{row['graph_documents']:>5} {row['graph_terms']:>6} {row['term_edges']:>7} "
            f"{row['median_seconds']:>6.1f} {row['median_cpu_seconds']:>6.1f}"
        )
    print(
        f"{'tfidf+svm':<24} {'':>5} {'':>5} {svm['accuracy']:>15.3f} {svm['macro_f1']:>15.3f}"
        "   (TF-IDF 1-2 gram + LinearSVC, reference only)"
    )
    print(
        f"{'text-vectors+logreg':<24} {'':>5} {'':>5} {vector_lr['accuracy']:>15.3f} "
        f"{vector_lr['macro_f1']:>15.3f}   (same frozen vectors, C={vector_lr['C']:g} by 5-fold"
        " CV on train, reference only)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--train-size", type=int, default=1000)
    parser.add_argument("--test-size", type=int, default=500)
    parser.add_argument("--max-chars", type=int, default=2000)
    parser.add_argument("--arms", nargs="+", choices=list(ARMS), default=list(ARMS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--patience", type=int, default=100)
    parser.add_argument("--lr", type=float, default=1e-2, help="learning rate of graph arms")
    parser.add_argument(
        "--graph-lambda",
        type=lambda v: None if v == "auto" else float(v),
        default=None,
        help="graph weight of the graph arms; auto (the default) = chosen on the dev slice",
    )
    parser.add_argument(
        "--objective",
        choices=("mixture", "separate"),
        default="separate",
        help="mixture: trained on the mixed probabilities (BertGCN); separate: each head on "
        "its own loss",
    )
    parser.add_argument(
        "--graph-model",
        choices=("gcn", "sgc", "rsgc"),
        default="gcn",
        help="gcn: two GCN layers (TextGCN); sgc: two linear hops precomputed once; rsgc: sgc "
        "with a relational layer over the typed facts (the kg+words+rel arm uses it anyway)",
    )
    parser.add_argument("--text-lrs", nargs="+", type=float, default=[1e-2, 3e-2, 1e-1])
    parser.add_argument(
        "--lambda-sweep", action="store_true", help=f"kg arm at lambda {SWEEP_LAMBDAS}"
    )
    parser.add_argument(
        "--metric",
        choices=("accuracy", "macro_f1"),
        default="accuracy",
        help="dev metric that picks the best epoch, the text lr and the lambda",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--keep-models", action="store_true")
    parser.add_argument("--out-name", default="docgraph-results.json", help="in .bench/<name>/")
    parser.add_argument(
        "--finetune-epochs",
        type=float,
        default=0.0,
        help="> 0: also fine-tune the text encoder alone for this many epochs (one seed)",
    )
    parser.add_argument(
        "--cv-folds",
        type=int,
        default=0,
        help="k >= 2: graph weight and epochs by k-fold cross-validation with a paired test "
        "(the library default, 5); 0: the older 10%% dev slice",
    )
    parser.add_argument(
        "--cv-rule",
        choices=("pooled", "every_fold"),
        default="pooled",
        help="every_fold: keep a graph only if it also beats text only on every fold",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("kgfuse").setLevel(logging.WARNING)
    torch.set_num_threads(args.threads)
    code_version = kgfuse_version()
    logger.info("code: %s", code_version)
    started = time.perf_counter()
    (item,) = prepare(
        args.dataset,
        train_size=args.train_size,
        test_size=args.test_size,
        max_chars=args.max_chars,
    )
    train_path, test_path, links = link_docgraph(item)
    prepare_seconds = time.perf_counter() - started
    svm = lexical_baseline(train_path, test_path)
    logger.info("tfidf+svm: %s", svm)
    bench = BENCH / args.dataset
    # every graph setting explicit: the library defaults move (words, objective, lambda)
    base = DocGraphOptions(
        transductive=True,
        words=False,
        use_facts=True,
        epochs=args.epochs,
        patience=args.patience,
        dev_fraction=0.1,
        cv_folds=args.cv_folds,
        cv_rule=args.cv_rule,
        learning_rate=args.lr,
        graph_lambda=args.graph_lambda,
        max_entities=LINK_CAP,
        metric_for_best_model=args.metric,
        objective=args.objective,
        graph_model=args.graph_model,
        disable_tqdm=True,
        cache_dir=str(bench / "docgraph-cache"),
    )
    runs_dir = bench / "docgraph-runs"
    vector_lr = vector_baseline(train_path, test_path, Path(base.cache_dir or ""))
    logger.info("text vectors + logistic regression: %s", vector_lr)
    finetuned: dict[str, Any] = {}
    if args.finetune_epochs > 0:
        finetuned = finetuned_baseline(
            train_path,
            test_path,
            bench / "finetune-run",
            epochs=args.finetune_epochs,
            seed=args.seeds[0],
            keep=any(arm.startswith("finetuned") for arm in args.arms),
        )
        logger.info("fine-tuned text encoder alone: %s", finetuned)

    def arm_runs(arm: str, **overrides: Any) -> list[dict[str, Any]]:
        return [
            run_one(
                arm,
                replace(base, seed=seed, **overrides),
                train_path=train_path,
                test_path=test_path,
                kg=item.kg,
                runs_dir=runs_dir,
                keep=args.keep_models,
            )
            for seed in args.seeds
        ]

    runs: list[dict[str, Any]] = []
    # text: the learning rate with the best mean DEV accuracy (test never looked at).
    text_grid = {lr: arm_runs("text", **ARMS["text"], learning_rate=lr) for lr in args.text_lrs}
    for lr_runs in text_grid.values():
        runs.extend(lr_runs)
    text_dev = {lr: mean_dev(rs, args.metric) for lr, rs in text_grid.items()}
    text_lr = max(text_dev, key=text_dev.__getitem__)
    text_runs = text_grid[text_lr]
    table: dict[str, dict[str, Any]] = {"text": summarise(text_runs, text_runs)}
    for arm in args.arms:
        if arm == "text":
            continue
        settings = dict(ARMS[arm])
        if arm.startswith("finetuned"):
            if not finetuned:
                logger.warning("%s needs --finetune-epochs: skipped", arm)
                continue
            settings["text_encoder"] = str(bench / "finetune-run")
        arm_result = arm_runs(arm, **settings)
        runs.extend(arm_result)
        table[arm] = summarise(arm_result, text_runs)
    sweep: dict[str, Any] = {}
    if args.lambda_sweep and args.graph_lambda is None:
        logger.warning("--lambda-sweep needs a fixed --graph-lambda: skipped")
    elif args.lambda_sweep:
        candidates = {args.graph_lambda: [r for r in runs if r["arm"] == "kg"]}
        for lam in SWEEP_LAMBDAS:
            candidates[lam] = arm_runs("kg-sweep", graph_lambda=lam)
            runs.extend(candidates[lam])
        dev = {lam: mean_dev(rs, args.metric) for lam, rs in candidates.items()}
        chosen = max(dev, key=dev.__getitem__)
        sweep = {f"dev_{args.metric}_by_lambda": dev, "chosen_lambda": chosen}
        for lam, rs in sorted(candidates.items()):
            if lam != args.graph_lambda:
                table[f"kg lam={lam:g}"] = summarise(rs, text_runs)
        table[f"kg (dev-best lam={chosen:g})"] = summarise(candidates[chosen], text_runs)
    total = time.perf_counter() - started
    print_table(args.dataset, table, svm, vector_lr, args.metric)
    by_lr = ", ".join(f"lr {lr:g} dev {dev:.4f}" for lr, dev in text_dev.items())
    print(f"text lr by mean dev {args.metric}: {text_lr:g} ({by_lr})")
    if sweep:
        print(f"lambda sweep (kg, mean dev {args.metric}): {sweep}")
    print(f"s/run, cpu s: median wall and CPU seconds per run, torch threads {args.threads}")
    print(f"total {total:.0f} s (prepare + link {prepare_seconds:.0f} s)")
    results = {
        "dataset": args.dataset,
        "code": code_version,
        "args": vars(args),
        "options": asdict(base),
        "graph": item.graph,
        "links": links,
        "text_learning_rate": text_lr,
        f"text_dev_{args.metric}_by_lr": {str(lr): dev for lr, dev in text_dev.items()},
        "lambda_sweep": sweep,
        "tfidf_svm": svm,
        "text_vectors_logreg": vector_lr,
        "text_encoder_finetuned": finetuned,
        "table": table,
        "runs": runs,
        "seconds": {"total": round(total, 1), "prepare_and_link": round(prepare_seconds, 1)},
    }
    path = bench / args.out_name
    path.write_text(json.dumps(results, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
