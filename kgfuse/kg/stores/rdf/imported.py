"""Reads of compact import chunks on the embedded store (written by ``rdf.bulk``).

A bulk-imported chunk is one named graph holding its version marker, one plain quad per
distinct fact and its lines as one JSON literal::

    GRAPH doc:ID {
      doc:ID a kg:Document, kg:ImportChunk ; kg:docId "ID" ; kg:contentHash "…" ;
             kg:extractor "…" ; kg:source "kb.txt" ; kg:format "pipe" ; kg:firstLine 1 ;
             kg:lastLine 5000 ; kg:statementCount 4998 ;
             kg:statements "[[line, text, s, p, o], …]" ;
             kg:repeats "{\"s\\tp\\to\": 2}" .        # only when a fact is on 2+ lines
      ent:s rel:p ent:o .
    }

Its names live in the import's names graph (``rdf.bulk.names_graph``) as mention-shaped
nodes, so the name, alias and type queries of the store read them unchanged. A line plays
the part of a sentence: sentence index = line number, text = the line, and the character
offsets are those the document path gives (the chunk's lines joined by newlines), so
``iter_triples`` is the same whichever path imported the file.

Everything here is a pure function of an ``ox.Store``; decoded chunks are cached by
``(graph, content hash, extractor)``, which names their content exactly.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.types import Edge, SupportingSentence

T_IMPORT_CHUNK = ox.NamedNode(rs.KG + "ImportChunk")
SOURCE, FORMAT = ox.NamedNode(rs.KG + "source"), ox.NamedNode(rs.KG + "format")
FIRST_LINE, LAST_LINE = ox.NamedNode(rs.KG + "firstLine"), ox.NamedNode(rs.KG + "lastLine")
STATEMENT_COUNT = ox.NamedNode(rs.KG + "statementCount")
STATEMENTS, REPEATS = ox.NamedNode(rs.KG + "statements"), ox.NamedNode(rs.KG + "repeats")
#: Rows kept decoded (by whole chunks, least recently decoded dropped first).
_CACHED_ROWS = 300_000
_BATCH = 256
#: ``(s, p, o, doc_id, line, char_start, char_end, extractor)``, as ``RdfStore._fact_records``.
FactRecord = tuple[str, str, str, str, int, int, int, str]

# Plain facts of import chunks touching a batch of entities, with the chunk holding them.
_TOUCHING = """SELECT ?s ?p ?o ?g WHERE {
    VALUES ?e { $VALUES }
    { GRAPH ?g { ?e ?p ?o } BIND(?e AS ?s) } UNION { GRAPH ?g { ?s ?p ?e } BIND(?e AS ?o) }
    FILTER(STRSTARTS(STR(?p), "urn:kgfuse:rel:"))
    GRAPH ?g { ?g a kg:ImportChunk }
}"""


@dataclass(frozen=True, slots=True)
class Chunk:
    """One decoded chunk: its rows and where each key and fact occurs.

    Attributes:
        doc_id: The chunk's document id.
        extractor: Its extractor id.
        rows: ``(line, text, s, p, o)`` in line order.
        starts: Character offset of each row's text in the chunk text.
        by_key: Row positions of each key (as subject or object).
    """

    doc_id: str
    extractor: str
    rows: tuple[tuple[int, str, str, str, str], ...]
    starts: tuple[int, ...]
    by_key: dict[str, tuple[int, ...]]

    def records(self, positions: Iterable[int] | None = None) -> Iterator[FactRecord]:
        """Fact records of the given rows (all rows when None)."""
        for i in range(len(self.rows)) if positions is None else positions:
            line, text, s, p, o = self.rows[i]
            start = self.starts[i]
            yield (s, p, o, self.doc_id, line, start, start + len(text), self.extractor)


def is_chunk(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether ``graph`` is a compact import chunk."""
    return any(store.quads_for_pattern(graph, rs.RDF_TYPE, T_IMPORT_CHUNK, graph))


def chunk_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """Every compact import chunk of the store, by document id."""
    found = [q.subject for q in store.quads_for_pattern(None, rs.RDF_TYPE, T_IMPORT_CHUNK, None)]
    return sorted(found, key=lambda g: rs.doc_id_of(g.value))  # type: ignore[arg-type]


def _value(store: ox.Store, graph: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    for quad in store.quads_for_pattern(graph, predicate, None, graph):
        return str(quad.object.value)
    return None


def load_chunk(store: ox.Store, graph: ox.NamedNode) -> Chunk | None:
    """Decode one compact chunk (cached by its version), or None if it is not one."""
    version = (_value(store, graph, rs.CONTENT_HASH), _value(store, graph, rs.EXTRACTOR))
    if None in version or not is_chunk(store, graph):
        return None
    return _decoded(store, graph.value, *version)  # type: ignore[arg-type]


def _decoded(store: ox.Store, graph: str, content_hash: str, extractor: str) -> Chunk:
    cached = _CACHE.get((graph, content_hash, extractor))
    if cached is not None:
        return cached
    text = _value(store, ox.NamedNode(graph), STATEMENTS) or "[]"
    rows = tuple((int(r[0]), r[1], r[2], r[3], r[4]) for r in json.loads(text))
    starts, by_key, offset = [], {}, 0
    for i, (_, line_text, s, _, o) in enumerate(rows):
        starts.append(offset)
        offset += len(line_text) + 1  # the joining newline
        by_key.setdefault(s, []).append(i)
        if o != s:
            by_key.setdefault(o, []).append(i)
    chunk = Chunk(
        rs.doc_id_of(graph),
        extractor,
        rows,
        tuple(starts),
        {k: tuple(v) for k, v in by_key.items()},
    )
    with _LOCK:  # readers may run on several threads (kgfuse serve)
        while _CACHE and sum(len(c.rows) for c in _CACHE.values()) + len(rows) > _CACHED_ROWS:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[(graph, content_hash, extractor)] = chunk
    return chunk


_CACHE: dict[tuple[str, str, str], Chunk] = {}
_LOCK = threading.Lock()


def _touching(store: ox.Store, keys: Sequence[str]) -> Iterator[tuple[str, str, str, str]]:
    """``(s, p, o, chunk graph IRI)`` of the plain facts of import chunks touching ``keys``."""
    query = rs.SPARQL_PREFIXES + _TOUCHING
    for start in range(0, len(keys), _BATCH):
        values = " ".join(str(rs.entity_iri(k)) for k in keys[start : start + _BATCH])
        for r in store.query(query.replace("$VALUES", values)):
            yield rs.key_of(r["s"]), rs.predicate_of(r["p"]), rs.key_of(r["o"]), r["g"].value


def _repeats(store: ox.Store, graph: str) -> dict[str, int]:
    text = _value(store, ox.NamedNode(graph), REPEATS)
    return json.loads(text) if text else {}


def adjacent(store: ox.Store, keys: Sequence[str]) -> list[Edge]:
    """Edges of compact import chunks touching ``keys``, support = lines stating the fact."""
    support: dict[tuple[str, str, str], int] = {}
    repeats: dict[str, dict[str, int]] = {}
    # A fact between two of the keys comes once per end: count each (fact, chunk) once.
    for s, p, o, graph in set(_touching(store, list(dict.fromkeys(keys)))):
        if graph not in repeats:
            repeats[graph] = _repeats(store, graph)
        n = repeats[graph].get(f"{s}\t{p}\t{o}", 1)
        support[(s, p, o)] = support.get((s, p, o), 0) + n
    return [Edge(s, p, o, n) for (s, p, o), n in support.items()]


def merge_edges(*groups: Iterable[Edge]) -> list[Edge]:
    """Edges of several sources as one list, supports of the same ``(s, p, o)`` added."""
    support: dict[tuple[str, str, str], int] = {}
    for edges in groups:
        for e in edges:
            spo = (e.subject_key, e.predicate, e.object_key)
            support[spo] = support.get(spo, 0) + e.support
    return [Edge(s, p, o, n) for (s, p, o), n in support.items()]


def _chunks_of(store: ox.Store, keys: Sequence[str]) -> list[Chunk]:
    """The chunks stating a fact of one of ``keys``, by document id."""
    every = chunk_graphs(store)
    counts = [_value(store, g, STATEMENT_COUNT) for g in every]
    if sum(int(n or 0) for n in counts) <= _CACHED_ROWS:
        # All chunks fit in the cache: their key indexes answer without a query.
        loaded = [load_chunk(store, g) for g in every]
        return [c for c in loaded if c is not None and not c.by_key.keys().isdisjoint(keys)]
    graphs = sorted({g for *_, g in _touching(store, list(dict.fromkeys(keys)))})
    found = [load_chunk(store, ox.NamedNode(g)) for g in graphs]
    return sorted((c for c in found if c is not None), key=lambda c: c.doc_id)


def fact_rows(
    store: ox.Store, keys: Sequence[str]
) -> Iterator[tuple[str, str, str, str, str, int]]:
    """``(key, s, p, o, doc_id, line)`` of every imported line touching one of ``keys``."""
    wanted = set(keys)
    for chunk in _chunks_of(store, keys):
        for key in wanted & chunk.by_key.keys():
            for i in chunk.by_key[key]:
                line, _, s, p, o = chunk.rows[i]
                yield key, s, p, o, chunk.doc_id, line


def supporting_sentences(store: ox.Store, key: str, limit: int) -> list[SupportingSentence]:
    """The first ``limit`` imported lines (by document, then line) stating a fact of ``key``."""
    found: list[SupportingSentence] = []
    for chunk in _chunks_of(store, [key]):
        if len(found) >= limit:
            break  # chunks come in document order: later ones sort after
        for i in chunk.by_key.get(key, ())[: limit - len(found)]:  # rows are in line order
            line, text, s, p, o = chunk.rows[i]
            found.append(SupportingSentence(chunk.doc_id, line, text, s, p, o))
    return found


def edge_support(
    store: ox.Store, spos: Sequence[tuple[str, str, str]]
) -> dict[tuple[str, str, str], int]:
    """Imported support (lines) of each given ``(s, p, o)`` that an import states."""
    wanted = set(spos)
    edges = adjacent(store, sorted({s for s, _, _ in wanted}))
    return {
        spo: e.support
        for e in edges
        if (spo := (e.subject_key, e.predicate, e.object_key)) in wanted
    }


def sentence_texts(
    store: ox.Store, sentences: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], str]:
    """``{(doc_id, line): text}`` of the given lines of compact chunks."""
    out: dict[tuple[str, int], str] = {}
    by_doc: dict[str, set[int]] = {}
    for doc_id, line in sentences:
        by_doc.setdefault(doc_id, set()).add(line)
    for doc_id, lines in by_doc.items():
        chunk = load_chunk(store, rs.document_iri(doc_id))
        if chunk is not None:
            for line in lines:  # rows are in line order: a binary search, not a scan
                i = bisect.bisect_left(chunk.rows, line, key=lambda r: r[0])
                if i < len(chunk.rows) and chunk.rows[i][0] == line:
                    out[(doc_id, line)] = chunk.rows[i][1]
    return out


def document_keys(store: ox.Store, doc_ids: Sequence[str]) -> set[str]:
    """Entity keys of the facts of those documents that are compact chunks."""
    keys: set[str] = set()
    for doc_id in doc_ids:
        chunk = load_chunk(store, rs.document_iri(doc_id))
        if chunk is not None:
            keys.update(chunk.by_key)
    return keys


def fact_records(store: ox.Store) -> Iterator[FactRecord]:
    """Every fact record of every compact chunk."""
    for graph in chunk_graphs(store):
        chunk = load_chunk(store, graph)
        if chunk is not None:
            yield from chunk.records()


def statement_count(store: ox.Store) -> int:
    """Lines stored by compact chunks (they count as sentences)."""
    return sum(
        int(q.object.value) for q in store.quads_for_pattern(None, STATEMENT_COUNT, None, None)
    )
