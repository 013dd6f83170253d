"""BertGCN's recipe: a fine-tuned ``train-fusion --fusion none`` directory as the document
graph's text encoder; its fine-tuned weights, not the base ones, give the vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.classify.subgraph.trainer import train_classifier
from kgfuse.graph.data import KGData

from .conftest import options


def test_a_fine_tuned_classifier_is_a_text_encoder(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    tuned = tmp_path / "tuned"
    fine_tune = TrainOptions(
        text_encoder=str(tiny_bert_dir),
        fusion="none",
        batch_size=8,
        epochs=1,
        learning_rate=5e-3,
        disable_tqdm=True,
    )
    train_classifier(train, None, graph=None, out_dir=tuned, options=fine_tune)
    texts = [ex.text for ex in read_examples(evaluation)][:4]
    base = FrozenTextEncoder.load(tiny_bert_dir).encode(texts)
    encoder = FrozenTextEncoder.load(tuned)
    assert str(tuned.resolve()) in encoder.path
    tuned_vectors = encoder.encode(texts)
    assert tuned_vectors.shape == base.shape
    assert not torch.allclose(tuned_vectors, base)  # the fine-tuned weights are used

    out = tmp_path / "docgraph"
    opts = options(tiny_bert_dir, text_encoder=str(tuned), graph_model="sgc", epochs=5)
    train_document_graph(train, evaluation, graph=tiny_kg, out_dir=out, options=opts)
    saved = load_file(str(out / "text_encoder" / "model.safetensors"))
    own = encoder.model.state_dict()
    assert all(torch.equal(saved[k], own[k]) for k in saved)  # the tuned encoder travels
    predictor = load_document_graph(out)
    torch.testing.assert_close(predictor.encoder.encode(texts), tuned_vectors)
    examples = read_examples(evaluation)
    np.testing.assert_array_equal(
        predictor.logits(examples, inductive=True),
        load_document_graph(out).logits(examples, inductive=True),
    )
