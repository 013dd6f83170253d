"""Answering questions and evaluating with a saved QA model directory (no store needed).

A store, when given, adds alias and fuzzy linking of topic entities and the source
sentences behind each supporting fact (``GraphStore.entity_card``). ``ask`` (in ``asking``)
adds the calibrated confidence and the no-answer decision; ``calibrate_qa`` fits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kgfuse.fusion.qa.asking import Answer, AskResult, ask, load_qa, qa_sampler, qa_settings
from kgfuse.fusion.qa.calibration import fit_calibration, save_calibration
from kgfuse.fusion.qa.data import read_qa
from kgfuse.fusion.qa.evaluation import check_policy, evaluation_metrics
from kgfuse.fusion.qa.examples import QAExample, prepare_examples
from kgfuse.fusion.qa.io import LoadedQA
from kgfuse.fusion.qa.ranking import Ranking, rank_examples
from kgfuse.graph.linking import TopicLinker

__all__ = ["Answer", "AskResult", "answer", "ask", "calibrate_qa", "evaluate_qa", "load_qa"]


def answer(
    model: str | Path | LoadedQA,
    question: str,
    *,
    topic_entities: Sequence[str] | None = None,
    top_k: int = 10,
    store: Any = None,
    device: str | None = None,
) -> list[Answer]:
    """Answer one question with ranked entities and the paths that support them.

    Args:
        model: A QA model directory or a loaded model (``load_qa``).
        question: The question; a ``[bracketed]`` name marks the topic entity.
        topic_entities: Topic entity names or keys (default: brackets, else found in the text).
        top_k: How many answers to return.
        store: An open ``GraphStore``: alias/fuzzy linking and source sentences.
        device: Where to run (default CPU).

    Returns:
        Answers, best first (``ask`` also says whether to trust them).

    Raises:
        EntityNotFoundError: A given topic entity is unknown, or the question names none.
        ModelError: The model directory cannot be loaded.
    """
    result = ask(
        model, question, topic_entities=topic_entities, top_k=top_k, store=store, device=device
    )
    return result.answers


def _rank_file(
    loaded: LoadedQA, data_path: str | Path, store: Any, unknown: str, batch_size: int
) -> tuple[list[Ranking], list[QAExample]]:
    settings = qa_settings(loaded)
    examples = prepare_examples(
        read_qa(data_path),
        loaded.kg,
        TopicLinker(loaded.kg, store=store),
        mask_topic=bool(settings.get("mask_topic", True)),
        placeholder=str(settings.get("placeholder", "NE")),
        unknown_topics=unknown,
    )
    rankings = rank_examples(
        loaded.model,
        examples,
        tokenizer=loaded.tokenizer,
        sampler=qa_sampler(loaded, settings),
        max_length=int(settings.get("max_length", 64)),
        batch_size=batch_size,
    )
    return rankings, examples


def calibrate_qa(
    model_dir: str | Path,
    data_path: str | Path,
    *,
    store: Any = None,
    batch_size: int = 128,
    device: str | None = None,
) -> dict[str, Any]:
    """Fit a model's confidence temperature and no-answer threshold on held-out questions
    and save them (``calibration.json``) in its directory.

    Args:
        model_dir: The QA model directory.
        data_path: Held-out questions with answers (never the training questions).
        store: An open ``GraphStore`` for alias/fuzzy linking (optional).
        batch_size: Questions per forward pass.
        device: Where to run (default CPU).

    Returns:
        The calibration (see ``fit_calibration``).

    Raises:
        DataError: Empty or malformed data. ModelError: The directory cannot be loaded.
    """
    loaded = load_qa(model_dir, device=device)
    rankings, examples = _rank_file(loaded, data_path, store, "skip", batch_size)
    calibration = fit_calibration(rankings, examples)
    save_calibration(model_dir, calibration)
    return calibration


def evaluate_qa(
    model: str | Path | LoadedQA,
    data_path: str | Path,
    *,
    store: Any = None,
    unknown_topics: str = "miss",
    batch_size: int = 128,
    device: str | None = None,
) -> dict[str, Any]:
    """Score a QA model on questions with gold answers.

    Args:
        model: A QA model directory or a loaded model.
        data_path: JSONL with ``question``, ``answers`` and optional ``topic_entity``, ``hops``.
        store: An open ``GraphStore`` for alias/fuzzy linking (optional).
        unknown_topics: What a question no model can answer (topic or answers not in the
            graph, no entity named) does: ``miss`` (counted as a miss, the default; ``skip``
            is an old name of it), ``drop`` (left out of the metrics) or ``error`` (raise).
        batch_size: Questions per forward pass.
        device: Where to run (default CPU).

    Returns:
        ``hits@1``, ``hits@10``, ``mrr``, ``answer_coverage``, ``questions``, the counts
        ``unknown_topics``, ``unlinked``, ``unknown_answers``, ``dropped``, and ``by_hops``
        when the questions say their hop count (see ``evaluation_metrics``).

    Raises:
        DataError: Empty or malformed data; an unknown topic entity with ``error``.
        ConfigError: An unknown ``unknown_topics`` policy.
        ModelError: The model directory cannot be loaded.
    """
    policy = check_policy(unknown_topics)
    loaded = load_qa(model, device=device)
    unknown = "error" if policy == "error" else "skip"
    rankings, examples = _rank_file(loaded, data_path, store, unknown, batch_size)
    return evaluation_metrics(rankings, examples, drop_unknown=policy == "drop")
