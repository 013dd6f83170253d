"""GraphSAGE layer (Hamilton et al. 2017): mean of neighbours plus a root term.

GraphSAGE ignores relation types and edge weights by design; it is the cheapest encoder.
"""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.nn import SAGEConv


class SAGELayer(nn.Module):
    """``SAGEConv`` with the shared encoder signature.

    Args:
        channels: Input and output size.
        aggr: Neighbour aggregation (``mean``, ``max``, ``sum``).
    """

    def __init__(self, channels: int, *, aggr: str = "mean") -> None:
        super().__init__()
        self.conv = SAGEConv(channels, channels, aggr=aggr)

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor | None = None,
        edge_weight: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Args: x [N, C], edge_index [2, E] (edge_type/edge_weight unused). Returns [N, C]."""
        return self.conv(x, edge_index)
