"""Property-based fuzzing of the corpus readers: random bytes and encodings, every format.

Property: reading either yields documents whose ids follow the id rule, or stops with a
``KgfuseError`` (one line); never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgfuse.corpus import read_corpus
from kgfuse.corpus.ids import id_problem
from kgfuse.errors import KgfuseError

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".jsonl", ".csv", ".tsv", ".txt", ".jsonl.gz"]
# Bytes that look like the formats often enough to get past the first line.
PIECES = st.sampled_from(
    [b'{"id": ', b'"text": ', b'"x"', b"}", b"\n", b",", b"\t", b'"', b"\\u0000", b"\\ud800",
     b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"id,text\n", b"label", b"[1,2]", b"null", b"\r"]
)  # fmt: skip
CONTENT = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=40).map(b"".join),
    st.text(max_size=200).flatmap(
        lambda t: st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]).map(
            lambda enc: t.encode(enc, "replace")
        )
    ),
)


def _read_all(path: Path, **options: object) -> list:
    try:
        docs = list(read_corpus(path, **options))  # type: ignore[arg-type]
    except KgfuseError as err:
        assert "\n" not in str(err).strip()
        return []
    for doc in docs:
        assert id_problem(doc.id) is None, doc.id
    return docs


@FUZZ
@given(content=CONTENT, suffix=st.sampled_from(SUFFIXES), strict=st.booleans())
def test_any_bytes_in_any_format(content: bytes, suffix: str, strict: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"corpus{suffix}"
        if suffix.endswith(".gz"):
            import gzip

            path.write_bytes(gzip.compress(content))
        else:
            path.write_bytes(content)
        _read_all(path, strict=strict)


@FUZZ
@given(
    files=st.dictionaries(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
            min_size=1,
            max_size=12,
        ).filter(lambda n: n not in {".", ".."}),
        CONTENT,
        max_size=4,
    ),
    strict=st.booleans(),
)
def test_any_folder(files: dict[str, bytes], strict: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        for name, content in files.items():
            try:
                (root / f"{name}.txt").write_bytes(content)
            except OSError:
                continue  # a name the file system refuses (too long in bytes)
        _read_all(root, strict=strict)


@FUZZ
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"id": st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans()),
             "text": st.one_of(st.text(max_size=60), st.none(), st.integers())},
        ),
        max_size=6,
    )
)  # fmt: skip
def test_any_jsonl_records(rows: list[dict]) -> None:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.jsonl"
        # ensure_ascii: lone surrogates travel as \\udxxx escapes, as other tools write them
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        _read_all(path)
