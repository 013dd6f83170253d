"""Rule-based coreference within a document, with the real model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kgfuse.kg.resolution import COREF_MARK, resolve
from kgfuse.nlp import Extractor
from kgfuse.types import Document, Extraction

Extract = Callable[[str], Extraction]


def _antecedents(extraction: Extraction) -> dict[str, str | None]:
    """Surface form of each mention -> surface form of its antecedent (None: not coreferent)."""
    mentions = extraction.mentions
    return {m.text: (None if m.coref is None else mentions[m.coref].text) for m in mentions}


@pytest.mark.parametrize(
    ("text", "mention", "antecedent"),
    [
        # a pronoun in a later sentence: the subject the paragraph is about
        ("Alan Shepard was born in New Hampshire. He graduated from NWC.", "He", "Alan Shepard"),
        # gender from first names: she and he pick different people
        ("Mary Smith met John Brown in Paris. She left early.", "She", "Mary Smith"),
        ("Mary Smith met John Brown in Paris. Later he left.", "he", "John Brown"),
        # NER type: "it" is not a person
        ("Apple hired Tim Cook in 1998. It grew.", "It", "Apple"),
        # number: "their" stands for an organisation or a plural noun
        ("AFC Fylde is based in Warton. Their manager is Stuart Parker.", "Their", "AFC Fylde"),
        # a definite description: the most recent entity of its kind
        (
            "Aarhus Airport serves Aarhus. The airport is operated by Aktieselskab.",
            "airport",
            "Aarhus Airport",
        ),
        ("Paris is big. The city has a population of 2 million.", "city", "Paris"),
    ],
)
def test_antecedents(extract: Extract, text: str, mention: str, antecedent: str) -> None:
    assert _antecedents(extract(text))[mention] == antecedent


def test_unresolvable_pronouns_are_no_mentions(extract: Extract) -> None:
    # nothing to refer to; "he" cannot be the organisation
    assert extract("He acquired it.").mentions == ()
    assert "he" not in _antecedents(extract("Apple grew fast. Then he left."))


def test_pronouns_never_stand_for_concepts(extract: Extract) -> None:
    # "it" is the argument, not a named entity: no antecedent, so no mention
    found = _antecedents(extract("The argument is old. It is also weak."))
    assert "It" not in found


def test_description_with_its_own_name_is_not_coreferent(extract: Extract) -> None:
    found = _antecedents(extract("Paris is big. Aarhus Airport serves the city of Aarhus."))
    assert found.get("city") is None


def test_facts_through_a_pronoun_keep_their_own_provenance(extract: Extract) -> None:
    extraction = extract("Alan Shepard was born in New Hampshire. He graduated from NWC.")
    resolved = resolve(extraction)
    facts = {(t.subject_key, t.predicate, t.object_key): t.provenance for t in resolved.triples}
    provenance = facts[("alan_shepard", "graduate_from", "nwc")]
    assert provenance.sentence_index == 1  # the pronoun's sentence, not the antecedent's
    assert provenance.extractor.endswith(COREF_MARK)
    assert extraction.text[provenance.char_start : provenance.char_end].startswith("He")
    plain = facts[("alan_shepard", "born_in", "new_hampshire")]
    assert not plain.extractor.endswith(COREF_MARK)
    # "He" is no alias of Alan Shepard
    assert "He" not in {m.text for m in resolved.mentions}


def test_coreference_can_be_turned_off(nlp) -> None:
    extractor = Extractor(nlp, coreference=False)
    extraction = extractor.extract(Document("t", "Alan Shepard was born here. He graduated."))
    assert all(m.coref is None for m in extraction.mentions)
    assert "He" not in {m.text for m in extraction.mentions}
    assert extractor.version.startswith("kgfuse-rules/2-coref ")
