"""``KGFusionForSequenceClassification``: a Hugging Face text encoder fused with a PyG GNN.

The text side is any ``AutoModel`` encoder; the graph side embeds the nodes of the batch's
bounded subgraph (``kgfuse.graph.sampling``), runs a graph encoder, and hands the states of
each text's linked entities to the fuser. ``fusion="none"`` builds no graph side at all and is
the text-only baseline through the same code path.
"""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.utils import scatter, to_dense_batch
from transformers import AutoConfig, AutoModelForSequenceClassification
from transformers import initialization as init
from transformers.modeling_outputs import SequenceClassifierOutput

from kgfuse.fusion.classify.subgraph.config import KGFusionConfig
from kgfuse.fusion.encoders import build_graph_encoder
from kgfuse.fusion.encoders.rgcn import WeightedRGCNConv
from kgfuse.fusion.fusers import CrossAttentionFusion, build_fuser
from kgfuse.fusion.pretrained import KgfusePreTrainedModel, NodeInput


class KGFusionForSequenceClassification(KgfusePreTrainedModel):
    """Text classifier whose text vector is fused with the states of its linked entities.

    Args:
        config: A ``KGFusionConfig`` (its only constructor argument, HF style).
    """

    config_class = KGFusionConfig
    config: KGFusionConfig
    base_model_prefix = "kgfusion"
    kind = "classifier"

    def __init__(self, config: KGFusionConfig) -> None:
        super().__init__(config)
        self.num_labels = config.num_labels
        text_dim = config.text_config.hidden_size
        self.no_graph: nn.Parameter | None = None
        if config.uses_graph:
            self.node_input = NodeInput(
                config.num_entities,
                config.graph_hidden_size,
                kind=config.node_features,
                feature_dim=config.node_feature_dim,
            )
            self.graph_encoder = build_graph_encoder(
                config.graph_encoder,
                hidden=config.graph_hidden_size,
                num_layers=config.graph_num_layers,
                num_relations=2 * max(config.num_relations, 1),
                act=config.graph_act,
                dropout=config.graph_dropout,
                heads=config.graph_heads,
                num_bases=config.num_bases,
            )
            self.no_graph = nn.Parameter(torch.zeros(config.graph_hidden_size))
        self.fuser = build_fuser(
            config.fusion,
            text_dim=text_dim,
            graph_dim=config.graph_hidden_size,
            num_labels=config.num_labels,
            dropout=config.classifier_dropout,
            heads=config.fusion_heads,
            lam=config.interpolation_lambda,
        )
        self.post_init_frozen()

    @torch.no_grad()
    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        if isinstance(module, WeightedRGCNConv):
            bound = (6.0 / (module.bases.shape[1] + module.bases.shape[2])) ** 0.5
            init.uniform_(module.bases, -bound, bound)
            init.uniform_(module.comp, 0.0, 2.0 / module.comp.shape[1])
        elif isinstance(module, CrossAttentionFusion):
            init.zeros_(module.null)
        elif getattr(module, "no_graph", None) is not None:
            init.zeros_(module.no_graph)

    def encode_graph(
        self,
        batch_size: int,
        node_ids: torch.Tensor | None,
        edge_index: torch.Tensor | None,
        edge_type: torch.Tensor | None,
        edge_weight: torch.Tensor | None,
        seed_index: torch.Tensor | None,
        seed_batch: torch.Tensor | None,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Run the graph encoder on the batch's subgraph.

        Returns:
            ``graph_vec`` [batch, graph_hidden] (mean of the linked entities' states, or the
            learned no-graph vector), ``seeds`` [batch, max_entities, graph_hidden] and
            ``seed_mask`` [batch, max_entities].
        """
        assert self.no_graph is not None
        hidden = self.config.graph_hidden_size
        no_graph = self.no_graph.unsqueeze(0).expand(batch_size, hidden)  # [batch, graph_hidden]
        if node_ids is None or seed_index is None or seed_batch is None or seed_index.numel() == 0:
            empty = no_graph.new_zeros(batch_size, 0, hidden)
            return (
                no_graph,
                empty,
                torch.zeros(batch_size, 0, dtype=torch.bool, device=empty.device),
            )
        x = self.node_input(node_ids)  # [nodes, graph_hidden]
        if edge_index is not None and edge_index.numel():
            x = self.graph_encoder(x, edge_index, edge_type, edge_weight)
        seed_states = x[seed_index]  # [seeds, graph_hidden]
        pooled = scatter(seed_states, seed_batch, dim=0, dim_size=batch_size, reduce="mean")
        count = torch.bincount(seed_batch, minlength=batch_size).unsqueeze(-1)  # [batch, 1]
        graph_vec = torch.where(count > 0, pooled, no_graph)  # [batch, graph_hidden]
        seeds, seed_mask = to_dense_batch(seed_states, seed_batch, batch_size=batch_size)
        return graph_vec, seeds, seed_mask  # seeds: [batch, max_entities, graph_hidden]

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        text_embeds: torch.Tensor | None = None,
        node_ids: torch.Tensor | None = None,
        edge_index: torch.Tensor | None = None,
        edge_type: torch.Tensor | None = None,
        edge_weight: torch.Tensor | None = None,
        seed_index: torch.Tensor | None = None,
        seed_batch: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        return_dict: bool | None = None,
    ) -> SequenceClassifierOutput | tuple[torch.Tensor, ...]:
        """Classify a batch.

        Args:
            input_ids: [batch, tokens] token ids (or give ``text_embeds``).
            attention_mask: [batch, tokens].
            token_type_ids: [batch, tokens], for encoders that use them.
            text_embeds: [batch, text_hidden] precomputed text vectors (frozen-encoder mode).
            node_ids: [N] global entity id of each subgraph node.
            edge_index: [2, E] local subgraph edges.
            edge_type: [E] relation ids (reverse directions offset by ``num_relations``).
            edge_weight: [E] edge weights.
            seed_index: [S] local node of each linked entity; ``seed_batch`` [S] its example.
            seed_batch: [S] example index of each linked entity (sorted).
            labels: [batch] class ids, or [batch, num_labels] multi-hot for multi-label.
            return_dict: Return a tuple when False.

        Returns:
            ``SequenceClassifierOutput`` with ``logits`` [batch, num_labels] and ``loss``.
        """
        if text_embeds is None:
            if input_ids is None or attention_mask is None:
                raise ValueError("forward needs input_ids and attention_mask, or text_embeds")
            text_embeds = self.encode_text(input_ids, attention_mask, token_type_ids)
        batch_size = text_embeds.shape[0]
        if self.config.uses_graph:
            graph_vec, seeds, seed_mask = self.encode_graph(
                batch_size, node_ids, edge_index, edge_type, edge_weight, seed_index, seed_batch
            )
            logits = self.fuser(text_embeds, graph_vec, seeds, seed_mask)
        else:
            logits = self.fuser(text_embeds)
        loss = self.loss(logits, labels) if labels is not None else None
        if return_dict is False:
            return (logits,) if loss is None else (loss, logits)
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Cross-entropy (single-label) or binary cross-entropy (multi-label)."""
        if self.config.problem_type == "multi_label_classification":
            return nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype))
        return nn.functional.cross_entropy(logits.view(-1, self.num_labels), labels.view(-1))


# Let ``AutoConfig`` / ``AutoModelForSequenceClassification`` (and ``AutoTokenizer``, which
# reads config.json) recognise kgfuse model directories.
AutoConfig.register("kgfusion", KGFusionConfig, exist_ok=True)
AutoModelForSequenceClassification.register(
    KGFusionConfig, KGFusionForSequenceClassification, exist_ok=True
)
