"""Property-based tests of the API from its own OpenAPI schema (schemathesis + Hypothesis):
on generated input, no endpoint answers a server error, and every error body is the API's
one-line ``{"error", "detail"}`` JSON (never a traceback).

They run against the read-only server (so generated writes are refused, never applied) with
the real store and both models loaded.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from kgfuse.serve import BackgroundServer


def one_line_errors(ctx: Any, response: Any, case: Any) -> bool:
    """Every error response is ``{"error": TYPE, "detail": ONE LINE}``."""
    if response.status_code < 400:
        return True
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    assert "Traceback" not in body["detail"] and "\n" not in body["detail"], body
    return True


def test_no_server_errors_on_generated_input(readonly_api: BackgroundServer) -> None:
    # schemathesis's own pytest integration (from_fixture) does not run under pytest 9 yet,
    # so each operation's Hypothesis strategy from the same schema is driven directly.
    schema = schemathesis.openapi.from_url(readonly_api.url + "openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error, one_line_errors])

        check()
