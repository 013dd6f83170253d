"""``DocGraphModel``, what every document-graph model shares, and
``DocGraphForSequenceClassification``: a two-layer GCN over the document graph, mixed with a
text head (BertGCN's interpolation). The linear two-hop variant is in ``sgc.py``.

Document nodes start from their (frozen) text vectors, term nodes from learned embeddings
(TextGCN's one-hot features, folded into the first layer). The graph logits of a document
and the text head's logits are mixed as probabilities,
``p = lambda * p_graph + (1 - lambda) * p_text``; ``graph_lambda = 0`` is the text-only
baseline through the same code.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import PreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput

from kgfuse.fusion.classify.docgraph.adjacency import GraphAdjacency
from kgfuse.fusion.classify.docgraph.config import MODEL_TYPE, DocGraphConfig
from kgfuse.fusion.fusers import ClassificationHead

_EPS = 1e-9

__all__ = ["MODEL_TYPE", "DocGraphConfig", "DocGraphForSequenceClassification", "DocGraphModel"]


class DocGraphModel(PreTrainedModel):
    """What every document-graph model shares: the text head's mix with the graph's logits,
    the loss and ``forward``. Subclasses give ``parts``, ``inputs_from``, ``all_outputs`` and
    ``attached_logits``; their graph inputs always end with the text vectors."""

    config_class = DocGraphConfig
    base_model_prefix = "docgraph"

    def _init_weights(self, module: nn.Module) -> None:
        """Keep PyTorch's default initialisation (the graph models were tuned with it)."""

    @staticmethod
    def inputs_from(
        adjacency: GraphAdjacency, text_vectors: torch.Tensor
    ) -> tuple[torch.Tensor, ...]:
        """The fixed full-graph inputs of ``forward`` and ``parts`` (before ``doc_index``),
        ending with ``text_vectors``."""
        raise NotImplementedError

    def parts(self, *inputs: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor]:
        """Graph and text logits of some documents, before mixing.

        Args:
            inputs: The graph inputs (``inputs_from``, ending with the text vectors), then
                ``doc_index`` [batch].

        Returns:
            ``(graph_logits [batch, labels] or None when graph_lambda is 0, text_logits
            [batch, labels])``.
        """
        *graph_inputs, doc_index = inputs
        text_logits = self.text_head(graph_inputs[-1][doc_index])  # [batch, labels]
        if self.config.graph_lambda == 0:  # text only: the graph's weight is zero, skip it
            return None, text_logits
        return self.graph_logits(*graph_inputs, doc_index=doc_index), text_logits

    def graph_logits(self, *graph_inputs: torch.Tensor, doc_index: torch.Tensor) -> torch.Tensor:
        """[batch, labels] the graph's logits of the documents in ``doc_index``."""
        raise NotImplementedError

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
            term_outputs: [terms, labels] what each term node passes on (``all_outputs``).

        Returns:
            [new, labels] logits (log of the mixed probabilities).
        """
        graph = self.attached_graph_logits(text_vectors, self_weight, term_rows, term_outputs)
        return self.mixed_logits(graph, self.text_head(text_vectors), self.config.graph_lambda)

    def attached_graph_logits(
        self,
        text_vectors: torch.Tensor,
        self_weight: torch.Tensor,
        term_rows: torch.Tensor,
        term_outputs: torch.Tensor,
    ) -> torch.Tensor:
        """[new, labels] the graph's logits of new documents (``attached_logits``' args)."""
        raise NotImplementedError

    def _add_term_features(self, width: int) -> None:
        """A fixed ``term_features`` buffer [terms, term_feature_dim] (saved with the weights;
        the trainer fills it) and its learned projection to ``width``, when configured."""
        dim = self.config.term_feature_dim
        self.feature_proj = nn.Linear(dim, width, bias=False) if dim else None
        if dim:
            self.register_buffer("term_features", torch.zeros(self.config.num_terms, dim))

    def term_table(self, learned: torch.Tensor) -> torch.Tensor:
        """[terms, width] the learned term rows plus the projected fixed features."""
        if self.feature_proj is None:
            return learned
        return learned + self.feature_proj(self.term_features)

    def mixed_logits(
        self, graph_logits: torch.Tensor | None, text_logits: torch.Tensor, lam: float
    ) -> torch.Tensor:
        """Logits of ``lam * p_graph + (1 - lam) * p_text``.

        Single-label: the log of the mixed probabilities (so their softmax is the mix);
        multi-label: the logit of each mixed probability (so their sigmoid is the mix).
        """
        if graph_logits is None or lam == 0:
            return text_logits
        if self.config.multi_label:
            probs = lam * torch.sigmoid(graph_logits) + (1 - lam) * torch.sigmoid(text_logits)
            probs = probs.clamp(_EPS, 1 - _EPS)
            return torch.log(probs) - torch.log1p(-probs)
        probs = lam * graph_logits.softmax(-1) + (1 - lam) * text_logits.softmax(-1)
        return torch.log(probs + _EPS)

    def loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Cross-entropy (single-label) or binary cross-entropy (multi-label) of logits."""
        if self.config.multi_label:
            return nn.functional.binary_cross_entropy_with_logits(logits, labels.float())
        return nn.functional.cross_entropy(logits, labels)

    def forward(
        self, *inputs: torch.Tensor, labels: torch.Tensor | None = None
    ) -> SequenceClassifierOutput:
        """Full-graph forward pass, scored on the documents in ``doc_index``.

        The loss follows ``config.objective``: ``mixture`` (BertGCN) trains on the mixed
        probabilities; ``separate`` trains the text head and the graph each on its own loss,
        so that ``graph_lambda`` can be chosen after training.

        Args:
            inputs: The graph inputs (``inputs_from``), then ``doc_index`` [batch], the
                document nodes to score.
            labels: [batch] (or [batch, labels]) targets of those documents.

        Returns:
            ``loss`` (with labels) and ``logits`` [batch, labels] (the mix at
            ``config.graph_lambda``).
        """
        graph_logits, text_logits = self.parts(*inputs)
        logits = self.mixed_logits(graph_logits, text_logits, self.config.graph_lambda)
        loss = None
        if labels is not None:
            if self.config.objective == "separate" and graph_logits is not None:
                loss = self.loss(text_logits, labels) + self.loss(graph_logits, labels)
            else:
                loss = self.loss(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def all_outputs(self, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(graph logits [documents, labels], term outputs [terms, labels])`` (eval)."""
        raise NotImplementedError


class DocGraphForSequenceClassification(DocGraphModel):
    """GCN over documents and terms, interpolated with a text head."""

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
        self._add_term_features(config.hidden_size)
        self.post_init()

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
        terms = term_columns @ self.drop(self.term_table(self.term_embeddings))  # [nodes, hidden]
        return torch.relu(self.doc_proj(self.drop(propagated_text)) + terms)

    def node_outputs(
        self, propagated_text: torch.Tensor, term_columns: torch.Tensor
    ) -> torch.Tensor:
        """[nodes, labels] second-layer inputs ``graph_out(states)`` of every node (before the
        second propagation)."""
        return self.graph_out(self.drop(self.node_states(propagated_text, term_columns)))

    def graph_logits(  # type: ignore[override]
        self,
        propagated_text: torch.Tensor,
        term_columns: torch.Tensor,
        adjacency: torch.Tensor,
        text_vectors: torch.Tensor,
        *,
        doc_index: torch.Tensor,
    ) -> torch.Tensor:
        """[batch, labels] the second GCN layer's output for the documents in ``doc_index``.

        Args:
            propagated_text: [nodes, text_dim] ``A[:, docs] @ text_vectors``.
            term_columns: [nodes, terms] sparse ``A[:, terms]``.
            adjacency: [nodes, nodes] sparse normalised adjacency.
            text_vectors: [docs, text_dim] (read by the text head, not here).
            doc_index: [batch] document nodes.
        """
        outputs = self.node_outputs(propagated_text, term_columns)  # [nodes, labels]
        return (adjacency @ outputs)[doc_index]

    @staticmethod
    def inputs_from(
        adjacency: GraphAdjacency, text_vectors: torch.Tensor
    ) -> tuple[torch.Tensor, ...]:
        """The fixed full-graph inputs of ``forward`` and ``parts`` (before ``doc_index``)."""
        return (
            adjacency.doc_columns @ text_vectors,
            adjacency.term_columns,
            adjacency.full,
            text_vectors,
        )

    @torch.no_grad()
    def all_outputs(self, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(graph logits [documents, labels], term outputs [terms, labels])`` in one pass."""
        propagated, term_columns, adjacency, text_vectors = inputs
        outputs = self.node_outputs(propagated, term_columns)  # [nodes, labels]
        num_docs = text_vectors.shape[0]
        return (adjacency @ outputs)[:num_docs], outputs[num_docs:]

    def attached_graph_logits(
        self,
        text_vectors: torch.Tensor,
        self_weight: torch.Tensor,
        term_rows: torch.Tensor,
        term_outputs: torch.Tensor,
    ) -> torch.Tensor:
        """[new, labels] one GCN layer over the new rows, then the terms' ``graph_out``."""
        weight = self_weight[:, None]  # [new, 1]
        states = torch.relu(
            self.doc_proj(weight * text_vectors) + term_rows @ self.term_table(self.term_embeddings)
        )  # [new, hidden]
        return weight * self.graph_out(states) + term_rows @ term_outputs

    @torch.no_grad()
    def term_outputs(
        self, propagated_text: torch.Tensor, term_columns: torch.Tensor, num_docs: int
    ) -> torch.Tensor:
        """[terms, labels] ``graph_out`` of the term nodes' first-layer states (eval mode)."""
        return self.node_outputs(propagated_text, term_columns)[num_docs:]
