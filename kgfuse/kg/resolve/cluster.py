"""Cross-document entity resolution: mention records in, a ``ResolutionPlan`` out.

1. Records are grouped into units (one key in one document, ``units``).
2. A key used for different kinds of thing (``split.may_split``) is split when its units
   form clearly different clusters by context (``split``): the packaged MiniLM over the
   units' sentences, the mention itself blanked out (``context``).
3. Entities whose names are fuzzy variants, of compatible types, with alike contexts and no
   shared document, are merged (``merge``).

Contexts are embedded only where a decision needs them (``vectors``).

Final keys are a function of the clusters only: a merged group takes the key of its member
with the most mentions (ties: the shorter key, then the smaller), a split part other than the
largest takes ``key~`` and a hash of its first document id. Every step iterates in sorted
order and embeds texts in sorted order, so the plan is the same for any input order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kgfuse.kg.resolve.context import ContextEncoder
from kgfuse.kg.resolve.merge import Thresholds, merge_groups
from kgfuse.kg.resolve.plan import Merge, ResolutionPlan, Split
from kgfuse.kg.resolve.split import Cluster, may_split, split_key
from kgfuse.kg.resolve.units import MentionRecord, build_units
from kgfuse.kg.resolve.vectors import ContextVectors


@dataclass(frozen=True)
class ResolveConfig:
    """What resolution may do, and how sure it must be.

    Attributes:
        merge: Merge name variants across documents.
        split: Split keys whose documents talk about clearly different things.
        thresholds: When two names are one entity (``merge.Thresholds``).
        split_link: Context cosine at which two documents' uses of a key are linked.
        split_apart: Two clusters of a key are different when their mean cross similarity is
            below this share of the inner similarity of the less coherent one.
        split_min_units: Documents each side of a split needs.
    """

    merge: bool = True
    split: bool = True
    thresholds: Thresholds = field(default_factory=Thresholds)
    split_link: float = 0.3
    split_apart: float = 0.5
    split_min_units: int = 2


def plan_resolution(
    records: Iterable[MentionRecord],
    encoder: ContextEncoder | None,
    config: ResolveConfig | None = None,
) -> ResolutionPlan:
    """Decide which per-document keys are one entity across documents.

    Args:
        records: Mentions with their base keys, documents and sentences.
        encoder: Context encoder (``context.MiniLMContext()``); only called when the config
            merges or splits.
        config: Switches and thresholds (default: merge and split).

    Returns:
        The plan (empty when the config neither merges nor splits).
    """
    config = config or ResolveConfig()
    by_key = build_units(records)
    if not (config.merge or config.split) or encoder is None:
        return ResolutionPlan(entities=len(by_key))
    vectors = ContextVectors(encoder)
    clusters: list[Cluster] = []
    splits: list[Split] = []
    for key, units in by_key.items():
        parts = [Cluster(key, list(units), None)]
        if config.split and may_split(units, config.split_min_units):
            parts = split_key(
                key,
                units,
                vectors.units(units),
                link=config.split_link,
                apart=config.split_apart,
                min_units=config.split_min_units,
            )
        if len(parts) > 1:
            splits.append(Split(key, tuple((c.key, c.type, c.documents) for c in parts)))
        clusters.extend(parts)
    groups = [[c] for c in clusters]
    evidence: dict[str, tuple[str, float, float]] = {}
    if config.merge:
        groups, evidence = merge_groups(clusters, config.thresholds, vectors)
    assignments: dict[tuple[str, str], str] = {}
    merges: list[Merge] = []
    for group in groups:
        head = min(group, key=lambda c: (-c.mentions, len(c.key), c.key))
        for cluster in group:
            for unit in cluster.units:
                if head.key != unit.base_key:
                    assignments[(unit.doc_id, unit.base_key)] = head.key
        if len(group) > 1:
            members = tuple(sorted(c.key for c in group))
            proof = tuple(
                sorted((k, *evidence[k]) for k in members if k in evidence and k != head.key)
            )
            merges.append(Merge(head.key, head.name, members, proof))
    return ResolutionPlan(
        assignments=assignments,
        merges=tuple(sorted(merges, key=lambda m: m.key)),
        splits=tuple(sorted(splits, key=lambda s: s.base_key)),
        entities=len(groups),
        contexts=vectors.embedded,
    )
