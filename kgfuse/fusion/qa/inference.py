"""Answering questions and evaluating with a saved QA model directory (no store needed).

A store, when given, adds alias and fuzzy linking of topic entities and the source
sentences behind each supporting fact (``GraphStore.entity_card``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from kgfuse.errors import EntityNotFoundError
from kgfuse.fusion.qa.data import QARecord, parse_question, read_qa
from kgfuse.fusion.qa.dataset import QACollator, QADataset
from kgfuse.fusion.qa.evaluation import check_policy, evaluation_metrics
from kgfuse.fusion.qa.examples import prepare_examples
from kgfuse.fusion.qa.explain import Fact, SentenceFinder, explain_path
from kgfuse.fusion.qa.io import LoadedQA, load_qa_model
from kgfuse.fusion.qa.ranking import rank_examples
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.graph.linking import TopicLinker


@dataclass(frozen=True)
class Answer:
    """One ranked answer.

    Attributes:
        key: Entity key.
        name: Display name.
        score: Probability among the question's candidates.
        path: Supporting facts from a topic entity to the answer.
        sentences: Source sentences of those facts (when a store was given).
    """

    key: str
    name: str
    score: float
    path: tuple[Fact, ...]
    sentences: tuple[str, ...] = ()


def load_qa(model: str | Path | LoadedQA, *, device: str | None = None) -> LoadedQA:
    """Return a loaded QA model for a directory (or the loaded model itself).

    Raises:
        ModelError: The directory is missing, corrupt, or not a QA model.
    """
    return model if isinstance(model, LoadedQA) else load_qa_model(model, device=device)


def _settings(loaded: LoadedQA) -> dict[str, Any]:
    settings = dict(loaded.metadata.get("settings", {}))
    settings.setdefault("hops", loaded.model.config.num_hops)
    return settings


def _sampler(loaded: LoadedQA, settings: dict[str, Any]) -> QASubgraphSampler:
    return QASubgraphSampler(
        loaded.kg,
        hops=int(settings["hops"]),
        max_nodes=int(settings.get("max_nodes", 2048)),
        max_degree=int(settings.get("max_degree", 200)),
    )


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
        Answers, best first.

    Raises:
        EntityNotFoundError: A given topic entity is unknown, or the question names none.
        ModelError: The model directory cannot be loaded.
    """
    loaded = load_qa(model, device=device)
    settings = _settings(loaded)
    text, topics, mentions = parse_question(question, tuple(topic_entities or ()) or None)
    linker = TopicLinker(loaded.kg, store=store)
    record = QARecord(text, (), topics, mentions, "question")
    (example,) = prepare_examples(
        [record],
        loaded.kg,
        linker,
        mask_topic=bool(settings.get("mask_topic", True)),
        placeholder=str(settings.get("placeholder", "NE")),
        as_data_error=False,
    )
    if not example.topics:
        raise EntityNotFoundError(
            f"no entity of the model's graph was found in {question!r}; mark the topic entity "
            "in brackets ('who directed [The Matrix]') or pass topic_entities"
        )
    dataset = QADataset(
        [example], tokenizer=loaded.tokenizer, max_length=int(settings.get("max_length", 64))
    )
    batch = QACollator(loaded.tokenizer.pad_token_id or 0, _sampler(loaded, settings))([dataset[0]])
    batch.pop("labels")
    device_ = next(loaded.model.parameters()).device
    batch = {k: v.to(device_) for k, v in batch.items()}
    with torch.no_grad():
        out = loaded.model(**batch)
    logits = out.logits[0].float()
    candidate = out.candidate_mask[0]
    probs = torch.softmax(logits.masked_fill(~candidate, float("-inf")), -1).nan_to_num(0.0)
    order = torch.argsort(probs, descending=True, stable=True)[: int(candidate.sum())][:top_k]
    sentences = SentenceFinder(store)
    answers = []
    for local in order.tolist():
        node = int(batch["node_ids"][local])
        path = explain_path(
            loaded.kg,
            node=local,
            node_ids=batch["node_ids"],
            edge_index=batch["edge_index"],
            edge_type=batch["edge_type"],
            topic_mask=batch["topic_mask"],
            hop_scores=out.hop_scores,
            relation_weights=out.relation_weights[:, 0],
            hop_attention=out.hop_attention[0],
        )
        answers.append(
            Answer(
                loaded.kg.entity_vocab[node],
                loaded.kg.entity_names[node],
                float(probs[local]),
                tuple(path),
                sentences(path),
            )
        )
    return answers


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
    settings = _settings(loaded)
    examples = prepare_examples(
        read_qa(data_path),
        loaded.kg,
        TopicLinker(loaded.kg, store=store),
        mask_topic=bool(settings.get("mask_topic", True)),
        placeholder=str(settings.get("placeholder", "NE")),
        unknown_topics="error" if policy == "error" else "skip",
    )
    rankings = rank_examples(
        loaded.model,
        examples,
        tokenizer=loaded.tokenizer,
        sampler=_sampler(loaded, settings),
        max_length=int(settings.get("max_length", 64)),
        batch_size=batch_size,
    )
    return evaluation_metrics(rankings, examples, drop_unknown=policy == "drop")
