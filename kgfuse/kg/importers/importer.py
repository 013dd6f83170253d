"""``import_triples``: stream an import file into a store, chunk by chunk, idempotently."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kgfuse.corpus.ids import id_problem
from kgfuse.errors import CorpusError, EmptyCorpusError, clip
from kgfuse.kg.importers.chunks import MAX_CHUNK_LINES, Name, statements_to_chunks
from kgfuse.kg.importers.delimited import iter_delimited
from kgfuse.kg.importers.formats import detect_import_format
from kgfuse.kg.importers.rdf import iter_rdf
from kgfuse.kg.importers.statements import DEFAULT_LABEL, IMPORT_EXTRACTOR, MAX_WARNINGS
from kgfuse.kg.importers.writers import chunk_writer
from kgfuse.kg.keys import import_key_function
from kgfuse.kg.stores.base import GraphStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did.

    Attributes:
        documents: Documents (chunks) the file now has in the store.
        written: Of those, the ones written by this call (the others were unchanged).
        triples: Statements imported as facts.
        entities: Distinct entity keys among their heads and tails.
        skipped: Lines or statements not imported (malformed, literal objects, unnamed
            blank nodes).
    """

    documents: int
    written: int
    triples: int
    entities: int
    skipped: int


def import_triples(
    store: GraphStore,
    path: str | Path,
    *,
    fmt: str | None = None,
    label: str = DEFAULT_LABEL,
    literals: str = "skip",
    chunk_size: int | None = None,
    strict: bool = False,
    name: str | None = None,
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
    merge_names: bool = False,
    bulk: bool | None = None,
) -> ImportResult:
    """Import a triple file into a store, streamed, one chunk document at a time.

    Importing the same file again gives the same graph: chunk ids are stable, unchanged
    chunks are not rewritten, and chunks left over from a longer earlier version of the
    file are deleted. Each chunk is written atomically with its version marker, so an
    import killed midway (or a ``strict`` error) leaves the chunks before it whole and no
    part of the next; importing again skips the written chunks and completes the import,
    to the same graph as an uninterrupted one.

    On the embedded store and FalkorDB a chunk goes through the bulk path: compact
    provenance (the chunk's source file, format and line range, and each fact's line)
    instead of a sentence, two mentions and a fact record per line (see
    ``kgfuse.kg.stores.rdf.imported``). Other stores get each chunk as a document.

    Args:
        store: Any open ``GraphStore``.
        path: ``head|relation|tail`` or tab-separated lines (``.gz`` accepted), N-Triples
            (``.nt``) or Turtle (``.ttl``).
        fmt: ``"pipe"``, ``"tsv"``, ``"ntriples"`` or ``"turtle"``; guessed when None.
        label: Mention label of imported entities without an ``rdf:type``.
        literals: RDF literal objects: ``"skip"`` them or make each an ``"entity"``.
        chunk_size: Lines (statements) per chunk, at most 150,000; None: 50,000 on the
            bulk path, 5,000 on the document path.
        strict: Raise on a malformed line instead of skipping it with a warning.
        name: Name used in the document ids instead of the file name (two files with the
            same name in different folders need different names).
        encoding: Text encoding of delimited files.
        progress: Called with the number of lines (statements) consumed after each chunk.
        merge_names: Merge names that differ only by case, articles or punctuation into one
            entity (text-style keys); by default every distinct name stays its own entity.
        bulk: True: the bulk path (a ``CorpusError`` on a store without one); False: one
            document per chunk; None (default): the bulk path where the store has one.

    Returns:
        Counts of documents, facts, entities and skipped lines.

    Raises:
        CorpusError: Missing or unreadable file, bad option, or a malformed line in strict
            mode (the message names the file and the line).
        EmptyCorpusError: The file holds no importable statement.
    """
    path = Path(path)
    kind = detect_import_format(path, fmt, encoding=encoding)
    if chunk_size is not None and not 1 <= chunk_size <= MAX_CHUNK_LINES:
        raise CorpusError(
            f"bad import option chunk_size={chunk_size}; expected 1 to {MAX_CHUNK_LINES}"
        )
    if not label.strip() or literals not in {"skip", "entity"}:
        raise CorpusError(
            f"bad import options: label={label!r} "
            f"(expected a non-empty label), literals={literals!r} (expected 'skip' or 'entity')"
        )
    extractor = IMPORT_EXTRACTOR + (" merge-names" if merge_names else "")
    extractor += f" label={label}" if label != DEFAULT_LABEL else ""
    extractor += (
        " literals=entity" if literals == "entity" and kind in {"ntriples", "turtle"} else ""
    )
    tally: Counter[str] = Counter()
    if kind in {"pipe", "tsv"}:
        separator = "|" if kind == "pipe" else "\t"
        statements = iter_delimited(
            path, separator=separator, strict=strict, encoding=encoding, tally=tally
        )
    else:
        statements = iter_rdf(path, fmt=kind, literals=literals, strict=strict, tally=tally)
    name = name or path.name
    problem = id_problem(f"import:{name}#0")
    if problem is not None:
        raise CorpusError(
            f"cannot import {clip(repr(str(path)))}: the document ids made from the name "
            f"{clip(repr(name))} would break the id rule (the id {problem}); rename the file "
            "or pass name= with a plain name"
        )
    writer = chunk_writer(
        store,
        name=name,
        chunk_size=chunk_size,
        label=label,
        merge_names=merge_names,
        bulk=bulk,
    )
    chunk_size = writer.chunk_size
    chunks: list[int] = []
    keys: set[str] = set()
    names: set[Name] = set()
    written = triples = consumed = 0
    for chunk in statements_to_chunks(
        statements,
        name=name,
        source=str(path),
        fmt=kind,
        chunk_size=chunk_size,
        label=label,
        extractor=extractor,
        key=import_key_function(merge_names),
    ):
        chunks.append(chunk.number)
        triples += len(chunk.rows)
        keys |= chunk.keys
        names |= chunk.names
        if writer.version(chunk.doc_id) != (chunk.content_hash, chunk.extractor):
            writer.write(chunk)
            written += 1
        if progress is not None:
            progress(chunk.last_line - consumed)
            consumed = chunk.last_line
    if tally["skipped"] > MAX_WARNINGS:
        logger.warning("%s: skipped %d lines in all", path, tally["skipped"])
    if not triples:
        raise EmptyCorpusError(
            f"no importable statement in {path} ({tally['skipped']} skipped); expected "
            "head|relation|tail lines, tab-separated triples, N-Triples or Turtle"
        )
    _drop_stale_chunks(store, name, set(chunks))
    writer.finish(names)
    return ImportResult(len(chunks), written, triples, len(keys), tally["skipped"])


def _drop_stale_chunks(store: GraphStore, name: str, kept: set[int]) -> None:
    # Chunks an earlier, different version of the file had but this one has not: the gaps
    # below the last chunk, and the run of chunks after it.
    def doc_id(chunk: int) -> str:
        return f"import:{name}#{chunk}"

    last = max(kept)
    gaps = [doc_id(i) for i in range(last) if i not in kept]
    stale = list(store.document_versions(gaps)) if gaps else []
    chunk = last + 1
    while store.document_versions([doc_id(chunk)]):
        stale.append(doc_id(chunk))
        chunk += 1
    for stale_id in stale:
        store.delete_document(stale_id)
    if stale:
        logger.info("deleted %d chunks left over from an earlier import of %s", len(stale), name)
