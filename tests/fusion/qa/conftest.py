"""QA test fixtures: a tiny random question encoder, the toy graph in memory and in a real
embedded store, and a 2-hop model trained over the store (once per session)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from kgfuse.graph.data import KGData

from .toy import QUESTION_WORDS, edges, questions, write_jsonl


@pytest.fixture(scope="session")
def qa_bert_dir(tiny_bert_factory: Callable[[str, Sequence[str]], Path]) -> Path:
    """A random 2-layer BERT (hidden 32) whose vocabulary holds the question words."""
    return tiny_bert_factory("qa_bert", QUESTION_WORDS)


@pytest.fixture(scope="session")
def toy_kg() -> KGData:
    return KGData.from_edges(edges())


@pytest.fixture(scope="session")
def toy_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the toy graph, imported from a ``head|relation|tail`` file."""
    from kgfuse.kg.importers import import_triples
    from kgfuse.kg.store import open_store

    tmp = tmp_path_factory.mktemp("qa_store")
    kb = tmp / "kb.txt"
    kb.write_text("".join(f"{s}|{p}|{o}\n" for s, p, o in edges()))
    with open_store(str(tmp / "graph")) as store:
        import_triples(store, kb)
    return tmp / "graph"


@pytest.fixture(scope="session")
def trained(
    tmp_path_factory: pytest.TempPathFactory, qa_bert_dir: Path, toy_store: Path
) -> tuple[Path, Path, dict]:
    """(model dir, data file, metrics) of a 2-hop model trained over the store (the body of
    ``kgfuse train --task qa``)."""
    from kgfuse.cli.qa import train_qa_command

    tmp = tmp_path_factory.mktemp("qa")
    data = write_jsonl(tmp / "qa.jsonl", questions())
    metrics = train_qa_command(
        data, data, store=str(toy_store), out=tmp / "model", overrides=["hidden_size=32"],
        text_encoder=str(qa_bert_dir), epochs=30.0, batch_size=8, disable_tqdm=True,
        logging_steps=1000,
    )  # fmt: skip
    return tmp / "model", data, metrics
