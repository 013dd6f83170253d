"""``kgfuse serve``: a REST API (FastAPI + uvicorn) and a web graph explorer.

One process opens the store and loads the models once, then answers over HTTP::

    from kgfuse.serve import ServeSettings, ServeState, create_app

    state = ServeState.open(ServeSettings(store="graph", models=("model",)))
    app = create_app(state)  # an ASGI app: uvicorn, or BackgroundServer(state)

Needs the ``serve`` extra (``pip install 'kgfuse[serve]'``).
"""

from __future__ import annotations

from kgfuse.serve.app import create_app
from kgfuse.serve.server import BackgroundServer, serve_forever
from kgfuse.serve.settings import ServeSettings
from kgfuse.serve.state import ServeState

__all__ = ["BackgroundServer", "ServeSettings", "ServeState", "create_app", "serve_forever"]
