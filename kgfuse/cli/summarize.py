"""``kgfuse summarize``: (re)compute the precomputed entity summaries of a store."""

from __future__ import annotations

import time

import typer

from kgfuse.cli.app import app
from kgfuse.cli.options import STORE_HELP
from kgfuse.cli.output import console


@app.command()
def summarize(
    store: str = typer.Option(..., "--store", "-s", help=STORE_HELP, envvar="KGFUSE_STORE"),
    key: list[str] = typer.Option(None, "--key", help="Only these entity keys (repeatable)"),
) -> None:
    """Compute each entity's display name, degree, top neighbours and first sentences.

    Builds and imports keep them up to date; run this once on a store built before they
    existed (entity cards and paths on hubs are then bounded), or after raw write queries.
    """
    from kgfuse.kg.store import open_store

    started = time.perf_counter()
    with open_store(store, create=False) as graph:
        written = graph.refresh_summaries(key or None)
    console.print(
        f"{written} entity summaries written in {time.perf_counter() - started:.1f} s",
        markup=False,
    )
