"""Linking QA records to a graph: topic node ids, answer node ids, masked question text."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from kgfuse.errors import ConfigError, DataError, EntityNotFoundError
from kgfuse.fusion.qa.data import QARecord
from kgfuse.graph.data import KGData
from kgfuse.graph.linking import TopicLinker, mask_mention
from kgfuse.kg.normalize import entity_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QAExample:
    """A linked question.

    Attributes:
        text: The question as the encoder sees it (topic mention masked when asked).
        topics: Node ids of the topic entities (empty: nothing could be linked).
        answers: Node ids of the gold answers found in the graph.
        record: The record it came from.
    """

    text: str
    topics: tuple[int, ...]
    answers: tuple[int, ...]
    record: QARecord


def prepare_examples(
    records: Sequence[QARecord],
    kg: KGData,
    linker: TopicLinker,
    *,
    mask_topic: bool = True,
    placeholder: str = "NE",
    as_data_error: bool = True,
    unknown_topics: str = "error",
) -> list[QAExample]:
    """Link records to the graph.

    Args:
        records: Questions read by ``read_qa``.
        kg: The graph.
        linker: Resolves topic names and scans questions without one.
        mask_topic: Replace the topic's mention in the question with ``placeholder``.
        placeholder: The mask word.
        as_data_error: Report an unknown topic entity as ``DataError`` naming the record
            (data files); False lets ``EntityNotFoundError`` through (interactive questions).
        unknown_topics: ``error`` (raise) or ``skip``: the record gets no topic (training
            drops it, evaluation counts it as a miss), with one warning for all of them.

    Returns:
        One example per record (``topics`` empty when a question names no known entity).

    Raises:
        DataError: A record's given topic entity is not in the graph (record named).
        EntityNotFoundError: The same, when ``as_data_error`` is False.
    """
    if unknown_topics not in {"error", "skip"}:
        raise ConfigError(f"unknown_topics must be 'error' or 'skip', got {unknown_topics!r}")
    lookup = {k: i for i, k in enumerate(kg.entity_vocab)}
    examples, skipped = [], []
    for record in records:
        try:
            topics = tuple(linker.link(record.question, record.topics))
        except EntityNotFoundError as exc:
            if unknown_topics == "skip":
                skipped.append(record.id)
                topics = ()
            elif not as_data_error:
                raise
            else:
                raise DataError(
                    f"{record.id}: {exc} (unknown_topics='skip' drops such questions)"
                ) from exc
        answers = tuple(
            dict.fromkeys(
                i
                for name in record.answers
                if (i := lookup.get(name, lookup.get(entity_key(name)))) is not None
            )
        )
        text = record.question
        if mask_topic and topics:
            surfaces = [*record.mentions, *(record.topics or ())]
            surfaces += [kg.entity_names[i] for i in topics]
            surfaces += [kg.entity_vocab[i].replace("_", " ") for i in topics]
            text = mask_mention(text, surfaces, placeholder)
        examples.append(QAExample(text, topics, answers, record))
    if skipped:
        logger.warning(
            "%d questions name a topic entity that is not in the graph (first: %s); skipped",
            len(skipped),
            skipped[0],
        )
    return examples
