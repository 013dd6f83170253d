"""Import chunks: the statements of ``chunk_size`` lines, in the compact form bulk writers store.

A chunk of the bulk path carries no sentence, mention or fact-record object per line: only
rows ``(line, text, subject key, predicate, object key)``, the names the chunk uses and its
version (content hash of the chunk text + extractor id, the same pair the document path
writes, so both paths agree on which chunks are up to date).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kgfuse.kg.importers.statements import ImportedStatement
from kgfuse.types import content_hash

#: Most lines per chunk (a bulk chunk is one atomic bulk load of at most 1,000,000 quads:
#: a line writes at most one fact and four name quads; see ``kgfuse.kg.stores.rdf.bulk``).
MAX_CHUNK_LINES = 150_000
#: Default lines per chunk: bulk writers (one load per chunk) and the document path.
BULK_CHUNK_LINES = 50_000
DOCUMENT_CHUNK_LINES = 5_000
CYPHER_CHUNK_LINES = 10_000
#: One compact row: ``(line, text, subject key, predicate, object key)``.
Row = tuple[int, str, str, str, str]
#: One name: ``(key, surface form, mention label)``.
Name = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class ImportChunk:
    """One chunk of an import file in compact form.

    Attributes:
        number: Chunk number, ``(line - 1) // chunk_size``.
        doc_id: ``import:<name>#<number>`` (the same id the document path writes).
        source: The file the chunk came from.
        fmt: Its import format (``pipe``, ``tsv``, ``ntriples``, ``turtle``).
        extractor: Extractor id (import options that change the output included).
        content_hash: Hash of the chunk's statement texts joined by newlines.
        rows: Its statements, in line order.
        names: Distinct ``(key, surface, label)`` of its heads and tails.
        statements: The statements themselves (the document path needs their spans).
    """

    number: int
    doc_id: str
    source: str
    fmt: str
    extractor: str
    content_hash: str
    rows: tuple[Row, ...]
    names: frozenset[Name]
    statements: tuple[ImportedStatement, ...]

    @property
    def keys(self) -> set[str]:
        """Entity keys of the chunk's facts (a new set)."""
        return {key for key, _, _ in self.names}

    @property
    def last_line(self) -> int:
        """Line (statement) number of the chunk's last statement."""
        return self.rows[-1][0]


def statements_to_chunks(
    statements: Iterable[ImportedStatement],
    *,
    name: str,
    source: str,
    fmt: str,
    chunk_size: int,
    label: str,
    extractor: str,
    key: Callable[[str], str],
) -> Iterator[ImportChunk]:
    """Group statements into compact chunks, in order.

    A statement's chunk is ``(index - 1) // chunk_size``, so a skipped line never moves
    the others into another chunk (the same rule as ``statements_to_documents``).

    Args:
        statements: Statements in increasing ``index`` order.
        name: File name used in the chunk ids.
        source: Where the statements came from.
        fmt: Import format of the file.
        chunk_size: Lines (statements) per chunk.
        label: Mention label of heads and tails that carry none.
        extractor: Extractor id of the import.
        key: Key function of imported names (``kgfuse.kg.keys.import_key_function``).
    """
    for number, group in itertools.groupby(statements, key=lambda st: (st.index - 1) // chunk_size):
        kept = tuple(group)
        rows: list[Row] = []
        names: set[Name] = set()
        for st in kept:
            head, tail = key(st.head), key(st.tail)
            rows.append((st.index, st.text, head, st.predicate, tail))
            names.add((head, st.head, st.head_label or label))
            names.add((tail, st.tail, st.tail_label or label))
        yield ImportChunk(
            number=number,
            doc_id=f"import:{name}#{number}",
            source=source,
            fmt=fmt,
            extractor=extractor,
            content_hash=content_hash("\n".join(st.text for st in kept)),
            rows=tuple(rows),
            names=frozenset(names),
            statements=kept,
        )
