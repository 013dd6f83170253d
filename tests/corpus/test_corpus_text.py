"""Folders of text files and single text files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kgfuse.corpus import count_documents, read_corpus
from kgfuse.errors import CorpusError, EmptyCorpusError


def _tree(root: Path) -> Path:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (root / "b" / "c.md").write_text("# Gamma\nMarkdown.", encoding="utf-8")
    (root / "b" / "a.txt").write_text("Nested alpha.", encoding="utf-8")
    (root / "notes.csv").write_text("text\nignored\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    return root


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = _tree(tmp_path / "corpus")
    docs = list(read_corpus(root))
    assert [d.id for d in docs] == ["a.txt", "b/a.txt", "b/c.md"]
    assert docs[2].text == "# Gamma\nMarkdown."
    assert docs[1].source == str(root / "b" / "a.txt")
    assert docs[0].label is None
    assert count_documents(root) == 3


def test_folder_skips_binary_and_undecodable_files_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _tree(tmp_path / "corpus")
    (root / "blob.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (root / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    with caplog.at_level(logging.WARNING):
        ids = [d.id for d in read_corpus(root)]
    assert ids == ["a.txt", "b/a.txt", "b/c.md"]
    assert "blob.txt" in caplog.text and "binary" in caplog.text
    assert "latin.txt" in caplog.text and "utf-8" in caplog.text


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("blob.txt", b"\x00\x01\x02", "binary"),
        ("latin.txt", "line one\ncaf\xe9".encode("latin-1"), "latin.txt:2"),
    ],
)
def test_folder_strict_raises_on_bad_file(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    root = _tree(tmp_path / "corpus")
    (root / name).write_bytes(data)
    with pytest.raises(CorpusError, match=words):
        list(read_corpus(root, strict=True))


def test_other_encoding_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    assert next(read_corpus(tmp_path, encoding="latin-1")).text == "café"


def test_single_text_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    path.write_bytes(b"\xef\xbb\xbfHello world.")
    docs = list(read_corpus(path))
    assert len(docs) == 1
    assert docs[0].id == "one.md"
    assert docs[0].text == "Hello world."
    assert docs[0].source == str(path)


def test_empty_folder_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmptyCorpusError, match="no readable"):
        list(read_corpus(tmp_path / "empty"))
    (tmp_path / "blank").mkdir()
    (tmp_path / "blank" / "x.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(EmptyCorpusError, match="1 skipped"):
        list(read_corpus(tmp_path / "blank"))


def test_missing_path_and_bad_format(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "nope")
    (tmp_path / "data.parquet").write_bytes(b"PAR1")
    with pytest.raises(CorpusError, match=r"'\.parquet'.*fmt="):
        read_corpus(tmp_path / "data.parquet")
    with pytest.raises(CorpusError, match="unknown corpus format"):
        read_corpus(tmp_path, fmt="xml")
    with pytest.raises(CorpusError, match="needs a folder"):
        read_corpus(tmp_path / "data.parquet", fmt="dir")
