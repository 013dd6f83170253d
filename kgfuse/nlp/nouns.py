"""Noun-centred rules: identity (copula, apposition), role nouns, possessives, attributes.

See ``relations.py`` for the list of rules; these are the ones that hang on a noun.
"""

from __future__ import annotations

from spacy.tokens import Token

from kgfuse.nlp.sink import VALUE_LABELS, RelationSink

_NOUNS = frozenset({"NOUN", "PROPN"})
IS_A = "is_a"
HAS = "have"  # same name as the verb: "Apple's revenue" == "Apple has revenue"
SAME_AS = "same_as"
LOCATED_IN = "located_in"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Adverbs that head a preposition in multiword prepositions ("next to", "close to").
ADVERB_PREPS = frozenset({"next", "close", "adjacent", "prior", "according", "due", "near"})
#: Nouns that make a multiword preposition with "of": "in front of", "in the centre of".
PLACE_NOUNS = frozenset(
    {"front", "back", "side", "top", "middle", "heart", "centre", "center", "vicinity"}
    | {"north", "south", "east", "west", "outskirts", "edge", "banks", "bank", "shore", "foot"}
)


def identity(
    left: Token,
    right: Token,
    sink: RelationSink,
    *evidence: Token,
    owner: Token | None = None,
    where: bool = False,
) -> None:
    """``left`` and ``right`` name the same thing (copula or apposition).

    The named side is the subject of ``is_a`` and of the role relations of the other side;
    a value ("The population of Warsaw is 1.8 million") becomes the object instead:
    ``(Warsaw, population, 1.8 million)``. ``owner`` is the noun a relative clause is about:
    in "Indonesia, where the capital is Jakarta", "the capital" is Indonesia's, and with
    ``where`` so is any role noun ("France, where Gerard Larcher is a leader").
    """
    named, other = left, right
    if sink.is_concept(left) and not sink.is_concept(right):
        named, other = right, left
    roles = _roles(other)
    if not roles and owner is not None and (where or _is_definite(other)):
        roles = [(other, owner)]
    named_label = sink.label_of(named)
    if named_label in VALUE_LABELS:
        for noun, obj in roles:
            sink.add([obj], role_name(noun), [named], other, *evidence)
        return
    predicate = _names_relation(named_label, sink.label_of(other)) if sink.is_named(other) else IS_A
    if predicate:
        sink.add([named], predicate, [other], *evidence, appositions=False)
    for noun, obj in roles:
        sink.add([named], role_name(noun) + "_of", [obj], other, *evidence)


def attribute(subjects: list[Token], noun: Token, sink: RelationSink, verb: Token) -> None:
    """``X has a population of 2 million`` / ``X has 19238 members``: the noun names the
    attribute, the ``of`` object or the number its value: ``(X, population, 2 million)``."""
    for child in noun.children:
        if child.dep_ == "nummod":
            sink.add(subjects, role_name(noun), [child], noun, verb)
    for _, value in _roles(noun):
        sink.add(subjects, role_name(noun), [value], noun, verb)


def _names_relation(label: str | None, other_label: str | None) -> str | None:
    """Relation between two names said to be the same thing ("Dallas, Texas").

    A place after a place or an organisation is where it lies; two names of one type are
    aliases; anything else (mostly lists and header lines the parser took for appositions)
    gives no relation.
    """
    if other_label in PLACE_LABELS and label in PLACE_LABELS | {"ORG"}:
        return LOCATED_IN
    return SAME_AS if label == other_label else None


def apposition(token: Token, sink: RelationSink) -> None:
    """``token`` is an apposition of its head: "Warsaw, the capital of Poland"."""
    head = token.head
    if head is token or head.pos_ not in _NOUNS:
        return
    # "designed A, B, C and D" often parses B as an apposition of A with C, D as its
    # conjuncts: that is a list, not an identity (the sink treats it as coordination).
    if not any(child.dep_ == "conj" for child in token.children):
        identity(head, token, sink)


def place_chain(token: Token, sink: RelationSink) -> None:
    """``token`` is a later item of a comma chain of place names without "and"/"or":
    "Wilson Township, Alpena County, Michigan, United States" names nested places, each in
    every later one, not a list. Links each earlier item to ``token`` (``located_in``)."""
    first = token.head
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    chain = [first, *first.conjuncts]
    if any(c.dep_ == "cc" for member in chain for c in member.children):
        return  # "Singapore and Indonesia": a list
    if not all(sink.label_of(member) in PLACE_LABELS for member in chain):
        return
    for member in chain:
        if member.i < token.i:
            sink.add([member], LOCATED_IN, [token], appositions=False, conjuncts=False)


def possessive(owner: Token, sink: RelationSink) -> None:
    """``owner`` is a possessor: "Google's CEO Sundar Pichai", "Apple's revenue"."""
    noun = owner.head
    if noun is owner or noun.pos_ not in _NOUNS:
        return
    if noun.dep_ in ("compound", "nmod") and sink.is_named(noun.head):
        bearer: Token | None = noun.head  # "Google's CEO Sundar Pichai"
    else:  # "Poland's capital Warsaw"
        bearer = next((c for c in noun.children if c.dep_ == "appos" and sink.is_named(c)), None)
    if bearer is not None:
        sink.add([bearer], role_name(noun) + "_of", [owner], noun)
    elif sink.mention_of(noun) >= 0:
        sink.add([owner], HAS, [noun])


def role_name(noun: Token) -> str:
    """Name of the relation a role noun stands for, with its compound modifiers:
    "capital city" -> ``capital_city``, "runway length" -> ``runway_length``."""
    parts = [c.lemma_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    parts.append(noun.lemma_)
    return "_".join(parts)


def _is_definite(noun: Token) -> bool:
    return any(child.dep_ == "det" and child.lower_ == "the" for child in noun.children)


def _roles(noun: Token) -> list[tuple[Token, Token]]:
    """``(noun, object)`` pairs of a role noun: ``capital of Poland``, ``Poland's capital``."""
    if noun.pos_ not in _NOUNS:
        return []
    roles: list[tuple[Token, Token]] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            roles.extend((noun, pobj) for pobj in pobjs(child))
        elif child.dep_ == "poss" and (child.pos_ in _NOUNS or child.tag_ in ("WP$", "PRP$")):
            roles.append((noun, child))  # "Poland's capital", "whose capital", "its capital"
    return roles


def prep_phrase(prep: Token) -> tuple[str, list[Token], tuple[Token, ...]]:
    """Name, objects and evidence tokens of a (possibly multiword) preposition.

    ``in`` -> ``("in", [its objects])``; "because of" -> ``because_of``; "in front of the
    station" -> ``("in_front_of", [station])``: a place noun ("front", "centre", "north")
    with an ``of`` object is part of the preposition, its ``of`` object is the argument.
    """
    name = prep.lower_
    if prep.head.dep_ == "advmod" and prep.head.lower_ in ADVERB_PREPS:
        name = f"{prep.head.lower_}_{name}"  # "next to"
    for child in prep.children:
        if child.dep_ == "pcomp" and child.pos_ == "ADP":  # "because of", "out of"
            return f"{name}_{child.lower_}", pobjs(child) or pobjs(prep), (prep, child)
    objects = pobjs(prep)
    if len(objects) == 1 and objects[0].lemma_.lower() in PLACE_NOUNS:
        noun = objects[0]
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and pobjs(of):
            return f"{name}_{noun.lemma_.lower()}_of", pobjs(of), (prep, noun, of)
    return name, objects, (prep,)


def pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition."""
    return [child for child in prep.children if child.dep_ == "pobj"]
