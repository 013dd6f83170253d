"""The round-1 spellings ``kgfuse train``, ``kgfuse evaluate``, ``kgfuse predict`` and
``kgfuse ask``: hidden aliases of the ``classify`` and ``qa`` commands that still work and
print a one-line deprecation notice naming the new command."""

from __future__ import annotations

from pathlib import Path

import typer

from kgfuse.cli import classify, qa
from kgfuse.cli import options as opt
from kgfuse.cli.app import app
from kgfuse.cli.output import err_console
from kgfuse.errors import ConfigError


def deprecated(old: str, new: str) -> None:
    """Print the one-line notice that ``old`` is an alias of ``new``."""
    err_console.print(
        f"note: `kgfuse {old}` is deprecated; use `kgfuse {new}`",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@app.command(hidden=True)
def train(
    task: str = typer.Option("classify", help="classify or qa"),
    method: str = typer.Option("docgraph", help="docgraph or fusion"),
    train_path: Path = opt.TRAIN_DATA,
    eval_path: Path = opt.EVAL_DATA,
    unlabeled: Path = typer.Option(None, help="docgraph: more texts that join the graph"),
    store: str = typer.Option(None, "--store", "-s", help=opt.STORE_HELP),
    out: Path = opt.OUT_DIR,
    fusion: str = typer.Option(None, help="fusion: the fusion operator"),
    graph_encoder: str = typer.Option(None, help="fusion: rgcn, gat or sage"),
    text_encoder: str = opt.TEXT_ENCODER,
    epochs: float = typer.Option(None, help="Training epochs"),
    max_steps: int = typer.Option(None, help="Stop after this many optimizer steps"),
    batch_size: int = typer.Option(None, help="Examples per step"),
    max_length: int = typer.Option(None, help="Token limit per text"),
    seed: int = opt.SEED,
    freeze_text_encoder: bool = typer.Option(
        None, "--freeze-text-encoder/--fine-tune-text-encoder", help="Frozen-encoder mode"
    ),
    resume: bool = typer.Option(False, help="Resume from the last checkpoint in --out"),
    link: str = opt.LINK,
    spacy_model: str = opt.SPACY_MODEL,
    config: Path = opt.CONFIG,
    overrides: list[str] = opt.SETTINGS,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Deprecated: use kgfuse classify train, classify train-fusion or qa train."""
    shared = {
        "train_path": train_path,
        "eval_path": eval_path,
        "out": out,
        "text_encoder": text_encoder,
        "seed": seed,
        "config": config,
        "overrides": overrides,
        "json_output": json_output,
    }
    classify_shared = {"link": link, "spacy_model": spacy_model, "max_length": max_length}
    fusion_only = {
        "fusion": fusion,
        "graph_encoder": graph_encoder,
        "max_steps": max_steps,
        "batch_size": batch_size,
        "freeze_text_encoder": freeze_text_encoder,
    }
    if task == "qa":
        deprecated("train --task qa", "qa train")
        qa.train(
            store=store,
            hops=None,
            epochs=epochs,
            max_steps=max_steps,
            batch_size=batch_size,
            freeze_text_encoder=freeze_text_encoder,
            **shared,
        )
    elif task != "classify":
        raise ConfigError(f"--task must be classify or qa, got {task!r}")
    elif method == "docgraph":
        deprecated("train", "classify train")
        given = [f"--{k.replace('_', '-')}" for k, v in fusion_only.items() if v is not None]
        if given or resume:
            raise ConfigError(
                f"{', '.join(given + ['--resume'] * resume)} only apply to --method fusion (the "
                "default method is docgraph, which trains on frozen text vectors, full-graph, "
                "one step per epoch)"
            )
        epochs_int = None if epochs is None else int(epochs)
        classify.train(
            store=store,
            unlabeled=unlabeled,
            epochs=epochs_int,
            graph_model=None,  # flags only the new command has: their defaults
            entity_features=None,
            mini_batch=None,
            batch_size=None,
            **shared,
            **classify_shared,
        )
    elif method == "fusion":
        deprecated("train --method fusion", "classify train-fusion")
        classify.train_fusion(
            store=store, epochs=epochs, resume=resume, **fusion_only, **shared, **classify_shared
        )
    else:
        raise ConfigError(f"--method must be fusion or docgraph, got {method!r}")


@app.command(hidden=True)
def evaluate(
    model: Path = typer.Argument(..., help="Model directory"),
    data: Path = typer.Argument(..., help="Labelled data, or questions (qa)"),
    task: str = typer.Option("classify", help="classify or qa"),
    store: str = typer.Option(None, "--store", "-s", help="Graph store (qa: topic linking)"),
    link: str = opt.LINK,
    label_column: str = typer.Option("label", help="Label field or column"),
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Deprecated: use kgfuse classify evaluate or kgfuse qa evaluate."""
    if task == "qa":
        deprecated("evaluate --task qa", "qa evaluate")
        qa.evaluate_qa_command(model, data, store=store, json_output=json_output)
        return
    deprecated("evaluate", "classify evaluate")
    classify.evaluate(
        model,
        data,
        link=link,
        store=store,
        label_column=label_column,
        inductive=False,
        json_output=json_output,
    )


@app.command(hidden=True)
def predict(
    model: Path = typer.Argument(..., help="Model directory"),
    texts: list[str] = typer.Argument(None, help="Texts to classify"),
    input_path: Path = typer.Option(None, "--input", help="A file with one text per line"),
    link: str = opt.LINK,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Deprecated: use kgfuse classify predict."""
    deprecated("predict", "classify predict")
    classify.predict(
        model, texts, input_path=input_path, link=link, store=None, json_output=json_output
    )


@app.command(hidden=True)
def ask(
    question: str = qa.QUESTION,
    model: Path = qa.MODEL_DIR,
    store: str = typer.Option(None, "--store", "-s", help=opt.STORE_HELP),
    topic: list[str] = qa.TOPICS,
    top_k: int = qa.TOP_K,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Deprecated: use kgfuse qa ask."""
    deprecated("ask", "qa ask")
    qa.ask_command(
        question, model=model, store=store, topics=topic, top_k=top_k, json_output=json_output
    )
