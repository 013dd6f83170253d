"""``--strip-headers``: e-mail/news headers and quoted replies out of the text."""

from __future__ import annotations

import json
from pathlib import Path

from kgfuse.cli.main import run
from kgfuse.corpus.headers import strip_document_headers, strip_headers
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.types import Document

# The third message of the 20 Newsgroups "bydate" training split (shared data), shortened.
MESSAGE = """From: I3150101@dbstu1.rz.tu-bs.de (Benedikt Rosenau)
Subject: Re: Gospel Dating
Organization: Technical University Braunschweig, Germany
Lines: 93

In article <65974@mimsy.umd.edu>
mangoe@cs.umd.edu (Charley Wingate) writes:

>>Well, John has a quite different, not necessarily more elaborated theology.
>>There is some evidence that he must have known Luke.
>
>This is a new argument to me.  Could you elaborate a little?
>

The argument goes as follows: Q-oid quotes appear in John, but not in
the almost codified way they were in Matthew or Luke."""


def test_headers_and_quotes_are_removed() -> None:
    text, removed = strip_headers(MESSAGE)
    assert text.startswith("The argument goes as follows")
    for gone in ("Subject", "Organization", "Lines:", "In article", "writes:", "theology", ">"):
        assert gone not in text
    assert "Matthew or Luke" in text
    assert removed == 12  # 5 header lines, 2 attribution lines, 5 quoted


def test_text_without_headers_is_kept() -> None:
    plain = "Hello: this is not a header block\nbecause it names no sender.\nThe price is 5 > 3."
    assert strip_headers(plain) == (plain, 0)


def test_real_20ng_message_if_available() -> None:
    data = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "20ng" / "train.jsonl"
    if not data.exists():
        return
    with data.open(encoding="utf-8") as handle:
        for _, line in zip(range(50), handle, strict=False):
            text, _ = strip_headers(json.loads(line)["text"])
            assert not text.startswith("From:")  # the header block is gone
            assert not any(line.startswith(">") for line in text.split("\n"))


def test_documents_record_the_option() -> None:
    (doc,) = strip_document_headers([Document("m1", MESSAGE, label="christian")])
    assert (doc.id, doc.label) == ("m1", "christian")
    assert doc.metadata["strip_headers"] is True and doc.metadata["stripped_lines"] == 12


def test_build_with_strip_headers(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(json.dumps({"id": "m1", "text": MESSAGE}) + "\n", encoding="utf-8")
    store = tmp_path / "graph"
    assert (
        run(["build", str(corpus), "--store", str(store), "--no-progress", "--strip-headers"]) == 0
    )
    with RdfStore(store) as graph:
        keys = {m.entity.key for m in graph.lookup("Organization", fuzzy=False)}
        assert not keys  # the header line is not read
        assert graph.lookup("Matthew", fuzzy=False)
