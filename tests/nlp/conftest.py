"""Fixtures of the NLP tests: the real spaCy model, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from kgfuse.nlp import Extractor, load_nlp
from kgfuse.types import Document, Extraction

Triple = tuple[str, str, str]


@pytest.fixture(scope="session")
def nlp(request: pytest.FixtureRequest) -> Language:
    """The default pipeline (en_core_web_sm or its offline copy), loaded once per session.

    Shares the root conftest's ``spacy_nlp`` when there is one, so the suite loads it once.
    """
    try:
        return request.getfixturevalue("spacy_nlp")
    except pytest.FixtureLookupError:
        return load_nlp()


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> Extractor:
    """An extractor with default options (concepts on, co-occurrence off)."""
    return Extractor(nlp)


def _check_offsets(extraction: Extraction) -> None:
    """Every offset of an extraction points at the text it claims."""
    text = extraction.text
    for sentence in extraction.sentences:
        assert text[sentence.char_start : sentence.char_end] == sentence.text
    for mention in extraction.mentions:
        assert text[mention.char_start : mention.char_end] == mention.text
        assert 0 <= mention.sentence_index < len(extraction.sentences)
        sentence = extraction.sentences[mention.sentence_index]
        assert sentence.char_start <= mention.char_start < sentence.char_end
    for relation in extraction.relations:
        subject = extraction.mentions[relation.subject]
        obj = extraction.mentions[relation.object]
        assert relation.subject != relation.object
        assert relation.char_start <= min(subject.char_start, obj.char_start)
        assert relation.char_end >= max(subject.char_end, obj.char_end)


def _triples(extraction: Extraction) -> set[Triple]:
    """Relations of an extraction as (subject text, predicate, object text)."""
    mentions = extraction.mentions
    return {
        (mentions[r.subject].text, r.predicate, mentions[r.object].text)
        for r in extraction.relations
    }


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[[str], Extraction]:
    """Extract one text with the default extractor, checking all offsets."""

    def run(text: str) -> Extraction:
        extraction = extractor.extract(Document(id="t", text=text))
        _check_offsets(extraction)
        return extraction

    return run


@pytest.fixture(scope="session")
def check_offsets() -> Callable[[Extraction], None]:
    """Assert that every sentence, mention and relation offset points at its text."""
    return _check_offsets


@pytest.fixture(scope="session")
def as_triples() -> Callable[[Extraction], set[Triple]]:
    """Relations of an extraction as a set of (subject text, predicate, object text)."""
    return _triples


@pytest.fixture(scope="session")
def relations_of(
    extract: Callable[[str], Extraction],
) -> Callable[[str], set[Triple]]:
    """Extract a text and return its relations as (subject text, predicate, object text)."""
    return lambda text: _triples(extract(text))
