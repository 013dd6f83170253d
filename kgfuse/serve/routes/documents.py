"""Documents: read one with its spans; add and delete (only on a writable server)."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from kgfuse.build import build_graph
from kgfuse.corpus.records import derived_id
from kgfuse.serve import records
from kgfuse.serve.auth import require_writer, state_of
from kgfuse.serve.schemas import DocumentsRequest
from kgfuse.serve.state import ServeState
from kgfuse.types import Document

router = APIRouter(tags=["documents"])


@router.get("/documents/{doc_id:path}", summary="A document with its mentions and facts")
async def read_document(doc_id: str, state: ServeState = Depends(state_of)) -> dict[str, Any]:
    """The stored text, sentences, entity mentions and facts, as character spans."""
    view = await state.call(records.read_document, state.store, doc_id)
    if view is None:
        raise HTTPException(404, f"no document with id {doc_id!r} in the store")
    return dataclasses.asdict(view)


@router.post("/documents", summary="Add or replace documents (needs --allow-write and token)")
async def add_documents(
    body: DocumentsRequest, state: ServeState = Depends(require_writer)
) -> dict[str, Any]:
    """Extract the documents and write them, as ``kgfuse build`` does (same code)."""
    documents = [
        Document(id=d.id or derived_id(d.text), text=d.text, metadata=d.metadata)
        for d in body.documents
    ]
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        raise HTTPException(422, "two documents of the request share an id")

    def work() -> dict[str, Any]:
        summary = build_graph(documents, state.store, extractor=state.extractor(), progress=False)
        return {"ids": ids, **summary.as_dict()}

    return await state.call(work, lock="write")


@router.delete("/documents/{doc_id:path}", summary="Delete a document and the facts only it held")
async def delete_document(
    doc_id: str, state: ServeState = Depends(require_writer)
) -> dict[str, Any]:
    """Retract everything the document wrote, as ``kgfuse delete`` does."""
    deleted = await state.call(state.store.delete_document, doc_id, lock="write")
    if not deleted:
        raise HTTPException(404, f"no document with id {doc_id!r} in the store")
    return {"id": doc_id, "deleted": True}
