"""``entity_features``: knowledge-graph embeddings as fixed entity-term features, in both
graph models, saved with the weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX
from kgfuse.graph.data import KGData

from .conftest import options


@pytest.mark.parametrize("graph_model", ["gcn", "sgc"])
def test_kge_features_train_save_and_reload(
    graph_model: str, tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    out = tmp_path / graph_model
    opts = options(
        tiny_bert_dir,
        graph_model=graph_model,
        entity_features="distmult",
        kge_dim=4,
        kge_epochs=5,
        epochs=10,
    )
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=out, options=opts)
    assert "eval_accuracy" in metrics
    predictor = load_document_graph(out)
    model = predictor.model
    assert model.config.term_feature_dim == 4
    features = model.term_features  # [terms, 4], loaded from model.safetensors
    terms = predictor.state.terms.terms
    in_facts = set(tiny_kg.entity_vocab)  # every entity of the tiny graph is in a fact
    for row, term in zip(features, terms, strict=True):
        key = term[len(ENTITY_PREFIX) :]
        assert bool(row.any()) == (term.startswith(ENTITY_PREFIX) and key in in_facts)
    assert float(features.norm(dim=1).max()) == pytest.approx(1.0)
    examples = read_examples(evaluation)
    np.testing.assert_array_equal(
        predictor.logits(examples), load_document_graph(out).logits(examples)
    )
    # the features take part: zeroing them changes the graph's answer
    with torch.no_grad():
        model.term_features.zero_()
    predictor.invalidate()
    assert not np.allclose(predictor.logits(examples), load_document_graph(out).logits(examples))


def test_unknown_entity_features_are_refused(tiny_bert_dir: Path) -> None:
    with pytest.raises(ConfigError, match="entity_features"):
        options(tiny_bert_dir, entity_features="glove").check()
