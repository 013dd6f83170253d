"""Fixtures of the API and explorer tests: one real graph built from the sample articles, a
tiny classifier and a tiny QA model trained on it, and real uvicorn servers on free loopback
ports (one writable with a token, one read-only), shared by the whole session."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from kgfuse.serve import BackgroundServer, ServeSettings, ServeState

TOKEN = "test-token-0123456789abcdef"
MAX_BODY = 64 * 1024
TRAIN = [
    ("Marie Curie studied physics in Paris.", "science"),
    ("Albert Einstein developed the theory of relativity.", "science"),
    ("Marie Curie won the Nobel Prize in physics.", "science"),
    ("Albert Einstein worked in Berlin on physics.", "science"),
    ("Apple acquired Beats Electronics.", "business"),
    ("Steve Jobs founded Apple in Cupertino.", "business"),
    ("Apple sold more phones in California.", "business"),
    ("Steve Jobs announced the deal for Apple.", "business"),
]


@pytest.fixture(scope="session")
def serve_graph(tmp_path_factory: pytest.TempPathFactory, sample_articles: Path, extractor) -> Path:
    """An embedded store built from the sample articles (real spaCy extraction)."""
    from kgfuse.build import build_graph
    from kgfuse.kg.store import open_store

    path = tmp_path_factory.mktemp("serve") / "graph"
    with open_store(str(path)) as store:
        build_graph(sample_articles, store, extractor=extractor, progress=False)
    return path


@pytest.fixture(scope="session")
def classifier_dir(
    tmp_path_factory: pytest.TempPathFactory, serve_graph: Path, tiny_bert_dir: Path
) -> Path:
    """A document-graph classifier (tiny random BERT) trained over the served graph."""
    from kgfuse.cli.classify import train_command

    tmp = tmp_path_factory.mktemp("serve-classifier")
    train = tmp / "train.jsonl"
    train.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in TRAIN))
    out = tmp / "topics"
    settings = ["disable_tqdm=true", "dev_fraction=0"]
    train_command(
        "docgraph",
        train,
        None,
        store=str(serve_graph),
        out=out,
        overrides=settings,
        text_encoder=str(tiny_bert_dir),
        epochs=10,
    )
    return out


def graph_questions(graph: Path) -> list[dict]:
    """One question per fact of the graph: ``what PREDICATE [SUBJECT]`` -> the object."""
    from kgfuse.kg.store import open_store

    with open_store(str(graph), create=False) as store:
        edges = list(store.iter_edges())
        names = {
            k: e.name
            for k, e in store.entities(
                {x for e in edges for x in (e.subject_key, e.object_key)}
            ).items()
        }
    return [
        {
            "question": f"what {e.predicate.replace('_', ' ')} [{names[e.subject_key]}]",
            "answers": [names[e.object_key]],
        }
        for e in edges
        if e.subject_key in names and e.object_key in names
    ]


@pytest.fixture(scope="session")
def qa_dir(
    tmp_path_factory: pytest.TempPathFactory,
    serve_graph: Path,
    tiny_bert_factory: Callable[[str, Sequence[str]], Path],
) -> Path:
    """A QA model (tiny random BERT question encoder) trained on the served graph's facts."""
    from kgfuse.cli.qa import train_qa_command

    tmp = tmp_path_factory.mktemp("serve-qa")
    rows = graph_questions(serve_graph)
    words = sorted({w for r in rows for w in r["question"].split() if w.isalpha()})
    bert = tiny_bert_factory("serve-qa-bert", ["what", "ne", *words])
    data = tmp / "questions.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp / "facts"
    settings = ["hidden_size=32", "batch_size=8", "disable_tqdm=true", "logging_steps=1000"]
    train_qa_command(
        data, None, store=str(serve_graph), out=out, overrides=settings,
        text_encoder=str(bert), epochs=3,
    )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def serve_state(serve_graph: Path, classifier_dir: Path, qa_dir: Path) -> Iterator[ServeState]:
    """The open store and both models, writable with ``TOKEN``."""
    settings = ServeSettings(
        store=str(serve_graph),
        models=(str(classifier_dir), str(qa_dir)),
        port=0,
        allow_write=True,
        token=TOKEN,
        max_body=MAX_BODY,
    ).check()
    state = ServeState.open(settings)
    yield state
    state.close()


@pytest.fixture(scope="session")
def api(serve_state: ServeState) -> Iterator[BackgroundServer]:
    """A real uvicorn server of the writable state on a free loopback port."""
    with BackgroundServer(serve_state) as server:
        yield server


@pytest.fixture(scope="session")
def readonly_api(serve_state: ServeState) -> Iterator[BackgroundServer]:
    """A second real server over the same store and models, started without --allow-write
    (and with a row cap of 5 on raw queries)."""
    settings = ServeSettings(
        store=serve_state.settings.store, port=0, max_body=MAX_BODY, max_rows=5
    )
    state = ServeState(settings, serve_state.store, dict(serve_state.models))
    with BackgroundServer(state) as server:  # the store is closed by serve_state
        yield server


@pytest.fixture(scope="session")
def auth_header() -> dict[str, str]:
    """The ``Authorization`` header of the writable server's token."""
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def max_body() -> int:
    """The servers' request body limit in bytes."""
    return MAX_BODY


@pytest.fixture
def client(api: BackgroundServer) -> Iterator[httpx.Client]:
    """An HTTP client of the writable server."""
    with httpx.Client(base_url=api.url, timeout=60) as c:
        yield c
