"""One imported statement, and the rules every format shares to accept or skip it."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from kgfuse.corpus.ids import MAX_ID_CHARS, text_problem
from kgfuse.errors import CorpusError
from kgfuse.kg.normalize import entity_key

logger = logging.getLogger(__name__)
# Names repeat a lot in a knowledge base (actors, genres, years): normalise each once.
name_key = functools.lru_cache(maxsize=1 << 16)(entity_key)

#: Extractor id of imported facts (options that change the output are appended).
IMPORT_EXTRACTOR = "import/2"  # 2: names keep their identity (kgfuse.kg.keys)
#: Mention label of imported entities when the file says nothing about their type.
DEFAULT_LABEL = "IMPORTED"
#: Label of literal objects imported as entities (``literals="entity"``).
LITERAL_LABEL = "LITERAL"
#: Skipped lines logged one by one; past this, only the total is logged.
MAX_WARNINGS = 10


@dataclass(frozen=True, slots=True)
class ImportedStatement:
    """One statement read from an import file, before it becomes a document's sentence.

    Attributes:
        index: Line number (delimited files) or statement number (RDF), from 1.
        text: The evidence text: the line, or ``head|predicate|tail`` for RDF.
        head: Subject name.
        predicate: Predicate in lower_snake_case.
        tail: Object name.
        head_span: ``(start, end)`` of the head in ``text``.
        tail_span: ``(start, end)`` of the tail in ``text``.
        head_label: Mention label of the head (None: the import's default label).
        tail_label: Mention label of the tail.
    """

    index: int
    text: str
    head: str
    predicate: str
    tail: str
    head_span: tuple[int, int]
    tail_span: tuple[int, int]
    head_label: str | None = None
    tail_label: str | None = None


# camelCase boundaries only (lower/digit then upper): "directedBy" splits, "IMDb" does not.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[\W_]+")


def predicate_name(name: str) -> str:
    """Return a predicate in lower_snake_case: ``directedBy``, ``Directed by`` -> ``directed_by``.

    Acronyms stay whole (``has IMDb rating`` -> ``has_imdb_rating``).

    Returns:
        The name; empty when it holds no letters or digits.
    """
    text = _CAMEL.sub("_", unicodedata.normalize("NFKC", name).strip())
    return _NON_WORD.sub("_", text.casefold()).strip("_")


# A knowledge base has a handful of relations on millions of lines: name each once.
_predicate_name = functools.lru_cache(maxsize=1 << 12)(predicate_name)


def warn_skip(tally: Counter[str], where: str, why: str, *, strict: bool) -> None:
    """Count a skipped line and log it (the first ``MAX_WARNINGS``), or raise when ``strict``.

    Raises:
        CorpusError: ``strict`` is True.
    """
    if strict:
        raise CorpusError(f"{where}: {why} (strict mode; without it the line is skipped)")
    tally["skipped"] += 1
    if tally["skipped"] <= MAX_WARNINGS:
        logger.warning("skipping %s: %s", where, why)


def build_statement(index: int, text: str, parts: list[tuple[str, int]]) -> ImportedStatement | str:
    """Build a statement from ``(field, offset in text)``; return why it is unusable if so.

    Args:
        index: Line or statement number.
        text: The evidence text.
        parts: ``(head, offset)``, ``(relation, offset)``, ``(tail, offset)``.

    Returns:
        The statement, or a sentence saying why it cannot be imported.
    """
    (head, h0), (relation, _), (tail, t0) = parts
    problem = text_problem(text)
    if problem is not None:
        return f"the line {problem}"
    names = {"head": head, "relation": relation, "tail": tail}
    for role, value in names.items():
        if not value:
            return f"the {role} is empty"
        if len(value) > MAX_ID_CHARS:  # no store keeps a longer entity key (stores.checks)
            return (
                f"the {role} is {len(value)} characters long; at most {MAX_ID_CHARS} are accepted"
            )
    predicate = _predicate_name(relation)
    if not predicate:
        return f"the relation {relation!r} holds no letters or digits"
    return ImportedStatement(
        index, text, head, predicate, tail, (h0, h0 + len(head)), (t0, t0 + len(tail))
    )
