"""Text cleaning before parsing, and splitting of texts too long to parse in one piece.

All offsets kgfuse stores refer to the *cleaned* text (``Extraction.text``), so cleaning runs
once, before spaCy, and never afterwards.
"""

from __future__ import annotations

import re

#: Default chunk size of ``split_long``: well below spaCy's ``nlp.max_length`` (1,000,000),
#: and small enough that the parser's memory stays modest (spaCy's working memory is about
#: 4 kB per character of a batch: 100,000 characters took 400 MB).
DEFAULT_MAX_CHARS = 50_000

_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters that separate lines or pages: a newline keeps the words apart.
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Other C0/C1 controls (not \t \n, \r is handled first), BOM and noncharacters: dropped.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
# A sentence end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def clean_text(text: str) -> str:
    """Return a text that spaCy and every store can take.

    Line endings become ``\\n``; paired UTF-16 surrogates (from some decoders) are joined into
    the character they encode and lone surrogates are removed; page/line separator controls
    become ``\\n``; other control characters, BOMs and noncharacters are removed. ``\\n`` and
    ``\\t`` are kept.

    Args:
        text: Raw document text.

    Returns:
        The cleaned text (the same object when nothing needed cleaning).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and _SURROGATE.search(text):
        # Round-trip through UTF-16 joins valid pairs; "ignore" drops the lone halves.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    text = _BREAKS.sub("\n", text)
    return _CONTROL.sub("", text)


def split_long(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[tuple[int, str]]:
    """Split a text into chunks of at most ``max_chars`` characters at natural boundaries.

    A cut goes at the last paragraph break (blank line) in the second half of the window,
    else at the last sentence end, else at the last whitespace, else at ``max_chars``. The
    chunks concatenate back to ``text``.

    Args:
        text: The (cleaned) text.
        max_chars: Largest chunk length, at least 2.

    Returns:
        ``(offset, chunk)`` pairs in order, with ``text[offset:offset + len(chunk)] == chunk``;
        a single ``(0, text)`` pair when the text is short enough (also for ``""``).

    Raises:
        ValueError: ``max_chars`` is smaller than 2.
    """
    if max_chars < 2:
        raise ValueError(f"max_chars must be at least 2, got {max_chars}")
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        cut = _find_cut(text, start + max_chars // 2, start + max_chars)
        chunks.append((start, text[start:cut]))
        start = cut
    chunks.append((start, text[start:]))
    return chunks


def _find_cut(text: str, low: int, high: int) -> int:
    """Return a cut position in ``(low, high]``, preferring paragraph, sentence, word breaks."""
    paragraph = text.rfind("\n\n", low, high)
    if paragraph >= 0:
        return paragraph + 2
    last_end = -1
    for match in _SENTENCE_END.finditer(text, low, high):
        last_end = match.end()
    if last_end > low:
        return last_end
    space = max(text.rfind(blank, low, high) for blank in (" ", "\n", "\t"))
    if space >= low:
        return space + 1
    return high
