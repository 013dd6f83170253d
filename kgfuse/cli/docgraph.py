"""The bodies of ``kgfuse train|evaluate|predict`` for document-graph models
(``--method docgraph``), which ``kgfuse.cli.train`` calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgfuse.cli.output import print_json, print_predictions, print_table
from kgfuse.cli.train import make_linker
from kgfuse.errors import ConfigError


def train_docgraph_command(
    train_path: Path,
    eval_path: Path | None,
    *,
    store: str | None,
    out: Path,
    unlabeled: Path | None,
    config: Path | None,
    overrides: list[str],
    link: str,
    spacy_model: str | None,
    **values: Any,
) -> dict[str, Any]:
    """Train a document-graph classifier from the CLI's options.

    Raises:
        ConfigError: No ``--store`` (the entities and facts come from it), bad settings.
    """
    from kgfuse.config import load_config
    from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    options = load_config(DocGraphOptions, config, overrides, section="train", **values)
    if store is None:
        raise ConfigError("--method docgraph needs --store: its entities are the graph's terms")
    with open_store(store, create=False) as graph:
        kg = to_pyg(graph)
    return train_document_graph(
        train_path,
        eval_path,
        graph=kg,
        out_dir=out,
        options=options,
        linker=make_linker(link, kg, spacy_model, max_entities=options.max_entities),
        unlabeled_path=unlabeled,
    )


def _loaded(model: Path, link: str) -> tuple[Any, Any]:
    """The saved model and a linker over its entity terms, with its entity cap."""
    from kgfuse.fusion.classify.docgraph import load_document_graph

    predictor = load_document_graph(model)
    linker = make_linker(link, predictor.entity_graph, None, max_entities=predictor.max_entities)
    return predictor, linker


def evaluate_docgraph_command(
    model: Path, data: Path, *, link: str, label_column: str, json_output: bool
) -> None:
    """Score a document-graph model on labelled data and print the metrics."""
    from kgfuse.fusion.classify.docgraph.inference import evaluate_document_graph

    predictor, linker = _loaded(model, link)
    metrics = evaluate_document_graph(predictor, data, linker=linker, label_column=label_column)
    if json_output:
        print_json(metrics)
        return
    print_table(f"{model} on {data}", ["metric", "value"], sorted(metrics.items()))


def predict_docgraph_command(
    model: Path, items: list[str], *, link: str, json_output: bool
) -> None:
    """Classify texts with a document-graph model and print the predictions."""
    from kgfuse.fusion.classify.docgraph.inference import predict_document_graph

    predictor, linker = _loaded(model, link)
    predictions = predict_document_graph(predictor, items, linker=linker)
    print_predictions(items, predictions, json_output=json_output)
