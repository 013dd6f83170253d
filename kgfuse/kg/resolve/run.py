"""``resolve_store``: plan cross-document resolution over a store and apply it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from kgfuse.kg.resolve.cluster import ResolveConfig, plan_resolution
from kgfuse.kg.resolve.context import ContextEncoder, MiniLMContext
from kgfuse.kg.resolve.plan import ResolutionPlan
from kgfuse.kg.resolve.store import ApplyReport, apply_plan, read_records
from kgfuse.kg.store import GraphStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreResolution:
    """What ``resolve_store`` decided and did.

    Attributes:
        plan: Merges, splits and the key of every changed (document, key).
        applied: What the rewrite changed (for a dry run: the documents and mentions it
            would change, no quads).
        mentions: Mentions read.
        seconds: Time spent (reading, embedding, planning, rewriting).
    """

    plan: ResolutionPlan
    applied: ApplyReport
    mentions: int
    seconds: float


def resolve_store(
    store: GraphStore,
    config: ResolveConfig | None = None,
    *,
    encoder: ContextEncoder | None = None,
    dry_run: bool = False,
) -> StoreResolution:
    """Merge name variants and split homonyms across the documents of a store.

    Rerunning on an unchanged store changes nothing; a config that neither merges nor
    splits (``--no-merge``) gives every mention back the key its document's rules gave it.

    Args:
        store: An open embedded store.
        config: Switches and thresholds (default: merge and split).
        encoder: Context encoder (default: the packaged MiniLM, loaded only when needed).
        dry_run: Plan and report without writing.

    Returns:
        The plan and what applying it changed.

    Raises:
        StoreError: The store is not the embedded store, is read-only, or the rewrite failed.
        ConfigError, ModelError: The context encoder cannot be loaded.
    """
    started = time.perf_counter()
    config = config or ResolveConfig()
    records = read_records(store)
    if encoder is None and (config.merge or config.split):
        encoder = MiniLMContext()
    plan = plan_resolution(records, encoder, config)
    if dry_run:  # what a rewrite would change, counted against the keys the store has now
        moved = [r for r in records if plan.key_for(r.doc_id, r.base_key) != r.key]
        applied = ApplyReport(len({r.doc_id for r in moved}), len(moved))
    else:
        applied = apply_plan(store, plan, records)
    seconds = time.perf_counter() - started
    logger.info(
        "resolve: %d merges, %d splits, %d documents rewritten in %.1f s",
        len(plan.merges),
        len(plan.splits),
        applied.documents,
        seconds,
    )
    return StoreResolution(plan, applied, len(records), seconds)
