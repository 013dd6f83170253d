"""Merging entities whose names are variants of one another.

Candidates come from a blocking key (each name word of at least three letters, and the
initials of a multi-word name or the letters of an acronym); a block larger than
``max_block`` names is too generic to compare and is skipped. A candidate pair merges when
the names agree word by word (``words_agree``: equal numbers, no unmatched word), the
types are compatible (for people, one name's words are all in the other:
``same_person_name``), no document holds both (the per-document rules already kept them
apart there), and the fuzzy name similarity (rapidfuzz) and context similarity (MiniLM) are
both high enough.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from kgfuse.kg.normalize import normalize_name
from kgfuse.kg.resolve.context import cosine
from kgfuse.kg.resolve.split import Cluster
from kgfuse.kg.resolve.units import compatible
from kgfuse.kg.resolve.vectors import ContextVectors

_MIN_BLOCK_WORD = 3
_WORD_MATCH = 80  # rapidfuzz ratio at which two words are spellings of one word
_NUMBER = re.compile(r"\d+")
_MIN_ACRONYM = 3
_NEGATION_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis", "anti", "a")
_NEGATION_WORDS = frozenset({"no", "non", "not", "never", "anti", "without"})
_BLOCK_STOP = frozenset({"the", "and", "for", "with", "from", "new", "saint"})


@dataclass(frozen=True)
class Thresholds:
    """When a candidate pair is one entity.

    Attributes:
        name_min: Name similarity (0..1) needed with ``context_min``.
        context_min: Context cosine needed with a name similarity of ``name_min``.
        name_sure: Name similarity that needs only ``context_sure``.
        context_sure: Context cosine needed with ``name_sure``.
        max_block: Blocks with more names than this are skipped.
    """

    name_min: float = 0.85
    context_min: float = 0.35
    name_sure: float = 0.94
    context_sure: float = 0.15
    max_block: int = 200


def name_similarity(a: str, b: str) -> float:
    """Fuzzy similarity of two normalised names (0..1): the better of rapidfuzz's ratio and
    token-sort ratio; 1.0 for names that differ only in spaces; an acronym (three letters or
    more) of the other name counts as ``0.86``."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return 1.0  # the same letters ("u s" / "us", "f c" / "fc")
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        score = max(score, 0.86)
    return score


def _is_acronym_of(short: str, name: str) -> bool:
    """``short`` is the initials of the multi-word ``name``, three letters or more (two
    letters are too ambiguous: "us" is "United States" and "usual sense")."""
    return len(short) >= _MIN_ACRONYM and " " not in short and _initials(name) == short


def merge_groups(
    clusters: list[Cluster], thresholds: Thresholds, vectors: ContextVectors
) -> tuple[list[list[Cluster]], dict[str, tuple[str, float, float]]]:
    """Group clusters that are one entity.

    Args:
        clusters: Clusters with distinct keys.
        thresholds: When a pair merges.
        vectors: Context vectors (only the clusters of candidate pairs are embedded).

    Returns:
        The groups (each sorted by key; singletons included) and, for each cluster that
        joined through a pair, ``{key: (other key, name similarity, context similarity)}``.
    """
    by_key = {c.key: c for c in clusters}
    names = {c.key: normalize_name(c.name) for c in clusters}
    blocks: dict[str, set[str]] = defaultdict(set)
    for key, name in names.items():
        for block in _blocking_keys(name):
            blocks[block].add(key)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if 2 <= len(members) <= thresholds.max_block:
            ordered = sorted(members)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    candidates: list[tuple[str, str, float]] = []
    for a, b in sorted(pairs):
        ca, cb = by_key[a], by_key[b]
        if ca.units[0].base_key == cb.units[0].base_key:
            continue  # two parts of a split key: the split said they differ
        if not compatible(ca.type, cb.type):
            continue
        if "PERSON" in (ca.type, cb.type) and not same_person_name(names[a], names[b]):
            continue
        name = name_similarity(names[a], names[b])
        if name >= thresholds.name_min and words_agree(names[a], names[b]):
            candidates.append((a, b, name))
    involved = sorted({k for a, b, _ in candidates for k in (a, b)})
    vectors.prepare(u for k in involved for u in vectors.sample(by_key[k].units))
    centre = {k: vectors.cluster(by_key[k].units) for k in involved}
    accepted: list[tuple[float, str, str, float, float]] = []
    for a, b, name in candidates:
        context = cosine(centre[a], centre[b])
        if (name >= thresholds.name_sure and context >= thresholds.context_sure) or (
            context >= thresholds.context_min
        ):
            accepted.append((-(name + context), a, b, name, context))
    parent = {k: k for k in by_key}
    docs = {k: set(c.documents) for k, c in by_key.items()}
    evidence: dict[str, tuple[str, float, float]] = {}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for _, a, b, name, context in sorted(accepted):  # best pairs first; ties by key
        ra, rb = root(a), root(b)
        if ra == rb or docs[ra] & docs[rb]:
            continue  # one document holds both: its rules kept them apart
        keep, gone = sorted((ra, rb))
        parent[gone] = keep
        docs[keep] |= docs.pop(gone)
        evidence.setdefault(b, (a, name, context))
        evidence.setdefault(a, (b, name, context))
    groups: dict[str, list[Cluster]] = defaultdict(list)
    for key in sorted(by_key):
        groups[root(key)].append(by_key[key])
    return list(groups.values()), evidence


def words_agree(a: str, b: str) -> bool:
    """Whether two names can be spellings of one name, word by word.

    Numbers must be equal ("apollo 11" is not "apollo 12"); otherwise every word of the name
    with fewer words must be close to a word of the other ("adisham hall" / "admisham hall",
    "journal addiction" / "addiction journal"), unless the names only differ in spaces
    ("f c blackpool" / "fc blackpool") or one is the other's acronym. A shared generic word is
    not enough: "angola international airport" is not "athens international airport". A word
    and its negation are not one word ("immoral" / "moral", "atheists" / "theists"), nor is a
    name with an extra negating word ("no agnosticism").
    """
    if _NUMBER.findall(a) != _NUMBER.findall(b):
        return False
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        return True
    short, long = sorted((a.split(), b.split()), key=len)
    matched: set[int] = set()
    for w in short:
        close = [i for i, v in enumerate(long) if fuzz.ratio(w, v) >= _WORD_MATCH]
        if not close or any(_negates(w, long[i]) for i in close):
            return False
        matched.update(close)
    # An extra word that negates ("no agnosticism", "the non belief") makes an opposite.
    return not any(v in _NEGATION_WORDS for i, v in enumerate(long) if i not in matched)


def _negates(w: str, v: str) -> bool:
    """One word is the other with a negating prefix: "immoral" / "moral", "atheists" /
    "theists", "unknown" / "known"."""
    if w == v:
        return False
    longer, shorter = (w, v) if len(w) > len(v) else (v, w)
    return any(longer == prefix + shorter for prefix in _NEGATION_PREFIXES)


def same_person_name(a: str, b: str) -> bool:
    """Whether one person name's words all appear in the other, an initial standing for a
    word ("abraham a ribicoff" / "abraham ribicoff", "j smith" / "john smith"), in order.

    A one-letter difference is another person ("jon smith" is not "john smith"), though the
    fuzzy score of the two is high; a one-word name never merges (a bare "smith" would join
    John and Jane Smith into one).
    """
    short, long = sorted((a.split(), b.split()), key=len)
    if len(short) < 2:
        return False  # a bare surname could be any of several people: it would chain them
    i = 0
    for word in long:
        if i < len(short) and (
            word == short[i] or (len(short[i]) == 1 and word.startswith(short[i]))
        ):
            i += 1
    return i == len(short) and short[-1] == long[-1]


def _initials(name: str) -> str:
    words = name.split()
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _blocking_keys(name: str) -> set[str]:
    words = name.split()
    keys = {w for w in words if len(w) >= _MIN_BLOCK_WORD and w not in _BLOCK_STOP}
    if len(words) > 1:
        keys.add("#" + _initials(name))
    elif 2 <= len(name) <= 6:
        keys.add("#" + name)
    return keys
