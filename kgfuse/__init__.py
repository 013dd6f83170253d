"""kgfuse: knowledge graphs from text, entity queries, and graph-aware fine-tuning."""

from __future__ import annotations

__version__ = "0.1.0"
