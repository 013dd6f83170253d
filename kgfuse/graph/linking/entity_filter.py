"""``EntityFilter``: drops junk keys (``kg.junk``: stop words, numbers, pronouns, placeholders,
generic heads), learns from the TRAINING texts' links which entities are too common
(boilerplate, hubs: the document-frequency cap) or too rare (seen once) to carry signal, and
re-ranks each text's links rarer-first before the cap; ``FilteredLinker`` applies it after
any linker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from kgfuse.graph.linking.dictionary import Linker
from kgfuse.kg.junk import DEFAULT_JUNK, JunkWords


@dataclass(frozen=True)
class EntityFilter:
    """Document-frequency filter and IDF ranking of linked entities, fitted on training links.

    Build it with ``EntityFilter.fit(train_links)``; calling it maps link lists to filtered,
    re-ranked, capped link lists. Entities never seen in training links count as rare and
    are kept only when ``min_df <= 0`` (they have document frequency 0).

    Args:
        doc_freq: Number of training texts linking each entity.
        num_texts: Number of training texts.
        max_df: Drop entities linked in more than this fraction of training texts
            (1.0 keeps all).
        min_df: Drop entities linked in fewer than this many training texts (0 keeps all,
            unseen ones included).
        rank: ``idf`` (rarer first, ties in mention order) or ``first`` (mention order).
        max_entities: Most entities kept per text after filtering and ranking (None: all).
        allowed: If given, only these entities may be kept (e.g. the named entities of the
            graph, leaving out ``CONCEPT`` noun chunks).
        junk: Word lists of keys that never carry signal (stop words, numbers and number
            words, pronouns, single characters, ``@user``/``URL`` placeholders, generic heads
            such as ``patients``; see ``kg.junk``), dropped before the frequency bounds;
            None keeps them.
    """

    doc_freq: Mapping[str, int] = field(repr=False)
    num_texts: int
    max_df: float = 0.2
    min_df: int = 2
    rank: str = "idf"
    max_entities: int | None = 32
    allowed: Collection[str] | None = field(default=None, repr=False)
    junk: JunkWords | None = field(default=DEFAULT_JUNK, repr=False)

    def __post_init__(self) -> None:
        if self.rank not in ("idf", "first"):
            raise ValueError(f"rank must be 'idf' or 'first', got {self.rank!r}")
        if not 0.0 < self.max_df <= 1.0:
            raise ValueError(f"max_df must be in (0, 1], got {self.max_df}")

    @classmethod
    def fit(
        cls,
        train_links: Sequence[Sequence[str]],
        *,
        max_df: float = 0.2,
        min_df: int = 2,
        rank: str = "idf",
        max_entities: int | None = 32,
        allowed: Collection[str] | None = None,
        junk: JunkWords | None = DEFAULT_JUNK,
    ) -> EntityFilter:
        """Count each entity's document frequency over the training texts' links."""
        doc_freq = Counter(key for links in train_links for key in set(links))
        return cls(
            doc_freq=dict(doc_freq),
            num_texts=len(train_links),
            max_df=max_df,
            min_df=min_df,
            rank=rank,
            max_entities=max_entities,
            allowed=None if allowed is None else frozenset(allowed),
            junk=junk,
        )

    def keeps(self, key: str) -> bool:
        """Whether an entity passes the document-frequency bounds (and ``allowed``)."""
        if self.allowed is not None and key not in self.allowed:
            return False
        if self.junk is not None and self.junk.is_junk(key):
            return False
        df = self.doc_freq.get(key, 0)
        return df >= self.min_df and df <= self.max_df * self.num_texts

    def filter_one(self, links: Sequence[str]) -> list[str]:
        """Filter, rank and cap one text's links."""
        kept = [key for key in dict.fromkeys(links) if self.keeps(key)]
        if self.rank == "idf":
            kept.sort(key=lambda key: self.doc_freq.get(key, 0))  # stable: ties keep order
        return kept if self.max_entities is None else kept[: self.max_entities]

    def __call__(self, links: Sequence[Sequence[str]]) -> list[list[str]]:
        """Filter, rank and cap every text's links."""
        return [self.filter_one(one) for one in links]


class FilteredLinker:
    """A ``Linker`` whose output goes through an ``EntityFilter``.

    Args:
        linker: The linker to wrap (e.g. ``ExtractionLinker`` with a cap large enough that the
            filter, not the linker, picks the entities).
        entity_filter: The fitted filter.
    """

    def __init__(self, linker: Linker, entity_filter: EntityFilter) -> None:
        self.linker, self.entity_filter = linker, entity_filter

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        """Return the filtered, ranked entity keys of each text."""
        return self.entity_filter(self.linker(texts))
