"""``RelationEdges``: the knowledge graph's facts between entity terms, typed by predicate.

The relational graph model (``graph_model="rsgc"``) passes messages between entity terms
along these edges, with one transform per relation type (R-GCN). Each fact ``s -p-> o`` gives
an edge ``s -> o`` of type ``p`` and its inverse ``o -> s`` of type ``p^-1`` (R-GCN's
inverse relations: the object learns from its subjects differently than the subject from its
objects). Only the ``max_relations`` most frequent predicates get their own type; the rest
share ``other``, so a graph of thousands of rare verb lemmas does not get thousands of
weight matrices. An edge's weight is ``log1p(support)`` over the sum of the weights arriving
at its target, a support-weighted mean over all incoming facts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import torch

from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX
from kgfuse.graph.data import KGData

OTHER = "other"
INVERSE_SUFFIX = "^-1"


@dataclass(frozen=True)
class RelationEdges:
    """Typed, weighted edges between term nodes.

    Attributes:
        relations: Relation type names: the kept predicates, ``other``, then each one's
            inverse (``name^-1``), in that order; type ``r`` is ``relations[r]``.
        edge_index: [2, E] (source term, target term).
        edge_type: [E] relation type of each edge.
        edge_weight: [E] support weights, normalised to sum to 1 at each target.
    """

    relations: tuple[str, ...]
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    edge_weight: torch.Tensor

    @property
    def num_edges(self) -> int:
        """Number of typed edges (both directions counted)."""
        return int(self.edge_type.numel())

    @classmethod
    def empty(cls) -> RelationEdges:
        """No relation at all (the model then reduces to SGC)."""
        return cls(
            (),
            torch.zeros(2, 0, dtype=torch.long),
            torch.zeros(0, dtype=torch.long),
            torch.zeros(0),
        )


def relation_edges(kg: KGData | None, terms: TermGraph, *, max_relations: int) -> RelationEdges:
    """The facts of ``kg`` between entity terms of ``terms``, typed by predicate.

    Args:
        kg: The knowledge graph (None or no facts: no edges).
        terms: The term vocabulary (entity terms are ``e:<entity key>``).
        max_relations: Predicates with their own type (the most frequent among the kept
            facts); the others share ``other``.

    Returns:
        The typed edges (empty when no fact joins two entity terms).
    """
    if kg is None or not kg.num_edges:
        return RelationEdges.empty()
    index = {t: i for i, t in enumerate(terms.terms)}
    term_of = np.array([index.get(ENTITY_PREFIX + key, -1) for key in kg.entity_vocab])
    src, dst = kg.data.edge_index.numpy()
    predicate = kg.data.edge_type.numpy()
    weight = getattr(kg.data, "edge_weight", None)
    weight = np.ones(len(src), np.float32) if weight is None else weight.numpy()
    s, d = term_of[src], term_of[dst]
    keep = (s >= 0) & (d >= 0) & (s != d)
    s, d, predicate, weight = s[keep], d[keep], predicate[keep], weight[keep]
    if not len(s):
        return RelationEdges.empty()
    # the most frequent predicates first; ties by predicate id, so the order is reproducible
    counts = Counter(predicate.tolist())
    top = sorted(counts, key=lambda p: (-counts[p], p))[:max_relations]
    names = [kg.relation_vocab[p] for p in top]
    has_other = len(counts) > len(top)
    forward = [*names, OTHER] if has_other else names
    type_of = np.full(len(kg.relation_vocab), len(names), dtype=np.int64)  # default: other
    type_of[top] = np.arange(len(top))
    forward_type = type_of[predicate]
    source = np.concatenate([s, d])
    target = np.concatenate([d, s])
    kind = np.concatenate([forward_type, forward_type + len(forward)])
    raw = np.concatenate([weight, weight]).astype(np.float64)
    # support-weighted mean at each target (over every relation type arriving there)
    total = np.bincount(target, weights=raw, minlength=terms.num_terms)
    normalised = raw / total[target]
    return RelationEdges(
        (*forward, *(name + INVERSE_SUFFIX for name in forward)),
        torch.from_numpy(np.stack([source, target]).astype(np.int64)),
        torch.from_numpy(kind),
        torch.from_numpy(normalised.astype(np.float32)),
    )
