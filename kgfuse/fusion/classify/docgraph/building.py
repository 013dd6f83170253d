"""The document graph of a run: its documents (distinct texts), their frozen vectors and the
term graph fitted over their bags."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from kgfuse.fusion.classify.data import Example
from kgfuse.fusion.classify.docgraph.adjacency import doc_term_matrix
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.state import GraphState
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX, document_terms
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.graph.data import KGData
from kgfuse.types import content_hash


def build_state(
    nodes: Sequence[Example],
    encoder: FrozenTextEncoder,
    kg: KGData,
    options: DocGraphOptions,
    *,
    cache_dir: Path | None,
) -> GraphState:
    """Embed the graph documents and fit the term graph over their bags.

    Args:
        nodes: The graph documents (distinct texts, with linked entities).
        encoder: The frozen text encoder.
        kg: The knowledge graph (its facts link entity terms when ``options.use_facts``).
        options: ``words``, ``max_entities``, ``min_df``, ``max_df``, ``pmi_top_k``.
        cache_dir: Where text vectors are cached (None: not cached).

    Returns:
        The graph state the model trains on.
    """
    vectors = encoder.encode([ex.text for ex in nodes], cache_dir=cache_dir)
    bags = [
        document_terms(ex.text, (ex.entities or ())[: options.max_entities], words=options.words)
        for ex in nodes
    ]
    terms = TermGraph.fit(
        bags,
        kg=kg if options.use_facts else None,
        min_df=options.min_df,
        max_df=options.max_df,
        pmi_top_k=options.pmi_top_k,
    )
    keys = tuple(content_hash(ex.text) for ex in nodes)
    return GraphState(terms, keys, vectors, doc_term_matrix(bags, terms))


def unique_texts(examples: Sequence[Example]) -> list[Example]:
    """Keep the first example of each distinct text (a text is one graph node)."""
    seen: dict[str, Example] = {}
    for ex in examples:
        seen.setdefault(content_hash(ex.text), ex)
    return list(seen.values())


def entity_term_features(terms: TermGraph, kg: KGData, options: DocGraphOptions) -> torch.Tensor:
    """[terms, width] knowledge-graph embeddings of the entity terms (zero for word terms and
    for entities in no fact), trained on ``kg``'s facts as ``options.entity_features`` says.

    Raises:
        ConfigError: Bad embedding settings.
    """
    from kgfuse.graph.kge import train_kge  # torch_geometric: only when asked for

    vectors = train_kge(
        kg,
        model=options.entity_features,
        dim=options.kge_dim,
        epochs=options.kge_epochs,
        seed=options.seed,
        disable_tqdm=options.disable_tqdm,
    )  # [entities, width]
    entity_of = {key: i for i, key in enumerate(kg.entity_vocab)}
    features = vectors.new_zeros(terms.num_terms, vectors.shape[1])
    for t, term in enumerate(terms.terms):
        if term.startswith(ENTITY_PREFIX):
            i = entity_of.get(term[len(ENTITY_PREFIX) :])
            if i is not None:
                features[t] = vectors[i]
    # unit scale: the projection's learning rate then suits every embedding model
    norm = features.norm(dim=1).max()
    return features / norm if norm > 0 else features
