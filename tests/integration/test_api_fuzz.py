"""Property-based run of schemathesis over the whole /api/v1 document, as an admin and as a teacher:
no server error and no answer that breaks the documented status codes, schemas or content types.

Bounded and repeatable: a few examples per operation, derandomized (a fixed seed), no example database.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import Api

CHECKS = (not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance)
EXAMPLES = 8


@pytest.mark.parametrize("user", ["admin", "staff1"])
def test_no_input_breaks_the_api_or_its_document(app: Flask, api: Api, user: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {api.token(user)}"}
    broken: Counter[tuple[str, str, int]] = Counter()
    first: dict[tuple[str, str, int], str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            for check in CHECKS:
                try:
                    case.validate_response(response, checks=[check])
                except BaseException as failure:  # schemathesis raises an exception group per failure
                    key = (case.operation.label, check.__name__, response.status_code)
                    broken[key] += 1
                    first.setdefault(key, str(failure)[:500])

        run()
    assert operations > 40  # every documented operation was tried
    assert not broken, "\n".join(f"{k}: {n}× — {first[k]}" for k, n in broken.items())
