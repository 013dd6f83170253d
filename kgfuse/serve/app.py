"""``create_app``: the FastAPI application over one ``ServeState``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kgfuse.serve.auth import state_of
from kgfuse.serve.errors import install_error_handlers
from kgfuse.serve.limits import AccessLog, BodyLimit
from kgfuse.serve.routes import documents, graph, models, query
from kgfuse.serve.state import ServeState

STATIC = Path(__file__).resolve().parent / "static"


def create_app(state: ServeState) -> FastAPI:
    """Build the API and explorer over an open store and loaded models.

    Args:
        state: The shared state (``ServeState.open``); the caller closes it.

    Returns:
        The ASGI application: the REST API, ``/openapi.json``, ``/docs`` and the explorer at
        ``/``.
    """
    from kgfuse import __version__

    app = FastAPI(
        title="kgfuse",
        version=__version__,
        summary="A knowledge graph built from text: entities, facts with their sentences, "
        "paths, raw queries, classification and question answering.",
    )
    app.state.kgfuse = state
    install_error_handlers(app)
    for router in (graph.router, documents.router, query.router, models.router):
        app.include_router(router)

    @app.get("/health", tags=["meta"], summary="Whether the server is up, and what it serves")
    async def health(state: ServeState = Depends(state_of)) -> dict[str, Any]:
        """Store URL and query language, loaded models, whether writes are allowed."""
        return {
            "status": "ok",
            "store": state.store.url,
            "query_language": state.store.query_language,
            "models": [m.describe() for m in state.models.values()],
            "allow_write": state.settings.allow_write,
        }

    @app.get("/", include_in_schema=False)
    async def explorer() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if state.settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(state.settings.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    # Added last = outermost: the limit applies before any other work, the log sees all.
    app.add_middleware(BodyLimit, max_body=state.settings.max_body)
    app.add_middleware(AccessLog)
    return app
