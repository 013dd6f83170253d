"""Ranking every question's candidates with a model, and the ranking metrics.

Hits@k is the fraction of questions whose top ``k`` candidates hold a gold answer; MRR is the
mean reciprocal rank of the best-ranked gold answer. A question counts as a miss when it
could not be linked, when its answers are not in the graph, or when no answer lies in its
subgraph: the metrics are over all questions given, never over the answerable ones only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import DataLoader
from torch_geometric.utils import to_dense_batch
from transformers import PreTrainedTokenizerBase

from kgfuse.fusion.qa.dataset import QACollator, QADataset
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.fusion.text_encoder import cached_text_vectors


@dataclass(frozen=True)
class Ranking:
    """The ranked candidates of one question.

    Attributes:
        node_ids: Global node ids, best first.
        scores: Probability of each (softmax over the question's candidates).
    """

    node_ids: np.ndarray
    scores: np.ndarray


EMPTY = Ranking(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


@torch.no_grad()
def rank_examples(
    model: torch.nn.Module,
    examples: Sequence[QAExample],
    *,
    tokenizer: PreTrainedTokenizerBase,
    sampler: QASubgraphSampler,
    max_length: int = 64,
    text_embeds: torch.Tensor | None = None,
    batch_size: int = 128,
) -> list[Ranking]:
    """Rank the candidates of each example (examples without a topic get an empty ranking).

    Args:
        model: A ``KGQAForAnswerRanking``.
        examples: Linked examples.
        tokenizer: The question encoder's tokenizer.
        sampler: Subgraph sampler over the model's graph.
        max_length: Truncation length of questions.
        text_embeds: [len(examples), hidden] precomputed question vectors (default: each
            distinct question embedded once by the model's encoder).
        batch_size: Questions per forward pass.

    Returns:
        One ``Ranking`` per example, in order.
    """
    linked = [i for i, ex in enumerate(examples) if ex.topics]
    if text_embeds is None:  # no gradients here: every distinct question is embedded once
        texts = [examples[i].text for i in linked]
        embeds = cached_text_vectors(model, tokenizer, texts, max_length=max_length)
    else:
        embeds = text_embeds[linked]
    dataset = QADataset(
        [examples[i] for i in linked],
        tokenizer=tokenizer,
        max_length=max_length,
        text_embeds=embeds,
    )
    loader = DataLoader(
        dataset, batch_size=batch_size, collate_fn=QACollator(tokenizer.pad_token_id or 0, sampler)
    )
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    out: list[Ranking] = []
    try:
        for batch in loader:
            batch.pop("labels")
            batch = {k: v.to(device) for k, v in batch.items()}
            result = model(**batch)
            ids, _ = to_dense_batch(
                batch["node_ids"], batch["batch"], batch_size=len(result.logits)
            )
            candidate = result.candidate_mask
            logits = result.logits.float().masked_fill(~candidate, float("-inf"))
            probs = torch.softmax(logits, -1).nan_to_num(0.0)  # [batch, max_nodes]
            for row_ids, row_probs, row_cand in zip(ids, probs, candidate, strict=True):
                order = torch.argsort(row_probs[row_cand], descending=True, stable=True)
                out.append(
                    Ranking(
                        row_ids[row_cand][order].cpu().numpy(),
                        row_probs[row_cand][order].cpu().numpy(),
                    )
                )
    finally:
        model.train(was_training)
    rankings = [EMPTY] * len(examples)
    for i, ranking in zip(linked, out, strict=True):
        rankings[i] = ranking
    return rankings


def ranking_metrics(
    rankings: Sequence[Ranking], examples: Sequence[QAExample]
) -> dict[str, float | int]:
    """Hits@1, Hits@10 and MRR over all examples, plus coverage counts.

    Returns:
        ``hits@1``, ``hits@10``, ``mrr``, ``questions``, ``unlinked`` (no topic entity),
        ``answer_coverage`` (fraction with a gold answer among the candidates).
    """
    hits1 = hits10 = rr = covered = 0.0
    for ranking, ex in zip(rankings, examples, strict=True):
        gold = np.isin(ranking.node_ids, np.asarray(ex.answers, dtype=np.int64))
        if gold.any():
            rank = int(np.argmax(gold)) + 1
            covered += 1
            hits1 += rank == 1
            hits10 += rank <= 10
            rr += 1.0 / rank
    n = max(len(examples), 1)
    return {
        "hits@1": hits1 / n,
        "hits@10": hits10 / n,
        "mrr": rr / n,
        "questions": len(examples),
        "unlinked": sum(1 for ex in examples if not ex.topics),
        "answer_coverage": covered / n,
    }
