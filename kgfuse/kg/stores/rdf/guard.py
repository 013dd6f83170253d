"""The network guard of raw SPARQL: refuse ``SERVICE`` and ``LOAD`` before the query runs.

Oxigraph executes ``SERVICE <http://…>`` by sending an HTTP request, and ``LOAD <url>`` by
downloading a document, so a "read-only" query could reach any address the machine can
(server-side request forgery). Both are refused unless the caller allows the network.

The check reads the query's tokens outside string literals, IRIs and comments, so a
``SERVICE`` inside a string or an IRI does not count, while one anywhere else does, in any
case, whatever precedes it.
"""

from __future__ import annotations

import re

from kgfuse.errors import NetworkQueryError, StoreError

#: Keywords that make Oxigraph open a network connection.
NETWORK_KEYWORDS = frozenset({"SERVICE", "LOAD"})
#: Keywords that start a SPARQL update (after any PREFIX/BASE declarations).
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

# An IRI reference: no spaces or <>"{}|^`\ inside (SPARQL 1.1 IRIREF).
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_LONG_QUOTES = ('"""', "'''")


def sparql_tokens(query: str) -> list[str]:
    """Split SPARQL into upper-cased words and punctuation, outside literals, IRIs, comments.

    Strings become ``<str>``, IRIs ``<iri>``, variables ``?`` / ``$`` followed by their name
    (lower case, so no variable reads as a keyword); prefixed names keep their ``:``.

    Raises:
        StoreError: A string literal is not closed, so the query's structure is unclear.
    """
    tokens: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"":
            quote = query[i : i + 3] if query.startswith(_LONG_QUOTES, i) else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            if j >= n:
                raise StoreError(f"invalid SPARQL query: unclosed string at offset {i}")
            tokens.append("<str>")
            i = j + len(quote)
        elif c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "<" and (iri := _IRI.match(query, i)):
            tokens.append("<iri>")
            i = iri.end()
        elif c in "?$":
            word = _WORD.match(query, i + 1)
            end = word.end() if word else i + 1
            tokens.append(c + query[i + 1 : end].lower())
            i = end
        elif c.isalpha() or c == "_":
            word = _WORD.match(query, i)
            end = word.end() if word else i + 1
            tokens.append(query[i:end].upper())
            i = end
        else:
            if not c.isspace():
                tokens.append(c)
            i += 1
    return tokens


def network_clause(tokens: list[str]) -> str | None:
    """Return the first keyword among ``tokens`` that reaches the network, or None.

    A word next to ``:`` is part of a prefixed name (``ex:service``), not a keyword.
    """
    for i, tok in enumerate(tokens):
        if tok not in NETWORK_KEYWORDS:
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if ":" in (before, after):
            continue
        return tok
    return None


def is_update(tokens: list[str]) -> bool:
    """Whether the tokens are a SPARQL update (its first keyword after the prologue)."""
    i = 0
    while i < len(tokens) and tokens[i] in {"PREFIX", "BASE"}:
        # PREFIX name: <iri>  |  PREFIX : <iri>  |  BASE <iri>
        i += 1
        while i < len(tokens) and tokens[i] != "<iri>":
            i += 1
        i += 1
    return i < len(tokens) and tokens[i] in UPDATE_KEYWORDS


def check_network(query: str, *, allow_network: bool) -> list[str]:
    """Refuse a SPARQL query or update that would open a network connection.

    Args:
        query: The SPARQL text.
        allow_network: Let ``SERVICE`` and ``LOAD`` through.

    Returns:
        The query's tokens (for :func:`is_update`).

    Raises:
        NetworkQueryError: The query holds ``SERVICE`` or ``LOAD`` and the network is not
            allowed.
        StoreError: A string literal is not closed.
    """
    tokens = sparql_tokens(query)
    clause = network_clause(tokens)
    if clause is not None and not allow_network:
        raise NetworkQueryError(
            f"this SPARQL query contains {clause}, which makes the store open a network "
            "connection; raw queries never reach the network unless you pass --allow-network "
            "(allow_network=True)"
        )
    return tokens
