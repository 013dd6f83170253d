"""Cross-document entity resolution (merge name variants, split homonyms).

``plan_resolution(records, encoder)`` decides; ``ResolutionPlan.apply(document)`` rewrites a
resolved document; ``kg.resolve.store`` reads and rewrites a store (``kgfuse resolve``).
"""

from kgfuse.kg.resolve.cluster import ResolveConfig, plan_resolution
from kgfuse.kg.resolve.context import ContextEncoder, MiniLMContext
from kgfuse.kg.resolve.merge import Thresholds, name_similarity
from kgfuse.kg.resolve.plan import Merge, ResolutionPlan, Split
from kgfuse.kg.resolve.units import MentionRecord, records_from_documents

__all__ = [
    "ContextEncoder",
    "MentionRecord",
    "Merge",
    "MiniLMContext",
    "ResolutionPlan",
    "ResolveConfig",
    "Split",
    "Thresholds",
    "name_similarity",
    "plan_resolution",
    "records_from_documents",
]
