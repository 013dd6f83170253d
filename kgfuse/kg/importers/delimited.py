"""Delimited triple files: ``head|relation|tail`` or tab-separated lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.kg.importers.statements import ImportedStatement, build_statement, warn_skip


def iter_delimited(
    path: Path,
    *,
    separator: str = "|",
    strict: bool = False,
    encoding: str = "utf-8",
    tally: Counter[str] | None = None,
) -> Iterator[ImportedStatement]:
    """Yield the statements of a ``head|relation|tail`` (or tab-separated) file.

    Blank lines are ignored; fields are stripped of surrounding spaces.

    Args:
        path: The file (``.gz`` accepted).
        separator: Field separator, ``"|"`` or ``"\\t"``.
        strict: Raise on a malformed line instead of skipping it with a warning.
        encoding: Text encoding.
        tally: Counter that receives ``skipped`` counts.

    Raises:
        CorpusError: A line is malformed and ``strict`` is True, or the file is not valid
            ``encoding`` text.
    """
    tally = tally if tally is not None else Counter()
    shown = "tab" if separator == "\t" else repr(separator)
    with open_text(path, encoding) as handle:
        for line_no, raw in numbered_lines(handle, path, encoding):
            text = raw.rstrip("\r\n")
            if not text.strip():
                continue
            fields = text.split(separator)
            if len(fields) != 3:
                why = f"expected 3 fields (head, relation, tail) separated by {shown}"
                why += f", found {len(fields)}"
                warn_skip(tally, f"{path}:{line_no}", why, strict=strict)
                continue
            parts, offset = [], 0
            for field in fields:
                stripped = field.strip()
                parts.append((stripped, offset + (field.find(stripped) if stripped else 0)))
                offset += len(field) + len(separator)
            found = build_statement(line_no, text, parts)
            if isinstance(found, str):
                warn_skip(tally, f"{path}:{line_no}", found, strict=strict)
                continue
            yield found
