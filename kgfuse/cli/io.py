"""``kgfuse import`` and ``kgfuse export``: existing triples in, graph files out."""

from __future__ import annotations

from pathlib import Path

import typer
from tqdm.auto import tqdm

from kgfuse.cli.app import app
from kgfuse.cli.options import STORE_HELP
from kgfuse.cli.output import print_json, print_table

_STORE = typer.Option(..., "--store", "-s", help=STORE_HELP, envvar="KGFUSE_STORE")


@app.command("import")
def import_command(
    path: Path = typer.Argument(..., help="head|relation|tail or TSV triples, .nt or .ttl"),
    store: str = _STORE,
    fmt: str = typer.Option(None, "--format", help="pipe, tsv, ntriples or turtle"),
    label: str = typer.Option("IMPORTED", help="Type given to imported entities"),
    literals: str = typer.Option("skip", help="RDF literal objects: skip, or entity"),
    chunk_size: int = typer.Option(
        None, help="Lines per atomic chunk (default 50000 embedded, 10000 Cypher, 5000 --no-bulk)"
    ),
    bulk: bool = typer.Option(
        None,
        "--bulk/--no-bulk",
        help="Compact bulk path (default where the store has one) or one document per chunk",
    ),
    strict: bool = typer.Option(False, help="Fail on a malformed line instead of skipping it"),
    merge_names: bool = typer.Option(
        False, help="One entity for names differing only by case, article or punctuation"
    ),
    progress: bool = typer.Option(True, help="Show a progress bar"),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Import existing triples into a graph (idempotent: re-importing changes nothing).

    Each chunk is written atomically with its marker: an import killed mid-way resumes
    when run again. The bulk path keeps compact provenance (source file, format, line).
    """
    from kgfuse.corpus.textio import count_newlines
    from kgfuse.kg.importers import import_triples
    from kgfuse.kg.store import open_store
    from kgfuse.kg.stores.rdf.folder import new_store_cleanup

    total = count_newlines(path) if path.is_file() else None
    with (
        tqdm(total=total, unit="line", desc="import", disable=not progress) as bar,
        new_store_cleanup(store),  # a failure before the first write leaves no new store
        open_store(store) as graph,
    ):
        result = import_triples(
            graph,
            path,
            fmt=fmt,
            label=label,
            literals=literals,
            chunk_size=chunk_size,
            strict=strict,
            progress=bar.update,
            merge_names=merge_names,
            bulk=bulk,
        )
    if json_output:
        print_json(result)
    else:
        rows = [(k, v) for k, v in print_ready(result).items()]
        print_table(f"Imported {path} into {store}", ["", "count"], rows)


@app.command("export")
def export_command(
    path: Path = typer.Argument(..., help="Output file (a folder for neo4j-csv)"),
    store: str = _STORE,
    fmt: str = typer.Option(..., "--format", help="turtle, nquads, jsonld, graphml, neo4j-csv"),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Export a graph to RDF (Turtle, N-Quads, JSON-LD), GraphML or Neo4j import CSVs."""
    from kgfuse.kg.exporters import export_graph
    from kgfuse.kg.store import open_store

    with open_store(store, create=False) as graph:
        result = export_graph(graph, path, fmt)
    if json_output:
        print_json(result)
    else:
        rows = [(k, v) for k, v in print_ready(result).items()]
        print_table(f"Exported {store} as {fmt}", ["", "value"], rows)


def print_ready(result: object) -> dict[str, object]:
    """A result dataclass as a flat dict of printable values."""
    from kgfuse.cli.output import to_plain

    plain = to_plain(result)
    return {k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in plain.items()}
