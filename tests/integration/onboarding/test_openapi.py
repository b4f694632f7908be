"""The OpenAPI document describes what every onboarding endpoint answers: each answer of a whole journey,
from the scripts to the approved promotion, has a documented status and media type, and each JSON body is
exactly its documented schema (every documented field present, none undocumented)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, fresh_postgres_database, settings_for, sqlite_urls
from tests.factories.auth import auth_header, bearer_token
from tests.integration.onboarding.test_console_checklist import training
from tests.unit.onboarding.test_assessment_and_promotion import ANSWERS

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    """A database of this test alone: the operators' overview walks every registry of it."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path_factory.mktemp("onboarding-openapi"))
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def app(urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(urls))
    yield built
    platform_of(built).close()


def strict(schema: Any) -> Any:
    """The schema with every object's documented properties required and no other property allowed."""
    if isinstance(schema, dict):
        found = {key: strict(value) for key, value in schema.items()}
        if "properties" in found and "additionalProperties" not in found:
            found["required"] = sorted(found["properties"])
            found["additionalProperties"] = False
        return found
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


class Document:
    """The served OpenAPI document, and what it promises of an operation's answers."""

    def __init__(self, http: FlaskClient) -> None:
        self.spec: dict[str, Any] = http.get("/api/v1/openapi.json").get_json()
        components = strict(copy.deepcopy(self.spec["components"]))
        self.root = {"components": components}
        self.checked: set[tuple[str, str]] = set()

    def onboarding_operations(self) -> set[tuple[str, str]]:
        return {
            (method, path)
            for path, item in self.spec["paths"].items()
            if "/onboarding" in path
            for method in METHODS
            if method in item
        }

    def check(self, method: str, path: str, answer: TestResponse) -> None:
        responses = self.spec["paths"][path][method]["responses"]
        status = str(answer.status_code)
        assert status in responses, f"{method.upper()} {path} answers {status}, undocumented"
        content = responses[status].get("content", {})
        if answer.status_code == 204:
            assert content == {}, f"{method.upper()} {path}: a 204 has no body"
        else:
            assert answer.mimetype in content, f"{method.upper()} {path} answers {answer.mimetype}, not in {content}"
        if answer.mimetype == "application/json":
            schema = {**strict(content["application/json"]["schema"]), **self.root}
            jsonschema.validate(answer.get_json(), schema)
        self.checked.add((method, path))


def test_every_onboarding_answer_is_described_by_the_openapi_document(app: Flask) -> None:
    http = app.test_client()
    document = Document(http)
    created = training(app)
    code, party = created["code"], created["party"]
    participant = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN]))
    first = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR], username="operator-one"))
    second = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR], username="operator-two"))
    registry, platform = "/api/v1/registries/{registry}/onboarding", "/api/v1/platform/onboarding"

    def call(method: str, template: str, url: str, headers: dict[str, str], **body: Any) -> TestResponse:
        answer = http.open(url, method=method.upper(), headers=headers, **body)
        assert answer.status_code < 400, answer.get_json()
        document.check(method, template, answer)
        return answer

    call("get", f"{registry}/scripts", f"/api/v1/registries/{code}/onboarding/scripts?language=fr", participant)
    sent = {
        "page": f"/registries/{code}/console/",
        "text": "Where is the approval queue?",
        "role": "administrator",
        "step_id": "issue-units",
    }
    feedback = call(
        "post", f"{registry}/feedback", f"/api/v1/registries/{code}/onboarding/feedback", participant, json=sent
    )
    call("get", platform, platform, first)
    base = f"{platform}/{code}"
    for file_format in ("json", "csv", "xlsx"):
        call("get", f"{platform}/{{code}}/feedback", f"{base}/feedback?format={file_format}", first)
    resolution = f"{platform}/{{code}}/feedback/{{feedback_id}}/resolution"
    call("post", resolution, f"{base}/feedback/{feedback.get_json()['id']}/resolution", first)
    call("post", f"{platform}/{{code}}/scripts/restart", f"{base}/scripts/restart", first)
    call("patch", f"{platform}/{{code}}/assessment", f"{base}/assessment", first, json={"answers": ANSWERS})
    for file_format in ("json", "csv", "xlsx"):
        call("get", f"{platform}/{{code}}/assessment", f"{base}/assessment?format={file_format}", first)
    proposal = {
        "code": f"{code}-prod",
        "party": party,
        "registry_id": f"{party}02",
        "name": "National registry",
        "administrators": [{"username": "ama.mensah", "display_name": "Ama Mensah"}],
    }
    promotions = f"{platform}/{{code}}/promotions"
    withdrawn = call("post", promotions, f"{base}/promotions", first, json=proposal).get_json()["id"]
    call(
        "post",
        f"{platform}/promotions/{{promotion_id}}/withdrawal",
        f"{platform}/promotions/{withdrawn}/withdrawal",
        first,
    )
    approved = call("post", promotions, f"{base}/promotions", first, json=proposal).get_json()["id"]
    call(
        "post", f"{platform}/promotions/{{promotion_id}}/approval", f"{platform}/promotions/{approved}/approval", second
    )
    call("get", promotions, f"{base}/promotions", first)

    assert document.checked == document.onboarding_operations()
