"""Users' own SPARQL on the embedded store: the read-only guard and plain-Python results."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgfuse.errors import KgfuseError, ReadOnlyQueryError, StoreError, brief
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.stores.rdf.guard import check_network, is_update


def run_raw_query(
    store: ox.Store,
    query: str,
    params: dict[str, Any],
    *,
    allow_write: bool,
    allow_network: bool = False,
) -> list[dict[str, Any]]:
    """Run a SPARQL query or update with kgfuse's prefixes, all graphs as the default graph.

    Args:
        store: The Oxigraph store.
        query: SPARQL query, or update when ``allow_write``.
        params: Initial variable bindings (plain values become literals).
        allow_write: Permit SPARQL updates.
        allow_network: Permit ``SERVICE`` and ``LOAD``, which open network connections.

    Returns:
        ``[{"ask": bool}]``, ``{subject, predicate, object}`` rows for a graph result, or
        one ``{variable: value}`` row per solution; ``[]`` for an update.

    Raises:
        ReadOnlyQueryError: The query is an update and ``allow_write`` is False.
        NetworkQueryError: The query would reach the network and ``allow_network`` is False.
        StoreError: The query is not valid SPARQL, a parameter cannot be bound, or running
            it failed.
    """
    tokens = check_network(query, allow_network=allow_network)
    if is_update(tokens):
        if not allow_write:
            raise ReadOnlyQueryError(
                "this SPARQL update would change the graph; raw queries are read-only "
                "unless you pass --allow-write (allow_write=True)"
            )
        try:
            store.update(query, prefixes=rs.PREFIXES)
        except SyntaxError as err:
            raise StoreError(f"invalid SPARQL update: {brief(err)}") from err
        except (OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"the SPARQL update failed: {brief(err)}") from err
        return []
    try:
        subs = {ox.Variable(k): _to_term(k, v) for k, v in params.items()}
        result = store.query(
            query, prefixes=rs.PREFIXES, use_default_graph_as_union=True, substitutions=subs
        )
        if isinstance(result, ox.QueryBoolean):
            return [{"ask": bool(result)}]
        if isinstance(result, ox.QueryTriples):
            return [
                {"subject": _py(t.subject), "predicate": _py(t.predicate), "object": _py(t.object)}
                for t in result
            ]
        names = [v.value for v in result.variables]
        return [{n: _py(row[n]) for n in names} for row in result]
    except SyntaxError as err:
        raise StoreError(f"invalid SPARQL query: {brief(err)}") from err
    except KgfuseError:
        raise
    except (OSError, RuntimeError, ValueError, TypeError) as err:
        # Evaluation errors (a failed SERVICE call when allowed, a bad substitution).
        raise StoreError(f"the SPARQL query failed: {brief(err)}") from err


def _to_term(name: str, value: Any) -> ox.Literal | ox.NamedNode:
    if isinstance(value, ox.Literal | ox.NamedNode):
        return value
    if isinstance(value, bool | int | float | str):
        return ox.Literal(value)
    raise StoreError(
        f"cannot bind ?{name[:60]} to a {type(value).__name__}: SPARQL parameters must be "
        "strings, numbers or booleans"
    )


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
