"""``kgfuse report``: one self-contained HTML page about trained models and benchmark runs
(graph statistics, metrics, the graph-versus-text evidence in plain words, learning curves,
confusion matrices, ablation tables) that a user can hand to a colleague."""

from __future__ import annotations

from kgfuse.report.page import build_report

__all__ = ["build_report"]
