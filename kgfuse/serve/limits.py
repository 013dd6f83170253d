"""ASGI middleware: the request body limit and one log line per request.

Both are plain ASGI (not ``BaseHTTPMiddleware``) so that a body is refused while it streams in,
before it is held in memory.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("kgfuse.serve.access")


class BodyTooLarge(Exception):
    """The body grew past the limit while it was read."""


async def _send_json(send: Send, status: int, body: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """Answer 413 to a request whose body is longer than ``max_body`` bytes.

    The ``Content-Length`` header is checked first; a chunked body is counted as it streams.
    """

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(send)
            return
        seen = 0
        overflow = refused = False

        async def counted() -> Message:
            nonlocal seen, overflow
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    overflow = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            # The app may turn the failed read into its own error (FastAPI answers 400):
            # replace whatever it answers with the 413.
            nonlocal refused
            if not overflow:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send)

        with contextlib.suppress(BodyTooLarge):  # answered below
            await self.app(scope, counted, guarded)
        if overflow and not refused:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        detail = f"the request body is larger than the server's limit of {self.max_body} bytes"
        await _send_json(send, 413, {"error": "BodyTooLarge", "detail": detail})


class AccessLog:
    """Log ``METHOD PATH STATUS MILLISECONDS ms`` once per request (``kgfuse.serve.access``).

    The query string is left out: it may hold search terms users consider private.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            ms = (time.perf_counter() - started) * 1000
            client = scope.get("client") or ("-", 0)
            logger.info(
                "%s %s %s %d %.1f ms", client[0], scope["method"], scope["path"], status["code"], ms
            )
