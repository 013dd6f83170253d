"""Entity and entity-pair recall of the NLP stage on WebNLG (gold triples per text).

Entity recall: share of gold subjects/objects found among the extracted mentions, strict
(equal ``normalize_name`` forms) and lenient (also when one normalised form contains the
other as whole words). Pair recall: share of gold (subject, object) pairs joined by an
extracted relation, in either direction. WebNLG names use ``_`` for spaces.

Usage::

    python benchmarks/extraction_quality.py [--limit N] [--cooccurrence] [--no-concepts]
        [--no-coref] [--junk] [--resolve]

``--resolve`` adds two arms scored on the graph's entities instead of the raw mentions (each
mention named by its entity: the key and the entity's most frequent surface form over the
corpus): per-document keys (``kg.resolution.resolve``), and the same after cross-document
resolution (``kg.resolve``: merges and splits), with the resolution pass timed on its own.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from kgfuse.kg.junk import DEFAULT_JUNK
from kgfuse.kg.normalize import normalize_name
from kgfuse.kg.resolution import resolve
from kgfuse.nlp import Extractor
from kgfuse.types import Document, Extraction, ResolvedDocument

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "webnlg" / "dev.jsonl"
)

Match = Callable[[str, str], bool]


_DISAMBIGUATOR = re.compile(r"\s*\([^)]*\)\s*$")
_WHOLE_FLOAT = re.compile(r"^(-?\d+)\.0+$")


def gold_name(name: str) -> str:
    """Normalised form of a WebNLG entity.

    Underscores are spaces, quotes and DBpedia disambiguators are dropped
    (``Auron_(comicsCharacter)`` -> ``auron``), whole floats lose ``.0`` (``84.0`` -> ``84``).
    """
    name = _DISAMBIGUATOR.sub("", name.replace("_", " ").strip().strip('"'))
    return normalize_name(_WHOLE_FLOAT.sub(r"\1", name))


def strict(gold: str, found: str) -> bool:
    """Equal normalised forms."""
    return gold == found


def lenient(gold: str, found: str) -> bool:
    """Equal, or one contains the other as whole words."""
    return gold == found or f" {gold} " in f" {found} " or f" {found} " in f" {gold} "


def score(
    extraction: Extraction, triples: list[list[str]], match: Match, *, junk: bool = False
) -> tuple[int, int, int, int, int]:
    """Return (entities found, gold entities, pairs linked, gold pairs, pairs whose two
    entities were both found) for one text."""
    mentions = extraction.mentions
    # A coreferent mention ("he") counts as its antecedent, as it does in the graph.
    names = [
        normalize_name(mentions[m.coref].text if m.coref is not None else (m.value or m.text))
        for m in mentions
    ]
    if junk:  # what resolution drops as junk (kg.junk) is no entity of the graph
        names = [
            ""
            if m.value is None
            and m.coref is None
            and DEFAULT_JUNK.is_junk(n, generic=False, numbers=False, surface=m.text)
            else n
            for m, n in zip(mentions, names, strict=True)
        ]
    gold_entities = {gold_name(x) for s, _, o in triples for x in (s, o)} - {""}
    found = sum(any(match(g, n) for n in names if n) for g in gold_entities)
    links = {(names[r.subject], names[r.object]) for r in extraction.relations}
    pairs = {(gold_name(s), gold_name(o)) for s, _, o in triples} - {("", "")}
    pairs = {(s, o) for s, o in pairs if s and o and s != o}
    linked = sum(
        any((match(s, a) and match(o, b)) or (match(s, b) and match(o, a)) for a, b in links)
        for s, o in pairs
    )
    both = sum(
        any(match(s, n) for n in names if n) and any(match(o, n) for n in names if n)
        for s, o in pairs
    )
    return found, len(gold_entities), linked, len(pairs), both


def entity_names(documents: list[ResolvedDocument]) -> dict[str, set[str]]:
    """Names of each key of a graph: the key itself and its most frequent surface form."""
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in documents:
        for m in doc.mentions:
            surfaces[m.key][normalize_name(m.text)] += 1
    return {
        key: {normalize_name(key.split("~")[0].replace("_", " ")), *_top(counts)}
        for key, counts in surfaces.items()
    }


def _top(counts: Counter[str]) -> list[str]:
    return [min(counts.items(), key=lambda item: (-item[1], item[0]))[0]] if counts else []


def score_graph(
    doc: ResolvedDocument, names: dict[str, set[str]], triples: list[list[str]], match: Match
) -> tuple[int, int, int, int]:
    """(entities found, gold entities, pairs linked, gold pairs) of one text, on its entities."""
    found_names = [n for m in doc.mentions for n in names.get(m.key, ()) if n]
    links = [
        (a, b)
        for t in doc.triples
        for a in names.get(t.subject_key, ())
        for b in names.get(t.object_key, ())
    ]
    gold_entities = {gold_name(x) for s, _, o in triples for x in (s, o)} - {""}
    found = sum(any(match(g, n) for n in found_names) for g in gold_entities)
    pairs = {(gold_name(s), gold_name(o)) for s, _, o in triples}
    pairs = {(s, o) for s, o in pairs if s and o and s != o}
    linked = sum(
        any((match(s, a) and match(o, b)) or (match(s, b) and match(o, a)) for a, b in links)
        for s, o in pairs
    )
    return found, len(gold_entities), linked, len(pairs)


def graph_arms(records: list[dict], documents: list[ResolvedDocument]) -> None:
    """Print ALL-row recall on graph entities without and with cross-document resolution."""
    from kgfuse.kg.resolve import MiniLMContext, plan_resolution, records_from_documents

    started = time.process_time()
    plan = plan_resolution(records_from_documents(documents), MiniLMContext())
    cost = time.process_time() - started
    resolved = [plan.apply(d) for d in documents]
    print(
        f"cross-document resolution: {len(plan.merges)} merges "
        f"({sum(len(m.members) for m in plan.merges)} keys), {len(plan.splits)} splits, "
        f"{len(plan.assignments)} (document, key) pairs rekeyed; {cost:.1f} s CPU "
        f"({plan.contexts} contexts embedded by MiniLM, included)"
    )
    print(
        f"{'arm':<22}{'entities':>9}{'strict':>8}{'lenient':>8}{'pairs':>8}{'strict':>8}{'lenient':>8}"
    )
    for arm, docs in (("graph keys", documents), ("graph + resolve", resolved)):
        names = entity_names(docs)
        totals: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
        for record, doc in zip(records, docs, strict=True):
            es, ne, ps, np_ = score_graph(doc, names, record["triples"], strict)
            el, _, pl, _ = score_graph(doc, names, record["triples"], lenient)
            for key in (record["category"], "ALL"):
                for i, value in enumerate((es, el, ne, ps, pl, np_)):
                    totals[key][i] += value
        for key in sorted(totals, key=lambda k: (k == "ALL", k)):
            es, el, ne, ps, pl, np_ = totals[key]
            print(
                f"{arm[:11] + ' ' + key[:10]:<22}{ne:>9}{es / max(ne, 1):>8.1%}"
                f"{el / max(ne, 1):>8.1%}{np_:>8}{ps / max(np_, 1):>8.1%}{pl / max(np_, 1):>8.1%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N texts only")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default en_core_web_sm)")
    parser.add_argument("--cooccurrence", action="store_true", help="add co-occurrence edges")
    parser.add_argument("--no-concepts", action="store_true", help="entities only")
    parser.add_argument("--no-coref", action="store_true", help="no pronoun resolution")
    parser.add_argument(
        "--junk", action="store_true", help="drop the mentions resolution drops as junk"
    )
    parser.add_argument(
        "--resolve", action="store_true", help="also score graph entities, with kg.resolve"
    )
    args = parser.parse_args()

    records = []
    with args.data.open(encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
            if args.limit is not None and len(records) >= args.limit:
                break
    extractor = Extractor(
        args.model,
        cooccurrence=args.cooccurrence,
        concepts=not args.no_concepts,
        coreference=not args.no_coref,
    )
    documents = (Document(r["id"], r["text"]) for r in records)
    started, started_cpu = time.perf_counter(), time.process_time()
    # per category: [ent strict, ent lenient, gold ents, pair strict, pair lenient, gold pairs]
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    both_found = 0  # gold pairs whose two entities were both found (strict)
    relations = 0
    resolved_documents: list[ResolvedDocument] = []
    for record, extraction in zip(records, extractor.extract_many(documents), strict=True):
        relations += len(extraction.relations)
        if args.resolve:
            resolved_documents.append(resolve(extraction))
        gold = record["triples"]
        e_strict, n_ent, p_strict, n_pair, both = score(extraction, gold, strict, junk=args.junk)
        e_lenient, _, p_lenient, _, _ = score(extraction, gold, lenient, junk=args.junk)
        both_found += both
        for key in (record["category"], "ALL"):
            row = totals[key]
            for i, value in enumerate((e_strict, e_lenient, n_ent, p_strict, p_lenient, n_pair)):
                row[i] += value
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu

    print(
        f"{extractor.version}  texts={len(records)}  relations/text={relations / len(records):.2f}"
    )
    print(
        f"options: cooccurrence={args.cooccurrence} concepts={not args.no_concepts} "
        f"coref={not args.no_coref} junk={args.junk}"
    )
    header = f"{'category':<22}{'entities':>9}{'strict':>8}{'lenient':>8}"
    print(header + f"{'pairs':>8}{'strict':>8}{'lenient':>8}")
    for key in sorted(totals, key=lambda k: (k == "ALL", k)):
        es, el, ne, ps, pl, np_ = totals[key]
        print(
            f"{key:<22}{ne:>9}{es / max(ne, 1):>8.1%}{el / max(ne, 1):>8.1%}"
            f"{np_:>8}{ps / max(np_, 1):>8.1%}{pl / max(np_, 1):>8.1%}"
        )
    linked = totals["ALL"][3]
    print(
        f"strict pairs with both entities found: {both_found}, of which linked "
        f"{linked / max(both_found, 1):.1%}  ({elapsed:.1f} s, {elapsed_cpu:.1f} s CPU)"
    )
    if args.resolve:
        graph_arms(records, resolved_documents)


if __name__ == "__main__":
    main()
