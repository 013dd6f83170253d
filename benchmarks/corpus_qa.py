"""Corpus QA on WebNLG dev: extraction and question answering measured together.

1. A seeded sample of ``--texts`` WebNLG dev texts is built into an embedded store with
   kgfuse's own extractor (``build_graph``).
2. A QA model is trained on questions synthesised from that graph alone (``kgfuse qa
   synthesize``, default relation phrases; 20% held back for calibration).
3. Gold questions come from the texts' gold triples ``(s, p, o)``: "what is the <p words>
   of [s]", answer ``o``, phrased by the same default templates over the DBpedia relation
   name. They are answered over kgfuse's graph.

Reported: Hits@1 over all gold questions, ``reachable`` (the answer is among the candidates of
the topic's subgraph in kgfuse's graph: extraction found both entities and connected them
within ``--hops``), and the counts of topics / answers that extraction never produced. The gap
between ``reachable`` and Hits@1 is the QA model's; the rest is extraction's. A baseline in
the same run: Hits@1 of a random candidate of the same subgraphs.

    python benchmarks/corpus_qa.py --texts 150 --epochs 8
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from pathlib import Path

import torch

from kgfuse.config import load_config
from kgfuse.errors import EntityNotFoundError
from kgfuse.fusion.qa.inference import evaluate_qa
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.qa.phrases import default_phrases
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.fusion.qa.synthesize import synthesize_questions, write_questions
from kgfuse.fusion.qa.trainer import train_qa
from kgfuse.graph.data import KGData
from kgfuse.graph.linking import TopicLinker
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.normalize import entity_key

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "webnlg" / "dev.jsonl"


def gold_questions(rows: list[dict]) -> list[dict]:
    """One question per distinct gold triple: the forward template over the relation name."""
    out, seen = [], set()
    for row in rows:
        for s, p, o in row["triples"]:
            s, o = s.replace("_", " ").strip('"'), o.replace("_", " ").strip('"')
            if (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            template = default_phrases(p).forward[0]
            out.append(
                {
                    "id": f"{row['id']}-{len(out)}-1hop",
                    "question": template.replace("{x}", f"[{s}]"),
                    "topic_entity": s,
                    "answers": [o],
                    "hops": 1,
                }
            )
    return out


def random_baseline(kg: KGData, questions: list[dict], store: object, hops: int) -> float:
    """Hits@1 of a uniformly random candidate of each question's subgraph (expected)."""
    linker, sampler = TopicLinker(kg, store=store), QASubgraphSampler(kg, hops=hops)
    lookup = {k: i for i, k in enumerate(kg.entity_vocab)}
    total = 0.0
    for q in questions:
        try:
            topic = linker.resolve(q["topic_entity"])
        except EntityNotFoundError:  # unknown topic: a miss for every model
            continue
        nodes, _ = sampler.one([topic])
        answers = {lookup.get(entity_key(a)) for a in q["answers"]} - {None}
        candidates = [n for n in nodes.tolist() if n != topic]
        if candidates:
            total += len(answers.intersection(candidates)) / len(candidates)
    return total / max(len(questions), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=150)
    parser.add_argument("--out", type=Path, default=Path("runs/corpus_qa"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--per-pattern", type=int, default=5)
    parser.add_argument("--epochs", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    torch.set_num_threads(args.threads)
    from kgfuse.build import build_graph
    from kgfuse.kg.store import open_store
    from kgfuse.nlp.extractor import Extractor
    from kgfuse.nlp.model import load_nlp

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    rows = random.Random(args.seed).sample(rows, min(args.texts, len(rows)))
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = args.out / "texts.jsonl"
    corpus.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows))
    gold = write_questions(gold_questions(rows), args.out / "gold.jsonl")
    seconds = {}
    t0 = time.perf_counter()
    with open_store(str(args.out / "graph")) as store:
        build_graph(corpus, store, extractor=Extractor(load_nlp()), progress=False)
        kg = to_pyg(store)
        seconds["build"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        synth = synthesize_questions(kg, hops=range(1, args.hops + 1), per_pattern=args.per_pattern)
        random.Random(args.seed).shuffle(synth)
        cut = int(0.8 * len(synth))
        train = write_questions(synth[:cut], args.out / "synth_train.jsonl")
        held = write_questions(synth[cut:], args.out / "synth_held.jsonl")
        options = load_config(
            QAOptions, None, (), hops=args.hops, epochs=args.epochs, disable_tqdm=True,
            unknown_topics="skip", logging_steps=1000,
        )  # fmt: skip
        train_qa(train, held, graph=store, out_dir=args.out / "model", options=options)
        seconds["synthesise_train"] = round(time.perf_counter() - t0, 1)
        synth_scores = evaluate_qa(args.out / "model", held, store=store)
        scores = evaluate_qa(args.out / "model", gold, store=store)
        baseline = random_baseline(kg, json_rows(gold), store, args.hops)
    report = {
        "texts": len(rows),
        "graph": {"entities": kg.num_entities, "relations": kg.num_relations,
                  "facts": kg.num_edges},
        "synthesised_questions": {"train": cut, "held_back": len(synth) - cut},
        "held_back_synthesised": {k: synth_scores[k] for k in ("hits@1", "answer_coverage")},
        "gold": {k: scores[k] for k in ("questions", "hits@1", "hits@10", "answer_coverage",
                                        "unknown_topics", "unknown_answers", "unlinked")},
        "gold_random_candidate_hits@1": round(baseline, 4),
        "seconds": seconds,
    }  # fmt: skip
    print(json.dumps(report, indent=2))


def json_rows(path: Path) -> list[dict]:
    """The rows of a JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


if __name__ == "__main__":
    main()
