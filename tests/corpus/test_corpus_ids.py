"""The one id rule, checked by the reader for every format, with the file and the line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kgfuse.corpus import read_corpus
from kgfuse.corpus.ids import MAX_ID_CHARS, id_problem
from kgfuse.errors import CorpusError

BAD = {
    "nul": "a\x00b",
    "surrogate": "surr\ud800id",
    "newline": "line\nbreak",
    "control": "bell\x07",
    "c1": "c1\x85inside",
    "long": "y" * 100_000,
}
GOOD = [
    "}) MATCH (n) DETACH DELETE n //",
    "\u202egnp.exe",
    "a\u200bb",
    "🐍👩‍🔬",
    "' OR 1=1 --",
    "x" * MAX_ID_CHARS,
]


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_jsonl_id_names_the_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "c.jsonl"
    good = json.dumps({"id": "ok", "text": "Fine."})
    bad = json.dumps({"id": BAD[kind], "text": "Bad id."})  # \ud800 travels as an escape
    path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    docs = read_corpus(path)
    assert next(docs).id == "ok"
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: document id") as caught:
        next(docs)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 500


def test_bad_csv_id_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerow(["ok", "Fine."])
        writer.writerow(["tab\tid", "Bad."])
    with pytest.raises(CorpusError, match=r"c\.csv:3: document id .*control character"):
        list(read_corpus(path))


def test_hostile_but_valid_ids_pass_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [json.dumps({"id": i, "text": f"Text {n}."}) for n, i in enumerate(GOOD)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [d.id for d in read_corpus(path)] == GOOD


def test_id_rule() -> None:
    assert all(id_problem(v) is not None for v in BAD.values())
    assert all(id_problem(v) is None for v in GOOD)
    assert id_problem("") == "is empty"
    assert "not a string" in (id_problem(3) or "")
