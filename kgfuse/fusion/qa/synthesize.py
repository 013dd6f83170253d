"""Training questions synthesised from the graph itself: no labelled questions needed.

1. Relation paths of 1 to ``MAX_HOPS`` (4) steps are found by random walks (``PathIndex.walk``);
   for each path pattern, up to ``per_pattern`` distinct topic entities are kept.
2. Each (pattern, topic) is executed on the graph (``PathIndex.execute``): the answers are
   exactly the entities the path reaches, so a question is correct by construction. Paths
   with no answer or more than ``max_answers`` are dropped.
3. The question is written from relation phrases (``phrases``): the inner hops as noun
   phrases, the last as a question, the topic in brackets (``who directed the films starring
   [Tom Hanks]``); the paraphrase is drawn at random.
4. Questions are deduplicated, and any whose text (brackets and case aside) appears in a
   given evaluation file is left out.

Rows are what ``kgfuse qa train`` reads, plus ``hops`` (per-hop metrics) and ``path``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kgfuse.errors import ConfigError, DataError
from kgfuse.fusion.qa.config import check_hops
from kgfuse.fusion.qa.data import read_qa
from kgfuse.fusion.qa.paths import PathIndex
from kgfuse.fusion.qa.phrases import RelationPhrases, load_phrases
from kgfuse.graph.data import KGData

logger = logging.getLogger(__name__)


def parse_hops(spec: str | int | Sequence[int]) -> tuple[int, ...]:
    """``"1..3"`` -> ``(1, 2, 3)``; ``"2"``, ``"1,3"`` and integers work too.

    Raises:
        ConfigError: Not a hop range, or a hop count outside 1..``MAX_HOPS``.
    """
    if isinstance(spec, int):
        values = [spec]
    elif isinstance(spec, str):
        values = []
        for part in spec.replace(" ", "").split(","):
            low, sep, high = part.partition("..")
            try:
                values += list(range(int(low), int(high) + 1)) if sep else [int(low)]
            except ValueError:
                raise ConfigError(
                    f"--hops expects a count or a range like 1..3, got {spec!r}"
                ) from None
            if sep and int(high) < int(low):
                raise ConfigError(f"--hops range {part!r} is empty")
    else:
        values = list(spec)
    return tuple(sorted({check_hops(v) for v in values}))


def question_key(text: str) -> str:
    """Normal form of a question for deduplication: brackets, case and spacing aside."""
    return " ".join(re.sub(r"[\[\]?.!,]", " ", text).lower().split())


def excluded_questions(paths: Iterable[str | Path]) -> set[str]:
    """The normal forms of the questions of evaluation files (kept out of training)."""
    keys: set[str] = set()
    for path in paths:
        keys.update(question_key(r.question) for r in read_qa(path, require_answers=False))
    return keys


def compose(
    topic: str, steps: Sequence[int], phrases: Sequence[RelationPhrases], rng: np.random.Generator
) -> str:
    """The question of a path: inner hops as noun phrases, the last hop as a question."""
    text = f"[{topic}]"
    last = len(steps) - 1
    pair = None  # a relation and then its own inverse, as the question's last two hops
    if last >= 1 and steps[-1] // 2 == steps[-2] // 2 and steps[-1] != steps[-2]:
        paired = phrases[steps[-1] // 2]
        pair = paired.co if steps[-2] % 2 else paired.same
        if not pair or rng.random() < 0.5:
            pair = None
    for i, step in enumerate(steps[:-2] if pair else steps):
        options = phrases[step // 2].get(bool(step % 2), noun=i < last)
        text = options[int(rng.integers(len(options)))].replace("{x}", text)
    if pair:
        text = pair[int(rng.integers(len(pair)))].replace("{x}", text)
    return text


def synthesize_questions(
    kg: KGData,
    *,
    hops: Sequence[int] = (1, 2),
    per_pattern: int = 100,
    phrases: str | Path | None = None,
    exclude: Sequence[str | Path] = (),
    max_answers: int = 100,
    max_degree: int = 200,
    min_transition: float = 0.0,
    walks_per_round: int = 200_000,
    rounds: int = 8,
    seed: int = 13,
) -> list[dict[str, Any]]:
    """Synthesise questions with answers from a graph's relation paths.

    Args:
        kg: The graph (``to_pyg(store)`` for a store).
        hops: Hop counts to synthesise (each 1..``MAX_HOPS``).
        per_pattern: Most questions per relation path pattern.
        phrases: TOML file of relation phrases (default: phrases from relation names).
        exclude: Evaluation files whose questions are kept out.
        max_answers: Paths reaching more entities than this are dropped.
        max_degree: Hubs (more facts than this) are not walked through, as in QA subgraphs.
        min_transition: Leave out paths with a step that few nodes reached by the previous
            step have (``PathIndex``; 0 keeps all).
        walks_per_round: Random walks per round and hop count.
        rounds: Most rounds of walks per hop count (stops early when nothing new is found).
        seed: Random seed (the output is deterministic for a graph and settings).

    Returns:
        Rows ``{"id", "question", "topic_entity", "answers", "hops", "path"}`` (keys of the
        graph's entities).

    Raises:
        DataError: An empty graph.
        ConfigError: Invalid hops, an invalid phrase file, a non-positive count.
    """
    hop_counts = parse_hops(list(hops))
    if per_pattern < 1 or max_answers < 1:
        raise ConfigError("per_pattern and max_answers must be at least 1")
    if kg.num_edges == 0:
        raise DataError("the graph holds no facts, so there is nothing to ask about")
    table = load_phrases(phrases, list(kg.relation_vocab))
    by_id = [table[r] for r in kg.relation_vocab]
    index = PathIndex(kg, max_degree=max_degree, min_transition=min_transition)
    skip = excluded_questions(exclude)
    rng = np.random.default_rng(seed)
    names = [n.replace("[", "(").replace("]", ")") for n in kg.entity_names]
    starts_from = np.flatnonzero(index.degree > 0)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    dropped = {"no_answer": 0, "too_many": 0, "duplicate": 0, "excluded": 0}
    for h in hop_counts:
        counts: dict[tuple[int, ...], int] = {}
        tried: set[tuple[tuple[int, ...], int]] = set()
        for _ in range(rounds):
            starts = rng.choice(starts_from, size=walks_per_round)
            steps, ok = index.walk(starts, h, rng)
            added = 0
            for pattern_row, topic in zip(steps[ok].tolist(), starts[ok].tolist(), strict=True):
                pattern = tuple(pattern_row)
                if counts.get(pattern, 0) >= per_pattern or (pattern, topic) in tried:
                    continue
                tried.add((pattern, topic))
                answers = index.execute(topic, pattern)
                if answers is None or answers.size > max_answers:
                    dropped["too_many"] += 1
                    continue
                if answers.size == 0:
                    dropped["no_answer"] += 1
                    continue
                text = compose(names[topic], pattern, by_id, rng)
                key = question_key(text)
                if key in seen or key in skip:
                    dropped["excluded" if key in skip else "duplicate"] += 1
                    continue
                seen.add(key)
                counts[pattern] = counts.get(pattern, 0) + 1
                added += 1
                rows.append(
                    {
                        "id": f"synth-{h}hop-{len(rows)}",
                        "question": text,
                        "topic_entity": kg.entity_vocab[topic],
                        "answers": [kg.entity_vocab[a] for a in answers.tolist()],
                        "hops": h,
                        "path": index.describe(pattern),
                    }
                )
            if added == 0:
                break
        logger.info("%d-hop: %d patterns, %d questions", h, len(counts), sum(counts.values()))
    logger.info("synthesis: %d questions; dropped %s", len(rows), dropped)
    return rows


def write_questions(rows: Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write synthesised rows as JSON Lines (the ``kgfuse qa train`` format)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
