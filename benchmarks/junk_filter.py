"""What the junk filter removes on the shared classification sets.

For the first N training texts of each set: extract, resolve without and with the junk
filter (``kg.junk``), and count the entities (distinct keys) and the texts that link each.
Two stages are reported: resolution drops the intrinsic junk (stop words, pronouns, single
characters, placeholders; values stay as literals of facts), and the linking filter
(``EntityFilter``) also drops numbers and generic heads. The most linked entities are listed
before and after.

Usage::

    python benchmarks/junk_filter.py [--limit 500] [--sets 20ng r8 sms_spam tweeteval_hate]
        [--strip-headers]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from kgfuse.corpus.headers import strip_document_headers
from kgfuse.kg.junk import DEFAULT_JUNK
from kgfuse.kg.resolution import resolve
from kgfuse.nlp import Extractor
from kgfuse.types import Document

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _texts(name: str, limit: int) -> list[Document]:
    documents = []
    with (DATA / name / "train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            documents.append(Document(str(record["id"]), record["text"][:5000]))
            if len(documents) >= limit:
                break
    return documents


def _top(freq: Counter[str], n: int = 8) -> str:
    return ", ".join(f"{k} ({v})" for k, v in freq.most_common(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--sets", nargs="+", default=["20ng", "r8", "sms_spam", "tweeteval_hate"])
    parser.add_argument(
        "--strip-headers", action="store_true", help="drop e-mail headers and quoted replies"
    )
    args = parser.parse_args()
    extractor = Extractor()
    for name in args.sets:
        started = time.perf_counter()
        raw: Counter[str] = Counter()  # texts linking each key, no filter
        kept: Counter[str] = Counter()  # after resolution's junk filter
        linked: Counter[str] = Counter()  # after the linking filter as well
        texts = _texts(name, args.limit)
        if args.strip_headers:
            texts = list(strip_document_headers(texts))
        for extraction in extractor.extract_many(texts):
            raw.update({m.key for m in resolve(extraction, junk=None).mentions})
            keys = {m.key for m in resolve(extraction).mentions}
            kept.update(keys)
            linked.update(k for k in keys if not DEFAULT_JUNK.is_junk(k))
        seconds = time.perf_counter() - started
        links = sum(raw.values())
        print(f"== {name}: {len(texts)} texts ({seconds:.0f} s)")
        for label, freq in (("no filter", raw), ("resolution", kept), ("+ linking", linked)):
            share = sum(freq.values()) / max(links, 1)
            print(
                f"  {label:<11} entities={len(freq):>6}  text links={share:6.1%}  top: {_top(freq)}"
            )
        removed = Counter({k: v for k, v in raw.items() if k not in linked})
        print(f"  removed: {len(removed)} entities, most linked: {_top(removed, 12)}")


if __name__ == "__main__":
    main()
