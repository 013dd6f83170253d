"""``kgfuse query entity|neighbors|path|sparql|cypher``: read the graph."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.markup import escape

from kgfuse.cli.app import app
from kgfuse.cli.options import STORE_HELP
from kgfuse.cli.output import console, err_console, print_json, print_table
from kgfuse.errors import StoreError, clip

query_app = typer.Typer(help="Look entities up, walk the graph, run read-only queries.")
app.add_typer(query_app, name="query")
_STORE = typer.Option(..., "--store", "-s", help=STORE_HELP, envvar="KGFUSE_STORE")
_JSON = typer.Option(False, "--json", help="Print JSON")
_BUDGET = typer.Option(
    10_000, "--budget", help="Adjacency rows the search may read (hubs cost their degree)"
)
_TIME_LIMIT = typer.Option(1.0, "--time-limit", help="Seconds the search may take")
_NETWORK = typer.Option(
    False,
    "--allow-network",
    help="Permit what opens a network connection or reads a URL (SPARQL SERVICE/LOAD, "
    "Cypher LOAD CSV, apoc.load.*); refused without it",
)


@query_app.command("entity")
def entity(
    name: str = typer.Argument(..., help="Entity name, alias or key"),
    store: str = _STORE,
    neighbours: int = typer.Option(10, help="How many neighbours to show"),
    sentences: int = typer.Option(10, help="How many supporting sentences to show"),
    json_output: bool = _JSON,
) -> None:
    """Show an entity card: name, types, aliases, neighbours and supporting sentences."""
    from kgfuse.kg.store import open_store

    with open_store(store, create=False) as graph:
        found = graph.resolve(name)
        card = graph.entity_card(found.key, neighbours=neighbours, sentences=sentences)
    if json_output:
        print_json(card)
        return
    e = card.entity
    console.print(f"[bold]{escape(e.name)}[/bold]  key={escape(e.key)}  type={escape(e.label)}")
    console.print(f"aliases: {escape(', '.join(e.aliases)) or '(none)'}")
    types = ", ".join(f"{t} ({n})" for t, n in card.types)
    console.print(
        f"types: {escape(types)}; {card.mention_count} mentions in {card.document_count} docs; "
        f"{card.degree} distinct edges"
    )
    print_table(
        f"Neighbours (top {len(card.neighbours)} of {card.degree} by support)",
        ["subject", "predicate", "object", "support"],
        [
            (
                e.name if edge.subject_key == e.key else other.name,
                edge.predicate,
                other.name if edge.subject_key == e.key else e.name,
                edge.support,
            )
            for edge, other in card.neighbours
        ],
    )
    print_table(
        "Supporting sentences",
        ["doc", "sent", "fact", "sentence"],
        [
            (s.doc_id, s.sentence_index, f"{s.subject_key} {s.predicate} {s.object_key}", s.text)
            for s in card.sentences
        ],
    )


@query_app.command("neighbors")
def neighbors(
    name: str = typer.Argument(..., help="Entity name, alias or key"),
    store: str = _STORE,
    hops: int = typer.Option(1, help="Maximum distance (1-5)"),
    limit: int = typer.Option(50, help="Maximum number of neighbours"),
    budget: int = _BUDGET,
    time_limit: float = _TIME_LIMIT,
    json_output: bool = _JSON,
) -> None:
    """List the entities within k hops of an entity (hubs beyond the budget not expanded)."""
    from kgfuse.kg.store import open_store
    from kgfuse.kg.stores.traversal import SearchBudget
    from kgfuse.types import Neighbour

    limits = SearchBudget(budget, time_limit)
    with open_store(store, create=False) as graph:
        found = graph.resolve(name)
        search = graph.neighbourhood(found.key, hops=hops, limit=limit, budget=limits)
        named = graph.entities(k for _, k in search.ranked)
    result = [Neighbour(named[k], d) for d, k in search.ranked if k in named]
    if search.stopped:  # one line, on standard error: the output stays the list
        err_console.print(search.stopped, markup=False, soft_wrap=True)
    if json_output:
        print_json(result)
        return
    rows = [(n.distance, n.entity.name, n.entity.key, n.entity.label) for n in result]
    print_table(f"Within {hops} hop(s) of {found.name}", ["hops", "entity", "key", "type"], rows)


@query_app.command("path")
def path(
    source: str = typer.Argument(..., help="First entity (name, alias or key)"),
    target: str = typer.Argument(..., help="Second entity"),
    store: str = _STORE,
    max_hops: int = typer.Option(4, help="Longest path to look for (1-5)"),
    budget: int = _BUDGET,
    time_limit: float = _TIME_LIMIT,
    json_output: bool = _JSON,
) -> None:
    """Show a shortest path between two entities (bidirectional search, bounded)."""
    from kgfuse.kg.store import open_store
    from kgfuse.kg.stores.traversal import SearchBudget

    with open_store(store, create=False) as graph:
        a, b = graph.resolve(source), graph.resolve(target)
        found = graph.find_path(
            a.key, b.key, max_hops=max_hops, budget=SearchBudget(budget, time_limit)
        )
    edges = found.edges
    if found.stopped:  # one line, on standard error, naming the budget
        err_console.print(found.stopped, markup=False, soft_wrap=True)
    if json_output:
        print_json(edges)
        return
    if edges is None:
        if not found.stopped:
            console.print(
                f"no path of at most {max_hops} hops between {a.name} and {b.name}", markup=False
            )
        raise typer.Exit(1)
    rows = [(e.subject_key, e.predicate, e.object_key, e.support) for e in edges]
    print_table(f"{a.name} -> {b.name}", ["subject", "predicate", "object", "support"], rows)


def parse_params(text: str | None) -> dict[str, Any] | None:
    """Read ``--params``: a JSON object of names to values (strings, numbers, booleans, lists).

    Raises:
        StoreError: The text is not JSON, not an object, or a value is an object.
    """
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as err:
        raise StoreError(
            f'--params must be a JSON object such as \'{{"name": "Paris"}}\', found '
            f"{clip(text)!r} ({err})"
        ) from err
    if not isinstance(value, dict):
        raise StoreError(
            f'--params must be a JSON object such as \'{{"name": "Paris"}}\', found a JSON '
            f"{type(value).__name__}: {clip(text)!r}"
        )
    for name, item in value.items():
        if isinstance(item, dict) or (
            isinstance(item, list) and any(isinstance(v, dict | list) for v in item)
        ):
            raise StoreError(
                f"--params value {clip(name)!r} is a nested {type(item).__name__}; expected a "
                "string, a number, a boolean or a flat list"
            )
    return value


def _raw(
    store: str,
    text: str,
    params: str | None,
    allow_write: bool,
    allow_network: bool,
    json_output: bool,
) -> None:
    from kgfuse.kg.store import open_store

    bindings = parse_params(params)
    with open_store(store, create=False) as graph:
        rows = graph.raw_query(text, bindings, allow_write=allow_write, allow_network=allow_network)
    if json_output:
        print_json(rows)
        return
    columns = list(rows[0]) if rows else []
    print_table(f"{len(rows)} row(s)", columns, [[r.get(c) for c in columns] for r in rows])


@query_app.command("sparql")
def sparql(
    text: str = typer.Argument(..., help="A SPARQL query (prefixes kg:, ent:, rel:, doc:)"),
    store: str = _STORE,
    params: str = typer.Option(None, help="JSON object of variable bindings"),
    allow_write: bool = typer.Option(False, help="Permit SPARQL updates"),
    allow_network: bool = _NETWORK,
    json_output: bool = _JSON,
) -> None:
    """Run a SPARQL query on the embedded store (read-only unless --allow-write)."""
    _raw(store, text, params, allow_write, allow_network, json_output)


@query_app.command("cypher")
def cypher(
    text: str = typer.Argument(..., help="A Cypher query"),
    store: str = _STORE,
    params: str = typer.Option(None, help="JSON object of query parameters"),
    allow_write: bool = typer.Option(False, help="Permit writing clauses"),
    allow_network: bool = _NETWORK,
    json_output: bool = _JSON,
) -> None:
    """Run a Cypher query on Neo4j or FalkorDB (read-only unless --allow-write)."""
    _raw(store, text, params, allow_write, allow_network, json_output)
