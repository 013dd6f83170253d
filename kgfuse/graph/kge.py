"""Knowledge-graph embeddings trained on a built graph (``torch_geometric.nn.kge``), used as
entity features by the models.

Each fact ``(subject, predicate, object)`` of ``KGData`` is a training triple; the models are
PyG's TransE, DistMult, RotatE and ComplEx, trained with their own margin or logistic loss
against corrupted triples. Entities in no fact keep a zero vector, so a downstream model can
tell "no structure known" from a learned position.
"""

from __future__ import annotations

import logging

import torch
from torch_geometric.nn import kge
from tqdm.auto import tqdm

from kgfuse.errors import ConfigError
from kgfuse.graph.data import KGData

logger = logging.getLogger(__name__)

KGE_MODELS: dict[str, type[kge.KGEModel]] = {
    "transe": kge.TransE,
    "distmult": kge.DistMult,
    "rotate": kge.RotatE,
    "complex": kge.ComplEx,
}


def train_kge(
    kg: KGData,
    *,
    model: str = "distmult",
    dim: int = 64,
    epochs: int = 50,
    batch_size: int = 1024,
    learning_rate: float = 0.01,
    seed: int = 0,
    disable_tqdm: bool = True,
) -> torch.Tensor:
    """Train entity embeddings on the facts of ``kg``.

    Args:
        kg: The graph; its ``edge_index`` [2, facts] and ``edge_type`` [facts] are the triples.
        model: ``transe``, ``distmult``, ``rotate`` or ``complex``.
        dim: Embedding size (complex models return ``2 * dim``: real and imaginary parts).
        epochs: Passes over the facts.
        batch_size: Facts per step.
        learning_rate: Adam learning rate.
        seed: Seed of the initialisation and the negative samples.
        disable_tqdm: Hide the progress bar.

    Returns:
        [entities, dim or 2 * dim] float32 embeddings in ``kg.entity_vocab`` order, zero for
        entities in no fact (and all zero when the graph has no facts).

    Raises:
        ConfigError: An unknown model name or a size below 1.
    """
    if model not in KGE_MODELS:
        raise ConfigError(f"kge model must be one of {', '.join(KGE_MODELS)}, got {model!r}")
    if dim < 1 or epochs < 1 or batch_size < 1:
        raise ConfigError("kge dim, epochs and batch_size must be at least 1")
    width = 2 * dim if model in ("rotate", "complex") else dim
    num_entities = max(kg.num_entities, 1)
    if kg.num_edges == 0:
        logger.warning("the graph has no facts: knowledge-graph embeddings are all zero")
        return torch.zeros(num_entities, width)
    torch.manual_seed(seed)
    head, tail = kg.data.edge_index
    relation = kg.data.edge_type
    embedder = KGE_MODELS[model](num_entities, max(kg.num_relations, 1), dim)
    optimizer = torch.optim.Adam(embedder.parameters(), lr=learning_rate)
    loader = embedder.loader(head, relation, tail, batch_size=batch_size, shuffle=True)
    bar = tqdm(range(epochs), desc=f"kge {model}", disable=disable_tqdm)
    for _ in bar:
        total = 0.0
        for h, r, t in loader:
            optimizer.zero_grad()
            loss = embedder.loss(h, r, t)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(h)
        bar.set_postfix(loss=f"{total / len(head):.4f}")
    with torch.no_grad():
        vectors = embedder.node_emb.weight.detach().clone()
        if model in ("rotate", "complex"):
            vectors = torch.cat([vectors, embedder.node_emb_im.weight.detach()], dim=1)
    in_a_fact = torch.zeros(num_entities, dtype=torch.bool)
    in_a_fact[head] = True
    in_a_fact[tail] = True
    vectors[~in_a_fact] = 0.0
    return vectors.float()
