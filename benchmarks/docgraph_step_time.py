"""Cost of the document graph against the text-only baseline in the same code.

One run = encode every graph document with the frozen text encoder (the shared, fixed cost)
then ``--epochs`` full-graph training steps. Both arms run ``train_document_graph`` with the
same data and epochs (no dev slice, no early stopping); ``graph_lambda 0`` is the text head
alone (the model skips the graph when its weight is zero). Both include reading the data,
fitting the term graph and saving the model directory (with the text encoder). Prints the
encoding time, the training seconds per epoch of each arm, and the ratio of whole runs
(encode + train), which is what a user waits for (goal <= 1.3x).

Data: JSONL files with text, label and an ``entities`` column, e.g. the 20NG subsample that
``benchmarks/docgraph_accuracy.py`` links::

    python benchmarks/docgraph_step_time.py --train .bench/20ng/train-docgraph.jsonl \
        --eval .bench/20ng/test-docgraph.jsonl --epochs 100 --threads 2

Seen on a shared 2-core machine (``--threads 1``, 1,500 20NG documents of 1,000 characters,
3,089 entity terms): encoding 144 s; 100 epochs 2.8 s text-only against 21.5 s document graph
(28 against 215 ms per epoch); whole run 1.13x.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

import torch

from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.fusion.text_encoder import default_text_encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--eval", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cv-folds", type=int, default=5, help="the library default, 5")
    parser.add_argument("--graph-models", nargs="+", default=["gcn", "sgc"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    torch.set_num_threads(args.threads)
    # the graph's documents, distinct, in the trainer's order: the same cache key
    texts = list(dict.fromkeys(ex.text for p in (args.train, args.eval) for ex in read_examples(p)))
    encoder = FrozenTextEncoder.load(default_text_encoder())
    work = Path(tempfile.mkdtemp(prefix="docgraph-time-"))
    start = time.perf_counter()
    encoder.encode(texts, cache_dir=work / "cache")  # both arms then read these vectors
    encode_s = time.perf_counter() - start
    arms = {"text-only": ("gcn", 0.0), **{m: (m, 0.7) for m in args.graph_models}}
    stages: dict[str, dict[str, float]] = {}
    scores: dict[str, dict[str, object]] = {}
    try:
        for arm, (graph_model, lam) in arms.items():
            options = DocGraphOptions(
                graph_model=graph_model,
                graph_lambda=lam,
                epochs=args.epochs,
                cv_folds=args.cv_folds,
                dev_fraction=0.0,
                patience=None,
                cache_dir=str(work / "cache"),
                disable_tqdm=True,
            )
            out = work / f"run-{arm}"
            train_document_graph(args.train, args.eval, graph=None, out_dir=out, options=options)
            stages[arm] = json.loads((out / "timings.json").read_text())
            metrics = json.loads((out / "metrics.json").read_text())
            scores[arm] = {k: metrics.get(k) for k in ("eval_accuracy", "graph_lambda")}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = stages["text-only"]
    result: dict[str, object] = {
        "documents": len(texts),
        "epochs": args.epochs,
        "cv_folds": args.cv_folds,
        "encode_seconds": round(encode_s, 2),
        "stages": stages,
        "scores": scores,
    }
    for arm in args.graph_models:
        result[f"train_ratio_{arm}_vs_text_only"] = round(
            stages[arm]["seconds_train"] / text["seconds_train"], 2
        )
        result[f"graph_stage_ratio_{arm}_vs_text_only"] = round(
            (stages[arm]["seconds_train"] + stages[arm]["seconds_graph"])
            / (text["seconds_train"] + text["seconds_graph"]),
            2,
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
