"""Request bodies of the API (pydantic models: they give the OpenAPI schema its shapes)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: Bounds that keep one request's work small (the body size limit bounds the rest).
MAX_TEXTS = 64
MAX_TEXT = 20_000
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]


class QueryRequest(BaseModel):
    """A read-only raw query."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(..., min_length=1, max_length=20_000, description="SPARQL or Cypher")
    params: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Query parameters (Cypher) or bindings (SPARQL)"
    )


class PredictRequest(BaseModel):
    """Texts to classify."""

    model_config = ConfigDict(extra="forbid")

    texts: list[Text] = Field(..., min_length=1, max_length=MAX_TEXTS)
    model: str | None = Field(None, description="Model name (needed when several are loaded)")


class AskRequest(BaseModel):
    """A question for a QA model."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=2_000)
    topics: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        default_factory=list, max_length=16
    )
    top_k: int = Field(10, ge=1, le=100)
    model: str | None = None


class NewDocument(BaseModel):
    """One document to add (its id defaults to ``sha256:`` + the hash of its text)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, min_length=1, max_length=500)
    text: str = Field(..., min_length=1, max_length=200_000)
    metadata: dict[str, Any] = Field(default_factory=dict)


class DocumentsRequest(BaseModel):
    """Documents to extract and write (replacing earlier versions with the same id)."""

    model_config = ConfigDict(extra="forbid")

    documents: list[NewDocument] = Field(..., min_length=1, max_length=256)
