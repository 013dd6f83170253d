"""Mini-batch training of the document graph: memory bounded by the batch, not the corpus.

Full-graph training computes every node's hidden state at every step, so its activations
grow with the corpus. A document's logits only read its two-hop neighbourhood, and in this
graph that neighbourhood is small and fixed: documents link to terms only (no document-
document edges), the text that documents pass to terms in the first layer is fixed and
propagated once (``A[:, docs] X``, an input row per node), and what is left is

- GCN: ``(A[B, U] @ graph_out(relu(doc_proj(P[U]) + A[U, terms] E)))``, ``U`` the batch's
  documents and their terms (the batch's rows of ``A``);
- SGC: the batch's rows of the smoothed text and of ``A[docs, terms]``, against the full
  (small) ``[terms, labels]`` term table.

So a batch gives the model's own ``graph_logits`` the rows it needs, and its logits equal the
full graph's exactly (eval mode; in training only the dropout masks differ). This is what
torch-geometric's ``NeighborLoader`` with every neighbour kept over these two hops would
gather; its sampling kernels need ``pyg-lib`` or ``torch-sparse``, which publish no wheels for
this torch, so the rows are sliced from the normalised adjacency with SciPy instead. What
stays full-size: the fixed inputs (a text vector and a propagated text row per node, the
adjacency) and the parameters with their optimizer state (the learned term table).

``GraphBatches`` is what the training loops (``fit.py``, ``selection.py``) step through:
``FullGraph`` (one optimizer step per epoch, the default for small graphs) or
``MiniBatches`` (shuffled batches of ``batch_size`` labelled documents, one step each).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import numpy as np
import scipy.sparse as sp
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.docgraph.adjacency import to_torch_csr
from kgfuse.fusion.classify.docgraph.model import DocGraphModel
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.state import GraphState

logger = logging.getLogger(__name__)

Inputs = tuple[torch.Tensor | sp.csr_matrix, ...]


class GraphBatches(Protocol):
    """How a training loop steps through the graph and scores documents."""

    def train_epoch(
        self,
        model: DocGraphModel,
        optimizer: torch.optim.Optimizer,
        index: torch.Tensor,
        targets: torch.Tensor,
    ) -> float:
        """Train one epoch on the ``index`` documents; returns the mean loss."""
        ...

    def parts(
        self, model: DocGraphModel, index: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor]:
        """``(graph logits or None, text logits)`` of the ``index`` documents (eval mode)."""
        ...


def _step(
    model: DocGraphModel,
    optimizer: torch.optim.Optimizer,
    inputs: tuple[torch.Tensor, ...],
    targets: torch.Tensor,
) -> float:
    """One optimizer step; ``inputs`` end with the documents to score."""
    model.train()
    optimizer.zero_grad()
    loss = model(*inputs, labels=targets).loss
    loss.backward()
    optimizer.step()
    return loss.item()


class FullGraph:
    """One optimizer step per epoch over the whole graph (inputs built once, on ``device``)."""

    def __init__(self, model: DocGraphModel, state: GraphState, device: torch.device) -> None:
        inputs = model.inputs_from(state.adjacency, state.text_vectors)
        self.inputs = tuple(tensor.to(device) for tensor in inputs)

    def train_epoch(
        self,
        model: DocGraphModel,
        optimizer: torch.optim.Optimizer,
        index: torch.Tensor,
        targets: torch.Tensor,
    ) -> float:
        """One full-graph step on the ``index`` documents."""
        return _step(model, optimizer, (*self.inputs, index), targets)

    @torch.no_grad()
    def parts(
        self, model: DocGraphModel, index: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor]:
        """Graph and text logits of the ``index`` documents from one full-graph pass."""
        model.eval()
        return model.parts(*self.inputs, index)


def _scipy(matrix: torch.Tensor) -> sp.csr_matrix:
    """A torch CSR tensor as SciPy CSR (sharing its buffers)."""
    return sp.csr_matrix(
        (
            matrix.values().numpy(),
            matrix.col_indices().numpy(),
            matrix.crow_indices().numpy(),
        ),
        shape=tuple(matrix.shape),
    )


def _gcn_rows(inputs: Inputs, docs: np.ndarray) -> tuple[torch.Tensor, ...]:
    """The GCN's inputs for documents ``docs``: the nodes ``U`` they read (themselves and
    their terms), with ``U``'s propagated text and term columns, and ``A[docs, U]``."""
    propagated, term_columns, full, text = inputs
    rows = full[docs]  # [batch, nodes]
    needed = np.unique(rows.indices).astype(np.int64)  # the batch's documents and their terms
    chosen = torch.from_numpy(needed)
    return (
        propagated[chosen],  # type: ignore[index]
        to_torch_csr(term_columns[needed]),  # type: ignore[index]
        to_torch_csr(rows[:, needed]),
        text[torch.from_numpy(docs.astype(np.int64))],  # type: ignore[index]
    )


def _sgc_rows(inputs: Inputs, docs: np.ndarray) -> tuple[torch.Tensor, ...]:
    """SGC's inputs for documents ``docs``: their rows of every per-document input."""
    smoothed, doc_terms, term_term, self_weight, text = inputs
    chosen = torch.from_numpy(docs.astype(np.int64))
    return (
        smoothed[chosen],  # type: ignore[index]
        to_torch_csr(doc_terms[docs]),  # type: ignore[index]
        term_term,  # type: ignore[return-value]
        self_weight[chosen],  # type: ignore[index]
        text[chosen],  # type: ignore[index]
    )


#: ``graph_model`` -> the slicer of its ``inputs_from`` for a batch of documents, which
#: inputs stay torch tensors (the rest are sliced as SciPy CSR rows), and which are used whole
#: by every batch (moved to the device once).
Slicer = Callable[[Inputs, np.ndarray], tuple[torch.Tensor, ...]]
SLICERS: dict[str, tuple[Slicer, set[int], set[int]]] = {
    "gcn": (_gcn_rows, {0, 3}, set()),
    "sgc": (_sgc_rows, {0, 2, 3, 4}, {2}),
}


class MiniBatches:
    """Seeded shuffled batches of labelled documents, each with the rows it reads.

    Args:
        model: A model whose ``graph_model`` has a slicer (``gcn``, ``sgc``).
        state: The document graph.
        device: Where each batch is computed.
        batch_size: Documents per optimizer step.
        seed: Seed of the shuffling.

    Raises:
        ConfigError: A graph model without mini-batch support.
    """

    def __init__(
        self,
        model: DocGraphModel,
        state: GraphState,
        device: torch.device,
        *,
        batch_size: int,
        seed: int,
    ) -> None:
        name = model.config.graph_model
        if name not in SLICERS:
            raise ConfigError(
                f"mini-batch training supports graph_model {' and '.join(SLICERS)}, not {name!r}"
            )
        self.slice, keep, whole = SLICERS[name]
        inputs = model.inputs_from(state.adjacency, state.text_vectors)
        self.inputs: Inputs = tuple(
            (tensor.to(device) if i in whole else tensor) if i in keep else _scipy(tensor)
            for i, tensor in enumerate(inputs)
        )
        self.device, self.batch_size = device, batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def batch(self, docs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """The model's inputs for documents ``docs``, on the device, ending with their
        positions (``doc_index``)."""
        inputs = self.slice(self.inputs, docs.cpu().numpy())
        position = torch.arange(len(docs), device=self.device)
        return (*(tensor.to(self.device) for tensor in inputs), position)

    def train_epoch(
        self,
        model: DocGraphModel,
        optimizer: torch.optim.Optimizer,
        index: torch.Tensor,
        targets: torch.Tensor,
    ) -> float:
        """One step per batch of the shuffled ``index`` documents; the size-weighted mean
        loss."""
        order = torch.randperm(len(index), generator=self.generator).to(index.device)
        total = 0.0
        for chunk in order.split(self.batch_size):
            loss = _step(model, optimizer, self.batch(index[chunk]), targets[chunk])
            total += loss * len(chunk)
        return total / max(len(index), 1)

    @torch.no_grad()
    def parts(
        self, model: DocGraphModel, index: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor]:
        """Graph and text logits of the ``index`` documents, batch by batch."""
        model.eval()
        graphs, texts = [], []
        for chunk in index.split(self.batch_size):
            graph, text = model.parts(*self.batch(chunk))
            graphs.append(graph)
            texts.append(text)
        if any(graph is None for graph in graphs):  # text only: the graph side is skipped
            return None, torch.cat(texts)
        return torch.cat(graphs), torch.cat(texts)  # type: ignore[arg-type]


def mini_batch_mode(options: DocGraphOptions, state: GraphState) -> bool:
    """Whether to train in mini-batches: ``options.mini_batch`` when set; otherwise (None)
    when the graph has more than ``mini_batch_threshold`` nodes (documents + terms) and the
    graph model supports it."""
    if options.mini_batch is not None:
        return options.mini_batch
    nodes = len(state.doc_keys) + state.terms.num_terms
    if nodes <= options.mini_batch_threshold:
        return False
    if options.graph_model not in SLICERS:
        logger.warning(
            "%d graph nodes exceed mini_batch_threshold %d, but graph_model %r trains on the "
            "full graph only",
            nodes,
            options.mini_batch_threshold,
            options.graph_model,
        )
        return False
    logger.info("%d graph nodes: training in mini-batches of %d", nodes, options.batch_size)
    return True


def graph_batches(
    model: DocGraphModel, state: GraphState, options: DocGraphOptions, device: torch.device
) -> GraphBatches:
    """``MiniBatches`` or ``FullGraph`` for this run (``mini_batch_mode``).

    Raises:
        ConfigError: Mini-batches asked for with a graph model that has no support for them.
    """
    if mini_batch_mode(options, state):
        return MiniBatches(model, state, device, batch_size=options.batch_size, seed=options.seed)
    return FullGraph(model, state, device)
