"""Literal values of number and date mentions: ``"1,533.0"`` -> ``1533``, ``"November 18th,
1923"`` -> ``1923-11-18``.

A value mention (``CARDINAL``, ``QUANTITY``, ``DATE`` ...) names a literal, not a thing: two
ways of writing one date or number are one value, so the value, not the surface form, becomes
its key. Only forms read without doubt get a value; anything else keeps ``None`` (and its
surface form as before).
"""

from __future__ import annotations

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_QUANTITY = re.compile(r"^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*([^\W\d][\w .²³/-]*)$")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_MONTH = r"([a-z]+)\.?"
_DATE_FORMS = (
    (re.compile(rf"^(?:the )?{_DAY}(?: of)? {_MONTH},? {_YEAR}$"), ("d", "m", "y")),
    (re.compile(rf"^{_MONTH} (?:the )?{_DAY},? {_YEAR}$"), ("m", "d", "y")),
    (re.compile(rf"^{_MONTH},? {_YEAR}$"), ("m", "y")),
    (re.compile(rf"^(?:the year )?{_YEAR}$"), ("y",)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("m", "d", "y")),  # US order, as in English text
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "m", "d")),
)
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


def literal_value(text: str, label: str) -> str | None:
    """Return the canonical literal of a value mention, or ``None`` when it is not one.

    Args:
        text: The mention's surface form.
        label: Its NER label.

    Returns:
        ``DATE``: ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. Numbers: digits without
        thousands separators or a zero fraction (``2194.0`` -> ``2194``); a quantity keeps
        its unit (``610 metres``). ``None`` for anything else ("between 1927 and 1931").
    """
    text = " ".join(text.split())
    if label == "DATE":
        return _date(text.casefold())
    if label in NUMBER_LABELS:
        if _NUMBER.match(text):
            return _number(text)
        if label == "QUANTITY" and (match := _QUANTITY.match(text)):
            return f"{_number(match.group(1))} {match.group(2).casefold().rstrip('.')}"
    return None


def _number(text: str) -> str:
    text = text.replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _date(text: str) -> str | None:
    for pattern, order in _DATE_FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts.get("m")
        if month is not None and not month.isdigit():
            month = _MONTHS.get(month)  # type: ignore[assignment]
            if month is None:
                return None
        year = parts["y"]
        if month is None:
            return year
        if not 1 <= int(month) <= 12:
            return None
        day = parts.get("d")
        if day is None:
            return f"{year}-{int(month):02d}"
        if not 1 <= int(day) <= 31:
            return None
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return None
