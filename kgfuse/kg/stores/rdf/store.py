"""The embedded store: an on-disk Oxigraph database, also usable as an rdflib ``Dataset``.

Writes and the store's own queries go straight to pyoxigraph (rdflib's per-triple path is
slow); ``RdfStore.dataset`` wraps the same database in an rdflib ``Dataset`` (oxrdflib). The
RDF shape is in ``kgfuse.kg.rdf_schema``, the SPARQL in ``sparql``, summaries and bounded
walks in ``reads``, users' raw queries in ``raw``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgfuse.errors import StoreError
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.forms import SurfaceForm, entity_from_forms
from kgfuse.kg.stores.order import by_count, sentence_order
from kgfuse.kg.stores.rdf import imported, sparql
from kgfuse.kg.stores.rdf.folder import check_store_folder, is_store_folder
from kgfuse.kg.stores.rdf.pieces import write_documents
from kgfuse.kg.stores.rdf.raw import run_raw_query
from kgfuse.kg.stores.rdf.reads import RdfReads, edge_of_row
from kgfuse.kg.stores.rdf.snapshots import (
    ReadSnapshot,
    SnapshotPublisher,
    clear_snapshots,
    open_database,
)
from kgfuse.types import Edge, GraphStats, Provenance, ResolvedDocument, SupportingSentence, Triple

_VALUES_BATCH = 256
#: One fact record: ``(s, p, o, doc_id, sentence index, char_start, char_end, extractor)``.
FactRecord = tuple[str, str, str, str, int, int, int, str]


def open_rdf(url: str, *, create: bool = True, **options: Any) -> RdfStore:
    """Open the embedded store named by ``PATH``, ``rdf:PATH`` or ``file://PATH``.

    Args:
        url: The store URL or plain folder path.
        create: Create the database when the folder does not exist.
        **options: Must be empty (the embedded store takes no options).

    Returns:
        The open store.

    Raises:
        StoreError: Options were given, or the path is unusable.
    """
    path = url.removeprefix("rdf:").removeprefix("file://").removeprefix("//")
    if options:
        raise StoreError(f"the embedded store takes no options, got {sorted(options)}")
    return RdfStore(path, create=create)


class RdfStore(RdfReads, GraphStore):
    """A knowledge graph in an Oxigraph database on disk (one named graph per document).

    Args:
        path: Folder of the database.
        create: Create the database when the folder does not exist or is empty (else raise).
            If False and a writer holds the database, read its latest snapshot (``snapshots``).

    Raises:
        StoreError: The path is a file, a folder holding other files but no database, holds
            no database and ``create`` is False, or is locked (and has no snapshot to read).
    """

    query_language = "sparql"
    #: pyoxigraph's store is safe to use from two threads (the build writes on a second one).
    concurrent_writes = True

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.url = f"rdf:{self.path}"
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is a file; the embedded store needs a folder path")
        check_store_folder(self.path)
        if not create and not is_store_folder(self.path):
            raise StoreError(
                f"no graph at {self.path}; build one first with `kgfuse build CORPUS --store "
                f"{self.path}` or check the --store path"
            )
        self._ox: ox.Store | None
        #: The snapshot this reader reads while another process writes (else None).
        self.snapshot: ReadSnapshot | None
        self._publisher: SnapshotPublisher | None
        self._ox, self.snapshot, self._publisher = open_database(self.path, create=create)
        self._dataset: Any = None

    def _writable(self) -> None:
        if self.snapshot is not None:
            self.snapshot.refuse_write(self.path)

    # ------------------------------------------------------------------ helpers
    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        if self._ox is None:
            raise StoreError(f"the store {self.path} is closed")
        return self._ox

    @property
    def dataset(self) -> Any:
        """The same database as an rdflib ``Dataset`` (rdflib over oxrdflib)."""
        if self._dataset is None:
            from oxrdflib import OxigraphStore
            from rdflib import Dataset

            self._dataset = Dataset(store=OxigraphStore(store=self.ox))
        return self._dataset

    def _select(self, query: str, **bindings: ox.Literal | ox.NamedNode) -> list[Any]:
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        return list(self.ox.query(rs.SPARQL_PREFIXES + query, substitutions=subs or None))

    def _select_values(self, query: str, keys: Sequence[str]) -> Iterator[Any]:
        # VALUES rows are IRIs built by rs.entity_iri, which percent-encodes every character
        # that could end an IRI, so no key can change the query's structure.
        for start in range(0, len(keys), _VALUES_BATCH):
            values = " ".join(str(rs.entity_iri(k)) for k in keys[start : start + _VALUES_BATCH])
            yield from self._select(query.replace("$VALUES", values))

    def close(self) -> None:
        """Flush and release the database (and its lock)."""
        if self.snapshot is not None:
            self._ox = self._dataset = None
            self.snapshot.close()
            return
        if self._ox is not None:
            self._ox.flush()
            if self._publisher is not None and self._publisher.published:
                clear_snapshots(self.path)  # before the lock goes: readers then open us
        self._ox = self._publisher = None  # the publisher holds the Store too
        self._dataset = None
        gc.collect()  # pyoxigraph drops the RocksDB lock only when the Store is collected

    # ------------------------------------------------------------------ writing
    def _committed(self) -> None:
        if self._publisher is not None:
            self._publisher.committed()

    def _write(self, documents: Sequence[ResolvedDocument]) -> None:
        self._writable()
        for resolved in documents:
            graph = rs.document_iri(resolved.document.id)
            if self.ox.contains_named_graph(graph):
                self.ox.remove_graph(graph)
        # One transaction for the batch (long documents: pieces, commit marker last): a killed
        # process leaves each document either fully written or absent (rebuilt on resume).
        write_documents(self.ox, documents)
        self._committed()

    def _delete_document(self, doc_id: str) -> bool:
        self._writable()
        graph = rs.document_iri(doc_id)
        if not self.ox.contains_named_graph(graph):
            return False
        self.ox.remove_graph(graph)
        self._committed()
        return True

    def _document_versions(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for doc_id in doc_ids:
            graph = rs.document_iri(doc_id)
            hashes = list(self.ox.quads_for_pattern(graph, rs.CONTENT_HASH, None, graph))
            extractors = list(self.ox.quads_for_pattern(graph, rs.EXTRACTOR, None, graph))
            if hashes and extractors:
                found[doc_id] = (hashes[0].object.value, extractors[0].object.value)
        return found

    # ------------------------------------------------------------------ entities
    def _surface_forms(self, keys: Sequence[str]) -> dict[str, list[SurfaceForm]]:
        forms: dict[str, list[SurfaceForm]] = {}
        for row in self._select_values(sparql.SURFACE_FORMS, keys):
            forms.setdefault(rs.key_of(row["e"]), []).append(
                (row["surface"].value, row["type"].value, int(row["n"].value))
            )
        return forms

    def _keys_for_normalized(self, norm: str) -> list[tuple[str, str]]:
        rows = self._select(sparql.KEYS_FOR_NORMALIZED, norm=ox.Literal(norm))
        return sorted({(rs.key_of(r["e"]), r["surface"].value) for r in rows})

    def _search_normalized(self, fragment: str, limit: int) -> list[tuple[str, str]]:
        rows = self._select(sparql.SEARCH_NORMALIZED, fragment=ox.Literal(fragment))
        return sorted({(rs.key_of(r["e"]), r["surface"].value) for r in rows})[:limit]

    def _mention_stats(self, key: str) -> tuple[list[tuple[str, int]], int, int]:
        e = rs.entity_iri(key)
        rows = self._select(sparql.MENTION_TYPES, e=e)
        types = sorted(((r["type"].value, int(r["n"].value)) for r in rows), key=by_count)
        docs = self._select(sparql.MENTION_DOCUMENTS, e=e)
        return types, sum(n for _, n in types), int(docs[0]["n"].value) if docs else 0

    # ------------------------------------------------------------------ facts
    def _adjacent(self, keys: Sequence[str]) -> list[Edge]:
        found = {edge_of_row(r) for r in self._select_values(sparql.ADJACENT, list(keys))}
        return imported.merge_edges(found, imported.adjacent(self.ox, keys))  # bulk imports

    def _supporting_sentences(self, key: str, limit: int) -> list[SupportingSentence]:
        e = rs.entity_iri(key)
        found: set[SupportingSentence] = set()
        for role in ("subject", "object"):
            for r in self._select(sparql.supporting_sentences(role), e=e):
                ends = (key, rs.key_of(r["other"]))
                s_key, o_key = ends if role == "subject" else ends[::-1]
                found.add(
                    SupportingSentence(
                        doc_id=r["doc"].value,
                        sentence_index=int(r["idx"].value),
                        text=r["text"].value,
                        subject_key=s_key,
                        predicate=rs.predicate_of(r["p"]),
                        object_key=o_key,
                    )
                )
        found.update(imported.supporting_sentences(self.ox, key, limit))  # bulk imports
        return sorted(found, key=sentence_order)[:limit]

    def _fact_records(self) -> Iterator[FactRecord]:
        """Every fact record as ``(s, p, o, doc_id, sentence, start, end, extractor)``.

        One join without aggregation (grouping in Python is faster than SPARQL's
        ``GROUP BY`` here); the document and sentence index are read off the sentence IRI.
        """
        rows = self.ox.query(rs.SPARQL_PREFIXES + sparql.FACT_RECORDS)
        for s, p, o, sent, start, end, extractor in rows:
            doc_iri, _, sentence = sent.value.rpartition("#s")
            yield (
                rs.key_of(s),
                rs.predicate_of(p),
                rs.key_of(o),
                rs.doc_id_of(doc_iri),
                int(sentence),
                int(start.value),
                int(end.value),
                extractor.value,
            )
        yield from imported.fact_records(self.ox)  # bulk-imported lines

    def _iter_edges(self) -> Iterator[Edge]:
        return iter(self._edges())

    def _edges(self) -> list[Edge]:
        """Every distinct fact with its support (distinct supporting sentences), sorted."""
        support: dict[tuple[str, str, str], set[tuple[str, int]]] = {}
        for s, p, o, doc_id, sentence, *_ in self._fact_records():
            support.setdefault((s, p, o), set()).add((doc_id, sentence))
        return [Edge(*spo, len(support[spo])) for spo in sorted(support)]

    def _iter_triples(self) -> Iterator[Triple]:
        records = sorted(set(self._fact_records()))
        return iter(
            [
                Triple(s, p, o, Provenance(d, i, start, end, x))
                for s, p, o, d, i, start, end, x in records
            ]
        )

    def _stats(self, top: int) -> GraphStats:
        def count(where: str) -> int:
            return int(self._select(sparql.count(where))[0]["n"].value)

        edges = self._edges()
        predicates: dict[str, int] = {}
        degree: dict[str, int] = {}
        for edge in edges:
            predicates[edge.predicate] = predicates.get(edge.predicate, 0) + 1
            for k in {edge.subject_key, edge.object_key}:  # a self-loop counts once
                degree[k] = degree.get(k, 0) + 1
        ranked = sorted(degree.items(), key=by_count)[:top]
        forms = self._surface_forms([k for k, _ in ranked])
        return GraphStats(
            documents=count(sparql.COUNT_DOCUMENTS),
            sentences=count(sparql.COUNT_SENTENCES) + imported.statement_count(self.ox),
            mentions=count(sparql.COUNT_MENTIONS),
            entities=count(sparql.COUNT_ENTITIES),
            edges=len(edges),
            facts=sum(edge.support for edge in edges),
            predicates=tuple(sorted(predicates.items(), key=by_count)),
            top_entities=tuple((entity_from_forms(k, forms.get(k, [])), d) for k, d in ranked),
            fact_entities=len(degree),
        )

    # ------------------------------------------------------------------ raw queries
    def _raw_query(
        self, query: str, params: dict[str, Any], *, allow_write: bool, allow_network: bool
    ) -> list[dict[str, Any]]:
        if allow_write:
            self._writable()
        return run_raw_query(
            self.ox, query, params, allow_write=allow_write, allow_network=allow_network
        )
