"""``ServeSettings``: everything ``kgfuse serve`` is told at start-up, checked once."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from kgfuse.errors import ConfigError

#: Default request body limit: 1 MiB is many documents and far from a memory risk.
DEFAULT_MAX_BODY = 1 << 20


@dataclass(frozen=True)
class ServeSettings:
    """Settings of one API server.

    Attributes:
        store: Store URL (see ``kgfuse.kg.store.open_store``).
        models: Model directories (classifiers and QA models), each optionally ``NAME=DIR``.
        host: Interface to bind (loopback by default).
        port: TCP port (0 = any free port).
        allow_write: Accept ``POST /documents`` and ``DELETE /documents/{id}``.
        token: Bearer token the write requests must carry (required with ``allow_write``).
        max_body: Largest request body in bytes.
        timeout: Seconds one request may take before it is answered 504.
        query_timeout: Seconds a raw query may take.
        max_rows: Most rows a raw query returns.
        cors_origins: Origins allowed by CORS (none = CORS off).
        spacy_model: spaCy pipeline for writes (None = the default).
    """

    store: str
    models: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 8000
    allow_write: bool = False
    token: str | None = field(default=None, repr=False)
    max_body: int = DEFAULT_MAX_BODY
    timeout: float = 30.0
    query_timeout: float = 10.0
    max_rows: int = 1000
    cors_origins: tuple[str, ...] = ()
    spacy_model: str | None = None

    def check(self) -> ServeSettings:
        """Refuse settings that cannot work or would be unsafe.

        Raises:
            ConfigError: A write mode without a token, a short token, or a bad number.
        """
        if self.allow_write and not self.token:
            raise ConfigError(
                "--allow-write needs a token: pass --token or set KGFUSE_TOKEN, and send it "
                "as 'Authorization: Bearer TOKEN' with each write"
            )
        if self.token is not None and len(self.token) < 16:
            raise ConfigError(f"the token must be at least 16 characters, got {len(self.token)}")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, got {self.port}")
        for name in ("max_body", "max_rows"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("timeout", "query_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"--{name.replace('_', '-')} must be above 0 seconds")
        return self

    @property
    def loopback(self) -> bool:
        """Whether the server is reachable from this machine only."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def named_models(self) -> list[tuple[str, Path]]:
        """``(name, directory)`` of each ``--model`` (the name defaults to the folder's).

        Raises:
            ConfigError: Two models share a name.
        """
        out: list[tuple[str, Path]] = []
        for spec in self.models:
            name, sep, path = spec.partition("=")
            directory = Path(path if sep else spec)
            out.append((name if sep else directory.name, directory))
        names = [n for n, _ in out]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup is not None:
            raise ConfigError(f"two --model share the name {dup!r}; name them as NAME=DIR")
        return out
