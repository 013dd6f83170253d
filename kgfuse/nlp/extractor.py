"""The NLP stage: ``Document`` -> ``Extraction`` (sentences, mentions, relations).

Documents stream through ``nlp.pipe``; a long document goes in as several chunks
(``split_long``) whose offsets and sentence indices are shifted back, so an ``Extraction``
always describes the whole cleaned text (offsets are absolute). Memory stays bounded whatever
the input: a pipe batch holds at most ``batch_size`` texts AND at most ``batch_chars``
characters (spaCy's working memory grows with the characters of a batch, not its count: one
batch of twenty 100,000-character chunks of a 2 MB document took gigabytes).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kgfuse.errors import ExtractionError
from kgfuse.nlp.clean import DEFAULT_MAX_CHARS, clean_text, split_long
from kgfuse.nlp.mentions import find_mentions
from kgfuse.nlp.model import load_nlp, model_id
from kgfuse.nlp.relations import extract_relations
from kgfuse.nlp.sink import RelationSink
from kgfuse.types import Document, Extraction, Mention, Relation, Sentence

logger = logging.getLogger(__name__)

#: Version of the rules; part of ``Extraction.extractor``. Bump it whenever output changes.
RULES_VERSION = 2
#: Default ``batch_chars``: the characters one ``nlp.pipe`` batch may hold.
DEFAULT_BATCH_CHARS = 50_000


@dataclass
class _Partial:
    """What has been extracted so far from the chunks of one document."""

    document: Document
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


class Extractor:
    """Extracts sentences, entity/concept mentions and rule-based relations from documents.

    Args:
        nlp: A loaded spaCy pipeline, a pipeline name or path, or ``None`` for the default
            (see ``load_nlp``). It needs a dependency parser, NER and a lemmatizer.
        cooccurrence: Also link distinct named entities of a sentence (``co_occurs_with``).
        concepts: Add concept mentions (noun phrases outside entities).
        coreference: Resolve pronouns and "the city"-style descriptions to earlier mentions
            of the same chunk (rules, see ``coref.py``); their relations then count for the
            antecedent.
        batch_size: Texts per ``nlp.pipe`` batch.
        max_chars: Longer texts are parsed in chunks of at most this many characters.
        batch_chars: Most characters per ``nlp.pipe`` batch (a longer chunk goes alone).
        n_process: Worker processes of ``nlp.pipe`` (measure before raising it; with more
            than one, spaCy batches by ``batch_size`` only).

    Raises:
        ExtractionError: The pipeline cannot be loaded.
    """

    def __init__(
        self,
        nlp: Language | str | None = None,
        *,
        cooccurrence: bool = False,
        concepts: bool = True,
        coreference: bool = True,
        batch_size: int = 64,
        max_chars: int = DEFAULT_MAX_CHARS,
        batch_chars: int = DEFAULT_BATCH_CHARS,
        n_process: int = 1,
    ) -> None:
        self.nlp = nlp if isinstance(nlp, Language) else load_nlp(nlp)
        self.cooccurrence = cooccurrence
        self.concepts = concepts
        self.coreference = coreference
        self.batch_size = batch_size
        self.max_chars = min(max_chars, self.nlp.max_length)
        self.batch_chars = batch_chars
        self.n_process = n_process

    @property
    def version(self) -> str:
        """Extractor id stored with every fact, e.g. ``kgfuse-rules/1 en_core_web_sm/3.8.0``.

        Options that change the output are part of it (``+cooc``, ``-concepts``), so a build
        with other options re-extracts documents instead of taking them as up to date.
        """
        options = (
            ("+cooc" if self.cooccurrence else "")
            + ("" if self.concepts else "-concepts")
            + ("" if self.coreference else "-coref")
        )
        return f"kgfuse-rules/{RULES_VERSION}{options} {model_id(self.nlp)}"

    def extract(self, document: Document) -> Extraction:
        """Extract one document (see ``extract_many``); always in this process."""
        return next(self._extract([document], n_process=1))

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extract documents lazily, in order, batching them through ``nlp.pipe``.

        Args:
            documents: Any iterable of documents; it is read as the pipe needs more input.

        Returns:
            An iterator of one ``Extraction`` per document, in input order. Offsets refer to
            ``Extraction.text``, the cleaned text.

        Raises:
            ExtractionError: The pipeline does not produce a dependency parse.
        """
        return self._extract(documents, n_process=self.n_process)

    def _extract(self, documents: Iterable[Document], *, n_process: int) -> Iterator[Extraction]:
        version = self.version
        # Contexts are small tuples, not the partial results: with n_process > 1 spaCy pickles
        # them to the workers and back, and the chunks of a document must share one record.
        pending: dict[int, _Partial] = {}
        chunks = self._chunks(documents, pending)
        if n_process > 1:
            stream = self.nlp.pipe(
                chunks, as_tuples=True, batch_size=self.batch_size, n_process=n_process
            )
        else:
            stream = self._pipe_bounded(chunks)
        for doc, (number, offset, is_last) in stream:
            partial = pending[number]
            self._add_chunk(partial, doc, offset)
            if is_last:
                del pending[number]
                yield Extraction(
                    document=partial.document,
                    text=partial.text,
                    sentences=tuple(partial.sentences),
                    mentions=tuple(partial.mentions),
                    relations=tuple(partial.relations),
                    extractor=version,
                )

    def _pipe_bounded(
        self, chunks: Iterator[tuple[str, tuple[int, int, bool]]]
    ) -> Iterator[tuple[Doc, tuple[int, int, bool]]]:
        """``nlp.pipe(chunks, as_tuples=True)`` in batches bounded by count and characters."""
        for batch in char_batches(chunks, self.batch_size, self.batch_chars):
            texts = [text for text, _ in batch]
            for doc, (_, context) in zip(
                self.nlp.pipe(texts, batch_size=len(texts)), batch, strict=True
            ):
                yield doc, context

    def _chunks(
        self, documents: Iterable[Document], pending: dict[int, _Partial]
    ) -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for number, document in enumerate(documents):
            text = clean_text(document.text)
            pending[number] = _Partial(document, text)
            chunks = split_long(text, self.max_chars)
            if len(chunks) > 1:
                logger.debug("%s: %d chars, %d chunks", document.id, len(text), len(chunks))
            for position, (offset, chunk) in enumerate(chunks):
                yield chunk, (number, offset, position == len(chunks) - 1)

    def _add_chunk(self, partial: _Partial, doc: Doc, offset: int) -> None:
        if len(doc) and not doc.has_annotation("DEP"):
            raise ExtractionError(
                f"pipeline {model_id(self.nlp)} with {self.nlp.pipe_names} gives no dependency "
                "parse: expected a 'parser' component; try the default en_core_web_sm"
            )
        sentences = partial.sentences
        sentence_of = [0] * len(doc)
        bounds: list[tuple[int, int, int]] = []  # (sentence index, first token, end token)
        for sent in doc.sents:
            raw = sent.text
            stripped = raw.strip()
            index = len(sentences)
            if stripped:  # whitespace-only "sentences" (blank lines) are not kept
                start = sent.start_char + offset + (len(raw) - len(raw.lstrip()))
                sentences.append(Sentence(index, start, start + len(stripped), stripped))
                bounds.append((index, sent.start, sent.end))
            else:  # its tokens count as the previous sentence's
                index = max(index - 1, 0)
            sentence_of[sent.start : sent.end] = [index] * (sent.end - sent.start)
        mentions, token_mention = find_mentions(
            doc,
            sentence_of,
            concepts=self.concepts,
            coreference=self.coreference,
            char_offset=offset,
            mention_offset=len(partial.mentions),
        )
        sink = RelationSink(
            mentions, token_mention, mention_offset=len(partial.mentions), char_offset=offset
        )
        first = 0
        for index, start, end in bounds:
            sink.start_sentence(index)
            extract_relations(doc[start:end], sink)
            if self.cooccurrence:
                # Mentions are in text order, so each sentence's mentions are contiguous.
                while first < len(mentions) and mentions[first].sentence_index < index:
                    first += 1
                last = first
                while last < len(mentions) and mentions[last].sentence_index == index:
                    last += 1
                sink.add_cooccurrences(first, last)
                first = last
        partial.mentions.extend(mentions)
        partial.relations.extend(sink.relations)


def char_batches(
    items: Iterable[tuple[str, Any]], max_items: int, max_chars: int
) -> Iterator[list[tuple[str, Any]]]:
    """Group ``(text, context)`` pairs into lists of at most ``max_items`` pairs whose texts
    hold at most ``max_chars`` characters together (a longer text forms a list alone).

    Args:
        items: The pairs, read lazily.
        max_items: Most pairs per list (at least 1).
        max_chars: Most characters per list.

    Returns:
        An iterator of non-empty lists, in input order.
    """
    batch: list[tuple[str, Any]] = []
    size = 0
    for item in items:
        length = len(item[0])
        if batch and (len(batch) >= max_items or size + length > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch
