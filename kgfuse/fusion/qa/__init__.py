"""Question answering over the graph: a question-conditioned relational reasoner ranks the
entities of the bounded subgraph around each question's topic (``config``, ``parts``,
``model``, ``options``, ``data``/``examples`` (questions), ``subgraph``, ``dataset``,
``builder``, ``trainer`` with ``callbacks`` and ``setup``, ``ranking``, ``evaluation``,
``explain``, ``asking`` with ``calibration``, ``inference``, ``io``; training questions from
the graph: ``paths``, ``phrases``, ``synthesize``)."""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

_EXPORTS = {
    "KGQAConfig": "kgfuse.fusion.qa.config",
    "KGQAForAnswerRanking": "kgfuse.fusion.qa.model",
    "QAOptions": "kgfuse.fusion.qa.options",
    "train_qa": "kgfuse.fusion.qa.trainer",
    "load_qa": "kgfuse.fusion.qa.inference",
    "answer": "kgfuse.fusion.qa.inference",
    "evaluate_qa": "kgfuse.fusion.qa.inference",
    "ask": "kgfuse.fusion.qa.inference",
    "calibrate_qa": "kgfuse.fusion.qa.inference",
    "synthesize_questions": "kgfuse.fusion.qa.synthesize",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
