"""``DocGraphPredictor``: logits of any text from a trained document-graph model.

A text that was a node of the graph during training (same content hash) is answered from
its node, the transductive prediction. Any other text is attached to the trained graph by
rows (``attach_rows``) and read through it, without retraining and without changing the
graph for other texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import torch

from kgfuse.fusion.classify.data import Example
from kgfuse.fusion.classify.docgraph.adjacency import attach_rows, doc_term_matrix
from kgfuse.fusion.classify.docgraph.model import DocGraphModel
from kgfuse.fusion.classify.docgraph.state import GraphState
from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX, document_terms
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.graph.data import KGData
from kgfuse.types import content_hash


@dataclass
class DocGraphPredictor:
    """A trained model with its graph and text encoder.

    Attributes:
        model: The classifier (put in eval mode).
        state: The graph it was trained on.
        encoder: The frozen text encoder for texts outside the graph.
        words: Whether word terms are part of the graph.
        max_entities: Linked entities kept per text (as when the graph was built).
        metadata: Labels, settings and metrics of the run.
    """

    model: DocGraphModel
    state: GraphState
    encoder: FrozenTextEncoder
    words: bool = False
    max_entities: int = 256
    metadata: dict = field(default_factory=dict)
    _cache: tuple[torch.Tensor, torch.Tensor] | None = field(default=None, repr=False)

    @property
    def device(self) -> torch.device:
        """Where the model runs."""
        return next(self.model.parameters()).device

    def _graph_outputs(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(document logits [docs, labels], term outputs [terms, labels])``, computed once."""
        if self._cache is None:
            self.model.eval()
            inputs = self.model.inputs_from(self.state.adjacency, self.state.text_vectors)
            inputs = tuple(tensor.to(self.device) for tensor in inputs)
            with torch.no_grad():  # one pass gives both the documents' and the terms' outputs
                graph, term_outputs = self.model.all_outputs(inputs)
                docs = self.model.mixed_logits(
                    graph, self.model.text_head(inputs[-1]), self.model.config.graph_lambda
                )
            self._cache = (docs.cpu(), term_outputs)
        return self._cache

    def invalidate(self) -> None:
        """Forget cached graph outputs (after the weights changed)."""
        self._cache = None

    @cached_property
    def entity_graph(self) -> KGData:
        """The graph's entity terms as a ``KGData`` (what a linker may link to)."""
        terms = self.state.terms.terms
        keys = [t[len(ENTITY_PREFIX) :] for t in terms if t.startswith(ENTITY_PREFIX)]
        return KGData.from_edges([], entities=keys)

    def graph_nodes(self, examples: Sequence[Example]) -> int:
        """How many of ``examples`` were graph documents during training."""
        return sum(content_hash(ex.text) in self.state.node_of for ex in examples)

    def logits(
        self,
        examples: Sequence[Example],
        *,
        text_vectors: torch.Tensor | None = None,
        inductive: bool = False,
    ) -> np.ndarray:
        """Logits (log mixed probabilities) of linked examples.

        Args:
            examples: Texts with their linked entity keys.
            text_vectors: [len(examples), text_dim] vectors, if already computed.
            inductive: Attach every text as a new one, even texts that were graph documents
                during training (their node is otherwise read: a transductive score).

        Returns:
            [len(examples), labels] array.
        """
        doc_logits, term_outputs = self._graph_outputs()
        out = np.zeros((len(examples), doc_logits.shape[1]), dtype=np.float32)
        nodes = [
            None if inductive else self.state.node_of.get(content_hash(ex.text)) for ex in examples
        ]
        known = [i for i, node in enumerate(nodes) if node is not None]
        if known:
            out[known] = doc_logits[[nodes[i] for i in known]].numpy()
        new = [i for i, node in enumerate(nodes) if node is None]
        if new:
            vectors = (
                text_vectors[new]
                if text_vectors is not None
                else self.encoder.encode([examples[i].text for i in new])
            )
            bags = [
                document_terms(
                    examples[i].text,
                    (examples[i].entities or ())[: self.max_entities],
                    words=self.words,
                )
                for i in new
            ]
            self_weight, rows = attach_rows(
                doc_term_matrix(bags, self.state.terms), self.state.adjacency.term_degree
            )
            device = self.device
            logits = self.model.attached_logits(
                vectors.to(device), self_weight.to(device), rows.to(device), term_outputs
            )
            out[new] = logits.cpu().numpy()
        return out
