"""Why an answer was ranked where it is: the path the model's score followed to it.

The reasoner's score reaches a node through weighted edges, hop by hop. For an answer, the
hop whose (hop-attention-weighted) score is highest is taken as its distance; walking back,
each step picks the incoming edge that carried the most score from the previous hop. The
result is a chain of facts from a topic entity to the answer, in their stored direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from kgfuse.errors import EntityNotFoundError
from kgfuse.graph.data import KGData


@dataclass(frozen=True)
class Fact:
    """One fact of a supporting path, as stored (``subject -predicate-> object``).

    ``inverse`` is True when the path walks it backwards (from the object to the subject).
    """

    subject_key: str
    predicate: str
    object_key: str
    inverse: bool = False


def explain_path(
    kg: KGData,
    *,
    node: int,
    node_ids: torch.Tensor,
    edge_index: torch.Tensor,
    edge_type: torch.Tensor,
    topic_mask: torch.Tensor,
    hop_scores: torch.Tensor,
    relation_weights: torch.Tensor,
    hop_attention: torch.Tensor,
) -> list[Fact]:
    """Return the facts of the path that carried the most score to local ``node``.

    Args:
        kg: The model's graph (vocabularies).
        node: Local id of the answer in the question's subgraph.
        node_ids: [N] global ids of the subgraph's nodes.
        edge_index: [2, E] local edges (both directions).
        edge_type: [E] relation ids (reverse directions offset by ``num_relations``).
        topic_mask: [N] topic entities.
        hop_scores: [hops, N] score after each hop.
        relation_weights: [hops, 2 * num_relations] relation attention of each hop.
        hop_attention: [hops] weight of each hop's score.

    Returns:
        Facts from a topic entity to the answer (empty when no score reached it).
    """
    weighted = hop_attention * hop_scores[:, node]  # [hops]
    if float(weighted.max()) <= 0.0:
        return []
    start = topic_mask.float() / topic_mask.float().sum().clamp(min=1.0)  # [N]
    previous = torch.cat([start.unsqueeze(0), hop_scores[:-1]])  # [hops, N]: score before hop
    src, dst = edge_index
    num_relations = kg.num_relations
    facts: list[Fact] = []
    current = node
    for hop in range(int(torch.argmax(weighted)), -1, -1):
        incoming = (dst == current).nonzero().flatten()
        if incoming.numel() == 0:
            break
        carried = previous[hop, src[incoming]] * relation_weights[hop, edge_type[incoming]]
        edge = int(incoming[torch.argmax(carried)])
        rel = int(edge_type[edge])
        here, there = int(node_ids[src[edge]]), int(node_ids[dst[edge]])
        inverse = rel >= num_relations  # a reverse step: the stored fact points the other way
        if inverse:
            here, there, rel = there, here, rel - num_relations
        facts.append(
            Fact(kg.entity_vocab[here], kg.relation_vocab[rel], kg.entity_vocab[there], inverse)
        )
        current = int(src[edge])
    return facts[::-1]


class SentenceFinder:
    """Source sentences of facts, read from a store's entity cards (cached per subject).

    Args:
        store: An open ``GraphStore``, or None (no sentences).
        per_fact: Sentences kept per fact.
        scan: Sentences read per subject entity.
    """

    def __init__(self, store: Any, *, per_fact: int = 2, scan: int = 200) -> None:
        self.store, self.per_fact, self.scan = store, per_fact, scan
        self.cards: dict[str, Any] = {}

    def __call__(self, path: Sequence[Fact]) -> tuple[str, ...]:
        """Return the source sentences of the facts of ``path`` (none without a store)."""
        if self.store is None:
            return ()
        found: list[str] = []
        for fact in path:
            if fact.subject_key not in self.cards:
                try:
                    card = self.store.entity_card(
                        fact.subject_key, neighbours=0, sentences=self.scan
                    )
                    self.cards[fact.subject_key] = card.sentences
                except EntityNotFoundError:
                    self.cards[fact.subject_key] = ()
            hits = [
                s.text
                for s in self.cards[fact.subject_key]
                if (s.subject_key, s.predicate, s.object_key)
                == (fact.subject_key, fact.predicate, fact.object_key)
            ]
            found.extend(dict.fromkeys(hits[: self.per_fact]))
        return tuple(found)
