"""Entities and the graph around them: lookup, cards, neighbourhoods, facts, paths, stats."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from kgfuse.errors import EntityNotFoundError
from kgfuse.kg.store import GraphStore
from kgfuse.serve import plain, records
from kgfuse.serve.auth import state_of
from kgfuse.serve.state import ServeState

router = APIRouter(tags=["graph"])
MAX_EDGES = 2000
#: Above this many facts an entity's adjacency is not read for a neighbourhood view.
HUB_DEGREE = 500


def card_view(store: GraphStore, key: str, neighbours: int, sentences: int) -> dict[str, Any]:
    """The body of ``GET /entities/{key}`` (also timed in-process by the benchmark)."""
    card = store.entity_card(key, neighbours=neighbours, sentences=sentences)
    where = [(s.doc_id, s.sentence_index) for s in card.sentences]
    return plain.card(card, records.sentence_mentions(store, where))


def neighbourhood_view(
    store: GraphStore, key: str, hops: int, limit: int, *, hub_degree: int = HUB_DEGREE
) -> dict[str, Any]:
    """The body of ``GET /entities/{key}/neighbors``: the entities within ``hops`` of ``key``
    (at most ``limit``) and the edges among them.

    Hubs' adjacency is not read (``GraphStore.edges_among``).
    """
    found = store.neighbours(key, hops=hops, limit=limit)
    centre = store.entity(key)
    keys = {key} | {n.entity.key for n in found}
    edges = store.edges_among(keys, hub_degree=hub_degree)
    return {
        "key": key,
        "hops": hops,
        "nodes": [{**plain.entity(centre), "distance": 0}]
        + [{**plain.entity(n.entity), "distance": n.distance} for n in found],
        "edges": [plain.edge(e) for e in edges[:MAX_EDGES]],
        "truncated": len(edges) > MAX_EDGES,
    }


@router.get("/entities", summary="Find entities by key, alias or fuzzy name match")
async def find_entities(
    q: str = Query(..., min_length=1, max_length=200, description="A name or key"),
    limit: int = Query(10, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1000),
    state: ServeState = Depends(state_of),
) -> dict[str, Any]:
    """Entities matching ``q``, best first, one page of them."""

    def work() -> list[Any]:
        try:
            return state.store.lookup(q, limit=offset + limit + 1)
        except EntityNotFoundError:  # nothing to match (no letters or digits)
            return []

    matches = await state.call(work)
    page = matches[offset : offset + limit]
    return {
        "q": q,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if len(matches) > offset + limit else None,
        "items": [
            {**plain.entity(m.entity), "how": m.how, "matched": m.matched, "score": m.score}
            for m in page
        ],
    }


@router.get("/entities/{key}", summary="The card of one entity")
async def entity_card(
    key: str,
    neighbours: int = Query(20, ge=0, le=200, description="Most neighbours listed"),
    sentences: int = Query(10, ge=0, le=100, description="Most supporting sentences"),
    state: ServeState = Depends(state_of),
) -> dict[str, Any]:
    """Aliases, types, neighbours by support, supporting sentences with entity spans."""
    return await state.call(card_view, state.store, key, neighbours, sentences)


@router.get("/entities/{key}/neighbors", summary="The bounded neighbourhood of an entity")
async def neighbourhood(
    key: str,
    hops: int = Query(1, ge=1, le=5),
    limit: int = Query(50, ge=1, le=500, description="Most neighbours"),
    state: ServeState = Depends(state_of),
) -> dict[str, Any]:
    """The entities within ``hops`` of ``key`` and the edges among them."""
    return await state.call(neighbourhood_view, state.store, key, hops, limit)


@router.get("/facts", summary="The supporting sentences of one fact")
async def fact(
    subject: str = Query(..., min_length=1, max_length=500),
    predicate: str = Query(..., min_length=1, max_length=500),
    object: str = Query(..., min_length=1, max_length=500),
    state: ServeState = Depends(state_of),
) -> dict[str, Any]:
    """Each sentence behind ``subject -predicate-> object``, with the evidence span and the
    entity mentions as character spans in the sentence."""

    def work() -> dict[str, Any]:
        rows = records.fact_records(state.store, subject, predicate, object)
        return {"subject": subject, "predicate": predicate, "object": object, "records": rows}

    return await state.call(work)


@router.get("/paths", summary="A shortest path between two entities")
async def path(
    source: str = Query(..., alias="from", min_length=1, max_length=500),
    target: str = Query(..., alias="to", min_length=1, max_length=500),
    max_hops: int = Query(4, ge=1, le=5),
    state: ServeState = Depends(state_of),
) -> dict[str, Any]:
    """The edges of a shortest path (ignoring direction); names or keys are accepted."""

    def work() -> dict[str, Any]:
        start, end = state.store.resolve(source), state.store.resolve(target)
        edges = state.store.shortest_path(start.key, end.key, max_hops=max_hops)
        keys = {k for e in edges or () for k in (e.subject_key, e.object_key)} | {
            start.key,
            end.key,
        }
        entities = state.store.entities(sorted(keys))
        return {
            "from": plain.entity(start),
            "to": plain.entity(end),
            "found": edges is not None,
            "edges": [plain.edge(e) for e in edges or ()],
            "entities": {k: plain.entity(v) for k, v in entities.items()},
        }

    return await state.call(work)


@router.get("/stats", summary="Graph size and its most connected entities")
async def stats(
    top: int = Query(10, ge=0, le=100), state: ServeState = Depends(state_of)
) -> dict[str, Any]:
    """Counts of documents, sentences, mentions, entities, edges, facts; predicates; hubs."""

    def work() -> dict[str, Any]:
        s = state.store.stats(top=top)
        return {
            "documents": s.documents,
            "sentences": s.sentences,
            "mentions": s.mentions,
            "entities": s.entities,
            "edges": s.edges,
            "facts": s.facts,
            "predicates": [{"predicate": p, "edges": n} for p, n in s.predicates],
            "top_entities": [{**plain.entity(e), "degree": n} for e, n in s.top_entities],
        }

    return await state.call(work)
