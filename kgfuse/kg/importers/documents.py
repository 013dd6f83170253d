"""Statements to documents: each chunk of an import file becomes one ``ResolvedDocument``."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from kgfuse.kg.importers.statements import (
    DEFAULT_LABEL,
    IMPORT_EXTRACTOR,
    ImportedStatement,
)
from kgfuse.kg.keys import import_key_function
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)


def statements_to_documents(
    statements: Iterable[ImportedStatement],
    *,
    name: str,
    source: str,
    chunk_size: int = 5000,
    label: str = DEFAULT_LABEL,
    extractor: str = IMPORT_EXTRACTOR,
    merge_names: bool = False,
    compact: bool = False,
) -> Iterator[tuple[int, ResolvedDocument]]:
    """Group statements into chunk documents, ``(chunk number, document)`` in order.

    A statement's chunk is ``(index - 1) // chunk_size``, so a skipped line never moves
    the others into another chunk. The document text is the chunk's statement texts joined
    by newlines; every offset (sentences, mentions, provenance) points into it.

    Args:
        statements: Statements in increasing ``index`` order.
        name: File name used in the document ids (``import:<name>#<chunk>``).
        source: Where the statements came from (``Document.source``).
        chunk_size: Lines (or statements) per document.
        label: Mention label of heads and tails that carry none.
        extractor: Extractor id written with every fact.
        merge_names: Key names as text mentions are keyed (case, articles and punctuation
            ignored: "Divorce" and "divorce" become one entity) instead of keeping every
            distinct name its own entity (``kgfuse.kg.keys``).
        compact: One mention per distinct ``(key, name, label)`` of the chunk (at its first
            line) instead of two per line: what the bulk path of the Cypher stores writes.
    """
    name_key = import_key_function(merge_names)
    for chunk, group in itertools.groupby(statements, key=lambda st: (st.index - 1) // chunk_size):
        doc_id = f"import:{name}#{chunk}"
        sentences, mentions, triples, texts = [], [], [], []
        named: set[tuple[str, str, str]] = set()
        offset = 0
        for st in group:
            end = offset + len(st.text)
            sentences.append(Sentence(st.index, offset, end, st.text))
            for value, (start, stop), mention_label in (
                (st.head, st.head_span, st.head_label),
                (st.tail, st.tail_span, st.tail_label),
            ):
                named_as = (name_key(value), value, mention_label or label)
                if compact and named_as in named:
                    continue
                named.add(named_as)
                mentions.append(EntityMention(*named_as, st.index, offset + start, offset + stop))
            provenance = Provenance(doc_id, st.index, offset, end, extractor)
            triples.append(Triple(name_key(st.head), st.predicate, name_key(st.tail), provenance))
            texts.append(st.text)
            offset = end + 1  # the joining newline
        text = "\n".join(texts)
        document = Document(id=doc_id, text=text, source=source)
        yield (
            chunk,
            ResolvedDocument(
                document=document,
                content_hash=content_hash(text),
                extractor=extractor,
                sentences=tuple(sentences),
                mentions=tuple(mentions),
                triples=tuple(triples),
            ),
        )
