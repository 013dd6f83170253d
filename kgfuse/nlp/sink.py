"""Collects the relations of one parsed ``Doc``: token -> mention mapping, dedup, evidence span.

The rules in ``relations.py`` talk in tokens; this class turns them into
``kgfuse.types.Relation`` records between mention indices, so the rules stay free of
bookkeeping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.tokens import Token

from kgfuse.nlp.mentions import VALUE_LABELS
from kgfuse.types import CO_OCCURS, CONCEPT, Mention, Relation

_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
#: Class nouns that stand for the name in their ``of`` phrase: "the city of Lahore".
CLASS_NOUNS = frozenset(
    {"city", "town", "village", "country", "state", "province", "region", "county", "island"}
    | {"district", "municipality", "nation", "republic", "kingdom"}
)
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def predicate_name(raw: str) -> str:
    """Return ``raw`` as a lower_snake_case predicate name (``"Set up_in"`` -> ``set_up_in``)."""
    return _NON_WORD.sub("_", raw.lower()).strip("_")


class RelationSink:
    """Relations found in one ``Doc`` (or chunk of a document).

    Args:
        mentions: The ``Doc``'s mentions (character offsets already in full-text coordinates).
        token_mention: For each token of the ``Doc``, its index in ``mentions`` or ``-1``.
        mention_offset: Index of ``mentions[0]`` in the whole extraction.
        char_offset: Position of the ``Doc`` in the full text.
    """

    def __init__(
        self,
        mentions: Sequence[Mention],
        token_mention: Sequence[int],
        *,
        mention_offset: int = 0,
        char_offset: int = 0,
    ) -> None:
        self.mentions = mentions
        self.token_mention = token_mention
        self.mention_offset = mention_offset
        self.char_offset = char_offset
        self.relations: list[Relation] = []
        self.sentence_index = 0
        self._seen: set[tuple[int, str, int]] = set()

    def start_sentence(self, sentence_index: int) -> None:
        """Begin a new sentence: duplicates are only dropped within one sentence."""
        self.sentence_index = sentence_index
        self._seen.clear()

    def mention_of(self, token: Token) -> int:
        """Index in ``mentions`` of the mention holding ``token``; a relative pronoun
        ("which", "who") stands for the noun its clause attaches to; ``-1`` for none."""
        index = self.token_mention[token.i]
        if index < 0 and token.tag_ in _RELATIVE_TAGS:
            # "which"/"who" hang off the clause's verb, "whose" off a noun below it.
            clause = token.head
            for _ in range(3):
                if clause.dep_ == "relcl":
                    return self.token_mention[clause.head.i]
                clause = clause.head
        return index

    def label_of(self, token: Token) -> str | None:
        """Label of the mention holding ``token`` (``None`` when it is in no mention)."""
        index = self.mention_of(token)
        return self.mentions[index].label if index >= 0 else None

    def is_named(self, token: Token) -> bool:
        """Whether ``token`` lies in a named-entity mention."""
        label = self.label_of(token)
        return label is not None and label != CONCEPT

    def is_concept(self, token: Token) -> bool:
        """Whether ``token`` lies in a concept mention."""
        return self.label_of(token) == CONCEPT

    def add(
        self,
        subjects: Iterable[Token],
        predicate: str,
        objects: Iterable[Token],
        *evidence: Token,
        appositions: bool = True,
        conjuncts: bool = True,
    ) -> None:
        """Relate every subject to every object; coordinated tokens ("A and B") count too.

        Args:
            subjects: Subject tokens (each expanded with its conjuncts).
            predicate: Raw predicate, normalised with ``predicate_name``.
            objects: Object tokens (each expanded with its conjuncts).
            evidence: Further tokens the evidence span must cover (verb, preposition).
            appositions: Let a concept stand for its named apposition ("the physicist Marie
                Curie" -> Marie Curie); off for the identity rules that relate the two.
            conjuncts: Expand each token with its conjuncts; off for rules that relate
                conjuncts to each other.
        """
        subject_mentions = self._expand(subjects, appositions, conjuncts)
        if not subject_mentions:
            return
        object_mentions = self._expand(objects, appositions, conjuncts)
        if not object_mentions:
            return
        name = predicate_name(predicate)
        if not name:
            return
        for subject in subject_mentions:
            for obj in object_mentions:
                self.link(subject, name, obj, evidence)

    def link(self, subject: int, predicate: str, obj: int, evidence: Iterable[Token] = ()) -> None:
        """Add one relation between mention indices (local), unless a self-loop or duplicate."""
        if self._referent(subject) == self._referent(obj):
            return  # "Alan Shepard said he ...": one entity
        first, second = self.mentions[subject], self.mentions[obj]
        if first.text.casefold() == second.text.casefold():
            return  # "a claim is a claim": a self-loop once names are resolved
        key = (subject, predicate, obj)
        if key in self._seen:
            return
        self._seen.add(key)
        start = min(first.char_start, second.char_start)
        end = max(first.char_end, second.char_end)
        for token in evidence:
            start = min(start, token.idx + self.char_offset)
            end = max(end, token.idx + len(token) + self.char_offset)
        self.relations.append(
            Relation(
                subject=subject + self.mention_offset,
                predicate=predicate,
                object=obj + self.mention_offset,
                sentence_index=self.sentence_index,
                char_start=start,
                char_end=end,
            )
        )

    def _referent(self, index: int) -> int:
        """Local index of the mention that ``mentions[index]`` refers back to (or itself)."""
        coref = self.mentions[index].coref
        return index if coref is None else coref - self.mention_offset

    def add_cooccurrences(self, first: int, last: int) -> None:
        """Link distinct named entities among ``mentions[first:last]`` (one sentence).

        Each unordered pair of distinct surface forms (case-insensitive) gets one edge, from
        the earlier mention to the later one; value entities (dates, numbers) are left out.
        """
        seen_forms: dict[str, int] = {}
        for index in range(first, last):
            mention = self.mentions[index]
            if (
                mention.label == CONCEPT
                or mention.label in VALUE_LABELS
                or mention.coref is not None
            ):
                continue
            seen_forms.setdefault(mention.text.casefold(), index)
        entities = list(seen_forms.values())
        for i, subject in enumerate(entities):
            for obj in entities[i + 1 :]:
                self.link(subject, CO_OCCURS, obj)

    def _expand(self, tokens: Iterable[Token], appositions: bool, conjuncts: bool) -> list[int]:
        found: list[int] = []
        for token in tokens:
            for member in _coordinated(token) if conjuncts else [token]:
                index = self._named_apposition(member) if appositions else self.mention_of(member)
                if index >= 0 and index not in found:
                    found.append(index)
        return found

    def _named_apposition(self, token: Token) -> int:
        """Mention of ``token``, or of the name it introduces when ``token`` is a concept:
        "The French physicist Marie Curie discovered radium" (apposition), "serves the city
        of Lahore" (class noun)."""
        index = self.mention_of(token)
        if index >= 0 and self.mentions[index].label == CONCEPT:
            for child in token.children:
                dep = child.dep_
                if dep == "prep" and child.lower_ == "of" and token.lemma_ in CLASS_NOUNS:
                    child = next((c for c in child.children if c.dep_ == "pobj"), child)
                elif dep != "appos":
                    continue
                named = self.token_mention[child.i]
                if named >= 0 and self.mentions[named].label != CONCEPT:
                    return named
        return index


def _coordinated(token: Token) -> list[Token]:
    """``token`` and its conjuncts, plus list items the parser attached as an apposition."""
    members = [token, *token.conjuncts]
    for child in token.children:
        if child.dep_ == "appos" and any(c.dep_ == "conj" for c in child.children):
            members.append(child)
            members.extend(child.conjuncts)
    return members
