"""``graph_model="rsgc"``: typed fact edges between entity terms, the relational layer checked
against a hand computation, training that saves and reloads to identical logits, and
cross-validation that drops a relational graph that only adds noise."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.adjacency import build_adjacency, doc_term_matrix
from kgfuse.fusion.classify.docgraph.architectures import model_class, new_model
from kgfuse.fusion.classify.docgraph.model import DocGraphConfig
from kgfuse.fusion.classify.docgraph.relational import (
    RelationalDocGraphForSequenceClassification,
    configure_relations,
)
from kgfuse.fusion.classify.docgraph.relations import RelationEdges, relation_edges
from kgfuse.fusion.classify.docgraph.sgc import PropagatedDocGraphForSequenceClassification
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.graph.data import KGData

from ....conftest import FILLER, write_jsonl
from .conftest import bag, options

Model = RelationalDocGraphForSequenceClassification
FACTS = [
    ("alice", "likes", "bob", 3),
    ("bob", "likes", "carol", 1),
    ("carol", "hates", "alice", 2),
    ("alice", "meets", "dave", 1),
    ("dave", "likes", "nobody", 4),  # nobody is no term: the fact is dropped
]
BAGS = [
    bag("e:alice", "e:bob", "w:red"),
    bag("e:bob", "e:carol", "w:red"),
    bag("e:carol", "e:alice", "w:blue"),
    bag("e:dave", "e:alice", "w:blue"),
    bag("e:dave", "e:bob", "w:red"),
]


@pytest.fixture(scope="module")
def graph() -> tuple[KGData, TermGraph]:
    kg = KGData.from_edges(FACTS, entities=["nobody"])
    return kg, TermGraph.fit(BAGS, kg=kg, min_df=2, max_df=1.0)


def test_facts_between_entity_terms_typed_by_predicate(graph) -> None:
    kg, terms = graph
    edges = relation_edges(kg, terms, max_relations=1)
    # likes is the most frequent predicate; hates and meets share "other"; then the inverses
    assert edges.relations == ("likes", "other", "likes^-1", "other^-1")
    assert edges.num_edges == 2 * 4  # four facts join two terms, each in both directions
    index = {t: i for i, t in enumerate(terms.terms)}
    pairs = {
        (terms.terms[s], terms.terms[d], edges.relations[r])
        for (s, d), r in zip(edges.edge_index.t().tolist(), edges.edge_type.tolist(), strict=True)
    }
    assert ("e:alice", "e:bob", "likes") in pairs and ("e:bob", "e:alice", "likes^-1") in pairs
    assert ("e:carol", "e:alice", "other") in pairs and ("e:alice", "e:carol", "other^-1") in pairs
    assert not any(t.startswith("w:") for s, d, _ in pairs for t in (s, d))
    # a support-weighted mean at each target
    totals = torch.zeros(terms.num_terms).index_add_(0, edges.edge_index[1], edges.edge_weight)
    targets = edges.edge_index[1].unique()
    torch.testing.assert_close(totals[targets], torch.ones(len(targets)))
    into_bob = edges.edge_index[1] == index["e:bob"]
    # alice -likes-> bob (support 3) against bob's other facts (support 1 each), log1p weights
    weight = {
        terms.terms[s]: float(w)
        for s, w in zip(edges.edge_index[0][into_bob], edges.edge_weight[into_bob], strict=True)
    }
    assert weight["e:alice"] > weight["e:carol"]
    assert relation_edges(None, terms, max_relations=4).num_edges == 0


def _model(graph, edges: RelationEdges) -> tuple[Model, tuple[torch.Tensor, ...]]:
    _, terms = graph
    config = DocGraphConfig(text_dim=6, num_terms=terms.num_terms, graph_model="rsgc", num_labels=3)
    configure_relations(config, edges)
    torch.manual_seed(0)
    model = new_model(config)
    model.set_relations(edges)
    with torch.no_grad():
        model.term_logits.normal_()
    adjacency = build_adjacency(doc_term_matrix(BAGS, terms), terms)
    vectors = torch.randn(len(BAGS), 6, generator=torch.Generator().manual_seed(1))
    return model.eval(), model.inputs_from(adjacency, vectors)


def test_relational_layer_is_a_typed_weighted_sum(graph) -> None:
    kg, terms = graph
    edges = relation_edges(kg, terms, max_relations=2)
    model, inputs = _model(graph, edges)
    assert isinstance(model, Model) and model_class("rsgc") is Model
    conv = model.relational
    with torch.no_grad():
        base = PropagatedDocGraphForSequenceClassification.term_table(model, model.term_logits)
        transforms = (conv.comp @ conv.weight.view(conv.num_bases, -1)).view(-1, 3, 3)
        expected = base.clone()
        for (s, d), r, w in zip(
            edges.edge_index.t().tolist(), edges.edge_type, edges.edge_weight, strict=True
        ):
            expected[d] += w * base[s] @ transforms[r]
        torch.testing.assert_close(model.term_table(model.term_logits), expected)
        # words and entities in no fact keep their SGC row
        lonely = [i for i, t in enumerate(terms.terms) if t.startswith("w:")]
        torch.testing.assert_close(expected[lonely], base[lonely])
        graph_logits, _ = model.parts(*inputs, torch.arange(len(BAGS)))
        conv.weight.zero_()  # no relational message: exactly SGC
        plain, _ = model.parts(*inputs, torch.arange(len(BAGS)))
    assert not torch.allclose(graph_logits, plain)


def test_no_facts_reduce_to_sgc(graph) -> None:
    model, _ = _model(graph, RelationEdges.empty())
    assert model.relational is None
    sgc_table = PropagatedDocGraphForSequenceClassification.term_table(model, model.term_logits)
    torch.testing.assert_close(model.term_table(model.term_logits), sgc_table)
    with pytest.raises(ValueError, match="relation edges"):
        model.set_relations(relation_edges(graph[0], graph[1], max_relations=2))
    with pytest.raises(ConfigError, match="graph_model"):
        model_class("hgt")


def test_trains_saves_and_reloads_to_identical_logits(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    out = tmp_path / "rsgc"
    opts = options(tiny_bert_dir, graph_model="rsgc", epochs=30, graph_lambda=0.5)
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=out, options=opts)
    assert 0.0 <= metrics["eval_accuracy"] <= 1.0
    config = json.loads((out / "config.json").read_text())
    assert config["graph_model"] == "rsgc"
    assert "plays_in" in config["relations"] and "plays_in^-1" in config["relations"]
    predictor = load_document_graph(out)
    model = predictor.model
    assert isinstance(model, Model) and model.relation_type.numel() > 0
    examples = read_examples(evaluation)
    first = predictor.logits(examples)
    np.testing.assert_array_equal(first, load_document_graph(out).logits(examples))
    inductive = predictor.logits(examples, inductive=True)
    assert inductive.shape == first.shape and np.isfinite(inductive).all()
    assert model.config.graph_lambda == 0.5
    with torch.no_grad():  # the typed facts take part in the answers
        model.relational.weight.zero_()
    predictor.invalidate()
    assert not np.allclose(predictor.logits(examples, inductive=True), inductive)


def test_a_relational_graph_of_noise_gets_weight_zero(tmp_path: Path, tiny_bert_dir) -> None:
    """The label is in the words; the linked entities and the facts between them are noise."""
    rng = random.Random(5)
    noise = [f"noise{i}" for i in range(12)]
    rows = []
    for i in range(48):
        label = "sport" if i % 2 else "music"
        words = [*rng.sample(FILLER, 5), f"{i}"]
        if rng.random() < 0.75:
            words.insert(rng.randrange(len(words)), label)
        entities = rng.sample(noise, 2)
        rows.append({"id": f"r{i}", "text": " ".join(words), "label": label, "entities": entities})
    facts = [(rng.choice(noise), rng.choice(["near", "far"]), rng.choice(noise)) for _ in range(30)]
    kg = KGData.from_edges([f for f in facts if f[0] != f[2]])
    path = write_jsonl(tmp_path / "train.jsonl", rows)
    opts = options(
        tiny_bert_dir,
        graph_model="rsgc",
        min_df=1,
        cv_folds=4,
        epochs=40,
        patience=None,
        graph_lambda=None,
    )
    metrics = train_document_graph(path, None, graph=kg, out_dir=tmp_path / "m", options=opts)
    assert metrics["graph_lambda"] == 0.0 and metrics["cv_graph_kept"] is False
    predictor = load_document_graph(tmp_path / "m")
    assert predictor.model.config.graph_lambda == 0.0
    assert predictor.model.relation_type.numel() > 0  # the facts were there, and dropped


def test_bad_max_relations(tiny_bert_dir: Path) -> None:
    with pytest.raises(ConfigError, match="max_relations"):
        options(tiny_bert_dir, graph_model="rsgc", max_relations=-1).check()
