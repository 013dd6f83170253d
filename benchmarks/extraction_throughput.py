"""Throughput of the NLP stage against raw ``nlp.pipe`` with the same model and texts.

Words are whitespace tokens of the input texts; both runs see the same texts, model and
batch size, one after the other in one process (after a short warm-up). The goal is an
extractor at >= 0.8x the raw pipe's words/s. Wall-clock ratios move with whatever else runs
on the machine; with ``n_process=1`` the CPU-time ratio (``time.process_time``) is printed
too and is the steadier figure.

Usage::

    python benchmarks/extraction_throughput.py [--limit 2000] [--batch-size 64] [--n-process 1]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from kgfuse.nlp import Extractor, load_nlp
from kgfuse.types import Document

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "20ng" / "train.jsonl"
)


@dataclass(frozen=True)
class ExtractionTiming:
    """Words/s of raw ``nlp.pipe`` and of ``Extractor.extract_many`` on the same texts."""

    documents: int
    words: int
    raw_seconds: float
    extractor_seconds: float
    raw_cpu_seconds: float
    extractor_cpu_seconds: float
    mentions: int
    relations: int

    @property
    def raw_wps(self) -> float:
        return self.words / self.raw_seconds

    @property
    def extractor_wps(self) -> float:
        return self.words / self.extractor_seconds

    @property
    def ratio(self) -> float:
        """Extractor words/s over raw words/s, wall clock."""
        return self.extractor_wps / self.raw_wps

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in CPU time of this process (meaningful with ``n_process=1``)."""
        return self.raw_cpu_seconds / self.extractor_cpu_seconds


def load_texts(path: Path, limit: int) -> list[str]:
    """Return the ``text`` field of the first ``limit`` records of a JSONL file."""
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


def measure_extraction(
    texts: Sequence[str],
    *,
    nlp: Language | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    cooccurrence: bool = False,
) -> ExtractionTiming:
    """Time raw ``nlp.pipe`` and ``Extractor.extract_many`` over the same texts.

    Args:
        texts: The texts.
        nlp: The pipeline (default: ``load_nlp()``).
        batch_size: ``nlp.pipe`` batch size for both runs.
        n_process: ``nlp.pipe`` worker processes for both runs.
        cooccurrence: Extractor option.

    Returns:
        Counts and timings of both runs.
    """
    nlp = nlp or load_nlp()
    extractor = Extractor(
        nlp, batch_size=batch_size, n_process=n_process, cooccurrence=cooccurrence
    )
    words = sum(len(text.split()) for text in texts)
    warm_up = [Document(str(i), text) for i, text in enumerate(texts[:16])]
    for _ in extractor.extract_many(warm_up):
        pass

    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    raw_seconds = time.perf_counter() - started
    raw_cpu_seconds = time.process_time() - cpu_started

    documents = (Document(str(i), text) for i, text in enumerate(texts))
    mentions = relations = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for extraction in extractor.extract_many(documents):
        mentions += len(extraction.mentions)
        relations += len(extraction.relations)
    extractor_seconds = time.perf_counter() - started
    extractor_cpu_seconds = time.process_time() - cpu_started
    return ExtractionTiming(
        documents=len(texts),
        words=words,
        raw_seconds=raw_seconds,
        extractor_seconds=extractor_seconds,
        raw_cpu_seconds=raw_cpu_seconds,
        extractor_cpu_seconds=extractor_cpu_seconds,
        mentions=mentions,
        relations=relations,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=2000, help="first N documents")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default en_core_web_sm)")
    args = parser.parse_args()

    texts = load_texts(args.data, args.limit)
    nlp = load_nlp(args.model)
    timing = measure_extraction(
        texts, nlp=nlp, batch_size=args.batch_size, n_process=args.n_process
    )
    print(
        f"{timing.documents} docs, {timing.words} words, batch_size={args.batch_size}, "
        f"n_process={args.n_process}, {Extractor(nlp).version}"
    )
    print(f"raw nlp.pipe        {timing.raw_wps:10.0f} words/s  ({timing.raw_seconds:.1f} s)")
    print(
        f"Extractor           {timing.extractor_wps:10.0f} words/s  "
        f"({timing.extractor_seconds:.1f} s)  {timing.mentions} mentions, "
        f"{timing.relations} relations"
    )
    print(f"ratio               {timing.ratio:10.2f}x  (wall clock)")
    if args.n_process == 1:
        print(
            f"ratio (CPU time)    {timing.cpu_ratio:10.2f}x  (raw {timing.raw_cpu_seconds:.1f} s, "
            f"extractor {timing.extractor_cpu_seconds:.1f} s)"
        )


if __name__ == "__main__":
    main()
