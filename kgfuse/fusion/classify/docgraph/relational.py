"""``RelationalDocGraphForSequenceClassification`` (``graph_model="rsgc"``): SGC's two hops
over documents and terms, with the entity terms' rows first refined by one relational layer
over the knowledge graph's typed facts (R-GCN, Schlichtkrull et al. 2018, through
torch-geometric's ``FastRGCNConv``).

The graph stays heterogeneous in its node kinds: documents (text vectors), entity terms and
word terms (learned rows of logits). SGC reads every term's row ``E`` through the untyped
document-term and term-term edges, where the knowledge graph only adds ``log1p(support)`` to
a term-term weight, whatever the fact says. Here an entity term's row becomes

    E'[i] = E[i] + sum over facts (j -r-> i) of w_ji * E[j] W_r

with one ``labels x labels`` transform per relation type ``r`` (the predicate, or its
inverse), built from a few shared bases, and ``w_ji`` the fact's support over all support
arriving at ``i``. So "works for" can pass a label on while "competes with" can flip it. The
rest is SGC: ``E'`` replaces ``E`` in both hops, a new document attached by rows reads the
refined rows, and the relational layer costs one pass over the facts per step.
"""

from __future__ import annotations

import torch
from torch_geometric.nn import FastRGCNConv

from kgfuse.fusion.classify.docgraph.model import DocGraphConfig
from kgfuse.fusion.classify.docgraph.relations import RelationEdges
from kgfuse.fusion.classify.docgraph.sgc import PropagatedDocGraphForSequenceClassification

#: Shared bases of the relation transforms (R-GCN's basis decomposition): with hundreds of
#: predicates, one free matrix each would over-fit the rare ones.
NUM_BASES = 4


class WeightedRGCNConv(FastRGCNConv):
    """``FastRGCNConv`` whose messages are scaled by an edge weight (the fact's support)."""

    def forward(  # type: ignore[override]
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        edge_weight: torch.Tensor,
    ) -> torch.Tensor:
        """[nodes, out] ``sum_j w_ji x_j W_type(ji)`` (no root weight, no bias).

        Args:
            x: [nodes, in] node features.
            edge_index: [2, E] (source, target).
            edge_type: [E] relation types.
            edge_weight: [E] message weights.
        """
        # propagate_type: (x: Tensor, edge_type: Tensor, edge_weight: Tensor)
        return self.propagate(
            edge_index, x=x, edge_type=edge_type, edge_weight=edge_weight, size=None
        )

    def message(  # type: ignore[override]
        self,
        x_j: torch.Tensor,
        edge_type: torch.Tensor,
        edge_index_j: torch.Tensor,
        edge_weight: torch.Tensor,
    ) -> torch.Tensor:
        """[E, out] each fact's typed message, times its weight."""
        return super().message(x_j, edge_type, edge_index_j) * edge_weight[:, None]


class RelationalDocGraphForSequenceClassification(PropagatedDocGraphForSequenceClassification):
    """SGC over documents and terms; entity terms first exchange typed messages along facts."""

    def __init__(self, config: DocGraphConfig) -> None:
        super().__init__(config)
        num_relations = len(getattr(config, "relations", ()) or ())
        edges = int(getattr(config, "num_relation_edges", 0))
        self.relational = (
            WeightedRGCNConv(
                config.num_labels,
                config.num_labels,
                num_relations,
                num_bases=min(NUM_BASES, num_relations),
                aggr="add",
                root_weight=False,
                bias=False,
            )
            if num_relations and edges
            else None
        )
        # the typed facts are part of the model (saved in model.safetensors with the weights)
        self.register_buffer("relation_index", torch.zeros(2, edges, dtype=torch.long))
        self.register_buffer("relation_type", torch.zeros(edges, dtype=torch.long))
        self.register_buffer("relation_weight", torch.zeros(edges))
        self.post_init()

    def set_relations(self, edges: RelationEdges) -> None:
        """Copy the typed facts in (their count and names must match the config).

        Raises:
            ValueError: Edges that do not match ``config.relations`` /
                ``config.num_relation_edges``.
        """
        if tuple(getattr(self.config, "relations", ()) or ()) != edges.relations or (
            self.relation_type.numel() != edges.num_edges
        ):
            raise ValueError("the relation edges do not match the model's config")
        self.relation_index.copy_(edges.edge_index)
        self.relation_type.copy_(edges.edge_type)
        self.relation_weight.copy_(edges.edge_weight)

    def term_table(self, learned: torch.Tensor) -> torch.Tensor:
        """[terms, labels] SGC's term rows plus each entity term's typed messages."""
        table = super().term_table(learned)
        if self.relational is None:
            return table
        return table + self.relational(
            table, self.relation_index, self.relation_type, self.relation_weight
        )


def configure_relations(config: DocGraphConfig, edges: RelationEdges) -> None:
    """Record the relation types and the edge count in ``config`` (before building)."""
    config.relations = list(edges.relations)
    config.num_relation_edges = edges.num_edges
