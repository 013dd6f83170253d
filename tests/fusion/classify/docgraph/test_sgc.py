"""``PropagatedDocGraphForSequenceClassification`` (``graph_model="sgc"``): two linear hops
checked against a dense hand computation, new documents attached by rows, and a training run
that saves and reloads to identical logits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.adjacency import (
    attach_rows,
    build_adjacency,
    doc_term_matrix,
)
from kgfuse.fusion.classify.docgraph.architectures import model_class, new_model
from kgfuse.fusion.classify.docgraph.model import DocGraphConfig
from kgfuse.fusion.classify.docgraph.sgc import PropagatedDocGraphForSequenceClassification
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.graph.data import KGData

from .conftest import bag, options
from .test_model import BAGS, LABELS, TEXT_DIM

Model = PropagatedDocGraphForSequenceClassification


@pytest.fixture(scope="module")
def setup() -> tuple[Model, tuple[torch.Tensor, ...], torch.Tensor, TermGraph, object]:
    terms = TermGraph.fit(BAGS, min_df=2, max_df=0.6)
    doc_term = doc_term_matrix(BAGS, terms)
    adjacency = build_adjacency(doc_term, terms)
    vectors = torch.randn(len(BAGS), TEXT_DIM, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(0)
    config = DocGraphConfig(
        text_dim=TEXT_DIM,
        num_terms=terms.num_terms,
        graph_lambda=0.6,
        graph_model="sgc",
        num_labels=LABELS,
    )
    model = new_model(config)
    with torch.no_grad():  # zero at the start: make the terms matter in the checks
        model.term_logits.normal_()
        model.bias.normal_()
    model.eval()
    return model, model.inputs_from(adjacency, vectors), vectors, terms, adjacency


def dense_graph_logits(model: Model, adjacency, vectors: torch.Tensor) -> torch.Tensor:
    """``(A A X W)[docs] + b`` with X = [text vectors; one-hot terms], dense."""
    a = adjacency.full.to_dense()
    docs = adjacency.num_docs
    features_w = torch.cat([model.text_weight(vectors), model.term_table(model.term_logits)])
    return (a @ a @ features_w)[:docs] + model.bias


def test_the_class_is_chosen_by_graph_model(setup) -> None:
    model = setup[0]
    assert isinstance(model, Model)
    assert model_class("sgc") is Model
    with pytest.raises(ConfigError, match="graph_model"):
        model_class("gat")


def test_graph_logits_are_two_linear_hops(setup) -> None:
    model, inputs, vectors, _, adjacency = setup
    index = torch.arange(len(BAGS))
    with torch.no_grad():
        graph, text = model.parts(*inputs, index)
        expected = dense_graph_logits(model, adjacency, vectors)
    torch.testing.assert_close(graph, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(text, model.text_head(vectors))
    all_graph, _ = model.all_outputs(inputs)
    torch.testing.assert_close(all_graph, expected, atol=1e-5, rtol=1e-5)


def test_attached_graph_document_gets_its_node_logits(setup) -> None:
    """Attaching a graph document by its own row reproduces its node's two hops."""
    model, inputs, vectors, terms, adjacency = setup
    self_weight, rows = attach_rows(doc_term_matrix(BAGS, terms), adjacency.term_degree)
    _, term_outputs = model.all_outputs(inputs)
    attached = model.attached_logits(vectors, self_weight, rows, term_outputs)
    with torch.no_grad():
        node = model(*inputs, torch.arange(len(BAGS))).logits
    torch.testing.assert_close(attached, node, atol=1e-5, rtol=1e-5)


def test_a_new_document_reads_the_terms_it_names(setup) -> None:
    model, inputs, _, terms, adjacency = setup
    _, term_outputs = model.all_outputs(inputs)
    vectors = torch.zeros(2, TEXT_DIM)
    self_weight, rows = attach_rows(
        doc_term_matrix([bag("e:a", "e:b"), bag()], terms), adjacency.term_degree
    )
    logits = model.attached_logits(vectors, self_weight, rows, term_outputs)
    assert logits.shape == (2, LABELS)
    assert not torch.allclose(logits[0], logits[1])  # the terms make the difference


def test_training_step_costs_no_gradient_when_text_only(setup) -> None:
    model, inputs, *_ = setup
    config = DocGraphConfig(**{**model.config.to_dict(), "graph_lambda": 0.0})
    text_only = Model(config).train()
    loss = text_only(*inputs, torch.tensor([0, 1]), labels=torch.tensor([0, 1])).loss
    loss.backward()
    assert text_only.term_logits.grad is None
    assert text_only.text_head.out.weight.grad.abs().sum() > 0


def test_trains_saves_and_reloads_to_identical_logits(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    out = tmp_path / "sgc"
    opts = options(tiny_bert_dir, graph_model="sgc", epochs=30, cv_folds=2, patience=None)
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=out, options=opts)
    assert metrics["cv_folds"] == 2 and 0.0 <= metrics["eval_accuracy"] <= 1.0
    assert json.loads((out / "config.json").read_text())["graph_model"] == "sgc"
    predictor = load_document_graph(out)
    assert isinstance(predictor.model, Model)
    examples = read_examples(evaluation)
    first = predictor.logits(examples)
    again = load_document_graph(out).logits(examples)
    np.testing.assert_array_equal(first, again)
    inductive = predictor.logits(examples, inductive=True)
    assert inductive.shape == first.shape and np.isfinite(inductive).all()
