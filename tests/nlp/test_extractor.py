"""The extractor end to end: cleaning, empty and long documents, streaming, versions."""

from __future__ import annotations

import pytest

from kgfuse.nlp import RULES_VERSION, Extractor
from kgfuse.nlp.extractor import char_batches
from kgfuse.types import CONCEPT, Document

STORY = (
    "Marie Curie was born in Warsaw. She moved to Paris in 1891.\n\n"
    "Apple acquired Beats in 2014. Google acquired YouTube and DoubleClick.\n\n"
    "Warsaw is the capital of Poland. John works for Google.\n\n"
)


def test_version_and_mentions(extractor: Extractor, extract) -> None:
    extraction = extract("The French physicist Marie Curie discovered radium in Paris.")
    assert extraction.extractor == extractor.version
    assert extractor.version.startswith(f"kgfuse-rules/{RULES_VERSION} en_core_web_sm")
    labels = {(m.text, m.label) for m in extraction.mentions}
    assert ("Marie Curie", "PERSON") in labels
    assert ("Paris", "GPE") in labels
    assert ("physicist", CONCEPT) in labels  # determiner stripped, entity "French" left out
    assert ("radium", CONCEPT) in labels


def test_entity_boundaries_are_repaired(extract) -> None:
    texts = {m.text for m in extract("One of its leaders is T.S. Thakur.").mentions}
    assert "T.S. Thakur" in texts  # the small model stops at "T.S."
    texts = {m.text for m in extract("Google's CEO spoke.").mentions}
    assert "Google" in texts  # not "Google's"


def test_concepts_skip_pronouns_and_stopwords(extract) -> None:
    extraction = extract("They gave us some of them, and his old books were lost by the others.")
    texts = {m.text for m in extraction.mentions}
    assert texts == {"old books"}


def test_concepts_off(nlp) -> None:
    extraction = Extractor(nlp, concepts=False).extract(
        Document("d", "Marie Curie is a physicist.")
    )
    assert [m.label for m in extraction.mentions] == ["PERSON"]
    assert extraction.relations == ()


@pytest.mark.parametrize("text", ["", "   \n\n\t ", "\x00\x01\ud800"])
def test_empty_documents(extractor: Extractor, text: str) -> None:
    extraction = extractor.extract(Document("empty", text))
    assert extraction.sentences == extraction.mentions == extraction.relations == ()
    assert extraction.text == text.replace("\x00", "").replace("\x01", "").replace("\ud800", "")


def test_offsets_refer_to_cleaned_text(extract) -> None:
    extraction = extract("Apple\x00 acquired\r\nBeats\ud800 in 2014.")
    assert extraction.text == "Apple acquired\nBeats in 2014."
    assert {m.text for m in extraction.mentions} >= {"Apple", "2014"}


def test_extract_many_streams_in_order(extractor: Extractor, check_offsets) -> None:
    texts = ["Apple acquired Beats.", "", "John works for Google.", "Marie Curie is a physicist."]
    consumed: list[int] = []

    def documents():
        for number, text in enumerate(texts):
            consumed.append(number)
            yield Document(f"d{number}", text)

    results = extractor.extract_many(documents())
    first = next(results)
    assert first.document.id == "d0"
    rest = list(results)
    assert [e.document.id for e in rest] == ["d1", "d2", "d3"]
    assert consumed == [0, 1, 2, 3]
    for extraction in (first, *rest):
        check_offsets(extraction)
    assert rest[0].mentions == ()


def test_long_document_in_chunks_matches_whole(nlp, extractor: Extractor, check_offsets) -> None:
    text = STORY * 6
    whole = extractor.extract(Document("d", text))
    chunked_extractor = Extractor(nlp, max_chars=300)
    chunked = chunked_extractor.extract(Document("d", text))
    check_offsets(whole)
    check_offsets(chunked)
    assert len(text) > 3 * 300  # really split
    assert [s.index for s in chunked.sentences] == list(range(len(chunked.sentences)))
    assert chunked.sentences == whole.sentences
    assert chunked.mentions == whole.mentions
    assert chunked.relations == whole.relations
    last = chunked.relations[-1]
    subject = chunked.mentions[last.subject]
    assert (subject.text, last.predicate) == ("John", "work_for")
    assert last.sentence_index == len(chunked.sentences) - 1


def test_chunk_boundary_inside_a_paragraph(nlp, check_offsets) -> None:
    text = " ".join(f"Company{n} acquired Startup{n}." for n in range(40))
    extraction = Extractor(nlp, max_chars=120).extract(Document("d", text))
    check_offsets(extraction)
    starts = [s.char_start for s in extraction.sentences]
    assert starts == sorted(starts)
    assert sum(r.predicate == "acquire" for r in extraction.relations) >= 35


def test_two_processes_give_the_same_extractions(nlp, extractor: Extractor) -> None:
    documents = [Document(f"d{n}", STORY * (n + 1)) for n in range(3)] + [Document("e", "")]
    parallel = Extractor(nlp, n_process=2, batch_size=2, max_chars=400)
    chunked = Extractor(nlp, max_chars=400)
    assert list(parallel.extract_many(documents)) == list(chunked.extract_many(documents))


def test_char_batches_bound_count_and_characters() -> None:
    items = [("a" * n, n) for n in (3, 4, 2, 10, 1, 1, 1)]
    batches = list(char_batches(iter(items), 2, 7))
    assert [[c for _, c in b] for b in batches] == [[3, 4], [2], [10], [1, 1], [1]]
    assert list(char_batches([], 2, 7)) == []


def test_small_char_batches_give_the_same_extractions(nlp, extractor: Extractor) -> None:
    documents = [Document(f"d{n}", STORY * (n + 1)) for n in range(3)] + [Document("e", "")]
    tight = Extractor(nlp, max_chars=200, batch_chars=250, batch_size=3)
    loose = Extractor(nlp, max_chars=200, batch_chars=10**9, batch_size=64)
    # Absolute offsets: each chunk's sentences and mentions point into the whole text.
    assert list(tight.extract_many(documents)) == list(loose.extract_many(documents))
