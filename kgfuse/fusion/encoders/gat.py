"""GAT layer (Veličković et al. 2018, GATv2 attention) over relation- and weight-aware edges."""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.nn import GATv2Conv


class RelationalGATConv(nn.Module):
    """GATv2 attention whose edge features are a relation embedding plus the edge weight.

    Args:
        channels: Input and output size (split over ``heads``, concatenated back).
        num_relations: Number of relation types (including reverse directions).
        heads: Attention heads; must divide ``channels``.
        relation_dim: Size of the learned relation embedding fed to the attention.
    """

    def __init__(
        self, channels: int, num_relations: int, *, heads: int = 2, relation_dim: int = 16
    ) -> None:
        super().__init__()
        if channels % heads:
            raise ValueError(
                f"GAT needs heads to divide the hidden size: {channels} % {heads} != 0"
            )
        self.relation = nn.Embedding(max(num_relations, 1), relation_dim)
        self.conv = GATv2Conv(
            channels,
            channels // heads,
            heads=heads,
            edge_dim=relation_dim + 1,
            add_self_loops=True,
            fill_value="mean",
        )

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        edge_weight: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Args: x [N, C], edge_index [2, E], edge_type [E], edge_weight [E]. Returns [N, C]."""
        if edge_weight is None:
            edge_weight = x.new_ones(edge_index.shape[1])
        edge_attr = torch.cat([self.relation(edge_type), edge_weight.unsqueeze(-1)], dim=-1)
        return self.conv(x, edge_index, edge_attr=edge_attr)  # [nodes, heads * C / heads]
