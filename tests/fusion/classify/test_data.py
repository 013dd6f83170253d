"""Reading labelled data and the label space: clear DataErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgfuse.errors import DataError
from kgfuse.fusion.classify.data import Example, LabelSpace, read_examples
from kgfuse.graph.data import KGData
from kgfuse.graph.linking import DictionaryLinker


def test_jsonl_and_csv(tmp_path: Path) -> None:
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text(
        '{"text": "a b", "label": ["x", "y"], "entities": ["k1"]}\n{"text": "c", "label": "x"}\n'
    )
    first, second = read_examples(jsonl)
    assert first.labels == ("x", "y") and first.entities == ("k1",)
    assert second.entities is None
    csv = tmp_path / "d.csv"
    csv.write_text('text,topic,entities\n"hello world",news,k1;k2\n')
    [row] = read_examples(csv, label_column="topic")
    assert row.labels == ("news",) and row.entities == ("k1", "k2")


def test_unknown_label_column(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n')
    with pytest.raises(DataError, match="no 'category' field"):
        read_examples(path, label_column="category")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(DataError, match="no examples"):
        read_examples(empty)
    with pytest.raises(DataError, match="does not exist"):
        read_examples(tmp_path / "missing.jsonl")
    with pytest.raises(DataError, match="empty"):
        LabelSpace.from_examples([])


def test_eval_labels_must_be_seen_in_training() -> None:
    space = LabelSpace.from_examples([Example("a", ("x",)), Example("b", ("y",))])
    assert space.encode(Example("c", ("y",))) == 1
    with pytest.raises(DataError, match=r"never seen in training: \['z'\]"):
        space.check([Example("c", ("z",))], where="evaluation")
    with pytest.raises(DataError, match="at least two labels"):
        LabelSpace.from_examples([Example("a", ("x",))])
    multi = LabelSpace.from_examples([Example("a", ("x", "y"))])
    assert multi.multi_label and multi.encode(Example("b", ("y",))) == [0.0, 1.0]


def test_dictionary_linker(tiny_kg: KGData) -> None:
    linker = DictionaryLinker(tiny_kg)
    assert linker(["Alice met Dave at the club.", "nothing here"]) == [
        ["alice", "dave", "club"],
        [],
    ]
