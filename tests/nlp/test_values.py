"""Literal values of number and date mentions."""

from __future__ import annotations

import pytest

from kgfuse.nlp.values import literal_value


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        ("November 18th, 1923", "DATE", "1923-11-18"),
        ("18th of November, 1923", "DATE", "1923-11-18"),
        ("the 18th of November 1923", "DATE", "1923-11-18"),
        ("Nov. 18, 1923", "DATE", "1923-11-18"),
        ("07/23/1927", "DATE", "1927-07-23"),
        ("July 1927", "DATE", "1927-07"),
        ("1957", "DATE", "1957"),
        ("1,533.0", "CARDINAL", "1533"),
        ("2194.0", "CARDINAL", "2194"),
        ("45.50", "CARDINAL", "45.5"),
        ("610 metres", "QUANTITY", "610 metres"),
        # not read without doubt: no value, the surface form stays the key
        ("between 1927 and 1931", "DATE", None),
        ("March 32, 2000", "DATE", None),
        ("13/13/2000", "DATE", None),
        ("the 2014 season", "DATE", None),
        ("two", "CARDINAL", None),
        ("1.8 million", "CARDINAL", None),
        ("1957", "ORG", None),
    ],
)
def test_literal_value(text: str, label: str, value: str | None) -> None:
    assert literal_value(text, label) == value
