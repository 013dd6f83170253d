"""``kgfuse build``, ``kgfuse delete`` and ``kgfuse stats``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import typer

from kgfuse.cli.app import app
from kgfuse.cli.options import STORE_HELP
from kgfuse.cli.output import console, print_json, print_table
from kgfuse.errors import clip

_STORE = typer.Option(..., "--store", "-s", help=STORE_HELP, envvar="KGFUSE_STORE")


@app.command()
def build(
    corpus: Path = typer.Argument(..., help="Folder of .txt/.md files, or a .jsonl/.csv/.tsv"),
    store: str = _STORE,
    model: str = typer.Option(None, help="spaCy pipeline name or path (default en_core_web_sm)"),
    fmt: str = typer.Option(None, "--format", help="dir, txt, jsonl, csv or tsv (default: guess)"),
    text_column: str = typer.Option("text", help="Field or column holding the text"),
    id_column: str = typer.Option("id", help="Field or column holding the document id"),
    label_column: str = typer.Option(None, help="Field or column holding the label"),
    cooccurrence: bool = typer.Option(False, help="Also add sentence co-occurrence edges"),
    batch_size: int = typer.Option(64, help="Documents per atomic write"),
    strict: bool = typer.Option(False, help="Fail on unreadable files instead of skipping them"),
    strip_headers: bool = typer.Option(
        False, help="Drop e-mail/news headers and quoted replies (20 Newsgroups)"
    ),
    schema: Path = typer.Option(
        None, help="TOML file mapping predicates to relations with allowed types"
    ),
    progress: bool = typer.Option(True, help="Show a progress bar"),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    workers: int = typer.Option(None, help="Extract on a local Dask cluster of N processes"),
    scheduler: str = typer.Option(
        None, help="Extract on a running Dask cluster at this address (tcp://host:8786)"
    ),
) -> None:
    """Extract a corpus into a knowledge graph (idempotent and resumable)."""
    from kgfuse.build import build_graph
    from kgfuse.distributed.choose import open_extractor
    from kgfuse.kg.store import open_store
    from kgfuse.kg.stores.rdf.folder import new_store_cleanup

    logging.getLogger("kgfuse").setLevel(logging.INFO)
    relation_schema = None
    if schema is not None:  # checked before the spaCy model loads
        from kgfuse.kg.schema import load_schema

        relation_schema = load_schema(schema)
    # A build that fails before its first write leaves no new store folder behind.
    reader = {
        "fmt": fmt,
        "text_column": text_column,
        "id_column": id_column,
        "label_column": label_column,
        "strict": strict,
    }
    source: Any = corpus
    if strip_headers:
        from kgfuse.corpus import read_corpus
        from kgfuse.corpus.headers import strip_document_headers

        source, reader = strip_document_headers(read_corpus(corpus, **reader)), {}
    with (
        open_extractor(
            model, cooccurrence=cooccurrence, workers=workers, scheduler=scheduler
        ) as extractor,
        new_store_cleanup(store),
        open_store(store) as graph,
    ):
        summary = build_graph(
            source,
            graph,
            extractor=extractor,
            batch_size=batch_size,
            progress=progress,
            schema=relation_schema,
            **reader,
        )
    if json_output:
        print_json(summary.as_dict())
        return
    data = summary.as_dict()
    print_table(f"Built {store}", ["", "value"], [(k, v) for k, v in data.items()])


@app.command()
def delete(
    doc: str = typer.Option(..., "--doc", help="Id of the document to retract"),
    store: str = _STORE,
) -> None:
    """Retract one document: exactly the facts only it supported disappear."""
    from kgfuse.kg.store import open_store

    with open_store(store, create=False) as graph:
        found = graph.delete_document(doc)
    if not found:
        console.print(f"document {clip(doc)!r} is not in {store}; nothing changed", markup=False)
        raise typer.Exit(1)
    console.print(f"deleted document {clip(doc)!r} from {store}", markup=False)


@app.command()
def stats(
    store: str = _STORE,
    top: int = typer.Option(10, help="How many of the most connected entities to list"),
    json_output: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Print the size of a graph and its most connected entities."""
    from kgfuse.kg.store import open_store
    from kgfuse.kg.vocabulary import store_summary

    with open_store(store, create=False) as graph:
        result = store_summary(graph, top=top)
    if json_output:
        print_json(result)
        return
    sizes = [
        ("documents", result["documents"]),
        ("sentences", result["sentences"]),
        ("mentions", result["mentions"]),
        ("entities (in a fact)", result["entities"]),
        ("facts (distinct s,p,o)", result["facts"]),
        ("predicates", result["predicates"]),
        ("mentioned entities (in a fact or not)", result["mentioned_entities"]),
        ("fact records (fact x sentence)", result["fact_records"]),
    ]
    print_table(f"Graph {store}", ["", "count"], sizes)
    print_table("Facts by predicate", ["predicate", "facts"], result["predicate_counts"][:15])
    print_table(
        "Most connected entities",
        ["entity", "key", "type", "degree"],
        [(e.name, e.key, e.label, d) for e, d in result["top_entities"]],
    )
