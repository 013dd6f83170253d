"""Shared fixtures: one real spaCy pipeline per test session, the sample corpus, and for the
graph-store tests a FalkorDB server per session and hand-built resolved documents."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

# kgfuse never downloads models at run time; make the Hugging Face libraries agree.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest

from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

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


# ---------------------------------------------------------------------- graph stores
def _server_module() -> ModuleType:
    # tests/ is not a package; load the helper next to this folder by path.
    name = "kgfuse_tests_falkordb_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "falkordb_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[Any]:
    """A FalkorDB server for the whole session (skips the FalkorDB tests when impossible)."""
    helper = _server_module()
    pytest.importorskip("falkordb", reason="the falkordb client is not installed")
    try:
        server = helper.FalkorDBServer().start()
    except helper.FalkorDBUnavailable as err:
        pytest.skip(f"cannot start FalkorDB: {err}")
    yield server
    server.stop()


Fact = tuple[str, str, str, int]  # subject key, predicate, object key, sentence index
MentionSpec = tuple[str, str, str, int]  # key, surface text, label, sentence index


def make_doc(
    doc_id: str,
    sentences: Sequence[str],
    mentions: Sequence[MentionSpec],
    facts: Sequence[Fact] = (),
    *,
    extractor: str = "test-rules/1",
) -> ResolvedDocument:
    """Build a ``ResolvedDocument`` by hand, with offsets computed from the text.

    Args:
        doc_id: Document id.
        sentences: Sentence texts (the document text joins them with a space).
        mentions: ``(key, surface, label, sentence_index)``; the surface should occur in that
            sentence (its first occurrence gives the offsets).
        facts: ``(subject_key, predicate, object_key, sentence_index)``; the evidence span is
            the whole sentence.
        extractor: Extractor id of the document and its facts.
    """
    spans: list[Sentence] = []
    start = 0
    for i, text in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(text), text))
        start += len(text) + 1
    text = " ".join(sentences)
    ents = []
    for key, surface, label, s in mentions:
        at = max(spans[s].text.find(surface), 0) + spans[s].char_start
        ents.append(EntityMention(key, surface, label, s, at, at + len(surface)))
    triples = tuple(
        Triple(
            subj,
            pred,
            obj,
            Provenance(doc_id, s, spans[s].char_start, spans[s].char_end, extractor),
        )
        for subj, pred, obj, s in facts
    )
    return ResolvedDocument(
        document=Document(id=doc_id, text=text),
        content_hash=content_hash(text),
        extractor=extractor,
        sentences=tuple(spans),
        mentions=tuple(ents),
        triples=triples,
    )


@pytest.fixture
def make() -> Callable[..., ResolvedDocument]:
    """The ``make_doc`` factory: a ``ResolvedDocument`` built by hand."""
    return make_doc
