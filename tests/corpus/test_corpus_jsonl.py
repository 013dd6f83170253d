"""JSON Lines corpora."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

from kgfuse.corpus import count_documents, read_corpus
from kgfuse.errors import CorpusError, EmptyCorpusError
from kgfuse.types import content_hash


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fields_labels_and_metadata(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "d1", "text": "One.", "label": "sport", "lang": "en"}),
        "",
        json.dumps({"id": 7, "text": "Two.", "label": ["a", "b"]}),
        json.dumps({"text": "Three."}),
    )
    docs = list(read_corpus(path))
    assert [d.id for d in docs] == ["d1", "7", "sha256:" + content_hash("Three.")]
    assert docs[0].label == "sport"
    assert docs[0].metadata == {"lang": "en"}
    assert docs[1].label == ("a", "b")
    assert docs[2].label is None
    assert docs[0].source == f"{path}:1"
    assert docs[1].source == f"{path}:3"  # the blank line still counts
    assert count_documents(path) == 4


def test_custom_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl", json.dumps({"doc": "x", "body": "Body.", "y": 1, "label": "kept"})
    )
    (doc,) = read_corpus(path, text_column="body", id_column="doc", label_column="y")
    assert (doc.id, doc.text, doc.label) == ("x", "Body.", "1")
    assert doc.metadata == {"label": "kept"}


def test_malformed_line_names_file_and_line_after_streaming_good_ones(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "1", "text": "Good."}),
        '{"id": "2", "text": "unterminated',
    )
    stream = read_corpus(path)
    assert next(stream).id == "1"
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: malformed JSON"):
        next(stream)
    with pytest.raises(CorpusError, match="expected a JSON object"):
        list(read_corpus(_write(tmp_path / "d.jsonl", '["a list"]')))


def test_missing_text_field_lists_fields(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", json.dumps({"id": "1", "body": "x", "title": "t"}))
    with pytest.raises(CorpusError, match=r"no 'text' field.*'id', 'body', 'title'"):
        list(read_corpus(path))
    with pytest.raises(CorpusError, match="must be a string"):
        list(read_corpus(_write(tmp_path / "n.jsonl", json.dumps({"text": 3}))))


def test_named_label_column_must_exist(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", json.dumps({"text": "x", "label": "a"}))
    with pytest.raises(CorpusError, match="'category'"):
        list(read_corpus(path, label_column="category"))


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "a", "text": "One."}),
        json.dumps({"id": "b", "text": "Two."}),
        json.dumps({"id": "a", "text": "Three."}),
    )
    with pytest.raises(CorpusError, match=r"c\.jsonl:3: document id 'a' .*c\.jsonl:1"):
        list(read_corpus(path))


def test_repeated_text_without_id_is_skipped_unless_strict(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path / "c.jsonl", '{"text": "Same."}', '{"text": "Same."}', '{"text": ""}')
    with caplog.at_level(logging.WARNING):
        docs = list(read_corpus(path))
    assert len(docs) == 1
    assert "c.jsonl:2" in caplog.text and "c.jsonl:3" in caplog.text
    with pytest.raises(CorpusError, match="already used"):
        list(read_corpus(path, strict=True))


def test_empty_file_raises_empty_corpus(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", "", "   ")
    with pytest.raises(EmptyCorpusError, match="no records"):
        list(read_corpus(path))


def test_bom_lone_surrogate_and_gzip(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "s", "text": "bad \\ud800 surrogate"}\n')
    (doc,) = read_corpus(path)
    assert doc.id == "s"
    assert doc.text == "bad \ud800 surrogate"
    zipped = tmp_path / "c.jsonl.gz"
    with gzip.open(zipped, "wt", encoding="utf-8") as handle:
        handle.write('{"id": "z", "text": "Zipped."}\n')
    assert [d.text for d in read_corpus(zipped)] == ["Zipped."]


def test_undecodable_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: .*not valid utf-8"):
        list(read_corpus(path))


def test_json_extension_needs_format(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.json", '{"text": "x"}')
    with pytest.raises(CorpusError, match="fmt='jsonl'"):
        read_corpus(path)
    assert [d.text for d in read_corpus(path, fmt="jsonl")] == ["x"]
