"""``DocGraphPredictor``: graph texts answered from their node, other texts attached by rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.fusion.classify.data import Example, read_examples
from kgfuse.fusion.classify.docgraph import (
    DocGraphPredictor,
    load_document_graph,
    train_document_graph,
)
from kgfuse.graph.data import KGData
from kgfuse.types import content_hash

from .conftest import options

NEW = [
    Example("today alice plays in club and news", entities=("alice", "club")),
    Example("old report dave plays in band", entities=("dave", "band")),
    Example("the story of nobody", entities=()),
    Example("erin news", entities=("erin", "unknown_key")),
]


@pytest.fixture(scope="module")
def predictor(trained: tuple[Path, dict, object]) -> DocGraphPredictor:
    return load_document_graph(trained[0])


@pytest.fixture(scope="module")
def train_examples(group_files: tuple[Path, Path]) -> list[Example]:
    return read_examples(group_files[0])


def node_logits(predictor: DocGraphPredictor) -> torch.Tensor:
    """Full-graph forward pass for every document node, computed here."""
    state, model = predictor.state, predictor.model
    adjacency = state.adjacency
    with torch.no_grad():
        return model(
            state.propagated_text(),
            adjacency.term_columns,
            adjacency.full,
            state.text_vectors,
            torch.arange(adjacency.num_docs),
        ).logits


def test_graph_text_gets_its_node_logits(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    assert not predictor.model.training
    expected = node_logits(predictor)
    nodes = [predictor.state.node_of[content_hash(ex.text)] for ex in train_examples]
    logits = predictor.logits(train_examples)
    assert logits.shape == (len(train_examples), 2)
    np.testing.assert_allclose(logits, expected[nodes].numpy(), rtol=1e-5, atol=1e-6)


def test_graph_text_ignores_the_entities_it_comes_with(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    examples = train_examples[:5]
    other = [replace(ex, entities=("band", "music")) for ex in examples]
    np.testing.assert_array_equal(predictor.logits(other), predictor.logits(examples))


def test_changed_text_is_attached(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    original = train_examples[0]
    changed = replace(original, text=original.text + " today")
    assert content_hash(changed.text) not in predictor.state.node_of
    both = predictor.logits([original, changed])
    assert np.isfinite(both).all()
    assert not np.allclose(both[0], both[1])
    # log-probabilities of a softmax mix
    np.testing.assert_allclose(np.exp(both).sum(axis=1), 1.0, rtol=1e-4)


def test_new_text_logits_do_not_depend_on_the_batch(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    alone = np.concatenate([predictor.logits([ex]) for ex in NEW])
    together = predictor.logits([train_examples[3], *NEW, train_examples[7]])
    np.testing.assert_allclose(together[1:-1], alone, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        together[[0, -1]], predictor.logits([train_examples[3], train_examples[7]]), atol=1e-6
    )


def test_attaching_texts_does_not_change_the_graph(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    before = predictor.logits(train_examples)
    predictor.logits(NEW * 3)
    predictor.invalidate()  # recomputed from the graph, not only the cache
    np.testing.assert_allclose(predictor.logits(train_examples), before, rtol=1e-6, atol=1e-7)
    assert len(predictor.state.doc_keys) == predictor.state.adjacency.num_docs


def test_given_text_vectors_are_used_for_new_texts_only(
    predictor: DocGraphPredictor, train_examples: list[Example]
) -> None:
    examples = [train_examples[0], *NEW]
    vectors = torch.cat([torch.zeros(1, 32), predictor.encoder.encode([ex.text for ex in NEW])])
    computed = predictor.logits(examples)
    np.testing.assert_allclose(
        predictor.logits(examples, text_vectors=vectors), computed, rtol=1e-5, atol=1e-6
    )
    shifted = predictor.logits(examples, text_vectors=vectors + 1.0)
    np.testing.assert_array_equal(shifted[0], computed[0])  # a node keeps its own vector
    assert not np.allclose(shifted[1:], computed[1:])


def test_text_without_terms_reads_only_itself(predictor: DocGraphPredictor) -> None:
    example = NEW[2]
    model = predictor.model
    lam = model.config.graph_lambda
    vector = predictor.encoder.encode([example.text])
    with torch.no_grad():
        graph = model.graph_out(torch.relu(model.doc_proj(vector)))  # self weight 1, no rows
        text = model.text_head(vector)
        probs = lam * graph.softmax(-1) + (1 - lam) * text.softmax(-1)
    np.testing.assert_allclose(
        np.exp(predictor.logits([example])), probs.numpy(), rtol=1e-5, atol=1e-6
    )


def test_entity_terms_change_an_attached_prediction(predictor: DocGraphPredictor) -> None:
    text = "the story of the day"
    plain, linked = predictor.logits(
        [Example(text, entities=()), Example(text, entities=("dave", "band"))]
    )
    assert not np.allclose(plain, linked)
    assert predictor.logits([Example(text, entities=("not_a_term",))])[0] == pytest.approx(plain)


def test_attached_texts_use_max_entities_like_graph_texts(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files: tuple[Path, Path]
) -> None:
    """Graph documents keep their first ``max_entities`` entities; attached texts (and the
    evaluation texts of an inductive run) must be cut the same way."""
    train, evaluation = group_files
    opts = options(tiny_bert_dir, max_entities=1, transductive=False)
    train_document_graph(train, evaluation, graph=tiny_kg, out_dir=tmp_path, options=opts)
    predictor = load_document_graph(tmp_path)
    assert {"e:alice", "e:bob"} <= set(predictor.state.terms.terms)
    text = "a new text about alice and bob"
    first_only, both = predictor.logits(
        [Example(text, entities=("alice",)), Example(text, entities=("alice", "bob"))]
    )
    np.testing.assert_allclose(both, first_only, rtol=1e-5, atol=1e-6)
