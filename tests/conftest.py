"""Shared fixtures: one real spaCy pipeline per test session, the sample corpus, for the
graph-store tests a FalkorDB server per session and hand-built resolved documents, and for
the model tests tiny random BERTs, a hand-made graph and tiny labelled datasets."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import random
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

# kgfuse never downloads models at run time; make the Hugging Face libraries agree.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Text-vector caches go to a throwaway folder, not the user's ~/.cache/kgfuse.
os.environ.setdefault("KGFUSE_CACHE", tempfile.mkdtemp(prefix="kgfuse-test-cache-"))
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest
import torch

from kgfuse.graph.data import KGData
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLES = REPO / "data" / "articles"
SAMPLE_NEWS = REPO / "data" / "news_train.jsonl"


@pytest.fixture(scope="session")
def spacy_nlp():
    """The real default spaCy pipeline (en_core_web_sm or its offline copy), loaded once."""
    from kgfuse.nlp.model import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extractor(spacy_nlp):
    """An extractor over the session's spaCy pipeline."""
    from kgfuse.nlp.extractor import Extractor

    return Extractor(spacy_nlp)


@pytest.fixture(scope="session")
def sample_articles() -> Path:
    """The bundled sample corpus of five short articles (data/articles)."""
    return SAMPLE_ARTICLES


@pytest.fixture(scope="session")
def sample_news() -> Path:
    """The bundled 20 Newsgroups sample (data/news_train.jsonl, 160 labelled documents)."""
    return SAMPLE_NEWS


# ---------------------------------------------------------------------- graph stores
def _server_module() -> ModuleType:
    # tests/ is not a package; load the helper next to this folder by path.
    name = "kgfuse_tests_falkordb_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "falkordb_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[Any]:
    """A FalkorDB server for the whole session (skips the FalkorDB tests when impossible)."""
    helper = _server_module()
    pytest.importorskip("falkordb", reason="the falkordb client is not installed")
    try:
        server = helper.FalkorDBServer().start()
    except helper.FalkorDBUnavailable as err:
        pytest.skip(f"cannot start FalkorDB: {err}")
    yield server
    server.stop()


Fact = tuple[str, str, str, int]  # subject key, predicate, object key, sentence index
MentionSpec = tuple[str, str, str, int]  # key, surface text, label, sentence index


def make_doc(
    doc_id: str,
    sentences: Sequence[str],
    mentions: Sequence[MentionSpec],
    facts: Sequence[Fact] = (),
    *,
    extractor: str = "test-rules/1",
) -> ResolvedDocument:
    """Build a ``ResolvedDocument`` by hand, with offsets computed from the text.

    Args:
        doc_id: Document id.
        sentences: Sentence texts (the document text joins them with a space).
        mentions: ``(key, surface, label, sentence_index)``; the surface should occur in that
            sentence (its first occurrence gives the offsets).
        facts: ``(subject_key, predicate, object_key, sentence_index)``; the evidence span is
            the whole sentence.
        extractor: Extractor id of the document and its facts.
    """
    spans: list[Sentence] = []
    start = 0
    for i, text in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(text), text))
        start += len(text) + 1
    text = " ".join(sentences)
    ents = []
    for key, surface, label, s in mentions:
        at = max(spans[s].text.find(surface), 0) + spans[s].char_start
        ents.append(EntityMention(key, surface, label, s, at, at + len(surface)))
    triples = tuple(
        Triple(
            subj,
            pred,
            obj,
            Provenance(doc_id, s, spans[s].char_start, spans[s].char_end, extractor),
        )
        for subj, pred, obj, s in facts
    )
    return ResolvedDocument(
        document=Document(id=doc_id, text=text),
        content_hash=content_hash(text),
        extractor=extractor,
        sentences=tuple(spans),
        mentions=tuple(ents),
        triples=triples,
    )


@pytest.fixture
def make() -> Callable[..., ResolvedDocument]:
    """The ``make_doc`` factory: a ``ResolvedDocument`` built by hand."""
    return make_doc


# Tiny models and data for the model tests (random weights, hand-made graph).

PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank"]
TOPICS = {"alice": "sport", "bob": "sport", "carol": "sport", "dave": "music", "erin": "music"}
FILLER = ["the", "story", "about", "news", "today", "report", "and", "of", "new", "old"]
# Tiny tensors: threads only add overhead (and contend on shared 2-core machines).
torch.set_num_threads(1)

WORDS = [*PEOPLE, "sport", "music", "club", "band", "plays", "in", *FILLER]


def save_tiny_bert(path: Path, words: Sequence[str], *, dropout: float = 0.1) -> Path:
    """Save a random 2-layer BERT (hidden 32) with a word-level tokenizer over ``words``
    (``dropout=0`` where runs in several processes must draw the same)."""
    from transformers import BertConfig, BertModel, BertTokenizer

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(words)]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizer(vocab=str(path / "vocab.txt")).save_pretrained(path)  # transformers 5: vocab=
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_bert_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str, Sequence[str]], Path]:
    """``make(name, words)``: a tiny random BERT on disk whose vocabulary holds ``words``."""
    return lambda name, words: save_tiny_bert(tmp_path_factory.mktemp(name), words)


@pytest.fixture(scope="session")
def tiny_bert_dir(tiny_bert_factory: Callable[[str, Sequence[str]], Path]) -> Path:
    """A random 2-layer BERT (hidden 32) over the tiny datasets' words, saved as safetensors."""
    return tiny_bert_factory("tiny_bert", WORDS)


#: People linked to clubs/bands; the club or band tells the topic (``tiny_kg``).
CLUB_EDGES = [
    ("alice", "plays_in", "club", 3),
    ("bob", "plays_in", "club", 1),
    ("carol", "plays_in", "club", 2),
    ("dave", "plays_in", "band", 2),
    ("erin", "plays_in", "band", 1),
    ("club", "is_a", "sport", 5),
    ("band", "is_a", "music", 5),
    ("frank", "knows", "alice", 1),
]


@pytest.fixture(scope="session")
def tiny_kg() -> KGData:
    """People linked to clubs/bands; the club or band tells the topic."""
    return KGData.from_edges(CLUB_EDGES)


def make_rows(n: int, seed: int) -> list[dict]:
    """Texts naming a person; the label is the person's topic (frank: none -> 'sport')."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        person = rng.choice(PEOPLE)
        words = [*rng.sample(FILLER, 4), person, *rng.sample(FILLER, 3)]
        entities = [person] if rng.random() < 0.8 else []
        label = TOPICS.get(person, "sport")
        rows.append({"id": f"r{i}", "text": " ".join(words), "label": label, "entities": entities})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def data_files(tmp_path: Path) -> tuple[Path, Path]:
    """(train.jsonl, eval.jsonl) with 32 and 16 rows."""
    return (
        write_jsonl(tmp_path / "train.jsonl", make_rows(32, 1)),
        write_jsonl(tmp_path / "eval.jsonl", make_rows(16, 2)),
    )


class Listener:
    """Counts TCP connections to a loopback port."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):
                conn.recv(65536)
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A fresh connection counter on a free loopback port."""
    opened = Listener()
    yield opened
    opened.close()
