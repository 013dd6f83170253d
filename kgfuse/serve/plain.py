"""JSON shapes of the store's types (entities, edges, cards, answers) for the API."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from kgfuse.types import Edge, Entity, EntityCard


def entity(value: Entity) -> dict[str, Any]:
    """``{key, name, label, aliases}``."""
    return {
        "key": value.key,
        "name": value.name,
        "label": value.label,
        "aliases": list(value.aliases),
    }


def edge(value: Edge) -> dict[str, Any]:
    """``{subject, predicate, object, support}``."""
    return {
        "subject": value.subject_key,
        "predicate": value.predicate,
        "object": value.object_key,
        "support": value.support,
    }


def card(value: EntityCard, spans: dict[tuple[str, int], list[dict[str, Any]]]) -> dict[str, Any]:
    """An entity card; ``spans`` gives the mentions of each supporting sentence."""
    return {
        "entity": entity(value.entity),
        "types": [{"label": label, "count": n} for label, n in value.types],
        "mention_count": value.mention_count,
        "document_count": value.document_count,
        "degree": value.degree,  # distinct facts; "neighbours" holds the top ones
        "truncated": value.truncated,
        "neighbours": [{**edge(e), "other": entity(other)} for e, other in value.neighbours],
        "sentences": [
            {
                "doc_id": s.doc_id,
                "sentence_index": s.sentence_index,
                "text": s.text,
                "subject": s.subject_key,
                "predicate": s.predicate,
                "object": s.object_key,
                "mentions": spans.get((s.doc_id, s.sentence_index), []),
            }
            for s in value.sentences
        ],
    }


def jsonable(value: Any) -> Any:
    """Plain JSON data for any query result value (unknown objects become their text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
