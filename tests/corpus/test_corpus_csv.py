"""CSV and TSV corpora."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kgfuse.corpus import count_documents, read_corpus
from kgfuse.errors import CorpusError, EmptyCorpusError


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_rows_quoting_and_line_numbers(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "c.csv",
        [
            ["id", "text", "label", "source"],
            ["1", 'He said "hi", then\nleft.', "news", "web"],
            ["", "No id.", "", "web"],
        ],
    )
    docs = list(read_corpus(path, label_column="label"))
    assert docs[0].text == 'He said "hi", then\nleft.'
    assert docs[0].label == "news"
    assert docs[0].metadata == {"source": "web"}
    assert docs[0].source == f"{path}:2"
    assert docs[1].source == f"{path}:4"  # the quoted newline made row 1 two lines long
    assert docs[1].id.startswith("sha256:")
    assert docs[1].label is None
    assert count_documents(path) >= 2


def test_large_field_and_bom(tmp_path: Path) -> None:
    big = "word " * 100_000  # 500 kB, over the csv module's default field limit
    path = _csv(tmp_path / "c.csv", [["text"], [big]])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (doc,) = read_corpus(path)
    assert doc.text == big


def test_tsv(tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.tsv", [["id", "body"], ["x", "a, b"]], delimiter="\t")
    (doc,) = read_corpus(path, text_column="body")
    assert (doc.id, doc.text) == ("x", "a, b")


def test_missing_text_column_lists_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.csv", [["id", "body"], ["1", "x"]])
    with pytest.raises(CorpusError, match=r"no 'text' column.*'id', 'body'"):
        next(read_corpus(path))
    with pytest.raises(CorpusError, match="'topic'"):
        next(read_corpus(path, text_column="body", label_column="topic"))


def test_wrong_field_count_names_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,text\n1,ok\n2,too,many\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv:3: expected 2 fields .* found 3"):
        list(read_corpus(path))


def test_duplicate_id_and_empty(tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.csv", [["id", "text"], ["a", "x"], ["a", "y"]])
    with pytest.raises(CorpusError, match=r"c\.csv:3.*'a'.*c\.csv:2"):
        list(read_corpus(path))
    header_only = _csv(tmp_path / "h.csv", [["id", "text"]])
    with pytest.raises(EmptyCorpusError):
        list(read_corpus(header_only))


def test_undecodable_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"text\nok\ncaf\xe9\n")
    with pytest.raises(CorpusError, match=r"c\.csv:3"):
        list(read_corpus(path))
