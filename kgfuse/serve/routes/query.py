"""Raw read-only queries in the store's own language, with a time limit and a row cap."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from kgfuse.errors import ConfigError
from kgfuse.serve import plain
from kgfuse.serve.auth import state_of
from kgfuse.serve.schemas import QueryRequest
from kgfuse.serve.state import ServeState

router = APIRouter(tags=["query"])


async def _run(language: str, body: QueryRequest, state: ServeState) -> dict[str, Any]:
    if state.store.query_language != language:
        raise ConfigError(
            f"this store answers {state.store.query_language}, not {language}; "
            f"use POST /query/{state.store.query_language}"
        )
    cap = state.settings.max_rows

    def work() -> dict[str, Any]:
        rows = state.store.raw_query(body.query, dict(body.params), allow_write=False)
        return {"rows": plain.jsonable(rows[:cap]), "truncated": len(rows) > cap}

    return await state.call(work, limit=state.settings.query_timeout)


@router.post("/query/sparql", summary="A read-only SPARQL query (embedded store)")
async def sparql(body: QueryRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Run SPARQL with kgfuse's prefixes (kg:, ent:, rel:, doc:); updates are refused."""
    return await _run("sparql", body, state)


@router.post("/query/cypher", summary="A read-only Cypher query (FalkorDB, Neo4j)")
async def cypher(body: QueryRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Run Cypher with ``$parameters``; write clauses are refused."""
    return await _run("cypher", body, state)
