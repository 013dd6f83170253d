"""The read-only guard of raw Cypher: refuse a query that could write, before it is sent.

Conservative by design: it reads the query's tokens (outside literals and comments) and
refuses any write clause and any procedure not known to be read-only.
"""

from __future__ import annotations

from kgfuse.errors import NetworkQueryError, ReadOnlyQueryError

#: Clause keywords that change the graph, the schema or the server.
WRITE_KEYWORDS = frozenset(
    {
        "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH",
        "GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "TERMINATE", "DEALLOCATE", "REALLOCATE",
    }
)  # fmt: skip
#: Procedures a read-only raw query may CALL (lower case); every other procedure is refused.
READ_PROCEDURES = frozenset(
    {
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
        "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
        "dbms.components", "db.idx.fulltext.querynodes", "db.idx.fulltext.queryrelationships",
        "db.idx.vector.querynodes", "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships", "db.index.vector.querynodes",
    }
)  # fmt: skip


#: Procedure namespaces (lower case) that read URLs, files or other servers: refused unless
#: the network is allowed, even when writes are (APOC's loaders, importers and connectors).
NETWORK_NAMESPACES = (
    "apoc.load", "apoc.import", "apoc.export", "apoc.bolt", "apoc.es", "apoc.mongo",
    "apoc.mongodb", "apoc.couchbase", "apoc.redis", "apoc.gephi", "apoc.cypher.runfile",
    "apoc.cypher.runfiles", "apoc.systemdb",
)  # fmt: skip


def cypher_tokens(query: str) -> list[str]:
    """Split Cypher into upper-cased words and punctuation, outside literals and comments.

    String literals become ``<str>``, backtick-quoted names ``<id>``, numbers ``<num>``;
    comments vanish.

    Raises:
        ReadOnlyQueryError: A string, quoted name or block comment is not closed, so the
            query's structure cannot be read with confidence.
    """
    tokens: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"`":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" and c != "`" else 1
            if j >= n:
                raise ReadOnlyQueryError(f"cannot check the query: unclosed {c} at offset {i}")
            tokens.append("<id>" if c == "`" else "<str>")
            i = j + 1
        elif query.startswith("//", i):
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            if j < 0:
                raise ReadOnlyQueryError(f"cannot check the query: unclosed /* at offset {i}")
            i = j + 2
        elif c.isalnum() or c == "_":
            j = i + 1
            while j < n and (
                query[j].isalnum() or query[j] == "_" or (c.isdigit() and query[j] == ".")
            ):
                j += 1
            tokens.append("<num>" if c.isdigit() else query[i:j].upper())
            i = j
        else:
            if not c.isspace():
                tokens.append(c)
            i += 1
    return tokens


def write_clause(query: str) -> str | None:
    """Return the first clause of ``query`` that could write, or None for a read-only query.

    Conservative: any write keyword used as a clause, any procedure outside
    :data:`READ_PROCEDURES`, ``START/STOP DATABASE``. Words after ``.``, ``$`` or ``:``
    (property keys, parameters, labels) and text inside literals or comments do not count.
    """
    tokens = cypher_tokens(query)
    for i, tok in enumerate(tokens):
        if i and tokens[i - 1] in {".", "$", ":"}:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in WRITE_KEYWORDS or (tok in {"START", "STOP"} and nxt == "DATABASE"):
            return tok
        if tok == "CALL" and nxt not in {"{", "("}:
            parts, j = [], i + 1
            while j < len(tokens) and tokens[j][:1].isalpha():
                parts.append(tokens[j].lower())
                if j + 1 < len(tokens) and tokens[j + 1] == ".":
                    j += 2
                else:
                    break
            name = ".".join(parts)
            if name not in READ_PROCEDURES:
                return f"CALL {name or nxt}".strip()
    return None


def check_read_only(query: str) -> None:
    """Refuse a Cypher query that could write.

    Raises:
        ReadOnlyQueryError: :func:`write_clause` found a write clause or procedure.
    """
    clause = write_clause(query)
    if clause is not None:
        raise ReadOnlyQueryError(
            f"this Cypher query contains {clause}, which can change the graph; raw queries are "
            "read-only unless you pass --allow-write (allow_write=True)"
        )


def network_clause(query: str) -> str | None:
    """Return the first part of ``query`` that reads a URL or another server, or None.

    ``LOAD`` used as a clause (``LOAD CSV FROM 'http://…'``) and any procedure or function
    in :data:`NETWORK_NAMESPACES` count; text inside literals or comments does not.

    Raises:
        ReadOnlyQueryError: A literal or comment is not closed (see :func:`cypher_tokens`).
    """
    tokens = cypher_tokens(query)
    for i, tok in enumerate(tokens):
        if i and tokens[i - 1] in {".", "$", ":"}:
            continue
        if tok == "LOAD":
            return "LOAD " + (tokens[i + 1] if i + 1 < len(tokens) else "")
        if tok[:1].isalpha():
            parts, j = [tok.lower()], i
            while j + 2 < len(tokens) and tokens[j + 1] == "." and tokens[j + 2][:1].isalpha():
                parts.append(tokens[j + 2].lower())
                j += 2
            name = ".".join(parts)
            if any(name == ns or name.startswith(ns + ".") for ns in NETWORK_NAMESPACES):
                return name
    return None


def check_no_network(query: str) -> None:
    """Refuse a Cypher query that would make the database read a URL or another server.

    Raises:
        NetworkQueryError: :func:`network_clause` found ``LOAD CSV`` or such a procedure.
        ReadOnlyQueryError: The query cannot be tokenised (an unclosed literal).
    """
    clause = network_clause(query)
    if clause is not None:
        raise NetworkQueryError(
            f"this Cypher query contains {clause.strip()}, which makes the database read a URL "
            "or another server; raw queries never reach the network unless you pass "
            "--allow-network (allow_network=True)"
        )
