"""Rule-based relations between the mentions of one sentence, read off the dependency parse.

Rules (predicates are lower_snake_case and lemma-based):

- verbs: subject-verb-object ``(Apple, acquire, Beats)``; prepositional objects
  ``(John, work_for, Google)``; passives turn the agent into the subject
  ``(Apple, acquire, Beats)`` and name prepositional objects after the participle
  ``(Marie Curie, born_in, Warsaw)``; a particle joins the verb (``set_up``), a negation
  prefixes ``not_``. Coordinated, ``xcomp`` and participle (``acl``) verbs without a subject
  borrow it from their head; relative pronouns (which, who, whose) stand for their noun.
- ``have`` with an attribute noun: ``X has a population of 2 million`` / ``X has 19238
  members`` -> ``(X, population, 2 million)``, ``(X, member, 19238)`` (besides ``have``).
- identity (copula ``X is a Y``, apposition ``X, a Y``): ``(X, is_a, Y)`` with the named side
  as subject; two names give ``located_in`` (a place after a place or an organisation:
  "Dallas, Texas") or ``same_as`` (same NER type), else nothing; a value names an attribute:
  ``The population of Warsaw is 1.8 million`` -> ``(Warsaw, population, 1.8 million)``.
- role nouns: a noun with an ``of`` object or a possessor names the relation between that
  object and the entity the noun is said of: ``Warsaw is the capital of Poland``,
  ``Warsaw, the capital of Poland``, ``The capital of Poland is Warsaw``, ``Poland's capital
  Warsaw`` and ``Google's CEO Sundar Pichai`` give ``(Warsaw, capital_of, Poland)`` and
  ``(Sundar Pichai, ceo_of, Google)``.
- other possessives, with no named bearer for the role: ``(possessor, have, possessed)``
  (``Apple's revenue`` -> ``(Apple, have, revenue)``, as for the verb).
- conjuncts multiply subjects and objects (``Alice and Bob founded Acme`` gives two
  relations); a concept argument with a named apposition stands for the name ("the physicist
  Marie Curie discovered" -> Marie Curie), a class noun for its ``of`` name ("serves the city
  of Lahore" -> Lahore); see ``sink.py``.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kgfuse.nlp.nouns import (
    ADVERB_PREPS,
    apposition,
    attribute,
    identity,
    place_chain,
    pobjs,
    possessive,
    prep_phrase,
)
from kgfuse.nlp.sink import RelationSink

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "oprd"})
_VERBS = frozenset({"VERB", "AUX"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_SKIP_AUX_DEPS = frozenset({"aux", "auxpass"})


def extract_relations(sent: Span, sink: RelationSink) -> None:
    """Apply every rule to one sentence, adding relations to ``sink``.

    Args:
        sent: A sentence of a parsed ``Doc``.
        sink: Collects relations between the sentence's mentions (maps tokens to mentions,
            drops self-loops and duplicates).
    """
    for token in sent:
        pos = token.pos_
        dep = token.dep_
        if pos in _VERBS and dep not in _SKIP_AUX_DEPS:
            _verb(token, sink)
        elif dep == "appos":
            apposition(token, sink)
        elif dep == "conj" and pos == "PROPN":
            place_chain(token, sink)
        elif dep == "poss" and (pos in _NOUNS or (pos == "PRON" and sink.mention_of(token) >= 0)):
            possessive(token, sink)  # "Poland's capital", "its capital" (coreferent "its")


def _verb(verb: Token, sink: RelationSink) -> None:
    subjects: list[Token] = []
    agents: list[Token] = []
    objects: list[Token] = []
    preps: list[Token] = []
    attrs: list[Token] = []
    acomps: list[Token] = []
    passive = False
    particle = ""
    negated = False
    for child in verb.children:
        dep = child.dep_
        if dep in _SUBJECT_DEPS:
            subjects.append(child)
            passive = passive or dep == "nsubjpass"
        elif dep == "auxpass":
            passive = True
        elif dep == "agent":
            agents.extend(pobjs(child))
        elif dep in _OBJECT_DEPS:
            objects.append(child)
        elif dep == "prep":
            preps.append(child)
        elif dep == "advmod" and child.lower_ in ADVERB_PREPS:
            preps.extend(c for c in child.children if c.dep_ == "prep")  # "next to"
        elif dep == "attr":
            attrs.append(child)
        elif dep == "acomp":
            acomps.append(child)
        elif dep == "prt":
            particle = "_" + child.lower_
        elif dep == "neg":
            negated = True
    if not objects and not preps:
        objects = _shared_objects(verb)  # "Alice founded and led Acme"
    if not subjects:
        subjects, borrowed_passive = _borrowed_subjects(verb)
        passive = passive or borrowed_passive
        if not subjects:
            return
    not_ = "not_" if negated else ""
    where = _where_owner(verb)  # "Texas, where Spanish is spoken": spoken in Texas
    if passive:
        sink.add(agents, not_ + verb.lemma_ + particle, subjects, verb)
        participle = not_ + verb.lower_ + particle  # "born_in", not the lemma's "bear_in"
        if where is not None:
            sink.add(subjects, f"{participle}_in", [where], verb)
        for prep in preps:
            name, objs, evidence = prep_phrase(prep)
            sink.add(subjects, f"{participle}_{name}", objs, verb, *evidence)
        return
    lemma = not_ + verb.lemma_ + particle
    sink.add(subjects, lemma, objects, verb)
    if where is not None and verb.lemma_ != "be":
        sink.add(subjects, f"{lemma}_in", [where], verb)
    if verb.lemma_ == "have" and not negated:
        for obj in objects:
            attribute(subjects, obj, sink, verb)
    for prep in preps:
        name, objs, evidence = prep_phrase(prep)
        sink.add(subjects, f"{lemma}_{name}", objs, verb, *evidence)
    for acomp in acomps:  # "X is famous for Y"
        for prep in acomp.children:
            if prep.dep_ == "prep":
                name, objs, evidence = prep_phrase(prep)
                sink.add(subjects, f"{not_}{acomp.lemma_}_{name}", objs, acomp, *evidence)
    if attrs and not negated and verb.lemma_ == "be":
        owner = _clause_owner(verb)
        # "France, where Gerard Larcher is a leader": the leader is France's.
        where = any(c.dep_ == "advmod" and c.lower_ == "where" for c in verb.children)
        for subject in subjects:
            for attr in attrs:
                for member in (attr, *attr.conjuncts):  # "X is a food and a variation of Y"
                    identity(subject, member, sink, verb, owner=owner, where=where)


def _where_owner(verb: Token) -> Token | None:
    """The place a "where" clause is about ("Texas, where Spanish is spoken" -> Texas)."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in _NOUNS:
        return None
    if any(c.dep_ == "advmod" and c.lower_ == "where" for c in verb.children):
        return verb.head
    return None


def _shared_objects(verb: Token) -> list[Token]:
    """Objects of the next coordinated verb when ``verb`` has none ("founded and led Acme")."""
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in _VERBS and child.i > verb.i:
            if any(c.dep_ in _SUBJECT_DEPS for c in child.children):
                return []  # a clause of its own: "Alice left and Bob led Acme"
            return [c for c in child.children if c.dep_ in _OBJECT_DEPS]
    return []


def _described(noun: Token) -> Token:
    """The subject a predicate noun describes ("Bakso is a dish found in Indonesia" -> Bakso),
    else the noun itself."""
    attr = noun
    while attr.dep_ == "conj" and attr.head is not attr:
        attr = attr.head
    if attr.dep_ == "attr" and attr.head.lemma_ == "be":
        subject = next((c for c in attr.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return noun


def _clause_owner(verb: Token) -> Token | None:
    """The noun a relative clause ("Indonesia, where the capital is Jakarta") is about."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    if verb.dep_ == "relcl" and verb.head.pos_ in _NOUNS:
        return verb.head
    return None


def _borrowed_subjects(verb: Token) -> tuple[list[Token], bool]:
    """Subjects of a verb that has none of its own, and whether they are patients."""
    dep = verb.dep_
    head = verb.head
    if dep == "acl" and head.pos_ in _NOUNS:
        return [_described(head)], verb.tag_ == "VBN"  # "Marie Curie, born in Warsaw, ..."
    if dep in ("conj", "xcomp") and head is not verb and head.pos_ in _VERBS:
        own = [child for child in head.children if child.dep_ in _SUBJECT_DEPS]
        if not own:
            own, passive = _borrowed_subjects(head)
            return own, passive and verb.tag_ == "VBN"
        passive = any(child.dep_ == "nsubjpass" for child in own)
        # "was born in X and raised in Y": the coordinated participle is passive too.
        return own, passive and dep == "conj" and verb.tag_ == "VBN"
    return [], False
