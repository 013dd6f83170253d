"""KGData from edge lists and from a store; save/load; to_pyg."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from kgfuse.errors import DataError, ModelError
from kgfuse.graph.data import GRAPH_FILE, KGData
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.types import Edge, Entity


def test_from_edges_sorted_vocab_and_summed_support() -> None:
    kg = KGData.from_edges(
        [("zed", "likes", "amy"), ("amy", "knows", "zed", 2), ("zed", "likes", "amy", 2)],
        entities=["lonely"],
        names={"amy": "Amy A."},
    )
    assert kg.entity_vocab == ["amy", "lonely", "zed"]
    assert kg.relation_vocab == ["knows", "likes"]
    assert kg.entity_names == ["Amy A.", "lonely", "zed"]
    assert kg.data.edge_index.tolist() == [[0, 2], [2, 0]]
    assert kg.data.edge_type.tolist() == [0, 1]
    assert kg.data.edge_weight.tolist() == pytest.approx([math.log1p(2), math.log1p(3)])
    assert kg.index(["zed", "nobody", "amy", "zed"]) == [2, 0]


def test_same_edges_in_any_order_give_same_tensors() -> None:
    edges = [("b", "r", "c", 2), ("a", "s", "b", 1), ("c", "r", "a", 4)]
    one, two = KGData.from_edges(edges), KGData.from_edges(reversed(edges))
    assert torch.equal(one.data.edge_index, two.data.edge_index)
    assert torch.equal(one.data.edge_weight, two.data.edge_weight)
    assert one.vocab_hash() == two.vocab_hash()


def test_bad_edges_and_weighting_are_refused() -> None:
    with pytest.raises(DataError, match="empty key"):
        KGData.from_edges([("a", "", "b")])
    with pytest.raises(DataError, match="weighting"):
        KGData.from_edges([("a", "r", "b")], weighting="pmi")


def test_save_load_round_trip(tmp_path: Path, tiny_kg: KGData) -> None:
    tiny_kg.save(tmp_path)
    back = KGData.load(tmp_path)
    assert back.entity_vocab == tiny_kg.entity_vocab
    assert back.relation_vocab == tiny_kg.relation_vocab
    assert torch.equal(back.data.edge_index, tiny_kg.data.edge_index)
    assert back.vocab_hash() == tiny_kg.vocab_hash()


def test_load_corrupt_graph_raises_model_error(tmp_path: Path, tiny_kg: KGData) -> None:
    tiny_kg.save(tmp_path)
    (tmp_path / GRAPH_FILE).write_bytes(b"\x80\x04garbage")
    with pytest.raises(ModelError, match="cannot read the graph"):
        KGData.load(tmp_path)


class FakeStore:
    """The two read methods ``to_pyg`` uses."""

    def iter_edges(self):
        yield Edge("a", "co_occurs_with", "b", 1)
        yield Edge("a", "founded", "c", 3)

    def entities(self, keys):
        return {k: Entity(k, k.upper(), "ORG") for k in keys}


def test_to_pyg_reads_edges_and_names() -> None:
    kg = to_pyg(FakeStore(), exclude_predicates=frozenset({"co_occurs_with"}))  # type: ignore[arg-type]
    assert kg.entity_vocab == ["a", "c"]
    assert kg.entity_names == ["A", "C"]
    assert kg.relation_vocab == ["founded"]
    assert kg.data.edge_weight.tolist() == pytest.approx([math.log1p(3)])
