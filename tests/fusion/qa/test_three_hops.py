"""One model for 1, 2 and 3 hops, trained on questions synthesised from the graph alone:
3-hop answers on a small graph, every answer inside the 3-hop subgraph."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from kgfuse.fusion.qa.inference import ask, evaluate_qa
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.fusion.qa.synthesize import synthesize_questions, write_questions
from kgfuse.fusion.qa.trainer import train_qa
from kgfuse.graph.data import KGData

from .toy import FAST

PHRASES = """
[directed_by]
forward = ["who directed {x}"]
inverse = ["what did {x} direct"]
forward_noun = ["the director of {x}"]
inverse_noun = ["the films directed by {x}"]
[starred_actors]
forward = ["who starred in {x}"]
inverse = ["what did {x} star in"]
forward_noun = ["the actors of {x}"]
inverse_noun = ["the films starring {x}"]
[release_year]
forward = ["when was {x} released"]
inverse = ["what was released in {x}"]
forward_noun = ["the year of {x}"]
inverse_noun = ["the films released in {x}"]
"""


def chance(kg: KGData, rows: list[dict], hops: int) -> float:
    """Hits@1 of a random candidate of the 3-hop subgraph, over the ``hops``-hop questions."""
    sampler = QASubgraphSampler(kg, hops=3)
    lookup = {k: i for i, k in enumerate(kg.entity_vocab)}
    rates = []
    for row in rows:
        if row["hops"] == hops:
            topic = lookup[row["topic_entity"]]
            nodes, _ = sampler.one([topic])
            rates.append(len(row["answers"]) / (len(nodes) - 1))
    return sum(rates) / len(rates)


@pytest.mark.slow
def test_one_model_answers_one_to_three_hops(
    toy_kg: KGData,
    tiny_bert_factory: Callable[[str, Sequence[str]], Path],
    tmp_path: Path,
) -> None:
    phrases = tmp_path / "phrases.toml"
    phrases.write_text(PHRASES)
    rows = synthesize_questions(toy_kg, hops=(1, 2, 3), per_pattern=3, phrases=phrases)
    rows = [r for r in rows if len(r["answers"]) <= 6]  # keep the toy task sharp
    data = write_questions(rows, tmp_path / "synth.jsonl")
    words = sorted({w for r in rows for w in re.findall(r"[a-z]+", r["question"].lower())})
    bert = tiny_bert_factory("qa3_bert", [*words, "ne"])
    options = QAOptions(text_encoder=str(bert), hops=3, epochs=40, hop_loss_weight=1.0, **FAST)
    metrics = train_qa(data, graph=toy_kg, out_dir=tmp_path / "m", options=options)
    assert metrics["train_answer_coverage"] == 1.0
    scores = evaluate_qa(tmp_path / "m", data)
    assert set(scores["by_hops"]) == {"1", "2", "3"}
    assert scores["by_hops"]["3"]["answer_coverage"] == 1.0
    # well above picking a candidate at random (measured: 0.81 against a chance of ~0.2)
    assert scores["by_hops"]["3"]["hits@1"] >= 0.75
    assert scores["by_hops"]["3"]["hits@1"] >= 2.5 * chance(toy_kg, rows, 3)
    assert scores["by_hops"]["1"]["hits@1"] >= 0.85  # measured 8 of 9
    three = next(
        r for r in rows if r["path"] == ["^directed_by", "starred_actors", "^starred_actors"]
    )
    result = ask(tmp_path / "m", three["question"])
    assert result.answers[0].key in three["answers"]
    assert len(result.answers[0].path) == 3
