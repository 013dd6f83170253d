"""Fixtures for document-graph tests: rows that link a person and their group, one trained
model shared by the read-only tests, and small hand-made term graphs."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph
from kgfuse.graph.data import KGData

from ....conftest import FILLER, PEOPLE, TOPICS, write_jsonl

GROUP = {"alice": "club", "bob": "club", "carol": "club", "dave": "band", "erin": "band"}


def group_rows(n: int, seed: int, *, prefix: str = "r") -> list[dict]:
    """Texts naming a person (and often their club or band); the label is the topic."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        person = rng.choice(PEOPLE)
        group = GROUP.get(person, "club")
        words = [*rng.sample(FILLER, 3), person, "plays", "in", group, *rng.sample(FILLER, 2)]
        entities = [person, group] if rng.random() < 0.8 else [person]
        label = TOPICS.get(person, "sport")
        rows.append(
            {"id": f"{prefix}{i}", "text": " ".join(words), "label": label, "entities": entities}
        )
    return rows


def options(tiny_bert_dir: Path, **overrides: object) -> DocGraphOptions:
    """Small, fast settings on the tiny BERT (overridable)."""
    settings: dict = {
        "text_encoder": str(tiny_bert_dir),
        "hidden_size": 16,
        "words": False,  # entity terms only, unless a test asks for words
        "epochs": 5,
        "dev_fraction": 0.0,
        "cv_folds": 0,  # the dev-slice protocol, unless a test asks for cross-validation
        "max_df": 0.9,
        "disable_tqdm": True,
        "device": "cpu",
    }
    settings.update(overrides)
    return DocGraphOptions(**settings)


def unique_texts(*paths: Path) -> list[str]:
    """Distinct texts of data files, first occurrence first."""
    seen: dict[str, None] = {}
    for path in paths:
        for ex in read_examples(path, label_column=None):
            seen.setdefault(ex.text, None)
    return list(seen)


@pytest.fixture(scope="session")
def group_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(train.jsonl, eval.jsonl) of ``group_rows``: 40 and 16 rows."""
    path = tmp_path_factory.mktemp("docgraph_data")
    return (
        write_jsonl(path / "train.jsonl", group_rows(40, 11)),
        write_jsonl(path / "eval.jsonl", group_rows(16, 12, prefix="e")),
    )


@pytest.fixture(scope="session")
def trained(
    tmp_path_factory: pytest.TempPathFactory,
    tiny_bert_dir: Path,
    tiny_kg: KGData,
    group_files: tuple[Path, Path],
) -> tuple[Path, dict, DocGraphOptions]:
    """One transductive model trained on ``group_files`` with the tiny graph: (dir, metrics,
    options). Tests must not modify the directory (copy it first)."""
    out = tmp_path_factory.mktemp("docgraph_model") / "model"
    opts = options(tiny_bert_dir, epochs=40, dropout=0.1)
    metrics = train_document_graph(
        group_files[0], group_files[1], graph=tiny_kg, out_dir=out, options=opts
    )
    return out, metrics, opts


def bag(*terms: str) -> Counter[str]:
    """A term bag with count 1 per listed term (repeat a term to count it more)."""
    return Counter(terms)
