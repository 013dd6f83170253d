"""Graph encoders: a stack of message-passing layers with residuals and layer norm.

``build_graph_encoder("rgcn" | "gat" | "sage", ...)`` returns a ``GraphEncoder``; every layer
has the signature ``layer(x, edge_index, edge_type, edge_weight) -> x``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch_geometric.nn.resolver import activation_resolver

from kgfuse.errors import ConfigError
from kgfuse.fusion.encoders.gat import RelationalGATConv
from kgfuse.fusion.encoders.rgcn import WeightedRGCNConv
from kgfuse.fusion.encoders.sage import SAGELayer

GRAPH_ENCODERS = ("rgcn", "gat", "sage")


class GraphEncoder(nn.Module):
    """``num_layers`` layers, each ``x = norm(x + dropout(act(layer(x, ...))))``.

    Args:
        layers: The message-passing layers (same input and output size).
        hidden: Their size.
        act: Activation, a name (``"relu"``) or a module/callable.
        dropout: Dropout after each activation.
    """

    def __init__(
        self,
        layers: list[nn.Module],
        *,
        hidden: int,
        act: str | Callable[..., Any] | nn.Module = "relu",
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in layers)
        self.act = activation_resolver(act) if isinstance(act, str) else act
        self.dropout = nn.Dropout(dropout)

    def forward(
        self,
        x: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        edge_weight: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Args: x [N, H], edge_index [2, E], edge_type [E], edge_weight [E]. Returns [N, H]."""
        for layer, norm in zip(self.layers, self.norms, strict=True):
            x = norm(x + self.dropout(self.act(layer(x, edge_index, edge_type, edge_weight))))
        return x


def build_graph_encoder(
    name: str,
    *,
    hidden: int,
    num_layers: int,
    num_relations: int,
    act: str | Callable[..., Any] | nn.Module = "relu",
    dropout: float = 0.1,
    heads: int = 2,
    num_bases: int = 4,
) -> GraphEncoder:
    """Build a graph encoder by name.

    Args:
        name: ``rgcn`` (relation types + edge weights), ``gat`` (attention over relation and
            weight edge features) or ``sage`` (GraphSAGE mean, ignores types and weights).
        hidden: Node state size.
        num_layers: Message-passing layers (>= 1).
        num_relations: Relation types seen by the layers (directed types x 2).
        act: Activation name or object.
        dropout: Dropout rate.
        heads: Attention heads (``gat``).
        num_bases: Basis matrices (``rgcn``).

    Raises:
        ConfigError: Unknown name or invalid sizes.
    """
    if num_layers < 1 or hidden < 1:
        raise ConfigError(
            f"graph encoder needs num_layers >= 1 and hidden >= 1, got {num_layers}, {hidden}"
        )
    if name == "rgcn":
        layers: list[nn.Module] = [
            WeightedRGCNConv(hidden, hidden, num_relations, num_bases=num_bases)
            for _ in range(num_layers)
        ]
    elif name == "gat":
        if hidden % heads:
            raise ConfigError(
                f"gat needs graph_heads to divide graph_hidden_size ({hidden} % {heads})"
            )
        layers = [RelationalGATConv(hidden, num_relations, heads=heads) for _ in range(num_layers)]
    elif name == "sage":
        layers = [SAGELayer(hidden) for _ in range(num_layers)]
    else:
        raise ConfigError(f"unknown graph encoder {name!r}: expected one of {GRAPH_ENCODERS}")
    return GraphEncoder(layers, hidden=hidden, act=act, dropout=dropout)
