"""``train_kge``: entity embeddings from a graph's facts with PyG's KGE models."""

from __future__ import annotations

import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.graph.data import KGData
from kgfuse.graph.kge import KGE_MODELS, train_kge


def clustered_kg() -> KGData:
    """Two communities: people who play in a club, people who play in a band; plus one
    entity that is in the vocabulary but in no fact."""
    edges = [(f"c{i}", "plays_in", "club", 1) for i in range(8)]
    edges += [(f"b{i}", "plays_in", "band", 1) for i in range(8)]
    edges += [("club", "is_a", "sport", 1), ("band", "is_a", "music", 1)]
    return KGData.from_edges(edges, entities=["loner"])


@pytest.mark.parametrize("model", sorted(KGE_MODELS))
def test_every_model_trains_with_the_right_shape(model: str) -> None:
    kg = clustered_kg()
    vectors = train_kge(kg, model=model, dim=8, epochs=3, seed=1)
    width = 16 if model in ("rotate", "complex") else 8
    assert vectors.shape == (kg.num_entities, width)
    assert torch.isfinite(vectors).all()
    loner = kg.entity_vocab.index("loner")
    assert not vectors[loner].any()  # in no fact: zero, not a random position
    assert vectors[kg.entity_vocab.index("club")].any()


def test_same_seed_same_vectors_and_structure_is_learned() -> None:
    kg = clustered_kg()
    first = train_kge(kg, model="distmult", dim=16, epochs=80, seed=3)
    assert torch.equal(first, train_kge(kg, model="distmult", dim=16, epochs=80, seed=3))
    index = {key: i for i, key in enumerate(kg.entity_vocab)}

    def cosine(a: str, b: str) -> float:
        return float(torch.cosine_similarity(first[index[a]], first[index[b]], dim=0))

    same = [cosine(f"c{i}", f"c{j}") for i in range(4) for j in range(4, 8)]
    across = [cosine(f"c{i}", f"b{j}") for i in range(4) for j in range(4)]
    # members of one community share their fact, so they end closer than across communities
    assert sum(same) / len(same) > sum(across) / len(across)


def test_no_facts_gives_zeros_and_bad_settings_are_refused() -> None:
    empty = KGData.from_edges([], entities=["a", "b"])
    assert not train_kge(empty, dim=4).any()
    with pytest.raises(ConfigError, match="kge model"):
        train_kge(clustered_kg(), model="word2vec")
    with pytest.raises(ConfigError, match="at least 1"):
        train_kge(clustered_kg(), dim=0)
