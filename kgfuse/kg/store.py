"""The ``GraphStore`` contract that every backend implements, and ``open_store`` by URL.

Public methods validate their input and call a backend's private primitives (as PyG's
``GraphStore`` does). Graph algorithms (k-hop neighbours, shortest path, subgraphs, entity
cards) are written once here on top of two read primitives, ``_adjacent`` and
``_surface_forms``, so every backend returns the same answers for the same graph.

Backends:
    ``rdf:PATH`` or a plain path   embedded Oxigraph on disk (``kgfuse.kg.rdf_store``)
    ``neo4j://``, ``neo4j+s://``, ``bolt://``   Neo4j (``kgfuse.kg.neo4j_store``)
    ``falkordb://host:port/graph``   FalkorDB (``kgfuse.kg.falkordb_store``)
"""

from __future__ import annotations

import difflib
import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from kgfuse.errors import EntityNotFoundError, StoreError
from kgfuse.kg.normalize import entity_key, normalize_name
from kgfuse.types import (
    CONCEPT,
    Edge,
    Entity,
    EntityCard,
    EntityMatch,
    GraphStats,
    Neighbour,
    ResolvedDocument,
    SupportingSentence,
    Triple,
)

logger = logging.getLogger(__name__)

#: (surface form, label, mention count) for one entity key.
SurfaceForm = tuple[str, str, int]


def entity_from_forms(key: str, forms: Sequence[SurfaceForm]) -> Entity:
    """Build the canonical ``Entity`` for a key from its surface forms.

    The name is the most frequent surface form among those whose key is ``key`` (all forms if
    none is; ties: the longest, then the first in sorted order); the label is the most
    frequent label, a named-entity label winning ties over ``CONCEPT``; the aliases are the
    other surface forms, sorted.
    """
    if not forms:
        return Entity(key=key, name=key.replace("_", " "), label=CONCEPT)
    by_surface: Counter[str] = Counter()
    by_label: Counter[str] = Counter()
    for surface, label, count in forms:
        by_surface[surface] += count
        by_label[label] += count
    # Prefer the surface forms the key was made from ("Marie Curie" over a later "Curie").
    canonical = [s for s in by_surface if entity_key(s) == key] or list(by_surface)
    name = min(canonical, key=lambda s: (-by_surface[s], -len(s), s))
    label = min(by_label, key=lambda lab: (-by_label[lab], lab == CONCEPT, lab))
    aliases = tuple(sorted(s for s in by_surface if s != name))
    return Entity(key=key, name=name, label=label, aliases=aliases)


class GraphStore(ABC):
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
            StoreError: A document id appears twice in the batch, or the backend failed.
        """
        ids = [d.document.id for d in documents]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise StoreError(f"document id {dup!r} appears twice in one write batch")
        if documents:
            self._write(documents)

    def delete_document(self, doc_id: str) -> bool:
        """Retract everything one document wrote: exactly the facts only it supported disappear.

        Returns:
            True if the document was in the store.
        """
        if not doc_id:
            raise StoreError("delete_document needs a document id, got an empty string")
        return self._delete_document(doc_id)

    def document_versions(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Return ``{doc_id: (content_hash, extractor)}`` for those of ``doc_ids`` in the store."""
        ids = list(dict.fromkeys(doc_ids))
        return self._document_versions(ids) if ids else {}

    # ------------------------------------------------------------------ entities
    def entities(self, keys: Iterable[str]) -> dict[str, Entity]:
        """Return the entities for those keys that exist."""
        keys = list(dict.fromkeys(keys))
        forms = self._surface_forms(keys) if keys else {}
        return {k: entity_from_forms(k, forms[k]) for k in keys if k in forms}

    def entity(self, key: str) -> Entity:
        """Return the entity with this key.

        Raises:
            EntityNotFoundError: No entity has this key.
        """
        found = self.entities([key])
        if key not in found:
            raise EntityNotFoundError(
                f"no entity with key {key!r}; try `kgfuse query entity NAME` to search by name"
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
            raise EntityNotFoundError(f"cannot look up {name!r}: it holds no letters or digits")
        matches: dict[str, EntityMatch] = {}
        key = entity_key(name)
        for hit in self.entities([key]).values():
            matches[key] = EntityMatch(hit, "exact", name, 1.0)
        alias_hits = sorted(set(self._keys_for_normalized(norm)))
        for hit_key, surface in alias_hits:
            if hit_key not in matches:
                ent = self.entities([hit_key]).get(hit_key)
                if ent is not None:
                    matches[hit_key] = EntityMatch(ent, "alias", surface, 0.95)
        if fuzzy and len(matches) < limit:
            candidates = self._search_normalized(norm, max(limit * 20, 50))
            scored: dict[str, tuple[float, str]] = {}
            for cand_key, surface in candidates:
                if cand_key in matches:
                    continue
                ratio = difflib.SequenceMatcher(None, norm, normalize_name(surface)).ratio()
                score = 0.5 + 0.4 * ratio
                if cand_key not in scored or score > scored[cand_key][0]:
                    scored[cand_key] = (score, surface)
            best = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
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
        hint = ", ".join(repr(m.entity.name) for m in matches)
        if matches:
            raise EntityNotFoundError(
                f"no entity is named exactly {name_or_key!r}; did you mean one of: {hint}? "
                "Use the exact name or the key."
            )
        raise EntityNotFoundError(
            f"no entity named {name_or_key!r} in {self.url}. "
            "Check the spelling or run `kgfuse stats` to see what the graph holds."
        )

    # ------------------------------------------------------------------ traversal
    def adjacent_edges(self, keys: Iterable[str]) -> list[Edge]:
        """Return every edge that touches one of ``keys`` (either direction), sorted."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return []
        return sorted(set(self._adjacent(keys)), key=_edge_order)

    def neighbours(self, key: str, *, hops: int = 1, limit: int = 100) -> list[Neighbour]:
        """Return the entities within ``hops`` hops of ``key`` (nearest first, then by key).

        Args:
            key: Entity key.
            hops: Maximum distance (1 to 5).
            limit: Maximum number of neighbours returned; also bounds the frontier.
        """
        self._check_hops(hops)
        self.entity(key)
        distance = {key: 0}
        frontier = [key]
        for hop in range(1, hops + 1):
            nxt: set[str] = set()
            for edge in self.adjacent_edges(frontier):
                for other in (edge.subject_key, edge.object_key):
                    if other not in distance:
                        distance[other] = hop
                        nxt.add(other)
            frontier = sorted(nxt)[: limit * 10]
            if not frontier or len(distance) > limit * 10:
                break
        ranked = sorted((d, k) for k, d in distance.items() if k != key)[:limit]
        entities = self.entities(k for _, k in ranked)
        return [Neighbour(entities[k], d) for d, k in ranked if k in entities]

    def shortest_path(self, source: str, target: str, *, max_hops: int = 4) -> list[Edge] | None:
        """Return a shortest path of edges (ignoring direction) from ``source`` to ``target``.

        Ties are broken deterministically (smallest keys first), so every backend returns the
        same path. Returns None when no path of at most ``max_hops`` edges exists.
        """
        self._check_hops(max_hops)
        self.entity(source)
        self.entity(target)
        if source == target:
            return []
        parent: dict[str, tuple[str, Edge] | None] = {source: None}
        frontier = [source]
        for _ in range(max_hops):
            nxt: list[str] = []
            for edge in self.adjacent_edges(frontier):
                ends = (edge.subject_key, edge.object_key)
                for here, other in (ends, ends[::-1]):
                    if here in frontier and other not in parent:
                        parent[other] = (here, edge)
                        nxt.append(other)
            if target in parent:
                path: list[Edge] = []
                node = target
                while (step := parent[node]) is not None:
                    node, edge = step
                    path.append(edge)
                return path[::-1]
            frontier = sorted(set(nxt))
            if not frontier:
                return None
        return None

    def subgraph(
        self, keys: Iterable[str], *, hops: int = 1, max_edges: int = 10_000
    ) -> list[Edge]:
        """Return the edges among the entities within ``hops`` of any of ``keys``.

        Args:
            keys: Seed entity keys (unknown keys are ignored).
            hops: Radius around the seeds (0 = only edges among the seeds).
            max_edges: Bound on the edges returned (the closest ones are kept).
        """
        if hops < 0 or hops > 5:
            raise StoreError(f"hops must be between 0 and 5, got {hops}")
        nodes = set(self.entities(keys))
        frontier = sorted(nodes)
        for _ in range(hops):
            nxt = {k for e in self.adjacent_edges(frontier) for k in (e.subject_key, e.object_key)}
            frontier = sorted(nxt - nodes)
            nodes |= nxt
            if not frontier or len(nodes) > max_edges:
                break
        edges = [
            e
            for e in self.adjacent_edges(sorted(nodes))
            if e.subject_key in nodes and e.object_key in nodes
        ]
        return edges[:max_edges]

    # ------------------------------------------------------------------ cards & stats
    def entity_card(self, key: str, *, neighbours: int = 10, sentences: int = 10) -> EntityCard:
        """Return what the graph knows about one entity: name, types, aliases, top neighbours
        by support, and the exact sentences that support its facts."""
        entity = self.entity(key)
        types, mention_count, document_count = self._mention_stats(key)
        edges = sorted(self.adjacent_edges([key]), key=lambda e: (-e.support, _edge_order(e)))
        edges = edges[:neighbours]
        other_keys = [e.object_key if e.subject_key == key else e.subject_key for e in edges]
        others = self.entities(other_keys)
        pairs = tuple((e, others[k]) for e, k in zip(edges, other_keys, strict=True) if k in others)
        support = tuple(self._supporting_sentences(key, sentences)) if sentences > 0 else ()
        return EntityCard(entity, tuple(types), mention_count, document_count, pairs, support)

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
        self, query: str, params: dict[str, Any] | None = None, *, allow_write: bool = False
    ) -> list[dict[str, Any]]:
        """Run a query in the backend's own language (SPARQL or Cypher).

        Args:
            query: The query text.
            params: Query parameters (Cypher) or initial bindings (SPARQL).
            allow_write: Permit updates; without it, a query that would write is refused.

        Raises:
            ReadOnlyQueryError: The query writes and ``allow_write`` is False.
        """
        if not query.strip():
            raise StoreError("empty query")
        return self._raw_query(query, dict(params or {}), allow_write=allow_write)

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

    @staticmethod
    def _check_hops(hops: int) -> None:
        if not 1 <= hops <= 5:
            raise StoreError(f"hops must be between 1 and 5, got {hops}")

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _write(self, documents: Sequence[ResolvedDocument]) -> None: ...

    @abstractmethod
    def _delete_document(self, doc_id: str) -> bool: ...

    @abstractmethod
    def _document_versions(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...

    @abstractmethod
    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]:
        """``{key: [(surface, label, count), ...]}`` for the keys that have mentions."""

    @abstractmethod
    def _keys_for_normalized(self, norm: str) -> list[tuple[str, str]]:
        """``(key, surface)`` for mentions whose normalised surface equals ``norm``."""

    @abstractmethod
    def _search_normalized(self, fragment: str, limit: int) -> list[tuple[str, str]]:
        """``(key, surface)`` for mentions whose normalised surface contains ``fragment``
        (or starts with it), at most ``limit`` rows."""

    @abstractmethod
    def _adjacent(self, keys: Sequence[str]) -> list[Edge]:
        """Aggregated edges with at least one end in ``keys``."""

    @abstractmethod
    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]:
        """``([(label, count)] most frequent first, mention count, document count)``."""

    @abstractmethod
    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]:
        """Sentences supporting facts about ``key``, ordered by (doc_id, sentence_index)."""

    @abstractmethod
    def _stats(self, top: int) -> GraphStats: ...

    @abstractmethod
    def _iter_edges(self) -> Iterator[Edge]: ...

    @abstractmethod
    def _iter_triples(self) -> Iterator[Triple]: ...

    @abstractmethod
    def _raw_query(
        self, query: str, params: dict[str, Any], *, allow_write: bool
    ) -> list[dict[str, Any]]: ...


def _edge_order(edge: Edge) -> tuple[str, str, str]:
    return (edge.subject_key, edge.predicate, edge.object_key)


def open_store(url: str, **options: Any) -> GraphStore:
    """Open a graph store by URL.

    Args:
        url: ``PATH`` or ``rdf:PATH`` (embedded Oxigraph), ``neo4j://``/``neo4j+s://``/
            ``bolt://`` (Neo4j), or ``falkordb://host:port/graph``.
        **options: Backend options (``user``, ``password``, ...). ``create=False`` makes the
            embedded store refuse a path that holds no graph yet (servers ignore it).

    Returns:
        An open store; use it as a context manager.

    Raises:
        StoreError: Unknown scheme or unusable location.
    """
    if not url:
        raise StoreError("no store given: pass --store PATH (embedded) or a database URL")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    create = options.pop("create", True)
    if scheme in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}:
        from kgfuse.kg.neo4j_store import Neo4jStore

        return Neo4jStore(url, **options)
    if scheme in {"falkordb", "falkor", "redis"}:
        from kgfuse.kg.falkordb_store import FalkorDBStore

        return FalkorDBStore(url, **options)
    if scheme in {"", "file", "rdf"} or url.startswith("rdf:"):
        from kgfuse.kg.rdf_store import RdfStore

        path = url.removeprefix("rdf:").removeprefix("file://").removeprefix("//")
        if options:
            raise StoreError(f"the embedded store takes no options, got {sorted(options)}")
        return RdfStore(path, create=create)
    raise StoreError(
        f"unknown store scheme {scheme!r} in {url!r}: expected a path, rdf:PATH, neo4j://, "
        "neo4j+s://, bolt:// or falkordb://host:port/graph"
    )
