"""The shared typer application that every ``kgfuse.cli`` module adds its commands to."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kgfuse",
    help="Build knowledge graphs from text, query them, and fine-tune graph-aware models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
