"""Mention boundaries on hand-written sentences, with the real model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kgfuse.kg.resolution import resolve
from kgfuse.types import Extraction

Extract = Callable[[str], Extraction]


def _mentions(extraction: Extraction) -> set[tuple[str, str]]:
    return {(m.text, m.label) for m in extraction.mentions}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a name that only modifies a noun of kind names the kind (nested noun chunks)
        ("Javanese cuisine is served in Jakarta.", "Javanese cuisine", "Javanese"),
        ("English language is spoken in Texas.", "English language", "English"),
        ("The main ingredient of Christmas pudding is suet.", "Christmas pudding", "Christmas"),
        # ... but a nationality before a person noun is about the person
        ("The French physicist Marie Curie discovered radium.", "French", "French physicist"),
        # leading "the" and trailing punctuation are not part of a name
        ("Bacon Explosion comes from the United States.", "United States", "the United States"),
    ],
)
def test_boundaries(extract: Extract, text: str, present: str, absent: str) -> None:
    texts = {m.text for m in extract(text).mentions}
    assert present in texts
    assert absent not in texts


def test_dates_and_numbers_are_values(extract: Extract) -> None:
    extraction = extract(
        "Alan Shepard was born on November 18th, 1923. The runway is 1,533.0 long."
    )
    values = {m.text: m.value for m in extraction.mentions}
    assert values["November 18th, 1923"] == "1923-11-18"
    assert values["1,533.0"] == "1533"
    assert values["Alan Shepard"] is None
    keys = {m.text: m.key for m in resolve(extraction).mentions}
    assert keys["November 18th, 1923"] == "1923_11_18"  # the value, not the surface form


def test_two_spellings_of_a_date_are_one_key(extract: Extract) -> None:
    one = resolve(extract("He died on 28 February 1966."))
    two = resolve(extract("He died on February 28th, 1966."))
    assert {m.key for m in one.mentions if m.label == "DATE"} == {"1966_02_28"}
    assert {m.key for m in two.mentions if m.label == "DATE"} == {"1966_02_28"}
