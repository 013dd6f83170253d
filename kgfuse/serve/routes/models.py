"""The loaded models: classification (``/predict``) and question answering (``/ask``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from kgfuse.serve import plain
from kgfuse.serve.auth import state_of
from kgfuse.serve.schemas import AskRequest, PredictRequest
from kgfuse.serve.state import LoadedModel, ServeState

router = APIRouter(tags=["models"])


def predict_view(model: LoadedModel, texts: list[str]) -> list[dict[str, Any]]:
    """The predictions of ``POST /predict`` (also timed in-process by the benchmark)."""
    predictions = model.family.entry_point("predict")(model.loaded, texts, linker=model.linker)
    return [
        {"text": text, **plain.jsonable(vars(p))}
        for text, p in zip(texts, predictions, strict=True)
    ]


def ask_view(
    model: LoadedModel, store: Any, question: str, topics: list[str], top_k: int
) -> list[dict[str, Any]]:
    """The answers of ``POST /ask`` (also timed in-process by the benchmark)."""
    run = model.family.entry_point("predict")
    answers = run(model.loaded, question, topic_entities=topics or None, top_k=top_k, store=store)
    return plain.jsonable(answers)


@router.get("/models", summary="The loaded models")
async def models(state: ServeState = Depends(state_of)) -> list[dict[str, str]]:
    """Name, task and method of each model given by ``--model``."""
    return [m.describe() for m in state.models.values()]


@router.post("/predict", summary="Classify texts with a loaded classifier")
async def predict(body: PredictRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Label(s), scores and linked graph entities per text (as ``kgfuse classify predict``)."""
    model = state.model(body.model, "classify")
    texts = list(body.texts)
    predictions = await state.call(predict_view, model, texts, lock="model")
    return {"model": model.name, "predictions": predictions}


@router.post("/ask", summary="Answer a question with a loaded QA model")
async def ask(body: AskRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Ranked answers with scores, supporting paths and sentences (as ``kgfuse qa ask``)."""
    model = state.model(body.model, "qa")
    topics = list(body.topics)
    answers = await state.call(
        ask_view, model, state.store, body.question, topics, body.top_k, lock="model"
    )
    return {"model": model.name, "question": body.question, "answers": answers}
