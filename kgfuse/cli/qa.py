"""``kgfuse qa synthesize|train|evaluate|ask``: question answering over the graph.

The command bodies (``train_qa_command``, ``evaluate_qa_command``, ``ask_command``) are
importable functions; the deprecated spellings (``kgfuse train --task qa`` ...) call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from kgfuse.cli import options as opt
from kgfuse.cli.output import console, print_json, print_table
from kgfuse.cli.qa_tools import calibrate_command, synthesize_command
from kgfuse.errors import ConfigError

qa_app = typer.Typer(
    name="qa",
    help="Train, evaluate and ask question-answering models over the graph.",
    no_args_is_help=True,
)


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
    """Body of ``kgfuse qa train``: options from TOML/flags, graph from the store.

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
    from kgfuse.fusion.qa.config import check_hops
    from kgfuse.fusion.qa.options import QAOptions
    from kgfuse.fusion.qa.trainer import train_qa

    if store is None:
        raise ConfigError("QA training needs --store: the graph the questions are answered over")
    options = load_config(QAOptions, config, overrides, section="train", **values)
    check_hops(options.hops)
    from kgfuse.fusion.distributed import refuse_embedded_store_under_torchrun

    refuse_embedded_store_under_torchrun(store)
    with _store(store) as graph:
        return train_qa(train_path, eval_path, graph=graph, out_dir=out, options=options)


def evaluate_qa_command(
    model: Path,
    data: Path,
    *,
    store: str | None = None,
    skip_unknown: bool = False,
    json_output: bool = False,
) -> dict[str, Any]:
    """Body of ``kgfuse qa evaluate``: Hits@1, Hits@10, MRR, counts of questions no model
    can answer (misses, or left out with ``skip_unknown``) and per-hop figures (printed and
    returned)."""
    from kgfuse.fusion.qa.evaluation import flat_metrics
    from kgfuse.fusion.qa.inference import evaluate_qa

    with _store(store) as graph:
        metrics = evaluate_qa(
            model, data, store=graph, unknown_topics="drop" if skip_unknown else "miss"
        )
    shown = metrics if json_output else flat_metrics(metrics)
    opt.print_metrics(f"{model} on {data}", shown, json_output)
    unusable = metrics["unknown_topics"] + metrics["unlinked"] + metrics["unknown_answers"]
    if unusable and not json_output:
        what = "left out" if skip_unknown else "counted as misses (--skip-unknown leaves them out)"
        console.print(
            f"{unusable} questions name a topic or answers that are not in the graph: {what}",
            highlight=False,
        )
    return metrics


def ask_command(
    question: str,
    *,
    model: Path,
    store: str | None = None,
    topics: Sequence[str] = (),
    top_k: int = 10,
    json_output: bool = False,
) -> None:
    """Body of ``kgfuse qa ask``: print the ranked answers with their paths and sentences, the
    calibrated confidence, and "no answer in the graph within N hops" below the threshold."""
    from kgfuse.fusion.qa.inference import ask, load_qa

    loaded = load_qa(model)
    with _store(store) as graph:
        result = ask(
            loaded, question, topic_entities=list(topics) or None, top_k=top_k, store=graph
        )
    if json_output:
        print_json(result)
        return
    names = dict(zip(loaded.kg.entity_vocab, loaded.kg.entity_names, strict=True))
    rows = [
        (rank, a.name, f"{a.score:.3f}", _path_text(a.path, names))
        for rank, a in enumerate(result.answers, start=1)
    ]
    title = question + (" (best guesses)" if result.no_answer else "")
    print_table(title, ["#", "answer", "score", "supporting path"], rows)
    for rank, a in enumerate(result.answers, start=1):
        for sentence in a.sentences:
            console.print(f"  [{rank}] {sentence}", highlight=False)
    kind = "calibrated" if result.calibrated else "uncalibrated"
    console.print(f"confidence {result.confidence:.3f} ({kind})", highlight=False)
    for warning in result.warnings:
        console.print(f"note: {warning}", highlight=False, markup=False)


MODEL_DIR = typer.Option(..., "--model", "-m", help="QA model directory (kgfuse qa train)")
QUESTION = typer.Argument(..., help="The question; square brackets may mark its topic entity")
TOPICS = typer.Option([], "--topic", help="Topic entity name or key (repeatable)")
TOP_K = typer.Option(10, "--top-k", help="How many answers")


_TRAIN_HELP = (
    "Train an answer ranker over the graph from labelled questions.\n\nQuestions are "
    "JSONL with question, answers (entity names) and an optional topic_entity. "
    "Candidates are the entities of the bounded subgraph around the topic; the "
    "question weights relations at each hop. Settings: kgfuse.QAOptions."
)


@qa_app.command("synthesize")
def synthesize(
    store: str = typer.Option(..., "--store", "-s", help=opt.STORE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Where the questions go (.jsonl)"),
    hops: str = typer.Option("1..2", help="Hop counts: 2, 1..3 or 1,3 (at most 4)"),
    per_pattern: int = typer.Option(100, help="Most questions per relation path pattern"),
    relations: Path = typer.Option(
        None, help="TOML of relation phrases (default: phrases from relation names)"
    ),
    exclude: list[Path] = typer.Option(
        [], help="Evaluation questions (.jsonl) to keep out (repeatable)"
    ),
    max_answers: int = typer.Option(100, help="Drop paths that reach more entities"),
    min_transition: float = typer.Option(
        0.0, help="Skip a step that fewer than this share of the nodes reached have (0-1)"
    ),
    seed: int = opt.SEED,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Write training questions made from the graph's relation paths (answers by executing
    each path on the graph): no labelled questions needed."""
    result = synthesize_command(
        store,
        out=out,
        hops=hops,
        per_pattern=per_pattern,
        relations=relations,
        exclude=exclude,
        max_answers=max_answers,
        min_transition=min_transition,
        seed=seed if seed is not None else 13,
    )
    if json_output:
        print_json(result)
    else:
        per_hop = ", ".join(f"{n} {h}-hop" for h, n in sorted(result["by_hops"].items()))
        console.print(f"wrote {result['questions']} questions ({per_hop}) to {out}")


@qa_app.command("train", help=_TRAIN_HELP)
def train(
    train_path: Path = opt.TRAIN_DATA,
    eval_path: Path = opt.EVAL_DATA,
    store: str = typer.Option(..., "--store", "-s", help=opt.STORE_HELP),
    out: Path = opt.OUT_DIR,
    text_encoder: str = opt.TEXT_ENCODER,
    hops: int = typer.Option(None, help="Reasoning steps = subgraph radius (default 2)"),
    epochs: float = typer.Option(None, help="Training epochs (fractions allowed)"),
    max_steps: int = typer.Option(None, help="Stop after this many optimizer steps"),
    batch_size: int = typer.Option(None, help="Questions per step and device"),
    seed: int = opt.SEED,
    freeze_text_encoder: bool = typer.Option(
        None,
        "--freeze-text-encoder/--fine-tune-text-encoder",
        help="Embed each question once and train only the reasoner (default on CPUs)",
    ),
    config: Path = opt.CONFIG,
    overrides: list[str] = opt.SETTINGS,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Train an answer ranker from labelled questions (help: ``_TRAIN_HELP``)."""
    metrics = train_qa_command(
        train_path,
        eval_path,
        store=store,
        out=out,
        config=config,
        overrides=overrides,
        text_encoder=text_encoder,
        hops=hops,
        epochs=epochs,
        max_steps=max_steps,
        batch_size=batch_size,
        seed=seed,
        freeze_text_encoder=freeze_text_encoder,
    )
    opt.print_metrics(f"Trained {out}", metrics, json_output)


@qa_app.command("evaluate")
def evaluate(
    model: Path = typer.Argument(..., help="QA model directory (kgfuse qa train)"),
    data: Path = typer.Argument(..., help="Questions with answers (.jsonl)"),
    store: str = typer.Option(None, "--store", "-s", help="Graph store, for topic linking"),
    skip_unknown: bool = typer.Option(
        False,
        "--skip-unknown",
        help="Leave out questions whose topic or answers are not in the graph "
        "(default: count them as misses)",
    ),
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Score a QA model on held-out questions: Hits@1, Hits@10, MRR, per hop."""
    evaluate_qa_command(
        model, data, store=store, skip_unknown=skip_unknown, json_output=json_output
    )


@qa_app.command("calibrate")
def calibrate(
    model: Path = typer.Argument(..., help="QA model directory (kgfuse qa train)"),
    data: Path = typer.Argument(..., help="Held-out questions with answers (.jsonl)"),
    store: str = typer.Option(None, "--store", "-s", help="Graph store, for topic linking"),
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Fit the confidence temperature and the no-answer threshold of a QA model on held-out
    questions (done by qa train when it gets eval data)."""
    calibrate_command(model, data, store=store, json_output=json_output)


@qa_app.command("ask")
def ask(
    question: str = QUESTION,
    model: Path = MODEL_DIR,
    store: str = typer.Option(None, "--store", "-s", help=opt.STORE_HELP),
    topic: list[str] = TOPICS,
    top_k: int = TOP_K,
    json_output: bool = opt.JSON_OUTPUT,
) -> None:
    """Answer a question: ranked entities with scores, supporting paths and sentences."""
    ask_command(
        question, model=model, store=store, topics=topic, top_k=top_k, json_output=json_output
    )
