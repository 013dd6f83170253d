from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kgfuse.build import build_graph
from kgfuse.errors import CorpusError, EmptyCorpusError
from kgfuse.kg.rdf_store import RdfStore


def graph_fingerprint(store: RdfStore) -> str:
    """A content hash of every fact with its provenance, and of every entity's name forms."""
    digest = hashlib.sha256()
    for triple in store.iter_triples():
        digest.update(repr(triple).encode())
    stats = store.stats(top=1000)
    digest.update(repr(stats).encode())
    return digest.hexdigest()


@pytest.fixture
def articles(tmp_path: Path, sample_articles: Path) -> Path:
    target = tmp_path / "articles"
    shutil.copytree(sample_articles, target)
    return target


def test_build_sample_articles(articles: Path, tmp_path: Path, extractor) -> None:
    with RdfStore(tmp_path / "g") as store:
        summary = build_graph(articles, store, extractor=extractor, progress=False)
        assert summary.documents == summary.written == 5
        assert summary.facts > 10 and summary.fact_records >= summary.facts
        stats = store.stats()
        assert stats.documents == 5
        assert stats.edges > 10
        curie = store.resolve("Curie")
        assert curie.key == "marie_curie"
        card = store.entity_card(curie.key)
        assert any("Warsaw" in s.text for s in card.sentences)
        # every fact points at a sentence whose text holds its evidence span
        texts = {p.name: p.read_text() for p in articles.iterdir()}
        for triple in store.iter_triples():
            prov = triple.provenance
            assert 0 <= prov.char_start < prov.char_end <= len(texts[prov.doc_id])


def test_second_build_changes_nothing(articles: Path, tmp_path: Path, extractor) -> None:
    with RdfStore(tmp_path / "g") as store:
        build_graph(articles, store, extractor=extractor, progress=False)
        before = graph_fingerprint(store)
        again = build_graph(articles, store, extractor=extractor, progress=False)
        assert (again.written, again.unchanged) == (0, 5)
        assert graph_fingerprint(store) == before


def test_changed_document_replaces_exactly_its_facts(
    articles: Path, tmp_path: Path, extractor
) -> None:
    with RdfStore(tmp_path / "g") as store:
        build_graph(articles, store, extractor=extractor, progress=False)
        (articles / "apple.txt").write_text("Microsoft acquired GitHub in 2018.")
        summary = build_graph(articles, store, extractor=extractor, progress=False)
        assert (summary.written, summary.unchanged) == (1, 4)
        docs_of_beats = {t.provenance.doc_id for t in store.iter_triples() if "beats" in repr(t)}
        assert docs_of_beats == set()
    # the result equals a clean build of the changed corpus
    with RdfStore(tmp_path / "clean") as clean:
        build_graph(articles, clean, extractor=extractor, progress=False)
        expected = graph_fingerprint(clean)
    with RdfStore(tmp_path / "g") as store:
        assert graph_fingerprint(store) == expected


def test_delete_retracts_exactly_one_document(articles: Path, tmp_path: Path, extractor) -> None:
    with RdfStore(tmp_path / "g") as store:
        build_graph(articles, store, extractor=extractor, progress=False)
        assert store.delete_document("warsaw.txt")
        assert not store.delete_document("warsaw.txt")
        after_delete = graph_fingerprint(store)
    (articles / "warsaw.txt").unlink()
    with RdfStore(tmp_path / "clean") as clean:
        build_graph(articles, clean, extractor=extractor, progress=False)
        assert graph_fingerprint(clean) == after_delete


def test_iterable_input_and_batches(tmp_path: Path, extractor) -> None:
    from kgfuse.types import Document

    docs = [Document(f"d{i}", f"Acme Corp hired Jane Doe {i} times.") for i in range(7)]
    docs.append(Document("empty", ""))
    with RdfStore(tmp_path / "g") as store:
        summary = build_graph(docs, store, extractor=extractor, batch_size=3, progress=False)
        assert summary.written == 8
        assert store.stats().documents == 8


def test_bad_corpus_writes_nothing(tmp_path: Path, extractor) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Acme hired Jane."}\n{"id": "b", "text": \n')
    with RdfStore(tmp_path / "g") as store:
        with pytest.raises(CorpusError, match=r"c\.jsonl:2: malformed JSON"):
            build_graph(corpus, store, extractor=extractor, progress=False)
        assert store.stats().documents == 0
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with RdfStore(tmp_path / "g2") as store, pytest.raises(EmptyCorpusError):
        build_graph(empty, store, extractor=extractor, progress=False)
    with RdfStore(tmp_path / "g3") as store, pytest.raises(CorpusError, match=r"missing|not exist"):
        build_graph(tmp_path / "nope", store, extractor=extractor, progress=False)


def test_other_extractor_options_rebuild_documents(
    articles: Path, tmp_path: Path, spacy_nlp, extractor
) -> None:
    from kgfuse.nlp.extractor import Extractor

    with RdfStore(tmp_path / "g") as store:
        build_graph(articles, store, extractor=extractor, progress=False)
        with_cooc = Extractor(spacy_nlp, cooccurrence=True)
        assert with_cooc.version != extractor.version
        summary = build_graph(articles, store, extractor=with_cooc, progress=False)
        assert (summary.written, summary.unchanged) == (5, 0)
        assert "co_occurs_with" in {e.predicate for e in store.iter_edges()}
