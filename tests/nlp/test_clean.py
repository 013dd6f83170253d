"""Text cleaning and splitting of long texts."""

from __future__ import annotations

import pytest

from kgfuse.nlp.clean import clean_text, split_long


def test_clean_removes_lone_surrogates_and_joins_pairs() -> None:
    assert clean_text("a\ud800b\udfffc") == "abc"
    assert clean_text("smile \ud83d\ude00!") == "smile \U0001f600!"
    clean_text("x\ud800").encode("utf-8")  # encodable: would raise on a lone surrogate


def test_clean_control_characters() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x9f") == "abcde"
    assert clean_text("tab\tand\nnewline") == "tab\tand\nnewline"
    assert clean_text("\ufeffstart") == "start"
    # page and line separators keep words apart
    assert clean_text("page\x0cnext\x0bline\x85end") == "page\nnext\nline\nend"


def test_clean_line_endings() -> None:
    assert clean_text("one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_clean_leaves_clean_text_alone() -> None:
    text = "Zoë visited Kraków — twice.\n\tIndented."
    assert clean_text(text) == text


def _check_chunks(text: str, chunks: list[tuple[int, str]], max_chars: int) -> None:
    assert "".join(chunk for _, chunk in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
        assert 0 < len(chunk) <= max_chars or chunk == text == ""


def test_split_short_text_is_one_chunk() -> None:
    assert split_long("short", 100) == [(0, "short")]
    assert split_long("", 100) == [(0, "")]


def test_split_prefers_paragraphs() -> None:
    text = "First sentence. Second one.\n\nNew paragraph here. And more words follow."
    chunks = split_long(text, 50)
    _check_chunks(text, chunks, 50)
    assert chunks[0][1] == "First sentence. Second one.\n\n"


def test_split_at_sentences_then_whitespace_then_hard() -> None:
    text = "Alpha beta gamma. Delta epsilon zeta eta. Theta iota kappa."
    chunks = split_long(text, 30)
    _check_chunks(text, chunks, 30)
    assert chunks[0][1] == "Alpha beta gamma. "
    words = "word " * 40
    chunks = split_long(words, 32)
    _check_chunks(words, chunks, 32)
    assert all(chunk.endswith(" ") for _, chunk in chunks[:-1])
    solid = "x" * 95
    chunks = split_long(solid, 30)
    _check_chunks(solid, chunks, 30)
    assert [len(c) for _, c in chunks] == [30, 30, 30, 5]


def test_split_rejects_tiny_limit() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_long("abc", 1)
