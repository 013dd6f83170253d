"""Word lists of the coreference rules: pronouns, first names and honorifics, kind nouns."""

from __future__ import annotations

MALE, FEMALE, NEUTER, PLURAL = "male", "female", "neuter", "plural"

#: Third-person pronouns and what they require of an antecedent.
PRONOUNS = {
    "he": MALE,
    "him": MALE,
    "his": MALE,
    "himself": MALE,
    "she": FEMALE,
    "her": FEMALE,
    "hers": FEMALE,
    "herself": FEMALE,
    "it": NEUTER,
    "its": NEUTER,
    "itself": NEUTER,
    "they": PLURAL,
    "them": PLURAL,
    "their": PLURAL,
    "themselves": PLURAL,
}

#: NER labels that a plural pronoun may stand for ("the Japanese ... they").
PLURAL_LABELS = frozenset({"NORP"})

_HONORIFICS = {
    "mr": MALE,
    "sir": MALE,
    "lord": MALE,
    "king": MALE,
    "mrs": FEMALE,
    "ms": FEMALE,
    "miss": FEMALE,
    "madam": FEMALE,
    "lady": FEMALE,
    "dame": FEMALE,
    "queen": FEMALE,
}

# Frequent English first names whose gender is clear; a name not listed constrains nothing.
_MALE_NAMES = frozenset(
    {
        "alan",
        "albert",
        "alexander",
        "andrew",
        "anthony",
        "arthur",
        "barack",
        "ben",
        "benjamin",
        "bill",
        "bob",
        "brian",
        "bruce",
        "buzz",
        "carl",
        "charles",
        "chris",
        "christopher",
        "daniel",
        "david",
        "dennis",
        "donald",
        "douglas",
        "edward",
        "edwin",
        "elliot",
        "eric",
        "frank",
        "fred",
        "george",
        "gerard",
        "gordon",
        "harry",
        "henry",
        "jack",
        "jacob",
        "james",
        "jason",
        "jeff",
        "jim",
        "joe",
        "john",
        "jonathan",
        "jorge",
        "joseph",
        "juan",
        "kevin",
        "larry",
        "louis",
        "mark",
        "matthew",
        "matteo",
        "michael",
        "nicholas",
        "patrick",
        "paul",
        "peter",
        "philip",
        "richard",
        "robert",
        "roger",
        "ronald",
        "sam",
        "samuel",
        "scott",
        "sergio",
        "stephen",
        "steve",
        "steven",
        "stuart",
        "thomas",
        "tim",
        "timothy",
        "tom",
        "walter",
        "william",
    }
)
_FEMALE_NAMES = frozenset(
    {
        "alice",
        "amanda",
        "amy",
        "angela",
        "ann",
        "anna",
        "anne",
        "barbara",
        "betty",
        "carol",
        "catherine",
        "christine",
        "claire",
        "diana",
        "dorothy",
        "elizabeth",
        "emily",
        "emma",
        "grace",
        "hannah",
        "helen",
        "jane",
        "janet",
        "jennifer",
        "jessica",
        "joan",
        "julia",
        "karen",
        "kate",
        "laura",
        "linda",
        "lisa",
        "margaret",
        "maria",
        "marie",
        "mary",
        "melissa",
        "michelle",
        "nancy",
        "patricia",
        "rachel",
        "rebecca",
        "ruth",
        "sandra",
        "sarah",
        "sharon",
        "sophie",
        "susan",
        "theresa",
        "victoria",
    }
)


def first_name_gender(word: str) -> str | None:
    """Gender a first word of a person's name implies (honorific or common first name)."""
    word = word.lower().rstrip(".")
    if word in _HONORIFICS:
        return _HONORIFICS[word]
    if word in _MALE_NAMES:
        return MALE
    if word in _FEMALE_NAMES:
        return FEMALE
    return None


#: "the <noun>" descriptions and the NER labels of the entities they may stand for.
DESCRIPTION_TYPES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("company", "firm", "corporation", "manufacturer", "airline", "publisher"),
        frozenset({"ORG"}),
    ),
    **dict.fromkeys(
        ("city", "town", "country", "state", "nation", "village", "province", "region"),
        frozenset({"GPE", "LOC"}),
    ),
    **dict.fromkeys(
        ("airport", "building", "museum", "hotel", "stadium", "station", "bridge", "hall"),
        frozenset({"FAC", "ORG"}),
    ),
    **dict.fromkeys(
        ("university", "school", "college", "institute", "club", "team", "band", "party"),
        frozenset({"ORG"}),
    ),
    **dict.fromkeys(("book", "novel", "film", "album", "song"), frozenset({"WORK_OF_ART"})),
}
