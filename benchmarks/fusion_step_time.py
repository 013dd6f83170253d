"""Time per training step of each fusion operator against the text-only ``none`` baseline.

Same text encoder (the packaged all-MiniLM-L6-v2), sequence length 128, batch 16. The graph
is the MetaQA movie KB (../shared/data/metaqa/kb.txt, 133k facts, 43k entities); each text is
a MetaQA question linked to its topic entity. A step = collate (subgraph sampling) + forward +
backward + AdamW step. Prints seconds per step and the ratio to ``none`` (goal <= 1.3x).

    python benchmarks/fusion_step_time.py --steps 5 --warmup 2
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

import torch

from kgfuse.fusion.classify.data import LabelSpace
from kgfuse.fusion.classify.subgraph.builder import build_model
from kgfuse.fusion.classify.subgraph.dataset import FusionCollator
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.fusers import FUSIONS
from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import SubgraphSampler
from kgfuse.kg.normalize import entity_key

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "metaqa"


def load_graph(limit: int) -> KGData:
    edges, names = [], {}
    with (DATA / "kb.txt").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                break
            parts = line.rstrip("\n").split("|")
            if len(parts) == 3 and all(parts):
                s, p, o = parts
                names.setdefault(entity_key(s), s)
                names.setdefault(entity_key(o), o)
                edges.append((entity_key(s), p, entity_key(o)))
    return KGData.from_edges([e for e in edges if e[0] and e[2]], names=names)


def load_questions(n: int) -> list[tuple[str, str]]:
    rows = []
    with (DATA / "1hop_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append((record["question"], entity_key(record["topic_entity"])))
            if len(rows) >= n:
                break
    return rows


class Runner:
    """One model + optimizer + collator per fusion operator."""

    def __init__(self, fusion: str, kg: KGData, args: argparse.Namespace) -> None:
        labels = LabelSpace(("a", "b", "c", "d"), multi_label=False)
        options = TrainOptions(
            fusion=fusion,
            graph_encoder=args.graph_encoder,
            node_features="learned",
            hops=args.hops,
            max_neighbors=args.max_neighbors,
        )
        torch.manual_seed(0)
        self.model, self.tokenizer, _ = build_model(options, kg, labels, cache_dir=Path("/tmp/kb"))
        self.model.train()
        sampler = None
        if fusion != "none":
            sampler = SubgraphSampler(kg, hops=args.hops, max_neighbors=args.max_neighbors)
        self.collate = FusionCollator(self.tokenizer.pad_token_id, sampler)
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(params, lr=2e-5)
        self.times: list[float] = []

    def step(self, features: list[dict], *, record: bool) -> None:
        start = time.perf_counter()
        loss = self.model(**self.collate(features)).loss
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        if record:
            self.times.append(time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=128)
    parser.add_argument("--graph-encoder", default="rgcn")
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--max-neighbors", type=int, default=10)
    parser.add_argument("--facts", type=int, default=200_000, help="KB lines to read")
    parser.add_argument("--fusions", default=",".join(FUSIONS))
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = default)")
    args = parser.parse_args()
    kg = load_graph(args.facts)
    questions = [(q, k) for q, k in load_questions(2000) if kg.index([k])]
    print(
        f"graph: {kg.num_entities} entities, {kg.num_relations} relations, {kg.num_edges} facts; "
        f"{len(questions)} linked questions; torch threads {torch.get_num_threads()}"
    )
    print(
        f"batch {args.batch_size}, seq len {args.seq_len}, encoder {args.graph_encoder}, "
        f"hops {args.hops}, max_neighbors {args.max_neighbors}"
    )
    if args.threads:
        torch.set_num_threads(args.threads)
    runners = {fusion: Runner(fusion, kg, args) for fusion in args.fusions.split(",")}
    tokenizer = next(iter(runners.values())).tokenizer
    rng = random.Random(0)
    # Interleaved: every step runs each fusion on the same batch, so that load from other
    # processes on the machine hits all operators alike.
    for step in range(args.warmup + args.steps):
        chosen = rng.sample(questions, args.batch_size)
        enc = tokenizer(
            [q for q, _ in chosen], padding="max_length", truncation=True, max_length=args.seq_len
        )
        features = [
            {
                "input_ids": enc["input_ids"][i],
                "attention_mask": enc["attention_mask"][i],
                "entity_ids": kg.index([key]),
                "labels": rng.randrange(4),
            }
            for i, (_, key) in enumerate(chosen)
        ]
        for runner in runners.values():
            runner.step(features, record=step >= args.warmup)
    results = {}
    for fusion, runner in runners.items():
        results[fusion] = statistics.median(runner.times)
        spread = f"{min(runner.times):.3f}-{max(runner.times):.3f}"
        count = len(runner.times)
        print(f"{fusion:16s} {results[fusion]:.3f} s/step (median of {count}, {spread})")
    base = results.get("none")
    if base:
        print("ratio to none: " + ", ".join(f"{f} {t / base:.2f}x" for f, t in results.items()))


if __name__ == "__main__":
    main()
