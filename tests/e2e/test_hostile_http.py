"""`registry serve` (gunicorn) on PostgreSQL answers hostile HTTP with problem+json: over-long URLs,
a NUL in the path and chunked bodies past the limit, whether the gateway or gunicorn refuses them."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.inputs.limits import MAX_REQUEST_LINE, MAX_URL_CHARS
from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.e2e.processes import free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

HOLDINGS = "/api/v1/registries/nowhere/public/holdings"


@pytest.fixture(scope="module")
def port(postgres_urls: DatabaseUrls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    env: dict[str, str | None] = {
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": "1",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": postgres_urls.app,
        "DATABASE_OWNER_URL": postgres_urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
        "REGISTRY_MAX_REQUEST_BYTES": "1048576",
    }
    with running(["serve"], env, tmp_path_factory.mktemp("serve"), port):
        yield port


def send(port: int, method: str, target: str, body: Any = None, **headers: str) -> tuple[int, str, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers, encode_chunked=body is not None)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), json.loads(answer.read())
    finally:
        connection.close()


@pytest.mark.parametrize(
    "length",
    [MAX_URL_CHARS + 100, MAX_REQUEST_LINE + 1_000],
    ids=["the gateway's limit", "gunicorn's limit"],
)
def test_an_over_long_url_answers_414_problem(port: int, length: int) -> None:
    target = f"{HOLDINGS}?q=" + "x" * (length - len(HOLDINGS) - 3)

    status, media_type, problem = send(port, "GET", target)

    assert (status, media_type, problem["code"]) == (414, "application/problem+json", "request.uri_too_long")


def test_the_gateway_limit_is_below_gunicorns() -> None:
    longest_line = len("OPTIONS ") + MAX_URL_CHARS + len(" HTTP/1.1")
    assert longest_line < MAX_REQUEST_LINE


def test_a_nul_in_the_path_answers_400_problem(port: int) -> None:
    status, media_type, problem = send(port, "GET", "/api/v1/registries/x%00/public/holdings")

    assert (status, media_type, problem["code"]) == (400, "application/problem+json", "request.invalid_text")


def padded_body() -> Iterator[bytes]:
    yield b'{"account_type": "party_holding", "name": "Padded"}'
    for _ in range(32):
        yield b" " * (64 * 1024)


def test_a_chunked_body_past_the_limit_answers_413_problem(port: int) -> None:
    status, media_type, problem = send(
        port, "POST", "/api/v1/registries/nowhere/accounts", padded_body(), **{"Content-Type": "application/json"}
    )

    assert (status, media_type, problem["code"]) == (413, "application/problem+json", "request.too_large")
