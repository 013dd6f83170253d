"""What every store refuses before writing anything: the id rule and unstorable text.

``GraphStore.write`` runs :func:`check_batch` on the whole batch first, so a bad document
fails the batch with one clear line before any backend sees any of it, and every backend
refuses exactly the same inputs (FalkorDB cannot carry a NUL; no store can hold a lone
surrogate; RDF could take either, and used to, so the backends disagreed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kgfuse.corpus.ids import MAX_ID_CHARS, id_error_message, id_problem, text_problem
from kgfuse.errors import StoreError, clip
from kgfuse.types import ResolvedDocument

#: Longest entity key, in characters. FalkorDB closes the connection on an indexed value over
#: 4,096 bytes (a 5,000-character key; the server then died on the next write), and 1,024
#: characters are at most 4,096 bytes of UTF-8.
MAX_KEY_CHARS = MAX_ID_CHARS


def storable(text: str) -> bool:
    """Whether ``text`` can be stored and looked up on every backend."""
    return isinstance(text, str) and text_problem(text) is None


def storable_key(key: str) -> bool:
    """Whether ``key`` can be an entity key on every backend."""
    return storable(key) and len(key) <= MAX_KEY_CHARS


def _strings(resolved: ResolvedDocument) -> Iterator[tuple[str, str]]:
    yield "content hash", resolved.content_hash
    yield "extractor", resolved.extractor
    for sent in resolved.sentences:
        yield f"sentence {sent.index}", sent.text
    for m in resolved.mentions:
        yield f"mention {m.char_start}-{m.char_end} text", m.text
        yield f"mention {m.char_start}-{m.char_end} key", m.key
        yield f"mention {m.char_start}-{m.char_end} label", m.label
    for t in resolved.triples:
        for role, value in (
            ("subject", t.subject_key),
            ("predicate", t.predicate),
            ("object", t.object_key),
            ("extractor", t.provenance.extractor),
        ):
            yield f"fact in sentence {t.provenance.sentence_index} {role}", value


def check_batch(documents: Sequence[ResolvedDocument]) -> None:
    """Refuse a write batch holding an invalid id or text no backend can store.

    Raises:
        StoreError: An id breaks the rule of ``kgfuse.corpus.ids``, a value holds a NUL or a
            lone surrogate, or an id appears twice (the message names the document).
    """
    seen: set[str] = set()
    for resolved in documents:
        doc_id = resolved.document.id
        problem = id_problem(doc_id)
        if problem is not None:
            raise StoreError(id_error_message(doc_id, problem, resolved.document.source))
        if doc_id in seen:
            raise StoreError(f"document id {clip(doc_id)!r} appears twice in one write batch")
        seen.add(doc_id)
        keys = [m.key for m in resolved.mentions]
        keys += [k for t in resolved.triples for k in (t.subject_key, t.object_key)]
        for key in keys:
            if isinstance(key, str) and len(key) > MAX_KEY_CHARS:
                raise StoreError(
                    f"document {clip(doc_id)!r}: the entity key {clip(repr(key), 60)} is "
                    f"{len(key)} characters long; at most {MAX_KEY_CHARS} are accepted on every "
                    "backend, so nothing of this batch was written"
                )
        for what, value in _strings(resolved):
            if not isinstance(value, str):
                raise StoreError(
                    f"document {clip(doc_id)!r}: the {what} is a {type(value).__name__}, "
                    "expected a string"
                )
            problem = text_problem(value)
            if problem is not None:
                raise StoreError(
                    f"document {clip(doc_id)!r}: the {what} {clip(repr(value), 60)} {problem}; "
                    "no store can hold it on every backend, so nothing of this batch was written"
                )
