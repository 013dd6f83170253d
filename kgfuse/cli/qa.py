"""``kgfuse ask``: answer a question over the graph with a trained QA model.

Also the bodies of ``kgfuse train --task qa`` and ``kgfuse evaluate --task qa``
(``train_qa_command`` / ``evaluate_qa_command``), which ``kgfuse.cli.train`` calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from kgfuse.cli.app import app
from kgfuse.cli.graph import STORE_HELP
from kgfuse.cli.output import console, print_json, print_table


def _store(url: str | None) -> Any:
    if url is None:
        return nullcontext(None)
    from kgfuse.kg.store import open_store

    return open_store(url, create=False)


def _path_text(path: Sequence[Any], names: dict[str, str]) -> str:
    """``Tom Hanks <-starred_actors- Big -release_year-> 1988`` for a chain of facts."""
    if not path:
        return "(no supporting path)"
    start = path[0].object_key if path[0].inverse else path[0].subject_key
    parts = [names.get(start, start)]
    for fact in path:
        if fact.inverse:
            parts.append(f"<-{fact.predicate}- {names.get(fact.subject_key, fact.subject_key)}")
        else:
            parts.append(f"-{fact.predicate}-> {names.get(fact.object_key, fact.object_key)}")
    return " ".join(parts)


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question; [brackets] mark the topic entity"),
    model: Path = typer.Option(..., "--model", "-m", help="QA model directory (train --task qa)"),
    store: str = typer.Option(None, "--store", "-s", help=STORE_HELP),
    topic: list[str] = typer.Option([], "--topic", help="Topic entity name or key (repeatable)"),
    top_k: int = typer.Option(10, "--top-k", help="How many answers"),
    json_output: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Answer a question: ranked entities with scores, supporting paths and sentences."""
    from kgfuse.fusion.qa.inference import answer, load_qa

    loaded = load_qa(model)
    with _store(store) as graph:
        answers = answer(loaded, question, topic_entities=topic or None, top_k=top_k, store=graph)
    if json_output:
        print_json(answers)
        return
    names = dict(zip(loaded.kg.entity_vocab, loaded.kg.entity_names, strict=True))
    rows = [
        (rank, a.name, f"{a.score:.3f}", _path_text(a.path, names))
        for rank, a in enumerate(answers, start=1)
    ]
    print_table(question, ["#", "answer", "score", "supporting path"], rows)
    for rank, a in enumerate(answers, start=1):
        for sentence in a.sentences:
            console.print(f"  [{rank}] {sentence}", highlight=False)


def train_qa_command(
    train_path: Path,
    eval_path: Path | None,
    *,
    store: str | None,
    out: Path,
    config: Path | None = None,
    overrides: Sequence[str] = (),
    **values: Any,
) -> dict[str, Any]:
    """Body of ``kgfuse train --task qa``: options from TOML/flags, graph from the store.

    Args:
        train_path: Training questions (JSONL).
        eval_path: Held-out questions, or None.
        store: Store URL (required).
        out: Model directory.
        config: TOML file with a ``[train]`` table of ``QAOptions`` fields.
        overrides: ``key=value`` settings.
        **values: Flag values (None = not given), e.g. ``epochs``, ``batch_size``,
            ``text_encoder``, ``freeze_text_encoder``, ``seed``, ``max_steps``, ``hops``.

    Returns:
        The training metrics.

    Raises:
        ConfigError: No store, or invalid settings.
    """
    from kgfuse.config import load_config
    from kgfuse.errors import ConfigError
    from kgfuse.fusion.qa.options import QAOptions
    from kgfuse.fusion.qa.trainer import train_qa

    if store is None:
        raise ConfigError("--task qa needs --store: the graph the questions are answered over")
    options = load_config(QAOptions, config, overrides, section="train", **values)
    with _store(store) as graph:
        return train_qa(train_path, eval_path, graph=graph, out_dir=out, options=options)


def evaluate_qa_command(
    model: Path, data: Path, *, store: str | None = None, json_output: bool = False
) -> dict[str, Any]:
    """Body of ``kgfuse evaluate --task qa``: Hits@1, Hits@10, MRR (printed and returned)."""
    from kgfuse.fusion.qa.inference import evaluate_qa

    with _store(store) as graph:
        metrics = evaluate_qa(model, data, store=graph)
    if json_output:
        print_json(metrics)
    else:
        print_table(f"{model} on {data}", ["metric", "value"], sorted(metrics.items()))
    return metrics
