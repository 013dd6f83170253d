"""``kgfuse classify train|train-fusion|evaluate|predict``: graph-aware text classification.

``train`` trains the default method (the document graph), ``train-fusion`` the subgraph
fusion; each command has only its own options. ``evaluate`` and ``predict`` find a saved
model's method from its directory (``kgfuse.fusion.registry``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kgfuse.cli import options as opt
from kgfuse.cli.linking import classifier_family, load_for_cli, make_linker
from kgfuse.cli.output import err_console, print_predictions
from kgfuse.errors import ConfigError

classify_app = typer.Typer(
    name="classify",
    help="Train, evaluate and use graph-aware text classifiers.",
    no_args_is_help=True,
)


def _graph(store: str) -> Any:
    """The ``KGData`` of a store that must exist."""
    from kgfuse.fusion.distributed import in_turn
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    with in_turn(store), open_store(store, create=False) as graph:  # torchrun: one at a time
        return to_pyg(graph)


def train_command(
    method: str,
    train_path: Path,
    eval_path: Path | None,
    *,
    store: str | None,
    out: Path,
    unlabeled: Path | None = None,
    config: Path | None = None,
    overrides: list[str] | None = None,
    link: str = "extract",
    spacy_model: str | None = None,
    **values: Any,
) -> dict[str, Any]:
    """Train a classifier of a registered method from command-line settings.

    Args:
        method: ``docgraph`` or ``fusion`` (``kgfuse.fusion.registry``).
        train_path: Training data.
        eval_path: Evaluation data, or None.
        store: Store URL: the graph's entities and facts (``fusion`` with ``fusion=none``
            needs none).
        out: Model directory.
        unlabeled: More texts that join the document graph, or None.
        config: TOML file with a ``train`` table of the method's settings.
        overrides: ``key=value`` settings.
        link: ``extract`` or ``names``.
        spacy_model: spaCy pipeline for ``extract``.
        **values: Flag values (None = not given).

    Returns:
        The training metrics.

    Raises:
        ConfigError: An unknown method, no ``store`` where the method needs a graph, or
            invalid settings.
    """
    from kgfuse.config import load_config
    from kgfuse.fusion.registry import family

    chosen = family("classify", method)
    settings = chosen.entry_point("options")
    options = load_config(settings, config, overrides or [], section="train", **values)
    extra = {} if unlabeled is None else {"unlabeled_path": unlabeled}
    kg = linker = None
    if store is not None and getattr(options, "fusion", None) != "none":
        kg = _graph(store)
        from kgfuse.fusion.distributed import world_size

        # under torchrun the processes would open the embedded store at once: parse instead
        link_store = store if world_size() == 1 else None
        linker = make_linker(
            link, kg, spacy_model, max_entities=options.max_entities, store=link_store
        )
    elif method == "docgraph":
        raise ConfigError("--method docgraph needs --store: its entities are the graph's terms")
    elif options.fusion != "none":
        raise ConfigError("--store is needed unless --fusion none")
    train = chosen.entry_point("train")
    return train(
        train_path, eval_path, graph=kg, out_dir=out, options=options, linker=linker, **extra
    )


_TRAIN_HELP = (
    "Train a document-graph classifier (the default method).\n\nDocuments and the graph "
    "entities (and words) they mention are nodes of one GCN; document nodes start "
    "from frozen text-encoder vectors, and the GCN's predictions are mixed with a "
    "text head's. The graph's weight is chosen by 5-fold cross-validation over the "
    "training texts and kept only when it beats text only on a paired test, so it may "
    "come out 0 (text only). The text encoder is not fine-tuned. Settings: "
    "kgfuse.DocGraphOptions."
)


@classify_app.command("train", help=_TRAIN_HELP)
def train(
    train_path: Path = opt.TRAIN_DATA,
    eval_path: Path = opt.EVAL_DATA,
    store: str = typer.Option(..., "--store", "-s", help=opt.STORE_HELP),
    out: Path = opt.OUT_DIR,
    unlabeled: Path = typer.Option(None, help="More texts (no labels needed) that join the graph"),
    text_encoder: str = opt.TEXT_ENCODER,
    epochs: int = typer.Option(None, help="Full-graph training epochs (one step each)"),
    max_length: int = typer.Option(None, help="Token limit per text"),
    graph_model: str = typer.Option(
        None,
        help="gcn (two GCN layers), sgc (two linear hops computed once: faster) or rsgc "
        "(sgc with a relational layer over the store's facts, typed by predicate)",
    ),
    entity_features: str = typer.Option(
        None,
        help="Entity-term features from knowledge-graph embeddings trained on the store's "
        "facts: none, transe, distmult, rotate or complex",
    ),
    mini_batch: bool = typer.Option(
        None,
        "--mini-batch/--full-batch",
        help="Train on batches of documents (memory bounded by the batch; gcn and sgc) or one "
        "full-graph step per epoch (default: mini-batches above mini_batch_threshold nodes)",
    ),
    batch_size: int = typer.Option(None, help="Documents per mini-batch step"),
    seed: int = opt.SEED,
    link: str = opt.LINK,
    spacy_model: str = opt.SPACY_MODEL,
    config: Path = opt.CONFIG,
    overrides: list[str] = opt.SETTINGS,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Train a document-graph classifier (the default method; help: ``_TRAIN_HELP``)."""
    metrics = train_command(
        "docgraph",
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
        epochs=epochs,
        max_length=max_length,
        graph_model=graph_model,
        entity_features=entity_features,
        mini_batch=mini_batch,
        batch_size=batch_size,
        seed=seed,
    )
    opt.print_metrics(f"Trained {out}", metrics, json_output)


_TRAIN_FUSION_HELP = (
    "Fine-tune a subgraph-fusion classifier with the Hugging Face Trainer.\n\nEach "
    "text's bounded subgraph around its linked entities is encoded by a GNN and fused "
    "with the text encoder's vector; the text encoder is fine-tuned unless "
    "--freeze-text-encoder. --fusion none is the text-only baseline through the same "
    "code. Settings: kgfuse.TrainOptions."
)


@classify_app.command("train-fusion", help=_TRAIN_FUSION_HELP)
def train_fusion(
    train_path: Path = opt.TRAIN_DATA,
    eval_path: Path = opt.EVAL_DATA,
    store: str = typer.Option(
        None, "--store", "-s", help=f"{opt.STORE_HELP} (not for --fusion none)"
    ),
    out: Path = opt.OUT_DIR,
    fusion: str = typer.Option(None, help="concat, gated, cross_attention, interpolate or none"),
    graph_encoder: str = typer.Option(None, help="rgcn, gat or sage"),
    text_encoder: str = opt.TEXT_ENCODER,
    epochs: float = typer.Option(None, help="Training epochs (fractions allowed)"),
    max_steps: int = typer.Option(None, help="Stop after this many optimizer steps"),
    batch_size: int = typer.Option(None, help="Examples per step and device"),
    max_length: int = typer.Option(None, help="Token limit per text"),
    seed: int = opt.SEED,
    freeze_text_encoder: bool = typer.Option(
        None,
        "--freeze-text-encoder/--fine-tune-text-encoder",
        help="Compute text vectors once and train only the graph side (fast on CPUs)",
    ),
    resume: bool = typer.Option(False, help="Resume from the last checkpoint in --out"),
    link: str = opt.LINK,
    spacy_model: str = opt.SPACY_MODEL,
    config: Path = opt.CONFIG,
    overrides: list[str] = opt.SETTINGS,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Fine-tune a subgraph-fusion classifier (help: ``_TRAIN_FUSION_HELP``)."""
    metrics = train_command(
        "fusion",
        train_path,
        eval_path,
        store=store,
        out=out,
        config=config,
        overrides=overrides,
        link=link,
        spacy_model=spacy_model,
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
    opt.print_metrics(f"Trained {out}", metrics, json_output)


@classify_app.command("evaluate")
def evaluate(
    model: Path = typer.Argument(..., help="Model directory written by kgfuse classify train"),
    data: Path = typer.Argument(..., help="Labelled data (.jsonl/.csv)"),
    link: str = opt.LINK,
    label_column: str = typer.Option("label", help="Label field or column"),
    inductive: bool = typer.Option(
        False,
        help="Document graph: score texts that were graph nodes during training as new texts",
    ),
    store: str = opt.LINK_STORE,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Score a trained classifier: accuracy and macro-F1 (micro-F1 for multi-label)."""
    family = classifier_family(model)
    if inductive and family.method != "docgraph":  # checked before loading anything
        raise ConfigError("--inductive applies to document-graph models only")
    loaded, linker = load_for_cli(family, model, link, store)
    extra = {"inductive": True} if inductive else {}
    evaluate_fn = family.entry_point("evaluate")
    metrics = evaluate_fn(loaded, data, linker=linker, label_column=label_column, **extra)
    if metrics.get("scoring") == "transductive":
        err_console.print(
            f"note: {metrics['graph_nodes']} of {metrics['examples']} texts were unlabelled "
            "graph nodes during training, so this is a transductive score; --inductive "
            "scores them as new texts",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    opt.print_metrics(f"{model} on {data}", metrics, json_output)


@classify_app.command("predict")
def predict(
    model: Path = typer.Argument(..., help="Model directory written by kgfuse classify train"),
    texts: list[str] = typer.Argument(None, help="Texts to classify"),
    input_path: Path = typer.Option(None, "--input", help="A file with one text per line"),
    link: str = opt.LINK,
    store: str = opt.LINK_STORE,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Classify new texts: label(s), scores and the linked graph entities of each."""
    items = opt.read_texts(texts, input_path)
    if not items:
        raise ConfigError("nothing to classify: pass texts or --input FILE")
    family = classifier_family(model)
    loaded, linker = load_for_cli(family, model, link, store)
    predictions = family.entry_point("predict")(loaded, items, linker=linker)
    print_predictions(items, predictions, json_output=json_output)
