"""CSV and TSV corpora, streamed with the ``csv`` module (quoted fields may span lines)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from kgfuse.corpus.records import DEFAULT_LABEL_COLUMN, record_to_document
from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.errors import CorpusError
from kgfuse.types import Document


def _allow_large_fields() -> None:
    # The csv module refuses fields over 128 KiB by default; whole documents are larger.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


def iter_csv(
    path: Path,
    *,
    delimiter: str = ",",
    text_column: str = "text",
    id_column: str = "id",
    label_column: str | None = None,
    encoding: str = "utf-8",
) -> Iterator[Document]:
    """Yield one document per row of a CSV (or, with ``delimiter="\\t"``, TSV) file.

    The first row is the header. Quoting follows the usual CSV rules (``"`` quotes a field,
    ``""`` is a quote inside one) for TSV too, as pandas and spreadsheets write it.
    ``Document.source`` is ``file:line`` of the line where the row starts.

    Raises:
        CorpusError: No header, no text column (the message lists the columns found), a
            named label column is missing, a row has the wrong number of fields, or the
            file is not valid CSV or not valid ``encoding`` text.
    """
    _allow_large_fields()
    with open_text(path, encoding) as handle:
        lines = numbered_lines(handle, path, encoding)
        reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=False)
        header: list[str] | None = None
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise CorpusError(
                    f"{path}:{reader.line_num}: malformed {_kind(delimiter)} row: {exc}"
                ) from exc
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if header is None:
                where = f"{path}:{start}"
                header = _check_header(row, where, text_column, id_column, label_column, delimiter)
                continue
            if len(row) != len(header):
                raise CorpusError(
                    f"{path}:{start}: expected {len(header)} fields (as in the header), found "
                    f"{len(row)}; check the quoting of that row"
                    + (" or pass fmt='tsv'" if delimiter == "," and "\t" in row[0] else "")
                )
            yield record_to_document(
                dict(zip(header, row, strict=True)),
                where=f"{path}:{start}",
                text_column=text_column,
                id_column=id_column,
                label_column=label_column,
            )


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def _check_header(
    row: list[str],
    where: str,
    text_column: str,
    id_column: str,
    label_column: str | None,
    delimiter: str,
) -> list[str]:
    header = [name.strip() for name in row]
    found = ", ".join(repr(h) for h in header)
    if text_column not in header:
        hint = ""
        if len(header) == 1 and ("\t" in row[0] or "," in row[0]):
            hint = f" The header looks {'tab' if chr(9) in row[0] else 'comma'}-separated."
        raise CorpusError(
            f"{where}: the {_kind(delimiter)} header has no {text_column!r} column (the text "
            f"column); it has: {found}. Name the right one with --text-column." + hint
        )
    if label_column is not None and label_column not in header:
        raise CorpusError(
            f"{where}: the header has no {label_column!r} column (the label column); "
            f"it has: {found}"
        )
    for name in {text_column, id_column, label_column or DEFAULT_LABEL_COLUMN}:
        if header.count(name) > 1:
            raise CorpusError(f"{where}: the header names column {name!r} more than once")
    return header
