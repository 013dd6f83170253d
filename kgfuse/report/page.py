"""Rendering the report: one HTML file with its plots embedded (PNG as data URIs), no
script and no network, so it opens anywhere."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import kgfuse
from kgfuse.report.benchmark import BenchmarkResult, read_benchmark
from kgfuse.report.runs import RunSummary, add_confusion, read_run

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
p.verdict{font-weight:600}img{max-width:100%}
"""


def build_report(
    runs: Sequence[str | Path],
    *,
    data: str | Path | None = None,
    benchmarks: Sequence[str | Path] = (),
    title: str = "kgfuse report",
) -> str:
    """Build the HTML report of model directories and benchmark results files.

    Args:
        runs: Model directories (any registered family).
        data: Labelled data to draw a confusion matrix per classifier.
        benchmarks: Results files of ``benchmarks/docgraph_accuracy.py``.
        title: The page title.

    Returns:
        The HTML text.

    Raises:
        ModelError, ConfigError, DataError: An unreadable run, results file or data.
    """
    summaries = [read_run(path) for path in runs]
    if data is not None:
        for run in summaries:
            if run.family.startswith("classify/"):
                add_confusion(run, data)
    results = [read_benchmark(path) for path in benchmarks]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)}</title>",
        f"<style>{_STYLE}</style></head><body><h1>{_e(title)}</h1>",
        f"<p>kgfuse {_e(kgfuse.__version__)}, {stamp}.</p>",
    ]
    parts += [_benchmark_section(result) for result in results]
    parts += [_run_section(run) for run in summaries]
    parts.append("</body></html>")
    return "\n".join(parts)


def _run_section(run: RunSummary) -> str:
    out = [f"<h2>Model {_e(run.path.name)} <small>({_e(run.family)})</small></h2>"]
    out.append(f"<p class='verdict'>{_e(run.verdict())}</p>")
    if run.graph_stats:
        out.append("<h3>Graph</h3>" + _table(["statistic", "value"], run.graph_stats.items()))
    scores = {k: v for k, v in run.metrics.items() if k.startswith(("eval_", "cv_", "dev_"))}
    if scores:
        out.append("<h3>Scores</h3>" + _table(["metric", "value"], sorted(scores.items())))
    if run.timings:
        out.append("<h3>Time</h3>" + _table(["stage", "seconds"], run.timings.items()))
    if run.curves_png:
        encoded = base64.b64encode(run.curves_png).decode("ascii")
        image = f"<img alt='training curves' src='data:image/png;base64,{encoded}'>"
        out.append(f"<h3>Learning curves</h3>{image}")
    if run.confusion is not None:
        out.append(_confusion(*run.confusion))
    return "\n".join(out)


def _benchmark_section(result: BenchmarkResult) -> str:
    out = [f"<h2>Ablation: {_e(result.dataset)} <small>(commit {_e(result.commit)})</small></h2>"]
    out.append(f"<p class='verdict'>{_e(result.summary())}</p>")
    rows = [
        (
            row.arm,
            row.seeds,
            _pm(row.accuracy, row.seeds),
            _pm(row.macro_f1, row.seeds),
            f"{row.graph_lambda:g}",
            f"{row.seconds:g}",
            row.verdict(result.metric),
        )
        for row in result.rows
    ]
    headers = ["arm", "seeds", "accuracy", "macro-F1", "graph weight", "s/run", "against text"]
    out.append(_table(headers, rows))
    refs = [
        (name, _num(r.get("accuracy")), _num(r.get("macro_f1")))
        for name, r in result.references.items()
        if r
    ]
    if refs:
        out.append(
            "<h3>References on the same split</h3>"
            + _table(["model", "accuracy", "macro-F1"], refs)
        )
    return "\n".join(out)


def _confusion(labels: list[str], matrix) -> str:
    top = max(int(matrix.max()), 1)
    head = "".join(f"<th>{_e(label)}</th>" for label in labels)
    body = []
    for label, row in zip(labels, matrix, strict=True):
        cells = "".join(
            f"<td class='n' style='background:rgba(40,90,200,{count / top:.2f})'>{count}</td>"
            for count in row
        )
        body.append(f"<tr><th>{_e(label)}</th>{cells}</tr>")
    return (
        "<h3>Confusion matrix (rows: true label, columns: predicted)</h3>"
        f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"
    )


def _table(headers: Sequence[str], rows) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"<td class='n'>{_num(value)}</td>"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"<td class='n'>{value}</td>"
    return f"<td>{_e(value)}</td>"


def _num(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else _e(value)


def _pm(pair: tuple[float, float], seeds: int) -> str:
    return f"{pair[0]:.4f} ± {pair[1]:.4f}" if seeds > 1 else f"{pair[0]:.4f}"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
