"""Shared fixtures: one real spaCy pipeline per test session, and the sample corpus."""

from __future__ import annotations

import os
from pathlib import Path

# kgfuse never downloads models at run time; make the Hugging Face libraries agree.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLES = REPO / "data" / "articles"
SAMPLE_NEWS = REPO / "data" / "news_train.jsonl"


@pytest.fixture(scope="session")
def spacy_nlp():
    """The real default spaCy pipeline (en_core_web_sm or its offline copy), loaded once."""
    from kgfuse.nlp.model import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extractor(spacy_nlp):
    """An extractor over the session's spaCy pipeline."""
    from kgfuse.nlp.extractor import Extractor

    return Extractor(spacy_nlp)


@pytest.fixture(scope="session")
def sample_articles() -> Path:
    """The bundled sample corpus of five short articles (data/articles)."""
    return SAMPLE_ARTICLES


@pytest.fixture(scope="session")
def sample_news() -> Path:
    """The bundled 20 Newsgroups sample (data/news_train.jsonl, 160 labelled documents)."""
    return SAMPLE_NEWS
