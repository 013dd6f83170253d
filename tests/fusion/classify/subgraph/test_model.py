"""Shapes and behaviour of every fusion operator and graph encoder (tiny random BERT)."""

from __future__ import annotations

import pytest
import torch
from transformers import BertConfig

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.subgraph.config import KGFusionConfig
from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.fusion.encoders import GRAPH_ENCODERS
from kgfuse.fusion.fusers import FUSIONS
from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import SubgraphSampler

TEXT = BertConfig(
    vocab_size=40, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
)


def make_model(kg: KGData, **overrides: object) -> KGFusionForSequenceClassification:
    settings = {
        "text_config": TEXT,
        "num_labels": 3,
        "graph_hidden_size": 16,
        "num_entities": kg.num_entities,
        "num_relations": kg.num_relations,
        **overrides,
    }
    torch.manual_seed(0)
    return KGFusionForSequenceClassification(KGFusionConfig(**settings))


def batch(kg: KGData, seeds: list[list[str]]) -> dict[str, torch.Tensor]:
    torch.manual_seed(1)
    n = len(seeds)
    inputs = {
        "input_ids": torch.randint(5, 40, (n, 9)),
        "attention_mask": torch.ones(n, 9, dtype=torch.long),
    }
    inputs["attention_mask"][0, 6:] = 0
    sub = SubgraphSampler(kg, hops=2).sample([kg.index(keys) for keys in seeds])
    return inputs | sub.as_dict()


@pytest.mark.parametrize("encoder", GRAPH_ENCODERS)
@pytest.mark.parametrize("fusion", FUSIONS)
def test_every_fusion_and_encoder_gives_logits_and_gradients(
    tiny_kg: KGData, fusion: str, encoder: str
) -> None:
    model = make_model(tiny_kg, fusion=fusion, graph_encoder=encoder)
    inputs = batch(tiny_kg, [["alice"], [], ["dave", "club"], ["unknown_key"]])
    out = model(**inputs, labels=torch.tensor([0, 1, 2, 0]))
    assert out.logits.shape == (4, 3)
    assert out.loss.ndim == 0 and torch.isfinite(out.loss)
    out.loss.backward()
    head = next(p for n, p in model.named_parameters() if n.startswith("fuser."))
    assert head.grad is not None and head.grad.abs().sum() > 0
    if fusion != "none":
        grads = [p.grad for n, p in model.named_parameters() if n.startswith("graph_encoder.")]
        assert any(g is not None and g.abs().sum() > 0 for g in grads)


def test_none_baseline_has_no_graph_side_and_ignores_graph_inputs(tiny_kg: KGData) -> None:
    model = make_model(tiny_kg, fusion="none").eval()
    assert not any(
        n.startswith(("graph_encoder", "node_input")) for n, _ in model.named_parameters()
    )
    inputs = batch(tiny_kg, [["alice"], ["dave"]])
    text_only = {k: inputs[k] for k in ("input_ids", "attention_mask")}
    assert torch.equal(model(**inputs).logits, model(**text_only).logits)


def test_graph_changes_logits_and_texts_without_entities_use_no_graph_vector(
    tiny_kg: KGData,
) -> None:
    model = make_model(tiny_kg, fusion="concat").eval()
    with torch.no_grad():
        model.no_graph.fill_(0.5)
        inputs = batch(tiny_kg, [["alice"], ["dave"]])
        linked = model(**inputs).logits
        text_only = {k: inputs[k] for k in ("input_ids", "attention_mask")}
        unlinked = model(**text_only).logits
        unknown = model(**batch(tiny_kg, [["nobody"], ["nobody"]])).logits
    assert not torch.allclose(linked, unlinked)
    assert torch.allclose(unlinked, unknown)


def test_text_embeds_path_equals_token_path(tiny_kg: KGData) -> None:
    model = make_model(tiny_kg, fusion="gated", freeze_text_encoder=True).eval()
    inputs = batch(tiny_kg, [["alice"], ["erin"]])
    with torch.no_grad():
        embeds = model.encode_text(inputs["input_ids"], inputs["attention_mask"])
        graph = {k: v for k, v in inputs.items() if k not in ("input_ids", "attention_mask")}
        assert torch.allclose(model(**inputs).logits, model(text_embeds=embeds, **graph).logits)
    assert not any(p.requires_grad for p in model.text_encoder.parameters())


def test_multi_label_uses_bce(tiny_kg: KGData) -> None:
    model = make_model(tiny_kg, fusion="cross_attention", problem_type="multi_label_classification")
    inputs = batch(tiny_kg, [["alice"], ["bob"]])
    labels = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    out = model(**inputs, labels=labels)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(out.logits, labels)
    assert torch.allclose(out.loss, expected)


def test_text_node_features_and_bad_config(tiny_kg: KGData) -> None:
    model = make_model(tiny_kg, node_features="text", node_feature_dim=8, graph_encoder="gat")
    assert model.node_input.features.shape == (tiny_kg.num_entities, 8)
    assert model(**batch(tiny_kg, [["alice"]])).logits.shape == (1, 3)
    with pytest.raises(ConfigError, match="fusion"):
        KGFusionConfig(text_config=TEXT, fusion="sum")
    with pytest.raises(ConfigError, match="graph_encoder"):
        KGFusionConfig(text_config=TEXT, graph_encoder="gcn2")
