"""The write guard: writes need ``--allow-write`` and the bearer token of ``--token``."""

from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kgfuse.serve.state import ServeState

_bearer = HTTPBearer(auto_error=False, description="The token given by --token / KGFUSE_TOKEN")


def state_of(request: Request) -> ServeState:
    """The server's shared state (set by ``create_app``)."""
    return request.app.state.kgfuse


def require_writer(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> ServeState:
    """A dependency that lets a write through only when the server and the token allow it.

    Raises:
        HTTPException: 403 when the server is read-only, 401 without a bearer token or with a
            wrong one (compared in constant time).
    """
    state = state_of(request)
    if not state.settings.allow_write:
        raise HTTPException(403, "this server is read-only; start it with --allow-write --token")
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "writes need 'Authorization: Bearer TOKEN'", headers=challenge)
    expected = (state.settings.token or "").encode()
    if not expected or not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise HTTPException(401, "the bearer token is wrong", headers=challenge)
    return state
