"""Importing triple files (head|relation|tail, TSV, N-Triples, Turtle) into a store."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgfuse.errors import CorpusError, EmptyCorpusError
from kgfuse.kg.importers import (
    IMPORT_EXTRACTOR,
    detect_import_format,
    import_triples,
    iter_delimited,
    iter_rdf,
    local_name,
    predicate_name,
    statements_to_documents,
)
from kgfuse.kg.rdf_store import RdfStore

METAQA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "metaqa" / "kb.txt"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RdfStore]:
    with RdfStore(tmp_path / "store") as opened:
        yield opened


def _kb(tmp_path: Path, lines: int = 200) -> Path:
    if not METAQA.exists():
        pytest.skip("the shared MetaQA knowledge base is not available")
    with METAQA.open(encoding="utf-8") as handle:
        head = [next(handle) for _ in range(lines)]
    path = tmp_path / "kb.txt"
    path.write_text("".join(head), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("directed_by", "directed_by"),
        ("directedBy", "directed_by"),
        ("Directed by", "directed_by"),
        ("has-IMDb-rating", "has_imdb_rating"),
        ("elevationAboveTheSeaLevel (in metres)", "elevation_above_the_sea_level_in_metres"),
        ("--", ""),
    ],
)
def test_predicate_name(raw: str, expected: str) -> None:
    assert predicate_name(raw) == expected


def test_local_name() -> None:
    assert local_name("http://dbpedia.org/resource/Marie_Curie") == "Marie Curie"
    assert local_name("http://x.org/onto#bornIn") == "bornIn"
    assert local_name("urn:isbn:0451450523") == "0451450523"
    assert local_name("http://x.org/caf%C3%A9/") == "café"


def test_delimited_spans_and_skipped_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kb.txt"
    path.write_text(
        " Alien | directed_by |Ridley Scott\n\nbad line\nA||B\n$|x|y\nAlien|releaseYear|1979\n",
        encoding="utf-8",
    )
    tally: Counter[str] = Counter()
    with caplog.at_level(logging.WARNING):
        found = list(iter_delimited(path, tally=tally))
    assert [(s.index, s.head, s.predicate, s.tail) for s in found] == [
        (1, "Alien", "directed_by", "Ridley Scott"),
        (5, "$", "x", "y"),  # a name without letters or digits is still a name
        (6, "Alien", "release_year", "1979"),
    ]
    first = found[0]
    assert first.text[slice(*first.head_span)] == "Alien"
    assert first.text[slice(*first.tail_span)] == "Ridley Scott"
    assert tally["skipped"] == 2
    assert "kb.txt:3" in caplog.text and "expected 3 fields" in caplog.text
    assert "kb.txt:4" in caplog.text and "relation is empty" in caplog.text
    assert "kb.txt:5" not in caplog.text
    with pytest.raises(CorpusError, match=r"kb\.txt:3: expected 3 fields.*found 1"):
        list(iter_delimited(path, strict=True))


def test_documents_offsets_point_at_the_evidence(tmp_path: Path) -> None:
    path = tmp_path / "kb.tsv"
    path.write_text("a\tp\tb\nc\tp\td\n\ne\tq\tf\n", encoding="utf-8")
    docs = list(
        statements_to_documents(
            iter_delimited(path, separator="\t"), name="kb.tsv", source=str(path), chunk_size=2
        )
    )
    assert [(chunk, d.document.id) for chunk, d in docs] == [
        (0, "import:kb.tsv#0"),
        (1, "import:kb.tsv#1"),  # line 4: the blank line 3 does not shift it into chunk 0
    ]
    first = docs[0][1]
    assert [s.index for s in first.sentences] == [1, 2]
    for mention in first.mentions:
        assert first.document.text[mention.char_start : mention.char_end] == mention.text
    for triple in first.triples:
        prov = triple.provenance
        assert first.document.text[prov.char_start : prov.char_end] in {"a\tp\tb", "c\tp\td"}
        assert prov.extractor == IMPORT_EXTRACTOR
        assert prov.doc_id == "import:kb.tsv#0"


def test_detect_format(tmp_path: Path) -> None:
    pipe, tab, other = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    pipe.write_text("\na|b|c\n", encoding="utf-8")
    tab.write_text("a\tb\tc\n", encoding="utf-8")
    other.write_text("a,b,c\n", encoding="utf-8")
    assert detect_import_format(pipe) == "pipe"
    assert detect_import_format(tab) == "tsv"
    assert detect_import_format(tab, "ntriples") == "ntriples"  # fmt wins over the sniffing
    with pytest.raises(CorpusError, match="neither head"):
        detect_import_format(other)
    with pytest.raises(CorpusError, match="does not exist"):
        detect_import_format(tmp_path / "missing.ttl")
    with pytest.raises(CorpusError, match="unknown import format"):
        detect_import_format(pipe, "csv")


def test_import_into_store_is_idempotent(tmp_path: Path, store: RdfStore) -> None:
    path = _kb(tmp_path)
    steps: list[int] = []
    result = import_triples(store, path, chunk_size=50, progress=steps.append)
    assert (result.documents, result.written, result.triples) == (4, 4, 200)
    assert sum(steps) == 200
    stats = store.stats()
    assert (stats.documents, stats.sentences, stats.facts) == (4, 200, 200)
    assert stats.entities == result.entities
    edges = list(store.iter_edges())
    again = import_triples(store, path, chunk_size=50)
    assert (again.written, again.triples) == (0, 200)
    assert list(store.iter_edges()) == edges
    departed = store.resolve("The Departed")
    assert departed.label == "IMPORTED"
    card = store.entity_card(departed.key)
    assert any(s.text == "The Departed|has_tags|police" for s in card.sentences)


def test_shorter_file_drops_stale_chunks(tmp_path: Path, store: RdfStore) -> None:
    path = _kb(tmp_path)
    import_triples(store, path, chunk_size=50)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:120]), encoding="utf-8")
    result = import_triples(store, path, chunk_size=50)
    assert (result.documents, result.written) == (3, 1)  # chunk 2 changed, chunk 3 dropped
    assert store.stats().facts == 120
    assert store.document_versions(["import:kb.txt#3"]) == {}
    assert {t.provenance.sentence_index for t in store.iter_triples()} == set(range(1, 121))


def test_label_option_changes_the_version(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text("Alien|directed_by|Ridley Scott\n", encoding="utf-8")
    import_triples(store, path)
    result = import_triples(store, path, label="MOVIE_KB")
    assert result.written == 1
    assert store.entity("Alien").label == "MOVIE_KB"


def test_empty_or_all_malformed_file(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text("a|b|c|d\n", encoding="utf-8")
    with pytest.raises(EmptyCorpusError, match="1 skipped"):
        import_triples(store, path)
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(EmptyCorpusError):
        import_triples(store, empty)


NT = """\
<http://e.x/Marie_Curie> <http://e.x/bornIn> <http://e.x/Warsaw> .
<http://e.x/Marie_Curie> <http://www.w3.org/2000/01/rdf-schema#label> "Maria Skłodowska"@pl .
<http://e.x/Marie_Curie> <http://www.w3.org/2000/01/rdf-schema#label> "Marie Curie"@en .
<http://e.x/Marie_Curie> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e.x/Person> .
<http://e.x/Marie_Curie> <http://e.x/birthYear> "1867" .
_:anon <http://e.x/knows> <http://e.x/Warsaw> .
"""

TTL = """\
@prefix ex: <http://ex.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Marie_Curie ex:bornIn ex:Warsaw ; ex:birthYear 1867 .
ex:Warsaw rdfs:label "Warszawa" ; a ex:City .
"""


def test_ntriples_names_types_and_literals(tmp_path: Path) -> None:
    path = tmp_path / "kb.nt"
    path.write_text(NT, encoding="utf-8")
    tally: Counter[str] = Counter()
    (fact,) = iter_rdf(path, tally=tally)
    assert (fact.index, fact.head, fact.predicate, fact.tail) == (
        1,
        "Marie Curie",
        "born_in",
        "Warsaw",
    )
    assert (fact.head_label, fact.tail_label) == ("Person", None)
    assert tally["skipped"] == 2  # the literal and the unnamed blank node
    with_literals = list(iter_rdf(path, literals="entity"))
    assert [(s.predicate, s.tail, s.tail_label) for s in with_literals][1] == (
        "birth_year",
        "1867",
        "LITERAL",
    )


def test_turtle_import_into_store(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.ttl"
    path.write_text(TTL, encoding="utf-8")
    result = import_triples(store, path)
    assert (result.triples, result.skipped) == (1, 1)
    (edge,) = store.iter_edges()
    assert (edge.subject_key, edge.predicate, edge.object_key) == (
        "Marie Curie",  # imported names keep their identity (kgfuse.kg.keys)
        "born_in",
        "Warszawa",
    )
    assert store.entity("Warszawa").label == "City"
    assert store.entity("Marie Curie").label == "IMPORTED"
    bad = tmp_path / "bad.ttl"
    bad.write_text("ex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.ttl: not valid turtle.*line 1"):
        import_triples(store, bad)


NT_WITH_BAD_LINE = """<http://e/Marie_Curie> <http://e/bornIn> <http://e/Warsaw> .
<http://e/Marie_Curie> <http://e/workedIn> broken .
<http://e/Pierre_Curie> <http://e/workedIn> <http://e/Paris>
<http://e/Paris> <http://e/capitalOf> <http://e/France> .
"""


def test_ntriples_malformed_lines_are_skipped_unless_strict(
    tmp_path: Path, store: RdfStore, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kb.nt"
    path.write_text(NT_WITH_BAD_LINE, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"kb\.nt:2: not valid N-Triples"):
        import_triples(store, path, strict=True)
    assert store.stats().documents == 0  # the strict failure came before the first write
    with caplog.at_level(logging.WARNING):
        result = import_triples(store, path)
    assert (result.triples, result.skipped) == (2, 2)
    assert "kb.nt:2: not valid N-Triples" in caplog.text
    assert "kb.nt:3: not valid N-Triples" in caplog.text
    assert {(e.subject_key, e.object_key) for e in store.iter_edges()} == {
        ("Marie Curie", "Warsaw"),
        ("Paris", "France"),
    }


def test_lines_holding_nul_or_lone_surrogates_are_skipped(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text("Ada|knows|Bob\nNul\x00l|knows|Bob\nCarol|knows|Dave\n", encoding="utf-8")
    result = import_triples(store, path)
    assert (result.triples, result.skipped) == (2, 1)
    with pytest.raises(CorpusError, match=r"kb\.txt:2: the line holds a NUL"):
        import_triples(store, path, strict=True)


def test_names_longer_than_a_key_can_be_are_skipped(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text(f"Ada|knows|Bob\n{'n' * 2000}|knows|Bob\n", encoding="utf-8")
    result = import_triples(store, path)
    assert (result.triples, result.skipped) == (1, 1)
    with pytest.raises(CorpusError, match=r"kb\.txt:2: the head is 2000 characters long"):
        import_triples(store, path, strict=True)
