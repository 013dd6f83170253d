"""``kgfuse serve`` latency: p50/p95 of card, neighbours, predict and ask over HTTP against
the same calls in-process, in the same run, on a store of the MetaQA KB.

The store is the MetaQA KB (133,582 ``head|relation|tail`` lines) imported into an embedded
store once (``--limit N`` imports only the first N lines). Two models are trained on it once
(kept under ``--work``): a QA ranker (packaged MiniLM, frozen; a few hundred 1-hop MetaQA dev
questions, ``--train-steps`` steps) and a document-graph classifier that tells which relation
a 1-hop question asks about (label: the KB relation between its topic and first answer). The
accuracy of these models is not the point; their size and code path are the real ones.

The server is a real uvicorn on a loopback port, on a thread of this process (a second
process could not open the same embedded store); the client is ``httpx`` on the main thread.
Each sample runs in-process then over HTTP, interleaved, so load changes hit both alike.
Both therefore share 2 cores and one GIL: the overhead printed is an upper bound.

    python benchmarks/serve_latency.py                     # full KB (import ~minutes, once)
    python benchmarks/serve_latency.py --limit 20000       # a slice

Measured (full KB: 39,830 entities, 133,484 edges; 200 card/neighbour and 50 predict/ask
samples; 2 cores shared with other jobs, load average ~9, run under ``nice``), p50 ms
in-process / HTTP (CPU in-process / HTTP): health 0.00 / 1.08 (0.00 / 1.05), card 40.4 /
42.8 (17.9 / 19.2), neighbours 146 / 137 (66 / 60), predict 58 / 46 (28 / 31), ask 100 / 105
(41 / 43). HTTP adds about 1 ms (the health row) and 1.3-2.4 ms to a card; the slower
calls' differences are within this machine's noise (p95s of 130-850 ms). Card p50 misses the
10 ms goal in-process already: cards of films touch hub neighbours (Comedy, Drama, English)
whose ``GraphStore.entities`` (surface-form counts over thousands of mentions) takes 20-125 ms
each on the embedded store. Ask p50 (105 ms) meets the 150 ms goal.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import logging
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "metaqa"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, default=DATA / "kb.txt")
    parser.add_argument("--questions", type=Path, default=DATA / "1hop_dev.jsonl")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgfuse-serve-bench"))
    parser.add_argument("--limit", type=int, default=None, help="Import only N KB lines")
    parser.add_argument("--samples", type=int, default=200, help="Card/neighbour samples")
    parser.add_argument("--model-samples", type=int, default=50, help="Predict/ask samples")
    parser.add_argument("--train-questions", type=int, default=400)
    parser.add_argument("--train-steps", type=int, default=60)
    parser.add_argument("--json-out", type=Path, default=None)
    return parser.parse_args()


def kb_file(args: argparse.Namespace) -> Path:
    """The KB, or its first ``--limit`` lines."""
    if args.limit is None:
        return args.kb
    part = args.work / f"kb-{args.limit}.txt"
    if not part.exists():
        with args.kb.open(encoding="utf-8") as handle:
            part.write_text("".join(itertools.islice(handle, args.limit)))
    return part


def prepare_store(path: Path, kb: Path) -> None:
    """Import ``kb`` into an embedded store at ``path`` (skipped when done before)."""
    from kgfuse.kg.importers import import_triples
    from kgfuse.kg.store import open_store

    if (path.parent / f"{path.name}.done").exists():
        return
    started = time.perf_counter()
    with open_store(str(path)) as store:
        import_triples(store, kb)
    (path.parent / f"{path.name}.done").write_text(f"{time.perf_counter() - started:.1f} s\n")
    print(f"imported {kb} in {time.perf_counter() - started:.1f} s")


def relations(kb: Path) -> dict[tuple[str, str], str]:
    """``(head key, tail key)`` and ``(tail key, head key)`` -> the KB relation."""
    from kgfuse.kg.importers import predicate_name
    from kgfuse.kg.normalize import entity_key

    out: dict[tuple[str, str], str] = {}
    with kb.open(encoding="utf-8") as handle:
        for line in handle:
            parts = [p.strip() for p in line.rstrip("\n").split("|")]
            if len(parts) == 3:
                s, p, o = entity_key(parts[0]), predicate_name(parts[1]), entity_key(parts[2])
                out.setdefault((s, o), p)
                out.setdefault((o, s), p)
    return out


def labelled_questions(path: Path, rel: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """1-hop questions whose topic and first answer are joined by a fact of the (sliced) KB."""
    from kgfuse.kg.normalize import entity_key

    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = rel.get((entity_key(row["topic_entity"]), entity_key(row["answers"][0])))
        if label:
            rows.append({**row, "label": label, "text": row["question"]})
    random.Random(0).shuffle(rows)
    return rows


def train_models(args: argparse.Namespace, store: Path, kb: Path, rows: list[dict]) -> list[str]:
    """Train (once) the QA ranker and the classifier; return their ``NAME=DIR`` specs."""
    from benchmarks.metaqa import load_kb

    qa_dir, clf_dir = args.work / "qa-model", args.work / "relation-classifier"
    train = rows[: args.train_questions]
    data = args.work / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in train))
    if not (qa_dir / "config.json").exists():
        from kgfuse.fusion.qa.options import QAOptions
        from kgfuse.fusion.qa.trainer import train_qa

        options = QAOptions(max_steps=args.train_steps, disable_tqdm=True, logging_steps=1000)
        train_qa(data, graph=load_kb(kb), out_dir=qa_dir, options=options)
    if not (clf_dir / "config.json").exists():
        from kgfuse.cli.classify import train_command

        overrides = ["disable_tqdm=true", "cv_folds=0", "dev_fraction=0"]
        train_command(
            "docgraph", data, None, store=str(store), out=clf_dir, overrides=overrides, epochs=50
        )
    return [f"qa={qa_dir}", f"relations={clf_dir}"]


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(values)
    return statistics.median(ordered) * 1e3, ordered[int(0.95 * (len(ordered) - 1))] * 1e3


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall seconds and CPU seconds of this process (client and server threads both)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(
    n: int, inproc: Callable[[int], Any], http: Callable[[int], Any]
) -> dict[str, list[float]]:
    """Interleaved timings of ``n`` samples (after 3 warm-up calls of each).

    Each sample is first run once untimed (so neither side pays the store's cold cache for
    that key), then timed both ways, the order alternating from one sample to the next.
    Wall time on a loaded machine includes waiting for a core at each wake-up (an HTTP call
    has several: client, event loop, worker thread); CPU time does not, so both are kept.
    """
    for i in range(3):
        inproc(i)
        http(i)
    out: dict[str, list[float]] = {
        "in-process": [],
        "http": [],
        "in-process-cpu": [],
        "http-cpu": [],
    }
    for i in range(n):
        inproc(i)
        order = (("in-process", inproc), ("http", http))
        for name, fn in order if i % 2 == 0 else order[::-1]:
            wall, cpu = timed(lambda fn=fn, i=i: fn(i))
            out[name].append(wall)
            out[f"{name}-cpu"].append(cpu)
    return out


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.WARNING)
    args.work.mkdir(parents=True, exist_ok=True)
    kb = kb_file(args)
    store_path = args.work / (f"graph-{args.limit}" if args.limit else "graph-full")
    prepare_store(store_path, kb)
    rows = labelled_questions(args.questions, relations(kb))
    models = train_models(args, store_path, kb, rows)
    gc.collect()  # drop the KB's relation map before timing (a large heap slows the GC)

    import httpx

    from kgfuse.kg.normalize import entity_key
    from kgfuse.serve import BackgroundServer, ServeSettings, ServeState
    from kgfuse.serve.routes.graph import card_view, neighbourhood_view
    from kgfuse.serve.routes.models import ask_view, predict_view

    settings = ServeSettings(store=str(store_path), models=tuple(models), port=0).check()
    state = ServeState.open(settings)
    held_out = rows[args.train_questions :] or rows
    keys = [entity_key(r["topic_entity"]) for r in held_out]
    questions = [r["question"] for r in held_out]
    qa, clf = state.model("qa", "qa"), state.model("relations", "classify")
    results: dict[str, dict[str, list[float]]] = {}
    with (
        BackgroundServer(state) as server,
        httpx.Client(base_url=server.url, timeout=120) as client,
    ):

        def get(path: str, **params: Any) -> Any:
            response = client.get(path, params=params)
            response.raise_for_status()
            return response.json()

        def post(path: str, body: dict[str, Any]) -> Any:
            response = client.post(path, json=body)
            response.raise_for_status()
            return response.json()

        k = lambda i: keys[i % len(keys)]  # noqa: E731
        q = lambda i: questions[i % len(questions)]  # noqa: E731
        results["health"] = measure(  # the HTTP floor: no store or model work at all
            args.samples,
            lambda i: {"status": "ok", "store": state.store.url},
            lambda i: get("/health"),
        )
        results["card"] = measure(
            args.samples,
            lambda i: card_view(state.store, k(i), 20, 10),
            lambda i: get(f"/entities/{k(i)}"),
        )
        results["neighbours"] = measure(
            args.samples,
            lambda i: neighbourhood_view(state.store, k(i), 1, 50),
            lambda i: get(f"/entities/{k(i)}/neighbors", hops=1, limit=50),
        )
        results["predict"] = measure(
            args.model_samples,
            lambda i: predict_view(clf, [q(i)]),
            lambda i: post("/predict", {"texts": [q(i)], "model": "relations"}),
        )
        results["ask"] = measure(
            args.model_samples,
            lambda i: ask_view(qa, state.store, q(i), [], 10),
            lambda i: post("/ask", {"question": q(i), "model": "qa", "top_k": 10}),
        )
    started = time.perf_counter()
    counted = state.store.stats(top=0)  # slow on a big store: counted once, in-process
    stats = {"entities": counted.entities, "edges": counted.edges}
    print(f"stats of the store: {time.perf_counter() - started:.1f} s")
    state.close()
    report(args, stats, results)


def report(args: argparse.Namespace, stats: dict, results: dict[str, dict[str, list]]) -> None:
    """Print the table and the goals' verdicts (and write JSON when asked)."""
    print(
        f"store: {stats['entities']} entities, {stats['edges']} edges"
        f" ({'first ' + str(args.limit) + ' KB lines' if args.limit else 'full MetaQA KB'})"
    )
    head = f"{'call':<11}{'in-process p50/p95':>20}{'HTTP p50/p95':>17}{'overhead p50':>14}"
    print(f"{head}{'CPU in-proc/HTTP p50':>23}{'CPU overhead':>14}   (ms)")
    summary = {}
    for name, runs in results.items():
        (a50, a95), (h50, h95) = p50_p95(runs["in-process"]), p50_p95(runs["http"])
        c50, d50 = p50_p95(runs["in-process-cpu"])[0], p50_p95(runs["http-cpu"])[0]
        summary[name] = {
            "inproc_p50": a50, "inproc_p95": a95, "http_p50": h50, "http_p95": h95,
            "inproc_cpu_p50": c50, "http_cpu_p50": d50, "samples": len(runs["http"]),
        }  # fmt: skip
        print(
            f"{name:<11}{a50:>10.2f} / {a95:>7.2f}{h50:>9.2f} / {h95:>6.2f}{h50 - a50:>13.2f}"
            f"{c50:>14.2f} / {d50:>6.2f}{d50 - c50:>14.2f}"
        )
    card, ask = summary["card"], summary["ask"]
    worst = max(s["http_p50"] - s["inproc_p50"] for s in summary.values())
    worst_cpu = max(s["http_cpu_p50"] - s["inproc_cpu_p50"] for s in summary.values())
    # On a loaded 2-core machine the p50 difference of the slow calls is noise of +-15 ms;
    # the health row (no work) is the overhead HTTP itself adds.
    print(f"goal HTTP overhead p50 <= 2 ms: worst {worst:.2f} ms wall, {worst_cpu:.2f} ms CPU")
    print(f"goal card p50 <= 10 ms (HTTP): {card['http_p50']:.2f} ms")
    print(f"goal ask p50 <= 150 ms (HTTP): {ask['http_p50']:.2f} ms")
    if args.json_out:
        args.json_out.write_text(json.dumps({"stats": stats, "summary": summary}, indent=2))


if __name__ == "__main__":
    main()
