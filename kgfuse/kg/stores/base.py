"""The ``GraphStore`` contract that every backend implements.

Public methods validate their input and call a backend's private primitives (as PyG's
``GraphStore`` does). Graph algorithms (k-hop neighbours, shortest path, subgraphs, entity
cards, name lookup) are written once, here and in ``traversal``/``lookup``, on top of two read
primitives, ``_adjacent`` and ``_surface_forms``, so every backend returns the same answers
for the same graph.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from kgfuse.corpus.ids import id_problem
from kgfuse.errors import EntityNotFoundError, StoreError, clip
from kgfuse.kg.normalize import entity_key, normalize_name
from kgfuse.kg.stores import cards, summaries
from kgfuse.kg.stores import lookup as name_lookup
from kgfuse.kg.stores.checks import check_batch, storable, storable_key
from kgfuse.kg.stores.forms import entity_from_forms
from kgfuse.kg.stores.walks import GraphWalks
from kgfuse.types import (
    Edge,
    Entity,
    EntityCard,
    EntityMatch,
    GraphStats,
    ResolvedDocument,
    Triple,
)

_SUMMARY_BATCH = 2000


class GraphStore(GraphWalks):
    """A knowledge graph with provenance: write, delete, look up, traverse, query.

    Use as a context manager, or call ``close()``.
    """

    #: URL the store was opened with (without any password).
    url: str = ""
    #: Query language of ``raw_query`` ("sparql" or "cypher").
    query_language: str = ""
    #: Whether ``write`` may run on another thread while this one reads (see build.py).
    concurrent_writes: bool = False

    # ------------------------------------------------------------------ writing
    def write(self, documents: Sequence[ResolvedDocument]) -> None:
        """Write a batch of documents, each replacing whatever that document wrote before.

        A batch is written atomically where the backend allows it, and always document by
        document: a document is never left half-written.

        Args:
            documents: Resolved documents (see ``kgfuse.kg.resolution``).

        Raises:
            StoreError: A document id appears twice in the batch or breaks the id rule of
                ``kgfuse.corpus.ids``, a text holds a NUL or a lone surrogate (nothing of the
                batch is written then), or the backend failed.
        """
        check_batch(documents)
        if documents:
            # Summaries of every entity the old or new versions touch go first (an
            # interrupted write leaves them missing, read live, never stale), come back after.
            keys = self._document_keys([d.document.id for d in documents])
            keys |= summaries.touched_keys(documents)
            self._store_summaries(dict.fromkeys(sorted(keys)))
            self._write(documents)
            self.refresh_summaries(sorted(keys))

    def delete_document(self, doc_id: str) -> bool:
        """Retract everything one document wrote: exactly the facts only it supported disappear.

        Returns:
            True if the document was in the store.
        """
        if not doc_id:
            raise StoreError("delete_document needs a document id, got an empty string")
        if id_problem(doc_id) is not None:
            return False  # no store holds a document with an invalid id
        keys = sorted(self._document_keys([doc_id]))
        self._store_summaries(dict.fromkeys(keys))
        found = self._delete_document(doc_id)
        self.refresh_summaries(keys)
        return found

    def refresh_summaries(self, keys: Iterable[str] | None = None) -> int:
        """Recompute the precomputed entity summaries (names, degrees; see ``summaries``).

        ``write`` and ``delete_document`` keep them right; call this after writing around
        them (a bulk import, a raw update), or once on a store built before summaries
        existed (``kgfuse summarize STORE``).

        Args:
            keys: Entity keys to recompute; None for every entity of the store.

        Returns:
            How many summaries were written (keys without a mention lose theirs).
        """
        todo = self._mentioned_keys() if keys is None else list(dict.fromkeys(keys))
        todo = [k for k in todo if storable_key(k)]
        written = 0
        for start in range(0, len(todo), _SUMMARY_BATCH):
            found = summaries.compute(self, todo[start : start + _SUMMARY_BATCH])
            self._store_summaries(found)
            written += sum(v is not None for v in found.values())
        return written

    def document_versions(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Return ``{doc_id: (content_hash, extractor)}`` for those of ``doc_ids`` in the store."""
        ids = [i for i in dict.fromkeys(doc_ids) if id_problem(i) is None]
        return self._document_versions(ids) if ids else {}

    # ------------------------------------------------------------------ entities
    def entities(self, keys: Iterable[str]) -> dict[str, Entity]:
        """Return the entities for those keys that exist."""
        keys = [k for k in dict.fromkeys(keys) if storable_key(k)]  # others cannot be stored
        if not keys:
            return {}
        found = {k: v.entity for k, v in self._read_summaries(keys).items()}
        rest = [k for k in keys if k not in found]  # no summary: read live
        forms = self._surface_forms(rest) if rest else {}
        found.update((k, entity_from_forms(k, forms[k])) for k in rest if k in forms)
        return {k: found[k] for k in keys if k in found}

    def entity(self, key: str) -> Entity:
        """Return the entity with this key.

        Raises:
            EntityNotFoundError: No entity has this key.
        """
        found = self.entities([key])
        if key not in found:
            raise EntityNotFoundError(
                f"no entity with key {clip(key)!r}; "
                "try `kgfuse query entity NAME` to search by name"
            )
        return found[key]

    def lookup(self, name: str, *, fuzzy: bool = True, limit: int = 10) -> list[EntityMatch]:
        """Find entities by name: exact canonical key, then alias, then fuzzy (prefix/contains).

        Args:
            name: A name as a user would type it (case and punctuation do not matter).
            fuzzy: Also return near matches when there is no exact or alias match.
            limit: Maximum number of matches.

        Returns:
            Matches, best first; empty when nothing matches.
        """
        norm = normalize_name(name)
        if not norm:
            raise EntityNotFoundError(
                f"cannot look up {clip(name)!r}: it holds no letters or digits"
            )
        if not storable(norm):
            return []  # a NUL or a lone surrogate: no stored name holds one
        matches: dict[str, EntityMatch] = {}
        key = entity_key(name)
        for hit in self.entities([key]).values():
            matches[key] = EntityMatch(hit, "exact", name, name_lookup.EXACT_SCORE)
        for hit_key, surface in sorted(set(self._keys_for_normalized(norm))):
            if hit_key not in matches:
                ent = self.entities([hit_key]).get(hit_key)
                if ent is not None:
                    matches[hit_key] = EntityMatch(ent, "alias", surface, name_lookup.ALIAS_SCORE)
        if fuzzy and len(matches) < limit:
            candidates = self._search_normalized(norm, max(limit * 20, 50))
            best = name_lookup.rank_fuzzy(norm, candidates, skip=matches)
            found = self.entities([k for k, _ in best[: limit - len(matches)]])
            for cand_key, (score, surface) in best:
                if cand_key in found:
                    matches[cand_key] = EntityMatch(found[cand_key], "fuzzy", surface, score)
        ordered = sorted(matches.values(), key=lambda m: (-m.score, m.entity.key))
        return ordered[:limit]

    def resolve(self, name_or_key: str) -> Entity:
        """Return the single best entity for a name or key.

        Raises:
            EntityNotFoundError: Nothing matches; the message lists close names when any.
        """
        found = self.entities([name_or_key])
        if name_or_key in found:
            return found[name_or_key]
        matches = self.lookup(name_or_key, limit=5)
        if matches and matches[0].how in {"exact", "alias"}:
            return matches[0].entity
        if len(matches) == 1:
            return matches[0].entity
        raise name_lookup.not_found(name_or_key, matches, self.url)

    # ------------------------------------------------------------------ cards & stats
    def entity_card(self, key: str, *, neighbours: int = 10, sentences: int = 10) -> EntityCard:
        """Return what the graph knows about one entity: name, types, aliases, top neighbours
        by support (with the true ``degree``), and the exact sentences that support its facts.

        Bounded cost on hubs when the entity has a summary (see ``cards``).
        """
        return cards.entity_card(self, key, neighbours=neighbours, sentences=sentences)

    def stats(self, *, top: int = 10) -> GraphStats:
        """Return the graph's size and its ``top`` most connected entities."""
        return self._stats(top)

    def iter_edges(self) -> Iterator[Edge]:
        """Iterate over all distinct facts with their support counts (sorted)."""
        return self._iter_edges()

    def iter_triples(self) -> Iterator[Triple]:
        """Iterate over all facts with their provenance, one per supporting sentence."""
        return self._iter_triples()

    def raw_query(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        allow_write: bool = False,
        allow_network: bool = False,
    ) -> list[dict[str, Any]]:
        """Run a query in the backend's own language (SPARQL or Cypher).

        Args:
            query: The query text.
            params: Query parameters (Cypher) or initial bindings (SPARQL): a mapping of
                names to values.
            allow_write: Permit updates; without it, a query that would write is refused.
            allow_network: Permit what makes the database open a network connection or read
                a URL (SPARQL ``SERVICE``/``LOAD``, Cypher ``LOAD CSV``, ``apoc.load.*``…);
                without it such a query is refused before it is sent.

        Raises:
            ReadOnlyQueryError: The query writes and ``allow_write`` is False.
            NetworkQueryError: The query reaches the network and ``allow_network`` is False.
            StoreError: Empty query, or ``params`` is not a mapping with string keys.
        """
        if not query.strip():
            raise StoreError("empty query")
        if params is not None and not (
            isinstance(params, dict) and all(isinstance(k, str) for k in params)
        ):
            raise StoreError(
                f"query parameters must be a mapping of names to values, got "
                f"{type(params).__name__}"
            )
        return self._raw_query(
            query, dict(params or {}), allow_write=allow_write, allow_network=allow_network
        )

    # ------------------------------------------------------------------ lifecycle
    @abstractmethod
    def close(self) -> None:
        """Release the store (flush, close connections, drop locks)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
