"""``kgfuse report``: one self-contained HTML page about trained models and benchmarks."""

from __future__ import annotations

from pathlib import Path

import typer

from kgfuse.cli.app import app
from kgfuse.cli.output import console


@app.command()
def report(
    runs: list[Path] = typer.Argument(None, help="Model directories written by kgfuse"),
    out: Path = typer.Option(Path("kgfuse-report.html"), "--out", help="The HTML file to write"),
    data: Path = typer.Option(
        None, help="Labelled data (.jsonl/.csv): a confusion matrix per classifier"
    ),
    benchmark: list[Path] = typer.Option(
        [], help="Results JSON of benchmarks/docgraph_accuracy.py (repeatable)"
    ),
    title: str = typer.Option("kgfuse report", help="Page title"),
) -> None:
    """Write one HTML page: graph statistics, scores, whether the graph helped (in words),
    learning curves, confusion matrices and ablation tables; plots are embedded."""
    from kgfuse.errors import ConfigError
    from kgfuse.report import build_report

    if not runs and not benchmark:
        raise ConfigError("nothing to report: pass model directories and/or --benchmark FILE")
    page = build_report(runs or [], data=data, benchmarks=benchmark, title=title)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    console.print(f"wrote {out} ({len(page) // 1024} KiB)", highlight=False)
