"""QA building blocks: reading questions, linking topics, subgraphs, the model's forward."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import BertConfig

from kgfuse.errors import ConfigError, DataError, EntityNotFoundError
from kgfuse.fusion.qa.config import KGQAConfig
from kgfuse.fusion.qa.data import parse_question, read_qa
from kgfuse.fusion.qa.model import KGQAForAnswerRanking
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.graph.data import KGData
from kgfuse.graph.linking import TopicLinker, mask_mention

from .toy import edges


@pytest.fixture(scope="module")
def kg() -> KGData:
    return KGData.from_edges(
        [*edges(), ("tom_hanks", "starred_actors", "big")], names={"tom_hanks": "Tom Hanks"}
    )


def test_brackets_mark_the_topic_entity() -> None:
    text, topics, mentions = parse_question("what movies did [Tom Hanks] star in")
    assert text == "what movies did Tom Hanks star in"
    assert topics == ("Tom Hanks",) and mentions == ("Tom Hanks",)
    _, given, _ = parse_question("who directed [Big]", ("big",))
    assert given == ("big",)  # a given topic entity wins over the brackets


def test_read_qa_rules(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    second_row = {"id": "q2", "question": "when was alpha released", "answers": "y1990"}
    rows = [
        {"question": "who directed [alpha]", "answers": ["anna"]},
        {**second_row, "topic_entity": "alpha"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")
    first, second = read_qa(path)
    assert first.topics == ("alpha",) and first.id.endswith("q.jsonl:1")
    assert second.answers == ("y1990",) and second.id == "q2"
    with pytest.raises(DataError, match="does not exist"):
        read_qa(tmp_path / "missing.jsonl")
    path.write_text('{"question": "who?", "answers": ["a"]}\n{oops\n')
    with pytest.raises(DataError, match=r"q.jsonl:2: not valid JSON"):
        read_qa(path)
    path.write_text('{"question": "who directed alpha"}\n')
    with pytest.raises(DataError, match="has no 'answers'"):
        read_qa(path)
    assert read_qa(path, require_answers=False)[0].answers == ()
    path.write_text("")
    with pytest.raises(DataError, match="holds no questions"):
        read_qa(path)


def test_topic_linking_exact_name_fuzzy_and_scan(kg: KGData) -> None:
    linker = TopicLinker(kg)
    tom = kg.entity_vocab.index("tom_hanks")
    assert linker.resolve("tom_hanks") == tom  # key
    assert linker.resolve("Tom  HANKS") == tom  # name, normalised
    assert linker.resolve("Tom Hankss") == tom  # fuzzy
    with pytest.raises(EntityNotFoundError, match="did you mean one of: 'Tom Hanks'"):
        linker.resolve("Tim Hunks")
    with pytest.raises(EntityNotFoundError, match="no letters or digits"):
        linker.resolve("$")
    # the longest entity name in the question wins; no topic -> scan
    assert linker.link("what movies did tom hanks star in", None) == [tom]
    assert linker.link("nothing to see", None) == []


def test_mask_mention() -> None:
    assert mask_mention("what did Tom Hanks star in", ["tom hanks"], "NE") == "what did NE star in"
    assert mask_mention("films by O'Brien?", ["O'Brien"], "NE") == "films by NE?"
    assert mask_mention("no mention here", ["Tom Hanks"], "NE") == "no mention here"
    assert mask_mention("who wrote The Girl", ["The Girl"], "NE") == "who wrote NE"
    assert mask_mention("who wrote Girl", ["The Girl"], "NE") == "who wrote NE"


def test_subgraph_bounds_and_directions(kg: KGData) -> None:
    alpha = kg.entity_vocab.index("alpha")
    one = QASubgraphSampler(kg, hops=1)
    nodes, _ = one.one([alpha])
    assert {kg.entity_vocab[i] for i in nodes} == {"alpha", "anna", "ben", "cara", "y1990"}
    two = QASubgraphSampler(kg, hops=2)
    nodes2, _ = two.one([alpha])
    assert {"bravo", "charlie", "delta"} <= {kg.entity_vocab[i] for i in nodes2}
    hub_free = QASubgraphSampler(kg, hops=2, max_degree=1)  # farther nodes are not expanded
    assert len(hub_free.one([alpha])[0]) == len(nodes)
    capped = QASubgraphSampler(kg, hops=2, max_nodes=3)
    assert len(capped.one([alpha])[0]) == 3
    batch = two.sample([[alpha], [kg.entity_vocab.index("tom_hanks")]])
    assert batch.batch.tolist() == sorted(batch.batch.tolist())
    assert int(batch.topic_mask.sum()) == 2
    half = batch.edge_index.shape[1] // 2
    assert torch.equal(batch.edge_index[:, :half].flip(0), batch.edge_index[:, half:])
    assert torch.equal(batch.edge_type[half:], batch.edge_type[:half] + kg.num_relations)
    with pytest.raises(ConfigError):
        QASubgraphSampler(kg, hops=0)


@pytest.mark.parametrize("node_features", ["none", "learned", "text"])
def test_forward_shapes_and_loss(kg: KGData, node_features: str) -> None:
    text_config = BertConfig(
        vocab_size=30, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=16,
    )  # fmt: skip
    config = KGQAConfig(
        text_config=text_config, num_hops=3, hidden_size=16, num_entities=kg.num_entities,
        num_relations=kg.num_relations, node_features=node_features,
        node_feature_dim=8 if node_features == "text" else 0, hop_loss_weight=1.0,
    )  # fmt: skip
    model = KGQAForAnswerRanking(config).eval()
    graph = QASubgraphSampler(kg, hops=3).sample([[0], [1, 2]])
    labels = torch.zeros(graph.node_ids.shape[0])
    for b in range(2):  # one gold answer per question: its first non-topic node
        labels[int(((graph.batch == b) & ~graph.topic_mask).nonzero()[0])] = 1.0
    out = model(
        **graph.as_dict(),
        input_ids=torch.randint(5, 30, (2, 6)),
        attention_mask=torch.ones(2, 6, dtype=torch.long),
        labels=labels,
    )
    counts = torch.bincount(graph.batch).tolist()
    assert out.logits.shape == (2, max(counts))
    assert out.hop_scores.shape == (3, graph.node_ids.shape[0])
    assert out.relation_weights.shape == (3, 2, 2 * kg.num_relations)
    assert torch.isfinite(out.loss) and out.loss > 0
    topic_logits = out.logits[out.node_mask][graph.topic_mask]
    assert (topic_logits == torch.finfo(topic_logits.dtype).min).all()  # never an answer
    assert torch.equal(out.candidate_mask[out.node_mask], ~graph.topic_mask)
    with pytest.raises(ConfigError):
        KGQAConfig(text_config=text_config, node_features="graph")
    inputs = {
        **graph.as_dict(), "text_embeds": torch.randn(2, 32), "labels": labels,
    }  # fmt: skip
    plain = model(**inputs).loss
    unknown = model(**inputs, hop_labels=torch.tensor([0, 0])).loss
    assert torch.allclose(plain, unknown)  # 0 = hop count not stated: no hop loss
    model.train()
    model.dropout.p = 0.0
    stated = model(**inputs, hop_labels=torch.tensor([1, 3]))
    attn = stated.hop_attention.detach()
    expected = -(attn[0, 0].log() + attn[1, 2].log()) / 2
    assert torch.allclose(stated.loss - model(**inputs).loss, expected, atol=1e-5)
    stated.loss.backward()
    assert model.hop_attention.weight.grad is not None
    assert model.hop_attention.weight.grad.abs().sum() > 0


def test_store_aliases_link_topics(kg: KGData) -> None:
    from kgfuse.types import Entity, EntityMatch

    class AliasStore:  # the part of GraphStore that TopicLinker uses
        def lookup(self, name: str, *, fuzzy: bool = True, limit: int = 10) -> list:
            tom = Entity(key="tom_hanks", name="Tom Hanks", label="PERSON")
            return [EntityMatch(tom, "alias", name, 0.95)] if name.lower() == "hanks" else []

    linker = TopicLinker(kg, store=AliasStore())
    tom = kg.entity_vocab.index("tom_hanks")
    assert linker.resolve("Hanks") == tom
    assert linker.link("what did hanks star in", None) == [tom]
    assert TopicLinker(kg).link("what did hanks star in", None) == []
