"""``TermGraph``: the term vocabulary, IDF weights and term-term edges of a document graph.

Fitted once on the bags of every document in the graph (training texts and, in the
transductive mode, the unlabelled texts to classify). Term-term edges come from two sources:
positive pointwise mutual information of entity terms over documents (TextGCN's word-word
edges, with documents as the window) and the knowledge graph's facts between linked entities
(``log1p(support)`` weights). Words get document edges only: word-word PMI grows
quadratically with the vocabulary and is left out on purpose.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX
from kgfuse.graph.data import KGData

TERMS_FILE = "docgraph_terms.json"
TERM_GRAPH_FILE = "docgraph_terms.safetensors"


@dataclass(frozen=True)
class TermGraph:
    """Vocabulary, IDF and symmetric term-term edges.

    Attributes:
        terms: Sorted term vocabulary (``e:<entity key>``, ``w:<word>``).
        idf: [V] ``log(documents / document frequency)`` of each term.
        edge_index: [2, E] term-term edges, both directions.
        edge_weight: [E] their weights (PMI plus fact weights).
    """

    terms: tuple[str, ...]
    idf: np.ndarray
    edge_index: np.ndarray
    edge_weight: np.ndarray

    @property
    def num_terms(self) -> int:
        """Number of terms in the vocabulary."""
        return len(self.terms)

    @classmethod
    def fit(
        cls,
        bags: Sequence[Counter[str]],
        *,
        kg: KGData | None = None,
        min_df: int = 2,
        max_df: float = 0.5,
        pmi_top_k: int = 16,
    ) -> TermGraph:
        """Fit the vocabulary and edges on the bags of all graph documents.

        Args:
            bags: Term counts of each document (``document_terms``).
            kg: The knowledge graph whose facts link entity terms (None: PMI edges only).
            min_df: Keep terms found in at least this many documents.
            max_df: Drop terms found in more than this fraction of documents (hubs).
            pmi_top_k: Strongest positive-PMI neighbours each entity term picks (0: none);
                edges are the symmetric union of the picks, so a term that many others
                picked (a hub) can end with more than ``pmi_top_k``.

        Returns:
            The fitted graph (possibly with no terms, if no term is frequent enough).
        """
        num_docs = max(len(bags), 1)
        doc_freq = Counter(term for bag in bags for term in bag)
        terms = tuple(
            sorted(t for t, df in doc_freq.items() if df >= min_df and df <= max_df * num_docs)
        )
        df = np.array([doc_freq[t] for t in terms], dtype=np.float64)
        idf = np.log(num_docs / np.maximum(df, 1)).astype(np.float32)
        index = {t: i for i, t in enumerate(terms)}
        weights = _pmi_edges(bags, index, df, num_docs, top_k=pmi_top_k)
        if kg is not None and kg.num_edges:
            weights = weights + _fact_edges(kg, index)
        weights = sp.coo_matrix(weights.maximum(weights.T))  # symmetric, no double counting
        keep = weights.row != weights.col
        edge_index = np.stack([weights.row[keep], weights.col[keep]]).astype(np.int64)
        return cls(terms, idf, edge_index, weights.data[keep].astype(np.float32))

    def save(self, directory: str | Path) -> None:
        """Write ``docgraph_terms.json`` and ``docgraph_terms.safetensors`` into ``directory``."""
        out = Path(directory)
        (out / TERMS_FILE).write_text(json.dumps(list(self.terms), ensure_ascii=False))
        save_file(
            {"idf": self.idf, "edge_index": self.edge_index, "edge_weight": self.edge_weight},
            str(out / TERM_GRAPH_FILE),
        )

    @classmethod
    def load(cls, directory: str | Path) -> TermGraph:
        """Read a term graph written by ``save``.

        Raises:
            ModelError: Missing files or inconsistent sizes.
        """
        path = Path(directory)
        try:
            terms = tuple(json.loads((path / TERMS_FILE).read_text(encoding="utf-8")))
            arrays = load_file(str(path / TERM_GRAPH_FILE))
            graph = cls(terms, arrays["idf"], arrays["edge_index"], arrays["edge_weight"])
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
            raise ModelError(f"{path} lacks a readable document-graph vocabulary ({exc})") from exc
        if len(graph.idf) != len(terms) or (
            graph.edge_index.size and graph.edge_index.max() >= len(terms)
        ):
            raise ModelError(f"{path}: the document-graph vocabulary does not match its edges")
        return graph


def _pmi_edges(
    bags: Sequence[Counter[str]],
    index: dict[str, int],
    df: np.ndarray,
    num_docs: int,
    *,
    top_k: int,
) -> sp.csr_matrix:
    """Positive PMI between entity terms over documents, the ``top_k`` strongest per term."""
    size = len(index)
    entity = np.array([t.startswith(ENTITY_PREFIX) for t in index], dtype=bool)
    if top_k <= 0 or not entity.any():
        return sp.csr_matrix((size, size), dtype=np.float32)
    rows, cols = [], []
    for d, bag in enumerate(bags):
        for term in bag:
            i = index.get(term)
            if i is not None and entity[i]:
                rows.append(d)
                cols.append(i)
    incidence = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(bags), size)
    )
    co = sp.coo_matrix(incidence.T @ incidence)  # [V, V] documents holding both terms
    keep = (co.row != co.col) & (co.data >= 2)
    r, c, n = co.row[keep], co.col[keep], co.data[keep]
    pmi = np.log(n * num_docs / (df[r] * df[c]))
    positive = pmi > 0
    r, c, pmi = r[positive], c[positive], pmi[positive]
    # top_k per row: sort by (row, -pmi), keep each row's first top_k
    order = np.lexsort((-pmi, r))
    r, c, pmi = r[order], c[order], pmi[order]
    starts = np.searchsorted(r, r, side="left")
    rank = np.arange(len(r)) - starts
    chosen = rank < top_k
    return sp.csr_matrix((pmi[chosen], (r[chosen], c[chosen])), shape=(size, size))


def _fact_edges(kg: KGData, index: dict[str, int]) -> sp.csr_matrix:
    """The knowledge graph's facts between entity terms, weighted by ``log1p(support)``."""
    size = len(index)
    term_of = np.array([index.get(ENTITY_PREFIX + key, -1) for key in kg.entity_vocab])
    src, dst = kg.data.edge_index.numpy()
    weight = (
        kg.data.edge_weight.numpy()
        if getattr(kg.data, "edge_weight", None) is not None
        else np.ones(len(src), dtype=np.float32)
    )
    s, d = term_of[src], term_of[dst]
    keep = (s >= 0) & (d >= 0) & (s != d)
    return sp.csr_matrix((weight[keep], (s[keep], d[keep])), shape=(size, size))
