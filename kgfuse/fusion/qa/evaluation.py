"""Evaluation that carries on past bad questions: counts of what could not be scored, and
per-hop breakdowns.

A question whose topic entity is not in the graph (MetaQA's film ``$`` has no key), that names
no entity at all, or none of whose gold answers is in the graph cannot be answered by any
model: by default it counts as a miss and is counted in ``unknown_topics`` / ``unlinked`` /
``unknown_answers``; ``drop_unknown`` leaves such questions out of the metrics instead (and
says how many in ``dropped``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgfuse.errors import ConfigError
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.ranking import Ranking, ranking_metrics

#: How ``evaluate_qa`` treats a question it cannot score.
UNKNOWN_POLICIES = ("miss", "drop", "error")


def check_policy(unknown: str) -> str:
    """Return ``unknown`` as one of ``UNKNOWN_POLICIES`` (``skip``, the old name, is ``miss``).

    Raises:
        ConfigError: Anything else.
    """
    unknown = "miss" if unknown == "skip" else unknown
    if unknown not in UNKNOWN_POLICIES:
        raise ConfigError(
            f"unknown_topics must be one of {', '.join(UNKNOWN_POLICIES)}, got {unknown!r}"
        )
    return unknown


def unscorable(example: QAExample) -> str | None:
    """Why no model can answer ``example`` (``unknown_topic``, ``unlinked``,
    ``unknown_answers``), or None when it can be scored."""
    if not example.topics:
        return "unknown_topic" if example.record.topics else "unlinked"
    if not example.answers:
        return "unknown_answers"
    return None


def evaluation_metrics(
    rankings: Sequence[Ranking], examples: Sequence[QAExample], *, drop_unknown: bool = False
) -> dict[str, Any]:
    """Ranking metrics with counts of unscorable questions and a per-hop breakdown.

    Args:
        rankings: One ranking per example (``rank_examples``).
        examples: The linked examples.
        drop_unknown: Leave unscorable questions out instead of counting them as misses.

    Returns:
        ``hits@1``, ``hits@10``, ``mrr``, ``answer_coverage``, ``questions`` (scored),
        ``unknown_topics``, ``unlinked``, ``unknown_answers``, ``dropped``, and ``by_hops``
        (``{"1": {...}, "2": {...}}`` for questions whose hop count is known).
    """
    reasons = [unscorable(ex) for ex in examples]
    keep = [i for i, why in enumerate(reasons) if not (drop_unknown and why)]
    kept_r, kept_e = [rankings[i] for i in keep], [examples[i] for i in keep]
    metrics: dict[str, Any] = dict(ranking_metrics(kept_r, kept_e))
    metrics["unlinked"] = reasons.count("unlinked")
    metrics["unknown_topics"] = reasons.count("unknown_topic")
    metrics["unknown_answers"] = reasons.count("unknown_answers")
    metrics["dropped"] = len(examples) - len(keep)
    groups: dict[int, list[int]] = {}
    for j, ex in enumerate(kept_e):
        if ex.record.hops is not None:
            groups.setdefault(ex.record.hops, []).append(j)
    if groups:
        metrics["by_hops"] = {
            str(h): {
                k: v
                for k, v in ranking_metrics(
                    [kept_r[j] for j in idx], [kept_e[j] for j in idx]
                ).items()
                if k != "unlinked"
            }
            for h, idx in sorted(groups.items())
        }
    return metrics


def flat_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """``by_hops`` spread into ``hits@1[2hop]``-style keys, for a two-column table."""
    flat = {k: v for k, v in metrics.items() if k != "by_hops"}
    for hops, values in metrics.get("by_hops", {}).items():
        for k, v in values.items():
            flat[f"{k} [{hops}-hop]"] = v
    return flat
