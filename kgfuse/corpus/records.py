"""Record corpora: JSON Lines and CSV/TSV, one document per record, streamed.

A record's fields map onto ``Document``: the text column, the id column (a content-hash id
when it is missing or empty), an optional label column (a string, or a list for multi-label
corpora), and every other field kept as metadata.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.errors import CorpusError
from kgfuse.types import Document, content_hash

#: The label column used when none is named and the records have one.
DEFAULT_LABEL_COLUMN = "label"


def derived_id(text: str) -> str:
    """Return the id of a document that the corpus gives no id for."""
    return "sha256:" + content_hash(text)


def _id_value(value: Any, where: str, column: str) -> str | None:
    if value is None or isinstance(value, str):
        return value.strip() if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise CorpusError(
        f"{where}: field {column!r} (the document id) must be a string or a number, "
        f"found {type(value).__name__}"
    )


def _label_value(value: Any, where: str, column: str) -> str | tuple[str, ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise CorpusError(
        f"{where}: field {column!r} (the label) must be a string, a number or a list of "
        f"them, found {type(value).__name__}"
    )


def record_to_document(
    record: Mapping[str, Any],
    *,
    where: str,
    text_column: str,
    id_column: str,
    label_column: str | None,
) -> Document:
    """Turn one corpus record into a ``Document``.

    Args:
        record: Field name -> value.
        where: ``file:line``, used as ``Document.source`` and in messages.
        text_column: Field holding the text.
        id_column: Field holding the document id (optional in the record).
        label_column: Field holding the label; None uses ``label`` when present.

    Raises:
        CorpusError: The text field is missing or not a string, or the id/label has a type
            that cannot be used.
    """
    if text_column not in record:
        fields = ", ".join(repr(k) for k in record) or "none"
        raise CorpusError(
            f"{where}: the record has no {text_column!r} field (the text column); it has: "
            f"{fields}. Name the right one with --text-column (text_column=...)."
        )
    text = record[text_column]
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise CorpusError(
            f"{where}: field {text_column!r} (the text) must be a string, "
            f"found {type(text).__name__}: {str(text)[:60]!r}"
        )
    label_col = label_column or DEFAULT_LABEL_COLUMN
    doc_id = _id_value(record.get(id_column), where, id_column) or derived_id(text)
    label = _label_value(record.get(label_col), where, label_col)
    skip = {text_column, id_column, label_col}
    metadata = {k: v for k, v in record.items() if k not in skip}
    return Document(id=doc_id, text=text, label=label, metadata=metadata, source=where)


def iter_jsonl(
    path: Path,
    *,
    text_column: str = "text",
    id_column: str = "id",
    label_column: str | None = None,
    encoding: str = "utf-8",
) -> Iterator[Document]:
    """Yield one document per line of a JSON Lines file (blank lines are ignored).

    Raises:
        CorpusError: A line is not valid JSON or not a JSON object (the message names the
            file, the line and the parser's complaint), or a record is unusable.
    """
    checked_label = label_column is None
    with open_text(path, encoding) as handle:
        for line_no, line in numbered_lines(handle, path, encoding):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(
                    f"{where}: malformed JSON at column {exc.colno}: {exc.msg}; expected one "
                    f"JSON object per line, found {line.strip()[:80]!r}"
                ) from exc
            if not isinstance(record, dict):
                raise CorpusError(
                    f"{where}: expected a JSON object ({{...}}) per line, "
                    f"found a JSON {type(record).__name__}"
                )
            if not checked_label and label_column not in record:
                raise CorpusError(
                    f"{where}: the first record has no {label_column!r} field (the label "
                    f"column); it has: {', '.join(map(repr, record))}"
                )
            checked_label = True
            yield record_to_document(
                record,
                where=where,
                text_column=text_column,
                id_column=id_column,
                label_column=label_column,
            )
