"""``kgfuse train``, ``kgfuse evaluate`` and ``kgfuse predict`` (graph-aware classification)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kgfuse.cli.app import app
from kgfuse.cli.graph import STORE_HELP
from kgfuse.cli.output import print_json, print_predictions, print_table
from kgfuse.errors import ConfigError

_METHOD_HELP = (
    "classify: docgraph (documents and graph entities in one GCN mixed with the text model; "
    "the default, and the one that beats text-only in our benchmarks) or fusion (each text's "
    "subgraph fused with a fine-tuned text encoder through the HF Trainer)"
)
_LINK_HELP = "How texts find their graph entities: extract (spaCy + resolution) or names"


def make_linker(kind: str, kg: Any, model: str | None, *, max_entities: int = 32) -> Any:
    """The linker a ``--link`` option names, over the entities of ``kg``.

    Raises:
        ConfigError: An unknown kind.
    """
    if kind == "names":
        from kgfuse.graph.linking import DictionaryLinker

        return DictionaryLinker(kg, max_entities=max_entities)
    if kind != "extract":
        raise ConfigError(f"--link must be 'extract' or 'names', got {kind!r}")
    from kgfuse.graph.linking.extraction import ExtractionLinker
    from kgfuse.nlp.extractor import Extractor

    return ExtractionLinker(Extractor(model), kg, max_entities=max_entities)


@app.command()
def train(
    task: str = typer.Option("classify", help="classify or qa"),
    method: str = typer.Option("docgraph", help=_METHOD_HELP),
    train_path: Path = typer.Option(..., "--train", help="Training data (.jsonl/.csv)"),
    eval_path: Path = typer.Option(None, "--eval", help="Evaluation data"),
    unlabeled: Path = typer.Option(
        None, help="docgraph: more texts (no labels needed) that join the graph"
    ),
    store: str = typer.Option(None, "--store", "-s", help=STORE_HELP),
    out: Path = typer.Option(..., "--out", help="Output model directory"),
    fusion: str = typer.Option(None, help="concat, gated, cross_attention, interpolate, none"),
    graph_encoder: str = typer.Option(None, help="rgcn, gat or sage"),
    text_encoder: str = typer.Option(None, help="HF encoder name or path (default MiniLM)"),
    epochs: float = typer.Option(None, help="Training epochs"),
    max_steps: int = typer.Option(None, help="Stop after this many optimizer steps"),
    batch_size: int = typer.Option(None, help="Examples per step"),
    max_length: int = typer.Option(None, help="Token limit per text"),
    seed: int = typer.Option(None, help="Random seed"),
    freeze_text_encoder: bool = typer.Option(
        None, "--freeze-text-encoder/--fine-tune-text-encoder", help="Frozen-encoder mode"
    ),
    resume: bool = typer.Option(False, help="Resume from the last checkpoint in --out"),
    link: str = typer.Option("extract", help=_LINK_HELP),
    spacy_model: str = typer.Option(None, help="spaCy pipeline for linking"),
    config: Path = typer.Option(None, help="TOML file with training settings ([train] table)"),
    overrides: list[str] = typer.Option([], "--set", help="Any setting: key=value"),
    json_output: bool = typer.Option(False, "--json", help="Print metrics as JSON"),
) -> None:
    """Fine-tune a graph-aware classifier (text encoder + GNN + fusion) or QA answer ranker."""
    from kgfuse.config import load_config
    from kgfuse.fusion.classify.subgraph.options import TrainOptions
    from kgfuse.fusion.classify.subgraph.trainer import train_classifier
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    if task == "qa":
        from kgfuse.cli.qa import train_qa_command

        qa_metrics = train_qa_command(
            train_path,
            eval_path,
            store=store,
            out=out,
            config=config,
            overrides=overrides,
            text_encoder=text_encoder,
            epochs=epochs,
            max_steps=max_steps,
            batch_size=batch_size,
            seed=seed,
            freeze_text_encoder=freeze_text_encoder,
        )
        _print_metrics(f"Trained {out}", qa_metrics, json_output)
        return
    if task != "classify":
        raise ConfigError(f"--task must be classify or qa, got {task!r}")
    if method == "docgraph":
        from kgfuse.cli.docgraph import train_docgraph_command

        fusion_only = {
            "--fusion": fusion,
            "--graph-encoder": graph_encoder,
            "--max-steps": max_steps,
            "--batch-size": batch_size,
            "--freeze-text-encoder": freeze_text_encoder,
            "--resume": resume or None,
        }
        given = [name for name, value in fusion_only.items() if value is not None]
        if given:
            raise ConfigError(
                f"{', '.join(given)} only apply to --method fusion (the default method is "
                "docgraph, which trains on frozen text vectors, full-graph, one step per epoch)"
            )

        metrics = train_docgraph_command(
            train_path,
            eval_path,
            store=store,
            out=out,
            unlabeled=unlabeled,
            config=config,
            overrides=overrides,
            link=link,
            spacy_model=spacy_model,
            text_encoder=text_encoder,
            epochs=None if epochs is None else int(epochs),
            max_length=max_length,
            seed=seed,
        )
        _print_metrics(f"Trained {out}", metrics, json_output)
        return
    if method != "fusion":
        raise ConfigError(f"--method must be fusion or docgraph, got {method!r}")
    options = load_config(
        TrainOptions,
        config,
        overrides,
        section="train",
        fusion=fusion,
        graph_encoder=graph_encoder,
        text_encoder=text_encoder,
        epochs=epochs,
        max_steps=max_steps,
        batch_size=batch_size,
        max_length=max_length,
        seed=seed,
        freeze_text_encoder=freeze_text_encoder,
        resume_from_checkpoint=True if resume else None,
    )
    kg = linker = None
    if options.fusion != "none":
        if store is None:
            raise ConfigError("--store is needed unless --fusion none")
        with open_store(store, create=False) as graph:
            kg = to_pyg(graph)
        linker = make_linker(link, kg, spacy_model)
    metrics = train_classifier(
        train_path, eval_path, graph=kg, out_dir=out, options=options, linker=linker
    )
    _print_metrics(f"Trained {out}", metrics, json_output)


def _print_metrics(title: str, metrics: dict[str, Any], json_output: bool) -> None:
    if json_output:
        print_json(metrics)
    else:
        print_table(title, ["metric", "value"], sorted(metrics.items()))


@app.command()
def evaluate(
    model: Path = typer.Argument(..., help="Model directory written by kgfuse train"),
    data: Path = typer.Argument(..., help="Labelled data (.jsonl/.csv), or questions (qa)"),
    task: str = typer.Option("classify", help="classify or qa"),
    store: str = typer.Option(None, "--store", "-s", help="Graph store (qa: topic linking)"),
    link: str = typer.Option("extract", help=_LINK_HELP),
    label_column: str = typer.Option("label", help="Label field or column"),
    json_output: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Score a trained model: accuracy and macro-F1, or Hits@1, Hits@10 and MRR (qa)."""
    if task == "qa":
        from kgfuse.cli.qa import evaluate_qa_command

        evaluate_qa_command(model, data, store=store, json_output=json_output)
        return
    from kgfuse.fusion.classify.docgraph import is_document_graph_dir

    if is_document_graph_dir(model):
        from kgfuse.cli.docgraph import evaluate_docgraph_command

        evaluate_docgraph_command(
            model, data, link=link, label_column=label_column, json_output=json_output
        )
        return
    from kgfuse.fusion.classify.subgraph.inference import evaluate_classifier
    from kgfuse.fusion.classify.subgraph.io import load_classifier

    loaded = load_classifier(model)
    linker = make_linker(link, loaded.kg, None)
    metrics = evaluate_classifier(loaded, data, linker=linker, label_column=label_column)
    if json_output:
        print_json(metrics)
        return
    print_table(f"{model} on {data}", ["metric", "value"], sorted(metrics.items()))


@app.command()
def predict(
    model: Path = typer.Argument(..., help="Model directory written by kgfuse train"),
    texts: list[str] = typer.Argument(None, help="Texts to classify"),
    input_path: Path = typer.Option(None, "--input", help="A file with one text per line"),
    link: str = typer.Option("extract", help=_LINK_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Classify new texts with a trained model."""
    from kgfuse.fusion.classify.subgraph.inference import predict as predict_texts
    from kgfuse.fusion.classify.subgraph.io import load_classifier

    items = list(texts or [])
    if input_path is not None:
        items += [line for line in input_path.read_text(encoding="utf-8").splitlines() if line]
    if not items:
        raise ConfigError("nothing to classify: pass texts or --input FILE")
    from kgfuse.fusion.classify.docgraph import is_document_graph_dir

    if is_document_graph_dir(model):
        from kgfuse.cli.docgraph import predict_docgraph_command

        predict_docgraph_command(model, items, link=link, json_output=json_output)
        return
    loaded = load_classifier(model)
    predictions = predict_texts(loaded, items, linker=make_linker(link, loaded.kg, None))
    print_predictions(items, predictions, json_output=json_output)
