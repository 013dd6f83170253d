"""``ServeState``: the open store and loaded models one server shares between requests.

Everything slow happens once, at start-up: the store is opened and each ``--model`` loaded
(with its linker). Requests then run their blocking work on worker threads through
``ServeState.call``, which bounds each request's time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio

from kgfuse.errors import ConfigError
from kgfuse.kg.store import GraphStore, open_store
from kgfuse.serve.settings import ServeSettings

logger = logging.getLogger("kgfuse.serve")
T = TypeVar("T")


class RequestTimeout(Exception):
    """A request ran past its time limit (answered 504)."""


@dataclass
class LoadedModel:
    """One model the server answers with.

    Attributes:
        name: Its name in the API (``model`` field of ``/predict`` and ``/ask``).
        task: ``classify`` or ``qa``.
        method: The family's method (``docgraph``, ``fusion``, ``ranker``).
        path: Its directory.
        family: The registered family (``kgfuse.fusion.registry``).
        loaded: The loaded model.
        linker: The classifier's entity linker (None for QA).
    """

    name: str
    task: str
    method: str
    path: Path
    family: Any
    loaded: Any
    linker: Any = None

    def describe(self) -> dict[str, str]:
        """Plain description for ``GET /health`` and ``GET /models``."""
        return {"name": self.name, "task": self.task, "method": self.method}


def load_model(name: str, path: Path) -> LoadedModel:
    """Load one model directory by its registered family, as ``kgfuse classify predict`` and
    ``kgfuse qa ask`` do.

    Raises:
        ModelError: The directory is missing or not a kgfuse model.
    """
    from kgfuse.cli.linking import make_linker
    from kgfuse.fusion.registry import family_of

    family = family_of(path)
    loaded = family.entry_point("load")(path)
    linker = None
    if family.task == "classify":
        graph = loaded.entity_graph
        linker = make_linker("extract", graph, None, max_entities=loaded.max_entities)
    return LoadedModel(name, family.task, family.method, path, family, loaded, linker)


@dataclass
class ServeState:
    """The shared state of one server.

    Attributes:
        settings: The start-up settings.
        store: The open store.
        models: Loaded models by name.
    """

    settings: ServeSettings
    store: GraphStore
    models: dict[str, LoadedModel] = field(default_factory=dict)
    _model_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _extractor: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: ServeSettings) -> ServeState:
        """Open the store and load every model (the slow part of start-up).

        Raises:
            StoreError: The store cannot be opened.
            ModelError: A model cannot be loaded.
            ConfigError: Two models share a name.
        """
        named = settings.named_models()
        store = open_store(settings.store, create=False)
        try:
            models = {name: load_model(name, path) for name, path in named}
        except BaseException:
            store.close()
            raise
        return cls(settings, store, models)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def model(self, name: str | None, task: str) -> LoadedModel:
        """The model named ``name`` (or the only one) of ``task``.

        Raises:
            ConfigError: No such model, or several and no name.
        """
        found = [m for m in self.models.values() if m.task == task]
        if name is not None:
            match = [m for m in found if m.name == name]
            if not match:
                known = ", ".join(m.name for m in found) or "none"
                raise ModelNotLoaded(f"no {task} model named {name!r} is loaded; loaded: {known}")
            return match[0]
        if not found:
            raise ModelNotLoaded(f"no {task} model is loaded; start the server with --model DIR")
        if len(found) > 1:
            names = ", ".join(m.name for m in found)
            raise ConfigError(f"several {task} models are loaded ({names}); pass 'model'")
        return found[0]

    def extractor(self) -> Any:
        """The spaCy extractor for writes (loaded at the first write)."""
        if self._extractor is None:
            from kgfuse.nlp.extractor import Extractor

            self._extractor = Extractor(self.settings.spacy_model)
        return self._extractor

    async def call(
        self, fn: Callable[..., T], *args: Any, limit: float | None = None, lock: str = ""
    ) -> T:
        """Run blocking ``fn(*args)`` on a worker thread within the request time limit.

        Args:
            fn: The work.
            *args: Its arguments.
            limit: Seconds allowed (default: the server's ``timeout``).
            lock: ``"model"`` or ``"write"``: hold that lock while running (models and
                writes run one at a time; reads run in parallel).

        Raises:
            RequestTimeout: The work took longer. The thread cannot be killed: it finishes in
                the background and its result is dropped.
        """
        seconds = limit or self.settings.timeout
        held = {"model": self._model_lock, "write": self._write_lock}.get(lock)

        def work() -> T:
            if held is None:
                return fn(*args)
            with held:
                return fn(*args)

        try:
            with anyio.fail_after(seconds):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except TimeoutError as err:
            raise RequestTimeout(f"the request took longer than {seconds:g} s") from err


class ModelNotLoaded(ConfigError):
    """The request names a model the server did not load (answered 404)."""
