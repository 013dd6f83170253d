"""Asking one question honestly: ranked answers with calibrated confidence, "no answer in the
graph within N hops" below the threshold chosen on held-out questions, and a warning when the
question seems to need more hops than the model reasons over.

The confidence is the top answer's probability after the model's temperature
(``calibration.json``, see ``calibration``); a model without one shows its raw probability
and never abstains. The hop warning fires when no answer clears the threshold and the
model's hop attention leans on its last hop (or nothing was reachable at all): the reasoning
wanted to go on when the subgraph ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from kgfuse.errors import EntityNotFoundError
from kgfuse.fusion.qa.calibration import temper
from kgfuse.fusion.qa.data import QARecord, parse_question
from kgfuse.fusion.qa.dataset import QACollator, QADataset
from kgfuse.fusion.qa.examples import prepare_examples
from kgfuse.fusion.qa.explain import Fact, SentenceFinder, explain_path
from kgfuse.fusion.qa.io import LoadedQA, load_qa_model
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.graph.linking import TopicLinker

#: Hop attention on the last hop above which a question "wants more hops".
LAST_HOP_WEIGHT = 0.5


@dataclass(frozen=True)
class Answer:
    """One ranked answer.

    Attributes:
        key: Entity key.
        name: Display name.
        score: Probability among the question's candidates (calibrated when the model has a
            calibration).
        path: Supporting facts from a topic entity to the answer.
        sentences: Source sentences of those facts (when a store was given).
    """

    key: str
    name: str
    score: float
    path: tuple[Fact, ...]
    sentences: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskResult:
    """A question's answers and how far to trust them.

    Attributes:
        question: The question as asked.
        answers: Ranked answers (kept even when ``no_answer``: the best guesses).
        confidence: The top answer's (calibrated) probability; 0 with no candidate.
        calibrated: Whether a calibration fitted on held-out questions was applied.
        threshold: Confidence below which there is no answer (0 without calibration).
        no_answer: True when the confidence is below the threshold or nothing was reachable.
        hops: The model's reasoning steps (subgraph radius).
        hop_weights: The question's attention over hops 1..``hops``.
        warnings: Sentences for the user (no answer, more hops needed).
    """

    question: str
    answers: list[Answer]
    confidence: float
    calibrated: bool
    threshold: float
    no_answer: bool
    hops: int
    hop_weights: list[float]
    warnings: list[str] = field(default_factory=list)


def load_qa(model: str | Path | LoadedQA, *, device: str | None = None) -> LoadedQA:
    """Return a loaded QA model for a directory (or the loaded model itself).

    Raises:
        ModelError: The directory is missing, corrupt, or not a QA model.
    """
    return model if isinstance(model, LoadedQA) else load_qa_model(model, device=device)


def qa_settings(loaded: LoadedQA) -> dict[str, Any]:
    """The inference settings saved with a model (``hops``, subgraph bounds, masking)."""
    settings = dict(loaded.metadata.get("settings", {}))
    settings.setdefault("hops", loaded.model.config.num_hops)
    return settings


def qa_sampler(loaded: LoadedQA, settings: dict[str, Any]) -> QASubgraphSampler:
    """The subgraph sampler a model was trained with (built once per loaded model: its
    index over the graph's facts costs tens of milliseconds on MetaQA)."""
    key = (int(settings["hops"]), settings.get("max_nodes", 2048), settings.get("max_degree", 200))
    cached = getattr(loaded, "_qa_sampler", None)
    if cached is None or cached[0] != key:
        sampler = QASubgraphSampler(
            loaded.kg, hops=key[0], max_nodes=int(key[1]), max_degree=int(key[2])
        )
        cached = (key, sampler)
        loaded._qa_sampler = cached  # type: ignore[attr-defined]
    return cached[1]


def _linker(loaded: LoadedQA, store: Any) -> TopicLinker:
    """The topic linker of a loaded model (reused while the store is the same)."""
    cached = getattr(loaded, "_qa_linker", None)
    if cached is None or cached.store is not store:
        cached = TopicLinker(loaded.kg, store=store)
        loaded._qa_linker = cached  # type: ignore[attr-defined]
    return cached


def ask(
    model: str | Path | LoadedQA,
    question: str,
    *,
    topic_entities: Sequence[str] | None = None,
    top_k: int = 10,
    store: Any = None,
    device: str | None = None,
) -> AskResult:
    """Answer one question, saying how confident the answer is and when there is none.

    Args:
        model: A QA model directory or a loaded model (``load_qa``).
        question: The question; a ``[bracketed]`` name marks the topic entity.
        topic_entities: Topic entity names or keys (default: brackets, else found in the text).
        top_k: How many answers to return.
        store: An open ``GraphStore``: alias/fuzzy linking and source sentences.
        device: Where to run (default CPU).

    Returns:
        The answers with confidence, the no-answer decision and warnings.

    Raises:
        EntityNotFoundError: A given topic entity is unknown, or the question names none.
        ModelError: The model directory cannot be loaded.
    """
    loaded = load_qa(model, device=device)
    settings = qa_settings(loaded)
    text, topics, mentions = parse_question(question, tuple(topic_entities or ()) or None)
    linker = _linker(loaded, store)
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
    batch = QACollator(loaded.tokenizer.pad_token_id or 0, qa_sampler(loaded, settings))(
        [dataset[0]]
    )
    batch.pop("labels")
    device_ = next(loaded.model.parameters()).device
    batch = {k: v.to(device_) for k, v in batch.items()}
    with torch.no_grad():
        out = loaded.model(**batch)
    logits = out.logits[0].float()
    candidate = out.candidate_mask[0]
    probs = torch.softmax(logits.masked_fill(~candidate, float("-inf")), -1).nan_to_num(0.0)
    order = torch.argsort(probs, descending=True, stable=True)[: int(candidate.sum())]
    calibration = loaded.metadata.get("calibration")
    ranked = probs[order].cpu().numpy()
    if calibration:
        ranked = temper(ranked, float(calibration["temperature"]))
    sentences = SentenceFinder(store)
    answers = []
    for local, score in zip(order[:top_k].tolist(), ranked[:top_k].tolist(), strict=False):
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
                float(score),
                tuple(path),
                sentences(path),
            )
        )
    hop_weights = [round(float(w), 4) for w in out.hop_attention[0].cpu()]
    return _judge(question, answers, hop_weights, calibration, int(settings["hops"]))


def _judge(
    question: str,
    answers: list[Answer],
    hop_weights: list[float],
    calibration: dict[str, Any] | None,
    hops: int,
) -> AskResult:
    """Decide whether there is an answer, and what to warn about."""
    confidence = answers[0].score if answers else 0.0
    threshold = float(calibration["threshold"]) if calibration else 0.0
    no_answer = not answers or confidence < threshold
    warnings = []
    if no_answer:
        warnings.append(f"no answer in the graph within {hops} hops")
        if not answers or (hop_weights and hop_weights[-1] >= LAST_HOP_WEIGHT):
            warnings.append(
                f"the question seems to need more than the {hops} hops this model reasons "
                "over; train one with a larger --hops on questions that go that far"
            )
    elif not calibration:
        warnings.append("confidence is not calibrated (kgfuse qa calibrate MODEL DEV.jsonl)")
    return AskResult(
        question,
        answers,
        round(float(confidence), 4),
        calibration is not None,
        threshold,
        no_answer,
        hops,
        hop_weights,
        warnings,
    )
