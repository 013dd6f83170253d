"""``DocGraphForSequenceClassification``: a two-layer GCN over the document graph, mixed with
a text head (BertGCN's interpolation).

Document nodes start from their (frozen) text vectors, term nodes from learned embeddings
(TextGCN's one-hot features, folded into the first layer). The graph logits of a document
and the text head's logits are mixed as probabilities,
``p = lambda * p_graph + (1 - lambda) * p_text``; ``graph_lambda = 0`` is the text-only
baseline through the same code.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput

from kgfuse.fusion.fusers import ClassificationHead

MODEL_TYPE = "kgfuse-docgraph"
_EPS = 1e-9


class DocGraphConfig(PretrainedConfig):
    """Configuration of the document-graph classifier.

    Args:
        text_dim: Size of the text vectors (the text encoder's hidden size).
        num_terms: Term nodes in the graph.
        hidden_size: GCN hidden size.
        dropout: Dropout on GCN inputs and hidden states.
        text_dropout: Dropout before the text head.
        graph_lambda: Weight of the graph's probabilities in the mix (0 = text only).
        text_model_name_or_path: The frozen text encoder the vectors come from.
        text_max_length: Token limit used for the text vectors.
        pooling: Pooling of the text encoder's states.
    """

    model_type = MODEL_TYPE

    def __init__(
        self,
        text_dim: int = 384,
        num_terms: int = 0,
        hidden_size: int = 256,
        dropout: float = 0.5,
        text_dropout: float = 0.1,
        graph_lambda: float = 0.7,
        text_model_name_or_path: str = "",
        text_max_length: int = 128,
        pooling: str = "mean",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.text_dim, self.num_terms, self.hidden_size = text_dim, num_terms, hidden_size
        self.dropout, self.text_dropout, self.graph_lambda = dropout, text_dropout, graph_lambda
        self.text_model_name_or_path = text_model_name_or_path
        self.text_max_length = text_max_length
        self.pooling = pooling

    @property
    def multi_label(self) -> bool:
        """Whether labels are independent (sigmoid) rather than exclusive (softmax)."""
        return self.problem_type == "multi_label_classification"


class DocGraphForSequenceClassification(PreTrainedModel):
    """GCN over documents and terms, interpolated with a text head."""

    config_class = DocGraphConfig
    base_model_prefix = "docgraph"

    def __init__(self, config: DocGraphConfig) -> None:
        super().__init__(config)
        self.term_embeddings = nn.Parameter(
            torch.randn(config.num_terms, config.hidden_size) * 0.01
        )
        self.doc_proj = nn.Linear(config.text_dim, config.hidden_size)
        self.graph_out = nn.Linear(config.hidden_size, config.num_labels)
        self.text_head = ClassificationHead(
            config.text_dim, config.num_labels, dropout=config.text_dropout
        )
        self.drop = nn.Dropout(config.dropout)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        """Keep PyTorch's default initialisation (the GCN was tuned with it)."""

    def node_states(
        self, propagated_text: torch.Tensor, term_columns: torch.Tensor
    ) -> torch.Tensor:
        """First GCN layer for every node.

        Args:
            propagated_text: [nodes, text_dim] ``A[:, docs] @ text_vectors`` (fixed).
            term_columns: [nodes, terms] sparse ``A[:, terms]``.

        Returns:
            [nodes, hidden] states.
        """
        terms = term_columns @ self.drop(self.term_embeddings)  # [nodes, hidden]
        return torch.relu(self.doc_proj(self.drop(propagated_text)) + terms)

    def mix(
        self, graph_logits: torch.Tensor, text_vectors: torch.Tensor, labels: torch.Tensor | None
    ) -> SequenceClassifierOutput:
        """Mix graph and text probabilities; logits are the log of the mixed probabilities.

        Args:
            graph_logits: [docs, labels] GCN outputs.
            text_vectors: [docs, text_dim] the same documents' text vectors.
            labels: [docs] class ids, or [docs, labels] multi-hot; None for no loss.
        """
        lam = self.config.graph_lambda
        text_logits = self.text_head(text_vectors)  # [docs, labels]
        if self.config.multi_label:
            probs = lam * torch.sigmoid(graph_logits) + (1 - lam) * torch.sigmoid(text_logits)
            probs = probs.clamp(_EPS, 1 - _EPS)
            logits = torch.log(probs) - torch.log1p(-probs)  # sigmoid(logits) == probs
            loss = None
            if labels is not None:
                loss = nn.functional.binary_cross_entropy(probs, labels.float())
            return SequenceClassifierOutput(loss=loss, logits=logits)
        probs = lam * graph_logits.softmax(-1) + (1 - lam) * text_logits.softmax(-1)
        logits = torch.log(probs + _EPS)  # softmax(logits) == probs
        loss = nn.functional.nll_loss(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def forward(
        self,
        propagated_text: torch.Tensor,
        term_columns: torch.Tensor,
        adjacency: torch.Tensor,
        text_vectors: torch.Tensor,
        doc_index: torch.Tensor,
        labels: torch.Tensor | None = None,
    ) -> SequenceClassifierOutput:
        """Full-graph forward pass, scored on the documents in ``doc_index``.

        Args:
            propagated_text: [nodes, text_dim] ``A[:, docs] @ text_vectors``.
            term_columns: [nodes, terms] sparse ``A[:, terms]``.
            adjacency: [nodes, nodes] sparse normalised adjacency.
            text_vectors: [docs, text_dim] text vectors of all document nodes.
            doc_index: [batch] document nodes to score.
            labels: [batch] (or [batch, labels]) targets of those documents.

        Returns:
            ``loss`` (with labels) and ``logits`` [batch, labels].
        """
        if self.config.graph_lambda == 0:  # text only: the graph's weight is zero, skip it
            graph_logits = text_vectors.new_zeros(len(doc_index), self.config.num_labels)
            return self.mix(graph_logits, text_vectors[doc_index], labels)
        states = self.node_states(propagated_text, term_columns)  # [nodes, hidden]
        graph_logits = adjacency @ self.graph_out(self.drop(states))  # [nodes, labels]
        return self.mix(graph_logits[doc_index], text_vectors[doc_index], labels)

    @torch.no_grad()
    def attached_logits(
        self,
        text_vectors: torch.Tensor,
        self_weight: torch.Tensor,
        term_rows: torch.Tensor,
        term_outputs: torch.Tensor,
    ) -> torch.Tensor:
        """Logits of new documents attached to the trained graph by rows (eval mode).

        Args:
            text_vectors: [new, text_dim] their text vectors.
            self_weight: [new] self-loop weights.
            term_rows: [new, terms] sparse normalised document-term weights.
            term_outputs: [terms, labels] ``graph_out(states)`` of the graph's term nodes.

        Returns:
            [new, labels] logits (log of the mixed probabilities).
        """
        weight = self_weight[:, None]  # [new, 1]
        states = torch.relu(
            self.doc_proj(weight * text_vectors) + term_rows @ self.term_embeddings
        )  # [new, hidden]
        graph_logits = weight * self.graph_out(states) + term_rows @ term_outputs
        return self.mix(graph_logits, text_vectors, None).logits

    @torch.no_grad()
    def term_outputs(
        self, propagated_text: torch.Tensor, term_columns: torch.Tensor, num_docs: int
    ) -> torch.Tensor:
        """[terms, labels] ``graph_out`` of the term nodes' first-layer states (eval mode)."""
        states = self.node_states(propagated_text, term_columns)
        return self.graph_out(states[num_docs:])
