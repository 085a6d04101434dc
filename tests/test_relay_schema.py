"""Schemathesis against the relay's OpenAPI schema, on a real relay process: whatever
it sends, signed or not, the relay answers without a 5xx, and every refusal is a JSON
error with a code and a sentence. A bounded run: a few dozen examples per operation."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from accord.core.keys import SigningKey
from accord.core.requests import sign_request
from tests.load import open_conference
from tests.relay_process import RelayProcess, relay

pytestmark = pytest.mark.slow

KEY = SigningKey.from_label("schemathesis")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayProcess]:
    tmp = tmp_path_factory.mktemp("schema")
    with relay(f"sqlite:///{tmp / 'r.sqlite'}", tmp, "--rate", "100000", "--burst", "100000") as r:
        open_conference(r.url, 1)  # so that some generated paths name a real conference
        yield r


BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_no_server_errors_for_any_request(running: RelayProcess) -> None:
    api = schemathesis.openapi.from_url(running.url + "/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 7  # every route of the relay is exercised
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            _check(case, running, signed=True)
            _check(case, running, signed=False)

        check()


def _check(case: Any, running: RelayProcess, signed: bool) -> None:
    body = (
        b""
        if case.body is None or not isinstance(case.body, dict | list | str | int | bool)
        else json.dumps(case.body).encode()
    )
    query = str(httpx.QueryParams({k: str(v) for k, v in (case.query or {}).items()}))
    headers = {"content-type": "application/json"}
    if signed:
        headers |= sign_request(
            KEY,
            case.method,
            case.formatted_path,
            query,
            body,
            int(time.time() * 1000),
            secrets.token_urlsafe(18),
        )
    url = running.url + case.formatted_path + (f"?{query}" if query else "")
    response = httpx.request(case.method, url, content=body, headers=headers, timeout=30)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and len(error["message"]) > 10
