"""Writing a batch of documents' quads into Oxigraph with bounded memory.

A batch of ordinary documents goes in ONE transaction (a killed build leaves each document
fully written or absent). A long document (a book, a 2 MB single-line file) would make that
transaction hold a million quads: Oxigraph keeps a transaction in memory, and one 2 MB
document took 1.3 GB of RSS to commit. Such a document is written in pieces of at most
``PIECE_QUADS`` quads, each flushed to disk, with its commit marker (``kg:contentHash`` and
``kg:extractor``, which ``document_versions`` needs both of) in the last one: killed mid-way,
the document reads as absent, so the next build rewrites it (its graph is dropped first) and
no duplicate remains.
Until then the pieces already written are visible to raw queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.types import ResolvedDocument

#: Records (sentences + mentions + facts) above which a document is written in pieces.
LONG_DOCUMENT_RECORDS = 20_000
#: Most quads per transaction of a long document.
PIECE_QUADS = 100_000


def write_documents(database: Any, documents: Sequence[ResolvedDocument]) -> None:
    """Add the quads of ``documents`` (whose graphs were already dropped).

    Args:
        database: The ``pyoxigraph.Store``.
        documents: The batch.
    """
    short = [d for d in documents if _records(d) <= LONG_DOCUMENT_RECORDS]
    # A generator, not a list: the Python quad objects never all exist at once.
    database.extend(q for resolved in short for q in rs.document_quads(resolved))
    for resolved in documents:
        if _records(resolved) > LONG_DOCUMENT_RECORDS:
            _write_in_pieces(database, resolved)


def _records(resolved: ResolvedDocument) -> int:
    return len(resolved.sentences) + len(resolved.mentions) + len(resolved.triples)


def _write_in_pieces(database: Any, resolved: ResolvedDocument) -> None:
    graph = rs.document_iri(resolved.document.id)
    markers: list[ox.Quad] = []
    quads = _without_markers(rs.document_quads(resolved), graph, markers)
    while piece := list(islice(quads, PIECE_QUADS)):
        database.extend(piece)
        # RocksDB keeps written rows in memtables until they fill: flushing after each piece
        # bounds them (a synthetic 870k-quad document: 965 -> 346 MB peak RSS, and faster).
        database.flush()
    database.extend(markers)


def _without_markers(
    quads: Iterable[ox.Quad], graph: ox.NamedNode, markers: list[ox.Quad]
) -> Iterator[ox.Quad]:
    for quad in quads:
        if quad.subject == graph and quad.predicate in (rs.CONTENT_HASH, rs.EXTRACTOR):
            markers.append(quad)
        else:
            yield quad
