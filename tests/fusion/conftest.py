"""Fixtures for fusion tests: a tiny random BERT on disk, a hand-made graph, tiny datasets."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel, BertTokenizer

from kgfuse.graph.data import KGData

PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank"]
TOPICS = {"alice": "sport", "bob": "sport", "carol": "sport", "dave": "music", "erin": "music"}
FILLER = ["the", "story", "about", "news", "today", "report", "and", "of", "new", "old"]
# Tiny tensors: threads only add overhead (and contend on shared 2-core machines).
torch.set_num_threads(1)

WORDS = [*PEOPLE, "sport", "music", "club", "band", "plays", "in", *FILLER]


@pytest.fixture(scope="session")
def tiny_bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 2-layer BERT (hidden 32) with a word-level tokenizer, saved as safetensors."""
    path = tmp_path_factory.mktemp("tiny_bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizer(vocab=str(path / "vocab.txt"))
    tokenizer.save_pretrained(path)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_kg() -> KGData:
    """People linked to clubs/bands; the club or band tells the topic."""
    edges = [
        ("alice", "plays_in", "club", 3),
        ("bob", "plays_in", "club", 1),
        ("carol", "plays_in", "club", 2),
        ("dave", "plays_in", "band", 2),
        ("erin", "plays_in", "band", 1),
        ("club", "is_a", "sport", 5),
        ("band", "is_a", "music", 5),
        ("frank", "knows", "alice", 1),
    ]
    return KGData.from_edges(edges)


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
