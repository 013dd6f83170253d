"""Relational GCN layer with basis decomposition and edge weights (Schlichtkrull et al. 2018).

PyG's ``RGCNConv`` loops over relation types on CPU without ``pyg-lib`` and ignores edge
weights; open extraction yields many predicates and support counts matter, so this layer
shares ``num_bases`` basis matrices across relations and takes a weighted mean of messages.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch_geometric.nn import MessagePassing
from torch_geometric.utils import scatter


class WeightedRGCNConv(MessagePassing):
    """``x_i' = W_root x_i + sum_j w_ij W_{r_ij} x_j / sum_j w_ij`` with ``W_r = sum_b a_rb V_b``.

    Args:
        in_channels: Input feature size.
        out_channels: Output feature size.
        num_relations: Number of relation types (including reverse directions).
        num_bases: Number of shared basis matrices.
    """

    def __init__(
        self, in_channels: int, out_channels: int, num_relations: int, *, num_bases: int = 4
    ) -> None:
        super().__init__(aggr="add", node_dim=0)
        self.num_relations = max(num_relations, 1)
        self.bases = nn.Parameter(torch.empty(num_bases, in_channels, out_channels))
        self.comp = nn.Parameter(torch.empty(self.num_relations, num_bases))
        self.root = nn.Linear(in_channels, out_channels)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Glorot-style init of bases, uniform combination weights, default root init."""
        bound = math.sqrt(6.0 / (self.bases.shape[1] + self.bases.shape[2]))
        nn.init.uniform_(self.bases, -bound, bound)
        nn.init.uniform_(self.comp, 0.0, 2.0 / self.comp.shape[1])
        self.root.reset_parameters()

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        edge_weight: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Args: x [N, in], edge_index [2, E], edge_type [E], edge_weight [E]. Returns [N, out]."""
        if edge_weight is None:
            edge_weight = x.new_ones(edge_index.shape[1])
        x_bases = torch.einsum("ni,bio->nbo", x, self.bases)  # [nodes, bases, out]
        out = self.propagate(
            edge_index, x=x_bases, edge_type=edge_type, edge_weight=edge_weight, size=None
        )
        norm = scatter(edge_weight, edge_index[1], dim=0, dim_size=x.shape[0], reduce="sum")
        return self.root(x) + out / norm.clamp(min=1e-6).unsqueeze(-1)

    def message(
        self, x_j: torch.Tensor, edge_type: torch.Tensor, edge_weight: torch.Tensor
    ) -> torch.Tensor:
        coef = self.comp[edge_type].unsqueeze(1)  # [edges, 1, bases]
        return torch.bmm(coef, x_j).squeeze(1) * edge_weight.unsqueeze(-1)  # [edges, out]
