"""The NLP stage: text -> ``kgfuse.types.Extraction``. spaCy objects never leave this package."""

from __future__ import annotations

from kgfuse.nlp.clean import DEFAULT_MAX_CHARS, clean_text, split_long
from kgfuse.nlp.extractor import RULES_VERSION, Extractor
from kgfuse.nlp.model import load_nlp, model_id

__all__ = [
    "DEFAULT_MAX_CHARS",
    "RULES_VERSION",
    "Extractor",
    "clean_text",
    "load_nlp",
    "model_id",
    "split_long",
]
