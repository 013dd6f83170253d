"""Rendering for the CLI: rich tables for people, JSON for scripts."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

console = Console()
err_console = Console(stderr=True)


def to_plain(value: Any) -> Any:
    """Convert dataclasses, tuples and mappings into JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def print_json(value: Any) -> None:
    """Write ``value`` as JSON to standard output."""
    sys.stdout.write(json.dumps(to_plain(value), ensure_ascii=False, indent=2) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a table with a title; an empty table prints ``(none)``."""
    # Cells and titles are Text, not markup: stored names like "[/bold]" are data.
    table = Table(title=Text(title), title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(Text(column), overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    console.print(table if rows else f"[bold]{escape(title)}[/bold]: (none)")


def print_predictions(
    texts: Sequence[str], predictions: Sequence[Any], *, json_output: bool
) -> None:
    """Print classifier predictions: the best label(s), score and linked entities per text."""
    if json_output:
        print_json([{"text": t, **vars(p)} for t, p in zip(texts, predictions, strict=True)])
        return
    for text, prediction in zip(texts, predictions, strict=True):
        best = ", ".join(prediction.labels) or "(none)"
        score = max(prediction.scores.values())
        linked = ", ".join(prediction.entities[:8]) or "(no graph entities)"
        console.print(f"[bold]{best}[/bold] ({score:.2f})  {text[:80]!r}\n  entities: {linked}")
