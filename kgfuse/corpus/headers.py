"""Drop e-mail/news headers and quoted reply blocks from documents (``--strip-headers``).

On 20 Newsgroups the header lines became the most linked "entities" (``subject``,
``nntp_posting_host``, ``organization``); quoted replies repeat another message's words under
this message's label. What is removed:

- the header block: the leading lines of the form ``Name: value`` (RFC 822 field names,
  continuation lines starting with a space or tab) up to the first blank line, when the
  first line is such a field and the block holds ``From``, ``Subject`` or ``Newsgroups``;
- quoted lines (starting with ``>``, ``|>`` or ``:``-less ``> >``) and the attribution line
  just before them ("In article <...> x@y (Name) writes:", "Name wrote:").

The document keeps its id and label; its metadata records ``strip_headers: true`` (with the
number of removed lines), so a graph built from it says how its text was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from kgfuse.types import Document

_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:(?:\s|$)")
_KEY_FIELDS = frozenset({"from", "subject", "newsgroups"})
_QUOTED = re.compile(r"^\s*(?:[>|]\s*)+")
_ATTRIBUTION = re.compile(r"(?:^in article\b.*|.*\b(?:writes|wrote|said)\s*:\s*$)", re.IGNORECASE)
#: Metadata key recording the option.
METADATA_KEY = "strip_headers"


def strip_headers(text: str) -> tuple[str, int]:
    """Remove the header block and quoted reply lines of one message.

    Args:
        text: The raw message.

    Returns:
        The text without them, and the number of lines removed.
    """
    lines = text.split("\n")
    start = _header_end(lines)
    kept = [
        line
        for line in lines[start:]
        if not _QUOTED.match(line) and not _ATTRIBUTION.match(line.strip())
    ]
    return "\n".join(kept).strip("\n"), len(lines) - len(kept)


def _header_end(lines: list[str]) -> int:
    """Index of the first line after the header block (0 when there is none)."""
    if not lines or not _FIELD.match(lines[0]):
        return 0
    names: set[str] = set()
    for index, line in enumerate(lines):
        if not line.strip():
            return index + 1 if names & _KEY_FIELDS else 0
        if _FIELD.match(line):
            names.add(line.split(":", 1)[0].lower())
        elif not line[:1].isspace():  # neither a field nor a continuation: no header
            return 0
    return len(lines) if names & _KEY_FIELDS else 0


def strip_document_headers(documents: Iterable[Document]) -> Iterator[Document]:
    """Yield the documents with headers and quoted replies removed, marked in metadata.

    Args:
        documents: Any documents (a message without a header block keeps its text, minus
            quoted lines).

    Returns:
        Documents with the same id, label and source; ``metadata["strip_headers"]`` is True
        and ``metadata["stripped_lines"]`` counts the lines removed.
    """
    for document in documents:
        text, removed = strip_headers(document.text)
        metadata = {**document.metadata, METADATA_KEY: True, "stripped_lines": removed}
        yield replace(document, text=text, metadata=metadata)
