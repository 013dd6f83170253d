from __future__ import annotations

from kgfuse.kg.normalize import acronym, entity_key, normalize_name
from kgfuse.kg.resolution import mention_keys, resolve
from kgfuse.nlp.values import literal_value
from kgfuse.types import CONCEPT, Document, Extraction, Mention, Relation, Sentence


def _extraction(text: str, mentions: list[tuple[str, str]], relations=()) -> Extraction:
    spans = []
    cursor = 0
    for surface, label in mentions:
        start = text.index(surface, cursor)
        spans.append(Mention(surface, label, 0, start, start + len(surface)))
        cursor = start + 1
    rels = tuple(Relation(s, p, o, 0, 0, len(text)) for s, p, o in relations)
    return Extraction(
        document=Document("d1", text),
        text=text,
        sentences=(Sentence(0, 0, len(text), text),),
        mentions=tuple(spans),
        relations=rels,
        extractor="test/1",
    )


def test_normalize_ignores_case_space_punctuation_and_determiners() -> None:
    assert normalize_name("The  Beatles") == "beatles"
    assert normalize_name("the beatles") == normalize_name("Beatles")
    assert normalize_name("Al-Taqaddum Air Base") == normalize_name("Al Taqaddum Air Base")
    assert normalize_name("Poland's") == "poland"
    assert normalize_name("...") == ""
    assert entity_key("Marie  Curie") == "marie_curie"
    assert entity_key("Ｍarie Curie") == "marie_curie"  # NFKC folds full-width letters


def test_keys_are_stable_across_calls_and_machines() -> None:
    # Pure function of the surface form: no hashing with a per-process seed.
    assert entity_key("Zürich Hauptbahnhof") == "zurich_hauptbahnhof"
    assert entity_key("Zurich Hauptbahnhof") == "zurich_hauptbahnhof"  # accents on Latin only
    assert entity_key("がっこう") == "がっこう"
    assert entity_key("A") == "a"


def test_acronym() -> None:
    assert acronym("World Health Organization") == "who"
    assert acronym("Bank of England") == "be"
    assert acronym("NASA") == ""


def test_surname_after_full_name_is_an_alias() -> None:
    ext = _extraction(
        "Marie Curie won. Curie smiled.", [("Marie Curie", "PERSON"), ("Curie", "PERSON")]
    )
    assert mention_keys(ext) == ["marie_curie", "marie_curie"]


def test_ambiguous_surname_stays_separate() -> None:
    ext = _extraction(
        "Marie Curie and Pierre Curie met. Curie spoke.",
        [("Marie Curie", "PERSON"), ("Pierre Curie", "PERSON"), ("Curie", "PERSON")],
    )
    assert mention_keys(ext) == ["marie_curie", "pierre_curie", "curie"]


def test_shared_surname_goes_to_the_most_mentioned_person() -> None:
    ext = _extraction(
        "Marie Curie and Pierre Curie met. Marie Curie won. Curie spoke.",
        [
            ("Marie Curie", "PERSON"),
            ("Pierre Curie", "PERSON"),
            ("Marie Curie", "PERSON"),
            ("Curie", CONCEPT),
        ],
    )
    assert mention_keys(ext)[-1] == "marie_curie"


def test_lowercase_concept_is_not_taken_for_a_surname() -> None:
    ext = _extraction("Tom Baker met a baker.", [("Tom Baker", "PERSON"), ("baker", CONCEPT)])
    assert mention_keys(ext) == ["tom_baker", "baker"]


def test_acronym_after_expansion_is_an_alias() -> None:
    ext = _extraction(
        "The World Health Organization (WHO) said. WHO agreed.",
        [("World Health Organization", "ORG"), ("WHO", "ORG"), ("WHO", "ORG")],
    )
    assert mention_keys(ext) == ["world_health_organization"] * 3


def test_lowercase_word_is_not_taken_for_an_acronym() -> None:
    ext = _extraction(
        "World Health Organization staff. who knows.",
        [("World Health Organization", "ORG"), ("who", CONCEPT)],
    )
    assert mention_keys(ext) == ["world_health_organization", "who"]


def test_resolve_builds_triples_with_provenance_and_drops_self_loops() -> None:
    ext = _extraction(
        "Marie Curie met Curie in Warsaw.",
        [("Marie Curie", "PERSON"), ("Curie", "PERSON"), ("Warsaw", "GPE")],
        relations=[(0, "meet", 1), (0, "meet_in", 2), (0, "meet_in", 2)],
    )
    resolved = resolve(ext)
    assert [(t.subject_key, t.predicate, t.object_key) for t in resolved.triples] == [
        ("marie_curie", "meet_in", "warsaw")
    ]
    prov = resolved.triples[0].provenance
    assert (prov.doc_id, prov.sentence_index, prov.extractor) == ("d1", 0, "test/1")
    assert [m.key for m in resolved.mentions] == ["marie_curie", "marie_curie", "warsaw"]
    assert resolved.content_hash == resolve(ext).content_hash


def test_mentions_without_letters_are_dropped() -> None:
    ext = _extraction("Warsaw -- ok", [("Warsaw", "GPE"), ("--", CONCEPT)], relations=[(0, "x", 1)])
    resolved = resolve(ext)
    assert [m.key for m in resolved.mentions] == ["warsaw"]
    assert resolved.triples == ()


def test_leading_determiner_is_trimmed_from_the_surface() -> None:
    ext = _extraction("He joined the Radium Institute.", [("the Radium Institute", "ORG")])
    (mention,) = resolve(ext).mentions
    assert (mention.key, mention.text) == ("radium_institute", "Radium Institute")
    assert ext.text[mention.char_start : mention.char_end] == "Radium Institute"


def test_junk_mentions_are_dropped_but_values_kept() -> None:
    text = "user said at 2 that Apollo 11 flew"
    spans = [("user", "CONCEPT"), ("at", "ORG"), ("2", "CARDINAL"), ("Apollo 11", "PRODUCT")]
    mentions = []
    for surface, label in spans:
        start = text.index(surface)
        mentions.append(
            Mention(surface, label, 0, start, start + len(surface), literal_value(surface, label))
        )
    extraction = Extraction(
        document=Document("d", text),
        text=text,
        sentences=(Sentence(0, 0, len(text), text),),
        mentions=tuple(mentions),
        relations=(Relation(0, "say", 3, 0, 0, len(text)), Relation(3, "fly_at", 2, 0, 0, 30)),
        extractor="test",
    )
    resolved = resolve(extraction)
    assert {m.key for m in resolved.mentions} == {"2", "apollo_11"}  # "user", "at" dropped
    assert [(t.subject_key, t.object_key) for t in resolved.triples] == [("apollo_11", "2")]
    assert len(resolve(extraction, junk=None).mentions) == 4
