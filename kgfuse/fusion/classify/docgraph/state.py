"""``GraphState``: the documents and terms a document-graph model was trained on.

Saved next to the weights so that prediction needs neither the training data nor a store:
the text vectors and TF-IDF rows of every graph document, their content hashes (a text that
was a graph node is answered from its node), and the ``TermGraph``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.docgraph.adjacency import GraphAdjacency, build_adjacency
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph

DOCS_FILE = "docgraph_documents.safetensors"
DOC_KEYS_FILE = "docgraph_documents.json"


@dataclass
class GraphState:
    """Documents and terms of a trained document graph.

    Attributes:
        terms: The term vocabulary and term-term edges.
        doc_keys: Content hash of each document node's text, in node order.
        text_vectors: [documents, text_dim] their frozen text vectors.
        doc_term: [documents, terms] their TF-IDF weights.
    """

    terms: TermGraph
    doc_keys: tuple[str, ...]
    text_vectors: torch.Tensor
    doc_term: sp.csr_matrix

    @cached_property
    def adjacency(self) -> GraphAdjacency:
        """The normalised adjacency (built once)."""
        return build_adjacency(self.doc_term, self.terms)

    @cached_property
    def node_of(self) -> dict[str, int]:
        """Document node of each content hash."""
        return {key: i for i, key in enumerate(self.doc_keys)}

    def propagated_text(self) -> torch.Tensor:
        """[nodes, text_dim] ``A[:, docs] @ text_vectors``: fixed, so computed once per run."""
        return self.adjacency.doc_columns @ self.text_vectors

    def save(self, directory: str | Path) -> None:
        """Write the documents and the term graph into ``directory``."""
        out = Path(directory)
        self.terms.save(out)
        matrix = sp.csr_matrix(self.doc_term)
        save_file(
            {
                "text_vectors": self.text_vectors.contiguous(),
                "indptr": torch.from_numpy(matrix.indptr.astype(np.int64)),
                "indices": torch.from_numpy(matrix.indices.astype(np.int64)),
                "data": torch.from_numpy(matrix.data.astype(np.float32)),
            },
            str(out / DOCS_FILE),
        )
        (out / DOC_KEYS_FILE).write_text(json.dumps(list(self.doc_keys)))

    @classmethod
    def load(cls, directory: str | Path) -> GraphState:
        """Read a state written by ``save``.

        Raises:
            ModelError: Missing, unreadable or inconsistent files.
        """
        path = Path(directory)
        terms = TermGraph.load(path)
        try:
            arrays = load_file(str(path / DOCS_FILE))
            keys = tuple(json.loads((path / DOC_KEYS_FILE).read_text(encoding="utf-8")))
            # own, aligned memory: the same BLAS path, so the same logits, as before saving
            vectors = arrays["text_vectors"].clone()
            doc_term = sp.csr_matrix(
                (arrays["data"].numpy(), arrays["indices"].numpy(), arrays["indptr"].numpy()),
                shape=(len(keys), terms.num_terms),
            )
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
            raise ModelError(f"{path} lacks readable document-graph documents ({exc})") from exc
        if vectors.shape[0] != len(keys):
            raise ModelError(f"{path}: {len(keys)} document keys but {vectors.shape[0]} vectors")
        return cls(terms, keys, vectors, doc_term)
