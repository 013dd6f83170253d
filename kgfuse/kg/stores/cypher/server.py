"""What the Neo4j and FalkorDB drivers share about a database server: its URL and its errors.

Both stores read ``scheme://[user[:password]@]host[:port][/path]`` the same way (credentials
percent-decoded, and never shown again), refuse unknown options the same way, and word
connection failures the same way: what failed, at which URL (without the password), and
what to try.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from kgfuse.errors import StoreConnectionError, StoreError, brief


@dataclass(frozen=True, slots=True)
class ServerUrl:
    """A database server URL, split.

    Attributes:
        scheme: Lower-case scheme.
        host: Host name (``localhost`` when the URL has none).
        port: Port, or None when the URL has none.
        path: Path (for FalkorDB the graph name).
        query: Query string.
        user: User name from the URL, decoded, or None.
        password: Password from the URL, decoded, or None.
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str
    user: str | None
    password: str | None

    @property
    def netloc(self) -> str:
        """``host[:port]``, without credentials."""
        return f"{self.host}:{self.port}" if self.port else self.host


def parse_server_url(
    url: str, *, schemes: Collection[str], backend: str, expected: str
) -> ServerUrl:
    """Split a server URL, checking its scheme.

    Args:
        url: The URL.
        schemes: Lower-case schemes the backend accepts.
        backend: Backend name for the message (``"Neo4j"``).
        expected: What the message says was expected.

    Returns:
        The URL's parts, credentials decoded.

    Raises:
        StoreConnectionError: The scheme is not one of ``schemes``.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in schemes:
        raise StoreConnectionError(
            f"{url.split('://')[0]!r} is not a {backend} URL scheme; expected {expected}"
        )
    return ServerUrl(
        scheme=parts.scheme.lower(),
        host=parts.hostname or "localhost",
        port=parts.port,
        path=parts.path,
        query=parts.query,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def reject_options(backend: str, options: Mapping[str, Any], expected: str) -> None:
    """Refuse options a store does not know (a typo must not pass silently).

    Raises:
        StoreError: ``options`` is not empty.
    """
    if options:
        raise StoreError(f"unknown {backend} store options {sorted(options)}; expected {expected}")


def credentials_refused(backend: str, url: str, err: Exception, hint: str) -> StoreConnectionError:
    """The error for a server that refused the user name or password."""
    return StoreConnectionError(
        f"{backend} at {url} refused the credentials ({brief(err)}); {hint}"
    )


def unreachable(backend: str, url: str, err: Exception, hint: str) -> StoreConnectionError:
    """The error for a server that cannot be reached."""
    return StoreConnectionError(f"cannot reach {backend} at {url} ({brief(err)}); {hint}")


def failed(backend: str, url: str, what: str, err: Exception) -> StoreError:
    """The error for any other failure of the server while doing ``what``."""
    return StoreError(f"{backend} {url} failed to {what}: {brief(err)}")
