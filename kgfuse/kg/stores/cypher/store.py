"""The ``GraphStore`` primitives over Cypher, shared by the Neo4j and FalkorDB stores.

A backend only supplies three things: run one read statement, run a write round (a probe,
then the statements planned from its answer, as atomically as it can), and run a user's raw
query. Everything else (the write plan in ``plan``, every read, the ordering rules of the
contract) lives here, so both backends execute the very same statements; the graph model is
described in ``schema``.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kgfuse.errors import StoreError
from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.cypher import reads
from kgfuse.kg.stores.cypher.guard import check_no_network, check_read_only
from kgfuse.kg.stores.cypher.plan import (
    Plan,
    Row,
    Statement,
    delete_statements,
    orphan_statements,
    parse_probe,
    plan_write,
)
from kgfuse.kg.stores.cypher.summaries import CypherReads
from kgfuse.kg.stores.forms import SurfaceForm, entity_from_forms
from kgfuse.kg.stores.order import by_count, edge_order, sentence_order, triple_order
from kgfuse.types import Edge, GraphStats, Provenance, ResolvedDocument, SupportingSentence, Triple

logger = logging.getLogger(__name__)

#: Keys per ``UNWIND $keys`` read statement.
_KEY_CHUNK = 1000


class CypherStore(CypherReads, GraphStore):
    """Base of the Cypher stores: implements every ``GraphStore`` primitive.

    Args:
        batch_size: Documents per write round (bounds the size of each ``UNWIND`` list).
        read_only: Refuse writes (and skip creating the schema).
    """

    query_language = "cypher"

    def __init__(self, *, batch_size: int = 200, read_only: bool = False) -> None:
        self.batch_size = max(1, int(batch_size))
        self.read_only = read_only

    @classmethod
    def open_url(cls, url: str, *, create: bool = True, **options: Any) -> CypherStore:
        """Open a store of this backend for ``open_store``.

        Args:
            url: The server URL.
            create: Ignored: a server database always exists.
            **options: The backend's constructor options.

        Returns:
            The open store.
        """
        return cls(url, **options)

    # ------------------------------------------------------------------ backend interface
    @abstractmethod
    def _run(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement; rows as ``{column: value}``."""

    @abstractmethod
    def _run_round(self, doc_ids: list[str], plan: Plan) -> None:
        """Run one write round.

        Run ``writes.probe_documents()`` for ``doc_ids``, pass its rows to ``plan``, then run
        the planned ``prepare`` statements and, only if all of them succeeded, ``commit``.
        As atomically as the backend allows: Neo4j runs the whole round in one managed
        transaction (so a retry re-probes too); FalkorDB sends each part as one MULTI/EXEC.
        """

    def _run_many(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> list[list[Row]]:
        """Run read statements; a backend that can runs them on one snapshot of the graph."""
        return [self._run(query, params) for query, params in statements]

    @abstractmethod
    def _run_raw(self, query: str, params: Mapping[str, Any], *, write: bool) -> list[Row]:
        """Run a user's query, in a read-only mode unless ``write``."""

    # ------------------------------------------------------------------ writing
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url} was opened read-only; open it without read_only")

    def _write(self, documents: Sequence[ResolvedDocument]) -> None:
        self._check_writable()
        for start in range(0, len(documents), self.batch_size):
            batch = documents[start : start + self.batch_size]
            self._run_round(
                [d.document.id for d in batch], lambda rows, b=batch: plan_write(b, rows)
            )
            logger.debug("wrote %d documents", len(batch))

    def _delete_document(self, doc_id: str) -> bool:
        self._check_writable()
        found = False

        def plan(rows: list[Row]) -> tuple[list[Statement], list[Statement]]:
            nonlocal found
            probe = parse_probe(rows)
            found = probe[doc_id].committed
            return delete_statements(probe) + orphan_statements(probe), []

        self._run_round([doc_id], plan)
        return found

    def _document_versions(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        rows = self._run(reads.document_versions(), {"doc_ids": list(doc_ids)})
        return {r["id"]: (r["content_hash"], r["extractor"]) for r in rows}

    # ------------------------------------------------------------------ entities
    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]:
        forms: dict[str, list[SurfaceForm]] = {}
        for rows in self._chunked(reads.surface_forms(), keys):
            for r in rows:
                forms.setdefault(r["key"], []).append((r["surface"], r["label"], int(r["n"])))
        return forms

    def _keys_for_normalized(self, norm: str) -> list[tuple[str, str]]:
        rows = self._run(reads.keys_for_normalized(), {"norm": norm})
        return sorted({(r["key"], r["surface"]) for r in rows})

    def _search_normalized(self, fragment: str, limit: int) -> list[tuple[str, str]]:
        rows = self._run(reads.search_normalized(), {"fragment": fragment, "limit": limit})
        return sorted({(r["key"], r["surface"]) for r in rows})[:limit]

    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]:
        labels: Counter[str] = Counter()
        docs: set[str] = set()
        for r in self._run(reads.mention_stats(), {"key": key}):
            labels[r["label"]] += int(r["n"])
            docs.add(r["doc_id"])
        types = sorted(labels.items(), key=by_count)
        return types, sum(labels.values()), len(docs)

    # ------------------------------------------------------------------ facts
    def _adjacent(self, keys: Sequence[str]) -> list[Edge]:
        return list(
            {_edge(r) for rows in self._chunked(reads.adjacent_edges(), keys) for r in rows}
        )

    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]:
        rows = self._run(reads.supporting_sentences(), {"key": key, "limit": limit})
        found = {
            SupportingSentence(
                r["doc_id"], int(r["sentence_index"]), r["text"], r["s"], r["p"], r["o"]
            )
            for r in rows
        }
        return sorted(found, key=sentence_order)[:limit]

    def _iter_edges(self) -> Iterator[Edge]:
        # Page by subject so that no single result holds the whole graph.
        for rows in self._chunked(reads.edges_from(), self._subject_keys()):
            yield from sorted((_edge(r) for r in rows), key=edge_order)

    def _iter_triples(self) -> Iterator[Triple]:
        for rows in self._chunked(reads.triples_from(), self._subject_keys()):
            yield from sorted({_triple(r) for r in rows}, key=triple_order)

    def _subject_keys(self) -> list[str]:
        return sorted(r["key"] for r in self._run(reads.entity_keys(), {}))

    def _stats(self, top: int) -> GraphStats:
        # The five sizes in one query (one snapshot), so they agree even while another client
        # writes; predicates and top entities in the same MULTI on FalkorDB.
        counted = self._run_many(
            [
                (reads.count_all(), {}),  # the counts that must agree: one query
                (reads.predicate_counts(), {}),
                (reads.top_degrees(), {"top": top}),
                (reads.count_fact_entities(), {}),
            ]
        )
        sizes = counted[0][0] if counted[0] else {}
        documents, sentences, mentions, entities, facts = (
            int(sizes.get(name) or 0)
            for name in ("documents", "sentences", "mentions", "entities", "facts")
        )
        predicates = sorted(((r["predicate"], int(r["n"])) for r in counted[1]), key=by_count)
        ranked = [(r["key"], int(r["degree"])) for r in counted[2]]
        ranked.sort(key=by_count)  # the database's string order may differ from Python's
        forms = self._surface_forms([k for k, _ in ranked])
        return GraphStats(
            documents=documents,
            sentences=sentences,
            mentions=mentions,
            entities=entities,
            edges=sum(n for _, n in predicates),
            facts=facts,
            predicates=tuple(predicates),
            top_entities=tuple((entity_from_forms(k, forms.get(k, [])), d) for k, d in ranked),
            fact_entities=int(counted[3][0]["n"]) if counted[3] else 0,
        )

    # ------------------------------------------------------------------ raw queries
    def _raw_query(
        self, query: str, params: dict[str, Any], *, allow_write: bool, allow_network: bool
    ) -> list[Row]:
        if not allow_network:
            check_no_network(query)
        if not allow_write:
            check_read_only(query)
        elif self.read_only:
            self._check_writable()
        return self._run_raw(query, params, write=allow_write)

    def _chunked(self, query: str, keys: Sequence[str]) -> Iterator[list[Row]]:
        for start in range(0, len(keys), _KEY_CHUNK):
            yield self._run(query, {"keys": list(keys[start : start + _KEY_CHUNK])})


def _edge(r: Row) -> Edge:
    return Edge(r["s"], r["p"], r["o"], int(r["support"]))


def _triple(r: Row) -> Triple:
    prov = Provenance(
        r["doc_id"], int(r["sentence_index"]), int(r["char_start"]), int(r["char_end"]),
        r["extractor"],
    )  # fmt: skip
    return Triple(r["s"], r["p"], r["o"], prov)
