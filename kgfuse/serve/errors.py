"""Error responses: every error is ``{"error": TYPE, "detail": ONE LINE}``, never a traceback.

kgfuse's own errors keep their one-line message and get a status by kind; validation errors
say which field is wrong; anything unexpected is logged with its traceback on the server and
answered 500 with a fixed message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kgfuse.errors import (
    EntityNotFoundError,
    KgfuseError,
    ModelError,
    NetworkQueryError,
    ReadOnlyQueryError,
    StoreConnectionError,
)
from kgfuse.serve.state import ModelNotLoaded, RequestTimeout

logger = logging.getLogger("kgfuse.serve")

#: Status per kgfuse error class (the first match in this order wins).
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (EntityNotFoundError, 404),
    (ModelNotLoaded, 404),
    (ReadOnlyQueryError, 403),
    (NetworkQueryError, 403),
    (StoreConnectionError, 503),
    (ModelError, 503),
    (KgfuseError, 400),
)


def error_body(kind: str, detail: str) -> dict[str, str]:
    """The JSON of an error response."""
    return {"error": kind, "detail": detail}


def _json(status: int, kind: str, detail: str, headers: Any = None) -> JSONResponse:
    return JSONResponse(error_body(kind, detail), status_code=status, headers=headers)


async def _kgfuse_error(request: Request, exc: Exception) -> JSONResponse:
    status = next(code for kind, code in _STATUS if isinstance(exc, kind))
    return _json(status, type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")


async def _timeout(request: Request, exc: Exception) -> JSONResponse:
    return _json(504, "RequestTimeout", str(exc))


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        first = next(e for e in errors if e.get("type") == "json_invalid")
        where = first.get("ctx", {}).get("error", "")
        return _json(400, "MalformedJSON", f"the request body is not valid JSON: {where}".strip())
    parts = []
    for e in errors[:5]:
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return _json(422, "ValidationError", "; ".join(parts))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    kind = {404: "NotFound", 405: "MethodNotAllowed", 401: "Unauthorized", 403: "Forbidden"}
    return _json(
        exc.status_code,
        kind.get(exc.status_code, "HTTPError"),
        str(exc.detail),
        headers=getattr(exc, "headers", None),
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _json(500, "InternalError", "internal error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(KgfuseError, _kgfuse_error)
    app.add_exception_handler(RequestTimeout, _timeout)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
