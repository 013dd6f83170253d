"""The one rule for document ids and stored text, checked before any backend sees them.

Ids are never cleaned: an id names a document in the user's corpus, so changing it silently
would break the link back to the source. An id is refused instead, by the reader (with the
file and line) and again by ``GraphStore.write`` (for documents built in Python), when it

* is empty, or longer than :data:`MAX_ID_CHARS` characters;
* holds a control character (``\\x00``-``\\x1f``, ``\\x7f``-``\\x9f``: NUL, newline, tab...),
  which FalkorDB cannot carry and which break every line-based export;
* holds a lone UTF-16 surrogate (``\\ud800``-``\\udfff``), which is not text: it cannot be
  encoded as UTF-8, so no store and no file can hold it.

Everything else is data, on every backend: quotes, backticks, braces, Cypher or SPARQL
fragments, right-to-left and zero-width characters, emoji.

Stored text (sentences, surface forms, keys, predicates) follows the weaker rule of
:func:`text_problem`: no NUL and no lone surrogate (the extractor's cleaning removes both from
documents; importers skip lines holding them).
"""

from __future__ import annotations

import re

from kgfuse.errors import clip

#: Longest accepted document id, in characters.
MAX_ID_CHARS = 1024

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Return why ``text`` cannot be stored (a NUL or a lone surrogate), or None."""
    if "\x00" in text:
        return f"holds a NUL character at offset {text.index(chr(0))}"
    if not text.isascii() and (found := _SURROGATE.search(text)):
        return (
            f"holds a lone surrogate {found.group()!r} at offset {found.start()}, which is not text"
        )
    return None


def id_problem(doc_id: object) -> str | None:
    """Return why ``doc_id`` is not a valid document id, or None when it is.

    Args:
        doc_id: The candidate id.

    Returns:
        A sentence fragment ("is empty", "holds a NUL character at offset 3", ...).
    """
    if not isinstance(doc_id, str):
        return f"is a {type(doc_id).__name__}, not a string"
    if not doc_id.strip():
        return "is empty"
    if len(doc_id) > MAX_ID_CHARS:
        return f"is {len(doc_id)} characters long; at most {MAX_ID_CHARS} are accepted"
    if problem := text_problem(doc_id):
        return problem
    if found := _CONTROL.search(doc_id):
        return f"holds the control character {found.group()!r} at offset {found.start()}"
    return None


def id_error_message(doc_id: object, problem: str, where: str | None = None) -> str:
    """The one-line message for an id that breaks the rule (the id shown cut short)."""
    prefix = f"{where}: " if where else ""
    return (
        f"{prefix}document id {clip(repr(doc_id), 80)} {problem}; expected a non-empty id of at "
        f"most {MAX_ID_CHARS} characters without control characters or lone surrogates "
        "(ids are never cleaned: fix the id column, or drop it to derive ids from the text)"
    )
