"""Mini-batch against full-graph training of the document graph: test accuracy and peak
memory of each, on the same data, seeds and settings.

Data: ``--dataset r8`` (or ``sms_spam``...): the linked texts cached by
``benchmarks/docgraph_accuracy.py``
(``.bench/<dataset>/{train,test}-docgraph.jsonl``, with an ``entities`` column) and its text
vector cache (copied: the cache is read-only). No store is opened (``graph=None``): entity
terms come from the cached links, term-term edges from PMI only (no fact edges), and words
join as terms unless ``--no-words``. Transductive, GCN by default, the dev-slice protocol
(``cv_folds 0``, 10 % of train held out unlabelled, picks the epoch and the graph weight)
unless ``--cv-folds``. ``--dataset 20ng-subset``: a seeded sample of 20NG
(``--train-size``, ``--test-size``; 20NG's links are not cached, so no entities: a words-only
graph, TextGCN's). Full-graph training takes one step per epoch (``--epochs``, default 100,
patience 20), mini-batch training ``len(fit) / --batch-size`` (``--mini-epochs``, default 20,
patience 5).

Each arm runs in a fresh process (``train_document_graph``, ``mini_batch`` True or False).
Memory, from ``/proc/self/status``: ``train_peak_mb`` is the peak resident memory during the
training stage above what the process held when it began (the peak is reset with
``/proc/self/clear_refs``, so graph building and encoding do not count), ``process_peak_mb``
the whole run's peak. Prints per seed and arm the test accuracy, the difference
(mini - full), both memory figures, the training seconds and the load average.

    nice -n 10 python -m benchmarks.docgraph_minibatch --dataset r8 --seeds 1 2

Results go to ``.bench/issue16-h5/docgraph-minibatch-<dataset>.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
OUT = BENCH / "issue16-h5"
#: ``--dataset 20ng-subset``: a sample of 20NG prepared here (20NG's links are not cached).
SUBSET = "20ng-subset"


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"{field}:\s+(\d+) kB", text)
    return int(match.group(1)) if match else 0


def _data_dir(dataset: str) -> Path:
    return OUT / dataset if dataset == SUBSET else BENCH / dataset


def prepare_subset(train_size: int, test_size: int, seed: int = 0) -> None:
    """A seeded sample of 20NG (``../shared/data/20ng``), texts cut to 1,000 characters, no
    entities column: without a store the graph holds words only (TextGCN's graph)."""
    import random

    source = ROOT.parent / "shared" / "data" / "20ng"
    out = OUT / SUBSET
    out.mkdir(parents=True, exist_ok=True)
    for split, size in (("train", train_size), ("test", test_size)):
        rows = [json.loads(line) for line in (source / f"{split}.jsonl").open()]
        random.Random(seed).shuffle(rows)
        picked = [{"text": r["text"][:1000], "label": r["label"]} for r in rows[:size]]
        text = "".join(json.dumps(r) + "\n" for r in picked)
        (out / f"{split}-docgraph.jsonl").write_text(text)


def arm(args: argparse.Namespace) -> dict[str, Any]:
    """One training run in this process; returns its metrics and memory figures."""
    import torch

    import kgfuse.fusion.classify.docgraph.trainer as trainer
    from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph

    torch.set_num_threads(1)
    measured: dict[str, float] = {}
    depth = [0]

    def measure(function: Any) -> Any:
        """Wrap a training function: peak memory above the start, seconds (outermost)."""

        def wrapper(*a: Any, **k: Any) -> Any:
            depth[0] += 1
            if depth[0] > 1:
                try:
                    return function(*a, **k)
                finally:
                    depth[0] -= 1
            _ = a[1].adjacency  # the graph's adjacency (cached, built once): not training memory
            before = _status_kb("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
            started = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                measured["train_seconds"] = round(time.perf_counter() - started, 1)
                measured["train_peak_mb"] = round((_status_kb("VmHWM") - before) / 1024, 1)
                depth[0] -= 1

        return wrapper

    trainer.fit_full_graph = measure(trainer.fit_full_graph)
    trainer._cross_validated_fit = measure(trainer._cross_validated_fit)
    data = _data_dir(args.dataset)
    options = DocGraphOptions(
        words=args.words,
        graph_model=args.graph_model,
        # a mini-batch epoch takes len(fit) / batch_size steps, a full-graph epoch one
        epochs=args.mini_epochs if args.arm == "mini" else args.epochs,
        patience=args.mini_patience if args.arm == "mini" else args.patience,
        cv_folds=args.cv_folds,
        dev_fraction=0.1,
        seed=args.seed,
        mini_batch=args.arm == "mini",
        batch_size=args.batch_size,
        cache_dir=str(OUT / f"{args.dataset}-cache"),
        disable_tqdm=True,
        device="cpu",
    )
    run_dir = OUT / "docgraph-minibatch-runs" / f"{args.dataset}-{args.arm}-{args.seed}"
    metrics = train_document_graph(
        data / "train-docgraph.jsonl",
        data / "test-docgraph.jsonl",
        graph=None,
        out_dir=run_dir,
        options=options,
    )
    shutil.rmtree(run_dir, ignore_errors=True)  # the weights are not needed
    keep = ("eval_accuracy", "eval_macro_f1", "best_epoch", "graph_lambda", "mini_batch")
    keep += ("epochs_run", "graph_documents", "graph_terms", "term_edges")
    return {
        **{k: metrics.get(k) for k in keep},
        **measured,
        "process_peak_mb": round(_status_kb("VmHWM") / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="r8")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--graph-model", default="gcn")
    parser.add_argument("--words", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--patience", type=int, default=20)
    parser.add_argument("--mini-epochs", type=int, default=20)
    parser.add_argument("--mini-patience", type=int, default=5)
    parser.add_argument("--cv-folds", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--train-size", type=int, default=2000, help="20ng-subset only")
    parser.add_argument("--test-size", type=int, default=1000, help="20ng-subset only")
    parser.add_argument("--arm", choices=("full", "mini"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arm:
        print(json.dumps(arm(args)))
        return
    if args.dataset == SUBSET:
        prepare_subset(args.train_size, args.test_size)
    cache = OUT / f"{args.dataset}-cache"
    if not cache.exists() and (BENCH / args.dataset / "docgraph-cache").is_dir():
        shutil.copytree(BENCH / args.dataset / "docgraph-cache", cache)
    passed = sys.argv[1:]
    results: list[dict[str, Any]] = []
    for seed in args.seeds:
        for name in ("full", "mini"):
            command = [sys.executable, "-m", "benchmarks.docgraph_minibatch", *passed]
            command += ["--arm", name, "--seed", str(seed)]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{name} seed {seed} failed:\n{done.stderr[-3000:]}")
            result = {"arm": name, "seed": seed, **json.loads(done.stdout.splitlines()[-1])}
            results.append(result)
            print(json.dumps(result), flush=True)
    print(
        f"\n{'seed':>4} {'arm':>5} {'accuracy':>9} {'train peak MB':>14} "
        f"{'process MB':>11} {'s':>7}"
    )
    for r in results:
        print(
            f"{r['seed']:>4} {r['arm']:>5} {r['eval_accuracy']:>9.4f} {r['train_peak_mb']:>14.1f}"
            f" {r['process_peak_mb']:>11.1f} {r['train_seconds']:>7.1f}"
        )
    full = [r["eval_accuracy"] for r in results if r["arm"] == "full"]
    mini = [r["eval_accuracy"] for r in results if r["arm"] == "mini"]
    diff = 100 * (sum(mini) / len(mini) - sum(full) / len(full))
    print(f"mean accuracy: full {sum(full) / len(full):.4f}, mini {sum(mini) / len(mini):.4f}")
    print(f"difference (mini - full): {diff:+.2f} points")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print("load average:", load)
    report = {"args": vars(args), "results": results, "diff_points": diff, "load": load}
    (OUT / f"docgraph-minibatch-{args.dataset}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
