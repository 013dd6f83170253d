"""The loaded models: classification (``/predict``) and question answering (``/ask``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from kgfuse.serve import plain
from kgfuse.serve.auth import state_of
from kgfuse.serve.schemas import AskRequest, PredictRequest
from kgfuse.serve.state import ServeState

router = APIRouter(tags=["models"])


@router.get("/models", summary="The loaded models")
async def models(state: ServeState = Depends(state_of)) -> list[dict[str, str]]:
    """Name, task and method of each model given by ``--model``."""
    return [m.describe() for m in state.models.values()]


@router.post("/predict", summary="Classify texts with a loaded classifier")
async def predict(body: PredictRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Label(s), scores and linked graph entities per text (as ``kgfuse classify predict``)."""
    model = state.model(body.model, "classify")
    run = model.family.entry_point("predict")

    def work() -> list[Any]:
        return run(model.loaded, list(body.texts), linker=model.linker)

    predictions = await state.call(work, lock="model")
    return {
        "model": model.name,
        "predictions": [
            {"text": text, **plain.jsonable(vars(p))}
            for text, p in zip(body.texts, predictions, strict=True)
        ],
    }


@router.post("/ask", summary="Answer a question with a loaded QA model")
async def ask(body: AskRequest, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """Ranked answers with scores, supporting paths and sentences (as ``kgfuse qa ask``)."""
    model = state.model(body.model, "qa")
    run = model.family.entry_point("predict")

    def work() -> list[Any]:
        topics = list(body.topics) or None
        return run(
            model.loaded, body.question, topic_entities=topics, top_k=body.top_k, store=state.store
        )

    answers = await state.call(work, lock="model")
    return {"model": model.name, "question": body.question, "answers": plain.jsonable(answers)}
