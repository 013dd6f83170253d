"""How many keys of an imported knowledge base merge distinct names, per key function.

A key merges distinct names when two names of the file that differ (in any character other
than surrounding or repeated whitespace) get the same key. The MetaQA KB is a resolved
knowledge base, so every such key joins two entities that are different.

Usage::

    python benchmarks/import_keys.py [--data ../shared/data/metaqa/kb.txt]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from kgfuse.kg.keys import identity_key, merged_key
from kgfuse.kg.normalize import entity_key

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "metaqa" / "kb.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    names: set[str] = set()
    with args.data.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("|")
            if len(parts) == 3:
                names.update(p.strip() for p in (parts[0], parts[2]) if p.strip())
    print(f"{args.data}: {len(names)} distinct names")
    for label, key in (
        ("entity_key (before)", entity_key),
        ("merged_key (--merge-names)", merged_key),
        ("identity_key (default)", identity_key),
    ):
        groups: dict[str, set[str]] = defaultdict(set)
        for name in names:
            groups[key(name)].add(name)
        merging = {k: v for k, v in groups.items() if len(v) > 1}
        empty = len(groups.get("", ()))
        example = next(iter(sorted(merging.items())), None)
        print(
            f"{label:<28} keys={len(groups):>6}  keys merging distinct names={len(merging):>5}"
            f"  names without a key={empty}"
            + (f"  e.g. {example[0]!r} <- {sorted(example[1])[:3]}" if example else "")
        )


if __name__ == "__main__":
    main()
