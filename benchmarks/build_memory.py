"""Peak memory of ``kgfuse build`` as the corpus grows, and on one long single-line document.

Each arm runs ``build_graph`` into a fresh embedded store in its own child process (same
model, same options); the parent reads the child's peak RSS from ``os.wait4`` (the kernel's
``ru_maxrss``), so the arms do not share an allocator and one run measures all of them.
The corpus is synthetic, made from the 20 Newsgroups sample: document ``i`` is the ``i mod N``-th
training text cut to ``--chars`` characters (``id`` made unique), so 1k and 10k documents have
the same length distribution. The long document is 20NG texts joined into one line of
``--long-chars`` characters (no newline at all).

Goals (issue 13): peak RSS at the largest size <= 1.2x the smallest; the long document
under 1 GB.

    nice -n 10 python benchmarks/build_memory.py --sizes 1000 10000 --long-chars 2000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "20ng" / "train.jsonl"


def synthetic_documents(corpus: Path, count: int, chars: int) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of ``count`` documents cycling over the corpus, each cut to ``chars``."""
    with corpus.open(encoding="utf-8") as handle:
        texts = [t for t in (json.loads(line)["text"].strip() for line in handle) if t]
    for i, text in enumerate(islice(cycle(texts), count)):
        yield f"d{i}", text[:chars]


def long_line(corpus: Path, chars: int) -> str:
    """One line of ``chars`` characters: corpus texts joined, every line break a space."""
    parts: list[str] = []
    size = 0
    with corpus.open(encoding="utf-8") as handle:
        for line in cycle(handle.readlines()):
            text = " ".join(json.loads(line)["text"].split())
            parts.append(text)
            size += len(text) + 1
            if size >= chars:
                break
    return " ".join(parts)[:chars]


def child(args: argparse.Namespace) -> None:
    """Build one arm in this process and print its summary as JSON."""
    from kgfuse.build import build_graph
    from kgfuse.kg.rdf_store import RdfStore
    from kgfuse.nlp.extractor import Extractor
    from kgfuse.types import Document

    extractor = Extractor(max_chars=args.max_chars) if args.max_chars else Extractor()
    loaded_kb = _rss_kb()
    if args.long_chars:
        documents: Iterator[Document] = iter(
            [Document("long", long_line(args.corpus, args.long_chars))]
        )
    else:
        documents = (
            Document(i, t) for i, t in synthetic_documents(args.corpus, args.docs, args.chars)
        )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, RdfStore(Path(tmp) / "g") as store:
        summary = build_graph(documents, store, extractor=extractor, progress=False)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "loaded_mb": loaded_kb / 1024,
                **{k: summary.as_dict()[k] for k in ("written", "sentences", "mentions", "words")},
            }
        )
    )


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_arm(args: argparse.Namespace, name: str, extra: list[str]) -> dict[str, float]:
    """Run one child build; return its summary with ``peak_mb`` (its own ``ru_maxrss``)."""
    command = [sys.executable, __file__, "--child", "--corpus", str(args.corpus), *extra]
    command += ["--chars", str(args.chars)]
    if args.max_chars:
        command += ["--max-chars", str(args.max_chars)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"arm {name} failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    print(
        f"{name:>18}: peak {result['peak_mb']:7.0f} MB (model loaded {result['loaded_mb']:.0f} MB)"
        f"  {result['seconds']:7.1f} s  {result['written']} docs {result['words']} words"
        f" {result['sentences']} sentences",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--chars", type=int, default=600, help="characters per synthetic doc")
    parser.add_argument("--long-chars", type=int, default=2_000_000, help="0: no long arm")
    parser.add_argument("--max-chars", type=int, default=0, help="Extractor max_chars (0: default)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"corpus {args.corpus}, {args.chars} chars per document; load: {os.getloadavg()}")
    peaks = {
        n: run_arm(args, f"{n} documents", ["--docs", str(n), "--long-chars", "0"])["peak_mb"]
        for n in args.sizes
    }
    if len(peaks) > 1:
        low, high = min(peaks), max(peaks)
        print(f"ratio peak {high} / {low} documents: {peaks[high] / peaks[low]:.2f} (goal <= 1.2)")
    if args.long_chars:
        long = run_arm(args, f"1 x {args.long_chars} chars", ["--long-chars", str(args.long_chars)])
        print(f"long single-line document: peak {long['peak_mb']:.0f} MB (goal < 1024)")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
