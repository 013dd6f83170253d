"""One vocabulary for the size of a graph, used by every summary.

- **entities**: distinct keys at an end of at least one fact (the nodes a model sees);
- **facts**: distinct ``(subject, predicate, object)``;
- **predicates**: distinct predicate names.

``kgfuse build`` (over the documents it wrote), ``kgfuse stats`` (over the store) and the
training summaries (over the graph a model was trained with) count these three the same way,
so a fresh build, its ``stats`` and a model trained on it report the same numbers. Other
counts keep their own names: ``mentions`` (mention records), ``mentioned_entities`` (keys
with a mention, in a fact or not) and ``fact_records`` (a fact with one supporting sentence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


class _GraphLike(Protocol):
    num_entities: int
    num_edges: int
    num_relations: int


@dataclass(frozen=True)
class GraphSize:
    """Entities, facts and predicates of a graph (see the module docstring)."""

    entities: int = 0
    facts: int = 0
    predicates: int = 0

    def as_dict(self) -> dict[str, int]:
        """``{"entities", "facts", "predicates"}``."""
        return {"entities": self.entities, "facts": self.facts, "predicates": self.predicates}


class SizeCounter:
    """Counts entities, facts and predicates of a stream of facts, seen once each.

    Distinct facts and entities are kept as 64-bit hashes (not the strings), so a build over
    millions of facts holds a few tens of bytes per distinct fact.
    """

    def __init__(self) -> None:
        self._facts: set[int] = set()
        self._entities: set[int] = set()
        self._predicates: set[str] = set()

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Count one fact (again: no change)."""
        self._facts.add(hash((subject, predicate, obj)))
        self._entities.add(hash(subject))
        self._entities.add(hash(obj))
        self._predicates.add(predicate)

    def size(self) -> GraphSize:
        """The counts so far."""
        return GraphSize(len(self._entities), len(self._facts), len(self._predicates))


def size_of(facts: Iterable[tuple[str, str, str]]) -> GraphSize:
    """Size of a graph given as ``(subject, predicate, object)`` facts (repeats allowed)."""
    counter = SizeCounter()
    for s, p, o in facts:
        counter.add(s, p, o)
    return counter.size()


def size_of_kg(kg: _GraphLike | Any) -> GraphSize:
    """Size of a ``KGData`` (its nodes, distinct edges and relation vocabulary)."""
    return GraphSize(kg.num_entities, kg.num_edges, kg.num_relations)


def store_summary(store: Any, *, top: int = 10) -> dict[str, Any]:
    """``kgfuse stats`` in the vocabulary: sizes, predicate counts, most connected entities.

    Args:
        store: An open ``GraphStore``.
        top: How many of the most connected entities to list.

    Returns:
        ``documents``, ``sentences``, ``mentions``, ``entities``, ``facts``, ``predicates``,
        ``mentioned_entities``, ``fact_records``, ``predicate_counts`` (``[(predicate,
        facts)]``, most frequent first) and ``top_entities`` (``[(Entity, degree)]``).
    """
    stats = store.stats(top=top)
    # Entities in a fact are counted over the same edges ``to_pyg`` reads, so a model's
    # graph and ``stats`` agree by construction.
    size = size_of((e.subject_key, e.predicate, e.object_key) for e in store.iter_edges())
    return {
        "documents": stats.documents,
        "sentences": stats.sentences,
        "mentions": stats.mentions,
        **size.as_dict(),
        "mentioned_entities": stats.entities,
        "fact_records": stats.facts,
        "predicate_counts": list(stats.predicates),
        "top_entities": list(stats.top_entities),
    }
