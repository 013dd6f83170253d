"""Low-level file access shared by the corpus readers: numbered, strictly decoded lines.

Files are opened in text mode with ``surrogateescape`` so that an undecodable byte does not
abort the stream with a message that has no line number; each line is checked instead and
the error names the file and the line. A UTF-8 byte-order mark is dropped, and ``.gz`` files
are decompressed on the fly.
"""

from __future__ import annotations

import codecs
import gzip
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kgfuse.errors import CorpusError

# Bytes that failed to decode come back as these lone surrogates under "surrogateescape".
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def text_encoding(encoding: str) -> str:
    """Return the codec to open files with: UTF-8 also accepts (and drops) a byte-order mark.

    Raises:
        CorpusError: The encoding is unknown to Python.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise CorpusError(
            f"unknown text encoding {encoding!r}; expected a Python codec name such as "
            "'utf-8' or 'latin-1'"
        ) from exc
    return "utf-8-sig" if name == "utf-8" else name


@contextmanager
def open_text(path: Path, encoding: str) -> Iterator[IO[str]]:
    """Open a (possibly gzipped) text file for reading, keeping line endings as they are."""
    options = {"encoding": text_encoding(encoding), "errors": "surrogateescape", "newline": ""}
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        handle: IO[str] = opener(path, "rt", **options)  # type: ignore[call-overload]
    except OSError as exc:
        raise CorpusError(f"{path}: cannot open the file: {exc}") from exc
    with handle:
        yield handle


def undecodable_error(path: Path, line_no: int, encoding: str) -> CorpusError:
    """Build the error for a line that holds bytes that are not valid in ``encoding``."""
    return CorpusError(
        f"{path}:{line_no}: the line holds bytes that are not valid {encoding}; "
        f"expected {encoding} text. Convert the file (e.g. `iconv -f latin1 -t utf-8`) "
        "or pass the right encoding."
    )


def numbered_lines(handle: IO[str], path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number from 1, line with its ending)``; raise on undecodable bytes.

    Raises:
        CorpusError: A line holds bytes that are not valid in ``encoding``, or the file is
            not readable (a truncated gzip stream, an I/O error).
    """
    line_no = 0
    try:
        for line_no, line in enumerate(handle, start=1):
            if _UNDECODABLE.search(line):
                raise undecodable_error(path, line_no, encoding)
            yield line_no, line
    except (OSError, EOFError) as exc:
        raise CorpusError(f"{path}:{line_no + 1}: cannot read the file: {exc}") from exc


def read_whole_text(path: Path, encoding: str) -> str:
    """Read a whole (possibly gzipped) text file strictly: a document is one file.

    Raises:
        CorpusError: The file looks binary, is not valid ``encoding`` text, or is unreadable.
    """
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                data = handle.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError) as exc:
        raise CorpusError(f"{path}: cannot read the file: {exc}") from exc
    if b"\x00" in data[:8192] and not encoding.lower().replace("_", "-").startswith("utf-16"):
        raise CorpusError(
            f"{path}: looks like a binary file (it holds NUL bytes); expected {encoding} text"
        )
    try:
        return data.decode(text_encoding(encoding))
    except UnicodeDecodeError as exc:
        line_no = data[: exc.start].count(b"\n") + 1
        raise undecodable_error(path, line_no, encoding) from exc


def count_newlines(path: Path) -> int:
    """Count the lines of a (possibly gzipped) file quickly, in binary chunks."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    total = 0
    last = b"\n"
    with opener(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            total += chunk.count(b"\n")
            last = chunk[-1:]
    return total + (last != b"\n")
