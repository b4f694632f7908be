"""A chunked body has no Content-Length: it is counted and held to REGISTRY_MAX_REQUEST_BYTES like any
other, and past the limit answers 413 problem+json before anything parses or runs it."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder, run_wsgi_app

from gateway.auth.principal import Role
from tests.factories.auth import auth_header
from tests.factories.wsgi import serving_app
from tests.integration.ledger_api.world import Registry, issue

PADDING = b" " * (2 * 1024 * 1024)


def transfer_body(ghana: Registry) -> bytes:
    accounts = ghana.accounts
    body = {"source_account_id": accounts["issuance"], "destination_account_id": accounts["party"], "quantity": 1}
    return json.dumps(body).encode()


def chunked_environ(ghana: Registry, body: bytes) -> dict[str, Any]:
    """The environ gunicorn hands the app for a chunked request: the body already de-chunked, no
    Content-Length, and wsgi.input_terminated set."""
    builder = EnvironBuilder(
        path=ghana.url("/transactions/domestic-transfers"),
        method="POST",
        headers=auth_header(ghana.token(Role.REGISTRY_ADMIN))
        | {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        data=body,
    )
    environ = builder.get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True
    return environ


def run(ghana: Registry, environ: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    app_iter, status, headers = run_wsgi_app(ghana.app, environ)
    body = b"".join(app_iter)
    return int(status.split()[0]), headers.get("Content-Type", ""), json.loads(body)


def test_a_chunked_body_past_the_limit_answers_413_and_runs_nothing(ghana: Registry) -> None:
    issue(ghana, 10)
    before = ghana.counts()

    status, media_type, problem = run(ghana, chunked_environ(ghana, transfer_body(ghana) + PADDING))

    assert (status, media_type, problem.get("code")) == (413, "application/problem+json", "request.too_large")
    assert ghana.counts() == before


def test_a_chunked_body_within_the_limit_is_read_whole(ghana: Registry) -> None:
    issue(ghana, 10)

    status, _, _ = run(ghana, chunked_environ(ghana, transfer_body(ghana) + b" " * 1024))

    assert status == 201
    assert ghana.holdings("party") == 1


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def post_chunked_over_http(ghana: Registry, body: bytes) -> tuple[int, str, dict[str, Any]]:
    with serving_app(ghana.app) as base:
        address = urlsplit(base)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        # The token names the test client's host as its audience, so the request keeps that Host.
        headers = {
            "Host": "localhost",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {ghana.token(Role.REGISTRY_ADMIN)}",
        }
        connection.request(
            "POST", ghana.url("/transactions/domestic-transfers"), body=chunks(body), headers=headers,
            encode_chunked=True,
        )  # fmt: skip
        answer = connection.getresponse()
        result = answer.status, answer.getheader("Content-Type", ""), json.loads(answer.read())
        connection.close()
    return result


def test_a_real_chunked_request_past_the_limit_answers_413(ghana: Registry) -> None:
    issue(ghana, 10)
    before = ghana.counts()

    status, media_type, problem = post_chunked_over_http(ghana, transfer_body(ghana) + PADDING)

    assert (status, media_type, problem.get("code")) == (413, "application/problem+json", "request.too_large")
    assert ghana.counts() == before


def test_a_real_chunked_request_within_the_limit_runs(ghana: Registry) -> None:
    issue(ghana, 10)

    status, _, _ = post_chunked_over_http(ghana, transfer_body(ghana))

    assert status == 201
    assert ghana.holdings("party") == 1
