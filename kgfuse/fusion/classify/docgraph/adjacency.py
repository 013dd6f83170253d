"""Normalised adjacency of the document graph, and rows for documents added later.

Nodes are ``[documents..., terms...]``. Document-term edges carry TF-IDF weights
(``count / total * idf``), term-term edges the ``TermGraph`` weights, and every node a self
loop; the matrix is normalised symmetrically, ``D^-1/2 (A + I) D^-1/2``, as in GCN and
TextGCN. A document that arrives after training is attached by rows only: it reads from the
graph through the same normalisation but changes no other node, so its prediction does not
depend on which other texts are predicted with it.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch

from kgfuse.fusion.classify.docgraph.term_graph import TermGraph


def doc_term_matrix(bags: Sequence[Counter[str]], terms: TermGraph) -> sp.csr_matrix:
    """TF-IDF weights of each document's vocabulary terms.

    Returns:
        [documents, terms] CSR matrix; a document with no vocabulary term has an empty row.
    """
    index = {t: i for i, t in enumerate(terms.terms)}
    rows, cols, vals = [], [], []
    for d, bag in enumerate(bags):
        total = sum(bag.values()) or 1
        for term, count in bag.items():
            i = index.get(term)
            if i is not None and terms.idf[i] > 0:
                rows.append(d)
                cols.append(i)
                vals.append(count / total * float(terms.idf[i]))
    return sp.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(bags), terms.num_terms)
    )


@dataclass(frozen=True)
class GraphAdjacency:
    """The normalised adjacency and the pieces the model needs.

    Attributes:
        full: [N, N] normalised adjacency, N = documents + terms.
        doc_columns: [N, documents] its document columns (propagates text vectors).
        term_columns: [N, terms] its term columns (propagates term embeddings).
        degree: [N] degrees (with self loops) before normalisation.
        num_docs: Number of document nodes (the first rows).
        doc_terms: [documents, terms] the document rows' term block (the propagated model
            reads two hops through it).
        term_term: [terms, terms] the term rows' term block (with self loops).
        self_weight: [documents] the documents' self-loop weights.
    """

    full: torch.Tensor
    doc_columns: torch.Tensor
    term_columns: torch.Tensor
    degree: np.ndarray
    num_docs: int
    doc_terms: torch.Tensor
    term_term: torch.Tensor
    self_weight: torch.Tensor

    @property
    def term_degree(self) -> np.ndarray:
        """[terms] degrees of the term nodes."""
        return self.degree[self.num_docs :]


def build_adjacency(doc_term: sp.csr_matrix, terms: TermGraph) -> GraphAdjacency:
    """Assemble and normalise the document-term-term graph.

    Args:
        doc_term: [documents, terms] TF-IDF weights (``doc_term_matrix``).
        terms: The term graph (its term-term edges).

    Returns:
        The normalised adjacency as torch CSR tensors.
    """
    num_docs, num_terms = doc_term.shape
    term_term = sp.csr_matrix(
        (terms.edge_weight, (terms.edge_index[0], terms.edge_index[1])),
        shape=(num_terms, num_terms),
    )
    adjacency = sp.bmat([[None, doc_term], [doc_term.T, term_term]], format="csr")
    adjacency = adjacency + sp.identity(num_docs + num_terms, dtype=np.float32, format="csr")
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    scale = sp.diags(1.0 / np.sqrt(degree))
    normalised = sp.csr_matrix(scale @ adjacency @ scale, dtype=np.float32)
    columns = normalised.tocsc()
    return GraphAdjacency(
        full=to_torch_csr(normalised),
        doc_columns=to_torch_csr(columns[:, :num_docs].tocsr()),
        term_columns=to_torch_csr(columns[:, num_docs:].tocsr()),
        degree=degree.astype(np.float32),
        num_docs=num_docs,
        doc_terms=to_torch_csr(normalised[:num_docs, num_docs:]),
        term_term=to_torch_csr(normalised[num_docs:, num_docs:]),
        self_weight=torch.from_numpy((1.0 / degree[:num_docs]).astype(np.float32)),
    )


def attach_rows(
    doc_term: sp.csr_matrix, term_degree: np.ndarray
) -> tuple[torch.Tensor, torch.Tensor]:
    """Normalised rows of new documents that read from a fixed graph.

    Args:
        doc_term: [new documents, terms] TF-IDF weights.
        term_degree: [terms] degrees of the trained graph's term nodes.

    Returns:
        ``(self_weight [new], term_rows [new, terms] CSR)``: the self-loop weight
        ``1 / degree`` and ``w / sqrt(degree_doc * degree_term)`` of each document-term edge.
    """
    degree = 1.0 + np.asarray(doc_term.sum(axis=1)).ravel()
    rows = sp.diags(1.0 / np.sqrt(degree)) @ doc_term @ sp.diags(1.0 / np.sqrt(term_degree))
    self_weight = torch.from_numpy((1.0 / degree).astype(np.float32))
    return self_weight, to_torch_csr(sp.csr_matrix(rows, dtype=np.float32))


def to_torch_csr(matrix: sp.csr_matrix) -> torch.Tensor:
    """Convert a SciPy CSR matrix to a float32 torch sparse CSR tensor."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32, copy=True)  # sort_indices works in place
    matrix.sort_indices()
    with warnings.catch_warnings():  # "sparse CSR support is in beta": matmul is what we use
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        return torch.sparse_csr_tensor(
            torch.from_numpy(matrix.indptr.astype(np.int64)),
            torch.from_numpy(matrix.indices.astype(np.int64)),
            torch.from_numpy(matrix.data),
            size=matrix.shape,
            check_invariants=False,  # scipy built it sorted and in bounds
        )
