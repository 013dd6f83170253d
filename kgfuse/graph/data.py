"""``KGData``: a knowledge graph as PyG tensors plus its entity and relation vocabularies.

Strings never go into tensors: node ``i`` is ``entity_vocab[i]`` and relation ``r`` is
``relation_vocab[r]``. Both vocabularies are sorted, so the same graph always gives the same
tensors on every machine. ``KGData`` is built from a ``GraphStore`` (``kgfuse.graph.to_pyg``) or
directly from edge lists (tests, imports), and saved next to every model as
``entity_vocab.json``, ``relation_vocab.json`` and ``graph.safetensors``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch_geometric.data import Data

from kgfuse.errors import DataError, ModelError
from kgfuse.types import Edge

ENTITY_VOCAB_FILE = "entity_vocab.json"
RELATION_VOCAB_FILE = "relation_vocab.json"
GRAPH_FILE = "graph.safetensors"
EDGE_WEIGHTINGS = ("log1p", "support", "none")

#: An edge given as ``Edge``, ``(s, p, o)`` or ``(s, p, o, support)``.
EdgeLike = Edge | tuple[str, str, str] | tuple[str, str, str, int]


def _as_edge(item: EdgeLike) -> Edge:
    if isinstance(item, Edge):
        return item
    if len(item) == 3:
        return Edge(item[0], item[1], item[2], 1)
    if len(item) == 4:
        return Edge(item[0], item[1], item[2], int(item[3]))  # type: ignore[misc]
    raise DataError(f"an edge must be (subject, predicate, object[, support]), got {item!r}")


def edge_weights(support: torch.Tensor, weighting: str) -> torch.Tensor:
    """Turn support counts into edge weights (``log1p``, raw ``support`` or ``none`` = ones)."""
    if weighting == "log1p":
        return torch.log1p(support.float())
    if weighting == "support":
        return support.float()
    if weighting == "none":
        return torch.ones_like(support, dtype=torch.float)
    raise DataError(f"unknown edge weighting {weighting!r}: expected one of {EDGE_WEIGHTINGS}")


@dataclass(eq=False)
class KGData:
    """A knowledge graph as tensors.

    Attributes:
        data: PyG ``Data`` with ``edge_index`` [2, E] (subject -> object), ``edge_type`` [E],
            ``edge_weight`` [E], ``num_nodes``, and optionally node features ``x`` [N, F].
        entity_vocab: Entity keys, sorted; node ``i`` is ``entity_vocab[i]``.
        relation_vocab: Predicates, sorted; relation ``r`` is ``relation_vocab[r]``.
        entity_names: Display names aligned with ``entity_vocab`` (what text features embed).
    """

    data: Data
    entity_vocab: list[str]
    relation_vocab: list[str]
    entity_names: list[str]

    @classmethod
    def from_edges(
        cls,
        edges: Iterable[EdgeLike],
        *,
        names: Mapping[str, str] | None = None,
        entities: Iterable[str] = (),
        weighting: str = "log1p",
    ) -> KGData:
        """Build a graph from edges without a store.

        Args:
            edges: ``Edge`` objects or ``(s, p, o[, support])`` tuples; repeated facts add up.
            names: Display name per entity key (default: the key with ``_`` -> space).
            entities: Extra entity keys to include even when they have no edge.
            weighting: How support counts become ``edge_weight``: ``log1p``, ``support``,
                ``none``.

        Returns:
            The graph, with sorted vocabularies and edges sorted by (subject, predicate, object).

        Raises:
            DataError: A malformed edge, an empty key, or an unknown weighting.
        """
        support: dict[tuple[str, str, str], int] = {}
        for item in edges:
            edge = _as_edge(item)
            if not edge.subject_key or not edge.object_key or not edge.predicate:
                raise DataError(f"edge with an empty key or predicate: {edge!r}")
            triple = (edge.subject_key, edge.predicate, edge.object_key)
            support[triple] = support.get(triple, 0) + max(int(edge.support), 1)
        keys = sorted({k for s, _, o in support for k in (s, o)} | set(entities))
        relations = sorted({p for _, p, _ in support})
        node_id = {k: i for i, k in enumerate(keys)}
        rel_id = {p: i for i, p in enumerate(relations)}
        ordered = sorted(
            support.items(), key=lambda kv: (node_id[kv[0][0]], rel_id[kv[0][1]], node_id[kv[0][2]])
        )
        src = [node_id[s] for (s, _, _), _ in ordered]
        dst = [node_id[o] for (_, _, o), _ in ordered]
        counts = torch.tensor([n for _, n in ordered], dtype=torch.long)
        data = Data(
            edge_index=torch.tensor([src, dst], dtype=torch.long).reshape(2, -1),  # [2, E]
            edge_type=torch.tensor([rel_id[p] for (_, p, _), _ in ordered], dtype=torch.long),
            edge_weight=edge_weights(counts, weighting),
            num_nodes=len(keys),
        )
        names = names or {}
        display = [names.get(k) or k.replace("_", " ") for k in keys]
        return cls(data, keys, relations, display)

    @classmethod
    def empty(cls) -> KGData:
        """Return a graph with no entities (for the text-only baseline without a graph)."""
        return cls.from_edges([])

    @property
    def num_entities(self) -> int:
        """Number of nodes."""
        return len(self.entity_vocab)

    @property
    def num_relations(self) -> int:
        """Number of relation types (directed; encoders add their inverses)."""
        return len(self.relation_vocab)

    @property
    def num_edges(self) -> int:
        """Number of distinct facts."""
        return int(self.data.edge_index.shape[1])

    def index(self, keys: Iterable[str]) -> list[int]:
        """Return the node ids of those ``keys`` in the graph (unknown keys are skipped)."""
        lookup = self._lookup()
        ids = (lookup.get(k) for k in dict.fromkeys(keys))
        return [i for i in ids if i is not None]

    def _lookup(self) -> dict[str, int]:
        cached = self.__dict__.get("_lookup_cache")
        if cached is None or len(cached) != len(self.entity_vocab):
            cached = {k: i for i, k in enumerate(self.entity_vocab)}
            self.__dict__["_lookup_cache"] = cached
        return cached

    def vocab_hash(self) -> str:
        """Return a hash of the vocabularies and names (keys node-feature caches)."""
        digest = hashlib.sha256()
        for part in (self.entity_vocab, self.entity_names, self.relation_vocab):
            digest.update(json.dumps(part, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()[:24]

    def save(self, directory: str | Path) -> None:
        """Write ``entity_vocab.json``, ``relation_vocab.json`` and ``graph.safetensors``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        entity_doc = {"keys": self.entity_vocab, "names": self.entity_names}
        (directory / ENTITY_VOCAB_FILE).write_text(json.dumps(entity_doc, ensure_ascii=False))
        relation_doc = {"relations": self.relation_vocab}
        (directory / RELATION_VOCAB_FILE).write_text(json.dumps(relation_doc, ensure_ascii=False))
        tensors = {
            "edge_index": self.data.edge_index.contiguous(),
            "edge_type": self.data.edge_type.contiguous(),
            "edge_weight": self.data.edge_weight.contiguous(),
        }
        save_file(tensors, str(directory / GRAPH_FILE), metadata={"format": "kgfuse-graph/1"})

    @classmethod
    def load(cls, directory: str | Path) -> KGData:
        """Read a graph written by ``save`` (never unpickles).

        Raises:
            ModelError: A file is missing or corrupt, or the tensors disagree with the vocabularies.
        """
        directory = Path(directory)
        try:
            entity_doc = json.loads((directory / ENTITY_VOCAB_FILE).read_text())
            relation_doc = json.loads((directory / RELATION_VOCAB_FILE).read_text())
            keys, names = list(entity_doc["keys"]), list(entity_doc["names"])
            relations = list(relation_doc["relations"])
            tensors = load_file(str(directory / GRAPH_FILE))
            edge_index, edge_type = tensors["edge_index"], tensors["edge_type"]
            edge_weight = tensors["edge_weight"]
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
            raise ModelError(
                f"cannot read the graph saved in {directory}: {exc}. Expected {ENTITY_VOCAB_FILE}, "
                f"{RELATION_VOCAB_FILE} and {GRAPH_FILE} written by kgfuse; retrain or re-save."
            ) from exc
        _check_consistent(directory, keys, names, relations, edge_index, edge_type)
        data = Data(edge_index=edge_index, edge_type=edge_type, edge_weight=edge_weight)
        data.num_nodes = len(keys)
        return cls(data, keys, relations, names)


def _check_consistent(
    directory: Path,
    keys: Sequence[str],
    names: Sequence[str],
    relations: Sequence[str],
    edge_index: torch.Tensor,
    edge_type: torch.Tensor,
) -> None:
    problems = []
    if len(keys) != len(names):
        problems.append(f"{len(keys)} entity keys but {len(names)} names")
    if edge_index.dim() != 2 or edge_index.shape[0] != 2:
        problems.append(f"edge_index of shape {tuple(edge_index.shape)}, expected [2, E]")
    elif edge_index.numel() and int(edge_index.max()) >= len(keys):
        problems.append("edge_index refers to entities beyond the vocabulary")
    if edge_type.numel() and int(edge_type.max()) >= len(relations):
        problems.append("edge_type refers to relations beyond the vocabulary")
    if problems:
        raise ModelError(f"the graph saved in {directory} is inconsistent: {'; '.join(problems)}")
