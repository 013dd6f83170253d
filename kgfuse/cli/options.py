"""Options that several commands share, declared once (typer ``Option`` objects are reusable
defaults), and the one helper that prints a metrics table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kgfuse.cli.output import print_json, print_table

STORE_HELP = "Graph store: a folder (embedded Oxigraph), neo4j://…, bolt://… or falkordb://…"
LINK_HELP = "How texts find their graph entities: extract (spaCy + resolution) or names"

TRAIN_DATA = typer.Option(..., "--train", help="Training data (.jsonl/.csv)")
EVAL_DATA = typer.Option(None, "--eval", help="Evaluation data (scored at the end)")
OUT_DIR = typer.Option(..., "--out", help="Output model directory")
TEXT_ENCODER = typer.Option(None, help="HF encoder name or path (default: packaged MiniLM)")
SEED = typer.Option(None, help="Random seed")
LINK = typer.Option("extract", help=LINK_HELP)
LINK_STORE = typer.Option(
    None,
    "--store",
    "-s",
    help="Store built from these texts: texts it holds are linked from the build's "
    "extraction instead of being parsed again (--link extract)",
)
SPACY_MODEL = typer.Option(None, help="spaCy pipeline for linking (default en_core_web_sm)")
CONFIG = typer.Option(None, help="TOML file with settings, in a table named 'train'")
SETTINGS = typer.Option([], "--set", help="Any setting as key=value (repeatable)")
JSON_OUTPUT = typer.Option(False, "--json", help="Print JSON")


def print_metrics(title: str, metrics: dict[str, Any], json_output: bool) -> None:
    """Print metrics as a two-column table, or as JSON."""
    if json_output:
        print_json(metrics)
    else:
        print_table(title, ["metric", "value"], sorted(metrics.items()))


def read_texts(texts: list[str] | None, input_path: Path | None) -> list[str]:
    """The texts given as arguments, then the non-empty lines of ``input_path``."""
    items = list(texts or [])
    if input_path is not None:
        items += [line for line in input_path.read_text(encoding="utf-8").splitlines() if line]
    return items
