"""TF-IDF rows, the normalised adjacency and attached rows, against numpy by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from kgfuse.fusion.classify.docgraph.adjacency import (
    attach_rows,
    build_adjacency,
    doc_term_matrix,
    to_torch_csr,
)
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph

from .conftest import bag

TERMS = TermGraph(
    terms=("e:a", "e:b", "w:c"),
    idf=np.array([math.log(2), math.log(3), 0.0], dtype=np.float32),
    edge_index=np.array([[0, 1, 1, 2], [1, 0, 2, 1]], dtype=np.int64),
    edge_weight=np.array([0.5, 0.5, 0.3, 0.3], dtype=np.float32),
)
BAGS = [
    bag("e:a", "e:a", "e:b", "e:unknown"),  # the unknown term counts in the total
    bag("e:b", "w:c", "w:c", "w:c"),  # w:c has idf 0: no edge
    bag(),
]


def dense(matrix: torch.Tensor) -> np.ndarray:
    return matrix.to_dense().numpy().astype(np.float64)


def by_hand(doc_term: np.ndarray, term_term: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(D^-1/2 (A + I) D^-1/2, degrees) of the document-term-term graph."""
    docs, terms = doc_term.shape
    a = np.zeros((docs + terms, docs + terms))
    a[:docs, docs:] = doc_term
    a[docs:, :docs] = doc_term.T
    a[docs:, docs:] = term_term
    a += np.eye(docs + terms)
    degree = a.sum(axis=1)
    scale = np.diag(1 / np.sqrt(degree))
    return scale @ a @ scale, degree


def test_doc_term_matrix_is_tf_idf() -> None:
    matrix = doc_term_matrix(BAGS, TERMS)
    assert matrix.shape == (3, 3)
    assert matrix.dtype == np.float32
    expected = np.array(
        [
            [2 / 4 * math.log(2), 1 / 4 * math.log(3), 0.0],
            [0.0, 1 / 4 * math.log(3), 0.0],
            [0.0, 0.0, 0.0],
        ]
    )
    np.testing.assert_allclose(matrix.toarray(), expected, rtol=1e-6)
    assert matrix.nnz == 3  # no stored entry for the idf-0 term


def test_build_adjacency_matches_numpy() -> None:
    doc_term = doc_term_matrix(BAGS, TERMS)
    adjacency = build_adjacency(doc_term, TERMS)
    term_term = np.zeros((3, 3))
    term_term[TERMS.edge_index[0], TERMS.edge_index[1]] = TERMS.edge_weight
    expected, degree = by_hand(doc_term.toarray().astype(np.float64), term_term)
    full = dense(adjacency.full)
    assert adjacency.full.layout == torch.sparse_csr
    assert adjacency.full.dtype == torch.float32
    assert full.shape == (6, 6)
    np.testing.assert_allclose(full, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(adjacency.degree, degree, rtol=1e-6)
    assert adjacency.num_docs == 3
    np.testing.assert_allclose(adjacency.term_degree, degree[3:], rtol=1e-6)
    # the empty document only has its self loop
    assert full[2, 2] == pytest.approx(1.0)
    assert np.count_nonzero(full[2]) == 1


def test_build_adjacency_is_symmetric() -> None:
    rng = np.random.default_rng(0)
    doc_term = sp.random(7, 4, density=0.5, random_state=1, dtype=np.float32).tocsr()
    weights = rng.uniform(0.1, 2.0, size=3).astype(np.float32)
    terms = TermGraph(
        terms=("e:a", "e:b", "e:c", "e:d"),
        idf=np.ones(4, dtype=np.float32),
        edge_index=np.array([[0, 1, 2, 3, 0, 3], [1, 0, 3, 2, 3, 0]], dtype=np.int64),
        edge_weight=np.repeat(weights, 2),
    )
    full = dense(build_adjacency(doc_term, terms).full)
    np.testing.assert_allclose(full, full.T, rtol=1e-6, atol=1e-8)
    assert np.all(np.diag(full) > 0)


def test_doc_and_term_columns_are_slices_of_full() -> None:
    adjacency = build_adjacency(doc_term_matrix(BAGS, TERMS), TERMS)
    full = dense(adjacency.full)
    assert adjacency.doc_columns.shape == (6, 3)
    assert adjacency.term_columns.shape == (6, 3)
    np.testing.assert_array_equal(dense(adjacency.doc_columns), full[:, :3])
    np.testing.assert_array_equal(dense(adjacency.term_columns), full[:, 3:])


def test_no_terms_gives_self_loops_only() -> None:
    empty = TermGraph((), np.zeros(0, np.float32), np.zeros((2, 0), np.int64), np.zeros(0))
    adjacency = build_adjacency(doc_term_matrix(BAGS, empty), empty)
    np.testing.assert_array_equal(dense(adjacency.full), np.eye(3))
    assert adjacency.term_columns.shape == (3, 0)


def test_attach_rows_matches_hand_computation() -> None:
    term_degree = np.array([2.0, 3.5, 1.25], dtype=np.float32)
    new = sp.csr_matrix(np.array([[0.4, 0.0, 0.6], [0.0, 0.0, 0.0], [0.1, 0.2, 0.0]]))
    self_weight, rows = attach_rows(new, term_degree)
    degree = 1 + new.toarray().sum(axis=1)
    np.testing.assert_allclose(self_weight.numpy(), 1 / degree, rtol=1e-6)
    expected = new.toarray() / np.sqrt(degree[:, None] * term_degree[None, :])
    assert rows.layout == torch.sparse_csr
    assert rows.dtype == torch.float32 and self_weight.dtype == torch.float32
    np.testing.assert_allclose(dense(rows), expected, rtol=1e-6)
    assert self_weight[1] == 1.0  # no term: the document only reads itself


def test_attaching_a_graph_document_reproduces_its_row() -> None:
    """A document's own TF-IDF row, attached with the graph's term degrees, is its row of the
    normalised adjacency (the same normalisation, with no effect on other nodes)."""
    doc_term = doc_term_matrix(BAGS, TERMS)
    adjacency = build_adjacency(doc_term, TERMS)
    self_weight, rows = attach_rows(doc_term, adjacency.term_degree)
    full = dense(adjacency.full)
    np.testing.assert_allclose(self_weight.numpy(), np.diag(full)[:3], rtol=1e-6)
    np.testing.assert_allclose(dense(rows), full[:3, 3:], rtol=1e-6)


def unsorted_csr(dtype: type) -> sp.csr_matrix:
    """[[1, 0, 3], [0, 2, 0]] with the column indices of row 0 out of order."""
    data = np.array([3.0, 1.0, 2.0], dtype=dtype)
    return sp.csr_matrix((data, np.array([2, 0, 1]), np.array([0, 2, 3])), shape=(2, 3))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_to_torch_csr_keeps_values_and_sorts_indices(dtype: type) -> None:
    tensor = to_torch_csr(unsorted_csr(dtype))
    assert tensor.dtype == torch.float32
    assert tensor.col_indices().tolist() == [0, 2, 1]
    np.testing.assert_array_equal(tensor.to_dense().numpy(), [[1, 0, 3], [0, 2, 0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_to_torch_csr_leaves_its_input_intact(dtype: type) -> None:
    matrix = unsorted_csr(dtype)
    to_torch_csr(matrix)
    np.testing.assert_array_equal(matrix.toarray(), [[1, 0, 3], [0, 2, 0]])
