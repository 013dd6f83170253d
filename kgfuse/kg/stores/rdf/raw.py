"""Users' own SPARQL on the embedded store: the read-only guard and plain-Python results."""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from kgfuse.errors import ReadOnlyQueryError, StoreError
from kgfuse.kg import rdf_schema as rs

_UPDATE_WORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def run_raw_query(
    store: ox.Store, query: str, params: dict[str, Any], *, allow_write: bool
) -> list[dict[str, Any]]:
    """Run a SPARQL query or update with kgfuse's prefixes, all graphs as the default graph.

    Args:
        store: The Oxigraph store.
        query: SPARQL query, or update when ``allow_write``.
        params: Initial variable bindings (plain values become literals).
        allow_write: Permit SPARQL updates.

    Returns:
        ``[{"ask": bool}]``, ``{subject, predicate, object}`` rows for a graph result, or
        one ``{variable: value}`` row per solution; ``[]`` for an update.

    Raises:
        ReadOnlyQueryError: The query is an update and ``allow_write`` is False.
        StoreError: The query is not valid SPARQL.
    """
    if _UPDATE_WORDS.match(query):
        if not allow_write:
            raise ReadOnlyQueryError(
                "this SPARQL update would change the graph; raw queries are read-only "
                "unless you pass --allow-write (allow_write=True)"
            )
        store.update(query, prefixes=rs.PREFIXES)
        return []
    subs = {ox.Variable(k): _to_term(v) for k, v in params.items()}
    try:
        result = store.query(
            query, prefixes=rs.PREFIXES, use_default_graph_as_union=True, substitutions=subs
        )
    except SyntaxError as err:
        raise StoreError(f"invalid SPARQL query: {err}") from err
    if isinstance(result, ox.QueryBoolean):
        return [{"ask": bool(result)}]
    if isinstance(result, ox.QueryTriples):
        return [
            {"subject": _py(t.subject), "predicate": _py(t.predicate), "object": _py(t.object)}
            for t in result
        ]
    names = [v.value for v in result.variables]
    return [{n: _py(row[n]) for n in names} for row in result]


def _to_term(value: Any) -> ox.Literal | ox.NamedNode:
    if isinstance(value, ox.Literal | ox.NamedNode):
        return value
    return ox.Literal(value)


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype in {"integer", "int", "long"}:
            return int(term.value)
        if datatype in {"decimal", "double", "float"}:
            return float(term.value)
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    return getattr(term, "value", str(term))
