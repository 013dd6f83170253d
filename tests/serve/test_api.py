"""The REST API against a real uvicorn server over a real store built from the sample
articles, with a real classifier and QA model: every endpoint, and the errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from kgfuse.serve import BackgroundServer, ServeSettings, ServeState


def test_health_schema_docs_and_explorer(client: httpx.Client) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["query_language"] == "sparql"
    assert {(m["name"], m["task"]) for m in health["models"]} == {
        ("topics", "classify"),
        ("facts", "qa"),
    }
    schema = client.get("/openapi.json").json()
    for path in ("/entities", "/entities/{key}", "/entities/{key}/neighbors", "/paths",
                 "/documents/{doc_id}", "/stats", "/query/sparql", "/query/cypher", "/predict",
                 "/ask", "/documents", "/health", "/facts"):  # fmt: skip
        assert path in schema["paths"], path
    assert "swagger" in client.get("/docs").text.lower()
    page = client.get("/")
    assert page.status_code == 200 and "/static/vendor/cytoscape.min.js" in page.text
    assert client.get("/static/vendor/cytoscape.min.js").text.startswith("/*")
    assert "Permission is hereby granted" in client.get("/static/vendor/cytoscape.LICENSE").text
    assert "access-control-allow-origin" not in client.get("/health").headers  # CORS off


def test_lookup_pages_and_card_with_spans(client: httpx.Client) -> None:
    found = client.get("/entities", params={"q": "Einstein"}).json()
    assert found["items"][0]["key"] == "albert_einstein"
    assert found["items"][0]["how"] in {"exact", "alias"}
    first = client.get("/entities", params={"q": "e", "limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    second = client.get("/entities", params={"q": "e", "limit": 2, "offset": 2}).json()
    assert {i["key"] for i in first["items"]}.isdisjoint(i["key"] for i in second["items"])
    assert client.get("/entities", params={"q": "!!!"}).json()["items"] == []

    card = client.get("/entities/albert_einstein").json()
    assert card["entity"]["name"] == "Albert Einstein" and "Einstein" in card["entity"]["aliases"]
    assert card["types"][0]["label"] == "PERSON"
    assert any(
        n["other"]["key"] == "ulm" and n["predicate"] == "born_in" for n in card["neighbours"]
    )
    assert card["degree"] >= len(card["neighbours"]) > 0
    assert card["truncated"] == (card["degree"] > len(card["neighbours"]))
    sentence = next(s for s in card["sentences"] if s["object"] == "ulm")
    spans = {sentence["text"][m["start"] : m["end"]] for m in sentence["mentions"]}
    assert {"Albert Einstein", "Ulm"} <= spans


def test_unknown_entity_is_404_without_traceback(client: httpx.Client) -> None:
    for path in ("/entities/no_such_entity", "/entities/no_such_entity/neighbors"):
        response = client.get(path)
        assert response.status_code == 404
        body = response.json()
        assert body["error"] == "EntityNotFoundError" and "no_such_entity" in body["detail"]
        assert "Traceback" not in response.text
    assert client.get("/paths", params={"from": "Einstein", "to": "Zzyzx"}).status_code == 404


def test_neighbourhood_and_bad_hops(client: httpx.Client) -> None:
    one = client.get("/entities/albert_einstein/neighbors", params={"hops": 1}).json()
    two = client.get("/entities/albert_einstein/neighbors", params={"hops": 2}).json()
    keys_one = {n["key"] for n in one["nodes"]}
    assert {"albert_einstein", "ulm", "marie_curie"} <= keys_one
    assert max(n["distance"] for n in two["nodes"]) == 2  # Curie's neighbours come in
    assert len(two["nodes"]) > len(one["nodes"])
    assert all(e["subject"] in keys_one and e["object"] in keys_one for e in one["edges"])
    for hops in ("0", "6", "x"):
        response = client.get("/entities/albert_einstein/neighbors", params={"hops": hops})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("query.hops:")


def test_fact_sentences_paths_documents_stats(client: httpx.Client) -> None:
    fact = client.get(
        "/facts", params={"subject": "albert_einstein", "predicate": "born_in", "object": "ulm"}
    ).json()
    (record,) = fact["records"]
    assert record["doc_id"] == "einstein.txt" and record["text"].startswith("Albert Einstein")
    assert record["text"][record["start"] : record["end"]].endswith("Ulm")
    marked = {m["key"]: record["text"][m["start"] : m["end"]] for m in record["mentions"]}
    assert marked["ulm"] == "Ulm"

    path = client.get("/paths", params={"from": "Ulm", "to": "Warsaw"}).json()
    assert path["found"] and path["from"]["key"] == "ulm" and path["to"]["key"] == "warsaw"
    chain = [(e["subject"], e["object"]) for e in path["edges"]]
    assert chain[0][0] == "albert_einstein" or "ulm" in chain[0]
    assert set(path["entities"]) >= {"ulm", "warsaw", "marie_curie"}
    assert (
        client.get("/paths", params={"from": "Ulm", "to": "Warsaw", "max_hops": 9}).status_code
        == 422
    )

    doc = client.get("/documents/einstein.txt").json()
    assert doc["text"].startswith("Albert Einstein was born in Ulm.")
    for m in doc["mentions"]:
        assert doc["text"][m["start"] : m["end"]] == m["text"]
    assert any(f["predicate"] == "born_in" for f in doc["facts"])
    missing = client.get("/documents/nowhere.txt")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"

    stats = client.get("/stats", params={"top": 3}).json()
    assert stats["documents"] == 5 and stats["edges"] > 10 and len(stats["top_entities"]) == 3


def test_raw_queries_are_read_only_and_capped(client: httpx.Client, readonly_api) -> None:
    query = "SELECT ?id WHERE { GRAPH ?g { ?g kg:docId ?id } } ORDER BY ?id"
    rows = client.post("/query/sparql", json={"query": query}).json()["rows"]
    assert [r["id"] for r in rows][:2] == ["apple.txt", "curie.txt"]
    bound = client.post(
        "/query/sparql", json={"query": "SELECT ?x WHERE {}", "params": {"x": "hello"}}
    ).json()
    assert bound["rows"] == [{"x": "hello"}]
    refused = client.post("/query/sparql", json={"query": "DROP ALL"})
    assert refused.status_code == 403 and refused.json()["error"] == "ReadOnlyQueryError"
    wrong = client.post("/query/cypher", json={"query": "MATCH (n) RETURN n"})
    assert wrong.status_code == 400 and "/query/sparql" in wrong.json()["detail"]
    assert client.post("/query/sparql", json={"query": "SELEC nonsense"}).status_code == 400
    capped = httpx.post(
        readonly_api.url + "query/sparql", json={"query": "SELECT ?s WHERE { ?s ?p ?o }"}
    ).json()
    assert len(capped["rows"]) == 5 and capped["truncated"] is True  # max_rows=5 there


def test_predict_and_ask(client: httpx.Client) -> None:
    texts = ["Apple hired more people in Cupertino.", "Marie Curie studied radium."]
    out = client.post("/predict", json={"texts": texts}).json()
    assert out["model"] == "topics" and [p["text"] for p in out["predictions"]] == texts
    for prediction in out["predictions"]:
        assert prediction["labels"][0] in {"science", "business"}
        assert sum(prediction["scores"].values()) == pytest.approx(1.0, abs=1e-4)
    assert "apple" in out["predictions"][0]["entities"]

    asked = client.post("/ask", json={"question": "what born in [Albert Einstein]", "top_k": 3})
    answers = asked.json()["answers"]
    assert 1 <= len(answers) <= 3 and answers[0]["path"]
    assert answers == sorted(answers, key=lambda a: -a["score"])
    assert (
        answers[0]["path"][0]["subject_key"] == "albert_einstein"
        or answers[0]["path"][0]["inverse"]
    )
    unknown = client.post("/ask", json={"question": "who is [Zzyzx Qwerty]"})
    assert unknown.status_code == 404
    assert client.post("/predict", json={"texts": ["x"], "model": "nope"}).status_code == 404
    assert client.post("/predict", json={"texts": []}).status_code == 422


def test_writes_need_the_server_flag_and_the_token(
    client: httpx.Client, readonly_api, auth_header: dict[str, str]
) -> None:
    auth = auth_header
    doc = {"id": "served-1.txt", "text": "Ada Lovelace was born in London."}
    body = {"documents": [doc]}
    assert client.post("/documents", json=body).status_code == 401  # no token
    wrong = client.post("/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "the bearer token is wrong"
    assert client.delete("/documents/einstein.txt").status_code == 401
    read_only = httpx.post(readonly_api.url + "documents", json=body, headers=auth)
    assert read_only.status_code == 403 and "read-only" in read_only.json()["detail"]
    assert client.get("/documents/served-1.txt").status_code == 404  # nothing was written

    added = client.post("/documents", json=body, headers=auth).json()
    assert added["ids"] == ["served-1.txt"] and added["written"] == 1
    assert client.get("/documents/served-1.txt").json()["text"] == doc["text"]
    assert client.get("/entities", params={"q": "Ada Lovelace"}).json()["items"]
    assert client.post("/documents", json=body, headers=auth).json()["unchanged"] == 1
    assert client.delete("/documents/served-1.txt", headers=auth).json()["deleted"] is True
    assert client.get("/documents/served-1.txt").status_code == 404
    assert client.delete("/documents/served-1.txt", headers=auth).status_code == 404


def test_oversized_and_malformed_bodies(client: httpx.Client, max_body: int) -> None:
    big = {"texts": ["word " * (max_body // 4)]}
    response = client.post("/predict", json=big)
    assert response.status_code == 413 and response.json()["error"] == "BodyTooLarge"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"texts": ["'
        for _ in range(max_body // 1024 + 1):
            yield b"a" * 1024
        yield b'"]}'

    streamed = client.post(
        "/predict", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    malformed = client.post(
        "/predict", content=b'{"texts": [', headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["error"] == "MalformedJSON"
    extra = client.post("/ask", json={"question": "x", "unknown": 1})
    assert extra.status_code == 422 and "unknown" in extra.json()["detail"]
    assert client.get("/no/such/route").json()["error"] == "NotFound"


def test_time_limit_and_one_log_line_per_request(
    serve_state: ServeState, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ServeSettings(store=serve_state.settings.store, port=0, timeout=1e-6)
    state = ServeState(settings, serve_state.store, {})
    caplog.set_level(logging.INFO, logger="kgfuse.serve.access")
    with BackgroundServer(state) as server:
        response = httpx.get(server.url + "stats")
        assert response.status_code == 504
        assert response.json() == {
            "error": "RequestTimeout",
            "detail": "the request took longer than 1e-06 s",
        }
        assert httpx.get(server.url + "health").status_code == 200  # no store work: no limit
    lines = [r.getMessage() for r in caplog.records if r.name == "kgfuse.serve.access"]
    assert len(lines) == 2
    assert lines[0].startswith("127.0.0.1 GET /stats 504 ") and lines[0].endswith(" ms")
    assert lines[1].startswith("127.0.0.1 GET /health 200 ")
