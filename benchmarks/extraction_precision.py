"""Relation precision from a hand-labelled sample of extracted facts.

``--sample OUT`` draws facts (fixed seed) from WebNLG dev and the 20 Newsgroups training split
(headers stripped) and writes them for labelling, one JSON object per line: corpus, doc_id,
sentence, subject, predicate, object, coref (the antecedent a pronoun stands for), and an
empty ``label``. Labelled files (``correct`` / ``incorrect``, see
``tests/data/precision_guideline.md``) are scored with ``--score FILE``.

Usage::

    python benchmarks/extraction_precision.py --sample facts.jsonl [--per-corpus 100]
    python benchmarks/extraction_precision.py --score tests/data/precision_sample.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from itertools import islice
from pathlib import Path

from kgfuse.corpus.headers import strip_document_headers
from kgfuse.nlp import Extractor
from kgfuse.types import Document, Extraction

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SEED = 11


def _facts(corpus: str, extractions: list[Extraction]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for extraction in extractions:
        mentions = extraction.mentions
        for relation in extraction.relations:
            subject, obj = mentions[relation.subject], mentions[relation.object]
            antecedents = [mentions[m.coref].text for m in (subject, obj) if m.coref is not None]
            rows.append(
                {
                    "corpus": corpus,
                    "doc_id": extraction.document.id,
                    "sentence": extraction.sentences[relation.sentence_index].text,
                    "subject": subject.value or subject.text,
                    "predicate": relation.predicate,
                    "object": obj.value or obj.text,
                    "coref": antecedents[0] if antecedents else None,
                    "label": "",
                }
            )
    return rows


def sample(out: Path, per_corpus: int) -> None:
    """Draw ``per_corpus`` facts from each corpus into ``out`` for labelling."""
    extractor = Extractor()
    rng = random.Random(SEED)
    rows: list[dict[str, object]] = []
    with (DATA / "webnlg" / "dev.jsonl").open(encoding="utf-8") as handle:
        webnlg = [Document(r["id"], r["text"]) for r in map(json.loads, handle)]
    with (DATA / "20ng" / "train.jsonl").open(encoding="utf-8") as handle:
        news = [Document(str(r["id"]), r["text"]) for r in map(json.loads, islice(handle, 300))]
    for name, documents in (("webnlg", webnlg), ("20ng", list(strip_document_headers(news)))):
        facts = _facts(name, list(extractor.extract_many(documents)))
        rows += rng.sample(facts, min(per_corpus, len(facts)))
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} facts to {out} ({extractor.version})")


def score(path: Path) -> None:
    """Print precision per corpus and overall for a labelled file."""
    counts: Counter[tuple[str, str]] = Counter()
    with path.open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            for corpus in (row["corpus"], "ALL"):
                counts[(corpus, row["label"])] += 1
    for corpus in sorted({c for c, _ in counts}, key=lambda c: (c == "ALL", c)):
        good, bad = counts[(corpus, "correct")], counts[(corpus, "incorrect")]
        print(f"{corpus:<8} facts={good + bad:>4}  precision={good / max(good + bad, 1):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=Path, help="write a new sample to label here")
    parser.add_argument("--per-corpus", type=int, default=100)
    parser.add_argument("--score", type=Path, help="a labelled sample")
    args = parser.parse_args()
    if args.sample:
        sample(args.sample, args.per_corpus)
    if args.score:
        score(args.score)


if __name__ == "__main__":
    main()
