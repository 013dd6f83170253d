"""Question-answering data: JSON Lines records of questions, answers and topic entities.

One JSON object per line::

    {"question": "who directed The Matrix?", "answers": ["Lana Wachowski", "Lilly Wachowski"],
     "topic_entity": "The Matrix"}

``answers`` (entity names or keys, a list or one string) is needed for training and
evaluation; ``topic_entity`` (a name, a key, or a list of them; ``topic_entities`` works too)
is optional. MetaQA marks the topic entity in brackets (``what movies did [Tom Hanks] star
in``): the bracketed names are topic entities when the record gives none, and the brackets
are removed from the question. ``id`` is kept when present (else ``FILE:LINE``). ``hops``
(an integer, optional; else read from an id such as ``metaqa-2hop-dev-7``) groups the
questions in per-hop evaluation breakdowns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.errors import CorpusError, DataError

_BRACKETS = re.compile(r"\[([^\[\]]+)\]")
_HOP_ID = re.compile(r"(?<![0-9])([1-9])-?hop", re.IGNORECASE)


@dataclass(frozen=True)
class QARecord:
    """One question as read from a file.

    Attributes:
        question: The question, brackets removed.
        answers: Gold answer names or keys (empty for unlabelled data).
        topics: Topic entity names or keys, given or bracketed; None when the data has none.
        mentions: Surface forms of the topic entities in the question (bracketed text).
        id: Record id (or ``FILE:LINE``).
        hops: How many hops the question needs, when the data says so (per-hop metrics).
    """

    question: str
    answers: tuple[str, ...] = ()
    topics: tuple[str, ...] | None = None
    mentions: tuple[str, ...] = ()
    id: str = ""
    hops: int | None = None


def parse_question(
    question: str, topics: tuple[str, ...] | None = None
) -> tuple[str, tuple[str, ...] | None, tuple[str, ...]]:
    """Strip MetaQA-style brackets from a question.

    Args:
        question: The raw question (``what movies did [Tom Hanks] star in``).
        topics: Topic entities given by the data, if any.

    Returns:
        ``(question without brackets, topics, bracketed mentions)``: the bracketed names
        become the topics when none were given.
    """
    mentions = tuple(m.strip() for m in _BRACKETS.findall(question) if m.strip())
    text = " ".join(_BRACKETS.sub(r"\1", question).split())
    if topics is None and mentions:
        topics = mentions
    return text, topics, mentions


def _names(value: Any, field: str, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        raise DataError(f"{where}: {field!r} must be a name or a list of names, got {value!r}")
    return tuple(str(v).strip() for v in value if str(v).strip())


def record_from_dict(row: Any, where: str, *, require_answers: bool = True) -> QARecord:
    """Validate one JSON object and turn it into a ``QARecord``.

    Raises:
        DataError: Not an object, no question, malformed answers or topic entities, or no
            answers when ``require_answers``.
    """
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object with 'question', got {row!r}")
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise DataError(f"{where}: missing or empty 'question' (fields: {sorted(row)})")
    answers = _names(row.get("answers", row.get("answer")), "answers", where) or ()
    if require_answers and not answers:
        raise DataError(f"{where}: the question has no 'answers' (a list of entity names)")
    topic_value = row.get("topic_entity", row.get("topic_entities"))
    topics = _names(topic_value, "topic_entity", where) or None
    text, topics, mentions = parse_question(question, topics)
    record_id = str(row.get("id") or where)
    return QARecord(text, answers, topics, mentions, record_id, _hops(row, record_id, where))


def _hops(row: dict[str, Any], record_id: str, where: str) -> int | None:
    """The record's ``hops`` field, else a ``<n>hop`` in its id, else None."""
    value = row.get("hops")
    if value is None:
        found = _HOP_ID.search(record_id)
        return int(found.group(1)) if found else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(f"{where}: 'hops' must be a positive integer, got {value!r}")
    return value


def read_qa(path: str | Path, *, require_answers: bool = True) -> list[QARecord]:
    """Read QA records from a JSON Lines file (``.gz`` too).

    Args:
        path: The file.
        require_answers: Every record must list answers (training, evaluation).

    Returns:
        The records in file order (blank lines are skipped).

    Raises:
        DataError: Missing file, malformed line (file and line named), or no questions.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"QA data file {path} does not exist: expected JSON Lines")
    records = []
    try:
        with open_text(path, "utf-8") as handle:
            for line_no, line in numbered_lines(handle, path, "utf-8"):
                if not line.strip():
                    continue
                where = f"{path}:{line_no}"
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise DataError(f"{where}: not valid JSON ({exc})") from exc
                records.append(record_from_dict(row, where, require_answers=require_answers))
    except CorpusError as exc:
        raise DataError(str(exc)) from exc
    if not records:
        raise DataError(f"{path} holds no questions: expected one JSON object per line")
    return records
