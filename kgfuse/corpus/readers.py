"""``read_corpus``: one entry point for every corpus format, and a cheap size estimate.

The format comes from the path (a folder, ``.txt``/``.md``, ``.jsonl``, ``.csv``, ``.tsv``,
each optionally ``.gz``) unless given. Whatever the format, the stream is checked the same
way: ids follow the one id rule of ``kgfuse.corpus.ids`` (else ``CorpusError`` naming the
file and line) and are unique within the corpus, empty documents are skipped (or refused
when ``strict``), and a corpus that yields nothing raises ``EmptyCorpusError``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from kgfuse.corpus.ids import id_error_message, id_problem
from kgfuse.corpus.records import derived_id, iter_jsonl
from kgfuse.corpus.tabular import iter_csv
from kgfuse.corpus.textfiles import is_text_file, iter_text_folder, list_text_files, read_text_file
from kgfuse.corpus.textio import count_newlines
from kgfuse.errors import CorpusError, EmptyCorpusError
from kgfuse.types import Document

logger = logging.getLogger(__name__)

#: Accepted values of ``fmt``.
FORMATS = ("dir", "txt", "jsonl", "csv", "tsv")
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
_SUFFIX_FORMATS[".tab"] = "tsv"


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """Return the corpus format of ``path``: ``fmt`` when given, else from the path.

    Raises:
        CorpusError: The path does not exist, ``fmt`` is unknown or does not fit the path,
            or the extension is not one kgfuse can read.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(
            f"corpus path {str(path)!r} does not exist; expected a folder of .txt/.md files "
            "or a .txt, .md, .jsonl, .csv or .tsv file"
        )
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise CorpusError(f"unknown corpus format {fmt!r}; expected one of {FORMATS}")
        if (fmt == "dir") != path.is_dir():
            found = "a folder" if path.is_dir() else "a file"
            raise CorpusError(
                f"corpus format {fmt!r} does not fit {str(path)!r}, which is {found}; "
                + ("use fmt='dir' for a folder" if path.is_dir() else "fmt='dir' needs a folder")
            )
        return fmt
    if path.is_dir():
        return "dir"
    if is_text_file(path.name):
        return "txt"
    suffix = Path(path.name.lower().removesuffix(".gz")).suffix
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    hint = " (a .json file holding JSON Lines: pass fmt='jsonl')" if suffix == ".json" else ""
    raise CorpusError(
        f"cannot tell the corpus format of {str(path)!r} from its extension {suffix or '(none)'!r};"
        f" expected .txt, .md, .jsonl, .csv, .tsv or a folder, or pass fmt= one of {FORMATS}" + hint
    )


def read_corpus(
    path: str | Path,
    *,
    fmt: str | None = None,
    text_column: str = "text",
    id_column: str = "id",
    label_column: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
) -> Iterator[Document]:
    """Stream the documents of a corpus.

    Args:
        path: A folder of ``.txt``/``.md`` files (read recursively in sorted order, id = the
            relative path), one text file (id = its name), or a JSON Lines, CSV or TSV file
            (one document per record; ``.gz`` accepted).
        fmt: ``"dir"``, ``"txt"``, ``"jsonl"``, ``"csv"`` or ``"tsv"``; from the path if None.
        text_column: Record field holding the text (JSONL/CSV/TSV).
        id_column: Record field holding the document id; where it is missing or empty the id
            is ``"sha256:" + content_hash(text)``.
        label_column: Record field holding the label; None uses ``label`` when present.
        strict: Raise instead of skipping (with a warning) a binary or undecodable file in a
            folder, an empty document, or a repeated text that has no id.
        encoding: Text encoding of the files (a UTF-8 byte-order mark is always accepted).

    Returns:
        An iterator of documents; the files are read lazily, as it is consumed.

    Raises:
        CorpusError: Missing path, unknown format, malformed record (the message names the
            file and the line), missing text column, an id that breaks the id rule of
            ``kgfuse.corpus.ids`` (NUL or other control character, lone surrogate, empty,
            too long), or a document id given twice.
        EmptyCorpusError: The corpus holds no documents (raised at the end of the stream).
    """
    kind = detect_format(path, fmt)
    return _checked(
        _documents(Path(path), kind, text_column, id_column, label_column, strict, encoding),
        Path(path),
        kind,
        strict=strict,
    )


def _documents(
    path: Path,
    kind: str,
    text_column: str,
    id_column: str,
    label_column: str | None,
    strict: bool,
    encoding: str,
) -> Iterator[Document]:
    if kind == "dir":
        return iter_text_folder(path, strict=strict, encoding=encoding)
    if kind == "txt":
        return iter([read_text_file(path, encoding=encoding)])
    columns = {"text_column": text_column, "id_column": id_column, "label_column": label_column}
    if kind == "jsonl":
        return iter_jsonl(path, encoding=encoding, **columns)
    return iter_csv(path, delimiter="\t" if kind == "tsv" else ",", encoding=encoding, **columns)


def _checked(
    docs: Iterator[Document], path: Path, kind: str, *, strict: bool
) -> Iterator[Document]:
    seen: dict[str, str | None] = {}  # id -> source, to name both places of a duplicate
    yielded = skipped = 0
    for doc in docs:
        problem = id_problem(doc.id)
        if problem is not None:
            # Always an error: an id is never cleaned, and skipping would lose a document.
            raise CorpusError(id_error_message(doc.id, problem, doc.source))
        if not doc.text.strip():
            if strict:
                raise CorpusError(f"{doc.source}: document {doc.id!r} has no text (strict mode)")
            logger.warning("skipping %s: document %r has no text", doc.source, doc.id)
            skipped += 1
            continue
        if doc.id in seen:
            first = seen[doc.id]
            if strict or doc.id != derived_id(doc.text):
                raise CorpusError(
                    f"{doc.source}: document id {doc.id!r} was already used at {first}; "
                    "expected unique ids within a corpus (fix the id column, or drop it to "
                    "derive ids from the text)"
                )
            # Same text and no id: the same document twice; it would write the same facts.
            logger.warning("skipping %s: same text as %s and no id", doc.source, first)
            skipped += 1
            continue
        seen[doc.id] = doc.source
        yielded += 1
        yield doc
    if not yielded:
        what = {"dir": "no readable .txt or .md file", "txt": "no text"}.get(kind, "no records")
        raise EmptyCorpusError(
            f"the corpus {str(path)!r} holds {what}"
            + (f" ({skipped} skipped, see the warnings above)" if skipped else "")
            + "; expected at least one non-empty document"
        )
    if skipped:
        logger.warning("read %d documents from %s, skipped %d", yielded, path, skipped)


def count_documents(path: str | Path, *, fmt: str | None = None) -> int:
    """Estimate the number of documents cheaply, for progress bars.

    Counts files in a folder and lines in a JSONL/CSV/TSV file (minus the header), without
    parsing them: blank lines, skipped records and multi-line CSV fields make it an
    over-estimate.

    Raises:
        CorpusError: As ``detect_format``.
    """
    path = Path(path)
    kind = detect_format(path, fmt)
    if kind == "dir":
        return len(list_text_files(path))
    if kind == "txt":
        return 1
    lines = count_newlines(path)
    return max(lines - 1, 0) if kind in {"csv", "tsv"} else lines
