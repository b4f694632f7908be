"""The OpenAPI document tells the truth about errors: every operation lists the problem+json answers it
can give, each with the Problem schema, and integers a client sends carry their bounds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.app import create_app
from gateway.bootstrap import platform_of
from tests.conftest import settings_for, sqlite_urls

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    app = create_app(settings_for(sqlite_urls(Path(tmp_path_factory.mktemp("openapi")))))
    document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    yield document
    platform_of(app).close()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        found: dict[str, Any] = spec["components"]["responses"][name]
        return found
    return response


def expected_statuses(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    statuses = {"400", "414"}
    security = operation.get("security")
    if security:
        statuses.add("429")
        if {} not in security:
            statuses |= {"401", "403"}
    if "{" in path:
        statuses.add("404")
    if method != "get":
        statuses |= {"409", "413", "422"}
    if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
        statuses.add("422")
    return statuses


def test_every_operation_declares_its_problem_answers(spec: dict[str, Any]) -> None:
    missing = {
        f"{method.upper()} {path}": sorted(expected_statuses(path, method, operation) - set(operation["responses"]))
        for path, method, operation in operations(spec)
    }
    assert {name: codes for name, codes in missing.items() if codes} == {}
    assert sum(1 for _ in operations(spec)) > 50


# Answers a published protocol fixes: C2SP tlog-witness answers a stale size with the witness's size.
PROTOCOL_ANSWERS = {("post", "/api/v1/registries/{registry}/witness/add-checkpoint", "409"): "text/x.tlog.size"}


def test_every_error_answer_is_problem_json_with_the_problem_schema(spec: dict[str, Any]) -> None:
    wrong = []
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status != "default" and not 400 <= int(status) < 500:
                continue
            if list(resolve(spec, response).get("content", {})) == [PROTOCOL_ANSWERS.get((method, path, status))]:
                continue
            content = resolve(spec, response).get("content", {})
            if list(content) != ["application/problem+json"] or content["application/problem+json"]["schema"] != {
                "$ref": "#/components/schemas/Problem"
            }:
                wrong.append(f"{method.upper()} {path} {status}: {content}")
    assert wrong == []


def integer_properties(spec: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> Iterator[tuple[str, Any]]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        schema = spec["components"]["schemas"][name]
    if "integer" in (schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]):
        yield schema.get("title", "?"), schema
    for name, child in schema.get("properties", {}).items():
        for _, found in integer_properties(spec, child, seen):
            yield name, found
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from integer_properties(spec, schema[key], seen)


def test_every_integer_a_client_sends_is_bounded(spec: dict[str, Any]) -> None:
    unbounded = []
    for path, method, operation in operations(spec):
        inputs = [(p["name"], p["schema"]) for p in operation.get("parameters", []) if "schema" in p]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if body is not None:
            inputs += list(integer_properties(spec, body, set()))
        for name, schema in inputs:
            types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
            if "integer" in types and ("minimum" not in schema or "maximum" not in schema):
                unbounded.append(f"{method.upper()} {path} {name}")
    assert unbounded == []
