"""The ``GraphStore`` primitives over Cypher, shared by the Neo4j and FalkorDB stores.

A backend only supplies three things: run one read statement, run a write round (a probe,
then the statements planned from its answer, as atomically as it can), and run a user's raw
query. Everything else (the write plan, every read, the ordering rules of the contract) lives
here, so both backends execute the very same statements from ``kgfuse.kg.cypher``; the graph
model is described there.

A write round for a batch of documents (one Neo4j transaction; on FalkorDB a probe plus two
``MULTI``/``EXEC`` round trips):

1. probe: which documents are committed (``Document`` node) and which entities their old
   mentions and facts touch;
2. prepare: delete everything the documents wrote before (facts, mentions, sentences,
   ``Document`` nodes: index lookups by document id, run for every document of the batch so
   that leftovers of an interrupted write go too and a re-sent round cannot duplicate
   anything), write entities, sentences, mentions and facts (one ``UNWIND`` statement each),
   then drop the old entities left with neither mention nor fact;
3. commit: write the ``Document`` nodes, the marker that the documents are complete.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from kgfuse.errors import StoreError
from kgfuse.kg import cypher
from kgfuse.kg.normalize import normalize_name
from kgfuse.kg.store import GraphStore, SurfaceForm, entity_from_forms
from kgfuse.types import Edge, GraphStats, Provenance, ResolvedDocument, SupportingSentence, Triple

logger = logging.getLogger(__name__)

#: A statement and its parameters.
Statement = tuple[str, dict[str, Any]]
Row = dict[str, Any]
#: Turns the probe's rows into the ``(prepare, commit)`` statements of a write round.
Plan = Callable[[list[Row]], tuple[list[Statement], list[Statement]]]

#: Keys per ``UNWIND $keys`` read statement.
_KEY_CHUNK = 1000


class CypherStore(GraphStore):
    """Base of the Cypher stores: implements every ``GraphStore`` primitive.

    Args:
        batch_size: Documents per write round (bounds the size of each ``UNWIND`` list).
        read_only: Refuse writes (and skip creating the schema).
    """

    query_language = "cypher"

    def __init__(self, *, batch_size: int = 200, read_only: bool = False) -> None:
        self.batch_size = max(1, int(batch_size))
        self.read_only = read_only

    # ------------------------------------------------------------------ backend interface
    @abstractmethod
    def _run(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement; rows as ``{column: value}``."""

    @abstractmethod
    def _run_round(self, doc_ids: list[str], plan: Plan) -> None:
        """Run one write round.

        Run ``cypher.probe_documents()`` for ``doc_ids``, pass its rows to ``plan``, then run
        the planned ``prepare`` statements and, only if all of them succeeded, ``commit``.
        As atomically as the backend allows: Neo4j runs the whole round in one managed
        transaction (so a retry re-probes too); FalkorDB sends each part as one MULTI/EXEC.
        """

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
            self._run_round([d.document.id for d in batch], lambda rows, b=batch: _plan(b, rows))
            logger.debug("wrote %d documents", len(batch))

    def _delete_document(self, doc_id: str) -> bool:
        self._check_writable()
        found = False

        def plan(rows: list[Row]) -> tuple[list[Statement], list[Statement]]:
            nonlocal found
            probe = parse_probe(rows)
            found = probe[doc_id].committed
            return _delete_statements(probe) + _orphan_statements(probe), []

        self._run_round([doc_id], plan)
        return found

    def _document_versions(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        rows = self._run(cypher.document_versions(), {"doc_ids": list(doc_ids)})
        return {r["id"]: (r["content_hash"], r["extractor"]) for r in rows}

    # ------------------------------------------------------------------ entities
    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]:
        forms: dict[str, list[SurfaceForm]] = {}
        for rows in self._chunked(cypher.surface_forms(), keys):
            for r in rows:
                forms.setdefault(r["key"], []).append((r["surface"], r["label"], int(r["n"])))
        return forms

    def _keys_for_normalized(self, norm: str) -> list[tuple[str, str]]:
        rows = self._run(cypher.keys_for_normalized(), {"norm": norm})
        return sorted({(r["key"], r["surface"]) for r in rows})

    def _search_normalized(self, fragment: str, limit: int) -> list[tuple[str, str]]:
        rows = self._run(cypher.search_normalized(), {"fragment": fragment, "limit": limit})
        return sorted({(r["key"], r["surface"]) for r in rows})[:limit]

    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]:
        labels: Counter[str] = Counter()
        docs: set[str] = set()
        for r in self._run(cypher.mention_stats(), {"key": key}):
            labels[r["label"]] += int(r["n"])
            docs.add(r["doc_id"])
        types = sorted(labels.items(), key=_by_count)
        return types, sum(labels.values()), len(docs)

    # ------------------------------------------------------------------ facts
    def _adjacent(self, keys: Sequence[str]) -> list[Edge]:
        return list(
            {_edge(r) for rows in self._chunked(cypher.adjacent_edges(), keys) for r in rows}
        )

    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]:
        rows = self._run(cypher.supporting_sentences(), {"key": key, "limit": limit})
        found = {
            SupportingSentence(
                r["doc_id"], int(r["sentence_index"]), r["text"], r["s"], r["p"], r["o"]
            )
            for r in rows
        }
        return sorted(found, key=_sentence_order)[:limit]

    def _iter_edges(self) -> Iterator[Edge]:
        # Page by subject so that no single result holds the whole graph.
        for rows in self._chunked(cypher.edges_from(), self._subject_keys()):
            yield from sorted((_edge(r) for r in rows), key=_edge_order)

    def _iter_triples(self) -> Iterator[Triple]:
        for rows in self._chunked(cypher.triples_from(), self._subject_keys()):
            yield from sorted({_triple(r) for r in rows}, key=_triple_order)

    def _subject_keys(self) -> list[str]:
        return sorted(r["key"] for r in self._run(cypher.entity_keys(), {}))

    def _stats(self, top: int) -> GraphStats:
        def count(query: str) -> int:
            rows = self._run(query, {})
            return int(rows[0]["n"]) if rows else 0

        predicates = sorted(
            ((r["predicate"], int(r["n"])) for r in self._run(cypher.predicate_counts(), {})),
            key=_by_count,
        )
        ranked = [
            (r["key"], int(r["degree"])) for r in self._run(cypher.top_degrees(), {"top": top})
        ]
        ranked.sort(key=_by_count)  # the database's string order may differ from Python's
        forms = self._surface_forms([k for k, _ in ranked])
        return GraphStats(
            documents=count(cypher.count_nodes("Document")),
            sentences=count(cypher.count_nodes("Sentence")),
            mentions=count(cypher.count_nodes("Mention")),
            entities=count(cypher.count_mentioned_entities()),
            edges=sum(n for _, n in predicates),
            facts=count(cypher.count_facts()),
            predicates=tuple(predicates),
            top_entities=tuple((entity_from_forms(k, forms.get(k, [])), d) for k, d in ranked),
        )

    # ------------------------------------------------------------------ raw queries
    def _raw_query(self, query: str, params: dict[str, Any], *, allow_write: bool) -> list[Row]:
        if not allow_write:
            cypher.check_read_only(query)
        elif self.read_only:
            self._check_writable()
        return self._run_raw(query, params, write=allow_write)

    def _chunked(self, query: str, keys: Sequence[str]) -> Iterator[list[Row]]:
        for start in range(0, len(keys), _KEY_CHUNK):
            yield self._run(query, {"keys": list(keys[start : start + _KEY_CHUNK])})


class _Probe:
    """What a document had in the store before this write."""

    __slots__ = ("committed", "keys")

    def __init__(self, *, committed: bool, keys: set[str]) -> None:
        self.committed = committed
        self.keys = keys  # entities its mentions and facts touched


# ---------------------------------------------------------------------- write plan
def parse_probe(rows: list[Row]) -> dict[str, _Probe]:
    """Read the rows of ``cypher.probe_documents()``."""
    return {
        r["id"]: _Probe(
            committed=bool(r["committed"]),
            keys={*r["mention_keys"], *r["subjects"], *r["objects"]},
        )
        for r in rows
    }


def _plan(
    batch: Sequence[ResolvedDocument], rows: list[Row]
) -> tuple[list[Statement], list[Statement]]:
    probe = parse_probe(rows)
    prepare = _delete_statements(probe) + _write_statements(batch)
    prepare += _orphan_statements(probe, keep=_touched_keys(batch))
    commit = [(cypher.merge_documents(), {"rows": [_document_row(d) for d in batch]})]
    return prepare, commit


def _delete_statements(probe: Mapping[str, _Probe]) -> list[Statement]:
    ids = {"doc_ids": sorted(probe)}
    return [
        (cypher.delete_facts(), ids),
        (cypher.delete_mentions(), ids),
        (cypher.delete_sentences(), ids),
        (cypher.delete_documents(), ids),
    ]


def _orphan_statements(
    probe: Mapping[str, _Probe], *, keep: AbstractSet[str] = frozenset()
) -> list[Statement]:
    # Entities the new versions mention or link are not orphans: only check the others.
    keys = sorted({k for p in probe.values() for k in p.keys} - keep)
    return [(cypher.delete_orphan_entities(), {"keys": keys})] if keys else []


def _write_statements(documents: Sequence[ResolvedDocument]) -> list[Statement]:
    sentences: list[Row] = []
    mentions: list[Row] = []
    facts: list[Row] = []
    keys: set[str] = set()
    norms: dict[str, str] = {}  # surface forms repeat a lot; normalise each once
    for resolved in documents:
        doc_id = resolved.document.id
        for sent in resolved.sentences:
            sentences.append(
                {
                    "doc_id": doc_id,
                    "index": sent.index,
                    "text": sent.text,
                    "char_start": sent.char_start,
                    "char_end": sent.char_end,
                }
            )
        for m in resolved.mentions:
            keys.add(m.key)
            mentions.append(
                {
                    "doc_id": doc_id,
                    "key": m.key,
                    "text": m.text,
                    "norm": norms.get(m.text) or norms.setdefault(m.text, normalize_name(m.text)),
                    "label": m.label,
                    "sentence_index": m.sentence_index,
                    "char_start": m.char_start,
                    "char_end": m.char_end,
                }
            )
        for t in dict.fromkeys(resolved.triples):  # identical records are one fact
            keys.update((t.subject_key, t.object_key))
            p = t.provenance
            facts.append(
                {
                    "s": t.subject_key,
                    "p": t.predicate,
                    "o": t.object_key,
                    "doc_id": p.doc_id,
                    "sentence_index": p.sentence_index,
                    "char_start": p.char_start,
                    "char_end": p.char_end,
                    "extractor": p.extractor,
                }
            )
    out: list[Statement] = []
    if keys:
        out.append((cypher.merge_entities(), {"keys": sorted(keys)}))
    if sentences:
        out.append((cypher.create_sentences(), {"rows": sentences}))
    if mentions:
        out.append((cypher.create_mentions(), {"rows": mentions}))
    if facts:
        out.append((cypher.create_facts(), {"rows": facts}))
    return out


def _touched_keys(documents: Sequence[ResolvedDocument]) -> set[str]:
    keys = {m.key for d in documents for m in d.mentions}
    return keys | {k for d in documents for t in d.triples for k in (t.subject_key, t.object_key)}


def _document_row(resolved: ResolvedDocument) -> Row:
    return {
        "id": resolved.document.id,
        "content_hash": resolved.content_hash,
        "extractor": resolved.extractor,
    }


# ---------------------------------------------------------------------- row helpers
def _edge(r: Row) -> Edge:
    return Edge(r["s"], r["p"], r["o"], int(r["support"]))


def _triple(r: Row) -> Triple:
    prov = Provenance(
        r["doc_id"], int(r["sentence_index"]), int(r["char_start"]), int(r["char_end"]),
        r["extractor"],
    )  # fmt: skip
    return Triple(r["s"], r["p"], r["o"], prov)


def _edge_order(e: Edge) -> tuple[str, str, str]:
    return (e.subject_key, e.predicate, e.object_key)


def _triple_order(t: Triple) -> tuple[Any, ...]:
    p = t.provenance
    return (t.subject_key, t.predicate, t.object_key, p.doc_id, p.sentence_index,
            p.char_start, p.char_end, p.extractor)  # fmt: skip


def _sentence_order(s: SupportingSentence) -> tuple[Any, ...]:
    return (s.doc_id, s.sentence_index, s.subject_key, s.predicate, s.object_key, s.text)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
