"""Corpus readers: folders of text files, JSON Lines, CSV and TSV, streamed as ``Document``s."""

from __future__ import annotations

from kgfuse.corpus.readers import FORMATS, count_documents, detect_format, read_corpus

__all__ = ["FORMATS", "count_documents", "detect_format", "read_corpus"]
