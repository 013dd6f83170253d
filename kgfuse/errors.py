"""Exception hierarchy. Every message says what was expected, what was found, and what to try."""

from __future__ import annotations


class KgfuseError(Exception):
    """Root of every error kgfuse raises on purpose. Its message is one line: line breaks in
    it (a file name may hold one) are shown escaped."""

    def __init__(self, *args: object) -> None:
        if len(args) == 1 and isinstance(args[0], str):
            args = (args[0].strip().replace("\r", "\\r").replace("\n", "\\n"),)
        super().__init__(*args)


class CorpusError(KgfuseError):
    """A corpus cannot be read: missing path, bad encoding, malformed line, missing column."""


class EmptyCorpusError(CorpusError):
    """The corpus holds no documents."""


class ExtractionError(KgfuseError):
    """The NLP stage cannot run: model missing or broken."""


class StoreError(KgfuseError):
    """A graph store cannot be opened, written or queried."""


class StoreConnectionError(StoreError):
    """A database server is unreachable or refused the credentials."""


class ReadOnlyQueryError(StoreError):
    """A raw query would write, and writes were not allowed."""


class NetworkQueryError(StoreError):
    """A raw query would open a network connection, and the network was not allowed."""


class EntityNotFoundError(StoreError):
    """No entity matches a name or key."""


class ConfigError(KgfuseError):
    """A configuration file or override is invalid."""


class ModelError(KgfuseError):
    """A model directory is missing, corrupt, or not in the expected format."""


class DataError(KgfuseError):
    """A training or evaluation dataset is invalid (labels, columns, emptiness)."""


class DistributedError(KgfuseError):
    """A distributed run (Dask cluster) cannot start or lost its workers."""


class SchedulerUnreachableError(DistributedError):
    """No Dask scheduler answers at the given address."""


class ExtractorMismatchError(DistributedError):
    """Workers run different extractor or spaCy model versions."""


class WorkerLostError(DistributedError):
    """Workers died running the same task more often than the scheduler allows."""


def clip(value: object, limit: int = 80) -> str:
    """Return ``str(value)`` cut to ``limit`` characters, for echoing user input in messages.

    A 100,000-character name must not become a 100 KB error message; the cut says how long
    the value was.
    """
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text)} characters)"


def brief(detail: object, limit: int = 300) -> str:
    """Return a backend's complaint as one line of at most ``limit`` characters.

    Parsers answer with multi-line grammar dumps and drivers echo whole queries; an error
    line names the cause, not a page of it.
    """
    return clip(" ".join(str(detail).split()), limit)
