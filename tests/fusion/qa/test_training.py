"""QA end to end on a toy movie graph: training, ranking, save/load, bad input, ``kgfuse ask``.

Answers lie 1 and 2 hops from the topic entity. The question encoder is a tiny random BERT
whose word-level vocabulary holds the question words; topic mentions are masked, so every
question template is one fixed vector and the reasoner must learn which relations to follow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from kgfuse.errors import DataError, EntityNotFoundError, ModelError
from kgfuse.fusion.qa.builder import build_qa_model
from kgfuse.fusion.qa.inference import answer, evaluate_qa, load_qa
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.qa.trainer import train_qa
from kgfuse.graph.data import KGData

from .toy import FAST, questions, write_jsonl


def test_a_few_steps_lower_the_loss(qa_bert_dir: Path, toy_kg: KGData, tmp_path: Path) -> None:
    from kgfuse.fusion.qa.data import read_qa
    from kgfuse.fusion.qa.dataset import QACollator, QADataset
    from kgfuse.fusion.qa.examples import prepare_examples
    from kgfuse.fusion.qa.subgraph import QASubgraphSampler
    from kgfuse.graph.linking import TopicLinker

    torch.manual_seed(0)
    options = QAOptions(text_encoder=str(qa_bert_dir), **FAST)
    model, tokenizer, _ = build_qa_model(options, toy_kg, cache_dir=None)
    records = read_qa(write_jsonl(tmp_path / "q.jsonl", questions()))
    examples = prepare_examples(records, toy_kg, TopicLinker(toy_kg))
    dataset = QADataset(examples, tokenizer=tokenizer)
    collate = QACollator(tokenizer.pad_token_id, QASubgraphSampler(toy_kg, hops=2))
    batch = collate([dataset[i] for i in range(len(dataset))])
    params = [p for p in model.parameters() if p.requires_grad]
    assert not any(p.requires_grad for p in model.text_encoder.parameters())  # CPU: frozen
    optimizer = torch.optim.AdamW(params, lr=1e-2)
    model.train()
    losses = []
    for _ in range(15):
        loss = model(**batch).loss
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    assert losses[-1] < 0.7 * losses[0]


def test_trained_model_ranks_the_right_answer_first(trained: tuple[Path, Path, dict]) -> None:
    model_dir, data, metrics = trained
    assert metrics["train_questions"] == len(questions())
    assert metrics["frozen_text_encoder"] is True
    scores = evaluate_qa(model_dir, data)
    assert scores["hits@1"] == 1.0 and scores["mrr"] == 1.0
    assert scores["questions"] == len(questions())
    (best, *_) = answer(model_dir, "who directed [alpha]")
    assert best.key == "anna"
    assert [(f.subject_key, f.predicate, f.object_key) for f in best.path] == [
        ("alpha", "directed_by", "anna")
    ]
    two_hop = answer(model_dir, "who directed the films starring [ben]", top_k=2)
    assert {a.key for a in two_hop} == {"anna", "finn"}  # alpha and delta, 2 hops away
    assert len(two_hop[0].path) == 2 and two_hop[0].path[0].inverse
    by_topic = answer(
        model_dir, "when were the films directed by NE released", topic_entities=["Anna"]
    )
    assert {a.key for a in by_topic[:2]} == {"y1990", "y1991"}


def test_save_load_gives_the_same_scores(trained: tuple[Path, Path, dict], tmp_path: Path) -> None:
    model_dir, _, _ = trained
    loaded = load_qa(model_dir)
    before = answer(loaded, "what films did [dan] star in")
    from kgfuse.fusion.qa.io import save_qa_model

    again = save_qa_model(
        loaded.model, tmp_path / "copy", tokenizer=loaded.tokenizer, kg=loaded.kg,
        metadata={k: v for k, v in loaded.metadata.items() if k != "format"},
    )  # fmt: skip
    after = answer(again, "what films did [dan] star in")
    assert [(a.key, a.score) for a in after] == [(a.key, a.score) for a in before]
    assert {a.key for a in before[:3]} == {"bravo", "echo", "hotel"}


def test_unknown_topic_entity_is_a_clear_error(
    trained: tuple[Path, Path, dict], qa_bert_dir: Path, toy_kg: KGData, tmp_path: Path
) -> None:
    model_dir, _, _ = trained
    with pytest.raises(EntityNotFoundError, match="'zorro' is not in the model's graph"):
        answer(model_dir, "who directed [zorro]")
    with pytest.raises(EntityNotFoundError, match="did you mean one of: 'alpha'"):
        answer(model_dir, "who directed NE", topic_entities=["alphx"])  # fuzzy hint, no match
    with pytest.raises(EntityNotFoundError, match="no entity of the model's graph"):
        answer(model_dir, "who directed it")
    bad = write_jsonl(
        tmp_path / "bad.jsonl", [{"question": "who directed [zorro]", "answers": ["anna"]}]
    )
    options = QAOptions(text_encoder=str(qa_bert_dir), max_steps=1, **FAST)
    with pytest.raises(DataError, match=r"bad.jsonl:1: topic entity 'zorro'"):
        train_qa(bad, graph=toy_kg, out_dir=tmp_path / "m", options=options)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(DataError, match="holds no questions"):
        train_qa(empty, graph=toy_kg, out_dir=tmp_path / "m", options=options)
    unreachable = write_jsonl(
        tmp_path / "u.jsonl", [{"question": "who directed [alpha]", "answers": ["nobody"]}]
    )
    with pytest.raises(DataError, match="none of the 1 training questions"):
        train_qa(unreachable, graph=toy_kg, out_dir=tmp_path / "m", options=options)


def test_broken_model_directories(trained: tuple[Path, Path, dict], tmp_path: Path) -> None:
    import shutil

    with pytest.raises(ModelError, match="does not exist"):
        load_qa(tmp_path / "nowhere")
    model_dir, _, _ = trained
    broken = Path(shutil.copytree(model_dir, tmp_path / "broken"))
    torch.save({"weight": torch.zeros(2)}, broken / "model.safetensors")
    with pytest.raises(ModelError, match="pickle"):
        load_qa(broken)
    (broken / "config.json").write_text('{"model_type": "kgfusion"}')
    with pytest.raises(ModelError, match="expected a kgfuse QA model"):
        load_qa(broken)


def test_three_hops_and_full_fine_tuning(qa_bert_dir: Path, toy_kg: KGData, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "qa.jsonl", questions())
    options = QAOptions(text_encoder=str(qa_bert_dir), hops=3, epochs=30, **FAST)
    train_qa(data, graph=toy_kg, out_dir=tmp_path / "three", options=options)
    scores = evaluate_qa(tmp_path / "three", data)
    assert scores["hits@1"] >= 0.9
    full = QAOptions(text_encoder=str(qa_bert_dir), freeze_text_encoder=False, max_steps=3, **FAST)
    metrics = train_qa(data, graph=toy_kg, out_dir=tmp_path / "full", options=full)
    assert metrics["frozen_text_encoder"] is False and metrics["global_step"] == 3
    loaded = load_qa(tmp_path / "full")
    assert any(p.requires_grad for p in loaded.model.text_encoder.parameters())
    assert answer(loaded, "who directed [alpha]", top_k=3)


def test_ask_command_on_a_store(trained: tuple[Path, Path, dict], toy_store: Path, capsys) -> None:
    from kgfuse.cli.main import run

    out, questions, _ = trained
    capsys.readouterr()
    args = ["qa", "ask", "who directed [alpha]", "--model", str(out), "--store", str(toy_store)]
    assert run([*args, "--json", "--top-k", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["calibrated"] is True and result["no_answer"] is False
    assert 0.0 < result["confidence"] <= 1.0 and len(result["hop_weights"]) == 2
    answers = result["answers"]
    assert answers[0]["key"] == "anna"
    assert answers[0]["path"][0]["predicate"] == "directed_by"
    assert answers[0]["sentences"] == ["alpha|directed_by|anna"]  # the imported line
    assert run(args) == 0
    printed = capsys.readouterr().out
    assert "anna" in printed and "alpha -directed_by-> anna" in printed
    assert "(calibrated)" in printed
    assert run(["qa", "ask", "who directed [zorro]", "--model", str(out)]) == 1
    assert "not in the model's graph" in capsys.readouterr().err
    assert run(["qa", "evaluate", str(out), str(questions), "--store", str(toy_store)]) == 0
    assert "hits@1" in capsys.readouterr().out
    from kgfuse.cli.qa import evaluate_qa_command

    assert evaluate_qa_command(out, questions, store=str(toy_store))["hits@1"] == 1.0


def test_deprecated_qa_spellings_still_work(
    trained: tuple[Path, Path, dict], toy_store: Path, capsys
) -> None:
    from kgfuse.cli.main import run

    out, questions, _ = trained
    capsys.readouterr()
    args = ["ask", "who directed [alpha]", "--model", str(out), "--json", "--top-k", "1"]
    assert run(args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["answers"][0]["key"] == "anna"
    assert "`kgfuse ask` is deprecated; use `kgfuse qa ask`" in captured.err
    evaluate = ["evaluate", "--task", "qa", str(out), str(questions), "--json"]
    assert run([*evaluate, "--store", str(toy_store)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["hits@1"] == 1.0
    assert "use `kgfuse qa evaluate`" in captured.err
    assert run(["train", "--task", "qa", "--train", str(questions), "--out", str(out)]) == 1
    assert "needs --store" in capsys.readouterr().err
