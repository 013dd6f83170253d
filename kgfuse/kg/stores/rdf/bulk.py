"""The embedded store's bulk import: one compact chunk per RocksDB ingest, marker included.

A chunk (``kgfuse.kg.importers.chunks``) is written as N-Quads text loaded by
``Store.bulk_load``: its version marker, one plain quad per distinct fact and its lines as
one JSON literal (the shape is in ``rdf.imported``), plus the mention-shaped name nodes of
names the import has not stored yet, in the import's names graph. Oxigraph's bulk loader
turns up to 1,000,000 quads into one set of SST files ingested in a single RocksDB call,
which is atomic across column families: a killed import leaves each chunk whole or absent,
never half-written, and a chunk without its marker cannot exist. ``MAX_CHUNK_LINES`` keeps
every chunk far below that batch size (``kgfuse.kg.importers.chunks``).

Replacing a chunk drops its graph first (one transaction) then loads the new one; killed
in between, the chunk is absent and the next import writes it. Readers during an import
read the published snapshots (``snapshots``), published after each whole chunk.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.importers.chunks import ImportChunk, Name
from kgfuse.kg.normalize import normalize_name
from kgfuse.kg.stores.import_summaries import drop_summaries, refresh_missing
from kgfuse.kg.stores.rdf import imported as im

if TYPE_CHECKING:
    from kgfuse.kg.stores.rdf.store import RdfStore

NAMES = "urn:kgfuse:import-names:"
_INTEGER = "^^<http://www.w3.org/2001/XMLSchema#integer>"
_BATCH = 256
_DROP_NAMES = (
    """DELETE { GRAPH $G { ?m ?p ?v } } WHERE { VALUES ?m { $VALUES } GRAPH $G { ?m ?p ?v } }"""
)


def names_graph(name: str) -> ox.NamedNode:
    """The graph holding the names of the import called ``name``."""
    return ox.NamedNode(NAMES + quote(name, safe="", errors="surrogatepass"))


def name_node(graph: ox.NamedNode, name: Name) -> str:
    """IRI (without brackets) of the name node of ``(key, surface, label)``."""
    digest = hashlib.sha1("\0".join(name).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return f"{graph.value}#n{digest}"


_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')


def _literal(value: str) -> str:
    if _PLAIN.fullmatch(value):
        return f'"{value}"'  # most names: nothing to escape
    # JSON string escaping is valid N-Quads string escaping (\" \\ \n \r \t \uXXXX).
    return json.dumps(value, ensure_ascii=False)


class RdfChunkWriter:
    """Writes the chunks of one import file into an embedded store (``ChunkWriter``).

    Args:
        store: The open, writable store.
        name: Name of the import (in its chunk ids).
        chunk_size: Lines per chunk.
    """

    def __init__(self, store: RdfStore, *, name: str, chunk_size: int) -> None:
        store._writable()
        self.store, self.chunk_size = store, chunk_size
        self.graph = names_graph(name)
        self.known = {
            q.subject.value
            for q in store.ox.quads_for_pattern(None, rs.REFERS_TO, None, self.graph)
        }
        self._iris: dict[str, str] = {}
        self._rels: dict[str, str] = {}
        self._nodes: dict[Name, str] = {}

    def version(self, doc_id: str) -> tuple[str, str] | None:
        """``(content hash, extractor)`` of the stored chunk, or None."""
        return self.store.document_versions([doc_id]).get(doc_id)

    def write(self, chunk: ImportChunk) -> None:
        """Replace the stored chunk by ``chunk`` (absent or whole at every instant)."""
        ox_store = self.store.ox
        g = rs.document_iri(chunk.doc_id)
        keys = chunk.keys
        if ox_store.contains_named_graph(g):
            keys |= _stored_keys(ox_store, g)
            ox_store.remove_graph(g)
        _drop_summaries(self.store, keys)
        text, names = self._nquads(chunk, g)
        ox_store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        self.known |= names
        self.store._committed()  # publish a snapshot for readers: the chunk is whole

    def finish(self, names: set[Name]) -> None:
        """End a complete import: drop the names no chunk uses any more (after a label
        change, or chunks that went away), then recompute the entity summaries the import
        left missing (one pass at the end: per chunk, hubs would be summarised again and
        again; a killed import leaves them missing, read live, never stale)."""
        wanted = {name_node(self.graph, n) for n in names}
        stale = sorted(self.known - wanted)
        keys = {key for key, _, _ in names}
        for node in stale:
            for q in self.store.ox.quads_for_pattern(
                ox.NamedNode(node), rs.REFERS_TO, None, self.graph
            ):
                keys.add(rs.key_of(q.object))  # type: ignore[arg-type]
        if stale:
            _drop_summaries(self.store, keys)
            query = rs.SPARQL_PREFIXES + _DROP_NAMES.replace("$G", str(self.graph))
            for start in range(0, len(stale), _BATCH):
                values = " ".join(f"<{n}>" for n in stale[start : start + _BATCH])
                self.store.ox.update(query.replace("$VALUES", values))
            self.known -= set(stale)
            self.store._committed()
        refresh_summaries(self.store, keys)

    def _iri(self, key: str) -> str:
        iri = self._iris.get(key)
        if iri is None:
            iri = self._iris[key] = str(rs.entity_iri(key))
        return iri

    def _nquads(self, chunk: ImportChunk, g: ox.NamedNode) -> tuple[str, set[str]]:
        """The chunk as N-Quads text, and the name nodes it adds."""
        gs, kg = str(g), rs.KG
        statements = json.dumps(chunk.rows, ensure_ascii=False)
        out = [
            f"{gs} <{rs.RDF_TYPE.value}> <{rs.T_DOCUMENT.value}> {gs} .\n",
            f"{gs} <{rs.RDF_TYPE.value}> <{im.T_IMPORT_CHUNK.value}> {gs} .\n",
            f"{gs} <{kg}docId> {_literal(chunk.doc_id)} {gs} .\n",
            f"{gs} <{kg}contentHash> {_literal(chunk.content_hash)} {gs} .\n",
            f"{gs} <{kg}extractor> {_literal(chunk.extractor)} {gs} .\n",
            f"{gs} <{kg}source> {_literal(chunk.source)} {gs} .\n",
            f"{gs} <{kg}format> {_literal(chunk.fmt)} {gs} .\n",
            f'{gs} <{kg}firstLine> "{chunk.rows[0][0]}"{_INTEGER} {gs} .\n',
            f'{gs} <{kg}lastLine> "{chunk.last_line}"{_INTEGER} {gs} .\n',
            f'{gs} <{kg}statementCount> "{len(chunk.rows)}"{_INTEGER} {gs} .\n',
            f"{gs} <{kg}statements> {_literal(statements)} {gs} .\n",
        ]
        lines: Counter[tuple[str, str, str]] = Counter()
        for _, _, s, p, o in chunk.rows:
            spo = (s, p, o)
            lines[spo] += 1
            if lines[spo] == 1:
                rel = self._rels.get(p)
                if rel is None:
                    rel = self._rels[p] = str(rs.relation_iri(p))
                out.append(f"{self._iri(s)} {rel} {self._iri(o)} {gs} .\n")
        repeats = {"\t".join(spo): n for spo, n in lines.items() if n > 1}
        if repeats:
            out.append(f"{gs} <{kg}repeats> {_literal(json.dumps(repeats))} {gs} .\n")
        ng, added = str(self.graph), set()
        for name in sorted(chunk.names):
            node = self._nodes.get(name)
            if node is None:
                node = self._nodes[name] = name_node(self.graph, name)
            if node in self.known:
                continue
            added.add(node)
            key, surface, label = name
            out.append(
                f"<{node}> <{kg}refersTo> {self._iri(key)} {ng} .\n"
                f"<{node}> <{kg}surface> {_literal(surface)} {ng} .\n"
                f"<{node}> <{kg}norm> {_literal(normalize_name(surface))} {ng} .\n"
                f"<{node}> <{kg}type> {_literal(label)} {ng} .\n"
            )
        return "".join(out), added


def _stored_keys(ox_store: ox.Store, g: ox.NamedNode) -> set[str]:
    """Keys the stored version of a chunk touches (compact, or written as a document)."""
    keys = im.document_keys(ox_store, [rs.doc_id_of(g.value)])
    for predicate in (rs.REFERS_TO, rs.SUBJECT, rs.OBJECT):
        keys.update(
            rs.key_of(q.object) for q in ox_store.quads_for_pattern(None, predicate, None, g)
        )  # type: ignore[arg-type]
    return keys


# Entity summaries (kgfuse.kg.stores.summaries): the summaries of every key a chunk touches
# are dropped before the chunk is written, and ``finish`` recomputes the missing ones once
# (``import_summaries``; the summary sources read compact chunks through ``rdf.imported``).
def _drop_summaries(store: RdfStore, keys: set[str]) -> None:
    from kgfuse.kg.stores.rdf import reads

    held = store.ox.quads_for_pattern(None, reads.DEGREE, None, reads.SUMMARY_GRAPH)
    if next(iter(held), None) is not None:  # else no summary at all to drop: no key lookups
        drop_summaries(store, keys)


def refresh_summaries(store: RdfStore, keys: set[str]) -> None:
    """Recompute the missing summaries among ``keys``."""
    refresh_missing(store, keys)
