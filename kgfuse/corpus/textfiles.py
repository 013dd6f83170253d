"""Plain-text corpora: one document per ``.txt``/``.md`` file, alone or in a folder tree."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from kgfuse.corpus.textio import read_whole_text
from kgfuse.errors import CorpusError
from kgfuse.types import Document

logger = logging.getLogger(__name__)

#: File name endings read as one document each (a ``.gz`` of them is read too).
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def is_text_file(name: str) -> bool:
    """Return True if a file name ends with a text suffix (optionally followed by ``.gz``)."""
    lowered = name.lower().removesuffix(".gz")
    return lowered.endswith(TEXT_SUFFIXES)


def list_text_files(root: Path) -> list[Path]:
    """Return the text files under ``root``, recursively, sorted by relative path.

    Hidden files and folders (names starting with ``.``) are skipped; symbolic links to
    folders are not followed (they could loop).
    """
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or not is_text_file(name):
                continue
            path = Path(folder, name)
            found.append((path.relative_to(root).as_posix(), path))
    found.sort()
    return [path for _, path in found]


def read_text_file(path: Path, *, encoding: str = "utf-8", doc_id: str | None = None) -> Document:
    """Read one text file as one document.

    Args:
        path: The file.
        encoding: Its text encoding.
        doc_id: Document id; the file name when not given.

    Raises:
        CorpusError: The file is binary, not valid ``encoding`` text, or unreadable.
    """
    text = read_whole_text(path, encoding)
    return Document(id=doc_id or path.name, text=text, source=str(path))


def iter_text_folder(
    root: Path, *, strict: bool = False, encoding: str = "utf-8"
) -> Iterator[Document]:
    """Yield one document per text file under ``root`` (id = path relative to ``root``).

    Args:
        root: The folder.
        strict: Raise on a binary or undecodable file instead of skipping it with a warning.
        encoding: The files' text encoding.

    Raises:
        CorpusError: A file is binary or undecodable and ``strict`` is True.
    """
    for path in list_text_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            yield read_text_file(path, encoding=encoding, doc_id=rel)
        except CorpusError as exc:
            if strict:
                raise
            logger.warning("skipping %s: %s", path, exc)
