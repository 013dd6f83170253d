"""One router per resource of the API (entities and graph, documents, queries, models)."""
