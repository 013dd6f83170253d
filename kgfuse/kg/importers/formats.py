"""Which import format a file is: the format asked for, else its name, else its first line."""

from __future__ import annotations

from pathlib import Path

from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.errors import CorpusError

#: Accepted values of ``fmt``.
IMPORT_FORMATS = ("pipe", "tsv", "ntriples", "turtle")
_SUFFIXES = {".nt": "ntriples", ".ttl": "turtle", ".tsv": "tsv", ".psv": "pipe"}


def detect_import_format(
    path: str | Path, fmt: str | None = None, *, encoding: str = "utf-8"
) -> str:
    """Return the import format of a file: ``fmt`` when given, else from its name or first line.

    ``.nt`` is N-Triples, ``.ttl`` Turtle, ``.tsv`` tab-separated; any other file is
    tab-separated when its first non-blank line has two or more tabs, and
    ``head|relation|tail`` when it has a ``|``.

    Raises:
        CorpusError: The file is missing, ``fmt`` is unknown, or the format cannot be told.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(
            f"import file {str(path)!r} does not exist or is not a file; expected a "
            "head|relation|tail, .tsv, .nt or .ttl file"
        )
    if fmt is not None:
        if fmt not in IMPORT_FORMATS:
            raise CorpusError(f"unknown import format {fmt!r}; expected one of {IMPORT_FORMATS}")
        return fmt
    suffix = Path(path.name.lower().removesuffix(".gz")).suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    with open_text(path, encoding) as handle:
        first = next(
            (line for _, line in numbered_lines(handle, path, encoding) if line.strip()), ""
        )
    # Sniff loosely: a first line with the wrong number of fields is reported by the reader.
    if first.count("\t") >= 2:
        return "tsv"
    if "|" in first:
        return "pipe"
    raise CorpusError(
        f"cannot tell the format of {str(path)!r}: its first line {first.strip()[:80]!r} is "
        f"neither head|relation|tail nor tab-separated; pass fmt= one of {IMPORT_FORMATS}"
    )
