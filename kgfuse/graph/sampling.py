"""Bounded k-hop subgraphs around the entities linked to a batch of texts.

Each node keeps at most ``max_neighbors`` neighbours (the facts with the largest
``edge_weight`` first, ties by node id), a batch's subgraph holds at most ``max_nodes`` nodes,
and sampling is deterministic: the same batch always yields the same subgraph, so evaluation
is reproducible and a resumed run sees the same batches as an uninterrupted one. New texts are
predicted without retraining: only their linked entity keys are needed (inductive).

Both directions of every sampled fact are returned; the reverse direction of relation ``r``
has type ``r + num_relations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from kgfuse.errors import ConfigError
from kgfuse.graph.data import KGData


@dataclass(frozen=True)
class Subgraph:
    """The graph inputs of one batch (PyG names).

    Attributes:
        node_ids: [N] global entity id of each local node.
        edge_index: [2, E] local ids, messages flow ``edge_index[0] -> edge_index[1]``.
        edge_type: [E] relation id (reverse directions offset by ``num_relations``).
        edge_weight: [E] edge weights.
        seed_index: [S] local node id of each (example, linked entity) pair.
        seed_batch: [S] example index of each pair.
    """

    node_ids: torch.Tensor
    edge_index: torch.Tensor
    edge_type: torch.Tensor
    edge_weight: torch.Tensor
    seed_index: torch.Tensor
    seed_batch: torch.Tensor

    def as_dict(self) -> dict[str, torch.Tensor]:
        """Return the tensors as model keyword arguments."""
        return dict(self.__dict__)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, e)`` for every pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


class SubgraphSampler:
    """Samples the bounded k-hop subgraph around seed entities.

    Args:
        kg: The graph.
        hops: Radius around the linked entities (0 = the linked entities alone).
        max_neighbors: Neighbours kept per node (largest ``edge_weight`` first).
        max_nodes: Bound on a batch's nodes; seeds always stay, then nearer hops first.

    Raises:
        ConfigError: A negative or zero bound.
    """

    def __init__(
        self, kg: KGData, *, hops: int = 2, max_neighbors: int = 10, max_nodes: int = 1024
    ) -> None:
        if hops < 0 or max_neighbors < 1 or max_nodes < 1:
            raise ConfigError(
                f"sampler needs hops >= 0, max_neighbors >= 1 and max_nodes >= 1; got hops={hops}, "
                f"max_neighbors={max_neighbors}, max_nodes={max_nodes}"
            )
        self.kg, self.hops, self.max_nodes = kg, hops, max_nodes
        src, dst = kg.data.edge_index.numpy()
        weight = kg.data.edge_weight.numpy()
        num_edges = src.shape[0]
        # Undirected incidence: every fact is listed at both of its ends.
        node = np.concatenate([src, dst])
        nbr = np.concatenate([dst, src])
        eid = np.concatenate([np.arange(num_edges), np.arange(num_edges)])
        order = np.lexsort((nbr, -np.concatenate([weight, weight]), node))
        node, nbr, eid = node[order], nbr[order], eid[order]
        counts = np.bincount(node, minlength=kg.num_entities)
        first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        rank = np.arange(node.shape[0]) - np.repeat(first, counts)
        keep = rank < max_neighbors
        self._nbr, self._eid = nbr[keep], eid[keep]
        kept = np.bincount(node[keep], minlength=kg.num_entities)
        self._ptr = np.concatenate([[0], np.cumsum(kept)]).astype(np.int64)

    def sample(self, seeds: Sequence[Sequence[int]]) -> Subgraph:
        """Return the subgraph for a batch.

        Args:
            seeds: For each example, the node ids of its linked entities (may be empty).

        Returns:
            The batch's ``Subgraph``.
        """
        pairs = [(b, n) for b, ids in enumerate(seeds) for n in dict.fromkeys(ids)]
        seed_nodes = np.unique(np.array([n for _, n in pairs], dtype=np.int64))
        nodes = [seed_nodes[: self.max_nodes]]
        seen = nodes[0]
        frontier, edge_ids = nodes[0], []
        for _ in range(self.hops):
            room = self.max_nodes - sum(len(n) for n in nodes)
            if frontier.size == 0:
                break
            idx = _ranges(self._ptr[frontier], self._ptr[frontier + 1])
            edge_ids.append(self._eid[idx])
            new = np.unique(self._nbr[idx])
            new = new[~np.isin(new, seen)][: max(room, 0)]
            nodes.append(new)
            seen = np.union1d(seen, new)
            frontier = new
        node_ids = seen  # sorted global ids; local id = position
        eids = np.unique(np.concatenate(edge_ids)) if edge_ids else np.zeros(0, np.int64)
        src, dst = self.kg.data.edge_index[:, torch.from_numpy(eids)].numpy()
        inside = np.isin(src, node_ids) & np.isin(dst, node_ids)
        eids, src, dst = eids[inside], src[inside], dst[inside]
        src_l, dst_l = np.searchsorted(node_ids, src), np.searchsorted(node_ids, dst)
        eids_t = torch.from_numpy(eids)
        rel = self.kg.data.edge_type[eids_t]
        weight = self.kg.data.edge_weight[eids_t]
        kept_seeds = set(nodes[0].tolist())
        kept_pairs = [(b, n) for b, n in pairs if n in kept_seeds]
        seed_ids = np.array([n for _, n in kept_pairs], dtype=np.int64)
        return Subgraph(
            node_ids=torch.from_numpy(node_ids.astype(np.int64)),
            edge_index=torch.from_numpy(
                np.stack([np.concatenate([src_l, dst_l]), np.concatenate([dst_l, src_l])])
            ).long(),  # [2, 2 * E_sampled]: forward then reverse direction
            edge_type=torch.cat([rel, rel + self.kg.num_relations]),
            edge_weight=torch.cat([weight, weight]).float(),
            seed_index=torch.from_numpy(np.searchsorted(node_ids, seed_ids)).long(),
            seed_batch=torch.tensor([b for b, _ in kept_pairs], dtype=torch.long),
        )
