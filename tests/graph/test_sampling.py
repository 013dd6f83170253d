"""Bounded, deterministic k-hop subgraphs."""

from __future__ import annotations

import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import SubgraphSampler


@pytest.fixture
def star() -> KGData:
    """hub -- leaf0..leaf9 (leaf i has support i + 1), leaf0 -- far."""
    edges = [("hub", "r", f"leaf{i}", i + 1) for i in range(10)] + [("leaf0", "s", "far", 1)]
    return KGData.from_edges(edges)


def test_hops_bound_the_subgraph(star: KGData) -> None:
    hub = star.index(["hub"])
    one = SubgraphSampler(star, hops=1).sample([hub])
    two = SubgraphSampler(star, hops=2).sample([hub])
    far = star.index(["far"])[0]
    assert far not in one.node_ids.tolist() and far in two.node_ids.tolist()
    assert one.node_ids.numel() == 11


def test_neighbour_cap_keeps_strongest_facts(star: KGData) -> None:
    sub = SubgraphSampler(star, hops=1, max_neighbors=3).sample([star.index(["hub"])])
    names = {star.entity_vocab[i] for i in sub.node_ids.tolist()}
    assert names == {"hub", "leaf9", "leaf8", "leaf7"}
    assert sub.edge_index.shape == (2, 6)  # 3 facts, both directions


def test_node_cap_and_reverse_edges(star: KGData) -> None:
    sub = SubgraphSampler(star, hops=2, max_nodes=4).sample([star.index(["hub"])])
    assert sub.node_ids.numel() == 4
    num_facts = sub.edge_type.numel() // 2
    assert torch.equal(sub.edge_type[num_facts:], sub.edge_type[:num_facts] + star.num_relations)
    assert torch.equal(sub.edge_index[:, num_facts:], sub.edge_index.flip(0)[:, :num_facts])
    assert int(sub.edge_index.max()) < 4


def test_seeds_map_to_their_examples_and_empty_examples_work(star: KGData) -> None:
    hub, far = star.index(["hub"])[0], star.index(["far"])[0]
    sub = SubgraphSampler(star, hops=1).sample([[far], [], [hub, far]])
    assert sub.seed_batch.tolist() == [0, 2, 2]
    assert sub.node_ids[sub.seed_index].tolist() == [far, hub, far]
    empty = SubgraphSampler(star).sample([[], []])
    assert empty.node_ids.numel() == 0 and empty.seed_index.numel() == 0


def test_sampling_is_deterministic(star: KGData) -> None:
    sampler = SubgraphSampler(star, hops=2, max_neighbors=2)
    a, b = sampler.sample([[0, 3]]), sampler.sample([[0, 3]])
    assert all(
        torch.equal(x, y) for x, y in zip(a.as_dict().values(), b.as_dict().values(), strict=True)
    )


def test_bad_bounds_raise(star: KGData) -> None:
    with pytest.raises(ConfigError, match="max_neighbors"):
        SubgraphSampler(star, max_neighbors=0)
