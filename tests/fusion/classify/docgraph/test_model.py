"""``DocGraphForSequenceClassification``: the GCN, the text head and their mix, by hand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import scipy.sparse as sp
import torch
import torch.nn.functional as F

from kgfuse.fusion.classify.docgraph.adjacency import (
    GraphAdjacency,
    attach_rows,
    build_adjacency,
    doc_term_matrix,
)
from kgfuse.fusion.classify.docgraph.model import DocGraphConfig, DocGraphForSequenceClassification
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph

from .conftest import bag

TEXT_DIM, HIDDEN, LABELS = 6, 5, 3
BAGS = [
    bag("e:a", "e:b"),
    bag("e:a", "e:b", "e:c"),
    bag("e:b", "e:c"),
    bag("e:c", "e:d"),
    bag("e:d"),
    bag("e:a", "e:d"),
    bag(),
    bag("e:e"),
]


@dataclass
class Graph:
    adjacency: GraphAdjacency
    terms: TermGraph
    doc_term: sp.csr_matrix
    vectors: torch.Tensor

    @property
    def inputs(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(propagated text, term columns, adjacency, text vectors) for ``forward``."""
        a = self.adjacency
        return (a.doc_columns @ self.vectors, a.term_columns, a.full, self.vectors)


@pytest.fixture(scope="module")
def graph() -> Graph:
    terms = TermGraph.fit(BAGS, min_df=2, max_df=0.6)
    assert terms.num_terms == 4 and terms.edge_index.shape[1] > 0
    doc_term = doc_term_matrix(BAGS, terms)
    vectors = torch.randn(len(BAGS), TEXT_DIM, generator=torch.Generator().manual_seed(1))
    return Graph(build_adjacency(doc_term, terms), terms, doc_term, vectors)


def make_model(
    num_terms: int,
    *,
    graph_lambda: float = 0.6,
    multi_label: bool = False,
    dropout: float = 0.2,
    objective: str = "mixture",
) -> DocGraphForSequenceClassification:
    torch.manual_seed(0)
    config = DocGraphConfig(
        text_dim=TEXT_DIM,
        num_terms=num_terms,
        hidden_size=HIDDEN,
        dropout=dropout,
        text_dropout=dropout,
        graph_lambda=graph_lambda,
        objective=objective,
        num_labels=LABELS,
        problem_type="multi_label_classification" if multi_label else None,
    )
    model = DocGraphForSequenceClassification(config)
    with torch.no_grad():  # term embeddings start tiny: make them matter in the checks
        model.term_embeddings.normal_()
    return model.eval()


def graph_logits_by_hand(model: DocGraphForSequenceClassification, graph: Graph) -> torch.Tensor:
    """Dense two-layer GCN: A relu(A X W1 + A[:, terms] E + b1) W2 + A 1 b2, all nodes."""
    a = graph.adjacency.full.to_dense()
    docs = graph.adjacency.num_docs
    w1, b1 = model.doc_proj.weight, model.doc_proj.bias
    h = torch.relu((a[:, :docs] @ graph.vectors) @ w1.T + b1 + a[:, docs:] @ model.term_embeddings)
    return a @ (h @ model.graph_out.weight.T + model.graph_out.bias)


def text_logits_by_hand(model: DocGraphForSequenceClassification, vectors: torch.Tensor):
    return vectors @ model.text_head.out.weight.T + model.text_head.out.bias


def test_output_shapes_and_loss(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms)
    index = torch.tensor([0, 3, 5])
    out = model(*graph.inputs, index, labels=torch.tensor([0, 2, 1]))
    assert out.logits.shape == (3, LABELS)
    assert out.loss.shape == ()
    assert torch.isfinite(out.loss)
    assert model(*graph.inputs, index).loss is None
    states = model.node_states(graph.inputs[0], graph.adjacency.term_columns)
    assert states.shape == (len(BAGS) + graph.terms.num_terms, HIDDEN)
    terms = model.term_outputs(graph.inputs[0], graph.adjacency.term_columns, len(BAGS))
    assert terms.shape == (graph.terms.num_terms, LABELS)
    assert model.config.model_type == "kgfuse-docgraph"
    assert not model.config.multi_label


def test_graph_lambda_zero_is_the_text_head_alone(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.0)
    index = torch.arange(len(BAGS))
    with torch.no_grad():
        logits = model(*graph.inputs, index).logits
        text = text_logits_by_hand(model, graph.vectors)
    torch.testing.assert_close(logits.softmax(-1), text.softmax(-1), atol=1e-6, rtol=1e-5)
    # the graph has no say: other term embeddings give the same answer
    with torch.no_grad():
        model.term_embeddings.mul_(-3.0)
        again = model(*graph.inputs, index).logits
    torch.testing.assert_close(again, logits)


def test_graph_lambda_zero_gives_no_gradient_to_the_graph(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.0).train()
    model(*graph.inputs, torch.tensor([0, 1]), labels=torch.tensor([0, 1])).loss.backward()
    assert model.term_embeddings.grad is None or not model.term_embeddings.grad.any()
    assert model.text_head.out.weight.grad.abs().sum() > 0
    mixed = make_model(graph.terms.num_terms, graph_lambda=0.5).train()
    mixed(*graph.inputs, torch.tensor([0, 1]), labels=torch.tensor([0, 1])).loss.backward()
    assert mixed.term_embeddings.grad.abs().sum() > 0


def test_graph_lambda_one_is_the_gcn_alone(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=1.0)
    index = torch.tensor([1, 2, 6, 7])
    with torch.no_grad():
        logits = model(*graph.inputs, index).logits
        expected = graph_logits_by_hand(model, graph)[index]
    torch.testing.assert_close(logits.softmax(-1), expected.softmax(-1), atol=1e-6, rtol=1e-5)


def test_mixed_probabilities_and_loss(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.3)
    index = torch.tensor([0, 2, 4, 5])
    labels = torch.tensor([2, 0, 1, 1])
    with torch.no_grad():
        out = model(*graph.inputs, index, labels=labels)
        probs = 0.3 * graph_logits_by_hand(model, graph)[index].softmax(-1) + 0.7 * (
            text_logits_by_hand(model, graph.vectors[index]).softmax(-1)
        )
    torch.testing.assert_close(out.logits.exp(), probs, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(out.logits.softmax(-1), probs, atol=1e-5, rtol=1e-5)
    expected_loss = -probs[torch.arange(4), labels].log().mean()
    torch.testing.assert_close(out.loss, expected_loss, atol=1e-5, rtol=1e-5)


def test_separate_objective_adds_the_text_and_graph_losses(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.3, objective="separate")
    index = torch.tensor([0, 2, 4, 5])
    labels = torch.tensor([2, 0, 1, 1])
    with torch.no_grad():
        out = model(*graph.inputs, index, labels=labels)
        graph_part = graph_logits_by_hand(model, graph)[index]
        text_part = text_logits_by_hand(model, graph.vectors[index])
        probs = 0.3 * graph_part.softmax(-1) + 0.7 * text_part.softmax(-1)
    torch.testing.assert_close(out.logits.softmax(-1), probs, atol=1e-5, rtol=1e-5)
    expected = F.cross_entropy(graph_part, labels) + F.cross_entropy(text_part, labels)
    torch.testing.assert_close(out.loss, expected, atol=1e-5, rtol=1e-5)
    # each part is scored as itself, so a weight picked afterwards mixes well-trained parts
    parts = model.parts(*graph.inputs, index)
    torch.testing.assert_close(parts[0], graph_part, atol=1e-5, rtol=1e-5)
    mixed = model.mixed_logits(parts[0], parts[1], 1.0)
    torch.testing.assert_close(mixed.softmax(-1), graph_part.softmax(-1), atol=1e-5, rtol=1e-5)


def test_multi_label_sigmoid_of_logits_is_the_mix_and_loss_is_bce(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.4, multi_label=True)
    assert model.config.multi_label
    index = torch.tensor([0, 1, 3])
    labels = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    with torch.no_grad():
        out = model(*graph.inputs, index, labels=labels)
        probs = 0.4 * torch.sigmoid(graph_logits_by_hand(model, graph)[index]) + 0.6 * (
            torch.sigmoid(text_logits_by_hand(model, graph.vectors[index]))
        )
    torch.testing.assert_close(torch.sigmoid(out.logits), probs, atol=1e-5, rtol=1e-5)
    expected = -(labels * probs.log() + (1 - labels) * (1 - probs).log()).mean()
    torch.testing.assert_close(out.loss, expected, atol=1e-5, rtol=1e-5)
    # not a softmax: the probabilities of one document need not add up to one
    assert not torch.allclose(torch.sigmoid(out.logits).sum(-1), torch.ones(3))


def test_attached_logits_match_hand_computation(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.5)
    new = [bag("e:a", "e:d", "e:unknown"), bag(), bag("e:c", "e:c", "e:b")]
    doc_term = doc_term_matrix(new, graph.terms)
    self_weight, rows = attach_rows(doc_term, graph.adjacency.term_degree)
    vectors = torch.randn(3, TEXT_DIM, generator=torch.Generator().manual_seed(5))
    term_outputs = model.term_outputs(graph.inputs[0], graph.adjacency.term_columns, len(BAGS))
    logits = model.attached_logits(vectors, self_weight, rows, term_outputs)
    # by hand, dense
    degree = 1 + doc_term.toarray().sum(axis=1)
    weights = doc_term.toarray() / np.sqrt(degree[:, None] * graph.adjacency.term_degree[None])
    weights = torch.tensor(weights, dtype=torch.float32)
    self_loop = torch.tensor(1 / degree, dtype=torch.float32)[:, None]
    with torch.no_grad():
        states = torch.relu(model.doc_proj(self_loop * vectors) + weights @ model.term_embeddings)
        graph_part = self_loop * model.graph_out(states) + weights @ term_outputs
        probs = 0.5 * graph_part.softmax(-1) + 0.5 * text_logits_by_hand(model, vectors).softmax(-1)
    assert logits.shape == (3, LABELS)
    torch.testing.assert_close(logits.exp(), probs, atol=1e-5, rtol=1e-5)


def test_attached_graph_document_gets_its_node_logits(graph: Graph) -> None:
    """Attaching a graph document's own row reproduces the full forward pass for it."""
    model = make_model(graph.terms.num_terms, graph_lambda=0.8)
    index = torch.arange(len(BAGS))
    with torch.no_grad():
        node_logits = model(*graph.inputs, index).logits
    self_weight, rows = attach_rows(graph.doc_term, graph.adjacency.term_degree)
    term_outputs = model.term_outputs(graph.inputs[0], graph.adjacency.term_columns, len(BAGS))
    attached = model.attached_logits(graph.vectors, self_weight, rows, term_outputs)
    torch.testing.assert_close(attached, node_logits, atol=1e-5, rtol=1e-5)


def test_dropout_only_in_training(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, dropout=0.5)
    index = torch.arange(len(BAGS))
    with torch.no_grad():
        first = model(*graph.inputs, index).logits
        assert torch.equal(first, model(*graph.inputs, index).logits)
        model.train()
        torch.manual_seed(1)
        assert not torch.allclose(first, model(*graph.inputs, index).logits)


def test_full_graph_training_lowers_the_loss(graph: Graph) -> None:
    model = make_model(graph.terms.num_terms, graph_lambda=0.7, dropout=0.0).train()
    index = torch.tensor([0, 1, 2, 3, 4, 5])
    labels = torch.tensor([0, 0, 1, 2, 2, 1])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(40):
        optimizer.zero_grad()
        loss = model(*graph.inputs, index, labels=labels).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0], losses
