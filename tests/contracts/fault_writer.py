"""A writer process for the fault tests: writes synthetic documents, to be killed with -9.

Run as ``python fault_writer.py STORE_URL N_DOCS BATCH [--delete K]
[--die-after-first-multi]``. It writes documents ``doc-0`` ... in batches, skipping those
already stored with the same version (as ``kgfuse build`` resumes), printing ``wrote K``
after each batch, then deletes the first K documents, printing ``deleted I`` after each.
``--die-after-first-multi`` makes a FalkorDB writer SIGKILL itself right after its first
``MULTI``/``EXEC`` block of a round: where prepare and commit were two blocks, that is
exactly between the two steps.

Every document has :data:`SENTENCES` sentences, :data:`MENTIONS` mentions and
:data:`FACTS` facts, so a reader can tell a half-written document from the counts alone.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

from kgfuse.kg.stores import GraphStore, open_store
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

SENTENCES, MENTIONS, FACTS = 3, 6, 3
_NAMES = ["Ada", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace"]


def document(i: int, *, version: str = "fault/1") -> ResolvedDocument:
    """Document ``doc-i``: three sentences, each linking two of seven shared entities."""
    doc_id = f"doc-{i}"
    sentences, mentions, triples = [], [], []
    start = 0
    for s in range(SENTENCES):
        a, b = _NAMES[(i + s) % 7], _NAMES[(i + s + 3) % 7]
        text = f"{a} met {b} in story {i}."
        sentences.append(Sentence(s, start, start + len(text), text))
        mentions.append(EntityMention(a.lower(), a, "PERSON", s, start, start + len(a)))
        at = start + text.index(b)
        mentions.append(EntityMention(b.lower(), b, "PERSON", s, at, at + len(b)))
        prov = Provenance(doc_id, s, start, start + len(text), version)
        triples.append(Triple(a.lower(), "met", b.lower(), prov))
        start += len(text) + 1
    text = " ".join(s.text for s in sentences)
    return ResolvedDocument(
        document=Document(id=doc_id, text=text),
        content_hash=content_hash(text),
        extractor=version,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        triples=tuple(triples),
    )


def write_all(store: GraphStore, n_docs: int, batch: int, *, report: bool = False) -> None:
    """Write ``doc-0`` ... ``doc-(n_docs-1)``, skipping those already up to date."""
    docs = [document(i) for i in range(n_docs)]
    for start in range(0, n_docs, batch):
        part = docs[start : start + batch]
        known = store.document_versions(d.document.id for d in part)
        todo = [d for d in part if known.get(d.document.id) != (d.content_hash, d.extractor)]
        store.write(todo)
        if report:
            print(f"wrote {start // batch}", flush=True)


def delete_first(store: GraphStore, count: int, *, report: bool = False) -> None:
    """Delete ``doc-0`` ... ``doc-(count-1)`` (those still there), as ``kgfuse delete`` does."""
    for i in range(count):
        store.delete_document(f"doc-{i}")
        if report:
            print(f"deleted {i}", flush=True)


def _die_after_first_multi() -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    original = FalkorDBStore._multi

    def multi(self: FalkorDBStore, statements: Sequence[object]) -> object:
        result = original(self, statements)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    FalkorDBStore._multi = multi  # type: ignore[method-assign]


def import_lines(store: GraphStore, path: str, chunk: int, *, report: bool = False) -> None:
    """``kgfuse import`` of a pipe file, ``chunk`` lines per document."""
    from kgfuse.kg.importers import import_triples

    done = 0

    def step(lines: int) -> None:
        nonlocal done
        done += lines
        if report:
            print(f"imported {done}", flush=True)

    import_triples(store, path, chunk_size=chunk, progress=step, name="kb.txt")


def main(argv: Sequence[str]) -> None:
    """Entry point: ``STORE_URL N_DOCS BATCH [--delete K] [--import FILE] [--die-...]``."""
    url, n_docs, batch = argv[0], int(argv[1]), int(argv[2])
    if "--import" in argv:
        with open_store(url) as store:
            print("ready", flush=True)
            import_lines(store, argv[argv.index("--import") + 1], batch, report=True)
        print("done", flush=True)
        return
    if "--die-after-first-multi" in argv:
        _die_after_first_multi()
    deletes = int(argv[argv.index("--delete") + 1]) if "--delete" in argv else 0
    with open_store(url) as store:
        print("ready", flush=True)
        write_all(store, n_docs, batch, report=True)
        delete_first(store, deletes, report=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
